//! Which awards a row is proposed for, and its judgement on each.

use super::{Judge, Selected};
use crate::data::{Row, TextFiller};
#[cfg(debug_assertions)]
use crate::eval::row::{Memo, RowEval};
use crate::eval::{CandidateResult, ClauseResult, Keep, Tri, row};
use crate::semantic::model::{AwardId, ColIdx, Cond, Operand, Plan, TableDef, Value};
use crate::syntax::ast::CmpOp;

/// Whether `c` counts proposals: it names `proposed` or compares a
/// proposal column.
pub(super) fn counts_proposals(c: &Cond, proposal_cols: &[ColIdx]) -> bool {
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

/// The column and values by which every award of `awards` selects its
/// rows, when each selects by `column = VALUE` on one enum column that is
/// read from the list (not counted from linked lists).
pub(super) fn selection_by_value(
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
    /// One look at the proposal column settles every award's selection,
    /// as [`RowEval::proposed`] would find it award by award.
    pub(super) fn propose_by_value(&mut self, row: &Row) {
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
    pub(super) fn judge_awards(&mut self, row: &mut Row, filler: &TextFiller) -> Selected {
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
                        && crate::eval::ballot::blank_only(self.plan, c, row);
                    if pending {
                        awaiting = true;
                    } else {
                        verdict = verdict.and(t);
                    }
                    // The vote is shown whatever its verdict; a clause that
                    // holds thanks to this year's own row (`now C`) says so.
                    let observed = if c.ballot {
                        Some(crate::eval::ballot::observed(
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
                crate::eval::higher::met(
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
                name: Self::filled(self.name_col, row),
                unit: Self::filled(self.unit_col, row),
                award: a,
                verdict,
                awaiting,
                clauses,
                higher,
            });
        }
        selected
    }
}

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
