//! Several tables in one check: rows of one table (members, history) feed
//! the aggregates that rows of another read (`count(…)`, `streak(…)`).
//! Source tables are evaluated first; what they give is kept per key.

use super::Outcome;
use crate::data::{DataError, DataIssue, Row, TableReader};
use crate::semantic::model::{AggKind, ColIdx, Cond, Plan, TableId};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::{BTreeMap, BTreeSet};

/// What the rows linked to one key gave one aggregate.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AggAcc {
    /// Rows where the `where` condition holds.
    pub rows: Vec<u64>,
    /// Rows linked to the key, whatever the condition.
    pub total: u64,
    /// Rows where the condition could not be decided.
    pub unknown_rows: Vec<u64>,
    /// Years with rows where the condition holds, and how many.
    pub years: BTreeMap<i64, u64>,
    /// Years of the undecided rows that have one, and how many.
    pub unknown_years: BTreeMap<i64, u64>,
    /// For `x in S.c`: the values of `c` in the linked rows.
    pub values: HashSet<String>,
    /// Years of the linked rows, whatever the condition.
    pub dated: BTreeSet<i64>,
}

impl AggAcc {
    /// Adds what a later piece of the list gave; its rows are numbered
    /// from `base`.
    pub fn absorb(&mut self, later: AggAcc, base: u64) {
        self.rows.extend(later.rows.into_iter().map(|r| r + base));
        self.total += later.total;
        self.unknown_rows
            .extend(later.unknown_rows.into_iter().map(|r| r + base));
        for (year, n) in later.years {
            *self.years.entry(year).or_default() += n;
        }
        for (year, n) in later.unknown_years {
            *self.unknown_years.entry(year).or_default() += n;
        }
        self.values.extend(later.values);
        self.dated.extend(later.dated);
    }
}

/// Per aggregate of the plan: `None` when its source table was not given.
#[derive(Debug, Clone, Default)]
pub struct Linked {
    by_aggregate: Vec<Option<HashMap<String, AggAcc>>>,
    /// Per aggregate: the years in which its source list has a row of
    /// anyone (the years the list covers).
    covered: Vec<BTreeSet<i64>>,
    /// For `unique(col)`: each value of the column and the rows holding it.
    values: HashMap<(TableId, ColIdx), HashMap<String, Vec<u64>>>,
}

impl Linked {
    pub fn new(plan: &Plan) -> Linked {
        Linked {
            by_aggregate: vec![None; plan.aggregates.len()],
            covered: vec![BTreeSet::new(); plan.aggregates.len()],
            values: HashMap::default(),
        }
    }

    /// Keeps what a source table's outcome gathered.
    pub fn absorb(&mut self, outcome: &mut Outcome) {
        for (i, found) in outcome.linked.drain(..) {
            if let Some(years) = self.covered.get_mut(i) {
                for acc in found.values() {
                    years.extend(acc.dated.iter().copied());
                }
            }
            if let Some(slot) = self.by_aggregate.get_mut(i) {
                *slot = Some(found);
            }
        }
    }

    /// The values counted for `unique(col)` on `table`, if they were.
    pub fn values(&self, table: TableId, col: ColIdx) -> Option<&HashMap<String, Vec<u64>>> {
        self.values.get(&(table, col))
    }

    /// Reads a list once to count the values `unique(…)` compares; the list
    /// is then read again to evaluate it.
    pub fn count_values(
        &mut self,
        plan: &Plan,
        table: TableId,
        reader: &mut TableReader,
    ) -> Result<(), DataError> {
        let cols = unique_columns(plan, table);
        let mut found: Vec<HashMap<String, Vec<u64>>> = vec![HashMap::default(); cols.len()];
        let mut row = Row::default();
        let mut issues = Vec::new();
        while reader.read_row(&mut row, &mut issues)? {
            for (i, &c) in cols.iter().enumerate() {
                if let Some(v) = row.texts.get(c) {
                    for code in super::codes::codes(v) {
                        found[i].entry(code.to_string()).or_default().push(row.line);
                    }
                }
            }
        }
        for (c, f) in cols.into_iter().zip(found) {
            self.values.insert((table, c), f);
        }
        Ok(())
    }

    /// The years in which the source list of aggregate `i` has any row.
    pub fn covered(&self, aggregate: usize) -> Option<&BTreeSet<i64>> {
        self.covered.get(aggregate)
    }

    /// `None`: the source table was not given, so nothing is known.
    pub fn get(&self, aggregate: usize) -> Option<&HashMap<String, AggAcc>> {
        self.by_aggregate.get(aggregate).and_then(|m| m.as_ref())
    }
}

/// Columns of `table` that some `unique(…)` reads.
pub fn unique_columns(plan: &Plan, table: TableId) -> Vec<ColIdx> {
    fn walk(c: &Cond, out: &mut Vec<ColIdx>) {
        match c {
            Cond::Unique(col) if !out.contains(col) => out.push(*col),
            Cond::Not(x) => walk(x, out),
            Cond::And(a, b) | Cond::Or(a, b) | Cond::Implies(a, b) => {
                walk(a, out);
                walk(b, out);
            }
            Cond::AnyOf(bs) => bs.iter().for_each(|(b, _)| walk(b, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for a in plan.awards.iter().filter(|a| a.table == table) {
        walk(&a.selection, &mut out);
        a.criteria.iter().for_each(|c| walk(&c.cond, &mut out));
    }
    out
}

/// Columns a list of `table` must carry for the aggregates joining it to
/// the other given tables: link columns, and year columns where years count.
pub fn join_columns(plan: &Plan, table: TableId, given: &[TableId]) -> Vec<ColIdx> {
    let mut out = Vec::new();
    for a in &plan.aggregates {
        if !given.contains(&a.source) || !given.contains(&a.target) {
            continue;
        }
        let dated_source = a.kind != AggKind::Count || a.after.is_some();
        let dated_target = matches!(a.kind, AggKind::Streak | AggKind::Years) || a.after.is_some();
        let mut need = |c: Option<ColIdx>| {
            if let Some(c) = c.filter(|c| !out.contains(c)) {
                out.push(c);
            }
        };
        if a.source == table {
            need(Some(a.link));
            if dated_source {
                need(plan.tables[table].year);
            }
        }
        if a.target == table {
            // The rows of the other list name this one's rows by key: a
            // list without its key column cannot be joined to.
            need(plan.tables[table].key);
            if dated_target {
                need(plan.tables[table].year);
            }
        }
    }
    out
}

/// The given tables, sources of aggregates before the tables reading them.
pub fn order(plan: &Plan, given: &[TableId]) -> Vec<TableId> {
    let mut left: Vec<TableId> = given.to_vec();
    let mut out = Vec::new();
    while !left.is_empty() {
        let ready = left.iter().position(|&t| {
            plan.aggregates
                .iter()
                .all(|a| a.target != t || a.source == t || !left.contains(&a.source))
        });
        // A cycle between tables cannot be ordered; keep the given order.
        let i = ready.unwrap_or(0);
        out.push(left.remove(i));
    }
    out
}

/// Each aggregate a table's rows feed, with its accumulator by key.
pub fn fed_by(plan: &Plan, table: TableId) -> Vec<(usize, HashMap<String, AggAcc>)> {
    plan.aggregates
        .iter()
        .enumerate()
        .filter(|(_, a)| a.source == table)
        .map(|(i, _)| (i, HashMap::default()))
        .collect()
}

/// A streak: consecutive years ending at `year` (inclusive) with a row,
/// and the first year missing.
pub fn streak(acc: Option<&AggAcc>, year: i64) -> (u64, i64) {
    let mut n = 0;
    while acc.is_some_and(|a| a.years.contains_key(&(year - n as i64))) {
        n += 1;
    }
    (n, year - n as i64)
}

/// The longest a streak ending at `year` could be if every undecided row
/// held: `None` when an undecided row has no year, so nothing bounds it.
pub fn possible_streak(acc: &AggAcc, year: i64) -> Option<u64> {
    let dated: u64 = acc.unknown_years.values().sum();
    if dated < acc.unknown_rows.len() as u64 {
        return None;
    }
    let mut n = 0;
    while acc.years.contains_key(&(year - n as i64))
        || acc.unknown_years.contains_key(&(year - n as i64))
    {
        n += 1;
    }
    Some(n)
}

/// A streak read against the years its list covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreakRange {
    /// The least the streak can be: the consecutive years ending at the
    /// latest covered year, when only the year under review is not covered
    /// after it; 0 when earlier years are not covered either (any of them
    /// may break the chain).
    pub sure: u64,
    /// The consecutive years with a row ending at the latest covered year,
    /// as the list shows them.
    pub known: u64,
    /// The longest it could be: undecided rows holding, and every year
    /// after the latest covered one counted; `None` when unbounded.
    pub possible: Option<u64>,
    /// The first year missing below the sure years.
    pub gap: i64,
    /// The years up to `year` the list does not cover yet (none of anyone's
    /// rows): neither gaps nor sure years, `None` when there are none.
    pub uncovered: Option<(i64, i64)>,
    /// `year` itself counts from the row under review (`now C`), not from
    /// the list.
    pub current: bool,
}

impl StreakRange {
    /// The streak when `year`, the only year the list does not cover (it
    /// reaches the year before), counts from the row under review (`now C`
    /// holds): one more sure year, joined to those before it. A list that
    /// stops earlier leaves the years between unknown, so nothing is joined.
    pub fn with_current(self, year: i64, holds: bool) -> StreakRange {
        match self.uncovered {
            Some((from, to)) if holds && from == year && to == year => StreakRange {
                sure: self.sure + 1,
                known: self.known + 1,
                uncovered: None,
                current: true,
                ..self
            },
            _ => self,
        }
    }
}

/// A streak ending at `year`, when the list may not reach that year yet:
/// years after the latest year with a row of anyone are unknown, not gaps
/// (history lists are often kept up to the year before the review), so
/// the sure part counts back from the latest covered year. A list covering
/// no year up to `year` bounds nothing.
pub fn streak_range(acc: Option<&AggAcc>, covered: &BTreeSet<i64>, year: i64) -> StreakRange {
    let Some(&top) = covered.range(..=year).next_back() else {
        return StreakRange {
            sure: 0,
            known: 0,
            possible: None,
            gap: year,
            uncovered: Some((i64::MIN, year)),
            current: false,
        };
    };
    let (known, gap) = streak(acc, top);
    let up = match acc {
        Some(a) => possible_streak(a, top),
        None => Some(0),
    };
    let open = year.saturating_sub(top).max(0) as u64;
    // The year under review alone may be missing from a list kept to the
    // year before (joined from the row by `now`, else left open); a year
    // before it the list does not reach may be a gap, so then nothing of
    // the chain is sure.
    let sure = if open > 1 { 0 } else { known };
    StreakRange {
        sure,
        known,
        possible: up.map(|n| n + open),
        gap,
        uncovered: (open > 0).then_some((top + 1, year)),
        current: false,
    }
}

/// How many years of `from..=to` the list does not cover yet (after its
/// latest year with a row of anyone up to `to`); `None` when it covers
/// none of those years and earlier ones, so the count is unbounded.
pub fn uncovered_in(covered: &BTreeSet<i64>, from: i64, to: i64) -> Option<u64> {
    match covered.range(..=to).next_back() {
        Some(&top) => Some(to.saturating_sub(top.max(from.saturating_sub(1))).max(0) as u64),
        None if from > to => Some(0),
        None => None,
    }
}

/// Link values that are not keys of the linked table, when both tables
/// were given: a data error on the referring row, naming both tables.
pub fn check_links(plan: &Plan, outcomes: &[(TableId, Outcome)]) -> Vec<(TableId, DataIssue)> {
    let keys: HashMap<TableId, &super::keyset::KeySet> =
        outcomes.iter().map(|(t, o)| (*t, &o.keys)).collect();
    let mut out = Vec::new();
    for (t, o) in outcomes {
        for (col, values) in &o.links {
            let def = &plan.tables[*t].columns[*col];
            let Some(target) = def.link else { continue };
            let Some(known) = keys.get(&target) else {
                continue;
            };
            let to = &plan.tables[target];
            let mut missing: Vec<(u64, &String)> = values
                .iter()
                .filter(|(v, _)| !known.contains(v))
                .flat_map(|(v, lines)| lines.iter().map(move |l| (*l, v)))
                .collect();
            missing.sort();
            for (line, value) in missing {
                out.push((
                    *t,
                    DataIssue {
                        letter: String::new(),
                        table: String::new(),
                        row: line,
                        column: def.id.clone(),
                        header: def.header.clone(),
                        value: value.clone(),
                        message: format!("mã «{value}» không có trong danh sách «{}»", to.label),
                        expected: format!("một mã có trong danh sách «{}»", to.label),
                    },
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_year_breaks_the_streak() {
        let acc = AggAcc {
            years: [(2022, 1), (2023, 1), (2025, 2)].into_iter().collect(),
            ..AggAcc::default()
        };
        assert_eq!(streak(Some(&acc), 2025), (1, 2024));
        assert_eq!(streak(Some(&acc), 2023), (2, 2021));
        assert_eq!(streak(Some(&acc), 2024), (0, 2024));
        assert_eq!(streak(None, 2025), (0, 2025));
    }

    #[test]
    fn undecided_years_may_lengthen_a_streak() {
        let mut acc = AggAcc {
            years: [(2023, 1), (2025, 1)].into_iter().collect(),
            unknown_years: [(2024, 1)].into_iter().collect(),
            unknown_rows: vec![4],
            ..AggAcc::default()
        };
        assert_eq!(streak(Some(&acc), 2025).0, 1);
        assert_eq!(possible_streak(&acc, 2025), Some(3));
        // An undecided row without a year could be any year.
        acc.unknown_rows.push(7);
        assert_eq!(possible_streak(&acc, 2025), None);
    }

    #[test]
    fn years_the_list_does_not_cover_are_unknown_not_gaps() {
        let acc = AggAcc {
            years: [(2022, 1), (2023, 1), (2024, 2)].into_iter().collect(),
            ..AggAcc::default()
        };
        let covered: BTreeSet<i64> = [2021, 2022, 2023, 2024].into_iter().collect();
        let r = streak_range(Some(&acc), &covered, 2025);
        assert_eq!((r.sure, r.possible, r.gap), (3, Some(4), 2021));
        assert_eq!(r.uncovered, Some((2025, 2025)));
        // Covered up to the review year: the usual streak.
        let r = streak_range(Some(&acc), &covered, 2024);
        assert_eq!((r.sure, r.possible, r.uncovered), (3, Some(3), None));
        // Two years not covered; no linked row at all.
        let r = streak_range(None, &covered, 2026);
        assert_eq!((r.sure, r.possible, r.gap), (0, Some(2), 2024));
        // The list stops two years before the review: 2025 may break the
        // chain of 2022–2024, so none of it is sure; it may reach 5.
        let r = streak_range(Some(&acc), &covered, 2026);
        assert_eq!((r.sure, r.known, r.possible), (0, 3, Some(5)));
        // A list that covers nothing up to the year bounds nothing.
        let r = streak_range(Some(&acc), &BTreeSet::new(), 2025);
        assert_eq!((r.sure, r.possible), (0, None));
        assert_eq!(uncovered_in(&covered, 2020, 2025), Some(1));
        assert_eq!(uncovered_in(&covered, 2026, 2027), Some(2));
        assert_eq!(uncovered_in(&covered, 2020, 2024), Some(0));
        assert_eq!(uncovered_in(&BTreeSet::new(), 2020, 2024), None);
        assert_eq!(uncovered_in(&covered, i64::MIN, 2025), Some(1));
    }

    #[test]
    fn the_review_year_may_count_from_the_row_under_review() {
        let acc = AggAcc {
            years: [(2022, 1), (2023, 1), (2024, 1)].into_iter().collect(),
            ..AggAcc::default()
        };
        let covered: BTreeSet<i64> = [2022, 2023, 2024].into_iter().collect();
        // History to 2024, review 2025, `now` holds: 2025 joins the chain.
        let r = streak_range(Some(&acc), &covered, 2025).with_current(2025, true);
        assert_eq!(
            (r.sure, r.possible, r.uncovered, r.current),
            (4, Some(4), None, true)
        );
        // `now` does not hold: 2025 stays unknown, never a gap.
        let r = streak_range(Some(&acc), &covered, 2025).with_current(2025, false);
        assert_eq!((r.sure, r.possible, r.current), (3, Some(4), false));
        // The list covers 2025: it decides, whatever the row says.
        let r = streak_range(Some(&acc), &covered, 2024).with_current(2024, true);
        assert_eq!((r.sure, r.current), (3, false));
        // The list stops at 2024, review 2026: 2025 is unknown, nothing joins
        // and nothing is sure.
        let r = streak_range(Some(&acc), &covered, 2026).with_current(2026, true);
        assert_eq!(
            (r.sure, r.known, r.possible, r.current),
            (0, 3, Some(5), false)
        );
    }
}
