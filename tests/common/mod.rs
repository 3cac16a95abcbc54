//! `tdkt check` as the command line runs it, for the integration tests.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::path::PathBuf;
use tdkt::cli::{CheckArgs, Exit, Spread, check, check_format::Format};

/// The arguments of `tdkt check [LIST] [--table …] [--rules …] --format F`,
/// on one thread, nothing else set.
pub fn args(list: Option<&str>, tables: Vec<String>, rules: &[&str], format: Format) -> CheckArgs {
    CheckArgs {
        list: list.map(PathBuf::from),
        sheet: None,
        tables,
        rules: rules.iter().map(PathBuf::from).collect(),
        format,
        set: Vec::new(),
        failing: false,
        output: None,
        spread: Spread::threads(1),
    }
}

/// What the check writes to stdout and stderr, and its exit code.
pub fn run(args: &CheckArgs) -> (String, String, Exit) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let exit = check(args, &mut out, &mut err);
    (
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
        exit,
    )
}
