//! Running the `example` blocks of a rule set: each example's rows go
//! through the same reader and evaluator as a real list.

use super::coverage::Coverage;
use super::linked::{Linked, order, unique_columns};
use super::{Keep, Outcome, Tri, evaluate, rate};
use crate::data::{DataIssue, TableReader};
use crate::semantic::RuleSet;
use crate::semantic::model::TableDef;
use crate::source::Span;
use crate::syntax::ast::{self, LiteralKind, Verdict};
use std::fmt;

/// The result of one example.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleResult {
    pub name: String,
    /// The rule file that holds the example, as loaded.
    pub file: String,
    /// 1-based line of the example's name in `file`.
    pub line: usize,
    /// Expectations checked.
    pub checked: usize,
    /// Every expectation that did not hold, then the data problems of the
    /// example's rows (those only when something failed: a blank cell is how
    /// an example shows an "unknown" verdict).
    pub failures: Vec<Failure>,
}

impl ExampleResult {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// A criterion that was not true for a candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    /// Criterion id within its award.
    pub criterion: String,
    pub verdict: Tri,
    pub message: String,
    /// "Điều 24 khoản 1 Luật …", when the criterion cites one.
    pub cite: Option<String>,
    /// What the criterion read on the row.
    pub observed: String,
}

/// One way an example did not hold. `line` is the line of the `expect` (or,
/// for data, of the example row) in the example's file.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// `expect KEY [AWARD] VERDICT` did not hold. `actual` is `None` when
    /// the key was not proposed for any (matching) award.
    Candidate {
        line: usize,
        key: String,
        award: Option<String>,
        expected: Tri,
        actual: Option<Tri>,
        /// `expect … pending`: a pass that waits for the ballot.
        expected_pending: bool,
        /// The candidate waits for the ballot.
        actual_pending: bool,
        reasons: Vec<Reason>,
    },
    /// `expect rate RATE "GROUP" VERDICT` did not hold.
    Rate {
        line: usize,
        rate: String,
        group: String,
        expected: Tri,
        actual: Tri,
        numerator: u64,
        denominator: u64,
    },
    /// A problem with the example's rows. `issue` is `None` when the rows
    /// could not be read at all.
    Data {
        line: usize,
        key: Option<String>,
        issue: Option<DataIssue>,
        message: String,
    },
}

impl Failure {
    pub fn line(&self) -> usize {
        match self {
            Failure::Candidate { line, .. }
            | Failure::Rate { line, .. }
            | Failure::Data { line, .. } => *line,
        }
    }

    /// One line without the reasons; `Display` adds them.
    pub fn headline(&self) -> String {
        match self {
            Failure::Candidate {
                key,
                award,
                actual: None,
                ..
            } => match award {
                Some(a) => format!("không có đề nghị «{a}» nào của «{key}» để kiểm tra"),
                None => format!("không có đề nghị nào của «{key}» để kiểm tra"),
            },
            Failure::Candidate {
                key,
                award,
                expected,
                actual: Some(actual),
                expected_pending,
                actual_pending,
                ..
            } => {
                let wait = |w: bool| if w { ", chờ bỏ phiếu" } else { "" };
                format!(
                    "«{key}» ({}): cần {}, thực tế {} ({}{})",
                    award.as_deref().unwrap_or("?"),
                    if *expected_pending {
                        "pending"
                    } else {
                        expected.word()
                    },
                    if *actual_pending && *actual == Tri::True {
                        "pending"
                    } else {
                        actual.word()
                    },
                    verdict_vi(*actual),
                    wait(*actual_pending)
                )
            }
            Failure::Rate {
                rate,
                group,
                expected,
                actual,
                numerator,
                denominator,
                ..
            } => format!(
                "tỷ lệ {rate} của «{group}»: cần {}, thực tế {} ({}; tử số {numerator}, mẫu số {denominator})",
                expected.word(),
                actual.word(),
                verdict_vi(*actual)
            ),
            Failure::Data { message, .. } => format!("(dữ liệu) {message}"),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline())?;
        if let Failure::Candidate { reasons, .. } = self
            && !reasons.is_empty()
        {
            let parts: Vec<String> = reasons
                .iter()
                .map(|r| format!("{} [{}]: {}", r.message, verdict_vi(r.verdict), r.observed))
                .collect();
            write!(f, " — {}", parts.join("; "))?;
        }
        Ok(())
    }
}

/// "không đạt", "chưa xác định", "đạt".
pub fn verdict_vi(t: Tri) -> &'static str {
    match t {
        Tri::True => "đạt",
        Tri::False => "không đạt",
        Tri::Unknown => "chưa xác định",
    }
}

pub fn run_all(rules: &RuleSet) -> Vec<ExampleResult> {
    rules.examples.iter().map(|ex| run(rules, ex)).collect()
}

pub fn run(rules: &RuleSet, ex: &ast::ExampleDecl) -> ExampleResult {
    run_inner(rules, ex, None)
}

/// Runs an example and adds what its rows make of every criterion and
/// `any of` branch to `coverage`.
pub fn run_covered(
    rules: &RuleSet,
    ex: &ast::ExampleDecl,
    coverage: &mut Coverage,
) -> ExampleResult {
    run_inner(rules, ex, Some(coverage))
}

fn line_of(rules: &RuleSet, span: Span) -> usize {
    rules.sources.get(span.file).line_col(span.start).0
}

fn run_inner(
    rules: &RuleSet,
    ex: &ast::ExampleDecl,
    mut coverage: Option<&mut Coverage>,
) -> ExampleResult {
    let plan = &rules.plan;
    let line = line_of(rules, ex.name.span);
    let mut result = ExampleResult {
        name: ex.name.value.clone(),
        file: rules.sources.get(ex.name.span.file).path.clone(),
        line,
        checked: 0,
        failures: Vec::new(),
    };
    let mut outcomes: Vec<Outcome> = Vec::new();
    let mut data: Vec<Failure> = Vec::new();
    let source = format!("ví dụ «{}»", ex.name.value);
    let given: Vec<usize> = (0..plan.tables.len())
        .filter(|&t| ex.rows.iter().any(|r| r.table.name == plan.tables[t].id))
        .collect();
    let mut linked = Linked::new(plan);
    for t in order(plan, &given) {
        let table = &plan.tables[t];
        let rows: Vec<&ast::ExampleRow> = ex
            .rows
            .iter()
            .filter(|r| r.table.name == table.id)
            .collect();
        let bytes = table_csv(table, &rows);
        if !unique_columns(plan, t).is_empty() {
            let _ = TableReader::from_bytes(&source, bytes.clone(), table, &plan.enums)
                .and_then(|mut rd| linked.count_values(plan, t, &mut rd));
        }
        if let Some(cov) = coverage.as_deref_mut() {
            // A second read of the same rows: coverage costs nothing when
            // it is not asked for.
            let _ = TableReader::from_bytes(&source, bytes.clone(), table, &plan.enums)
                .and_then(|mut rd| cov.record_reader(plan, t, &mut rd, &linked));
        }
        match TableReader::from_bytes(&source, bytes, table, &plan.enums)
            .and_then(|mut rd| evaluate(plan, t, &mut rd, &linked, Keep::All))
        {
            Ok(mut o) => {
                linked.absorb(&mut o);
                for i in &o.issues {
                    // Row 1 is the header; example rows start at row 2.
                    let row = usize::try_from(i.row)
                        .ok()
                        .and_then(|r| r.checked_sub(2))
                        .and_then(|r| rows.get(r));
                    let key = row.and_then(|r| key_of(table, r));
                    let whose = key.as_ref().map_or(String::new(), |k| format!("«{k}», "));
                    data.push(Failure::Data {
                        line: row.map_or(line, |r| line_of(rules, r.span)),
                        key,
                        issue: Some(i.clone()),
                        message: format!("{whose}cột {}: {} ({})", i.column, i.message, i.expected),
                    });
                }
                outcomes.push(o);
            }
            Err(e) => result.failures.push(Failure::Data {
                line,
                key: None,
                issue: None,
                message: format!("không đọc được dữ liệu ví dụ: {e}"),
            }),
        }
    }
    for e in &ex.expects {
        result.checked += 1;
        match e {
            ast::Expect::Candidate {
                key,
                award,
                verdict,
                span,
            } => {
                let found: Vec<_> = outcomes
                    .iter()
                    .flat_map(|o| &o.candidates)
                    .filter(|c| {
                        *c.key == *key.value
                            && award
                                .as_ref()
                                .is_none_or(|a| plan.awards[c.award].id == a.name)
                    })
                    .collect();
                if found.is_empty() {
                    result.failures.push(Failure::Candidate {
                        line: line_of(rules, *span),
                        key: key.value.clone(),
                        award: award.as_ref().map(|a| a.name.clone()),
                        expected: tri(*verdict),
                        actual: None,
                        expected_pending: *verdict == Verdict::Pending,
                        actual_pending: false,
                        reasons: Vec::new(),
                    });
                }
                for c in found {
                    // `pass` is a final pass: one still waiting for the
                    // ballot is `pending`.
                    let wanted = (tri(*verdict), *verdict == Verdict::Pending);
                    if c.verdict == wanted.0 && (c.verdict != Tri::True || c.awaiting == wanted.1) {
                        continue;
                    }
                    let reasons = plan.awards[c.award]
                        .criteria
                        .iter()
                        .zip(&c.clauses)
                        .filter(|(_, r)| r.verdict != Tri::True || r.pending)
                        .map(|(cr, r)| Reason {
                            criterion: cr.id.clone(),
                            verdict: r.verdict,
                            message: cr.message.clone(),
                            cite: cr.cite.as_ref().map(|c| c.text()),
                            observed: r.observed.as_deref().unwrap_or_default().to_string(),
                        })
                        .collect();
                    result.failures.push(Failure::Candidate {
                        line: line_of(rules, *span),
                        key: c.key.to_string(),
                        award: Some(plan.awards[c.award].id.clone()),
                        expected: tri(*verdict),
                        actual: Some(c.verdict),
                        expected_pending: wanted.1,
                        actual_pending: c.awaiting,
                        reasons,
                    });
                }
            }
            ast::Expect::Rate {
                rate: rid,
                group,
                verdict,
                span,
            } => {
                // The semantic pass rejects unknown rates.
                let Some(r) = plan.rates.iter().position(|r| r.id == rid.name) else {
                    continue;
                };
                let (actual, counts) = outcomes
                    .iter()
                    .flat_map(|o| &o.groups)
                    .find(|g| g.rate == r && g.group == group.value)
                    .map(|g| (g.verdict, g.counts))
                    .unwrap_or_else(|| {
                        let def = &plan.rates[r];
                        let zero = rate::Counts::default();
                        (rate::verdict(def.op, def.share, def.rounding, zero), zero)
                    });
                if actual != tri(*verdict) {
                    result.failures.push(Failure::Rate {
                        line: line_of(rules, *span),
                        rate: rid.name.clone(),
                        group: group.value.clone(),
                        expected: tri(*verdict),
                        actual,
                        numerator: counts.num_true,
                        denominator: counts.den_true,
                    });
                }
            }
        }
    }
    if !result.failures.is_empty() {
        result.failures.extend(data);
    }
    result
}

/// The example rows of one table as the CSV a list would be.
fn table_csv(table: &TableDef, rows: &[&ast::ExampleRow]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header: Vec<&str> = table.columns.iter().map(|c| c.id.as_str()).collect();
    if w.write_record(&header).is_err() {
        return Vec::new();
    }
    for r in rows {
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
    w.into_inner().unwrap_or_default()
}

/// The key an example row gives, if any.
fn key_of(table: &TableDef, row: &ast::ExampleRow) -> Option<String> {
    let key = &table.columns.get(table.key?)?.id;
    row.fields
        .iter()
        .find(|(id, _)| &id.name == key)
        .map(|(_, v)| cell_text(v))
}

fn tri(v: Verdict) -> Tri {
    match v {
        Verdict::Pass | Verdict::Pending => Tri::True,
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
