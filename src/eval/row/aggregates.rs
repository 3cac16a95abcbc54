//! Aggregates over linked tables: counts, years and streak windows.

use super::{Memo, RowEval, Val};
use crate::data::{Cell, Row};
use crate::eval::tri::Tri;
use crate::semantic::model::{AggKind, Cond, Operand};

impl<'p> RowEval<'p> {
    /// The acc of aggregate `i` for this row's key (`Some(None)`: no linked
    /// row); `None` when the source table was not given or the row has no
    /// key, so nothing is known.
    pub fn linked_acc(
        &self,
        i: usize,
        row: &Row,
    ) -> Option<Option<&'p crate::eval::linked::AggAcc>> {
        let found = self.linked.get(i)?;
        let key = self.plan.tables[self.table]
            .key
            .and_then(|k| row.texts.get(k))
            .filter(|k| !k.is_empty())?;
        Some(found.get(key.as_str()))
    }

    /// The value of aggregate `i`, when its ends agree (else unknown).
    pub fn aggregate<'r>(&self, i: usize, row: &'r Row) -> Val<'r> {
        let (lo, hi) = self.aggregate_bounds(i, row);
        if lo == hi { lo } else { Val::Missing }
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
    /// ([`crate::eval::linked::StreakRange::with_current`]).
    pub fn streak_of(
        &self,
        i: usize,
        acc: Option<&crate::eval::linked::AggAcc>,
        covered: &std::collections::BTreeSet<i64>,
        year: i64,
        row: &Row,
    ) -> crate::eval::linked::StreakRange {
        let r = crate::eval::linked::streak_range(acc, covered, year);
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
    pub(super) fn window(&self, i: usize, row: &Row) -> Option<(i64, i64, i64)> {
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
}

/// Rows (or, for `years(…)`, distinct years) with a sure row in `from..=to`.
pub(super) fn in_window(acc: &crate::eval::linked::AggAcc, from: i64, to: i64, years: bool) -> i64 {
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
pub(super) fn possible_years(acc: &crate::eval::linked::AggAcc, from: i64, to: i64) -> i64 {
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
