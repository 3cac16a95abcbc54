//! `tdkt lint`: every problem seeded in `tests/lint/` (a line marked
//! `# lỗi: L-…`) is reported with that id on that line, and nothing else.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::collections::BTreeSet;
use std::path::PathBuf;
use tdkt::cli::lint_format::{Deny, LintFormat};
use tdkt::cli::{Exit, LintArgs, lint};

fn run(paths: &[&str], format: LintFormat, deny: Option<Deny>) -> (String, Exit) {
    let args = LintArgs {
        paths: paths.iter().map(PathBuf::from).collect(),
        deny,
        format,
        list: false,
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let exit = lint(&args, &mut out, &mut err);
    (
        String::from_utf8(out).unwrap() + &String::from_utf8(err).unwrap(),
        exit,
    )
}

/// `(file, line, id)` of every `# lỗi: L-…` marker under `dir`.
fn seeded(dir: &str) -> BTreeSet<(String, u64, String)> {
    let mut out = BTreeSet::new();
    let files = tdkt::cli::discover::rule_files(&[PathBuf::from(dir)]).unwrap();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (i, line) in text.lines().enumerate() {
            if let Some((_, rest)) = line.split_once("# lỗi: ") {
                let id = rest.split_whitespace().next().unwrap().to_string();
                out.insert((f.display().to_string(), i as u64 + 1, id));
            }
        }
    }
    out
}

#[test]
fn every_seeded_problem_and_nothing_else() {
    let (out, exit) = run(&["tests/lint"], LintFormat::Json, None);
    assert_eq!(exit, Exit::Pass, "warnings alone do not fail: {out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let found: BTreeSet<(String, u64, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = seeded("tests/lint");
    assert!(expected.len() >= 15, "{expected:?}");
    assert_eq!(found, expected);
    // Every lint the linter knows is exercised by the fixture.
    for (id, _, _) in tdkt::lint::LINTS {
        assert!(expected.iter().any(|(_, _, e)| e == id), "{id} not seeded");
    }
}

#[test]
fn text_report() {
    let (out, _) = run(&["tests/lint"], LintFormat::Text, None);
    insta::assert_snapshot!(out);
}

#[test]
fn exit_codes() {
    assert_eq!(
        run(&["tests/lint"], LintFormat::Text, Some(Deny::Warnings)).1,
        Exit::Fail
    );
    let (out, exit) = run(
        &["tests/rules-err/err_unknown_column.tdkt"],
        LintFormat::Text,
        None,
    );
    assert_eq!(exit, Exit::Error, "{out}");
    assert!(out.contains("E-unknown-name"), "{out}");
    assert_eq!(run(&["khong-co"], LintFormat::Text, None).1, Exit::Error);
}

#[test]
fn shipped_rules_are_clean() {
    let (out, exit) = run(&["rules"], LintFormat::Json, Some(Deny::Warnings));
    assert_eq!(exit, Exit::Pass, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["warnings"], 0);
    assert_eq!(v["summary"]["errors"], 0);
}
