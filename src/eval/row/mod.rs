//! Evaluating conditions on one row. Nothing here allocates or looks a name
//! up: columns are indexes and enum values are codes.
//!
//! The types and the conditions live here; the children add the rest:
//! `cells` (cells, operands and derived columns), `bounds` (the range an
//! unknown operand may take), `aggregates` (linked tables' counts and
//! streak windows) and `values` (comparison and arithmetic).

mod aggregates;
mod bounds;
mod cells;
#[cfg(test)]
mod tests;
mod values;

pub use values::compare;

use super::codes::codes;
use super::tri::Tri;
use crate::data::{Cell, Row};
use crate::semantic::model::{AwardId, Cond, Operand, Plan, Value};
use crate::syntax::ast::CmpOp;
use rust_decimal::Decimal;
use values::constant;

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
}
