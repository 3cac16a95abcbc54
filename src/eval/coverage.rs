//! Which criteria and `any of` branches the examples of a rule set exercise:
//! how often each was true, false and unknown on the rows proposed for its
//! award. Computed by re-reading the example rows with [`RowEval`], so the
//! evaluator of `tdkt check` carries no bookkeeping for it.

use super::linked::Linked;
use super::row::{Memo, RowEval};
use super::tri::Tri;
use crate::data::{DataError, Row, TableReader};
use crate::semantic::RuleSet;
use crate::semantic::model::{Cond, Plan, TableId};

/// How many times something was true, false and unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Seen {
    pub true_count: u64,
    pub false_count: u64,
    pub unknown_count: u64,
}

impl Seen {
    fn add(&mut self, t: Tri) {
        match t {
            Tri::True => self.true_count += 1,
            Tri::False => self.false_count += 1,
            Tri::Unknown => self.unknown_count += 1,
        }
    }

    /// Seen both true and false: an example shows it passing and failing.
    pub fn complete(&self) -> bool {
        self.true_count > 0 && self.false_count > 0
    }
}

/// One criterion of one award.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionCoverage {
    pub award: String,
    pub criterion: String,
    pub message: String,
    pub seen: Seen,
}

/// One branch of an `any of` inside a criterion. `index` counts the
/// branches of the criterion in reading order, from 1.
#[derive(Debug, Clone, PartialEq)]
pub struct BranchCoverage {
    pub award: String,
    pub criterion: String,
    pub index: usize,
    pub label: String,
    pub seen: Seen,
}

/// Coverage of one rule set, in declaration order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Coverage {
    pub criteria: Vec<CriterionCoverage>,
    pub branches: Vec<BranchCoverage>,
    /// Per award: index of its first criterion in `criteria`.
    award_start: Vec<usize>,
    /// Per entry of `criteria`: index of its first branch in `branches`.
    branch_start: Vec<usize>,
}

impl Coverage {
    /// Every criterion and branch of `plan`, none seen yet.
    pub fn new(plan: &Plan) -> Coverage {
        let mut cov = Coverage::default();
        for a in &plan.awards {
            cov.award_start.push(cov.criteria.len());
            for c in &a.criteria {
                cov.branch_start.push(cov.branches.len());
                cov.criteria.push(CriterionCoverage {
                    award: a.id.clone(),
                    criterion: c.id.clone(),
                    message: c.message.clone(),
                    seen: Seen::default(),
                });
                let mut index = 0;
                each_branch(&c.cond, &mut |_, label| {
                    index += 1;
                    cov.branches.push(BranchCoverage {
                        award: a.id.clone(),
                        criterion: c.id.clone(),
                        index,
                        label: label.to_string(),
                        seen: Seen::default(),
                    });
                });
            }
        }
        cov
    }

    /// Reads every row of `reader` (a list of `table`) and records it.
    pub fn record_reader(
        &mut self,
        plan: &Plan,
        table: TableId,
        reader: &mut TableReader,
        linked: &Linked,
    ) -> Result<(), DataError> {
        let mut row = Row::default();
        let mut memo = Memo::new(plan.awards.len());
        let mut issues = Vec::new();
        let ev = RowEval::new(plan, table, linked);
        while reader.read_row(&mut row, &mut issues)? {
            self.record(&ev, &row, &mut memo);
        }
        Ok(())
    }

    /// Records one row: every criterion, and every branch on its own (not
    /// cut short by the `any of`), of each award the row is proposed for.
    pub fn record(&mut self, ev: &RowEval, row: &Row, memo: &mut Memo) {
        let (plan, table) = (ev.plan, ev.table);
        memo.reset();
        for (a, award) in plan.awards.iter().enumerate() {
            if award.table != table || ev.proposed(a, row, memo) != Tri::True {
                continue;
            }
            for (k, c) in award.criteria.iter().enumerate() {
                let slot = self.award_start[a] + k;
                self.criteria[slot].seen.add(ev.cond(&c.cond, row, memo));
                let mut next = self.branch_start[slot];
                let branches = &mut self.branches;
                each_branch(&c.cond, &mut |b, _| {
                    branches[next].seen.add(ev.cond(b, row, memo));
                    next += 1;
                });
            }
        }
    }

    /// Keeps only the criteria written in the rule set's own files: a base
    /// inherited by an overlay is covered by its own examples.
    pub fn keep_own(&mut self, rules: &RuleSet) {
        let mut own: Vec<(String, String)> = Vec::new();
        for (def, decl) in rules.plan.awards.iter().zip(&rules.ast.awards) {
            for (c, d) in def.criteria.iter().zip(&decl.criteria) {
                if rules.top_files.contains(&d.span.file) {
                    own.push((def.id.clone(), c.id.clone()));
                }
            }
        }
        let is_own = |a: &str, c: &str| own.iter().any(|(x, y)| x == a && y == c);
        self.criteria.retain(|c| is_own(&c.award, &c.criterion));
        self.branches.retain(|b| is_own(&b.award, &b.criterion));
        // The indexes served recording, which is over.
        self.award_start.clear();
        self.branch_start.clear();
    }

    /// Criteria and branches not yet seen both true and false.
    pub fn gaps(&self) -> usize {
        self.criteria.iter().filter(|c| !c.seen.complete()).count()
            + self.branches.iter().filter(|b| !b.seen.complete()).count()
    }
}

/// Calls `f` on every `any of` branch inside `c`, depth first in reading
/// order. Does not enter `meets`: those criteria belong to the other award.
fn each_branch<'c>(c: &'c Cond, f: &mut dyn FnMut(&'c Cond, &'c str)) {
    match c {
        Cond::Not(x) => each_branch(x, f),
        Cond::And(a, b) | Cond::Or(a, b) | Cond::Implies(a, b) => {
            each_branch(a, f);
            each_branch(b, f);
        }
        Cond::AnyOf(branches) => {
            for (b, label) in branches {
                f(b, label);
                each_branch(b, f);
            }
        }
        Cond::Const(_)
        | Cond::Column(_)
        | Cond::Compare { .. }
        | Cond::In { .. }
        | Cond::IsNone { .. }
        | Cond::Unique(_)
        | Cond::InLinked { .. }
        | Cond::Meets(_)
        | Cond::Proposed(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::examples::run_covered;
    use crate::semantic::load_text;

    const RULES: &str = r#"
source s = "Văn bản thử"
enum XL ordered { TB = "Trung bình" TOT = "Tốt" }
enum DN { A = "A" }
table t "Bảng" key ma {
  ma text "Mã"
  xl XL "Xếp loại"
  sk bool "Sáng kiến" default false
  dt bool "Đề tài" default false
  de_nghi DN? "Đề nghị"
}
award A "A" for t where de_nghi = A {
  require xl: xl >= TOT "Tốt" cite s "Điều 1"
  require tt: any of { sk "Sáng kiến" dt "Đề tài" } "Thành tích" cite s "Điều 2"
}
example "một" {
  t { ma: "K1", xl: TOT, sk: true, de_nghi: A }
  t { ma: "K2", xl: TB, de_nghi: A }
  t { ma: "K3", de_nghi: A }
  t { ma: "K4", xl: TB }
  expect K1 pass
  expect K2 fail
  expect K3 fail
}
"#;

    #[test]
    fn counts_candidates_only_and_every_branch() {
        let rules = load_text("thu.tdkt", RULES, &[]).unwrap_or_else(|e| panic!("{e}"));
        let mut cov = Coverage::new(&rules.plan);
        for ex in &rules.examples {
            assert!(run_covered(&rules, ex, &mut cov).passed());
        }
        let seen = |s: &Seen| (s.true_count, s.false_count, s.unknown_count);
        assert_eq!(cov.criteria.len(), 2);
        assert_eq!(seen(&cov.criteria[0].seen), (1, 1, 1));
        assert_eq!(seen(&cov.criteria[1].seen), (1, 2, 0));
        assert_eq!(cov.branches[0].label, "Sáng kiến");
        assert_eq!(seen(&cov.branches[0].seen), (1, 2, 0));
        assert_eq!(seen(&cov.branches[1].seen), (0, 3, 0));
        // xl is complete; tt and its first branch are; "Đề tài" never true.
        assert_eq!(cov.gaps(), 1);
    }
}
