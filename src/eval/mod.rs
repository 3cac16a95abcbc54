//! Evaluation: every row of a list against the awards it is proposed for,
//! and every rate per group.

pub mod coverage;
pub mod examples;
mod explain;
pub mod format;
pub mod keyset;
pub mod linked;
pub mod rate;
mod row;
pub mod tri;

pub use row::{Memo, RowEval};
pub use tri::Tri;

use crate::data::Cell;
use crate::data::{DataError, DataIssue, Row, TableReader, TextFiller};
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
    pub keys: keyset::KeySet,
    /// Passing candidates left out of `candidates` (see [`Keep`]).
    pub passed: u64,
    /// Their row and award, with [`Keep::Rows`].
    pub passed_rows: Vec<(u64, AwardId)>,
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
    /// Failing and unknown ones; passing ones by row and award only.
    Rows,
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

/// Evaluates the rows of one list of `table` as they are read, and keeps
/// what the report needs.
pub struct TableEval<'p> {
    ev: RowEval<'p>,
    plan: &'p Plan,
    table: TableId,
    keep: Keep,
    /// Awards whose passing candidates are kept whole whatever `keep` says.
    whole: Vec<bool>,
    awards: Vec<AwardId>,
    rates: Vec<usize>,
    tdef: &'p crate::semantic::model::TableDef,
    /// The name shown beside the key: a person's or a collective's.
    name_col: Option<ColIdx>,
    proposal_cols: Vec<ColIdx>,
    derived_cols: Vec<ColIdx>,
    out: Outcome,
    memo: Memo,
    /// Per rate: group text → index into `accs`, in order of first appearance.
    index: Vec<HashMap<Box<str>, usize>>,
    accs: Vec<Vec<(Box<str>, GroupAcc)>>,
}

impl<'p> TableEval<'p> {
    pub fn new(plan: &'p Plan, table: TableId, linked: &'p Linked, keep: Keep) -> TableEval<'p> {
        let awards: Vec<AwardId> = (0..plan.awards.len())
            .filter(|&a| plan.awards[a].table == table)
            .collect();
        let rates: Vec<usize> = (0..plan.rates.len())
            .filter(|&r| plan.rates[r].table == table)
            .collect();
        let tdef = &plan.tables[table];
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
        let out = Outcome {
            linked: linked::fed_by(plan, table),
            links: link_cols.iter().map(|&c| (c, HashMap::default())).collect(),
            ..Outcome::default()
        };
        TableEval {
            ev: RowEval {
                plan,
                table,
                linked,
            },
            plan,
            table,
            keep,
            whole: vec![false; plan.awards.len()],
            index: vec![HashMap::default(); rates.len()],
            accs: (0..rates.len()).map(|_| Vec::new()).collect(),
            awards,
            rates,
            tdef,
            name_col,
            proposal_cols,
            derived_cols,
            out,
            memo: Memo::new(plan.awards.len()),
        }
    }

    /// Columns whose text is read on every row (see [`TableReader::set_eager_texts`]).
    pub fn eager_texts(&self) -> Vec<bool> {
        eager_texts(self.plan, self.table, &self.rates)
    }

    /// Keeps every candidate of `award` whole, passing or not.
    pub fn keep_whole(&mut self, award: AwardId) {
        if let Some(w) = self.whole.get_mut(award) {
            *w = true;
        }
    }

    /// Problems found while reading the list (they belong to the outcome).
    pub fn issues(&mut self) -> &mut Vec<DataIssue> {
        &mut self.out.issues
    }

    /// Evaluates a row; `filler` writes the texts its reader left out.
    pub fn row(&mut self, row: &mut Row, filler: &TextFiller) {
        self.out.rows += 1;
        self.memo.reset();
        let key = self
            .tdef
            .key
            .and_then(|k| row.texts.get(k))
            .map_or("", |s| s.as_str());
        for (c, seen) in &mut self.out.links {
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
        for (i, found) in &mut self.out.linked {
            let def = &self.plan.aggregates[*i];
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
            let year = self.tdef.year.and_then(|y| match row.cells.get(y) {
                Some(Cell::Int(y)) => Some(*y),
                _ => None,
            });
            match self.ev.cond(&def.filter, row, &mut self.memo) {
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
        for &c in &self.derived_cols {
            let written = match row.cells.get(c) {
                Some(Cell::Int(i)) => Some(rust_decimal::Decimal::from(*i)),
                Some(Cell::Decimal(d)) => Some(*d),
                _ => None,
            };
            let counted = match self.ev.derived(c, row) {
                Some(row::Val::Int(i)) => Some(rust_decimal::Decimal::from(i)),
                Some(row::Val::Decimal(d)) => Some(d),
                _ => None,
            };
            if let (Some(w), Some(n)) = (written, counted)
                && w != n
            {
                let def = &self.tdef.columns[c];
                self.out.issues.push(DataIssue {
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
        if !key.is_empty()
            && let Some(first) = self.out.keys.first_or_insert(key, row.line)
        {
            self.out.issues.push(DataIssue {
                table: String::new(),
                row: row.line,
                column: self
                    .tdef
                    .key
                    .map_or_else(String::new, |k| self.tdef.columns[k].id.clone()),
                header: self
                    .tdef
                    .key
                    .map_or_else(String::new, |k| self.tdef.columns[k].header.clone()),
                value: key.to_string(),
                message: format!("mã «{key}» trùng với dòng {first}"),
                expected: "mỗi dòng một mã riêng".into(),
            });
        }
        let mut selected = false;
        let mut filled = false;
        for &a in &self.awards {
            let chosen = self.ev.proposed(a, row, &mut self.memo);
            selected |= chosen != Tri::False;
            if chosen != Tri::True {
                continue;
            }
            if self.keep != Keep::All
                && !self.whole[a]
                && self.ev.meets(a, row, &mut self.memo) == Tri::True
            {
                self.out.passed += 1;
                if self.keep == Keep::Rows {
                    self.out.passed_rows.push((row.line, a));
                }
                continue;
            }
            if !filled {
                filler.fill(row);
                filled = true;
            }
            let key = self
                .tdef
                .key
                .and_then(|k| row.texts.get(k))
                .map_or("", |s| s.as_str());
            let mut verdict = Tri::True;
            let clauses = self.plan.awards[a]
                .criteria
                .iter()
                .map(|c| {
                    let t = self.ev.cond(&c.cond, row, &mut self.memo);
                    verdict = verdict.and(t);
                    let observed =
                        (t != Tri::True).then(|| self.ev.explain(&c.cond, row, &mut self.memo));
                    ClauseResult {
                        verdict: t,
                        observed,
                    }
                })
                .collect();
            self.out.candidates.push(CandidateResult {
                row: row.line,
                key: key.to_string(),
                name: self
                    .name_col
                    .and_then(|c| row.texts.get(c))
                    .filter(|s| !s.is_empty())
                    .cloned(),
                award: a,
                verdict,
                clauses,
            });
        }
        if !selected {
            let proposed = self
                .proposal_cols
                .iter()
                .find_map(|&c| match row.cells.get(c) {
                    Some(Cell::Enum(v)) => Some((c, *v)),
                    _ => None,
                });
            if let Some((column, value)) = proposed {
                let key = self
                    .tdef
                    .key
                    .and_then(|k| row.texts.get(k))
                    .map_or("", |s| s.as_str());
                self.out.unchecked.push(Unchecked {
                    row: row.line,
                    key: key.to_string(),
                    table: self.table,
                    column,
                    value,
                });
            }
        }
        for (i, &r) in self.rates.iter().enumerate() {
            let rate = &self.plan.rates[r];
            let num = self.ev.cond(&rate.numerator, row, &mut self.memo);
            let den = self.ev.cond(&rate.denominator, row, &mut self.memo);
            if num == Tri::False && den == Tri::False {
                continue;
            }
            let group = row.texts.get(rate.group).map_or("", |s| s.as_str());
            let slot = match self.index[i].get(group) {
                Some(&s) => s,
                None => {
                    self.index[i].insert(group.into(), self.accs[i].len());
                    self.accs[i].push((group.into(), GroupAcc::default()));
                    self.accs[i].len() - 1
                }
            };
            let acc = &mut self.accs[i][slot].1;
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

    pub fn finish(mut self) -> Outcome {
        for (i, &r) in self.rates.iter().enumerate() {
            let rate = &self.plan.rates[r];
            for (group, acc) in std::mem::take(&mut self.accs[i]) {
                self.out.groups.push(GroupResult {
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
        self.out
    }
}

/// Reads every row of `reader` (a list of `table`) and evaluates it.
pub fn evaluate(
    plan: &Plan,
    table: TableId,
    reader: &mut TableReader,
    linked: &Linked,
    keep: Keep,
) -> Result<Outcome, DataError> {
    let mut te = TableEval::new(plan, table, linked, keep);
    reader.set_eager_texts(&te.eager_texts());
    let filler = reader.text_filler();
    let mut row = Row::default();
    while reader.read_row(&mut row, te.issues())? {
        te.row(&mut row, &filler);
    }
    Ok(te.finish())
}
