//! Which columns the explanation of an award may show: a candidate that
//! does not pass gets the texts of these columns only, not of the whole
//! row (a national list has hundreds of thousands of such candidates, and
//! most columns are never shown).

use crate::semantic::model::{AwardId, ColIdx, Cond, Operand, Plan, TableId};

/// Per award of `plan` (empty for those of other tables): the columns of
/// `table` its criteria read, those of the awards they name (`meets`,
/// `proposed`) too, the table's year column, and `also` (the name shown
/// beside the key), sorted.
pub fn explained_columns(plan: &Plan, table: TableId, also: Option<ColIdx>) -> Vec<Vec<ColIdx>> {
    plan.awards
        .iter()
        .enumerate()
        .map(|(a, def)| {
            if def.table != table {
                return Vec::new();
            }
            let mut walk = Walk {
                plan,
                table,
                awards: vec![false; plan.awards.len()],
                columns: vec![false; plan.tables[table].columns.len()],
            };
            walk.award(a);
            also.into_iter()
                .chain(plan.tables[table].year)
                .for_each(|c| walk.column(c));
            (0..walk.columns.len())
                .filter(|&c| walk.columns[c])
                .collect()
        })
        .collect()
}

struct Walk<'p> {
    plan: &'p Plan,
    table: TableId,
    /// Awards walked already (an award named twice, or by itself).
    awards: Vec<bool>,
    columns: Vec<bool>,
}

impl Walk<'_> {
    fn column(&mut self, c: ColIdx) {
        let Some(seen) = self.columns.get_mut(c) else {
            return;
        };
        if std::mem::replace(seen, true) {
            return;
        }
        // A column counted from linked lists is shown with what it counts.
        let plan = self.plan;
        if let Some(d) = plan.tables[self.table].columns[c].derived.as_ref() {
            self.operand(d);
        }
    }

    fn award(&mut self, a: AwardId) {
        if std::mem::replace(&mut self.awards[a], true) {
            return;
        }
        let plan = self.plan;
        self.cond(&plan.awards[a].selection);
        plan.awards[a]
            .criteria
            .iter()
            .for_each(|c| self.cond(&c.cond));
    }

    fn cond(&mut self, c: &Cond) {
        match c {
            Cond::Const(_) => {}
            Cond::Column(col)
            | Cond::IsNone { column: col, .. }
            | Cond::Unique(col)
            | Cond::InLinked { column: col, .. } => self.column(*col),
            Cond::Not(x) => self.cond(x),
            Cond::And(a, b) | Cond::Or(a, b) | Cond::Implies(a, b) => {
                self.cond(a);
                self.cond(b);
            }
            Cond::Compare { lhs, rhs, .. } => {
                self.operand(lhs);
                self.operand(rhs);
            }
            Cond::In { operand, .. } => self.operand(operand),
            Cond::Meets(a) | Cond::Proposed(a) => self.award(*a),
            Cond::AnyOf(branches) => branches.iter().for_each(|(b, _)| self.cond(b)),
        }
    }

    fn operand(&mut self, o: &Operand) {
        let plan = self.plan;
        operand_columns(plan, o, &mut |c| self.column(c));
    }
}

/// Gives `each` every column of the row that operand `o` reads (`after Y`
/// of a count is read on the row too).
pub fn operand_columns(plan: &Plan, o: &Operand, each: &mut dyn FnMut(ColIdx)) {
    match o {
        Operand::Column(c) => each(*c),
        Operand::Add(a, b) | Operand::Sub(a, b) | Operand::ShareOf(a, b) => {
            operand_columns(plan, a, each);
            operand_columns(plan, b, each);
        }
        Operand::Aggregate(i) => {
            if let Some(after) = &plan.aggregates[*i].after {
                operand_columns(plan, after, each);
            }
        }
        Operand::Const(_) => {}
    }
}
