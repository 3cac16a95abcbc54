//! The command line: one file per subcommand.

mod check;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

pub use check::{CheckArgs, check};

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
    /// Kiểm tra một danh sách đề nghị (CSV) theo bộ quy tắc
    Check(CheckArgs),
}

/// Parses the arguments, runs the command and returns its exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                Exit::Error
            } else {
                Exit::Pass
            };
            let _ = e.print();
            return code.into();
        }
    };
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    let exit = match cli.command {
        Command::Check(args) => check(&args, &mut out, &mut err),
    };
    exit.into()
}

/// Writes to stdout; a closed pipe (`tdkt … | head`) is not an error.
pub(crate) fn emit(out: &mut dyn std::io::Write, text: &str) -> bool {
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => true,
        Err(e) => e.kind() == std::io::ErrorKind::BrokenPipe,
    }
}
