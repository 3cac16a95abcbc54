//! `tdkt lint PATH... [--deny warnings] [--format text|json]`
//!
//! Exit codes (like Regal's): 0 clean, or warnings and notes only; 1
//! warnings under `--deny warnings`; 2 errors (a rule set does not load).

use super::discover::rule_sets;
use super::{Exit, emit};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{LINTS, lint as lint_rules};
use crate::semantic::{self, LoadError, Origin};
use crate::source::SourceMap;
use clap::{Args, ValueEnum};
use serde::Serialize;
use std::collections::HashSet;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Cảnh báo cũng làm lệnh thất bại (mã thoát 1)
    Warnings,
}

#[derive(Debug, Clone, Args)]
pub struct LintArgs {
    /// Tệp hoặc thư mục quy tắc; mỗi thư mục chứa tệp .tdkt là một bộ quy tắc
    #[arg(required = true, value_name = "ĐƯỜNG_DẪN")]
    pub paths: Vec<PathBuf>,
    /// `--deny warnings`: có cảnh báo thì mã thoát 1
    #[arg(long, value_enum, value_name = "MỨC")]
    pub deny: Option<Deny>,
    /// Định dạng kết quả
    #[arg(long, value_enum, default_value = "text", value_name = "ĐỊNH_DẠNG")]
    pub format: LintFormat,
    /// Liệt kê các mã kiểm tra và ý nghĩa (dùng riêng, không kèm tệp)
    #[arg(long, exclusive = true)]
    pub list: bool,
}

/// One finding, as JSON.
#[derive(Debug, Serialize)]
struct Finding<'a> {
    code: &'a str,
    severity: Severity,
    file: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
    help: Option<&'a str>,
}

/// Findings of every rule set, each once: a base linted on its own and
/// through an overlay counts once.
#[derive(Default)]
struct Collector {
    seen: HashSet<(String, u32, &'static str)>,
    text: String,
    json: Vec<serde_json::Value>,
    errors: usize,
    warnings: usize,
    notes: usize,
}

impl Collector {
    fn record(&mut self, d: &Diagnostic, sources: &SourceMap) {
        let file = sources.get(d.span.file);
        if !self.seen.insert((file.path.clone(), d.span.start, d.code)) {
            return;
        }
        match d.severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Note => self.notes += 1,
        }
        let (line, column) = file.line_col(d.span.start);
        self.text.push_str(&d.render(sources));
        self.text.push('\n');
        self.json.push(
            serde_json::to_value(Finding {
                code: d.code,
                severity: d.severity,
                file: &file.path,
                line,
                column,
                message: &d.message,
                help: d.help.as_deref(),
            })
            .unwrap_or_default(),
        );
    }
}

pub fn lint(args: &LintArgs, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> Exit {
    if args.list {
        let text: String = LINTS
            .iter()
            .map(|(id, sev, what)| format!("{id:<24} {sev:<9} {what}\n"))
            .collect();
        return if emit(out, &text) {
            Exit::Pass
        } else {
            Exit::Error
        };
    }
    let sets = match rule_sets(&args.paths) {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(err, "lỗi: {e}");
            return Exit::Error;
        }
    };
    let mut c = Collector::default();
    // Load and lint every set on all cores, then report in order.
    let loaded = super::discover::each_set(&sets, |set| {
        semantic::load(std::slice::from_ref(set), Origin::Disk, &[]).map(|rules| {
            let found = lint_rules(&rules);
            (rules, found)
        })
    });
    for (set, result) in sets.iter().zip(loaded) {
        match result {
            Ok((rules, found)) => {
                for d in &found {
                    c.record(d, &rules.sources);
                }
            }
            Err(LoadError::Rules {
                sources,
                diagnostics,
            }) => {
                for d in &diagnostics {
                    c.record(d, &sources);
                }
            }
            Err(e) => {
                c.errors += 1;
                c.text.push_str(&format!("lỗi: {e}\n"));
                c.json.push(serde_json::json!({
                    "code": "E-io", "severity": "error", "file": set.display().to_string(),
                    "line": 0, "column": 0, "message": e.to_string(), "help": null
                }));
            }
        }
    }
    let Collector {
        text,
        json,
        errors,
        warnings,
        notes,
        ..
    } = c;
    let summary = format!(
        "{} bộ quy tắc: {errors} lỗi, {warnings} cảnh báo, {notes} ghi chú\n",
        sets.len()
    );
    let shown = match args.format {
        LintFormat::Text => format!("{text}{summary}"),
        LintFormat::Json => {
            let v = serde_json::json!({
                "findings": json,
                "summary": {"rule_sets": sets.len(), "errors": errors, "warnings": warnings, "notes": notes},
            });
            format!("{v:#}\n")
        }
    };
    if !emit(out, &shown) {
        return Exit::Error;
    }
    if errors > 0 {
        Exit::Error
    } else if warnings > 0 && args.deny == Some(Deny::Warnings) {
        Exit::Fail
    } else {
        Exit::Pass
    }
}
