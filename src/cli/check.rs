//! `tdkt check LIST.csv [--rules PATH]… [--format text|json] [--set P=V]…`

use super::{Exit, emit};
use crate::data::{Delimiter, TableReader};
use crate::eval::linked::{Linked, check_links, join_columns, order, unique_columns};
use crate::eval::{Keep, Outcome, Tri, evaluate};
use crate::report::{self, Options, model::Input};
use crate::semantic::model::{Plan, TableId};
use crate::semantic::{self, Origin, Override, RuleSet};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Danh sách đề nghị (CSV, UTF-8, phân cách bằng dấu phẩy hoặc chấm phẩy) của bảng chính
    #[arg(required_unless_present = "tables")]
    pub list: Option<PathBuf>,
    /// Danh sách của một bảng khác, ví dụ `--table tap_the=tap-the.csv` (lặp lại được)
    #[arg(long = "table", value_name = "BẢNG=TỆP")]
    pub tables: Vec<String>,
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

/// The list of each table: the positional list is the main table's (the
/// first with awards), `--table NAME=PATH` names the others.
pub fn lists(
    list: &Option<PathBuf>,
    tables: &[String],
    plan: &Plan,
) -> Result<Vec<(TableId, PathBuf)>, String> {
    let mut out: Vec<(TableId, PathBuf)> = Vec::new();
    if let Some(list) = list {
        let main = (0..plan.tables.len())
            .find(|&t| plan.awards.iter().any(|a| a.table == t))
            .or((!plan.tables.is_empty()).then_some(0))
            .ok_or("bộ quy tắc không khai báo bảng nào (`table`)")?;
        out.push((main, list.clone()));
    }
    for spec in tables {
        let names: Vec<&str> = plan.tables.iter().map(|t| t.id.as_str()).collect();
        let (name, path) = spec.split_once('=').ok_or_else(|| {
            format!("--table `{spec}`: cần dạng BẢNG=TỆP, ví dụ `--table tap_the=tap-the.csv`; các bảng: {}", names.join(", "))
        })?;
        let t = plan.table(name.trim()).ok_or_else(|| {
            format!(
                "--table `{spec}`: bộ quy tắc không có bảng `{}`; các bảng: {}",
                name.trim(),
                names.join(", ")
            )
        })?;
        if out.iter().any(|(g, _)| *g == t) {
            return Err(format!("bảng `{}` được cho hai danh sách", name.trim()));
        }
        out.push((t, PathBuf::from(path.trim())));
    }
    Ok(out)
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
    let lists = lists(&args.list, &args.tables, &rules.plan)?;
    let (report, all_pass) = check_lists(&rules, &lists, args.failing)?;
    let text = match args.format {
        Format::Text => report::text::render(&report),
        Format::Json => report::json(&report) + "\n",
    };
    Ok((text, if all_pass { Exit::Pass } else { Exit::Fail }))
}

/// Reads and evaluates the lists of one check (a list per table), and
/// builds the report; `true` when every candidate and group passes, with
/// no data error or unchecked proposal.
pub fn check_lists(
    rules: &RuleSet,
    lists: &[(TableId, PathBuf)],
    failing: bool,
) -> Result<(report::model::Report, bool), String> {
    let plan = &rules.plan;
    let given: Vec<TableId> = lists.iter().map(|(t, _)| *t).collect();
    let mut linked = Linked::new(plan);
    let mut outcomes: Vec<(TableId, Outcome)> = Vec::new();
    let mut inputs: Vec<Input> = Vec::new();
    for t in order(plan, &given) {
        let file = lists.iter().find(|(g, _)| *g == t).map(|(_, p)| p);
        let Some(file) = file else { continue };
        let path = file.display().to_string();
        let open = || TableReader::open(file, &plan.tables[t], &plan.enums);
        if !unique_columns(plan, t).is_empty() {
            let mut first = open().map_err(|e| e.to_string())?;
            linked
                .count_values(plan, t, &mut first)
                .map_err(|e| e.to_string())?;
        }
        let mut reader = open().map_err(|e| e.to_string())?;
        let missing: Vec<String> = join_columns(plan, t, &given)
            .into_iter()
            .filter(|&c| !reader.has_column(c))
            .map(|c| {
                let col = &plan.tables[t].columns[c];
                format!("«{}» ({})", col.header, col.id)
            })
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "danh sách `{path}` thiếu cột {} để nối với các danh sách khác đã cho",
                missing.join(", ")
            ));
        }
        let keep = if failing { Keep::NotPassing } else { Keep::All };
        let mut outcome =
            evaluate(plan, t, &mut reader, &linked, keep).map_err(|e| e.to_string())?;
        linked.absorb(&mut outcome);
        inputs.push(Input {
            path,
            sha256: reader.sha256().unwrap_or_default(),
            rows: outcome.rows,
            table: plan.tables[t].id.clone(),
            delimiter: match reader.delimiter() {
                Delimiter::Comma => ",",
                Delimiter::Semicolon => ";",
                Delimiter::Tab => "\t",
            }
            .to_string(),
            bom: reader.had_bom(),
            ignored_headers: reader.unused_headers().to_vec(),
        });
        outcomes.push((t, outcome));
    }
    let broken_links = check_links(plan, &outcomes);
    let several = outcomes.len() > 1;
    let mut outcome = Outcome::default();
    for (t, mut o) in outcomes {
        o.issues.extend(
            broken_links
                .iter()
                .filter(|(s, _)| *s == t)
                .map(|(_, i)| i.clone()),
        );
        if several {
            for i in &mut o.issues {
                i.table = plan.tables[t].id.clone();
            }
        }
        outcome.rows += o.rows;
        outcome.passed += o.passed;
        outcome.candidates.extend(o.candidates);
        outcome.groups.extend(o.groups);
        outcome.issues.extend(o.issues);
        outcome.unchecked.extend(o.unchecked);
    }
    let report = report::build(
        rules,
        &outcome,
        inputs,
        &Options {
            failing_only: failing,
        },
    );
    let all_pass = outcome.candidates.iter().all(|c| c.verdict == Tri::True)
        && outcome.groups.iter().all(|g| g.verdict == Tri::True)
        && outcome.issues.is_empty()
        && outcome.unchecked.is_empty();
    Ok((report, all_pass))
}
