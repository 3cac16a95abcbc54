//! `tdkt check` end to end: reports on fixture lists, exit codes, and the
//! JSON contract of DESIGN.md.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::path::PathBuf;
use tdkt::cli::{CheckArgs, Exit, Spread, check, check_format::Format};

fn run(list: &str, rules: &[&str], format: Format, set: &[&str]) -> (String, String, Exit) {
    run_on(list, rules, format, set, 2)
}

/// `threads`: 1 reads and evaluates on one thread; 2 cuts the list into
/// pieces of 64 bytes (a few rows each) that two threads evaluate.
fn run_on(
    list: &str,
    rules: &[&str],
    format: Format,
    set: &[&str],
    threads: usize,
) -> (String, String, Exit) {
    let args = CheckArgs {
        list: Some(PathBuf::from(list)),
        sheet: None,
        tables: Vec::new(),
        rules: rules.iter().map(PathBuf::from).collect(),
        format,
        set: set.iter().map(|s| s.to_string()).collect(),
        failing: false,
        output: None,
        spread: Spread {
            threads: std::num::NonZeroUsize::new(threads).unwrap(),
            piece_size: (threads > 1).then(|| std::num::NonZeroUsize::new(64).unwrap()),
        },
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let exit = check(&args, &mut out, &mut err);
    (
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
        exit,
    )
}

const OVERLAY: &str = "tests/fixtures/rules/tinh-thu.tdkt";

#[test]
fn sample_list_text_report() {
    let (out, err, exit) = run("examples/danh-sach-mau.csv", &[], Format::Text, &[]);
    assert_eq!(err, "");
    assert_eq!(exit, Exit::Fail);
    insta::assert_snapshot!(out);
}

#[test]
fn rates_text_report() {
    let (out, _, exit) = run(
        "tests/fixtures/lists/ty-le.csv",
        &[OVERLAY],
        Format::Text,
        &[],
    );
    assert_eq!(exit, Exit::Fail);
    insta::assert_snapshot!(out);
}

#[test]
fn rates_under_half_up_rounding() {
    let (out, _, _) = run(
        "tests/fixtures/lists/ty-le.csv",
        &[OVERLAY],
        Format::Json,
        &["lam_tron_cstdcs=half-up"],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let c = group(&v, "CSTDCS_15", "Phòng C");
    assert_eq!(c["verdict"], "pass");
    assert_eq!(c["limit"], "15% × 33 = 4,95 → làm tròn nửa lên 5");
    assert!(c["borderline"].as_str().unwrap().contains("làm tròn xuống"));
    assert_eq!(v["rules"]["overrides"][0]["name"], "lam_tron_cstdcs");
}

#[test]
fn a_higher_cap_set_on_the_command_line() {
    let (out, _, _) = run(
        "tests/fixtures/lists/ty-le.csv",
        &[OVERLAY],
        Format::Json,
        &["ty_le_cstdcs=30%"],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(group(&v, "CSTDCS_15", "Phòng B")["verdict"], "pass");
    assert_eq!(
        group(&v, "CSTDCS_15", "Phòng B")["limit"],
        "30% × 7 = 2,1 → làm tròn xuống 2"
    );
}

fn group<'a>(v: &'a serde_json::Value, rule: &str, name: &str) -> &'a serde_json::Value {
    v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["rule"] == rule && g["group"] == name)
        .unwrap_or_else(|| panic!("no group {rule} {name}"))
}

#[test]
fn rates_json_report() {
    let (out, _, _) = run(
        "tests/fixtures/lists/ty-le.csv",
        &[OVERLAY],
        Format::Json,
        &[],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    validate_contract(&v);
    let b = group(&v, "CSTDCS_15", "Phòng B");
    assert_eq!(b["verdict"], "fail");
    assert_eq!(
        (b["numerator"].as_u64(), b["denominator"].as_u64()),
        (Some(2), Some(7))
    );
    assert_eq!(b["rows"], serde_json::json!([14, 15]));
    insta::assert_json_snapshot!(v, { ".engine.version" => "[version]" });
}

#[test]
fn list_with_every_kind_of_trouble() {
    let (out, err, exit) = run(
        "tests/fixtures/lists/co-loi.csv",
        &[OVERLAY],
        Format::Json,
        &[],
    );
    assert_eq!(err, "");
    assert_eq!(exit, Exit::Fail);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    validate_contract(&v);
    assert_eq!(v["inputs"][0]["delimiter"], ";");
    assert_eq!(v["inputs"][0]["bom"], true);
    let verdict = |key: &str| {
        v["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["key"] == key)
            .map(|c| c["verdict"].clone())
    };
    // NFD-encoded label, decimal with a comma: read as written.
    assert_eq!(verdict("T01"), Some("pass".into()));
    // Lowercase label.
    assert_eq!(verdict("T02"), Some("pass".into()));
    // Unknown label, blank required cell, bad integer: unknown, never pass.
    assert_eq!(verdict("T03"), Some("unknown".into()));
    assert_eq!(verdict("T04"), Some("unknown".into()));
    assert_eq!(verdict("T06"), Some("unknown".into()));
    // 84,9 < 85.
    assert_eq!(verdict("T05"), Some("fail".into()));
    // An unknown proposal label is a data error, and still a candidate:
    // unknown, with the data error as its reason, counted.
    assert_eq!(verdict("T07"), Some("unknown".into()));
    let t07 = v["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "T07")
        .unwrap();
    assert_eq!(t07["award"], "");
    let observed = t07["reasons"][0]["observed"].as_str().unwrap();
    assert!(
        observed.contains("«Bằng khen tỉnh» không phải giá trị hợp lệ"),
        "{observed}"
    );
    // 15 months in a year: outside the declared 0..12, so unknown.
    assert_eq!(verdict("T08"), Some("unknown".into()));
    // Huân chương Lao động hạng Ba needs the history list, not given here.
    assert_eq!(verdict("T09"), Some("unknown".into()));
    assert_eq!(v["summary"]["unchecked"], 0);
    let errors: Vec<(u64, String)> = v["data_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e["column"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        vec![
            (4, "xep_loai".into()),
            (5, "xep_loai".into()),
            (7, "so_thang_cong_tac".into()),
            (8, "de_nghi".into()),
            (9, "so_thang_cong_tac".into())
        ]
    );
    let closest = v["data_errors"][0]["expected"].as_str().unwrap();
    assert!(
        closest.starts_with("gần nhất: «Hoàn thành tốt nhiệm vụ»"),
        "{closest}"
    );
    let (text, _, _) = run(
        "tests/fixtures/lists/co-loi.csv",
        &[OVERLAY],
        Format::Text,
        &[],
    );
    insta::assert_snapshot!(text);
}

#[test]
fn absent_columns_are_listed_and_a_list_without_proposals_is_not_a_pass() {
    // The list lacks the proposal column (and others): nothing to check,
    // which is never "everything passes".
    let (out, err, exit) = run("tests/fixtures/lists/thieu-cot.csv", &[], Format::Text, &[]);
    assert_eq!(err, "");
    assert_eq!(exit, Exit::Fail);
    assert!(out.contains("Không có cột «Hình thức đề nghị»"), "{out}");
    assert!(out.contains("danh sách không có đề nghị nào"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn a_list_with_a_header_and_no_rows_exits_1() {
    let dir = std::env::temp_dir().join(format!("tdkt-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let list = dir.join("ds.csv");
    std::fs::write(&list, "Mã cán bộ;Họ và tên;Hình thức đề nghị\n").unwrap();
    let (out, _, exit) = run(list.to_str().unwrap(), &[], Format::Text, &[]);
    assert_eq!(exit, Exit::Fail, "{out}");
    assert!(out.contains("danh sách không có đề nghị nào"), "{out}");
    assert!(!out.contains("mọi đề nghị và tỷ lệ đều đạt"), "{out}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_rule_file_error_exits_2_with_file_line_and_caret() {
    let (out, err, exit) = run(
        "examples/danh-sach-mau.csv",
        &["tests/rules-err/err_type_enum_vs_number.tdkt"],
        Format::Text,
        &[],
    );
    assert_eq!(out, "");
    assert_eq!(exit, Exit::Error);
    assert!(
        err.starts_with("tests/rules-err/err_type_enum_vs_number.tdkt:"),
        "{err}"
    );
    assert!(err.contains('^') || err.contains('┬'), "{err}");
}

#[test]
fn unreadable_list_and_unknown_parameter_exit_2() {
    let (_, err, exit) = run("tests/fixtures/lists/khong-co.csv", &[], Format::Text, &[]);
    assert_eq!(exit, Exit::Error);
    assert!(err.contains("khong-co.csv"), "{err}");
    let (_, err, exit) = run(
        "examples/danh-sach-mau.csv",
        &[],
        Format::Text,
        &["ty_le=20%"],
    );
    assert_eq!(exit, Exit::Error);
    assert!(err.contains("ty_le"), "{err}");
}

#[test]
fn a_clean_list_exits_0() {
    let (out, _, exit) = run("tests/fixtures/lists/dat-het.csv", &[], Format::Text, &[]);
    assert_eq!(exit, Exit::Pass, "{out}");
}

/// Checks the fields and types that DESIGN.md's JSON contract promises.
fn validate_contract(v: &serde_json::Value) {
    use serde_json::Value;
    fn has(v: &Value, key: &str, kind: fn(&Value) -> bool) {
        assert!(
            v.get(key).is_some_and(kind),
            "field `{key}` missing or of the wrong type in {v}"
        );
    }
    let verdict = |v: &Value| matches!(v.as_str(), Some("pass" | "fail" | "unknown"));
    has(v, "engine", Value::is_object);
    has(&v["engine"], "name", Value::is_string);
    has(&v["engine"], "version", Value::is_string);
    has(&v["rules"], "name", Value::is_string);
    for f in v["rules"]["files"].as_array().unwrap() {
        has(f, "path", Value::is_string);
        assert_eq!(f["sha256"].as_str().unwrap().len(), 64);
    }
    for i in v["inputs"].as_array().unwrap() {
        has(i, "path", Value::is_string);
        assert_eq!(i["sha256"].as_str().unwrap().len(), 64);
        has(i, "rows", Value::is_u64);
    }
    for k in [
        "candidates",
        "pass",
        "fail",
        "unknown",
        "groups",
        "groups_fail",
    ] {
        has(&v["summary"], k, Value::is_u64);
    }
    for c in v["candidates"].as_array().unwrap() {
        has(c, "row", Value::is_u64);
        has(c, "key", Value::is_string);
        has(c, "award", Value::is_string);
        has(c, "award_label", Value::is_string);
        assert!(verdict(&c["verdict"]), "{c}");
        for r in c["reasons"].as_array().unwrap() {
            for k in ["clause", "message", "cite"] {
                has(r, k, Value::is_string);
            }
            assert!(verdict(&r["verdict"]), "{r}");
        }
    }
    for g in v["groups"].as_array().unwrap() {
        for k in ["rule", "group", "limit", "message"] {
            has(g, k, Value::is_string);
        }
        has(g, "numerator", Value::is_u64);
        has(g, "denominator", Value::is_u64);
        has(g, "rows", Value::is_array);
        assert!(verdict(&g["verdict"]), "{g}");
    }
    for e in v["data_errors"].as_array().unwrap() {
        has(e, "row", Value::is_u64);
        for k in ["column", "value", "message"] {
            has(e, k, Value::is_string);
        }
    }
    let s = &v["summary"];
    let n = v["candidates"].as_array().unwrap().len() as u64;
    assert_eq!(s["candidates"].as_u64(), Some(n));
    assert_eq!(
        s["pass"].as_u64().unwrap() + s["fail"].as_u64().unwrap() + s["unknown"].as_u64().unwrap(),
        n
    );
}

#[test]
fn shares_within_a_collective_are_exact_and_shown() {
    let (out, err, exit) = run(
        "tests/fixtures/lists/tap-the.csv",
        &["tests/fixtures/rules/tap-the.tdkt"],
        Format::Text,
        &[],
    );
    assert_eq!(err, "");
    assert_eq!(exit, Exit::Fail);
    // 6 of 9 is below 70 % (6,3); 5 of 10 is not above 50 %.
    assert!(
        out.contains("Số cá nhân đạt LĐTT = 6, cần ≥ 70% × (Tổng số cá nhân = 9) = 6,3"),
        "{out}"
    );
    assert!(
        out.contains("Số cá nhân đạt LĐTT = 5, cần > 50% × (Tổng số cá nhân = 10) = 5"),
        "{out}"
    );
    // The same list passes once the share is lowered to 60 % (60 % × 9 = 5,4).
    let (out, _, _) = run(
        "tests/fixtures/lists/tap-the.csv",
        &["tests/fixtures/rules/tap-the.tdkt"],
        Format::Json,
        &["ty_le_ldtt_ttlds=60%"],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["candidates"][0]["key"], "P1");
    assert_eq!(v["candidates"][0]["verdict"], "pass");
}

#[test]
fn one_thread_and_two_give_the_same_report() {
    let cases: [(&str, &[&str]); 4] = [
        ("tests/fixtures/lists/co-loi.csv", &[]),
        ("tests/fixtures/lists/ty-le.csv", &[OVERLAY]),
        ("examples/danh-sach-mau.csv", &[]),
        ("tests/fixtures/lists/thieu-cot.csv", &[]),
    ];
    for (list, rules) in cases {
        let one = run_on(list, rules, Format::Json, &[], 1);
        let two = run_on(list, rules, Format::Json, &[], 2);
        assert_eq!(one, two, "{list}");
    }
}

#[test]
fn one_unit_written_several_ways_is_one_group() {
    // The unit is found by the cell's bytes: spellings that are one text
    // (NFD, spaces around) must still meet in one group, on any thread.
    let clean = std::fs::read_to_string("tests/fixtures/lists/ty-le.csv").unwrap();
    let mut messy = String::new();
    for (i, line) in clean.lines().enumerate() {
        let spelled = match i % 3 {
            1 => line.replacen(",Phòng B,", ",  Phòng B ,", 1),
            2 => line.replacen(",Phòng B,", ",\"Pho\u{300}ng B\",", 1),
            _ => line.to_string(),
        };
        messy.push_str(&spelled);
        messy.push('\n');
    }
    assert_ne!(messy, clean);
    let dir = std::env::temp_dir().join(format!("tdkt-spellings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let list = dir.join("ds.csv");
    std::fs::write(&list, &messy).unwrap();
    let report = |list: &str, threads| {
        let (out, _, _) = run_on(list, &[OVERLAY], Format::Json, &[], threads);
        let mut v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v["inputs"] = serde_json::Value::Null;
        v
    };
    let expected = report("tests/fixtures/lists/ty-le.csv", 1);
    for threads in [1, 2] {
        let got = report(list.to_str().unwrap(), threads);
        assert_eq!(got["groups"], expected["groups"], "{threads} threads");
        assert_eq!(got["summary"], expected["summary"], "{threads} threads");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A list built to trip the cutting of a list into pieces: quoted cells
/// over several lines, a quote inside an unquoted cell, blank rows, a key
/// written twice far apart, CRLF line ends.
fn awkward_list() -> String {
    let sample = std::fs::read_to_string("examples/danh-sach-mau.csv").unwrap();
    let mut lines = sample.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    let mut out = format!("{header}\r\n");
    for round in 0..4 {
        for (i, row) in rows.iter().enumerate() {
            let mut row = row.replacen("CB0", &format!("CB{round}"), 1);
            if i % 7 == 3 {
                row = row.replacen(",Phòng", ",\"Phòng\nTổ \"\"một\"\"\r\n", 1) + "\"";
            }
            if i % 11 == 5 {
                row = row.replacen(",Chuyên viên,", ",Chuyên \"viên,", 1);
            }
            out.push_str(&row);
            out.push_str(if i % 2 == 0 { "\r\n" } else { "\n" });
            if i % 9 == 4 {
                out.push_str(",,,,\n\n");
            }
        }
    }
    // The first row again, at the end: a duplicate key.
    out.push_str(rows[0]);
    out.push('\n');
    out
}

#[test]
fn pieces_give_what_one_pass_gives() {
    let dir = std::env::temp_dir().join(format!("tdkt-pieces-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let list = dir.join("ds.csv");
    let text = awkward_list();
    std::fs::write(&list, &text).unwrap();
    let run_with = |threads: usize, piece: Option<usize>| {
        let args = CheckArgs {
            list: Some(list.clone()),
            sheet: None,
            tables: Vec::new(),
            rules: Vec::new(),
            format: Format::Json,
            set: Vec::new(),
            failing: false,
            output: None,
            spread: Spread {
                threads: std::num::NonZeroUsize::new(threads).unwrap(),
                piece_size: piece.and_then(std::num::NonZeroUsize::new),
            },
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let exit = check(&args, &mut out, &mut err);
        (
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
            exit,
        )
    };
    let one = run_with(1, None);
    assert_eq!(one.1, "");
    assert!(
        one.0.contains("hai lần: dòng 2 và dòng này") || one.0.contains("trùng với dòng 2"),
        "the duplicate key is reported: {}",
        one.0
    );
    for piece in [1, 17, 64, 100, 333, 1000, 4096] {
        for threads in [2, 3] {
            assert_eq!(
                run_with(threads, Some(piece)),
                one,
                "piece {piece}, {threads} threads"
            );
        }
    }
    // A byte that is not UTF-8 far into the list: the same row is named.
    let mut bad = text.into_bytes();
    let at = bad.len() - 40;
    bad[at] = 0xFF;
    std::fs::write(&list, &bad).unwrap();
    let one = run_with(1, None);
    assert!(one.1.contains("không phải văn bản UTF-8"), "{}", one.1);
    for piece in [50, 300] {
        assert_eq!(run_with(2, Some(piece)), one, "piece {piece}");
    }
    std::fs::remove_dir_all(&dir).ok();
}
