//! The range an operand may take when the row leaves it unknown.

use super::aggregates::{in_window, possible_years};
use super::values::{arith, as_decimal, compare, constant, share_of};
use super::{RowEval, Val};
use crate::data::Row;
use crate::eval::tri::Tri;
use crate::semantic::model::{AggKind, Operand};
use crate::syntax::ast::CmpOp;
use rust_decimal::Decimal;

impl<'p> RowEval<'p> {
    /// `lhs OP rhs` over the ends of both sides: decided when the sure and
    /// the possible values of counts with undecided rows agree.
    pub fn compare_ranges(&self, op: CmpOp, lhs: (Val, Val), rhs: (Val, Val)) -> Tri {
        if lhs.0 == lhs.1 && rhs.0 == rhs.1 {
            compare(op, lhs.0, rhs.0)
        } else {
            crate::eval::tri::over_ranges(op, lhs, rhs, &compare)
        }
    }

    /// The lowest and highest value `o` may take: the same twice unless it
    /// reads a count some of whose linked rows are undecided. A highest end
    /// that cannot be bounded is [`Val::Missing`].
    /// Whether `o` may have two ends ([`RowEval::bounds`]): it reads an
    /// aggregate, directly or through a derived column.
    pub(super) fn may_range(&self, o: &Operand) -> bool {
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
    pub(super) fn aggregate_bounds<'r>(&self, i: usize, row: &'r Row) -> (Val<'r>, Val<'r>) {
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
                let open = match crate::eval::linked::uncovered_in(covered, wide, to) {
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
}
