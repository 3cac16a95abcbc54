//! `tdkt test PATH… [--filter TEXT]… [--format text|json|junit] [--coverage]`:
//! runs the `example` blocks of every rule set under the paths, for CI.

use super::{Exit, check::overrides, discover, emit};
use crate::eval::Tri;
use crate::eval::coverage::{Coverage, Seen};
use crate::eval::examples::{ExampleResult, Failure, run, run_covered, verdict_vi};
use crate::semantic::{self, Origin};
use clap::{Args, ValueEnum};
use serde::Serialize;
use std::fmt::Write as _;
use std::path::PathBuf;
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Junit,
}

#[derive(Debug, Clone, Args)]
pub struct TestArgs {
    /// Tệp hoặc thư mục quy tắc; mỗi thư mục chứa tệp .tdkt là một bộ quy tắc
    #[arg(required = true, value_name = "ĐƯỜNG_DẪN")]
    pub paths: Vec<PathBuf>,
    /// Chỉ chạy ví dụ có tên chứa đoạn này (không phân biệt hoa thường; lặp lại được)
    #[arg(long, value_name = "ĐOẠN_TÊN")]
    pub filter: Vec<String>,
    /// Định dạng kết quả
    #[arg(long, value_enum, default_value = "text", value_name = "ĐỊNH_DẠNG")]
    pub format: Format,
    /// Báo cáo tiêu chí và nhánh `any of` mà các ví dụ đã làm đúng, sai, chưa xác định
    #[arg(long)]
    pub coverage: bool,
    /// Thoát với mã 1 nếu có tiêu chí hoặc nhánh chưa gặp cả đúng và sai (kèm --coverage)
    #[arg(long)]
    pub require_full_coverage: bool,
    /// Đổi một tham số, ví dụ `--set ty_le_cstdcs=20%`
    #[arg(long = "set", value_name = "THAM_SỐ=GIÁ_TRỊ")]
    pub set: Vec<String>,
}

/// One rule set: its examples, or the errors that kept it from loading.
struct SetRun {
    path: String,
    name: Option<String>,
    error: Option<String>,
    examples: Vec<ExampleResult>,
    coverage: Option<Coverage>,
}

#[derive(Debug, Default, Clone, Copy, Serialize)]
struct Summary {
    examples: usize,
    passed: usize,
    failed: usize,
    rule_errors: usize,
}

pub fn test(args: &TestArgs, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> Exit {
    let overrides = match overrides(&args.set) {
        Ok(o) => o,
        Err(msg) => {
            let _ = writeln!(err, "{msg}");
            return Exit::Error;
        }
    };
    let sets = match discover::rule_sets(&args.paths) {
        Ok(s) => s,
        Err(msg) => {
            let _ = writeln!(err, "{msg}");
            return Exit::Error;
        }
    };
    let coverage = args.coverage || args.require_full_coverage;
    let filters: Vec<String> = args.filter.iter().map(|f| fold(f)).collect();
    let wanted = |name: &str| filters.is_empty() || filters.iter().any(|f| fold(name).contains(f));

    let runs = super::discover::each_set(&sets, |set| {
        let path = set.display().to_string().replace('\\', "/");
        match semantic::load(std::slice::from_ref(set), Origin::Disk, &overrides) {
            Ok(rules) => {
                let mut cov = coverage.then(|| Coverage::new(&rules.plan));
                let examples = rules
                    .examples
                    .iter()
                    .filter(|ex| wanted(&ex.name.value))
                    .map(|ex| match cov.as_mut() {
                        Some(c) => run_covered(&rules, ex, c),
                        None => run(&rules, ex),
                    })
                    .collect();
                if let Some(c) = cov.as_mut() {
                    c.keep_own(&rules);
                }
                SetRun {
                    path,
                    name: Some(rules.plan.name.clone()),
                    error: None,
                    examples,
                    coverage: cov,
                }
            }
            Err(e) => SetRun {
                path,
                name: None,
                error: Some(e.to_string()),
                examples: Vec::new(),
                coverage: None,
            },
        }
    });

    let mut summary = Summary::default();
    for r in &runs {
        summary.examples += r.examples.len();
        summary.passed += r.examples.iter().filter(|e| e.passed()).count();
        summary.rule_errors += usize::from(r.error.is_some());
    }
    summary.failed = summary.examples - summary.passed;
    let gaps: usize = runs
        .iter()
        .filter_map(|r| r.coverage.as_ref())
        .map(Coverage::gaps)
        .sum();

    let doc = match args.format {
        Format::Text => text(&runs, summary, coverage),
        Format::Json => json(&runs, summary, coverage),
        Format::Junit => junit(&runs, summary, coverage),
    };
    if args.format != Format::Text {
        // The document holds the diagnostics too; stderr makes them visible
        // when CI keeps stdout in a file.
        for r in &runs {
            if let Some(e) = &r.error {
                let _ = writeln!(err, "{e}");
            }
        }
    }
    if !emit(out, &doc) {
        return Exit::Error;
    }
    if summary.rule_errors > 0 {
        return Exit::Error;
    }
    if summary.examples == 0 {
        let why = if filters.is_empty() {
            "các bộ quy tắc không có ví dụ (`example`) nào"
        } else {
            "không ví dụ nào có tên khớp --filter"
        };
        let _ = writeln!(err, "không có ví dụ nào được chạy: {why}");
        return Exit::Fail;
    }
    if summary.failed > 0 {
        return Exit::Fail;
    }
    if args.require_full_coverage && gaps > 0 {
        let _ = writeln!(
            err,
            "độ bao phủ chưa đủ: {gaps} tiêu chí hoặc nhánh chưa gặp cả đúng và sai (--require-full-coverage)"
        );
        return Exit::Fail;
    }
    Exit::Pass
}

/// Case-insensitive, NFC: how example names and filters are compared.
fn fold(s: &str) -> String {
    let lower = s.nfc().collect::<String>().to_lowercase();
    lower.nfc().collect()
}

// ---------------------------------------------------------------- text

/// The lines that explain one failure, first the `file:line` headline.
fn failure_lines(file: &str, f: &Failure) -> Vec<String> {
    let mut lines = vec![format!("{file}:{}: {}", f.line(), f.headline())];
    if let Failure::Candidate { reasons, .. } = f {
        for r in reasons {
            let mark = if r.verdict == Tri::False { "✗" } else { "?" };
            let mut l = format!(
                "  {mark} {} [{}, {}]",
                r.message,
                r.criterion,
                verdict_vi(r.verdict)
            );
            if let Some(c) = &r.cite {
                let _ = write!(l, " — {c}");
            }
            lines.push(l);
            if !r.observed.is_empty() {
                lines.push(format!("      {}", r.observed));
            }
        }
    }
    lines
}

fn text(runs: &[SetRun], s: Summary, coverage: bool) -> String {
    let mut o = String::new();
    for r in runs {
        match &r.name {
            Some(n) if !n.is_empty() => {
                let _ = writeln!(o, "{} — {n}", r.path);
            }
            _ => {
                let _ = writeln!(o, "{}", r.path);
            }
        }
        if let Some(e) = &r.error {
            let _ = writeln!(o, "  ✗ bộ quy tắc có lỗi, không chạy được ví dụ nào:");
            for l in e.lines() {
                let _ = writeln!(o, "    {l}");
            }
        } else if r.examples.is_empty() {
            let _ = writeln!(o, "  (không có ví dụ nào được chạy)");
        }
        for ex in &r.examples {
            let mark = if ex.passed() { "✓" } else { "✗" };
            let _ = writeln!(o, "  {mark} {} ({} kỳ vọng)", ex.name, ex.checked);
            for f in &ex.failures {
                for l in failure_lines(&ex.file, f) {
                    let _ = writeln!(o, "      {l}");
                }
            }
        }
        let _ = writeln!(o);
    }
    if coverage {
        for r in runs {
            if let Some(c) = &r.coverage {
                coverage_text(&mut o, &r.path, c);
                let _ = writeln!(o);
            }
        }
    }
    let _ = write!(
        o,
        "{} ví dụ: {} đạt, {} không đạt",
        s.examples, s.passed, s.failed
    );
    if s.rule_errors > 0 {
        let _ = write!(o, "; {} bộ quy tắc có lỗi", s.rule_errors);
    }
    let _ = writeln!(o);
    if coverage {
        let all = || runs.iter().filter_map(|r| r.coverage.as_ref());
        let (n, full) = tally(all().flat_map(|c| &c.criteria).map(|c| &c.seen));
        let (bn, bfull) = tally(all().flat_map(|c| &c.branches).map(|b| &b.seen));
        let _ = writeln!(
            o,
            "Độ bao phủ: {full}/{n} tiêu chí, {bfull}/{bn} nhánh «any of» đã gặp cả đúng và sai"
        );
    }
    o
}

/// The names in `rows` whose count `f` is zero.
fn never(rows: &[(String, Seen)], f: fn(&Seen) -> u64) -> Vec<&String> {
    rows.iter()
        .filter(|(_, s)| f(s) == 0)
        .map(|(n, _)| n)
        .collect()
}

/// (how many, how many seen both true and false).
fn tally<'s>(seen: impl Iterator<Item = &'s Seen>) -> (usize, usize) {
    seen.fold((0, 0), |(n, f), s| (n + 1, f + usize::from(s.complete())))
}

fn criterion_name(award: &str, criterion: &str) -> String {
    format!("{award}.{criterion}")
}

fn branch_name(award: &str, criterion: &str, index: usize, label: &str) -> String {
    format!("{award}.{criterion} #{index} «{label}»")
}

/// The coverage table of one rule set, then what it lacks.
fn coverage_text(o: &mut String, path: &str, c: &Coverage) {
    let _ = writeln!(o, "Độ bao phủ — {path}");
    let rows: Vec<(String, Seen)> = c
        .criteria
        .iter()
        .map(|x| (criterion_name(&x.award, &x.criterion), x.seen))
        .collect();
    let branches: Vec<(String, Seen)> = c
        .branches
        .iter()
        .map(|b| {
            (
                branch_name(&b.award, &b.criterion, b.index, &b.label),
                b.seen,
            )
        })
        .collect();
    let width = rows
        .iter()
        .chain(&branches)
        .map(|(n, _)| n.chars().count())
        .chain(["nhánh «any of»".chars().count()])
        .max()
        .unwrap_or(0);
    let table = |o: &mut String, title: &str, rows: &[(String, Seen)]| {
        let pad = width.saturating_sub(title.chars().count());
        let _ = writeln!(o, "  {title}{}  đúng   sai  chưa rõ", " ".repeat(pad));
        for (n, s) in rows {
            let pad = width.saturating_sub(n.chars().count());
            let _ = writeln!(
                o,
                "  {n}{}  {:>4}  {:>4}  {:>7}",
                " ".repeat(pad),
                s.true_count,
                s.false_count,
                s.unknown_count
            );
        }
    };
    if rows.is_empty() {
        let _ = writeln!(o, "  (không có tiêu chí nào)");
    } else {
        table(o, "tiêu chí", &rows);
    }
    if !branches.is_empty() {
        table(o, "nhánh «any of»", &branches);
    }
    let list = |o: &mut String, title: &str, items: Vec<&String>| {
        if !items.is_empty() {
            let names: Vec<&str> = items.iter().map(|s| s.as_str()).collect();
            let _ = writeln!(o, "  {title}: {}", names.join(", "));
        }
    };
    list(
        o,
        "Tiêu chí chưa có ví dụ không đạt",
        never(&rows, |s| s.false_count),
    );
    list(
        o,
        "Tiêu chí chưa có ví dụ đạt",
        never(&rows, |s| s.true_count),
    );
    list(
        o,
        "Nhánh chưa bao giờ đúng",
        never(&branches, |s| s.true_count),
    );
    list(
        o,
        "Nhánh chưa bao giờ sai",
        never(&branches, |s| s.false_count),
    );
    if c.gaps() == 0 {
        let _ = writeln!(o, "  Mọi tiêu chí và nhánh đều đã gặp cả đúng và sai.");
    }
}

// ---------------------------------------------------------------- JSON

#[derive(Serialize)]
struct JsonDoc<'a> {
    sets: Vec<JsonSet<'a>>,
    summary: Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    coverage: Option<JsonCoverage<'a>>,
}

#[derive(Serialize)]
struct JsonSet<'a> {
    path: &'a str,
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    examples: Vec<JsonExample<'a>>,
}

#[derive(Serialize)]
struct JsonExample<'a> {
    name: &'a str,
    file: &'a str,
    line: usize,
    passed: bool,
    checked: usize,
    failures: Vec<JsonFailure<'a>>,
}

/// One failure, flat: which fields appear depends on `kind`.
#[derive(Serialize, Default)]
struct JsonFailure<'a> {
    line: usize,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    award: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rate: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expected: Option<Tri>,
    /// `Some(None)`: a candidate expectation whose key was not proposed.
    #[serde(skip_serializing_if = "Option::is_none")]
    actual: Option<Option<Tri>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    numerator: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    denominator: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<&'a str>,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    reasons: Option<Vec<JsonReason<'a>>>,
}

#[derive(Serialize)]
struct JsonReason<'a> {
    criterion: &'a str,
    verdict: Tri,
    message: &'a str,
    cite: Option<&'a str>,
    observed: &'a str,
}

#[derive(Serialize)]
struct JsonCoverage<'a> {
    sets: Vec<JsonSetCoverage<'a>>,
    criteria: usize,
    criteria_complete: usize,
    branches: usize,
    branches_complete: usize,
}

#[derive(Serialize)]
struct JsonSetCoverage<'a> {
    path: &'a str,
    criteria: Vec<JsonCovItem<'a>>,
    branches: Vec<JsonCovItem<'a>>,
}

#[derive(Serialize)]
struct JsonCovItem<'a> {
    award: &'a str,
    criterion: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    branch: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
    #[serde(rename = "true")]
    true_count: u64,
    #[serde(rename = "false")]
    false_count: u64,
    unknown: u64,
    complete: bool,
}

fn cov_item<'a>(
    award: &'a str,
    criterion: &'a str,
    branch: Option<(usize, &'a str)>,
    message: Option<&'a str>,
    s: Seen,
) -> JsonCovItem<'a> {
    JsonCovItem {
        award,
        criterion,
        branch: branch.map(|b| b.0),
        label: branch.map(|b| b.1),
        message,
        true_count: s.true_count,
        false_count: s.false_count,
        unknown: s.unknown_count,
        complete: s.complete(),
    }
}

fn json_failure(f: &Failure) -> JsonFailure<'_> {
    let message = f.headline();
    match f {
        Failure::Candidate {
            line,
            key,
            award,
            expected,
            actual,
            reasons,
            ..
        } => JsonFailure {
            line: *line,
            kind: "candidate",
            key: Some(key),
            award: award.as_deref(),
            expected: Some(*expected),
            actual: Some(*actual),
            message,
            reasons: Some(
                reasons
                    .iter()
                    .map(|r| JsonReason {
                        criterion: &r.criterion,
                        verdict: r.verdict,
                        message: &r.message,
                        cite: r.cite.as_deref(),
                        observed: &r.observed,
                    })
                    .collect(),
            ),
            ..JsonFailure::default()
        },
        Failure::Rate {
            line,
            rate,
            group,
            expected,
            actual,
            numerator,
            denominator,
        } => JsonFailure {
            line: *line,
            kind: "rate",
            rate: Some(rate),
            group: Some(group),
            expected: Some(*expected),
            actual: Some(Some(*actual)),
            numerator: Some(*numerator),
            denominator: Some(*denominator),
            message,
            ..JsonFailure::default()
        },
        Failure::Data {
            line, key, issue, ..
        } => JsonFailure {
            line: *line,
            kind: "data",
            key: key.as_deref(),
            column: issue.as_ref().map(|i| i.column.as_str()),
            value: issue.as_ref().map(|i| i.value.as_str()),
            hint: issue.as_ref().map(|i| i.expected.as_str()),
            message: issue.as_ref().map_or(message, |i| i.message.clone()),
            ..JsonFailure::default()
        },
    }
}

fn json(runs: &[SetRun], summary: Summary, coverage: bool) -> String {
    let sets = runs
        .iter()
        .map(|r| JsonSet {
            path: &r.path,
            name: r.name.as_deref(),
            error: r.error.as_deref(),
            examples: r
                .examples
                .iter()
                .map(|e| JsonExample {
                    name: &e.name,
                    file: &e.file,
                    line: e.line,
                    passed: e.passed(),
                    checked: e.checked,
                    failures: e.failures.iter().map(json_failure).collect(),
                })
                .collect(),
        })
        .collect();
    let coverage = coverage.then(|| {
        let sets: Vec<JsonSetCoverage> = runs
            .iter()
            .filter_map(|r| {
                let c = r.coverage.as_ref()?;
                Some(JsonSetCoverage {
                    path: &r.path,
                    criteria: c
                        .criteria
                        .iter()
                        .map(|x| cov_item(&x.award, &x.criterion, None, Some(&x.message), x.seen))
                        .collect(),
                    branches: c
                        .branches
                        .iter()
                        .map(|b| {
                            cov_item(
                                &b.award,
                                &b.criterion,
                                Some((b.index, &b.label)),
                                None,
                                b.seen,
                            )
                        })
                        .collect(),
                })
            })
            .collect();
        let all = || runs.iter().filter_map(|r| r.coverage.as_ref());
        let (criteria, criteria_complete) = tally(all().flat_map(|c| &c.criteria).map(|c| &c.seen));
        let (branches, branches_complete) = tally(all().flat_map(|c| &c.branches).map(|b| &b.seen));
        JsonCoverage {
            sets,
            criteria,
            criteria_complete,
            branches,
            branches_complete,
        }
    });
    let doc = JsonDoc {
        sets,
        summary,
        coverage,
    };
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

// ---------------------------------------------------------------- JUnit

/// Escapes text for XML content and attribute values. Characters XML 1.0
/// cannot carry at all (most C0 controls) become U+FFFD.
fn xml_escape(s: &str) -> String {
    escape(s, true)
}

/// Same for element content, where line breaks and tabs stay as they are.
fn xml_text(s: &str) -> String {
    escape(s, false)
}

fn escape(s: &str, attr: bool) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\n' | '\t' if !attr => o.push(ch),
            // References, so that attribute values keep them.
            '\n' => o.push_str("&#10;"),
            '\t' => o.push_str("&#9;"),
            '\r' => o.push_str("&#13;"),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => o.push('\u{FFFD}'),
            c => o.push(c),
        }
    }
    o
}

fn junit(runs: &[SetRun], s: Summary, coverage: bool) -> String {
    let mut o = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        o,
        "<testsuites name=\"tdkt test\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
        s.examples + s.rule_errors,
        s.failed,
        s.rule_errors
    );
    for r in runs {
        let path = xml_escape(&r.path);
        let failed = r.examples.iter().filter(|e| !e.passed()).count();
        let errors = usize::from(r.error.is_some());
        let _ = writeln!(
            o,
            "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{failed}\" errors=\"{errors}\">",
            r.examples.len() + errors
        );
        if let Some(e) = &r.error {
            let _ = writeln!(
                o,
                "    <testcase classname=\"{path}\" name=\"(bộ quy tắc)\">\n      <error message=\"bộ quy tắc có lỗi\">{}</error>\n    </testcase>",
                xml_text(e)
            );
        }
        for ex in &r.examples {
            let _ = write!(
                o,
                "    <testcase classname=\"{path}\" name=\"{}\" file=\"{}\" line=\"{}\"",
                xml_escape(&ex.name),
                xml_escape(&ex.file),
                ex.line
            );
            match ex.failures.first() {
                None => {
                    let _ = writeln!(o, "/>");
                }
                Some(first) => {
                    let body: Vec<String> = ex
                        .failures
                        .iter()
                        .flat_map(|f| failure_lines(&ex.file, f))
                        .collect();
                    let _ = writeln!(
                        o,
                        ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                        xml_escape(&first.headline()),
                        xml_text(&body.join("\n"))
                    );
                }
            }
        }
        if coverage && let Some(c) = &r.coverage {
            let mut t = String::new();
            coverage_text(&mut t, &r.path, c);
            let _ = writeln!(o, "    <system-out>{}</system-out>", xml_text(&t));
        }
        let _ = writeln!(o, "  </testsuite>");
    }
    o.push_str("</testsuites>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escape_covers_markup_quotes_and_controls() {
        assert_eq!(
            xml_escape("a<b>&\"c\"'d'\u{1}\n"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;\u{FFFD}&#10;"
        );
    }

    #[test]
    fn filters_ignore_case_and_normalization() {
        // "Đạt" in NFD against NFC, upper against lower case.
        let nfd: String = "ĐẠT".nfd().collect();
        assert!(fold("Ví dụ đạt").contains(&fold(&nfd)));
    }
}
