//! `tdkt template [--rules PATH]… [--table BẢNG] [--format xlsx|csv] -o FILE`

use super::Exit;
use super::check::load_rules;
use super::documents::{refuse_input, write_file};
use crate::report::template;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TemplateFormat {
    /// Bảng tính Excel: mỗi bảng một trang, có ghi chú và danh mục chọn
    Xlsx,
    /// CSV cho Excel (UTF-8 có BOM): dòng tiêu đề của một bảng
    Csv,
}

#[derive(Debug, Clone, Args)]
pub struct TemplateArgs {
    /// Tệp hoặc thư mục quy tắc (.tdkt); mặc định: bộ quy tắc Luật 2022 kèm theo
    #[arg(long = "rules", value_name = "ĐƯỜNG_DẪN")]
    pub rules: Vec<PathBuf>,
    /// Chỉ bảng này (mã bảng, ví dụ `ca_nhan`); mặc định: mọi bảng (CSV: bảng đầu tiên)
    #[arg(long, value_name = "BẢNG")]
    pub table: Option<String>,
    /// Định dạng của mẫu
    #[arg(long, value_enum, default_value = "xlsx", value_name = "ĐỊNH_DẠNG")]
    pub format: TemplateFormat,
    /// Tệp mẫu sẽ ghi, ví dụ `-o mau.xlsx`
    #[arg(short = 'o', long = "output", value_name = "TỆP")]
    pub output: PathBuf,
}

/// Writes the empty list of a rule set.
pub fn template(args: &TemplateArgs, err: &mut dyn std::io::Write) -> Exit {
    match run(args) {
        Ok(()) => Exit::Pass,
        Err(msg) => {
            let _ = writeln!(err, "{msg}");
            Exit::Error
        }
    }
}

fn run(args: &TemplateArgs) -> Result<(), String> {
    refuse_input(&args.output, &args.rules)?;
    let rules = load_rules(&args.rules, &[])?;
    let plan = &rules.rule_set().plan;
    let only = match &args.table {
        Some(name) => Some(plan.table(name.trim()).ok_or_else(|| {
            let names: Vec<&str> = plan.tables.iter().map(|t| t.id.as_str()).collect();
            format!(
                "--table `{name}`: bộ quy tắc không có bảng này; các bảng: {}",
                names.join(", ")
            )
        })?),
        None => None,
    };
    let bytes = match args.format {
        TemplateFormat::Xlsx => template::xlsx(plan, only)?,
        TemplateFormat::Csv => {
            let table = plan
                .tables
                .get(only.unwrap_or(0))
                .ok_or("bộ quy tắc không có bảng nào")?;
            template::csv(table)
        }
    };
    write_file(&args.output, &bytes)
}
