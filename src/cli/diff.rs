//! `tdkt diff [--base RULES]… [--new RULES]… [--set P=V]… LIST…`: the same
//! lists under the current and the proposed rules; who flips, which unit
//! newly breaks a rate. Exit 0 when nothing changes, 1 when something does.

use super::check::{load_rules, table_names, with_lists};
use super::progress::Terminal;
use super::spread::Spread;
use super::{Exit, emit};
use crate::engine::{Check, ListSource};
use crate::report::diff::{ListDiff, csv, render};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
    Csv,
}

#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    /// Danh sách đề nghị (CSV), một hay nhiều (ví dụ mỗi năm một danh sách)
    #[arg(required = true, value_name = "DANH_SÁCH")]
    pub lists: Vec<PathBuf>,
    /// Danh sách của một bảng khác, dùng chung cho mọi năm, ví dụ
    /// `--table lich_su=lich-su.csv` (lặp lại được)
    #[arg(long = "table", value_name = "BẢNG=TỆP")]
    pub tables: Vec<String>,
    /// Bộ quy tắc gốc; mặc định: bộ Luật 2022 kèm theo
    #[arg(long = "base", value_name = "ĐƯỜNG_DẪN")]
    pub base: Vec<PathBuf>,
    /// Bộ quy tắc mới (dự thảo); mặc định: bộ gốc
    #[arg(long = "new", value_name = "ĐƯỜNG_DẪN")]
    pub new: Vec<PathBuf>,
    /// Đổi một tham số của bộ mới, ví dụ `--set ty_le_cstdcs=20%`
    #[arg(long = "set", value_name = "THAM_SỐ=GIÁ_TRỊ")]
    pub set: Vec<String>,
    /// Định dạng kết quả
    #[arg(long, value_enum, default_value = "text", value_name = "ĐỊNH_DẠNG")]
    pub format: DiffFormat,
    #[command(flatten)]
    pub spread: Spread,
}

pub fn diff(args: &DiffArgs, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> Exit {
    match run(args) {
        Ok((text, changed)) => {
            if !emit(out, &text) {
                return Exit::Error;
            }
            if changed { Exit::Fail } else { Exit::Pass }
        }
        Err(e) => {
            let _ = writeln!(err, "{e}");
            Exit::Error
        }
    }
}

fn run(args: &DiffArgs) -> Result<(String, bool), String> {
    let base = load_rules(&args.base, &[])?;
    let new_paths = if args.new.is_empty() {
        &args.base
    } else {
        &args.new
    };
    let new = load_rules(new_paths, &args.set)?;
    let names = table_names(&base);
    let mut diffs: Vec<ListDiff> = Vec::new();
    for list in &args.lists {
        // One read of each list feeds both rule sets.
        let check = Check::each(&[&base, &new])
            .current_year(super::documents::current_year())
            .progress(Terminal::default());
        let check = with_lists(
            args.spread.apply(check),
            Some(ListSource::path(list)),
            &args.tables,
            &names,
        )?;
        diffs.push(
            check
                .run_diff(&list.display().to_string())
                .map_err(|e| e.to_string())?,
        );
    }
    let changed = diffs.iter().any(ListDiff::changed);
    let (base, new) = (base.rule_set(), new.rule_set());
    let new_name = if args.set.is_empty() {
        new.plan.name.clone()
    } else {
        format!("{} (--set {})", new.plan.name, args.set.join(", "))
    };
    let text = match args.format {
        DiffFormat::Text => render(&base.plan.name, &new_name, &diffs),
        DiffFormat::Csv => csv(&diffs),
        DiffFormat::Json => {
            let flips: usize = diffs.iter().map(|d| d.flips.len()).sum();
            let groups: usize = diffs.iter().map(|d| d.groups.len()).sum();
            let v = serde_json::json!({
                "base": {"name": base.plan.name, "files": base.files},
                "new": {"name": new_name, "files": new.files},
                "lists": diffs,
                "total": {"flips": flips, "groups_changed": groups},
            });
            format!("{v:#}\n")
        }
    };
    Ok((text, changed))
}
