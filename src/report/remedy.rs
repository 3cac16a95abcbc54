//! What a unit breaking a rate can do (`Remedy`): how many proposals to
//! withdraw, those failing anyway first, or how many to add. Apart from
//! build.rs so that each part stays small.

use super::model::{Candidate, Group, Remedy};
use crate::eval::Tri;
use crate::eval::rate;
use crate::semantic::model::{Cond, Plan};

/// What [`RemedyContext::remedy`] reads, found once per report.
pub(super) struct RemedyContext<'a> {
    plan: &'a Plan,
    candidates: &'a [Candidate],
    /// (row, index) of each candidate that fails or is unknown, by row:
    /// one allocation, not one per row (a national list has tens of
    /// thousands of them).
    failing: Vec<(u64, usize)>,
    /// Per rate: (nested, the awards its numerator counts, what the
    /// numerator asks in words), found at its first failing group.
    rates: Vec<Option<(bool, Vec<usize>, String)>>,
}

impl<'a> RemedyContext<'a> {
    pub(super) fn new(plan: &'a Plan, candidates: &'a [Candidate]) -> RemedyContext<'a> {
        let mut failing: Vec<(u64, usize)> = candidates
            .iter()
            .enumerate()
            .filter(|(_, c)| c.verdict != Tri::True)
            .map(|(i, c)| (c.row, i))
            .collect();
        // Candidates come by row already, but several lists restart it.
        failing.sort_unstable();
        RemedyContext {
            plan,
            candidates,
            failing,
            rates: vec![None; plan.rates.len()],
        }
    }

    /// The indexes of row `row`'s candidates that fail or are unknown, in
    /// the order of `candidates`.
    fn failing_at(&self, row: u64) -> impl Iterator<Item = usize> + '_ {
        let start = self.failing.partition_point(|&(r, _)| r < row);
        self.failing[start..]
            .iter()
            .take_while(move |&&(r, _)| r == row)
            .map(|&(_, i)| i)
    }

    /// What brings a failing group within its rate. The numerator's own
    /// proposals that fail their criteria are named first: withdrawing
    /// them costs the unit nothing it could have had.
    pub(super) fn remedy(&mut self, r: usize, g: &Group) -> Option<Remedy> {
        let plan = self.plan;
        let rate = &plan.rates[r];
        let (nested, awards, needed_text) = self.rates[r]
            .get_or_insert_with(|| {
                // Adding or withdrawing a numerator row moves the base too
                // when the numerator is the base narrowed (`X and …`).
                let nested = narrows(&rate.numerator, &rate.denominator);
                let mut awards = Vec::new();
                proposed_awards(&rate.numerator, &mut awards);
                let needed = crate::semantic::describe_cond(plan, rate.table, &rate.numerator);
                (nested, awards, needed)
            })
            .clone();
        let mut counted = g.rows.clone();
        counted.sort_unstable();
        let others = g
            .denominator_rows
            .iter()
            .filter(|r| counted.binary_search(r).is_err())
            .count() as u64;
        let f = rate::fix(
            rate.op,
            rate.share,
            rate.rounding,
            (g.numerator, g.denominator),
            nested,
            others,
        );
        if f == rate::Fix::default() {
            return None;
        }
        let mut failing: Vec<(bool, u64)> = Vec::new();
        if f.withdraw.is_some() {
            for row in &counted {
                let verdicts = self.failing_at(*row).filter_map(|i| {
                    let c = &self.candidates[i];
                    (awards.is_empty() || awards.iter().any(|&a| plan.awards[a].id == *c.award))
                        .then_some(c.verdict)
                });
                // A row fails when one of its counted proposals fails.
                if let Some(worst) = verdicts.reduce(Tri::and) {
                    failing.push((worst != Tri::False, *row));
                }
            }
            failing.sort_unstable();
        }
        let failing_first: Vec<u64> = failing.into_iter().map(|(_, row)| row).collect();
        let needed = f.add.map(|_| needed_text);
        let mut text = String::new();
        if let Some(k) = f.withdraw {
            text = format!("cần rút {k} đề nghị");
            if !failing_first.is_empty() {
                let shown = failing_first.iter().take(k as usize).map(u64::to_string);
                text.push_str(&format!(
                    "; rút trước các đề nghị không đạt hoặc chưa xác định tiêu chuẩn: dòng {}",
                    shown.collect::<Vec<_>>().join(", ")
                ));
                if (failing_first.len() as u64) < k {
                    text.push_str(&format!(
                        "; còn {} đề nghị do đơn vị chọn trong số dòng được đếm",
                        k - failing_first.len() as u64
                    ));
                }
            }
        }
        if let (Some(k), Some(what)) = (f.add, &needed) {
            text = format!("cần thêm {k} đề nghị thỏa «{what}»");
            if let Some(m) = f.withdraw_others {
                text.push_str(&format!(
                    ", hoặc rút {m} đề nghị khác (được tính vào tổng số, không thỏa điều kiện trên)"
                ));
            }
        }
        Some(Remedy {
            withdraw: f.withdraw,
            awards: awards.iter().map(|&a| plan.awards[a].id.clone()).collect(),
            failing_first,
            add: f.add,
            needed,
            withdraw_others: f.withdraw_others,
            text,
        })
    }
}

/// Whether `num` is `den` narrowed by more conditions (`den and …`).
fn narrows(num: &Cond, den: &Cond) -> bool {
    // Conditions hold no floats or pointers: their debug forms are equal
    // exactly when they are.
    let same = |a: &Cond| format!("{a:?}") == format!("{den:?}");
    match num {
        Cond::And(a, b) => same(a) || same(b) || narrows(a, den) || narrows(b, den),
        other => same(other),
    }
}

/// The awards whose proposals a condition counts.
fn proposed_awards(c: &Cond, out: &mut Vec<usize>) {
    match c {
        Cond::Proposed(a) => out.push(*a),
        Cond::And(a, b) | Cond::Or(a, b) => {
            proposed_awards(a, out);
            proposed_awards(b, out);
        }
        _ => {}
    }
}
