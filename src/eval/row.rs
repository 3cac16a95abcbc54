//! Evaluating conditions on one row. Nothing here allocates or looks a name
//! up: columns are indexes and enum values are codes.

use super::codes::{Shared, codes, reads_unique};
use super::tri::Tri;
use crate::data::{Cell, Row};
use crate::semantic::model::{AggKind, AwardId, ColIdx, Cond, Operand, Plan, Value};
use crate::syntax::ast::CmpOp;
use rust_decimal::Decimal;

/// A value read from a row or a constant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Val<'r> {
    /// A blank optional cell: "none".
    None,
    /// A blank required cell or an invalid one.
    Missing,
    Int(i64),
    Decimal(Decimal),
    Bool(bool),
    Date(i32),
    Enum(u16),
    Text(&'r str),
}

/// Per-row memo of `meets` and `proposed`, reused between rows.
#[derive(Debug, Clone, Default)]
pub struct Memo {
    meets: Vec<Option<Tri>>,
    proposed: Vec<Option<Tri>>,
}

impl Memo {
    pub fn new(awards: usize) -> Memo {
        Memo {
            meets: vec![None; awards],
            proposed: vec![None; awards],
        }
    }

    /// Records whether the row is proposed for award `a`, found otherwise.
    pub fn set_proposed(&mut self, a: AwardId, t: Tri) {
        if let Some(p) = self.proposed.get_mut(a) {
            *p = Some(t);
        }
    }

    pub fn reset(&mut self) {
        self.meets.iter_mut().for_each(|m| *m = None);
        self.proposed.iter_mut().for_each(|m| *m = None);
    }
}

/// Evaluates conditions of one table's rules over its rows.
#[derive(Clone)]
pub struct RowEval<'p> {
    pub plan: &'p Plan,
    pub table: usize,
    /// What rows of other tables gave this table's aggregates.
    pub linked: &'p super::linked::Linked,
    /// Whether a column of the table is counted from linked lists (else
    /// reading a cell need not ask).
    any_derived: bool,
    /// Per column: the list lacks it (explanations say so).
    pub absent: std::sync::Arc<[bool]>,
}

impl<'p> RowEval<'p> {
    pub fn new(plan: &'p Plan, table: usize, linked: &'p super::linked::Linked) -> RowEval<'p> {
        let any_derived = plan.tables[table]
            .columns
            .iter()
            .any(|c| c.derived.is_some());
        RowEval {
            plan,
            table,
            linked,
            any_derived,
            absent: std::sync::Arc::from([]),
        }
    }

    pub fn cond(&self, c: &Cond, row: &Row, memo: &mut Memo) -> Tri {
        match c {
            Cond::Const(b) => Tri::from_bool(*b),
            Cond::Column(col) => match row.cells.get(*col) {
                Some(Cell::Bool(b)) => Tri::from_bool(*b),
                _ => Tri::Unknown,
            },
            Cond::Not(x) => self.cond(x, row, memo).negate(),
            Cond::And(a, b) => {
                let a = self.cond(a, row, memo);
                if a == Tri::False {
                    Tri::False
                } else {
                    a.and(self.cond(b, row, memo))
                }
            }
            Cond::Or(a, b) => {
                let a = self.cond(a, row, memo);
                if a == Tri::True {
                    Tri::True
                } else {
                    a.or(self.cond(b, row, memo))
                }
            }
            Cond::Implies(a, b) => self.cond(a, row, memo).negate().or(self.cond(b, row, memo)),
            // The usual shape (`xep_loai >= HTT`), without the detours of
            // counts.
            Cond::Compare {
                op,
                lhs: Operand::Column(c),
                rhs: Operand::Const(k),
            } if !self.any_derived => {
                // A cell of the constant's own kind, the usual case, is
                // compared without building values.
                let ord = match (row.cells.get(*c), k) {
                    (Some(Cell::Enum(x)), Value::Enum(y)) => Some(x.cmp(y)),
                    (Some(Cell::Int(x)), Value::Int(y)) => Some(x.cmp(y)),
                    (Some(Cell::Bool(x)), Value::Bool(y)) => Some(x.cmp(y)),
                    (Some(Cell::Decimal(x)), Value::Decimal(y)) => Some(x.cmp(y)),
                    _ => None,
                };
                match ord {
                    Some(ord) => Tri::from_bool(op.holds(ord)),
                    None => compare(*op, self.cell(*c, row), constant(k)),
                }
            }
            Cond::Compare { op, lhs, rhs } => {
                // Plain cells and constants have one value: no ends to
                // compare (the usual comparison, on every row).
                if !self.may_range(lhs) && !self.may_range(rhs) {
                    return compare(*op, self.operand(lhs, row), self.operand(rhs, row));
                }
                self.compare_ranges(*op, self.bounds(lhs, row), self.bounds(rhs, row))
            }
            Cond::In { operand, set } => match self.operand(operand, row) {
                Val::Missing => Tri::Unknown,
                Val::None => Tri::False,
                v => {
                    let mut out = Tri::False;
                    for s in set {
                        out = out.or(compare(CmpOp::Eq, v, constant(s)));
                    }
                    out
                }
            },
            Cond::InLinked { column, aggregate } => {
                let text = row.texts.get(*column).map_or("", |s| s.as_str());
                match self.linked_acc(*aggregate, row) {
                    None => Tri::Unknown,
                    Some(acc) => Tri::from_bool(
                        acc.is_some_and(|a| codes(text).iter().any(|c| a.values.contains(*c))),
                    ),
                }
            }
            Cond::Unique(col) => match self.shared_codes(*col, row) {
                Some(shared) => Tri::from_bool(shared.is_empty()),
                None => Tri::Unknown,
            },
            Cond::IsNone { column, negated } => {
                let t = match row.cells.get(*column) {
                    Some(Cell::Blank) | None => Tri::True,
                    Some(Cell::Invalid | Cell::Absent) => Tri::Unknown,
                    Some(_) => Tri::False,
                };
                if *negated { t.negate() } else { t }
            }
            Cond::Meets(a) => self.meets(*a, row, memo),
            Cond::Proposed(a) => self.proposed(*a, row, memo),
            Cond::AnyOf(branches) => {
                let mut out = Tri::False;
                for (b, _) in branches {
                    out = out.or(self.cond(b, row, memo));
                    if out == Tri::True {
                        break;
                    }
                }
                out
            }
        }
    }

    /// Whether the row meets every criterion of an award.
    pub fn meets(&self, a: AwardId, row: &Row, memo: &mut Memo) -> Tri {
        if let Some(t) = memo.meets[a] {
            return t;
        }
        let mut out = Tri::True;
        // The council's vote is no part of an award's standard.
        for c in self.plan.awards[a].criteria.iter().filter(|c| !c.ballot) {
            out = out.and(self.cond(&c.cond, row, memo));
            if out == Tri::False {
                break;
            }
        }
        memo.meets[a] = Some(out);
        out
    }

    pub fn proposed(&self, a: AwardId, row: &Row, memo: &mut Memo) -> Tri {
        if let Some(t) = memo.proposed[a] {
            return t;
        }
        let t = self.cond(&self.plan.awards[a].selection, row, memo);
        memo.proposed[a] = Some(t);
        t
    }

    pub fn operand<'r>(&self, o: &'r Operand, row: &'r Row) -> Val<'r> {
        match o {
            Operand::Column(c) => self.cell(*c, row),
            Operand::Const(v) => constant(v),
            Operand::Add(a, b) => arith(self.operand(a, row), self.operand(b, row), false),
            Operand::Sub(a, b) => arith(self.operand(a, row), self.operand(b, row), true),
            Operand::ShareOf(p, x) => share_of(self.operand(p, row), self.operand(x, row)),
            Operand::Aggregate(i) => self.aggregate(*i, row),
            Operand::MonthsFrom(c) => self.months_from(*c, row),
        }
    }

    /// `months_from(c)`: unknown without the date or the row's year.
    pub fn months_from(&self, c: ColIdx, row: &Row) -> Val<'static> {
        match (row.cells.get(c), self.row_year(row)) {
            (Some(Cell::Date(d)), Some(y)) => Val::Int(super::calendar::months_from(*d, y)),
            _ => Val::Missing,
        }
    }

    /// The acc of aggregate `i` for this row's key (`Some(None)`: no linked
    /// row); `None` when the source table was not given or the row has no
    /// key, so nothing is known.
    pub fn linked_acc(&self, i: usize, row: &Row) -> Option<Option<&'p super::linked::AggAcc>> {
        let found = self.linked.get(i)?;
        let key = self.plan.tables[self.table]
            .key
            .and_then(|k| row.texts.get(k))
            .filter(|k| !k.is_empty())?;
        Some(found.get(key.as_str()))
    }

    /// The codes of this row's cell in `col` (several when it names
    /// several, «SK-D2; SK-D3») that another proposal also uses: another
    /// row holding the code, or another proposal named in this row's own
    /// proposal cell («CSTĐCS; Giấy khen»), which rests on the same cell.
    /// A proposal is never compared with itself. Empty for a blank cell;
    /// `None` when the list's values were not counted.
    pub fn shared_codes<'r>(&self, col: ColIdx, row: &'r Row) -> Option<Vec<Shared<'r>>> {
        let text = row.texts.get(col).map_or("", |s| s.as_str());
        let mine = codes(text);
        if mine.is_empty() {
            return Some(Vec::new());
        }
        let values = self.linked.values(self.table, col)?;
        let same_row = self.rests_on_too(col, row);
        let mut out = Vec::new();
        for code in mine {
            let mut rows: Vec<u64> = values
                .get(code)
                .map(|ls| ls.iter().copied().filter(|&l| l != row.line).collect())
                .unwrap_or_default();
            rows.sort_unstable();
            rows.dedup();
            if !rows.is_empty() || same_row {
                out.push(Shared {
                    code,
                    rows,
                    same_row,
                });
            }
        }
        Some(out)
    }

    /// Whether another proposal named in this row's proposal cell
    /// («CSTĐCS; Giấy khen») is one whose award reads `unique(col)`: it
    /// rests on the same cell, so on the same codes. A proposal that does
    /// not («Lao động tiên tiến») is no use of them.
    fn rests_on_too(&self, col: ColIdx, row: &Row) -> bool {
        let Some((c, named)) = &row.several else {
            return false;
        };
        let current = row.cells.get(*c).cloned();
        let readers: Vec<AwardId> = (0..self.plan.awards.len())
            .filter(|&a| {
                let award = &self.plan.awards[a];
                award.table == self.table
                    && award.criteria.iter().any(|cr| reads_unique(&cr.cond, col))
            })
            .collect();
        let mut other = row.clone();
        let mut memo = Memo::new(self.plan.awards.len());
        named
            .iter()
            .filter(|&&v| current != Some(Cell::Enum(v)))
            .any(|&v| {
                if let Some(cell) = other.cells.get_mut(*c) {
                    *cell = Cell::Enum(v);
                }
                memo.reset();
                readers
                    .iter()
                    .any(|&a| self.proposed(a, &other, &mut memo) == Tri::True)
            })
    }

    /// This row's year, for streaks.
    pub fn row_year(&self, row: &Row) -> Option<i64> {
        let y = self.plan.tables[self.table].year?;
        match row.cells.get(y) {
            Some(Cell::Int(y)) => Some(*y),
            _ => None,
        }
    }

    /// The value of aggregate `i`, when its ends agree (else unknown).
    pub fn aggregate<'r>(&self, i: usize, row: &'r Row) -> Val<'r> {
        let (lo, hi) = self.aggregate_bounds(i, row);
        if lo == hi { lo } else { Val::Missing }
    }

    /// `lhs OP rhs` over the ends of both sides: decided when the sure and
    /// the possible values of counts with undecided rows agree.
    pub fn compare_ranges(&self, op: CmpOp, lhs: (Val, Val), rhs: (Val, Val)) -> Tri {
        if lhs.0 == lhs.1 && rhs.0 == rhs.1 {
            compare(op, lhs.0, rhs.0)
        } else {
            super::tri::over_ranges(op, lhs, rhs, &compare)
        }
    }

    /// The lowest and highest value `o` may take: the same twice unless it
    /// reads a count some of whose linked rows are undecided. A highest end
    /// that cannot be bounded is [`Val::Missing`].
    /// Whether `o` may have two ends ([`RowEval::bounds`]): it reads an
    /// aggregate, directly or through a derived column.
    fn may_range(&self, o: &Operand) -> bool {
        match o {
            Operand::Aggregate(_) => true,
            Operand::Column(c) => {
                self.any_derived && self.plan.tables[self.table].columns[*c].derived.is_some()
            }
            Operand::Const(_) | Operand::MonthsFrom(_) => false,
            Operand::Add(a, b) | Operand::Sub(a, b) | Operand::ShareOf(a, b) => {
                self.may_range(a) || self.may_range(b)
            }
        }
    }

    pub fn bounds<'r>(&self, o: &'r Operand, row: &'r Row) -> (Val<'r>, Val<'r>)
    where
        'p: 'r,
    {
        match o {
            Operand::Column(c) => {
                if self.any_derived
                    && let Some(op) = self.plan.tables[self.table].columns[*c].derived.as_ref()
                    && self.derivable(op, row)
                {
                    let number = |v: Val<'r>| match v {
                        Val::Int(_) | Val::Decimal(_) => v,
                        _ => Val::Missing,
                    };
                    let (lo, hi) = self.bounds(op, row);
                    return (number(lo), number(hi));
                }
                let v = self.cell(*c, row);
                (v, v)
            }
            Operand::Const(v) => (constant(v), constant(v)),
            Operand::MonthsFrom(c) => {
                let v = self.months_from(*c, row);
                (v, v)
            }
            Operand::Add(a, b) => {
                let (a, b) = (self.bounds(a, row), self.bounds(b, row));
                (arith(a.0, b.0, false), arith(a.1, b.1, false))
            }
            Operand::Sub(a, b) => {
                let (a, b) = (self.bounds(a, row), self.bounds(b, row));
                (arith(a.0, b.1, true), arith(a.1, b.0, true))
            }
            Operand::ShareOf(p, x) => {
                let (p, x) = (self.bounds(p, row), self.bounds(x, row));
                if p.0 == p.1 && x.0 == x.1 {
                    let v = share_of(p.0, x.0);
                    return (v, v);
                }
                // A share of a count: the product's lowest and highest ends
                // are among those of the four corners.
                let corners = [
                    share_of(p.0, x.0),
                    share_of(p.0, x.1),
                    share_of(p.1, x.0),
                    share_of(p.1, x.1),
                ];
                let ds: Option<Vec<Decimal>> = corners.iter().map(|v| as_decimal(*v)).collect();
                match ds {
                    Some(ds) => (
                        Val::Decimal(ds.iter().copied().fold(ds[0], Decimal::min)),
                        Val::Decimal(ds.iter().copied().fold(ds[0], Decimal::max)),
                    ),
                    // An unbounded end: only a share of a sure count's
                    // positive part keeps its lower end.
                    None => match (as_decimal(p.0), as_decimal(x.0)) {
                        (Some(pd), Some(_)) if p.0 == p.1 && !pd.is_sign_negative() => {
                            (share_of(p.0, x.0), Val::Missing)
                        }
                        _ => (Val::Missing, Val::Missing),
                    },
                }
            }
            Operand::Aggregate(i) => self.aggregate_bounds(*i, row),
        }
    }

    /// The ends of aggregate `i`: undecided linked rows may each add one
    /// to a count (or one year to `years(…)`); a streak is at least what
    /// the sure years give, and at most what the sure and undecided years
    /// give (unbounded when an undecided row has no year). Years after the
    /// latest one in which the source list has a row of anyone are not
    /// covered yet: unknown, never gaps, so they may only raise the highest
    /// end. `last(…)` with undecided rows is unknown.
    fn aggregate_bounds<'r>(&self, i: usize, row: &'r Row) -> (Val<'r>, Val<'r>) {
        let Some(acc) = self.linked_acc(i, row) else {
            return (Val::Missing, Val::Missing);
        };
        let def = &self.plan.aggregates[i];
        let none = std::collections::BTreeSet::new();
        let covered = self.linked.covered(i).unwrap_or(&none);
        let unknown = acc.map_or(0, |a| a.unknown_rows.len() as i64);
        let int = |n: Option<i64>| n.map_or(Val::Missing, Val::Int);
        match def.kind {
            AggKind::Count if def.after.is_none() => {
                let sure = acc.map_or(0, |a| a.rows.len() as i64);
                (Val::Int(sure), Val::Int(sure + unknown))
            }
            AggKind::Count | AggKind::Years => {
                let Some((narrow, wide, to)) = self.window(i, row) else {
                    return (Val::Missing, Val::Missing);
                };
                let years = def.kind == AggKind::Years;
                // The year under review, when it counts from this row
                // (`now C`), is one sure year more, not an open one.
                let current = i64::from(narrow <= to && self.counts_now(i, row));
                let sure = acc.map_or(0, |a| in_window(a, narrow, to, years)) + current;
                let wide_sure = acc.map_or(0, |a| in_window(a, wide, to, years));
                let pending = match acc {
                    Some(a) if years => possible_years(a, wide, to),
                    _ => unknown,
                };
                let open = match super::linked::uncovered_in(covered, wide, to) {
                    Some(0) => Some(0),
                    // A year not covered may hold any number of rows.
                    Some(n) if years => Some(n as i64),
                    _ => None,
                };
                let hi = open.map(|n| wide_sure + pending + n);
                (Val::Int(sure), int(hi))
            }
            AggKind::Streak => match self.row_year(row) {
                Some(y) => {
                    let r = self.streak_of(i, acc, covered, y, row);
                    (Val::Int(r.sure as i64), int(r.possible.map(|n| n as i64)))
                }
                None => (Val::Missing, Val::Missing),
            },
            AggKind::Last => {
                if unknown > 0 {
                    return (Val::Missing, Val::Missing);
                }
                let latest = acc.and_then(|a| match self.row_year(row) {
                    Some(y) => a.years.range(..=y).next_back(),
                    None => a.years.iter().next_back(),
                });
                let v = latest.map_or(Val::None, |(y, _)| Val::Int(*y));
                (v, v)
            }
        }
    }

    /// This row's years counted by `count(… after Y)` or `years(…)` for
    /// sure, as text.
    pub fn years_after(&self, i: usize, row: &Row) -> Option<Vec<i64>> {
        let acc = self.linked_acc(i, row)??;
        let (from, _, to) = self.window(i, row)?;
        if from > to {
            // `after` the year under review itself, or later: none.
            return Some(Vec::new());
        }
        let mut years: Vec<i64> = acc.years.range(from..=to).map(|(y, _)| *y).collect();
        if self.counts_now(i, row) {
            years.push(to);
        }
        Some(years)
    }

    /// Whether this row's year counts for aggregate `i` from this row
    /// itself: the aggregate says `now C`, its list has no row of anyone in
    /// that year, and C holds for one of the row's proposals.
    pub fn counts_now(&self, i: usize, row: &Row) -> bool {
        let Some(now) = &self.plan.aggregates[i].now else {
            return false;
        };
        let Some(y) = self.row_year(row) else {
            return false;
        };
        if self.linked.get(i).is_none() || self.linked.covered(i).is_some_and(|c| c.contains(&y)) {
            return false;
        }
        self.cond_person(now, row) == Tri::True
    }

    /// A streak of aggregate `i` ending at `year`, with `year` counted from
    /// this row when `now C` says so
    /// ([`super::linked::StreakRange::with_current`]).
    pub fn streak_of(
        &self,
        i: usize,
        acc: Option<&super::linked::AggAcc>,
        covered: &std::collections::BTreeSet<i64>,
        year: i64,
        row: &Row,
    ) -> super::linked::StreakRange {
        let r = super::linked::streak_range(acc, covered, year);
        if self.plan.aggregates[i].now.is_none() || r.uncovered != Some((year, year)) {
            return r;
        }
        r.with_current(year, self.counts_now(i, row))
    }

    /// Whether the truth of `c` on this row rests on a year counted from
    /// the row itself (`now C`): its reason says so even when it holds.
    pub fn rests_on_now(&self, c: &Cond, row: &Row) -> bool {
        match c {
            Cond::Compare { lhs, rhs, .. } => {
                self.operand_now(lhs, row) || self.operand_now(rhs, row)
            }
            Cond::Not(x) => self.rests_on_now(x, row),
            Cond::And(a, b) | Cond::Or(a, b) | Cond::Implies(a, b) => {
                self.rests_on_now(a, row) || self.rests_on_now(b, row)
            }
            Cond::AnyOf(bs) => bs.iter().any(|(b, _)| self.rests_on_now(b, row)),
            _ => false,
        }
    }

    fn operand_now(&self, o: &Operand, row: &Row) -> bool {
        match o {
            Operand::Aggregate(i) => {
                self.counts_now(*i, row)
                    || self.plan.aggregates[*i]
                        .after
                        .as_ref()
                        .is_some_and(|a| self.operand_now(a, row))
            }
            Operand::Add(a, b) | Operand::Sub(a, b) | Operand::ShareOf(a, b) => {
                self.operand_now(a, row) || self.operand_now(b, row)
            }
            Operand::Column(_) | Operand::Const(_) | Operand::MonthsFrom(_) => false,
        }
    }

    /// Whether `c` holds for one of the proposals of this row's person: a
    /// cell naming several («CSTĐ cấp tỉnh; CSTĐCS») is read as each of
    /// them in turn. A row naming one proposal is read as it is.
    pub fn cond_person(&self, c: &Cond, row: &Row) -> Tri {
        let mut memo = Memo::new(self.plan.awards.len());
        let Some((col, named)) = &row.several else {
            return self.cond(c, row, &mut memo);
        };
        let mut other = row.clone();
        let mut out = Tri::False;
        for &v in named {
            if let Some(cell) = other.cells.get_mut(*col) {
                *cell = Cell::Enum(v);
            }
            memo.reset();
            out = out.or(self.cond(c, &other, &mut memo));
            if out == Tri::True {
                break;
            }
        }
        out
    }

    /// The years `count(… after Y)` and `years(…)` count, up to this row's
    /// year: from the year after Y, or every year when there is no such Y
    /// (`last(…)` found none: e.g. never disciplined). When Y itself is
    /// known only within bounds, the first year of the narrowest and of the
    /// widest window: `(narrow, wide, to)`.
    fn window(&self, i: usize, row: &Row) -> Option<(i64, i64, i64)> {
        let to = self.row_year(row)?;
        let Some(after) = self.plan.aggregates[i].after.as_ref() else {
            return Some((i64::MIN, i64::MIN, to));
        };
        if let Some(w) = self.streak_window(after, row, to) {
            return w;
        }
        match self.bounds(after, row) {
            (Val::Int(lo), Val::Int(hi)) => {
                Some((hi.saturating_add(1), lo.min(hi).saturating_add(1), to))
            }
            (Val::None, Val::None) => Some((i64::MIN, i64::MIN, to)),
            _ => None,
        }
    }

    /// `after YEAR - streak(…)`, YEAR this row's year: the years of that
    /// streak. Its first year is known even when the last years are not
    /// covered by the list yet (they extend the streak forward, never
    /// back), which the difference of the bounds would lose. `None` when
    /// `after` is not of that shape.
    fn streak_window(
        &self,
        after: &Operand,
        row: &Row,
        to: i64,
    ) -> Option<Option<(i64, i64, i64)>> {
        let Operand::Sub(a, b) = after else {
            return None;
        };
        let (Operand::Column(c), Operand::Aggregate(j)) = (a.as_ref(), b.as_ref()) else {
            return None;
        };
        let def = &self.plan.aggregates[*j];
        if def.kind != AggKind::Streak || self.plan.tables[self.table].year != Some(*c) {
            return None;
        }
        let Some(acc) = self.linked_acc(*j, row) else {
            return Some(None);
        };
        let none = std::collections::BTreeSet::new();
        let covered = self.linked.covered(*j).unwrap_or(&none);
        let r = self.streak_of(*j, acc, covered, to, row);
        let top = match r.uncovered {
            Some((from, _)) if from == i64::MIN => return Some(None),
            Some((from, _)) => from - 1,
            None => to,
        };
        let open = (to - top) as u64;
        let narrow = top - r.sure as i64 + 1;
        let wide = r
            .possible
            .map_or(i64::MIN, |p| top - p.saturating_sub(open) as i64 + 1);
        Some(Some((narrow, wide.min(narrow), to)))
    }

    /// A column counted from linked lists (`= EXPR`), when they are given.
    pub fn derived(&self, col: usize, row: &Row) -> Option<Val<'static>> {
        let op = self.plan.tables[self.table]
            .columns
            .get(col)?
            .derived
            .as_ref()?;
        if !self.derivable(op, row) {
            return None;
        }
        match self.operand(op, row) {
            Val::Int(i) => Some(Val::Int(i)),
            Val::Decimal(d) => Some(Val::Decimal(d)),
            _ => Some(Val::Missing),
        }
    }

    /// Whether `op` can be worked out on this row: every aggregate it reads
    /// has its list, and every date it counts months from is filled in a
    /// row with a year (an invalid date is worked out as unknown).
    fn derivable(&self, op: &Operand, row: &Row) -> bool {
        match op {
            Operand::Aggregate(i) => self.linked.get(*i).is_some(),
            Operand::MonthsFrom(c) => {
                matches!(row.cells.get(*c), Some(Cell::Date(_) | Cell::Invalid))
                    && self.row_year(row).is_some()
            }
            Operand::Add(a, b) | Operand::Sub(a, b) | Operand::ShareOf(a, b) => {
                self.derivable(a, row) && self.derivable(b, row)
            }
            Operand::Column(_) | Operand::Const(_) => true,
        }
    }

    pub fn cell<'r>(&self, col: usize, row: &'r Row) -> Val<'r> {
        if self.any_derived
            && let Some(v) = self.derived(col, row)
        {
            return v;
        }
        let optional = self.plan.tables[self.table]
            .columns
            .get(col)
            .is_some_and(|c| c.optional);
        match row.cells.get(col) {
            Some(Cell::Blank) | None => {
                if optional {
                    Val::None
                } else {
                    Val::Missing
                }
            }
            Some(Cell::Invalid | Cell::Absent) => Val::Missing,
            Some(Cell::Int(i)) => Val::Int(*i),
            Some(Cell::Decimal(d)) => Val::Decimal(*d),
            Some(Cell::Bool(b)) => Val::Bool(*b),
            Some(Cell::Date(d)) => Val::Date(*d),
            Some(Cell::Enum(e)) => Val::Enum(*e),
            Some(Cell::Text) => Val::Text(row.texts.get(col).map_or("", |s| s.as_str())),
        }
    }
}

pub fn constant(v: &Value) -> Val<'_> {
    match v {
        Value::Int(i) => Val::Int(*i),
        Value::Decimal(d) => Val::Decimal(*d),
        Value::Bool(b) => Val::Bool(*b),
        Value::Date(d) => Val::Date(*d),
        Value::Enum(e) => Val::Enum(*e),
        Value::Text(t) => Val::Text(t),
        Value::Rounding(_) => Val::Missing,
    }
}

fn arith<'r>(a: Val<'r>, b: Val<'r>, minus: bool) -> Val<'r> {
    match (a, b) {
        (Val::Int(x), Val::Int(y)) => {
            let r = if minus {
                x.checked_sub(y)
            } else {
                x.checked_add(y)
            };
            r.map_or(Val::Missing, Val::Int)
        }
        (x, y) => match (as_decimal(x), as_decimal(y)) {
            (Some(x), Some(y)) => {
                let r = if minus {
                    x.checked_sub(y)
                } else {
                    x.checked_add(y)
                };
                r.map_or(Val::Missing, Val::Decimal)
            }
            _ => Val::Missing,
        },
    }
}

/// P % of X, exact: 70 % of 10 is 7, 50 % of 7 is 3.5 (no rounding).
fn share_of<'r>(p: Val<'r>, x: Val<'r>) -> Val<'r> {
    match (as_decimal(p), as_decimal(x)) {
        (Some(p), Some(x)) => p
            .checked_mul(x)
            .and_then(|v| v.checked_div(Decimal::ONE_HUNDRED))
            .map_or(Val::Missing, |v| Val::Decimal(v.normalize())),
        _ => Val::Missing,
    }
}

fn as_decimal(v: Val) -> Option<Decimal> {
    match v {
        Val::Int(i) => Some(Decimal::from(i)),
        Val::Decimal(d) => Some(d),
        _ => None,
    }
}

/// Compares two values. Missing data is unknown; "none" equals nothing and
/// is neither above nor below any value.
pub fn compare(op: CmpOp, a: Val, b: Val) -> Tri {
    if matches!(a, Val::Missing) || matches!(b, Val::Missing) {
        return Tri::Unknown;
    }
    if matches!(a, Val::None) || matches!(b, Val::None) {
        let both = matches!((a, b), (Val::None, Val::None));
        return Tri::from_bool(match op {
            CmpOp::Eq => both,
            CmpOp::Ne => !both,
            _ => false,
        });
    }
    let ord = match (a, b) {
        (Val::Int(x), Val::Int(y)) => Some(x.cmp(&y)),
        (Val::Enum(x), Val::Enum(y)) => Some(x.cmp(&y)),
        (Val::Date(x), Val::Date(y)) => Some(x.cmp(&y)),
        (Val::Bool(x), Val::Bool(y)) => Some(x.cmp(&y)),
        (Val::Text(x), Val::Text(y)) => Some(x.cmp(y)),
        (x, y) => match (as_decimal(x), as_decimal(y)) {
            (Some(x), Some(y)) => Some(x.cmp(&y)),
            _ => None,
        },
    };
    let Some(ord) = ord else { return Tri::Unknown };
    Tri::from_bool(op.holds(ord))
}

/// Rows (or, for `years(…)`, distinct years) with a sure row in `from..=to`.
fn in_window(acc: &super::linked::AggAcc, from: i64, to: i64, years: bool) -> i64 {
    if from > to {
        return 0;
    }
    let found = acc.years.range(from..=to);
    if years {
        found.count() as i64
    } else {
        found.map(|(_, n)| *n as i64).sum()
    }
}

/// How many more years undecided rows could add to `years(…)` over
/// `from..=to`: their years in the window not already sure, and one for
/// each undecided row without a year.
fn possible_years(acc: &super::linked::AggAcc, from: i64, to: i64) -> i64 {
    let dated: u64 = acc.unknown_years.values().sum();
    let undated = (acc.unknown_rows.len() as u64).saturating_sub(dated) as i64;
    let extra = if from > to {
        0
    } else {
        acc.unknown_years
            .range(from..=to)
            .filter(|(y, _)| !acc.years.contains_key(y))
            .count() as i64
    };
    extra + undated
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-table rule set: `x` and `y` are optional bools, `de_nghi` a
    /// proposal; award `A` reads `any of { x, y }`.
    fn rules() -> crate::semantic::RuleSet {
        let text = "rules \"t\" effective 2025-01-01\n\
                    enum DeNghi {\n  A = \"Loại A\"\n  B = \"Loại B\"\n}\n\
                    table t \"T\" key ma {\n  ma text \"Mã\"\n  x bool \"X\"\n  y bool \"Y\"\n  de_nghi DeNghi? \"Đề nghị\"\n}\n\
                    award A \"A\" for t where de_nghi = A {\n  require c: any of {\n    x \"x\"\n    y \"y\"\n  }\n    \"x hoặc y\"\n}\n\
                    award B \"B\" for t where de_nghi = B {\n  require c: x \"x\"\n}\n";
        crate::semantic::load_text("t.tdkt", text, &[]).unwrap()
    }

    fn row(x: Cell, y: Cell, proposal: u16) -> Row {
        Row {
            cells: vec![Cell::Text, x, y, Cell::Enum(proposal)],
            texts: vec!["1".into(), String::new(), String::new(), String::new()],
            ..Row::default()
        }
    }

    #[test]
    fn any_of_is_unknown_when_one_branch_fails_and_another_is_unknown() {
        let rules = rules();
        let linked = super::super::linked::Linked::default();
        let ev = RowEval::new(&rules.plan, 0, &linked);
        let any = &rules.plan.awards[0].criteria[0].cond;
        let mut memo = Memo::new(2);
        let t = Cell::Bool(true);
        let f = Cell::Bool(false);
        let cases = [
            (f.clone(), Cell::Invalid, Tri::Unknown),
            (Cell::Absent, f.clone(), Tri::Unknown),
            (f.clone(), f.clone(), Tri::False),
            (Cell::Invalid, t.clone(), Tri::True),
            (t.clone(), Cell::Absent, Tri::True),
        ];
        for (x, y, want) in cases {
            memo.reset();
            let r = row(x.clone(), y.clone(), 0);
            assert_eq!(ev.cond(any, &r, &mut memo), want, "{x:?} {y:?}");
        }
    }

    #[test]
    fn a_cell_naming_several_proposals_is_read_as_each() {
        let rules = rules();
        let linked = super::super::linked::Linked::default();
        let ev = RowEval::new(&rules.plan, 0, &linked);
        let proposed_b = Cond::Proposed(1);
        // The row read as its first proposal (A); the cell also named B.
        let mut r = row(Cell::Bool(true), Cell::Bool(false), 0);
        assert_eq!(ev.cond_person(&proposed_b, &r), Tri::False);
        r.several = Some((3, vec![0, 1]));
        assert_eq!(ev.cond_person(&proposed_b, &r), Tri::True);
        // What does not read the proposal is read once, the same.
        let both = Cond::And(Box::new(proposed_b), Box::new(Cond::Meets(1)));
        assert_eq!(ev.cond_person(&both, &r), Tri::True);
        r.cells[1] = Cell::Bool(false);
        assert_eq!(ev.cond_person(&both, &r), Tri::False);
    }
}
