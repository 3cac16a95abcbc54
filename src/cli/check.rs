//! `tdkt check LIST [--sheet NAME] [--rules PATH]… [--format text|json] [--set P=V]…`

use super::documents;
use super::progress::Terminal;
use super::spread::Spread;
use super::{Exit, emit, emit_with};
use crate::engine::{Check, EngineError, ListSource, Rules};
use crate::report::{self, json};
use crate::semantic::Override;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

pub use crate::engine::default_threads;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    /// Báo cáo để in (một trang HTML, khổ A4)
    Html,
    /// Báo cáo để in, in ra PDF bằng Chromium
    Pdf,
    /// Danh sách trả lại dạng Excel, thêm cột Kết quả, Lý do, Căn cứ
    Xlsx,
    /// Như xlsx, dạng CSV cho Excel (UTF-8 có BOM)
    Csv,
    /// Danh sách đủ điều kiện dạng Word, kèm theo tờ trình (Mẫu 01)
    Docx,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Danh sách đề nghị của bảng chính: tệp CSV (UTF-8, phân cách bằng dấu
    /// phẩy hoặc chấm phẩy) hoặc bảng tính Excel/ODS (.xlsx, .xls, .ods)
    #[arg(required_unless_present = "tables", value_name = "DANH_SÁCH")]
    pub list: Option<PathBuf>,
    /// Trang (sheet) của bảng tính chứa danh sách chính; mặc định: trang
    /// đầu tiên có dòng tiêu đề khớp với bảng
    #[arg(long, value_name = "TRANG", requires = "list")]
    pub sheet: Option<String>,
    /// Danh sách của một bảng khác, ví dụ `--table tap_the=tap-the.csv`;
    /// `BẢNG=TỆP#TRANG` chọn một trang của bảng tính (lặp lại được)
    #[arg(long = "table", value_name = "BẢNG=TỆP")]
    pub tables: Vec<String>,
    /// Tệp hoặc thư mục quy tắc (.tdkt); mặc định: bộ quy tắc kèm theo chọn
    /// theo năm xét của danh sách (cột «Năm xét»), không có năm thì Luật 2022
    #[arg(long = "rules", value_name = "ĐƯỜNG_DẪN")]
    pub rules: Vec<PathBuf>,
    /// Định dạng kết quả
    #[arg(long, value_enum, default_value = "text", value_name = "ĐỊNH_DẠNG")]
    pub format: Format,
    /// Đổi một tham số, ví dụ `--set ty_le_cstdcs=20%`
    #[arg(long = "set", value_name = "THAM_SỐ=GIÁ_TRỊ")]
    pub set: Vec<String>,
    /// Tệp kết quả (bắt buộc với pdf, xlsx, docx; không bao giờ ghi đè tệp đầu vào)
    #[arg(short = 'o', long = "output", value_name = "TỆP")]
    pub output: Option<PathBuf>,
    /// Chỉ liệt kê đề nghị và tỷ lệ không đạt hoặc chưa xác định
    #[arg(long)]
    pub failing: bool,
    #[command(flatten)]
    pub spread: Spread,
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
pub fn load_rules(paths: &[PathBuf], set: &[String]) -> Result<Rules, String> {
    let overrides = overrides(set)?;
    let loaded = if paths.is_empty() {
        Rules::embedded(&overrides)
    } else {
        Rules::load(paths, &overrides)
    };
    loaded.map_err(|e| e.to_string())
}

/// Gives `check` its lists: `list` is the main table's, each `--table
/// NAME=PATH` of `tables` names another; `names` are the tables of the
/// (first) rule set, for messages.
pub fn with_lists<'a>(
    mut check: Check<'a>,
    list: Option<ListSource>,
    tables: &[String],
    names: &[String],
) -> Result<Check<'a>, String> {
    if let Some(list) = list {
        check = check.list(list).map_err(|e| e.to_string())?;
    }
    for spec in tables {
        let (name, path) = spec.split_once('=').ok_or_else(|| {
            format!("--table `{spec}`: cần dạng BẢNG=TỆP, ví dụ `--table tap_the=tap-the.csv`; các bảng: {}", names.join(", "))
        })?;
        check = check
            .table(name.trim(), ListSource::path(path.trim()))
            .map_err(|e| match e {
                EngineError::UnknownTable { .. } => format!("--table `{spec}`: {e}"),
                e => e.to_string(),
            })?;
    }
    Ok(check)
}

/// The table names of `rules`.
pub fn table_names(rules: &Rules) -> Vec<String> {
    let plan = &rules.rule_set().plan;
    plan.tables.iter().map(|t| t.id.clone()).collect()
}

/// Runs `check`: the report goes to `out`, a failure to run goes to `err`.
pub fn check(args: &CheckArgs, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> Exit {
    if let Err(msg) = documents::check_output(args) {
        let _ = writeln!(err, "{msg}");
        return Exit::Error;
    }
    match run(args) {
        Ok((report, exit, rules)) => {
            // `-o` takes the text and JSON reports too.
            let mut file;
            let out: &mut dyn std::io::Write = match (&args.output, args.format) {
                (Some(path), Format::Text | Format::Json) => match std::fs::File::create(path) {
                    Ok(f) => {
                        file = f;
                        &mut file
                    }
                    Err(e) => {
                        let _ = writeln!(err, "Không ghi được tệp {}: {e}", path.display());
                        return Exit::Error;
                    }
                },
                _ => out,
            };
            let written = match args.format {
                Format::Text => emit(out, &report::text::render(&report)),
                Format::Json => emit_with(out, |w| {
                    json::write_report(w, &report, args.spread.threads.get())
                }),
                _ => match documents::render(args, &report, &rules, out) {
                    Ok(written) => written,
                    Err(msg) => {
                        let _ = writeln!(err, "{msg}");
                        return Exit::Error;
                    }
                },
            };
            // The process ends after this: freeing a national list's
            // candidates one by one takes longer than the system takes to
            // reclaim the memory at exit.
            std::mem::forget(report);
            if written { exit } else { Exit::Error }
        }
        Err(msg) => {
            let _ = writeln!(err, "{msg}");
            Exit::Error
        }
    }
}

/// The review year of the first `--table NAME=FILE` list that carries one.
/// A list that cannot be read gives no year here: the check reads it again
/// and reports the error.
fn tables_year(tables: &[String]) -> Option<i32> {
    tables.iter().find_map(|spec| {
        let (name, path) = spec.split_once('=')?;
        Rules::table_year(name.trim(), &ListSource::path(path.trim()))
            .ok()
            .flatten()
    })
}

fn run(args: &CheckArgs) -> Result<(report::model::Report, Exit, Rules), String> {
    let list = args.list.as_ref().map(|path| {
        let source = ListSource::path(path);
        match &args.sheet {
            Some(sheet) => source.sheet(sheet.as_str()),
            None => source,
        }
    });
    let rules = match &list {
        // No rule set named: the shipped regime of the list's review year.
        Some(list) if args.rules.is_empty() => {
            let year = Rules::list_year(list).map_err(|e| e.to_string())?;
            Rules::embedded_for_year(year, &overrides(&args.set)?).map_err(|e| e.to_string())?
        }
        // No main list: the review year of the first other list that has one
        // (a collective list checked on its own).
        None if args.rules.is_empty() => match tables_year(&args.tables) {
            Some(year) => Rules::embedded_for_year(Some(year), &overrides(&args.set)?)
                .map_err(|e| e.to_string())?,
            None => load_rules(&args.rules, &args.set)?,
        },
        _ => load_rules(&args.rules, &args.set)?,
    };
    let check = Check::new(&rules)
        .failing_only(args.failing)
        .current_year(super::documents::current_year())
        .progress(Terminal::default());
    let check = with_lists(
        args.spread.apply(check),
        list,
        &args.tables,
        &table_names(&rules),
    )?;
    let checked = check.run().map_err(|e| e.to_string())?;
    let exit = if checked.all_passed {
        Exit::Pass
    } else {
        Exit::Fail
    };
    let report = checked.report;
    Ok((report, exit, rules))
}
