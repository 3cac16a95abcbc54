//! Which titles stand above which, read from the rule set: a title whose
//! standard requires `meets X` (as a criterion of its own, not one branch
//! of an `any of`) is higher than X, and so is anything higher than it.
//! Councils are asked to notice people who meet a higher title than the
//! one they were proposed for ("phát hiện nhân tố mới").

use super::row::{Memo, RowEval};
use super::tri::Tri;
use crate::data::Row;
use crate::semantic::model::{AwardId, Cond, Plan};

/// Per award, the awards of its table above it, nearest first.
pub fn above(plan: &Plan) -> Vec<Vec<AwardId>> {
    let n = plan.awards.len();
    // direct[h] = the awards h's standard includes.
    let direct: Vec<Vec<AwardId>> = plan
        .awards
        .iter()
        .map(|h| {
            let mut out = Vec::new();
            for c in &h.criteria {
                required_meets(&c.cond, &mut out);
            }
            out.retain(|&a| plan.awards[a].table == h.table);
            out
        })
        .collect();
    (0..n)
        .map(|a| {
            // Breadth-first over "is included by": nearest first.
            let mut found: Vec<AwardId> = Vec::new();
            let mut frontier = vec![a];
            while !frontier.is_empty() {
                let mut next = Vec::new();
                for x in frontier {
                    for (h, includes) in direct.iter().enumerate() {
                        if h != a && includes.contains(&x) && !found.contains(&h) {
                            found.push(h);
                            next.push(h);
                        }
                    }
                }
                frontier = next;
            }
            found
        })
        .collect()
}

/// The awards `c` requires to be met whatever else holds.
fn required_meets(c: &Cond, out: &mut Vec<AwardId>) {
    match c {
        Cond::Meets(a) => out.push(*a),
        Cond::And(x, y) => {
            required_meets(x, out);
            required_meets(y, out);
        }
        _ => {}
    }
}

/// A title above the one proposed whose standard the row meets.
#[derive(Debug, Clone, PartialEq)]
pub struct Higher {
    pub award: AwardId,
    /// Per criterion of the award: for an `any of`, the labels of the
    /// branches that hold; empty otherwise.
    pub branches: Box<[Box<str>]>,
}

/// The titles in `above` that the row meets and is not proposed for,
/// keeping only the highest (one met title above another met one hides
/// it).
pub fn met(
    ev: &RowEval,
    plan: &Plan,
    above: &[AwardId],
    relation: &[Vec<AwardId>],
    row: &Row,
    memo: &mut Memo,
) -> Box<[Higher]> {
    let met: Vec<AwardId> = above
        .iter()
        .copied()
        .filter(|&h| ev.proposed(h, row, memo) != Tri::True && ev.meets(h, row, memo) == Tri::True)
        .collect();
    met.iter()
        .copied()
        .filter(|&h| !met.iter().any(|&o| relation[h].contains(&o)))
        .map(|h| Higher {
            award: h,
            branches: plan.awards[h]
                .criteria
                .iter()
                .map(|c| match &c.cond {
                    Cond::AnyOf(bs) => bs
                        .iter()
                        .filter(|(b, _)| ev.cond(b, row, memo) == Tri::True)
                        .map(|(_, label)| label.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                        .into(),
                    _ => Box::from(""),
                })
                .collect(),
        })
        .collect()
}
