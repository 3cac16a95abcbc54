//! From an evaluation outcome to a [`Report`].

use super::model::*;
use super::remedy::RemedyContext;
use crate::eval::format::decimal;
use crate::eval::rate::{self, Limit};
use crate::eval::{CandidateResult, GroupResult, Outcome, Tri};
use crate::semantic::RuleSet;
use crate::semantic::model::{Plan, RateDef, Type, Value};
use crate::syntax::ast::{CmpOp, RoundingMode};
use std::sync::Arc;

pub struct Options {
    /// Only failing or unknown candidates and groups.
    pub failing_only: bool,
    /// Every group, even with `failing_only`.
    pub all_groups: bool,
    /// Threads that may share turning many candidates into the report's.
    pub threads: usize,
}

/// An award's id and label and its criteria's texts, shared by its candidates.
type AwardTexts = (Arc<str>, Arc<str>, Vec<Arc<ClauseTexts>>);

pub fn build(rules: &RuleSet, mut outcome: Outcome, inputs: Vec<Input>, opts: &Options) -> Report {
    let plan = &rules.plan;
    let mut summary = Summary {
        candidates: outcome.passed,
        pass: outcome.passed,
        ..Summary::default()
    };
    // The texts every candidate of an award repeats are shared, not
    // copied: a national list has hundreds of thousands of candidates.
    let shared: Vec<AwardTexts> = plan
        .awards
        .iter()
        .map(|award| {
            let clauses = award
                .criteria
                .iter()
                .map(|cr| {
                    Arc::new(ClauseTexts::new(
                        format!("{}.{}", award.id, cr.id),
                        cr.message.clone(),
                        cr.cite.as_ref().map(|c| c.text()),
                    ))
                })
                .collect();
            (
                award.id.as_str().into(),
                award.label.as_str().into(),
                clauses,
            )
        })
        .collect();
    let listed = std::mem::take(&mut outcome.candidates);
    let higher_titles = higher_titles(plan, &listed);
    for c in &listed {
        summary.candidates += 1;
        summary.awaiting_vote += u64::from(c.awaiting);
        match c.verdict {
            Tri::True => summary.pass += 1,
            Tri::False => summary.fail += 1,
            Tri::Unknown => summary.unknown += 1,
        }
    }
    let failing_only = opts.failing_only;
    // Passing candidates kept whole by the evaluation (those of awards with
    // a ballot) but left out here are still passes `diff` counts.
    let left_out: Vec<(u64, u32)> = if failing_only {
        listed
            .iter()
            .filter(|c| c.verdict == Tri::True)
            .map(|c| (c.row, c.award as u32))
            .collect()
    } else {
        Vec::new()
    };
    let shared = &shared;
    let convert = move |part: Vec<CandidateResult>| -> Vec<Candidate> {
        // Each run shares its own copy of the texts: threads counting
        // references to one copy would contend for its cache lines.
        let shared: Vec<AwardTexts> = shared.iter().map(copy_texts).collect();
        part.into_iter()
            .filter(|c| !(failing_only && c.verdict == Tri::True))
            .map(|c| {
                let texts = &shared[c.award];
                candidate(c, texts)
            })
            .collect()
    };
    let threads = if listed.len() >= SPREAD_FROM {
        opts.threads
    } else {
        1
    };
    let candidates = map_in_runs(listed, threads, convert);
    let mut groups = Vec::new();
    // Built at the first failing group: a national list has hundreds of
    // thousands of candidates and tens of thousands of groups.
    let mut remedies: Option<RemedyContext> = None;
    for g in std::mem::take(&mut outcome.groups) {
        summary.groups += 1;
        match g.verdict {
            Tri::False => summary.groups_fail += 1,
            Tri::Unknown => summary.groups_unknown += 1,
            Tri::True => {}
        }
        let rate = g.rate;
        let borderline = borderline(&plan.rates[g.rate], &g);
        if opts.failing_only && !opts.all_groups && g.verdict == Tri::True && borderline.is_none() {
            continue;
        }
        let mut group = group(&plan.rates[g.rate], g, borderline);
        if group.verdict == Tri::False {
            let ctx = remedies.get_or_insert_with(|| RemedyContext::new(plan, &candidates));
            group.remedy = ctx.remedy(rate, &group);
        }
        groups.push(group);
    }
    let data_errors = std::mem::take(&mut outcome.issues);
    summary.data_errors = data_errors.len() as u64;
    let data_warnings = std::mem::take(&mut outcome.warnings);
    summary.data_warnings = data_warnings.len() as u64;
    let (unreadable, unchecked): (Vec<_>, Vec<_>) = std::mem::take(&mut outcome.unchecked)
        .into_iter()
        .partition(|u| u.unreadable.is_some());
    let mut candidates = candidates;
    if !unreadable.is_empty() {
        for u in &unreadable {
            summary.candidates += 1;
            summary.unknown += 1;
            candidates.push(unreadable_candidate(plan, u, &data_errors));
        }
        candidates.sort_by_key(|c| c.row);
    }
    let unchecked: Vec<Unchecked> = unchecked
        .iter()
        .map(|u| {
            let col = &plan.tables[u.table].columns[u.column];
            let value = match col.ty {
                Type::Enum(e) => plan.enums[e].values.get(usize::from(u.value)),
                _ => None,
            };
            Unchecked {
                row: u.row,
                key: u.key.clone(),
                column: col.id.clone(),
                header: col.header.clone(),
                value: value.map_or_else(String::new, |v| v.label.clone()),
            }
        })
        .collect();
    summary.unchecked = unchecked.len() as u64;
    let overrides = plan
        .params
        .iter()
        .filter(|p| p.overridden)
        .map(|p| Param {
            name: p.id.clone(),
            value: show_param(&p.value),
        })
        .collect();
    Report {
        engine: Engine {
            name: "tdkt",
            version: env!("CARGO_PKG_VERSION"),
        },
        rules: RulesInfo {
            name: plan.name.clone(),
            effective: plan.effective.clone(),
            until: plan.until.clone(),
            files: rules.files.clone(),
            overrides,
        },
        regime: Regime::default(),
        inputs,
        summary,
        candidates,
        groups,
        data_errors,
        data_warnings,
        unchecked,
        higher_titles,
        targets: Vec::new(),
        passed: {
            let mut passed: Vec<(u64, u32)> = outcome
                .passed_rows
                .iter()
                .map(|&(row, a)| (row, a as u32))
                .chain(left_out)
                .collect();
            passed.sort_unstable();
            passed
        },
        awards: plan
            .awards
            .iter()
            .map(|a| (a.id.clone(), a.label.clone()))
            .collect(),
    }
}

fn show_param(v: &Value) -> String {
    match v {
        Value::Decimal(d) => decimal(*d),
        other => crate::eval::format::value(other),
    }
}

/// Candidates from which [`build`] shares their turning over threads.
const SPREAD_FROM: usize = 1 << 15;

/// `f` applied to `threads` runs of `items`, each on its thread, the
/// results joined in the order of the items.
fn map_in_runs<T: Send, U: Send>(
    items: Vec<T>,
    threads: usize,
    f: impl Fn(Vec<T>) -> Vec<U> + Sync,
) -> Vec<U> {
    if threads < 2 {
        return f(items);
    }
    let size = items.len().div_ceil(threads).max(1);
    let mut rest = items;
    // From the end: each split copies only the run it takes.
    let mut runs = Vec::new();
    while rest.len() > size {
        runs.push(rest.split_off(rest.len() - size));
    }
    let f = &f;
    std::thread::scope(|scope| {
        let others: Vec<_> = runs
            .into_iter()
            .map(|run| scope.spawn(move || f(run)))
            .collect();
        let mut all = f(rest);
        for other in others.into_iter().rev() {
            all.extend(
                other
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e)),
            );
        }
        all
    })
}

/// A copy of an award's texts that shares no allocation with `texts`.
fn copy_texts((award, label, clauses): &AwardTexts) -> AwardTexts {
    let clauses = clauses
        .iter()
        .map(|t| Arc::new(ClauseTexts::clone(t)))
        .collect();
    (Arc::from(&**award), Arc::from(&**label), clauses)
}

/// The report's candidate, with the texts its award shares.
/// A row whose proposal could not be read, as a candidate of an unknown
/// award: its one reason is the proposal cell and the data error about it.
fn unreadable_candidate(
    plan: &crate::semantic::model::Plan,
    u: &crate::eval::Unchecked,
    data_errors: &[crate::data::DataIssue],
) -> Candidate {
    let col = &plan.tables[u.table].columns[u.column];
    let text = u.unreadable.as_deref().unwrap_or_default();
    let error = data_errors
        .iter()
        .find(|e| e.row == u.row && e.column == col.id);
    let observed = match (text.is_empty(), error) {
        (_, Some(e)) => format!("{}; {}", e.message, e.expected),
        (true, None) => format!("{}: không có cột trong danh sách", col.header),
        (false, None) => format!("{} = «{text}»", col.header),
    };
    Candidate {
        row: u.row,
        key: u.key.clone(),
        name: u.name.as_deref().map(String::from),
        unit: u.unit.as_deref().map(String::from),
        award: "".into(),
        award_label: if text.is_empty() {
            "(không rõ đề nghị)".into()
        } else {
            format!("{text} (không đọc được)").into()
        },
        verdict: Tri::Unknown,
        awaiting_vote: false,
        reasons: vec![Reason {
            texts: Arc::new(ClauseTexts::new(
                col.id.clone(),
                format!("Đọc được «{}» của đề nghị", col.header),
                // Not a criterion of the law: the list's own cell.
                Some("xem mục «Lỗi dữ liệu»".to_string()),
            )),
            verdict: Tri::Unknown,
            observed: Some(observed),
            pending: false,
        }],
    }
}

fn candidate(c: CandidateResult, (award, award_label, clauses): &AwardTexts) -> Candidate {
    let reasons = clauses
        .iter()
        .zip(c.clauses.into_vec())
        .map(|(texts, r)| Reason {
            texts: texts.clone(),
            verdict: r.verdict,
            observed: r.observed.map(String::from),
            pending: r.pending,
        })
        .collect();
    Candidate {
        row: c.row,
        key: c.key.into(),
        name: c.name.map(String::from),
        unit: c.unit.map(String::from),
        award: award.clone(),
        award_label: award_label.clone(),
        verdict: c.verdict,
        awaiting_vote: c.awaiting,
        reasons,
    }
}

pub fn rounding_words(mode: RoundingMode) -> &'static str {
    match mode {
        RoundingMode::Down => "làm tròn xuống",
        RoundingMode::Up => "làm tròn lên",
        RoundingMode::HalfUp => "làm tròn nửa lên",
        RoundingMode::Exact => "không làm tròn",
    }
}

/// "15% × 33 = 4,95 → làm tròn xuống 4"
fn limit_text(share: &str, base: u64, l: &Limit) -> String {
    let head = format!("{share}% × {base} = {}", decimal(l.exact));
    if l.mode == RoundingMode::Exact || l.exact == l.rounded {
        format!("{head} ({})", rounding_words(l.mode))
    } else {
        format!("{head} → {} {}", rounding_words(l.mode), decimal(l.rounded))
    }
}

fn group(rate: &RateDef, g: GroupResult, borderline: Option<String>) -> Group {
    let share = decimal(rate.share);
    let c = g.counts;
    let l = rate::limit(rate.share, c.den_true, rate.rounding);
    let limit = limit_text(&share, c.den_true, &l);
    let n = c.num_true;
    let bound = l.rounded;
    let nd = rust_decimal::Decimal::from(n);
    let message = match (g.verdict, rate.op) {
        (Tri::Unknown, _) => format!(
            "chưa xác định: {} dòng thiếu dữ liệu có thể làm thay đổi kết quả (đếm được {n}, hạn mức {})",
            g.unknown_rows.len(),
            decimal(bound)
        ),
        (Tri::True, CmpOp::Le | CmpOp::Lt) => {
            format!("đếm được {n}, hạn mức {}: đạt", decimal(bound))
        }
        (Tri::False, CmpOp::Le) => format!(
            "đếm được {n}, hạn mức {}: vượt {}",
            decimal(bound),
            decimal(nd - bound.floor())
        ),
        (Tri::False, CmpOp::Lt) => format!("đếm được {n}, cần < {}: vượt", decimal(bound)),
        (Tri::True, _) => format!(
            "đếm được {n}, cần {} {}: đạt",
            rate.op.symbol(),
            decimal(bound)
        ),
        (Tri::False, _) => format!(
            "đếm được {n}, cần {} {}: thiếu",
            rate.op.symbol(),
            decimal(bound)
        ),
    };
    Group {
        rule: rate.id.clone(),
        rule_label: rate.label.clone(),
        group: g.group,
        verdict: g.verdict,
        numerator: n,
        denominator: c.den_true,
        unknown_rows: wide(g.unknown_rows),
        share: format!("{share}%"),
        rounding: rate.rounding,
        limit,
        limit_value: decimal(bound),
        rows: wide(g.numerator_rows),
        denominator_rows: wide(g.denominator_rows),
        message,
        cite: rate.cite.as_ref().map(|c| c.text()),
        borderline,
        remedy: None,
    }
}

/// Passing candidates who meet a higher title too, in the order of the
/// list.
fn higher_titles(plan: &Plan, listed: &[CandidateResult]) -> Vec<HigherTitle> {
    let mut out = Vec::new();
    for c in listed.iter().filter(|c| !c.higher.is_empty()) {
        let proposed = &plan.awards[c.award];
        for h in &c.higher {
            let award = &plan.awards[h.award];
            out.push(HigherTitle {
                row: c.row,
                key: c.key.to_string(),
                name: c.name.as_deref().map(String::from),
                unit: c.unit.as_deref().map(String::from),
                proposed: proposed.id.clone(),
                proposed_label: proposed.label.clone(),
                award: award.id.clone(),
                award_label: award.label.clone(),
                reasons: award
                    .criteria
                    .iter()
                    .zip(h.branches.iter())
                    // The standard met, not the council's vote: a person
                    // not proposed for the title has had no ballot on it.
                    .filter(|(cr, _)| !cr.ballot)
                    .map(|(cr, detail)| HigherReason {
                        message: cr.message.clone(),
                        cite: cr.cite.as_ref().map(|c| c.text()),
                        detail: (!detail.is_empty()).then(|| detail.to_string()),
                    })
                    .collect(),
            });
        }
    }
    out
}

/// Row numbers as the report writes them.
fn wide(rows: Vec<u32>) -> Vec<u64> {
    rows.into_iter().map(u64::from).collect()
}

/// When rounding down and half-up disagree on a group's verdict, says so.
fn borderline(rate: &RateDef, g: &GroupResult) -> Option<String> {
    let (other, theirs) =
        rate::borderline(rate.op, rate.share, rate.rounding, g.counts, g.verdict)?;
    let l = rate::limit(rate.share, g.counts.den_true, other);
    let word = match theirs {
        Tri::True => "đạt",
        Tri::False => "không đạt",
        Tri::Unknown => "chưa xác định",
    };
    Some(format!(
        "sát ngưỡng: nếu {} thì hạn mức là {} và đơn vị {word}",
        rounding_words(other),
        decimal(l.rounded)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_joined_in_the_order_of_the_items() {
        for n in [0usize, 1, 2, 7, 100, 1001] {
            let items: Vec<usize> = (0..n).collect();
            let want: Vec<usize> = items
                .iter()
                .filter(|i| *i % 3 != 0)
                .map(|i| i * 2)
                .collect();
            for threads in [1, 2, 3, 8] {
                let got = map_in_runs(items.clone(), threads, |run| {
                    run.into_iter()
                        .filter(|i| i % 3 != 0)
                        .map(|i| i * 2)
                        .collect()
                });
                assert_eq!(got, want, "{n} items, {threads} threads");
            }
        }
    }
}
