//! Evaluation: every row of a list against the awards it is proposed for,
//! and every rate per group.

pub mod coverage;
pub mod examples;
mod explain;
pub mod format;
pub mod linked;
pub mod rate;
mod row;
pub mod tri;

pub use row::{Memo, RowEval};
pub use tri::Tri;

use crate::data::Cell;
use crate::data::{DataError, DataIssue, Row, TableReader};
use crate::semantic::model::{AggKind, AwardId, ColIdx, Cond, Operand, Plan, TableId, Type};
use linked::{AggAcc, Linked};
use rate::Counts;
use rustc_hash::FxHashMap as HashMap;

/// One clause of a candidate's award: its verdict and, when it is not
/// true, what it read.
#[derive(Debug, Clone, PartialEq)]
pub struct ClauseResult {
    pub verdict: Tri,
    pub observed: Option<String>,
}

/// One (row, award) pair where the row is proposed for the award.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateResult {
    pub row: u64,
    pub key: String,
    /// The `ho_ten` (or `ten_tap_the`, `ten`) column, when the table has one.
    pub name: Option<String>,
    pub award: AwardId,
    pub verdict: Tri,
    pub clauses: Vec<ClauseResult>,
}

/// One rate in one group.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupResult {
    pub rate: usize,
    pub group: String,
    pub counts: Counts,
    pub verdict: Tri,
    pub numerator_rows: Vec<u64>,
    pub denominator_rows: Vec<u64>,
    /// Rows whose numerator or denominator is unknown.
    pub unknown_rows: Vec<u64>,
}

/// A row proposed (its proposal column holds a value) that no award of
/// the rule set selects: nothing about it was checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Unchecked {
    pub row: u64,
    pub key: String,
    pub table: TableId,
    pub column: ColIdx,
    /// Index of the value in the column's enum.
    pub value: u16,
}

#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub rows: u64,
    pub candidates: Vec<CandidateResult>,
    pub groups: Vec<GroupResult>,
    pub issues: Vec<DataIssue>,
    pub unchecked: Vec<Unchecked>,
    /// Keys read (for links from other tables), with the row of each.
    pub keys: HashMap<Box<str>, u64>,
    /// Passing candidates left out of `candidates` (see [`Keep`]).
    pub passed: u64,
    /// Per link column, each value found and the rows holding it.
    pub links: Vec<(ColIdx, HashMap<String, Vec<u64>>)>,
    /// What this table's rows gave each aggregate they feed, by key.
    pub linked: Vec<(usize, HashMap<String, AggAcc>)>,
}

#[derive(Default)]
struct GroupAcc {
    counts: Counts,
    numerator_rows: Vec<u64>,
    denominator_rows: Vec<u64>,
    unknown_rows: Vec<u64>,
}

/// Enum columns that award selections read (the proposal column, e.g.
/// `de_nghi`): a row with a value there expects to be checked.
fn proposal_columns(plan: &Plan, awards: &[AwardId]) -> Vec<ColIdx> {
    fn walk(c: &Cond, plan: &Plan, table: TableId, out: &mut Vec<ColIdx>) {
        let mut operand = |o: &Operand| {
            if let Operand::Column(col) = o
                && matches!(plan.tables[table].columns[*col].ty, Type::Enum(_))
                && !out.contains(col)
            {
                out.push(*col);
            }
        };
        match c {
            Cond::Compare { lhs, rhs, .. } => {
                operand(lhs);
                operand(rhs);
            }
            Cond::In { operand: o, .. } => operand(o),
            Cond::Not(x) => walk(x, plan, table, out),
            Cond::And(a, b) | Cond::Or(a, b) | Cond::Implies(a, b) => {
                walk(a, plan, table, out);
                walk(b, plan, table, out);
            }
            Cond::AnyOf(bs) => bs.iter().for_each(|(b, _)| walk(b, plan, table, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for &a in awards {
        walk(
            &plan.awards[a].selection,
            plan,
            plan.awards[a].table,
            &mut out,
        );
    }
    out
}

/// Which candidates an [`Outcome`] lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    All,
    /// Failing and unknown ones; passing ones are only counted.
    NotPassing,
}

/// Columns whose text the evaluation reads on every row (the others are
/// written only for rows that are reported): text compared by rules, the
/// key, group columns, link columns and the columns of `unique`/`in T.c`.
fn eager_texts(plan: &Plan, table: TableId, rates: &[usize]) -> Vec<bool> {
    let t = &plan.tables[table];
    let mut eager: Vec<bool> = t
        .columns
        .iter()
        .map(|c| c.needed && (c.ty == Type::Text || c.link.is_some() || c.derived.is_some()))
        .collect();
    let mut mark = |c: ColIdx| {
        if let Some(e) = eager.get_mut(c) {
            *e = true;
        }
    };
    t.key.into_iter().for_each(&mut mark);
    rates.iter().for_each(|&r| mark(plan.rates[r].group));
    for a in plan.aggregates.iter().filter(|a| a.source == table) {
        mark(a.link);
        a.values_of.into_iter().for_each(&mut mark);
    }
    linked::unique_columns(plan, table)
        .into_iter()
        .for_each(&mut mark);
    for a in plan.aggregates.iter().filter(|a| a.target == table) {
        // `x in T.c` reads x's text on this table's rows.
        if a.values_of.is_some() {
            (0..t.columns.len()).for_each(|c| {
                if t.columns[c].needed {
                    mark(c)
                }
            });
        }
    }
    eager
}

/// Reads every row of `reader` (a list of `table`) and evaluates it.
pub fn evaluate(
    plan: &Plan,
    table: TableId,
    reader: &mut TableReader,
    linked: &Linked,
    keep: Keep,
) -> Result<Outcome, DataError> {
    let ev = RowEval {
        plan,
        table,
        linked,
    };
    let awards: Vec<AwardId> = (0..plan.awards.len())
        .filter(|&a| plan.awards[a].table == table)
        .collect();
    let rates: Vec<usize> = (0..plan.rates.len())
        .filter(|&r| plan.rates[r].table == table)
        .collect();
    let tdef = &plan.tables[table];
    // The name shown beside the key: a person's or a collective's.
    let name_col = ["ho_ten", "ten_tap_the", "ten"]
        .iter()
        .find_map(|c| tdef.column(c));
    let proposal_cols = proposal_columns(plan, &awards);
    let derived_cols: Vec<ColIdx> = (0..tdef.columns.len())
        .filter(|&c| tdef.columns[c].derived.is_some())
        .collect();
    let link_cols: Vec<ColIdx> = (0..tdef.columns.len())
        .filter(|&c| tdef.columns[c].link.is_some())
        .collect();
    let mut out = Outcome {
        linked: linked::fed_by(plan, table),
        links: link_cols.iter().map(|&c| (c, HashMap::default())).collect(),
        ..Outcome::default()
    };
    reader.set_eager_texts(&eager_texts(plan, table, &rates));
    let mut memo = Memo::new(plan.awards.len());
    let mut row = Row::default();
    let mut keys: HashMap<Box<str>, u64> = HashMap::default();
    // Per rate: group text → index into `accs`, in order of first appearance.
    let mut index: Vec<HashMap<Box<str>, usize>> = vec![HashMap::default(); rates.len()];
    let mut accs: Vec<Vec<(Box<str>, GroupAcc)>> = (0..rates.len()).map(|_| Vec::new()).collect();

    while reader.read_row(&mut row, &mut out.issues)? {
        out.rows += 1;
        memo.reset();
        let key = tdef
            .key
            .and_then(|k| row.texts.get(k))
            .map_or("", |s| s.as_str());
        for (c, seen) in &mut out.links {
            let Some(v) = row.texts.get(*c).filter(|v| !v.is_empty()) else {
                continue;
            };
            match seen.get_mut(v.as_str()) {
                Some(lines) => lines.push(row.line),
                None => {
                    seen.insert(v.clone(), vec![row.line]);
                }
            }
        }
        for (i, found) in &mut out.linked {
            let def = &plan.aggregates[*i];
            let Some(to) = row.texts.get(def.link).filter(|v| !v.is_empty()) else {
                continue;
            };
            // Look up before inserting: most rows hit a key already seen.
            if !found.contains_key(to.as_str()) {
                found.insert(to.clone(), AggAcc::default());
            }
            let Some(acc) = found.get_mut(to.as_str()) else {
                continue;
            };
            acc.total += 1;
            let year = tdef.year.and_then(|y| match row.cells.get(y) {
                Some(Cell::Int(y)) => Some(*y),
                _ => None,
            });
            match ev.cond(&def.filter, &row, &mut memo) {
                Tri::True if def.kind != AggKind::Count && year.is_none() => {
                    acc.unknown_rows.push(row.line)
                }
                Tri::True => {
                    if let Some(v) = def
                        .values_of
                        .and_then(|c| row.texts.get(c))
                        .filter(|v| !v.is_empty())
                    {
                        acc.values.insert(v.clone());
                    }
                    acc.rows.push(row.line);
                    if let Some(y) = year {
                        *acc.years.entry(y).or_default() += 1;
                    }
                }
                Tri::Unknown => acc.unknown_rows.push(row.line),
                Tri::False => {}
            }
        }
        // A count written in the list must agree with the one counted from
        // the linked list.
        for &c in &derived_cols {
            let written = match row.cells.get(c) {
                Some(Cell::Int(i)) => Some(rust_decimal::Decimal::from(*i)),
                Some(Cell::Decimal(d)) => Some(*d),
                _ => None,
            };
            let counted = match ev.derived(c, &row) {
                Some(row::Val::Int(i)) => Some(rust_decimal::Decimal::from(i)),
                Some(row::Val::Decimal(d)) => Some(d),
                _ => None,
            };
            if let (Some(w), Some(n)) = (written, counted)
                && w != n
            {
                let def = &tdef.columns[c];
                out.issues.push(DataIssue {
                    table: String::new(),
                    row: row.line,
                    column: def.id.clone(),
                    header: def.header.clone(),
                    value: row.texts.get(c).cloned().unwrap_or_default(),
                    message: format!("cột ghi {w}, nhưng đếm từ danh sách liên kết được {n}"),
                    expected: format!("{n} (số đếm được; báo cáo dùng số này)"),
                });
            }
        }
        if !key.is_empty() {
            if let Some(&first) = keys.get(key) {
                out.issues.push(DataIssue {
                    table: String::new(),
                    row: row.line,
                    column: tdef
                        .key
                        .map_or_else(String::new, |k| tdef.columns[k].id.clone()),
                    header: tdef
                        .key
                        .map_or_else(String::new, |k| tdef.columns[k].header.clone()),
                    value: key.to_string(),
                    message: format!("mã «{key}» trùng với dòng {first}"),
                    expected: "mỗi dòng một mã riêng".into(),
                });
            } else {
                keys.insert(key.into(), row.line);
            }
        }
        let mut selected = false;
        let mut filled = false;
        for &a in &awards {
            let chosen = ev.proposed(a, &row, &mut memo);
            selected |= chosen != Tri::False;
            if chosen != Tri::True {
                continue;
            }
            if keep == Keep::NotPassing && ev.meets(a, &row, &mut memo) == Tri::True {
                out.passed += 1;
                continue;
            }
            if !filled {
                reader.fill_texts(&mut row);
                filled = true;
            }
            let key = tdef
                .key
                .and_then(|k| row.texts.get(k))
                .map_or("", |s| s.as_str());
            let mut verdict = Tri::True;
            let clauses = plan.awards[a]
                .criteria
                .iter()
                .map(|c| {
                    let t = ev.cond(&c.cond, &row, &mut memo);
                    verdict = verdict.and(t);
                    let observed = (t != Tri::True).then(|| ev.explain(&c.cond, &row, &mut memo));
                    ClauseResult {
                        verdict: t,
                        observed,
                    }
                })
                .collect();
            out.candidates.push(CandidateResult {
                row: row.line,
                key: key.to_string(),
                name: name_col
                    .and_then(|c| row.texts.get(c))
                    .filter(|s| !s.is_empty())
                    .cloned(),
                award: a,
                verdict,
                clauses,
            });
        }
        if !selected {
            let proposed = proposal_cols.iter().find_map(|&c| match row.cells.get(c) {
                Some(Cell::Enum(v)) => Some((c, *v)),
                _ => None,
            });
            if let Some((column, value)) = proposed {
                let key = tdef
                    .key
                    .and_then(|k| row.texts.get(k))
                    .map_or("", |s| s.as_str());
                out.unchecked.push(Unchecked {
                    row: row.line,
                    key: key.to_string(),
                    table,
                    column,
                    value,
                });
            }
        }
        for (i, &r) in rates.iter().enumerate() {
            let rate = &plan.rates[r];
            let num = ev.cond(&rate.numerator, &row, &mut memo);
            let den = ev.cond(&rate.denominator, &row, &mut memo);
            if num == Tri::False && den == Tri::False {
                continue;
            }
            let group = row.texts.get(rate.group).map_or("", |s| s.as_str());
            let slot = match index[i].get(group) {
                Some(&s) => s,
                None => {
                    index[i].insert(group.into(), accs[i].len());
                    accs[i].push((group.into(), GroupAcc::default()));
                    accs[i].len() - 1
                }
            };
            let acc = &mut accs[i][slot].1;
            match num {
                Tri::True => {
                    acc.counts.num_true += 1;
                    acc.numerator_rows.push(row.line);
                }
                Tri::Unknown => acc.counts.num_unknown += 1,
                Tri::False => {}
            }
            match den {
                Tri::True => {
                    acc.counts.den_true += 1;
                    acc.denominator_rows.push(row.line);
                }
                Tri::Unknown => acc.counts.den_unknown += 1,
                Tri::False => {}
            }
            if num == Tri::Unknown || den == Tri::Unknown {
                acc.unknown_rows.push(row.line);
            }
        }
    }
    for (i, &r) in rates.iter().enumerate() {
        let rate = &plan.rates[r];
        for (group, acc) in std::mem::take(&mut accs[i]) {
            out.groups.push(GroupResult {
                rate: r,
                group: group.into(),
                verdict: rate::verdict(rate.op, rate.share, rate.rounding, acc.counts),
                counts: acc.counts,
                numerator_rows: acc.numerator_rows,
                denominator_rows: acc.denominator_rows,
                unknown_rows: acc.unknown_rows,
            });
        }
    }
    out.keys = keys;
    Ok(out)
}
