//! The evaluation of one list: a [`Judge`] evaluates rows into a
//! [`Partial`] (on any thread, a piece of the list at a time), a [`Tally`]
//! takes the partials in the list's order and keeps what the report needs.
//! Taken in order, the pieces give exactly what one pass over the list
//! gives: the same first row for a duplicate key, the same group order.

use super::groups::{GroupNumbers, prefetch};
use super::keyset::{KeyLog, key_hash};
use super::linked::{self, AggAcc, Linked};
use super::rate::{self, Counts};
use super::row::{self, Memo, RowEval};
use super::suspicious;
use super::{CandidateResult, ClauseResult, GroupResult, Keep, Outcome, Tri, Unchecked};
use crate::data::{Cell, DataError, DataIssue, Row, TableReader, TextFiller};
use crate::semantic::model::{
    AggKind, AwardId, ColIdx, Cond, Operand, Plan, TableDef, TableId, Type, Value,
};
use crate::syntax::ast::CmpOp;
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

/// The groups of one rate: their counts, and the rows that counted, kept
/// as a log in row order. Only the groups the report lists get their rows
/// sorted out, at the end: a national list has tens of thousands of
/// groups, and adding to a list of rows per group on every row costs a
/// cache miss a row.
#[derive(Default)]
struct RateTally {
    /// Group text → slot, in order of first appearance.
    index: HashMap<Arc<str>, usize>,
    groups: Vec<(Arc<str>, Counts)>,
    /// Per counting row: its slot and sides (see [`pack`]), and its row.
    log: Vec<(u32, u32)>,
}

/// Slots from here on are counted but not logged: their rows are not
/// listed (four bits of the packed word hold the two sides).
const UNLOGGED_SLOT: usize = 1 << 28;

/// A slot and a row's numerator and denominator in one word.
fn pack(slot: usize, num: Tri, den: Tri) -> Option<u32> {
    let bits = |t: Tri| match t {
        Tri::False => 0,
        Tri::True => 1,
        Tri::Unknown => 2,
    };
    (slot < UNLOGGED_SLOT).then(|| (slot as u32) << 4 | bits(num) << 2 | bits(den))
}

/// The slot and sides [`pack`] put in a word.
fn unpack(word: u32) -> (usize, Tri, Tri) {
    let tri = |b: u32| match b & 3 {
        1 => Tri::True,
        2 => Tri::Unknown,
        _ => Tri::False,
    };
    ((word >> 4) as usize, tri(word >> 2), tri(word))
}

/// A row that counts in a rate's group.
#[derive(Debug, Clone, Copy)]
struct GroupEvent {
    /// The group, by the judge's own number for it; until the judge
    /// looks its row's cell up, the cell's place among those waiting.
    group: u32,
    row: u64,
    num: Tri,
    den: Tri,
}

/// What the rows of one piece of a list gave; rows are numbered from the
/// piece's start until [`Tally::absorb`] shifts them.
#[derive(Debug, Clone, Default)]
pub struct Partial {
    /// The judge that wrote it.
    judge: usize,
    rows: u64,
    candidates: Vec<CandidateResult>,
    passed: u64,
    passed_rows: Vec<(u64, AwardId)>,
    unchecked: Vec<Unchecked>,
    issues: Vec<DataIssue>,
    /// Suspicious data (see [`super::suspicious`]).
    warnings: Vec<DataIssue>,
    /// A history table's rows: fingerprint and row.
    fingerprints: Vec<(u128, u64)>,
    /// Keys one after the other, and per key: its end in `key_text`, its
    /// hash and its row.
    key_text: String,
    keys: Vec<(u32, u64, u64)>,
    /// Per rate: the rows that count in a group.
    events: Vec<Vec<GroupEvent>>,
    /// Per group column: the groups the judge met for the first time in
    /// this piece, in the order of their numbers.
    new_groups: Vec<Vec<Arc<str>>>,
    links: Vec<(ColIdx, HashMap<String, Vec<u64>>)>,
    linked: Vec<(usize, HashMap<String, AggAcc>)>,
}

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

fn eager_texts(plan: &Plan, table: TableId) -> Vec<bool> {
    let t = &plan.tables[table];
    let read = super::reads::texts_read(plan, table);
    let mut eager: Vec<bool> = t
        .columns
        .iter()
        .zip(read)
        .map(|(c, read)| read || (c.needed && (c.link.is_some() || c.derived.is_some())))
        .collect();
    let mut mark = |c: ColIdx| {
        if let Some(e) = eager.get_mut(c) {
            *e = true;
        }
    };
    t.key.into_iter().for_each(&mut mark);
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

/// Evaluates rows into a [`Partial`]; one per thread.
#[derive(Clone)]
pub struct Judge<'p> {
    id: usize,
    ev: RowEval<'p>,
    plan: &'p Plan,
    table: TableId,
    keep: Keep,
    /// Awards whose passing candidates are kept whole whatever `keep` says.
    whole: Vec<bool>,
    /// A column whose rows are listed per value though it links nowhere
    /// (the unit column, for registered targets).
    people_by: Option<ColIdx>,
    awards: Vec<AwardId>,
    rates: Vec<usize>,
    tdef: &'p TableDef,
    /// The name shown beside the key: a person's or a collective's.
    name_col: Option<ColIdx>,
    unit_col: Option<ColIdx>,
    /// Per award, the titles above it ([`super::higher::above`]).
    above: Vec<Vec<AwardId>>,
    /// Per award: the columns whose texts its explanations may show.
    explained: Vec<Vec<ColIdx>>,
    proposal_cols: Vec<ColIdx>,
    derived_cols: Vec<ColIdx>,
    memo: Memo,
    /// Per group column: the judge's numbers for its groups.
    groups: Vec<GroupNumbers>,
    /// Per rate: which of `groups` (rates grouped by one column share
    /// their numbers).
    group_of_rate: Vec<usize>,
    /// Per rate: its first event whose group is still a place among the
    /// cells waiting in `groups` (see [`Judge::resolve_groups`]).
    unresolved: Vec<usize>,
    /// Per group column, this row's place among the cells waiting to be
    /// looked up, once filed (reused).
    seen: Vec<Option<u32>>,
    /// When every award selects its rows by one enum column's value
    /// (`where de_nghi = LDTT`, the usual shape): that column, and each
    /// award with its value.
    by_proposal: Option<(ColIdx, Vec<(AwardId, u16)>)>,
    /// The column holding a row's proposal (see [`Judge::proposal_column`]).
    proposal_col: Option<ColIdx>,
    /// Per rate: whether its numerator, its denominator counts proposals
    /// (names `proposed` or the proposal column) rather than people.
    counts_proposals: Vec<(bool, bool)>,
    part: Partial,
    /// The year column and the latest year a row may carry without a
    /// warning (see [`TableEval::set_current_year`]).
    latest_year: Option<(ColIdx, i64)>,
}

/// Whether `c` counts proposals: it names `proposed` or compares a
/// proposal column.
fn counts_proposals(c: &Cond, proposal_cols: &[ColIdx]) -> bool {
    let proposal = |o: &Operand| matches!(o, Operand::Column(col) if proposal_cols.contains(col));
    match c {
        Cond::Proposed(_) => true,
        Cond::Compare { lhs, rhs, .. } => proposal(lhs) || proposal(rhs),
        Cond::In { operand, .. } => proposal(operand),
        Cond::Not(x) => counts_proposals(x, proposal_cols),
        Cond::And(a, b) | Cond::Or(a, b) | Cond::Implies(a, b) => {
            counts_proposals(a, proposal_cols) || counts_proposals(b, proposal_cols)
        }
        Cond::AnyOf(bs) => bs.iter().any(|(b, _)| counts_proposals(b, proposal_cols)),
        _ => false,
    }
}

/// Writes the proposal `v` after a key in the key log (see
/// [`keyset::PROPOSAL_MARK`]).
fn push_proposal(text: &mut String, v: u16) {
    text.push(super::keyset::PROPOSAL_MARK);
    let mut digits = [0u8; 5];
    let mut n = v;
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        text.push(char::from(d));
    }
}

/// Whether a row is proposed for an award of its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Selected {
    /// For none: its proposal, if any, is unchecked.
    None,
    /// For none surely, but the proposal could not be read.
    Unreadable,
    /// For at least one.
    Some,
}

/// The column and values by which every award of `awards` selects its
/// rows, when each selects by `column = VALUE` on one enum column that is
/// read from the list (not counted from linked lists).
fn selection_by_value(
    plan: &Plan,
    tdef: &TableDef,
    awards: &[AwardId],
) -> Option<(ColIdx, Vec<(AwardId, u16)>)> {
    let mut column = None;
    let mut values = Vec::new();
    for &a in awards {
        let Cond::Compare {
            op: CmpOp::Eq,
            lhs: Operand::Column(c),
            rhs: Operand::Const(Value::Enum(k)),
        } = &plan.awards[a].selection
        else {
            return None;
        };
        if *column.get_or_insert(*c) != *c || tdef.columns.get(*c)?.derived.is_some() {
            return None;
        }
        values.push((a, *k));
    }
    Some((column?, values))
}

impl<'p> Judge<'p> {
    fn new(plan: &'p Plan, table: TableId, linked: &'p Linked, keep: Keep) -> Judge<'p> {
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
        let unit_col = super::unit_column(plan, table);
        let proposal_cols = proposal_columns(plan, &awards);
        let derived_cols: Vec<ColIdx> = (0..tdef.columns.len())
            .filter(|&c| tdef.columns[c].derived.is_some())
            .collect();
        let mut group_cols: Vec<ColIdx> = Vec::new();
        let group_of_rate = rates
            .iter()
            .map(|&r| {
                let c = plan.rates[r].group;
                group_cols.iter().position(|&g| g == c).unwrap_or_else(|| {
                    group_cols.push(c);
                    group_cols.len() - 1
                })
            })
            .collect();
        let proposal_col = selection_by_value(plan, tdef, &awards)
            .map(|(c, _)| c)
            .or_else(|| proposal_cols.first().copied());
        let counts_proposals = rates
            .iter()
            .map(|&r| {
                let rate = &plan.rates[r];
                (
                    counts_proposals(&rate.numerator, &proposal_cols),
                    counts_proposals(&rate.denominator, &proposal_cols),
                )
            })
            .collect();
        let mut judge = Judge {
            id: 0,
            proposal_col,
            counts_proposals,
            ev: RowEval::new(plan, table, linked),
            plan,
            table,
            keep,
            // A ballot waits or not according to the other candidates of
            // its award (see `ballot::settle`): they all stay listed.
            whole: plan
                .awards
                .iter()
                .map(|a| a.criteria.iter().any(|c| c.ballot))
                .collect(),
            people_by: None,
            groups: group_cols.iter().map(|&c| GroupNumbers::new(c)).collect(),
            group_of_rate,
            unresolved: vec![0; rates.len()],
            seen: Vec::new(),
            by_proposal: selection_by_value(plan, tdef, &awards),
            awards,
            rates,
            tdef,
            explained: super::reads::explained_columns(
                plan,
                table,
                &name_col.into_iter().chain(unit_col).collect::<Vec<_>>(),
            ),
            name_col,
            unit_col,
            above: super::higher::above(plan),
            proposal_cols,
            derived_cols,
            memo: Memo::new(plan.awards.len()),
            part: Partial::default(),
            latest_year: None,
        };
        judge.part = judge.empty_partial();
        judge
    }

    fn empty_partial(&self) -> Partial {
        Partial {
            judge: self.id,
            events: vec![Vec::new(); self.rates.len()],
            new_groups: vec![Vec::new(); self.groups.len()],
            links: link_maps(self.tdef, self.people_by),
            linked: linked::fed_by(self.plan, self.table),
            ..Partial::default()
        }
    }

    /// A judge like this one, for another thread, numbered `id`.
    pub fn another(&self, id: usize) -> Judge<'p> {
        let mut judge = self.clone();
        judge.id = id;
        judge.groups.iter_mut().for_each(GroupNumbers::clear);
        judge.part = judge.empty_partial();
        judge
    }

    /// What the rows since the last call gave.
    pub fn take(&mut self, filler: &TextFiller) -> Partial {
        self.resolve_groups(filler);
        self.unresolved.iter_mut().for_each(|u| *u = 0);
        // The next piece is sized like this one: growing its lists from
        // nothing again would copy them over and over.
        let mut fresh = self.empty_partial();
        let part = &self.part;
        fresh.candidates.reserve(part.candidates.len());
        fresh.key_text.reserve(part.key_text.len());
        fresh.keys.reserve(part.keys.len());
        for (mine, before) in fresh.events.iter_mut().zip(&part.events) {
            mine.reserve(before.len());
        }
        std::mem::replace(&mut self.part, fresh)
    }

    /// Evaluates a row; `filler` writes the texts its reader left out. A
    /// row that is another proposal of the row before (one cell naming
    /// several) counts as a proposal, not as a person again: it feeds no
    /// linked list and no side of a rate that counts people.
    pub fn row(&mut self, row: &mut Row, filler: &TextFiller) {
        self.memo.reset();
        if !row.alternative {
            self.person(row);
        }
        let key = self.key(row);
        if !key.is_empty() {
            let text = &mut self.part.key_text;
            text.push_str(key);
            if let Some(Cell::Enum(v)) = self.proposal_col.and_then(|c| row.cells.get(c)) {
                push_proposal(text, *v);
            }
            // Offsets are u32: past 4 GiB of keys in one piece, stop
            // recording (no piece comes near that).
            if let Ok(end) = u32::try_from(text.len()) {
                self.part.keys.push((end, key_hash(key), row.line));
            }
        }
        match self.judge_awards(row, filler) {
            Selected::None => self.note_unchecked(row),
            Selected::Unreadable => self.note_unreadable(row, filler),
            Selected::Some => {}
        }
        self.count_groups(row, filler);
    }

    /// What a row gives once per person: the count of rows, its links and
    /// what it feeds other tables' aggregates.
    fn person(&mut self, row: &Row) {
        self.part.rows += 1;
        for (c, seen) in &mut self.part.links {
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
        self.feed_aggregates(row);
        self.check_derived(row);
        self.check_suspicious(row);
    }

    /// A year after next year; for a history table, the row's fingerprint
    /// (a repeated row is found when the pieces come together).
    fn check_suspicious(&mut self, row: &Row) {
        if let Some((col, latest)) = self.latest_year
            && let Some(w) = suspicious::future_year(self.tdef, col, latest, row)
        {
            self.part.warnings.push(w);
        }
        if self.tdef.key.is_none() {
            self.part
                .fingerprints
                .push((suspicious::fingerprint(row), row.line));
        }
    }

    fn key<'r>(&self, row: &'r Row) -> &'r str {
        self.tdef
            .key
            .and_then(|k| row.texts.get(k))
            .map_or("", |s| s.as_str())
    }

    /// What the row gives the aggregates of other tables that count it.
    fn feed_aggregates(&mut self, row: &Row) {
        for (i, found) in &mut self.part.linked {
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
            // The years the list covers matter only to what counts years.
            if let Some(y) = year.filter(|_| def.kind != AggKind::Count || def.after.is_some()) {
                acc.dated.insert(y);
            }
            // A person is counted once, on the first of the rows a cell
            // naming several proposals gives: the filter holds when it
            // holds for one of them («LĐTT; CSTĐCS» is proposed CSTĐCS).
            let holds = if row.several.is_some() {
                self.ev.cond_person(&def.filter, row)
            } else {
                self.ev.cond(&def.filter, row, &mut self.memo)
            };
            match holds {
                Tri::True if def.kind != AggKind::Count && year.is_none() => {
                    acc.unknown_rows.push(row.line)
                }
                Tri::True => {
                    if let Some(v) = def.values_of.and_then(|c| row.texts.get(c)) {
                        for code in super::codes::codes(v) {
                            if !acc.values.contains(code) {
                                acc.values.insert(code.to_string());
                            }
                        }
                    }
                    acc.rows.push(row.line);
                    if let Some(y) = year {
                        *acc.years.entry(y).or_default() += 1;
                    }
                }
                Tri::Unknown => {
                    acc.unknown_rows.push(row.line);
                    if let Some(y) = year {
                        *acc.unknown_years.entry(y).or_default() += 1;
                    }
                }
                Tri::False => {}
            }
        }
    }

    /// A count written in the list must agree with the one counted from
    /// the linked list.
    fn check_derived(&mut self, row: &Row) {
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
                let mut issue = DataIssue {
                    letter: String::new(),
                    table: String::new(),
                    row: row.line,
                    column: def.id.clone(),
                    header: def.header.clone(),
                    value: row.texts.get(c).cloned().unwrap_or_default(),
                    message: format!("cột ghi {w}, nhưng đếm từ danh sách liên kết được {n}"),
                    expected: format!("{n} (số đếm được; báo cáo dùng số này)"),
                };
                match &def.derived {
                    // Worked out from a date on the row: the written number
                    // may count something else (months actually worked), so
                    // a warning, not an error.
                    Some(op) if !op.counts_linked() => {
                        let mut how = String::new();
                        self.ev.write_operand(&mut how, op, row);
                        issue.message = format!("cột ghi {w}, nhưng {how}");
                        issue.expected = format!("{n} (số tính được; báo cáo dùng số này)");
                        self.part.warnings.push(issue);
                    }
                    _ => self.part.issues.push(issue),
                }
            }
        }
    }

    /// One look at the proposal column settles every award's selection,
    /// as [`RowEval::proposed`] would find it award by award.
    fn propose_by_value(&mut self, row: &Row) {
        let Some((column, values)) = &self.by_proposal else {
            return;
        };
        // The cell read once, then compared as each award's `where` would
        // (a blank or invalid cell by `compare` itself).
        let cell = self.ev.cell(*column, row);
        for &(a, k) in values {
            let t = match cell {
                row::Val::Enum(x) => Tri::from_bool(x == k),
                _ => row::compare(CmpOp::Eq, cell, row::Val::Enum(k)),
            };
            self.memo.set_proposed(a, t);
        }
    }

    /// Judges the row for every award it is proposed for; says whether
    /// some award selects it.
    fn judge_awards(&mut self, row: &mut Row, filler: &TextFiller) -> Selected {
        self.propose_by_value(row);
        let mut selected = Selected::None;
        for &a in &self.awards {
            let chosen = self.ev.proposed(a, row, &mut self.memo);
            match chosen {
                Tri::True => selected = Selected::Some,
                Tri::Unknown if selected == Selected::None => selected = Selected::Unreadable,
                _ => {}
            }
            if chosen != Tri::True {
                continue;
            }
            if self.keep != Keep::All
                && !self.whole[a]
                && self.ev.meets(a, row, &mut self.memo) == Tri::True
            {
                self.part.passed += 1;
                if self.keep == Keep::Rows {
                    self.part.passed_rows.push((row.line, a));
                }
                continue;
            }
            filler.fill_columns(row, self.explained[a].iter().copied());
            let mut verdict = Tri::True;
            let mut awaiting = false;
            let clauses: Box<[ClauseResult]> = self.plan.awards[a]
                .criteria
                .iter()
                .map(|c| {
                    let t = self.ev.cond(&c.cond, row, &mut self.memo);
                    let pending = c.ballot
                        && t == Tri::Unknown
                        && super::ballot::blank_only(self.plan, c, row);
                    if pending {
                        awaiting = true;
                    } else {
                        verdict = verdict.and(t);
                    }
                    // The vote is shown whatever its verdict; a clause that
                    // holds thanks to this year's own row (`now C`) says so.
                    let observed = if c.ballot {
                        Some(super::ballot::observed(
                            self.plan,
                            self.table,
                            c,
                            row,
                            pending,
                            || self.ev.explain(&c.cond, row, &mut self.memo),
                        ))
                    } else {
                        (t != Tri::True || self.ev.rests_on_now(&c.cond, row))
                            .then(|| self.ev.explain(&c.cond, row, &mut self.memo))
                    }
                    .map(String::into_boxed_str);
                    ClauseResult {
                        verdict: t,
                        observed,
                        pending,
                    }
                })
                .collect();
            #[cfg(debug_assertions)]
            assert_explained_alike(&self.ev, &mut self.memo, a, row, filler, &clauses);
            // Only a full report names who meets a higher title: a
            // `--failing` one lists no passing candidate to attach it to.
            let higher = if verdict == Tri::True && self.keep == Keep::All {
                super::higher::met(
                    &self.ev,
                    self.plan,
                    &self.above[a],
                    &self.above,
                    row,
                    &mut self.memo,
                )
            } else {
                Box::default()
            };
            self.part.candidates.push(CandidateResult {
                row: row.line,
                key: self.key(row).into(),
                name: self
                    .name_col
                    .and_then(|c| row.texts.get(c))
                    .filter(|s| !s.is_empty())
                    .map(|s| s.as_str().into()),
                unit: self
                    .unit_col
                    .and_then(|c| row.texts.get(c))
                    .filter(|s| !s.is_empty())
                    .map(|s| s.as_str().into()),
                award: a,
                verdict,
                awaiting,
                clauses,
                higher,
            });
        }
        selected
    }

    /// A row whose proposal cannot be read (its `where` is unknown for
    /// some award, true for none): still a candidate, of an unknown award.
    fn note_unreadable(&mut self, row: &mut Row, filler: &TextFiller) {
        // A list without the proposal column proposes nothing.
        let column = self
            .proposal_cols
            .iter()
            .copied()
            .find(|&c| matches!(row.cells.get(c), Some(Cell::Invalid)));
        let Some(column) = column else { return };
        let mut cols = vec![column];
        cols.extend(self.name_col);
        cols.extend(self.unit_col);
        filler.fill_columns(row, cols);
        let text = row.texts.get(column).map_or("", |s| s.as_str());
        self.part.unchecked.push(Unchecked {
            row: row.line,
            key: self.key(row).to_string(),
            table: self.table,
            column,
            value: 0,
            unreadable: Some(text.into()),
            name: self
                .name_col
                .and_then(|c| row.texts.get(c))
                .filter(|s| !s.is_empty())
                .map(|s| s.as_str().into()),
            unit: self
                .unit_col
                .and_then(|c| row.texts.get(c))
                .filter(|s| !s.is_empty())
                .map(|s| s.as_str().into()),
        });
    }

    /// A row with a proposal that no award selects.
    fn note_unchecked(&mut self, row: &Row) {
        let proposed = self
            .proposal_cols
            .iter()
            .find_map(|&c| match row.cells.get(c) {
                Some(Cell::Enum(v)) => Some((c, *v)),
                _ => None,
            });
        if let Some((column, value)) = proposed {
            self.part.unchecked.push(Unchecked {
                row: row.line,
                key: self.key(row).to_string(),
                table: self.table,
                column,
                value,
                unreadable: None,
                name: None,
                unit: None,
            });
        }
    }

    fn count_groups(&mut self, row: &Row, filler: &TextFiller) {
        // Rates grouped by one column look its value up once a row.
        let mut seen = std::mem::take(&mut self.seen);
        seen.clear();
        seen.resize(self.groups.len(), None);
        for i in 0..self.rates.len() {
            let rate = &self.plan.rates[self.rates[i]];
            let (num_proposals, den_proposals) = self.counts_proposals[i];
            let side = |counts_proposals: bool, cond, ev: &RowEval, memo: &mut Memo| {
                if row.alternative && !counts_proposals {
                    // The person was counted on the row before.
                    Tri::False
                } else {
                    ev.cond(cond, row, memo)
                }
            };
            let num = side(num_proposals, &rate.numerator, &self.ev, &mut self.memo);
            let den = side(den_proposals, &rate.denominator, &self.ev, &mut self.memo);
            if num == Tri::False && den == Tri::False {
                continue;
            }
            let c = self.group_of_rate[i];
            let group = match seen[c] {
                Some(g) => g,
                None => {
                    let g = self.groups[c].defer(row, filler);
                    seen[c] = Some(g);
                    g
                }
            };
            self.part.events[i].push(GroupEvent {
                group,
                row: row.line,
                num,
                den,
            });
        }
        self.seen = seen;
        if self
            .groups
            .iter()
            .any(|g| g.waiting() >= GROUPS_LOOKED_UP_AT_ONCE)
        {
            self.resolve_groups(filler);
        }
    }

    /// Looks up the groups of the cells waiting, and writes them into the
    /// events that held each one's place.
    fn resolve_groups(&mut self, filler: &TextFiller) {
        for (c, numbers) in self.groups.iter_mut().enumerate() {
            let found = numbers.resolve(filler, &mut self.part.new_groups[c]);
            // The events of every rate grouped by this column.
            for (i, events) in self.part.events.iter_mut().enumerate() {
                if self.group_of_rate[i] != c {
                    continue;
                }
                for e in &mut events[self.unresolved[i]..] {
                    e.group = found[e.group as usize];
                }
                self.unresolved[i] = events.len();
            }
        }
    }
}

/// How many events ahead [`Tally::absorb`] asks for a group's slot (and
/// half as many for its counts).
const COUNTS_AHEAD: usize = 16;

/// Rows whose groups a judge looks up together: enough for their cache
/// misses to overlap, few enough for their cells to stay in the cache.
const GROUPS_LOOKED_UP_AT_ONCE: usize = 64;

/// The explanations of `clauses` of award `a` are those the whole row's
/// texts give: no column an explanation shows was left out of
/// [`Judge::explained`]. (Debug builds, hence every test, check it.)
#[cfg(debug_assertions)]
fn assert_explained_alike(
    ev: &RowEval,
    memo: &mut Memo,
    a: AwardId,
    row: &Row,
    filler: &TextFiller,
    clauses: &[ClauseResult],
) {
    let mut whole = row.clone();
    filler.fill(&mut whole);
    for (c, clause) in ev.plan.awards[a].criteria.iter().zip(clauses) {
        // A ballot's own text reads numbers only, never texts left out.
        if let Some(observed) = clause.observed.as_ref().filter(|_| !c.ballot) {
            let full = ev.explain(&c.cond, &whole, memo);
            assert_eq!(observed.as_ref(), full, "award {a}, row {}", row.line);
        }
    }
}

/// An empty map of values to rows for each link column of `tdef`.
fn link_maps(
    tdef: &TableDef,
    people_by: Option<ColIdx>,
) -> Vec<(ColIdx, HashMap<String, Vec<u64>>)> {
    (0..tdef.columns.len())
        .filter(|&c| tdef.columns[c].link.is_some() || people_by == Some(c))
        .map(|c| (c, HashMap::default()))
        .collect()
}

/// A judge's groups as the tally knows them.
#[derive(Default)]
struct JudgeGroups {
    /// Per group column: the text of each of the judge's groups.
    names: Vec<Vec<Arc<str>>>,
    /// Per rate: the tally's slot of each, once seen.
    slots: Vec<Vec<Option<usize>>>,
}

/// Takes the partials of a list in order; keeps what the report needs.
pub struct Tally<'p> {
    /// A history table's rows by fingerprint: the first row of each.
    first_rows: HashMap<u128, u64>,
    plan: &'p Plan,
    tdef: &'p TableDef,
    proposal_col: Option<ColIdx>,
    /// Per rate, as the judges have it.
    counts_proposals: Vec<(bool, bool)>,
    rates: Vec<usize>,
    keep: Keep,
    out: Outcome,
    keys: KeyLog,
    /// Per rate.
    tallies: Vec<RateTally>,
    judges: Vec<JudgeGroups>,
    group_of_rate: Vec<usize>,
}

impl<'p> Tally<'p> {
    fn new(judge: &Judge<'p>) -> Tally<'p> {
        let n = judge.rates.len();
        Tally {
            first_rows: HashMap::default(),
            plan: judge.plan,
            tdef: judge.tdef,
            proposal_col: judge.proposal_col,
            counts_proposals: judge.counts_proposals.clone(),
            rates: judge.rates.clone(),
            keep: judge.keep,
            out: Outcome {
                linked: linked::fed_by(judge.plan, judge.table),
                links: link_maps(judge.tdef, judge.people_by),
                ..Outcome::default()
            },
            keys: KeyLog::default(),
            tallies: (0..n).map(|_| RateTally::default()).collect(),
            judges: Vec::new(),
            group_of_rate: judge.group_of_rate.clone(),
        }
    }

    /// Makes room for the keys of `rows` rows in all, guessing their size
    /// from the keys seen so far.
    pub fn expect_rows(&mut self, rows: u64) {
        let keys = &mut self.keys;
        let seen = keys.len().max(1);
        let more = usize::try_from(rows)
            .unwrap_or(0)
            .saturating_sub(keys.len());
        keys.reserve(more, keys.bytes() / seen * more);
    }

    /// Problems found while reading the list, numbered as in the file.
    pub fn issues(&mut self) -> &mut Vec<DataIssue> {
        &mut self.out.issues
    }

    /// Takes the next piece's partial; `base` is the row number before the
    /// piece's first row.
    pub fn absorb(&mut self, part: Partial, base: u64) {
        let shift = |r: u64| r + base;
        let out = &mut self.out;
        out.rows += part.rows;
        out.passed += part.passed;
        out.passed_rows
            .extend(part.passed_rows.into_iter().map(|(r, a)| (shift(r), a)));
        out.candidates
            .extend(part.candidates.into_iter().map(|mut c| {
                c.row = shift(c.row);
                c
            }));
        out.unchecked
            .extend(part.unchecked.into_iter().map(|mut u| {
                u.row = shift(u.row);
                u
            }));
        out.issues.extend(part.issues.into_iter().map(|mut i| {
            i.row = shift(i.row);
            i
        }));
        out.warnings.extend(part.warnings.into_iter().map(|mut i| {
            i.row = shift(i.row);
            i
        }));
        for (print, row) in part.fingerprints {
            let row = shift(row);
            match self.first_rows.get(&print) {
                Some(&first) => out.warnings.push(suspicious::duplicate_row(row, first)),
                None => {
                    self.first_rows.insert(print, row);
                }
            }
        }
        let mut start = 0;
        for &(end, hash, row) in &part.keys {
            let key = part.key_text.get(start..end as usize).unwrap_or("");
            start = end as usize;
            self.keys.push(key, hash, shift(row));
        }
        for ((_, mine), (_, found)) in out.links.iter_mut().zip(part.links) {
            for (value, rows) in found {
                mine.entry(value)
                    .or_default()
                    .extend(rows.into_iter().map(shift));
            }
        }
        for ((_, mine), (_, found)) in out.linked.iter_mut().zip(part.linked) {
            for (key, acc) in found {
                mine.entry(key).or_default().absorb(acc, base);
            }
        }
        self.absorb_groups(part.judge, part.new_groups, part.events, base);
    }

    fn absorb_groups(
        &mut self,
        judge: usize,
        new_groups: Vec<Vec<Arc<str>>>,
        events: Vec<Vec<GroupEvent>>,
        base: u64,
    ) {
        if self.judges.len() <= judge {
            self.judges.resize_with(judge + 1, JudgeGroups::default);
        }
        let known = &mut self.judges[judge];
        known.names.resize_with(new_groups.len(), Vec::new);
        known.slots.resize_with(self.rates.len(), Vec::new);
        for (names, new) in known.names.iter_mut().zip(new_groups) {
            names.extend(new);
        }
        for (i, events) in events.into_iter().enumerate() {
            let names = &known.names[self.group_of_rate[i]];
            let slots = &mut known.slots[i];
            slots.resize(names.len(), None);
            let tally = &mut self.tallies[i];
            tally.log.reserve(events.len());
            for (k, &e) in events.iter().enumerate() {
                // A national list's groups do not fit in the cache: ask for
                // the slots and counts of the events a little ahead.
                let slot_of = |k: usize| events.get(k).and_then(|a| slots.get(a.group as usize));
                if let Some(slot) = slot_of(k + COUNTS_AHEAD) {
                    prefetch(slot);
                }
                if let Some(counts) =
                    slot_of(k + COUNTS_AHEAD / 2).and_then(|s| s.and_then(|s| tally.groups.get(s)))
                {
                    prefetch(counts);
                }
                let g = e.group as usize;
                let slot = *slots[g].get_or_insert_with(|| {
                    let text = &names[g];
                    *tally.index.entry(text.clone()).or_insert_with(|| {
                        tally.groups.push((text.clone(), Counts::default()));
                        tally.groups.len() - 1
                    })
                });
                let c = &mut tally.groups[slot].1;
                count(e.num, &mut c.num_true, &mut c.num_unknown);
                count(e.den, &mut c.den_true, &mut c.den_unknown);
                // Rows past u32 are counted, not listed.
                if let (Some(word), Ok(row)) =
                    (pack(slot, e.num, e.den), u32::try_from(e.row + base))
                {
                    tally.log.push((word, row));
                }
            }
        }
    }

    /// The outcome, issues in row order (for one row: reading problems,
    /// then the evaluation's, as they were found). With `threads` > 1, a
    /// large list's keys are sorted on a second thread meanwhile.
    pub fn finish(mut self, threads: usize) -> Outcome {
        // The names are shared with the maps: free those first.
        self.judges.clear();
        let keys = std::mem::take(&mut self.keys);
        let unrecorded = keys.unrecorded();
        let (keys, repeats) = if threads > 1 && keys.len() >= SEAL_APART {
            std::thread::scope(|scope| {
                let sealing = scope.spawn(move || keys.seal());
                self.list_groups();
                sealing
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e))
            })
        } else {
            self.list_groups();
            keys.seal()
        };
        self.out.keys = keys;
        let tdef = self.tdef;
        let plan = self.plan;
        let label = |v: u16| {
            let col = self.proposal_col.and_then(|c| tdef.columns.get(c))?;
            match col.ty {
                Type::Enum(e) => plan.enums.get(e)?.values.get(usize::from(v)),
                _ => None,
            }
            .map(|v| v.label.as_str())
        };
        // A person's row for another proposal is no error, but where the
        // rule set counts people, it counts the person once more.
        let fed = self.out.linked.iter().any(|(_, found)| !found.is_empty());
        let counted_in: Vec<&str> = self
            .rates
            .iter()
            .zip(&self.counts_proposals)
            .filter(|(_, (num, den))| !(*num && *den))
            .map(|(&r, _)| self.plan.rates[r].label.as_str())
            .collect();
        self.out.issues.extend(repeats.iter().filter_map(|r| {
            let proposal = r.proposal.and_then(label);
            if r.same_proposal {
                Some(duplicate_key(tdef, &r.key, proposal, r.row, r.first))
            } else if fed || !counted_in.is_empty() {
                Some(counted_twice(
                    tdef,
                    &r.key,
                    r.row,
                    r.first,
                    &counted_in,
                    fed,
                ))
            } else {
                None
            }
        }));
        self.out
            .issues
            .extend(unrecorded.map(|row| keys_unchecked_from(tdef, row)));
        self.out.issues.sort_by_key(|i| i.row);
        self.out.warnings.sort_by_key(|i| i.row);
        super::ballot::settle(plan, &mut self.out);
        self.out
    }

    /// Each rate's groups as the outcome lists them.
    fn list_groups(&mut self) {
        for (i, &r) in self.rates.iter().enumerate() {
            let rate = &self.plan.rates[r];
            let RateTally { index, groups, log } = std::mem::take(&mut self.tallies[i]);
            drop(index);
            let verdicts: Vec<Tri> = groups
                .iter()
                .map(|(_, c)| rate::verdict(rate.op, rate.share, rate.rounding, *c))
                .collect();
            // What the report lists: every group, or only those that fail,
            // are unknown, or would change with the other rounding.
            let listed: Vec<bool> = groups
                .iter()
                .zip(&verdicts)
                .map(|((_, c), &v)| {
                    self.keep != Keep::NotPassing
                        || v != Tri::True
                        || rate::borderline(rate.op, rate.share, rate.rounding, *c, v).is_some()
                })
                .collect();
            let mut rows = group_rows(&log, &listed);
            drop(log);
            for (slot, ((group, counts), verdict)) in groups.into_iter().zip(verdicts).enumerate() {
                let (numerator_rows, denominator_rows, unknown_rows) =
                    std::mem::take(&mut rows[slot]);
                self.out.groups.push(GroupResult {
                    rate: r,
                    group: group.to_string(),
                    verdict,
                    counts,
                    numerator_rows,
                    denominator_rows,
                    unknown_rows,
                });
            }
        }
    }
}

/// Per group: its numerator, denominator and unknown rows from `log`, for
/// the `listed` groups only (each list made at its size at once).
fn group_rows(log: &[(u32, u32)], listed: &[bool]) -> Vec<(Vec<u32>, Vec<u32>, Vec<u32>)> {
    let mut sizes = vec![[0usize; 3]; listed.len()];
    let sides = |word: u32| {
        let (slot, num, den) = unpack(word);
        let unknown = num == Tri::Unknown || den == Tri::Unknown;
        (slot, [num == Tri::True, den == Tri::True, unknown])
    };
    for &(word, _) in log {
        let (slot, on) = sides(word);
        if listed[slot] {
            for (n, on) in sizes[slot].iter_mut().zip(on) {
                *n += usize::from(on);
            }
        }
    }
    let mut rows: Vec<(Vec<u32>, Vec<u32>, Vec<u32>)> = sizes
        .iter()
        .map(|&[n, d, u]| {
            (
                Vec::with_capacity(n),
                Vec::with_capacity(d),
                Vec::with_capacity(u),
            )
        })
        .collect();
    for &(word, row) in log {
        let (slot, [num, den, unknown]) = sides(word);
        if listed[slot] {
            let (n, d, u) = &mut rows[slot];
            [(num, n), (den, d), (unknown, u)]
                .into_iter()
                .filter(|(on, _)| *on)
                .for_each(|(_, list)| list.push(row));
        }
    }
    rows
}

/// Counts one side (numerator or denominator) of a rate for a row.
fn count(t: Tri, sure: &mut u64, unknown: &mut u64) {
    match t {
        Tri::True => *sure += 1,
        Tri::Unknown => *unknown += 1,
        Tri::False => {}
    }
}

/// A key already seen on row `first`.
fn duplicate_key(
    tdef: &TableDef,
    key: &str,
    proposal: Option<&str>,
    row: u64,
    first: u64,
) -> DataIssue {
    match proposal {
        Some(p) => key_issue(
            tdef,
            row,
            key,
            if row == first {
                format!("«{key}» được đề nghị «{p}» hai lần trong cùng một ô")
            } else {
                format!("«{key}» được đề nghị «{p}» hai lần: dòng {first} và dòng này")
            },
            "mỗi người một đề nghị cho mỗi danh hiệu, hình thức",
        ),
        None => key_issue(
            tdef,
            row,
            key,
            format!("mã «{key}» trùng với dòng {first}"),
            "mỗi dòng một mã riêng; một người được đề nghị nhiều danh hiệu, hình thức \
             thì mỗi dòng một đề nghị khác nhau",
        ),
    }
}

/// A person on a second row, for another proposal, where the rule set
/// counts people: the count takes the person twice.
fn counted_twice(
    tdef: &TableDef,
    key: &str,
    row: u64,
    first: u64,
    rates: &[&str],
    members: bool,
) -> DataIssue {
    let mut counts: Vec<String> = rates.iter().map(|r| format!("«{r}»")).collect();
    if members {
        counts.push("số thành viên của tập thể".to_string());
    }
    key_issue(
        tdef,
        row,
        key,
        format!(
            "«{key}» cũng có ở dòng {first} (đề nghị khác): khi đếm số người ({}), \
             người này được đếm hai lần",
            counts.join(", ")
        ),
        "các đề nghị của một người ghi trong cùng một ô, ví dụ «CSTĐCS; Giấy khen»",
    )
}

/// The keys of `row` and after were not checked for repeats: the list is
/// past what one check records (4 GiB of keys or 4 billion rows).
fn keys_unchecked_from(tdef: &TableDef, row: u64) -> DataIssue {
    key_issue(
        tdef,
        row,
        "",
        "từ dòng này, mã không được dò trùng: danh sách vượt quá \
         4 GiB mã hoặc 4 tỷ dòng trong một lần kiểm tra"
            .into(),
        "danh sách nhỏ hơn: chia thành nhiều tệp",
    )
}

/// A problem with the key column's cell `value` on `row`.
fn key_issue(tdef: &TableDef, row: u64, value: &str, message: String, expected: &str) -> DataIssue {
    let col = tdef.key.map(|k| &tdef.columns[k]);
    DataIssue {
        letter: String::new(),
        table: String::new(),
        row,
        column: col.map_or_else(String::new, |c| c.id.clone()),
        header: col.map_or_else(String::new, |c| c.header.clone()),
        value: value.to_string(),
        message,
        expected: expected.into(),
    }
}

/// Keys from which [`Tally::finish`] sorts them on a thread of their own.
const SEAL_APART: usize = 1 << 16;

/// Rows a [`TableEval`] evaluates before it hands them to its tally.
const FLUSH: u64 = 4096;

/// Evaluates the rows of one list of `table` on one thread, as they are
/// read.
pub struct TableEval<'p> {
    judge: Judge<'p>,
    tally: Tally<'p>,
}

impl<'p> TableEval<'p> {
    pub fn new(plan: &'p Plan, table: TableId, linked: &'p Linked, keep: Keep) -> TableEval<'p> {
        let judge = Judge::new(plan, table, linked, keep);
        let tally = Tally::new(&judge);
        TableEval { judge, tally }
    }

    /// Columns whose text is read on every row (see [`TableReader::set_eager_texts`]).
    pub fn eager_texts(&self) -> Vec<bool> {
        let mut eager = eager_texts(self.judge.plan, self.judge.table);
        if let Some(e) = self.judge.people_by.and_then(|c| eager.get_mut(c)) {
            *e = true;
        }
        eager
    }

    /// Lists the rows (people) per value of column `col` in the outcome's
    /// `links`, though the column links nowhere: the people of each unit,
    /// for registered targets. Call before any row.
    pub fn count_people_by(&mut self, col: ColIdx) {
        if self
            .judge
            .tdef
            .columns
            .get(col)
            .is_none_or(|c| c.link.is_some())
        {
            return;
        }
        self.judge.people_by = Some(col);
        self.judge.part = self.judge.empty_partial();
        self.tally.out.links = link_maps(self.judge.tdef, Some(col));
    }

    /// The column holding a row's proposal, if the table's awards select
    /// rows by one: a cell there may name several proposals (see
    /// [`TableReader::set_split_column`]).
    pub fn proposal_column(&self) -> Option<ColIdx> {
        self.judge.proposal_col
    }

    /// Tells the evaluation which columns its list lacks (by ColIdx): the
    /// explanations of criteria reading them say so.
    pub fn set_absent_columns(&mut self, cols: &[ColIdx]) {
        let n = self.judge.tdef.columns.len();
        let absent: Vec<bool> = (0..n).map(|c| cols.contains(&c)).collect();
        self.judge.ev.absent = absent.into();
    }

    /// The year the check runs in: a row dated after the next year gets a
    /// warning (set before [`judge`](Self::judge) makes other judges).
    pub fn set_current_year(&mut self, year: i32) {
        self.judge.latest_year = self
            .judge
            .tdef
            .year
            .map(|c| (c, suspicious::latest_year(year)));
    }

    /// Keeps every candidate of `award` whole, passing or not.
    pub fn keep_whole(&mut self, award: AwardId) {
        if let Some(w) = self.judge.whole.get_mut(award) {
            *w = true;
        }
    }

    /// Problems found while reading the list (they belong to the outcome).
    pub fn issues(&mut self) -> &mut Vec<DataIssue> {
        self.tally.issues()
    }

    /// Evaluates a row; `filler` writes the texts its reader left out.
    pub fn row(&mut self, row: &mut Row, filler: &TextFiller) {
        self.judge.row(row, filler);
        if self.judge.part.rows >= FLUSH {
            self.tally.absorb(self.judge.take(filler), 0);
        }
    }

    /// A judge for another thread, numbered `id` (from 1: 0 is this
    /// one's); what it gives goes to [`absorb`](Self::absorb).
    pub fn judge(&self, id: usize) -> Judge<'p> {
        self.judge.another(id)
    }

    /// Makes room for `rows` rows in all (a guess from the file's size).
    pub fn expect_rows(&mut self, rows: u64) {
        self.tally.expect_rows(rows);
    }

    /// Takes, in the list's order, what the judges gave; `base` is the row
    /// number before the piece's first row.
    pub fn absorb(&mut self, part: Partial, base: u64) {
        self.tally.absorb(part, base);
    }

    /// The outcome; `threads` may share the last sorting out. `filler` is
    /// the one the rows were judged with.
    pub fn finish(self, threads: usize, filler: &TextFiller) -> Outcome {
        let TableEval {
            mut judge,
            mut tally,
        } = self;
        tally.absorb(judge.take(filler), 0);
        drop(judge);
        tally.finish(threads)
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
    // A cell naming several proposals is read as `tdkt check` reads it.
    reader.set_split_column(te.proposal_column());
    let filler = reader.text_filler();
    let mut row = Row::default();
    while reader.read_row(&mut row, te.issues())? {
        te.row(&mut row, &filler);
    }
    Ok(te.finish(1, &filler))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_look_at_the_proposal_gives_each_selection() {
        // For every cell a proposal column can hold, in an optional and a
        // required column, the memo set from one look equals what each
        // award's `where` finds.
        for ty in ["DeNghi?", "DeNghi"] {
            let text = format!(
                "rules \"t\" effective 2025-01-01\n\
                 enum DeNghi {{\n  A = \"Loại A\"\n  B = \"Loại B\"\n}}\n\
                 table t \"T\" key ma {{\n  ma text \"Mã\"\n  de_nghi {ty} \"Đề nghị\"\n}}\n\
                 award A \"A\" for t where de_nghi = A {{\n  require x: ma is not none \"x\"\n}}\n\
                 award B \"B\" for t where de_nghi = B {{\n  require x: ma is not none \"x\"\n}}\n"
            );
            let rules = crate::semantic::load_text("t.tdkt", &text, &[]).unwrap();
            let linked = Linked::default();
            let mut judge = Judge::new(&rules.plan, 0, &linked, Keep::All);
            assert!(judge.by_proposal.is_some(), "{ty}");
            for cell in [Cell::Enum(0), Cell::Enum(1), Cell::Blank, Cell::Invalid] {
                let row = Row {
                    cells: vec![Cell::Text, cell.clone()],
                    texts: vec!["1".into(), String::new()],
                    ..Row::default()
                };
                judge.memo.reset();
                judge.propose_by_value(&row);
                for a in 0..2 {
                    let mut fresh = Memo::new(2);
                    assert_eq!(
                        judge.ev.proposed(a, &row, &mut judge.memo),
                        judge.ev.proposed(a, &row, &mut fresh),
                        "{ty}, {cell:?}, award {a}"
                    );
                }
            }
        }
    }

    #[test]
    fn rows_whose_keys_are_not_recorded_are_a_data_issue() {
        let text = "rules \"t\" effective 2025-01-01\n\
                    table t \"T\" key ma {\n  ma text \"Mã\"\n}\n";
        let rules = crate::semantic::load_text("t.tdkt", text, &[]).unwrap();
        let table = &rules.plan.tables[0];
        let mut reader =
            TableReader::from_bytes("t.csv", "Mã\nA\nB\nA\n".into(), table, &[]).unwrap();
        let linked = Linked::default();
        let mut te = TableEval::new(&rules.plan, 0, &linked, Keep::All);
        reader.set_eager_texts(&te.eager_texts());
        let filler = reader.text_filler();
        let mut judge = te.judge(1);
        let (mut row, mut issues) = (Row::default(), Vec::new());
        while reader.read_row(&mut row, &mut issues).unwrap() {
            judge.row(&mut row, &filler);
        }
        // As if these rows came after four billion others.
        let base = u64::from(u32::MAX);
        te.absorb(judge.take(&filler), base);
        let outcome = te.finish(1, &filler);
        let said: Vec<(u64, &str)> = outcome
            .issues
            .iter()
            .map(|i| (i.row, i.column.as_str()))
            .collect();
        // The first row under the header is row 2; no repeat is reported.
        assert_eq!(said, vec![(base + 2, "ma")], "{:?}", outcome.issues);
        assert!(outcome.issues[0].message.contains("không được dò trùng"));
    }

    #[test]
    fn packed_words_give_back_slot_and_sides() {
        let sides = [Tri::False, Tri::True, Tri::Unknown];
        for slot in [0, 1, 4095, UNLOGGED_SLOT - 1] {
            for num in sides {
                for den in sides {
                    let word = pack(slot, num, den).unwrap();
                    assert_eq!(unpack(word), (slot, num, den));
                }
            }
        }
        assert_eq!(pack(UNLOGGED_SLOT, Tri::True, Tri::True), None);
    }

    #[test]
    fn rows_of_listed_groups_only_in_row_order() {
        let w = |slot, num, den| pack(slot, num, den).unwrap();
        let log = [
            (w(1, Tri::True, Tri::True), 2),
            (w(0, Tri::False, Tri::True), 3),
            (w(1, Tri::Unknown, Tri::True), 5),
            (w(1, Tri::False, Tri::Unknown), 8),
            (w(0, Tri::True, Tri::True), 9),
        ];
        let rows = group_rows(&log, &[false, true]);
        assert_eq!(rows[0], (vec![], vec![], vec![]));
        assert_eq!(rows[1], (vec![2], vec![2, 5], vec![5, 8]));
        let rows = group_rows(&log, &[true, true]);
        assert_eq!(rows[0], (vec![9], vec![3, 9], vec![]));
    }
}
