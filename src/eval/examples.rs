//! Running the `example` blocks of a rule set: each example's rows go
//! through the same reader and evaluator as a real list.

use super::{Outcome, Tri, evaluate, rate};
use crate::data::TableReader;
use crate::semantic::RuleSet;
use crate::syntax::ast::{self, LiteralKind, Verdict};

/// The result of one example.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleResult {
    pub name: String,
    /// Expectations checked.
    pub checked: usize,
    /// One line per expectation that did not hold, or per error.
    pub failures: Vec<String>,
}

impl ExampleResult {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

pub fn run_all(rules: &RuleSet) -> Vec<ExampleResult> {
    rules.examples.iter().map(|ex| run(rules, ex)).collect()
}

pub fn run(rules: &RuleSet, ex: &ast::ExampleDecl) -> ExampleResult {
    let plan = &rules.plan;
    let mut result = ExampleResult {
        name: ex.name.value.clone(),
        checked: 0,
        failures: Vec::new(),
    };
    let mut outcomes: Vec<Outcome> = Vec::new();
    for (t, table) in plan.tables.iter().enumerate() {
        let rows: Vec<&ast::ExampleRow> = ex
            .rows
            .iter()
            .filter(|r| r.table.name == table.id)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let mut w = csv::Writer::from_writer(Vec::new());
        let header: Vec<&str> = table.columns.iter().map(|c| c.id.as_str()).collect();
        let mut bytes = Vec::new();
        if w.write_record(&header).is_ok() {
            for r in &rows {
                let cells: Vec<String> = table
                    .columns
                    .iter()
                    .map(|c| {
                        r.fields
                            .iter()
                            .find(|(id, _)| id.name == c.id)
                            .map_or(String::new(), |(_, v)| cell_text(v))
                    })
                    .collect();
                let _ = w.write_record(&cells);
            }
            bytes = w.into_inner().unwrap_or_default();
        }
        let name = format!("ví dụ «{}»", ex.name.value);
        match TableReader::from_bytes(&name, bytes, table, &plan.enums)
            .and_then(|mut rd| evaluate(plan, t, &mut rd))
        {
            Ok(o) => outcomes.push(o),
            Err(e) => result
                .failures
                .push(format!("không đọc được dữ liệu ví dụ: {e}")),
        }
    }
    let issues: Vec<String> = outcomes
        .iter()
        .flat_map(|o| &o.issues)
        .map(|i| {
            format!(
                "dòng {} cột {}: {} ({})",
                i.row, i.column, i.message, i.expected
            )
        })
        .collect();
    for e in &ex.expects {
        result.checked += 1;
        match e {
            ast::Expect::Candidate {
                key,
                award,
                verdict,
                ..
            } => {
                let found: Vec<_> = outcomes
                    .iter()
                    .flat_map(|o| &o.candidates)
                    .filter(|c| {
                        c.key == key.value
                            && award
                                .as_ref()
                                .is_none_or(|a| plan.awards[c.award].id == a.name)
                    })
                    .collect();
                if found.is_empty() {
                    result.failures.push(format!(
                        "không có đề nghị nào của «{}» để kiểm tra",
                        key.value
                    ));
                }
                for c in found {
                    if c.verdict != tri(*verdict) {
                        let reasons: Vec<String> = plan.awards[c.award]
                            .criteria
                            .iter()
                            .zip(&c.clauses)
                            .filter(|(_, r)| r.verdict != Tri::True)
                            .map(|(cr, r)| {
                                format!(
                                    "{} [{}]: {}",
                                    cr.message,
                                    r.verdict.word(),
                                    r.observed.as_deref().unwrap_or("")
                                )
                            })
                            .collect();
                        result.failures.push(format!(
                            "«{}» ({}): cần {}, thực tế {}{}",
                            c.key,
                            plan.awards[c.award].id,
                            tri(*verdict).word(),
                            c.verdict.word(),
                            if reasons.is_empty() {
                                String::new()
                            } else {
                                format!(" — {}", reasons.join("; "))
                            }
                        ));
                    }
                }
            }
            ast::Expect::Rate {
                rate: rid,
                group,
                verdict,
                ..
            } => {
                let Some(r) = plan.rates.iter().position(|r| r.id == rid.name) else {
                    continue;
                };
                let got = outcomes
                    .iter()
                    .flat_map(|o| &o.groups)
                    .find(|g| g.rate == r && g.group == group.value)
                    .map(|g| (g.verdict, g.counts))
                    .unwrap_or_else(|| {
                        let def = &plan.rates[r];
                        let zero = rate::Counts::default();
                        (rate::verdict(def.op, def.share, def.rounding, zero), zero)
                    });
                if got.0 != tri(*verdict) {
                    result.failures.push(format!(
                        "tỷ lệ {} của «{}»: cần {}, thực tế {} (tử số {}, mẫu số {})",
                        rid.name,
                        group.value,
                        tri(*verdict).word(),
                        got.0.word(),
                        got.1.num_true,
                        got.1.den_true
                    ));
                }
            }
        }
    }
    if !result.failures.is_empty() {
        result
            .failures
            .extend(issues.into_iter().map(|i| format!("(dữ liệu) {i}")));
    }
    result
}

fn tri(v: Verdict) -> Tri {
    match v {
        Verdict::Pass => Tri::True,
        Verdict::Fail => Tri::False,
        Verdict::Unknown => Tri::Unknown,
    }
}

/// An example literal as the text a list would carry.
fn cell_text(l: &ast::Literal) -> String {
    match &l.kind {
        LiteralKind::Int(i) => i.to_string(),
        LiteralKind::Decimal(d) => d.to_string(),
        LiteralKind::Percent(d) => format!("{d}%"),
        LiteralKind::Date(s) | LiteralKind::Text(s) | LiteralKind::Name(s) => s.clone(),
        LiteralKind::Bool(b) => b.to_string(),
        LiteralKind::Rounding(m) => m.keyword().to_string(),
    }
}
