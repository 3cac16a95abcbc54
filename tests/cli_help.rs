//! The command line's own texts (help, usage errors) as a user reads them:
//! in Vietnamese, through the built binary.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::process::Command;

/// Runs `tdkt ARGS`: stdout, stderr and the exit code.
fn tdkt(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_tdkt"))
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

/// Every command and subcommand, as words after `tdkt`.
const COMMANDS: &[&[&str]] = &[
    &[],
    &["check"],
    &["lint"],
    &["fmt"],
    &["test"],
    &["diff"],
    &["rules"],
    &["rules", "show"],
    &["template"],
];

/// Usage errors, one per kind clap reports.
const USAGE_ERRORS: &[&[&str]] = &[
    &["chek"],
    &["check", "--bogus"],
    &["check", "--format", "xx"],
    &["check", "--format"],
    &["check", "--threads", "0", "a.csv"],
    &["check", "--threads", "bốn", "a.csv"],
    &["check", "a.csv", "b.csv"],
    &["check", "--failing", "--failing", "a.csv"],
    &["lint"],
    &["lint", "--list", "rules"],
    &["template"],
    &["rules", "show", "--format", "html"],
    &["diff"],
];

#[test]
fn help_of_every_command() {
    for words in COMMANDS {
        for flag in ["--help", "-h"] {
            let mut args = words.to_vec();
            args.push(flag);
            let (out, err, code) = tdkt(&args);
            assert_eq!((code, err.as_str()), (0, ""), "tdkt {args:?}");
            let name = format!("help {}{flag}", words.join(" "))
                .replace(' ', "_")
                .replace("--", "_");
            insta::assert_snapshot!(name, out);
        }
    }
}

#[test]
fn help_as_a_command_is_the_help_flag() {
    assert_eq!(tdkt(&["help", "check"]), tdkt(&["check", "--help"]));
    assert_eq!(tdkt(&["help"]).0, tdkt(&["--help"]).0);
}

#[test]
fn usage_errors() {
    for args in USAGE_ERRORS {
        let (out, err, code) = tdkt(args);
        assert_eq!((code, out.as_str()), (2, ""), "tdkt {args:?}");
        let name = format!("usage {}", args.join(" ")).replace(' ', "_");
        insta::assert_snapshot!(name, format!("$ tdkt {}\n{err}", args.join(" ")));
    }
}

/// Clap's English words: none may show in help or a usage error.
const ENGLISH: &[&str] = &[
    "Usage",
    "Options",
    "Arguments",
    "Commands",
    "Print help",
    "Print version",
    "error:",
    "default:",
    "possible values",
    "Possible values",
    "tip:",
    "For more information",
    "[OPTIONS]",
    "<COMMAND>",
];

#[test]
fn no_english_from_clap() {
    let mut outputs = Vec::new();
    for words in COMMANDS {
        for flag in ["--help", "-h"] {
            let mut args = words.to_vec();
            args.push(flag);
            outputs.push((args.join(" "), tdkt(&args)));
        }
    }
    for args in USAGE_ERRORS {
        outputs.push((args.join(" "), tdkt(args)));
    }
    // Without a command: the help, on stderr, exit code 2.
    outputs.push((String::new(), tdkt(&[])));
    for (args, (out, err, _)) in &outputs {
        for word in ENGLISH {
            assert!(
                !out.contains(word) && !err.contains(word),
                "`tdkt {args}` shows {word:?}:\n{out}{err}"
            );
        }
    }
    assert_eq!(tdkt(&[]).2, 2);
}

#[test]
fn threads_shows_its_default_once() {
    let (out, _, _) = tdkt(&["check", "--help"]);
    assert_eq!(out.matches("mặc định: số nhân").count(), 1);
    assert!(!out.contains("[mặc định: 2]") && !out.contains("[mặc định: 1]"));
}
