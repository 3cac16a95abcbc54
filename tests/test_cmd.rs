//! `tdkt test` end to end: text, JSON and JUnit output, filters, exit codes
//! and coverage, on the fixture rule set under tests/test-cmd/.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use clap::Parser;
use tdkt::cli::{Cli, Command, Exit, test};

const FIXTURE: &str = "tests/test-cmd/mau";
const BROKEN: &str = "tests/rules-err/err_unknown_column.tdkt";

/// Runs `tdkt test ARGS…` in process: (stdout, stderr, exit).
fn run(args: &[&str]) -> (String, String, Exit) {
    let cli =
        Cli::try_parse_from(["tdkt", "test"].iter().chain(args)).unwrap_or_else(|e| panic!("{e}"));
    let Command::Test(args) = cli.command else {
        unreachable!()
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let exit = test(&args, &mut out, &mut err);
    (
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
        exit,
    )
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--format", "json"];
    all.extend(args);
    let (out, _, _) = run(&all);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}\n{out}"))
}

#[test]
fn fixture_text_report() {
    let (out, err, exit) = run(&[FIXTURE]);
    assert_eq!(err, "");
    assert_eq!(exit, Exit::Fail);
    insta::assert_snapshot!(out);
}

#[test]
fn fixture_json_report() {
    let (out, err, exit) = run(&["--format", "json", FIXTURE]);
    assert_eq!(err, "");
    assert_eq!(exit, Exit::Fail);
    // The document as written: field order is part of the contract.
    let _: serde_json::Value = serde_json::from_str(&out).unwrap();
    insta::assert_snapshot!(out);
}

#[test]
fn fixture_coverage_text_report() {
    let (out, _, exit) = run(&["--coverage", FIXTURE]);
    // Coverage gaps are reported, not failures: the exit code is the tests'.
    assert_eq!(exit, Exit::Fail);
    let cov = &out[out.find("Độ bao phủ —").unwrap()..];
    insta::assert_snapshot!(cov);
}

#[test]
fn failures_are_structured() {
    let v = json(&[FIXTURE]);
    let ex = &v["sets"][0]["examples"];
    assert_eq!(ex[0]["passed"], true);
    assert_eq!(ex[0]["checked"], 4);
    let f = &ex[1]["failures"];
    assert_eq!(f[0]["kind"], "candidate");
    assert_eq!(f[0]["key"], "D");
    assert_eq!(f[0]["award"], "CSTDCS");
    assert_eq!(f[0]["expected"], "pass");
    assert_eq!(f[0]["actual"], "fail");
    assert_eq!(f[0]["line"], 15);
    assert_eq!(f[0]["reasons"][0]["criterion"], "thanh_tich");
    assert_eq!(f[0]["reasons"][0]["verdict"], "fail");
    assert_eq!(f[1]["kind"], "rate");
    assert_eq!(f[1]["group"], "Q");
    let d = &ex[2]["failures"];
    assert_eq!(d[0]["actual"], "unknown");
    assert_eq!(d[1]["kind"], "data");
    assert_eq!(d[1]["key"], "E");
    assert_eq!(d[1]["column"], "xep_loai");
    assert_eq!(d[1]["value"], "HTXSS");
    assert_eq!(d[1]["line"], 20);
    assert_eq!(
        v["summary"],
        serde_json::json!({ "examples": 3, "passed": 1, "failed": 2, "rule_errors": 0 })
    );
    assert!(v.get("coverage").is_none());
}

#[test]
fn junit_report() {
    let (out, _, exit) = run(&["--format", "junit", FIXTURE, BROKEN]);
    assert_eq!(exit, Exit::Error);
    let doc = roxmltree::Document::parse(&out).unwrap_or_else(|e| panic!("{e}\n{out}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(root.attribute("tests"), Some("4"));
    assert_eq!(root.attribute("failures"), Some("2"));
    assert_eq!(root.attribute("errors"), Some("1"));
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 2);

    let suite = suites
        .iter()
        .find(|s| s.attribute("name") == Some(FIXTURE))
        .unwrap();
    assert_eq!(suite.attribute("tests"), Some("3"));
    assert_eq!(suite.attribute("failures"), Some("2"));
    assert_eq!(suite.attribute("errors"), Some("0"));
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let names: Vec<&str> = cases.iter().filter_map(|c| c.attribute("name")).collect();
    // Vietnamese, quotes, `<` and `&` survive the round trip.
    assert_eq!(
        names,
        [
            "Đạt: HTT có sáng kiến được CSTĐCS; HTNV không đạt LĐTT",
            "Cố ý sai: <HTT> & không sáng kiến vẫn \"đạt\"",
            "Lỗi gõ trong dữ liệu: xếp loại «HTXSS»",
        ]
    );
    assert!(
        cases
            .iter()
            .all(|c| c.attribute("classname") == Some(FIXTURE))
    );
    assert_eq!(
        cases[1].attribute("file"),
        Some("tests/test-cmd/mau/vi-du.tdkt")
    );
    assert_eq!(cases[1].attribute("line"), Some("13"));
    assert!(failure(&cases[0]).is_none());
    let f = failure(&cases[1]).unwrap();
    assert_eq!(
        f.attribute("message"),
        Some("«D» (CSTDCS): cần pass, thực tế fail (không đạt)")
    );
    let body = f.text().unwrap();
    assert!(body.contains("tests/test-cmd/mau/vi-du.tdkt:15:"), "{body}");
    assert!(body.contains("tỷ lệ CSTDCS_50 của «Q»"), "{body}");
    assert!(
        failure(&cases[2])
            .unwrap()
            .text()
            .unwrap()
            .contains("HTXSS"),
        "data errors are in the failure text"
    );

    let broken = suites
        .iter()
        .find(|s| s.attribute("name") == Some(BROKEN))
        .unwrap();
    assert_eq!(broken.attribute("errors"), Some("1"));
    let error = broken
        .descendants()
        .find(|n| n.has_tag_name("error"))
        .unwrap();
    assert!(error.text().unwrap().contains("xep_loaii"));
}

fn failure<'a, 'i>(c: &roxmltree::Node<'a, 'i>) -> Option<roxmltree::Node<'a, 'i>> {
    c.children().find(|n| n.has_tag_name("failure"))
}

#[test]
fn filter_narrows_the_run() {
    let v = json(&["--filter", "cố ý", FIXTURE]);
    let names: Vec<&str> = v["sets"][0]["examples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Cố ý sai: <HTT> & không sáng kiến vẫn \"đạt\""]);
    assert_eq!(v["summary"]["examples"], 1);

    // Upper case, and the filter repeated: any of them may match.
    let (_, _, exit) = run(&["--filter", "ĐẠT: HTT", FIXTURE]);
    assert_eq!(exit, Exit::Pass);
    let v = json(&["--filter", "đạt: htt", "--filter", "htxss", FIXTURE]);
    assert_eq!(v["summary"]["examples"], 2);
}

#[test]
fn a_filter_matching_nothing_fails() {
    let (out, err, exit) = run(&["--filter", "không có ví dụ này", FIXTURE]);
    assert_eq!(exit, Exit::Fail);
    assert!(err.contains("không có ví dụ nào được chạy"), "{err}");
    assert!(out.contains("0 ví dụ: 0 đạt, 0 không đạt"), "{out}");
}

#[test]
fn exit_codes() {
    assert_eq!(run(&[FIXTURE]).2, Exit::Fail);
    assert_eq!(run(&["--filter", "đạt: htt", FIXTURE]).2, Exit::Pass);
    // A broken rule file: 2, after running the other sets.
    let (out, _, exit) = run(&[BROKEN, FIXTURE]);
    assert_eq!(exit, Exit::Error);
    assert!(out.contains("bộ quy tắc có lỗi"), "{out}");
    assert!(out.contains("xep_loaii"), "{out}");
    assert!(out.contains("✓ Đạt: HTT có sáng kiến"), "{out}");
    assert!(out.contains("1 bộ quy tắc có lỗi"), "{out}");
    assert_eq!(run(&["tests/test-cmd/khong-co"]).2, Exit::Error);
    assert_eq!(run(&["--set", "sai", FIXTURE]).2, Exit::Error);
}

#[test]
fn fixture_coverage_counts() {
    let v = json(&["--coverage", FIXTURE]);
    let cov = &v["coverage"];
    let set = &cov["sets"][0];
    assert_eq!(set["path"], FIXTURE);
    let item = |list: &str, criterion: &str, branch: Option<u64>| {
        set[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["criterion"] == criterion && branch.is_none_or(|b| c["branch"] == b))
            .cloned()
            .unwrap()
    };
    let counts = |c: serde_json::Value| {
        (
            c["true"].as_u64().unwrap(),
            c["false"].as_u64().unwrap(),
            c["unknown"].as_u64().unwrap(),
            c["complete"].as_bool().unwrap(),
        )
    };
    // Only rows proposed for the award count: A, D, E for CSTĐCS; B, C for LĐTT.
    assert_eq!(counts(item("criteria", "xep_loai", None)), (1, 1, 0, true));
    assert_eq!(counts(item("criteria", "ldtt", None)), (2, 0, 1, false));
    assert_eq!(
        counts(item("criteria", "thanh_tich", None)),
        (2, 1, 0, true)
    );
    // Each branch is evaluated on its own, not cut short by the `any of`.
    let htxs = item("branches", "thanh_tich", Some(1));
    assert_eq!(htxs["label"], "Hoàn thành xuất sắc nhiệm vụ");
    assert_eq!(counts(htxs), (0, 2, 1, false));
    assert_eq!(
        counts(item("branches", "thanh_tich", Some(2))),
        (2, 1, 0, true)
    );
    assert_eq!(
        counts(item("branches", "thanh_tich", Some(3))),
        (0, 3, 0, false)
    );
    assert_eq!(cov["criteria"], 3);
    assert_eq!(cov["criteria_complete"], 2);
    assert_eq!(cov["branches"], 3);
    assert_eq!(cov["branches_complete"], 1);

    // Coverage follows the filter.
    let v = json(&["--coverage", "--filter", "cố ý", FIXTURE]);
    let set = &v["coverage"]["sets"][0];
    assert_eq!(
        set["criteria"][0]["true"], 0,
        "no LĐTT candidate in that example"
    );
}

#[test]
fn require_full_coverage_fails_on_gaps_only_when_asked() {
    let (_, _, exit) = run(&["--coverage", "--filter", "đạt: htt", FIXTURE]);
    assert_eq!(exit, Exit::Pass);
    let (_, err, exit) = run(&["--require-full-coverage", "--filter", "đạt: htt", FIXTURE]);
    assert_eq!(exit, Exit::Fail);
    assert!(err.contains("độ bao phủ chưa đủ"), "{err}");
}

#[test]
fn shipped_rules_are_fully_covered_by_their_examples() {
    let (out, err, exit) = run(&["--coverage", "--require-full-coverage", "rules/"]);
    assert_eq!(exit, Exit::Pass, "{err}\n{out}");
}
