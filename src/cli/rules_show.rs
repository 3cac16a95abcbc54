//! `tdkt rules show [--rules PATH]… [--format text|json] [--set P=V]…`
//!
//! Prints the effective rule set after its layers are merged: every table,
//! column, parameter, award, criterion and rate, each marked with the file
//! it comes from (the base, or an overlay that adds or replaces it). The
//! view itself is the library's ([`crate::report::rules_view`]).

use super::check::load_rules;
use super::{Exit, emit};
use crate::report::rules_view::{build, render_text};
use clap::{Args, Subcommand};
use std::path::PathBuf;

/// Output formats of `rules show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ShowFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub command: RulesCommand,
}

#[derive(Debug, Clone, Subcommand)]
pub enum RulesCommand {
    /// In bộ quy tắc có hiệu lực, ghi rõ mỗi khai báo đến từ bộ gốc hay lớp mở rộng nào
    Show(ShowArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ShowArgs {
    /// Tệp hoặc thư mục quy tắc (.tdkt); mặc định: bộ quy tắc Luật 2022 kèm theo
    #[arg(long = "rules", value_name = "ĐƯỜNG_DẪN")]
    pub rules: Vec<PathBuf>,
    /// Định dạng kết quả
    #[arg(long, value_enum, default_value = "text", value_name = "ĐỊNH_DẠNG")]
    pub format: ShowFormat,
    /// Đổi một tham số, ví dụ `--set ty_le_cstdcs=20%`
    #[arg(long = "set", value_name = "THAM_SỐ=GIÁ_TRỊ")]
    pub set: Vec<String>,
}

pub fn rules(args: &RulesArgs, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> Exit {
    let RulesCommand::Show(args) = &args.command;
    let rules = match load_rules(&args.rules, &args.set) {
        Ok(r) => r.into_rule_set(),
        Err(msg) => {
            let _ = writeln!(err, "{msg}");
            return Exit::Error;
        }
    };
    let shown = build(&rules);
    let text = match args.format {
        ShowFormat::Text => render_text(&shown),
        ShowFormat::Json => serde_json::to_string_pretty(&shown).unwrap_or_default() + "\n",
    };
    if emit(out, &text) {
        Exit::Pass
    } else {
        Exit::Error
    }
}
