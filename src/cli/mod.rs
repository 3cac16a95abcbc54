//! The command line: one file per subcommand.

mod check;
mod diff;
pub mod discover;
pub mod documents;
mod fmt;
mod lint;
mod progress;
pub mod rules_show;
mod serve;
mod spread;
pub mod template;
mod test;
mod vi;

use clap::{CommandFactory as _, FromArgMatches as _, Parser, Subcommand};
use std::io::Write as _;
use std::process::ExitCode;

pub use check::{CheckArgs, check, default_threads};
pub use diff::{DiffArgs, diff};
pub use fmt::{FmtArgs, fmt};
pub use lint::{LintArgs, lint};
pub use rules_show::{RulesArgs, rules};
pub use serve::{ServeArgs, serve};
pub use spread::Spread;
pub use test::{TestArgs, test};

/// Output formats of `diff`.
pub mod diff_format {
    pub use super::diff::DiffFormat;
}

/// Options of `lint`.
pub mod lint_format {
    pub use super::lint::{Deny, LintFormat};
}

/// Output formats of `check`.
pub mod check_format {
    pub use super::check::Format;
}

/// Exit codes (DESIGN.md): 0 all pass, 1 something fails or is unknown,
/// 2 the command could not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Pass = 0,
    Fail = 1,
    Error = 2,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "tdkt",
    version,
    about = "Kiểm tra danh sách đề nghị thi đua, khen thưởng theo quy định của pháp luật"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Kiểm tra một danh sách đề nghị (CSV hoặc bảng tính) theo bộ quy tắc
    Check(CheckArgs),
    /// Kiểm tra tệp quy tắc: cú pháp, kiểu và các lỗi thường gặp (lint)
    #[command(override_usage = "tdkt lint [TÙY_CHỌN] <ĐƯỜNG_DẪN>...\n       tdkt lint --list")]
    Lint(LintArgs),
    /// Trình bày tệp quy tắc theo một khuôn thống nhất
    Fmt(FmtArgs),
    /// Chạy các ví dụ (`example`) trong tệp quy tắc
    Test(TestArgs),
    /// So sánh kết quả của hai bộ quy tắc trên cùng danh sách
    Diff(DiffArgs),
    /// In bộ quy tắc có hiệu lực (sau khi gộp các lớp mở rộng)
    Rules(RulesArgs),
    /// Tạo danh sách mẫu (trống) theo bộ quy tắc: tiêu đề, ghi chú, danh mục chọn
    Template(template::TemplateArgs),
    /// Mở trang kiểm tra danh sách trong trình duyệt (máy chủ web nhỏ, chạy trên máy này)
    Serve(ServeArgs),
}

/// The command line's definition, every text in Vietnamese.
pub fn command() -> clap::Command {
    vi::localize(Cli::command())
}

/// Parses `args` (the program's name first): `tdkt help LỆNH…` is `tdkt
/// LỆNH… --help`. A usage error, the help or the version is an `Err` with
/// the text to print and whether it is an error (exit code 2).
pub fn parse(args: Vec<std::ffi::OsString>) -> Result<Cli, (String, bool)> {
    let mut args = args;
    if args.get(1).is_some_and(|a| a == "help") {
        args.remove(1);
        args.push("--help".into());
    }
    let command = command();
    command
        .clone()
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m))
        .map_err(|e| vi::message(&e, &command, &args))
}

/// Parses the arguments, runs the command and returns its exit code.
pub fn main() -> ExitCode {
    let cli = match parse(std::env::args_os().collect()) {
        Ok(c) => c,
        Err((text, true)) => {
            let _ = std::io::stderr().write_all(text.as_bytes());
            return Exit::Error.into();
        }
        Err((text, false)) => {
            emit(&mut std::io::stdout(), &text);
            return Exit::Pass.into();
        }
    };
    let mut out = std::io::stdout().lock();
    // Not locked for the whole command: a worker thread may write to stderr
    // too (a library's warning, a panic message), and would wait forever
    // for a lock held by the thread that waits for it.
    let mut err = std::io::stderr();
    let exit = match cli.command {
        Command::Check(args) => check(&args, &mut out, &mut err),
        Command::Lint(args) => lint(&args, &mut out, &mut err),
        Command::Fmt(args) => fmt(&args, &mut out, &mut err),
        Command::Test(args) => test(&args, &mut out, &mut err),
        Command::Diff(args) => diff(&args, &mut out, &mut err),
        Command::Rules(args) => rules(&args, &mut out, &mut err),
        Command::Template(args) => template::template(&args, &mut err),
        Command::Serve(args) => serve(&args, &mut out, &mut err),
    };
    exit.into()
}

/// Writes what `write` writes and a line break, buffered; like [`emit`], a
/// closed pipe is not a failure.
pub(crate) fn emit_with(
    out: &mut dyn std::io::Write,
    write: impl FnOnce(&mut std::io::BufWriter<&mut dyn std::io::Write>) -> std::io::Result<()>,
) -> bool {
    let mut w = std::io::BufWriter::with_capacity(1 << 16, out);
    let written = write(&mut w)
        .and_then(|_| w.write_all(b"\n"))
        .and_then(|_| w.flush());
    match written {
        Ok(()) => true,
        Err(e) => e.kind() == std::io::ErrorKind::BrokenPipe,
    }
}

/// Writes to stdout; a closed pipe (`tdkt … | head`) is not an error.
pub(crate) fn emit(out: &mut dyn std::io::Write, text: &str) -> bool {
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => true,
        Err(e) => e.kind() == std::io::ErrorKind::BrokenPipe,
    }
}
