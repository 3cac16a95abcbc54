//! `tdkt check LIST.csv [--rules PATH]… [--format text|json] [--set P=V]…`

use super::{Exit, emit};
use crate::data::{Delimiter, TableReader};
use crate::eval::{Tri, evaluate};
use crate::report::{self, Options, model::Input};
use crate::semantic::{self, Origin, Override, RuleSet, sha256_hex};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Danh sách đề nghị (CSV, UTF-8, phân cách bằng dấu phẩy hoặc chấm phẩy)
    pub list: PathBuf,
    /// Tệp hoặc thư mục quy tắc (.tdkt); mặc định: bộ quy tắc Luật 2022 kèm theo
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Định dạng kết quả
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Đổi một tham số, ví dụ `--set ty_le_cstdcs=20%`
    #[arg(long = "set", value_name = "THAM_SỐ=GIÁ_TRỊ")]
    pub set: Vec<String>,
    /// Chỉ liệt kê đề nghị và tỷ lệ không đạt hoặc chưa xác định
    #[arg(long)]
    pub failing: bool,
}

/// Parses `NAME=VALUE` pairs.
pub fn overrides(set: &[String]) -> Result<Vec<Override>, String> {
    set.iter()
        .map(|s| match s.split_once('=') {
            Some((n, v)) if !n.trim().is_empty() => Ok(Override {
                name: n.trim().to_string(),
                value: v.trim().to_string(),
            }),
            _ => Err(format!(
                "--set `{s}`: cần dạng THAM_SỐ=GIÁ_TRỊ, ví dụ `--set ty_le_cstdcs=20%`"
            )),
        })
        .collect()
}

/// Loads the rule set named on the command line, or the embedded default.
pub fn load_rules(paths: &[PathBuf], set: &[String]) -> Result<RuleSet, String> {
    let overrides = overrides(set)?;
    let loaded = if paths.is_empty() {
        semantic::load_default(&overrides)
    } else {
        semantic::load(paths, Origin::Disk, &overrides)
    };
    loaded.map_err(|e| e.to_string())
}

/// Runs `check`: the report goes to `out`, a failure to run goes to `err`.
pub fn check(args: &CheckArgs, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> Exit {
    match run(args) {
        Ok((text, exit)) => {
            if emit(out, &text) {
                exit
            } else {
                Exit::Error
            }
        }
        Err(msg) => {
            let _ = writeln!(err, "{msg}");
            Exit::Error
        }
    }
}

fn run(args: &CheckArgs) -> Result<(String, Exit), String> {
    let rules = load_rules(&args.rules, &args.set)?;
    let plan = &rules.plan;
    let table = (0..plan.tables.len())
        .find(|&t| plan.awards.iter().any(|a| a.table == t))
        .or((!plan.tables.is_empty()).then_some(0))
        .ok_or("bộ quy tắc không khai báo bảng nào (`table`)")?;
    let path = args.list.display().to_string();
    let bytes =
        std::fs::read(&args.list).map_err(|e| format!("không đọc được danh sách `{path}`: {e}"))?;
    let sha256 = sha256_hex(&bytes);
    let mut reader = TableReader::from_bytes(&path, bytes, &plan.tables[table], &plan.enums)
        .map_err(|e| e.to_string())?;
    let outcome = evaluate(plan, table, &mut reader).map_err(|e| e.to_string())?;
    let input = Input {
        path,
        sha256,
        rows: outcome.rows,
        table: plan.tables[table].id.clone(),
        delimiter: match reader.delimiter() {
            Delimiter::Comma => ",",
            Delimiter::Semicolon => ";",
            Delimiter::Tab => "\t",
        }
        .to_string(),
        bom: reader.had_bom(),
        ignored_headers: reader.unused_headers().to_vec(),
    };
    let report = report::build(
        &rules,
        &outcome,
        vec![input],
        &Options {
            failing_only: args.failing,
        },
    );
    let all_pass = outcome.candidates.iter().all(|c| c.verdict == Tri::True)
        && outcome.groups.iter().all(|g| g.verdict == Tri::True)
        && outcome.issues.is_empty()
        && outcome.unchecked.is_empty();
    let text = match args.format {
        Format::Text => report::text::render(&report),
        Format::Json => report::json(&report) + "\n",
    };
    Ok((text, if all_pass { Exit::Pass } else { Exit::Fail }))
}
