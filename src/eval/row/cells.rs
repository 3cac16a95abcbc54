//! Cells, operands and derived columns of one row.

use super::values::{arith, constant, share_of};
use super::{Memo, RowEval, Val};
use crate::data::{Cell, Row};
use crate::eval::codes::{Shared, codes, reads_unique};
use crate::eval::tri::Tri;
use crate::semantic::model::{AwardId, ColIdx, Operand};

impl<'p> RowEval<'p> {
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
            (Some(Cell::Date(d)), Some(y)) => Val::Int(crate::eval::calendar::months_from(*d, y)),
            _ => Val::Missing,
        }
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
    pub(super) fn derivable(&self, op: &Operand, row: &Row) -> bool {
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
