//! Which columns of a row conditions read: the texts a judge needs before
//! it judges a row, and the columns the explanation of an award may show
//! (a candidate that does not pass gets the texts of these only, not of
//! the whole row: a national list has hundreds of thousands of such
//! candidates, and most columns are never shown).

use crate::semantic::model::{AwardId, ColIdx, Cond, Operand, Plan, TableId, Type};

/// One thing a condition reads on a row.
#[derive(Debug, Clone, Copy)]
enum Read {
    /// A column's value, through a comparison or an operand.
    Value(ColIdx),
    /// A column tested alone: a bool column, or `is none`.
    Test(ColIdx),
    /// A column's text: `unique`, `in T.c`.
    Text(ColIdx),
    /// An award it names (`meets`, `proposed`).
    Award(AwardId),
}

/// Gives `each` everything condition `c` reads on a row.
fn cond_reads(plan: &Plan, c: &Cond, each: &mut dyn FnMut(Read)) {
    match c {
        Cond::Const(_) => {}
        Cond::Column(col) | Cond::IsNone { column: col, .. } => each(Read::Test(*col)),
        Cond::Unique(col) | Cond::InLinked { column: col, .. } => each(Read::Text(*col)),
        Cond::Not(x) => cond_reads(plan, x, each),
        Cond::And(a, b) | Cond::Or(a, b) | Cond::Implies(a, b) => {
            cond_reads(plan, a, each);
            cond_reads(plan, b, each);
        }
        Cond::Compare { lhs, rhs, .. } => {
            operand_columns(plan, lhs, &mut |col| each(Read::Value(col)));
            operand_columns(plan, rhs, &mut |col| each(Read::Value(col)));
            // `now C` of an aggregate is read on the row too.
            for o in [lhs, rhs] {
                operand_nows(plan, o, &mut |now| cond_reads(plan, now, each));
            }
        }
        Cond::In { operand, .. } => {
            operand_columns(plan, operand, &mut |col| each(Read::Value(col)))
        }
        Cond::Meets(a) | Cond::Proposed(a) => each(Read::Award(*a)),
        Cond::AnyOf(branches) => branches.iter().for_each(|(b, _)| cond_reads(plan, b, each)),
    }
}

/// Gives `each` every column of the row that operand `o` reads (`after Y`
/// of a count is read on the row too).
fn operand_columns(plan: &Plan, o: &Operand, each: &mut dyn FnMut(ColIdx)) {
    match o {
        Operand::Column(c) | Operand::MonthsFrom(c) => each(*c),
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

/// Gives `each` the condition after `now` of every aggregate `o` reads.
fn operand_nows(plan: &Plan, o: &Operand, each: &mut dyn FnMut(&Cond)) {
    match o {
        Operand::Aggregate(i) => {
            let def = &plan.aggregates[*i];
            if let Some(now) = &def.now {
                each(now);
            }
            if let Some(after) = &def.after {
                operand_nows(plan, after, each);
            }
        }
        Operand::Add(a, b) | Operand::Sub(a, b) | Operand::ShareOf(a, b) => {
            operand_nows(plan, a, each);
            operand_nows(plan, b, each);
        }
        Operand::Column(_) | Operand::Const(_) | Operand::MonthsFrom(_) => {}
    }
}

/// The columns of the row that condition `c` reads, in order, once each.
pub fn columns_read(plan: &Plan, c: &Cond) -> Vec<ColIdx> {
    let mut out: Vec<ColIdx> = Vec::new();
    cond_reads(plan, c, &mut |r| match r {
        Read::Value(c) | Read::Test(c) | Read::Text(c) if !out.contains(&c) => out.push(c),
        _ => {}
    });
    out
}

/// Text columns the conditions on rows of `table` read: their texts are
/// needed before a row is judged. (A rate's group column is not among
/// them for being a group: the judge finds a group by the cell's bytes.)
pub fn texts_read(plan: &Plan, table: TableId) -> Vec<bool> {
    let columns = &plan.tables[table].columns;
    let mut read = vec![false; columns.len()];
    let mut take = |r: Read| match r {
        Read::Value(c) if columns[c].ty == Type::Text => read[c] = true,
        Read::Text(c) => read[c] = true,
        _ => {}
    };
    for a in plan.awards.iter().filter(|a| a.table == table) {
        cond_reads(plan, &a.selection, &mut take);
        a.criteria
            .iter()
            .for_each(|c| cond_reads(plan, &c.cond, &mut take));
    }
    for r in plan.rates.iter().filter(|r| r.table == table) {
        cond_reads(plan, &r.numerator, &mut take);
        cond_reads(plan, &r.denominator, &mut take);
    }
    for a in plan.aggregates.iter().filter(|a| a.source == table) {
        cond_reads(plan, &a.filter, &mut take);
    }
    for d in columns.iter().filter_map(|c| c.derived.as_ref()) {
        operand_columns(plan, d, &mut |c| take(Read::Value(c)));
    }
    read
}

/// Per award of `plan` (empty for those of other tables): the columns of
/// `table` its criteria read, those of the awards they name (`meets`,
/// `proposed`) too, what a column counted from linked lists counts, the
/// table's year column, and `also` (the name shown beside the key),
/// sorted.
pub fn explained_columns(plan: &Plan, table: TableId, also: &[ColIdx]) -> Vec<Vec<ColIdx>> {
    let columns = &plan.tables[table].columns;
    (0..plan.awards.len())
        .map(|a| {
            if plan.awards[a].table != table {
                return Vec::new();
            }
            let mut shown = vec![false; columns.len()];
            let mut named = vec![false; plan.awards.len()];
            let (mut awards, mut cols) = (vec![a], Vec::new());
            cols.extend(also.iter().copied().chain(plan.tables[table].year));
            while let Some(b) = awards.pop() {
                if std::mem::replace(&mut named[b], true) {
                    continue;
                }
                let def = &plan.awards[b];
                let conds =
                    std::iter::once(&def.selection).chain(def.criteria.iter().map(|c| &c.cond));
                for c in conds {
                    cond_reads(plan, c, &mut |r| match r {
                        Read::Award(x) => awards.push(x),
                        Read::Value(c) | Read::Test(c) | Read::Text(c) => cols.push(c),
                    });
                }
                while let Some(c) = cols.pop() {
                    let Some(seen) = shown.get_mut(c) else {
                        continue;
                    };
                    // A column counted from linked lists is shown with
                    // what it counts.
                    if !std::mem::replace(seen, true)
                        && let Some(d) = &columns[c].derived
                    {
                        operand_columns(plan, d, &mut |c| cols.push(c));
                    }
                }
            }
            (0..shown.len()).filter(|&c| shown[c]).collect()
        })
        .collect()
}
