//! Several tables in one check: members counted for a collective, years
//! of history for a person, and links to keys that do not exist.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::path::PathBuf;
use tdkt::cli::{CheckArgs, Exit, check, check_format::Format};

const RULES: &str = "tests/fixtures/rules/lien-ket";
const DIR: &str = "tests/fixtures/lists/lien-ket";

fn run(tables: &[&str], format: Format) -> (String, String, Exit) {
    let args = CheckArgs {
        list: None,
        sheet: None,
        tables: tables
            .iter()
            .map(|t| {
                let (name, file) = t.split_once('=').unwrap();
                format!("{name}={DIR}/{file}")
            })
            .collect(),
        rules: vec![PathBuf::from(RULES)],
        format,
        set: Vec::new(),
        failing: false,
        output: None,
        spread: in_pieces(),
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let exit = check(&args, &mut out, &mut err);
    (
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
        exit,
    )
}

const ALL: [&str; 3] = [
    "ca_nhan=ca-nhan.csv",
    "tap_the=tap-the.csv",
    "lich_su=lich-su.csv",
];

/// The candidate of `key` in a JSON report.
fn candidate<'v>(v: &'v serde_json::Value, key: &str) -> &'v serde_json::Value {
    v["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == key)
        .unwrap_or_else(|| panic!("no candidate {key}"))
}

/// The reason of clause `id` of a candidate.
fn reason<'v>(c: &'v serde_json::Value, id: &str) -> &'v serde_json::Value {
    c["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["clause"] == id)
        .unwrap_or_else(|| panic!("no clause {id}"))
}

fn verdict_of(v: &serde_json::Value, key: &str) -> String {
    candidate(v, key)["verdict"].as_str().unwrap().to_string()
}

#[test]
fn members_history_and_links_in_one_report() {
    let (out, err, exit) = run(&ALL, Format::Text);
    assert_eq!(err, "");
    assert_eq!(exit, Exit::Fail);
    insta::assert_snapshot!(out);
}

#[test]
fn verdicts_and_counts() {
    let (out, _, _) = run(&ALL, Format::Json);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let verdict = |key: &str| Some(verdict_of(&v, key));
    // 2023, 2024, 2025 in a row.
    assert_eq!(verdict("A").as_deref(), Some("pass"));
    // 2022, 2023, 2025: the missing 2024 breaks the chain.
    assert_eq!(verdict("B").as_deref(), Some("fail"));
    let observed = candidate(&v, "B")["reasons"][0]["observed"]
        .as_str()
        .unwrap();
    assert!(observed.contains("gián đoạn năm 2024"), "{observed}");
    // 2 of 3 members meet LĐTT: below 70 %.
    assert_eq!(verdict("T1").as_deref(), Some("fail"));
    assert_eq!(verdict("T2").as_deref(), Some("pass"));
    // T3: three members meet LĐTT, the fourth has an unreadable rating. At
    // least 3 and at most 4 of 4 meet it, both ≥ 70 % × 4 = 2,8: decided.
    // Whether all 4 complete their tasks is not: the collective is unknown.
    assert_eq!(verdict("T3").as_deref(), Some("unknown"));
    let t3 = candidate(&v, "T3");
    assert_eq!(reason(t3, "TTLDXS.ldtt")["verdict"], "pass");
    assert_eq!(reason(t3, "TTLDXS.hoan_thanh")["verdict"], "unknown");
    // The link to an unknown collective is a data error naming both tables.
    let errors: Vec<&serde_json::Value> = v["data_errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["column"] == "ma_tap_the")
        .collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["table"], "ca_nhan");
    assert_eq!(errors[0]["row"], 6);
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("không có trong danh sách «Danh sách tập thể»")
    );
    assert_eq!(v["inputs"].as_array().unwrap().len(), 3);
}

#[test]
fn without_the_history_a_streak_is_unknown_never_a_pass() {
    let (out, _, exit) = run(&["ca_nhan=ca-nhan.csv"], Format::Json);
    assert_eq!(exit, Exit::Fail);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let a = candidate(&v, "A");
    assert_eq!(a["verdict"], "unknown");
    assert!(
        a["reasons"][0]["observed"]
            .as_str()
            .unwrap()
            .contains("chưa có danh sách «Lịch sử thi đua»")
    );
}

#[test]
fn an_initiative_used_twice_is_reported_on_both_rows() {
    let (out, _, _) = run(&ALL, Format::Json);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for (key, other) in [("F", 8), ("G", 7)] {
        let c = candidate(&v, key);
        assert_eq!(c["verdict"], "fail");
        let r = reason(c, "CSTDCS.sang_kien_rieng");
        assert_eq!(r["verdict"], "fail");
        let observed = r["observed"].as_str().unwrap();
        assert!(
            observed.contains(&format!("cũng có ở dòng {other}")),
            "{observed}"
        );
    }
}

#[test]
fn unknown_table_name_exits_2() {
    let (_, err, exit) = run(&["khong_co=ca-nhan.csv"], Format::Text);
    assert_eq!(exit, Exit::Error);
    assert!(err.contains("các bảng: tap_the, ca_nhan, lich_su"), "{err}");
}

#[test]
fn the_examples_hold() {
    let rules = tdkt::semantic::load(&[PathBuf::from(RULES)], tdkt::semantic::Origin::Disk, &[])
        .unwrap_or_else(|e| panic!("{e}"));
    let results = tdkt::eval::examples::run_all(&rules);
    assert!(results.iter().all(|r| r.passed()), "{results:?}");
    assert_eq!(results.iter().map(|r| r.checked).sum::<usize>(), 11);
}

#[test]
fn a_list_without_its_link_column_is_refused_when_joined() {
    let dir = std::env::temp_dir().join(format!("tdkt-link-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("ca-nhan.csv");
    std::fs::write(
        &file,
        "Mã,Năm xét,Xếp loại,Hình thức đề nghị,Mã sáng kiến\nA,2025,Hoàn thành tốt nhiệm vụ,,\n",
    )
    .unwrap();
    let args = CheckArgs {
        list: None,
        sheet: None,
        tables: vec![
            format!("ca_nhan={}", file.display()),
            format!("tap_the={DIR}/tap-the.csv"),
        ],
        rules: vec![PathBuf::from(RULES)],
        format: Format::Text,
        set: Vec::new(),
        failing: false,
        output: None,
        spread: in_pieces(),
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let exit = check(&args, &mut out, &mut err);
    let err = String::from_utf8(err).unwrap();
    assert_eq!(exit, Exit::Error);
    assert!(err.contains("thiếu cột «Mã tập thể» (ma_tap_the)"), "{err}");
    // Alone, the same list is checked: no collective is being counted.
    let args = CheckArgs {
        tables: vec![format!("ca_nhan={}", file.display())],
        ..args
    };
    assert_ne!(check(&args, &mut Vec::new(), &mut Vec::new()), Exit::Error);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The shipped rules, with tables given by name.
fn run_shipped(tables: &[String]) -> serde_json::Value {
    let args = CheckArgs {
        list: None,
        sheet: None,
        tables: tables.to_vec(),
        rules: Vec::new(),
        format: Format::Json,
        set: Vec::new(),
        failing: false,
        output: None,
        spread: in_pieces(),
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let exit = check(&args, &mut out, &mut err);
    assert_ne!(exit, Exit::Error, "{}", String::from_utf8_lossy(&err));
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn collective_counts_come_from_columns_when_no_member_list_is_given() {
    let v = run_shipped(&["tap_the=tests/fixtures/lists/tap-the-so-luong.csv".into()]);
    // E10: 7 of 10 (≥ 70 %), all complete their tasks, one CSTĐCS.
    assert_eq!(verdict_of(&v, "TT01"), "pass");
    // E12: 5 of 10 is not above 50 %.
    assert_eq!(verdict_of(&v, "TT02"), "fail");
    // E11: 9 of 10 complete their tasks.
    assert_eq!(verdict_of(&v, "TT03"), "fail");
}

#[test]
fn a_written_count_that_disagrees_with_the_member_list_is_a_data_error() {
    let v = run_shipped(&[
        "tap_the=tests/fixtures/lists/tap-the-so-luong.csv".into(),
        "ca_nhan=examples/ca-nhan-tap-the-mau.csv".into(),
    ]);
    let errors: Vec<&serde_json::Value> = v["data_errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["table"] == "tap_the" && e["column"] == "so_thanh_vien")
        .collect();
    assert!(!errors.is_empty(), "{:#}", v["data_errors"]);
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("nhưng đếm từ danh sách liên kết được")
    );
}

/// Two threads on pieces of 50 bytes: the linked lists are read in pieces
/// too, and the reports must be those of one pass.
fn in_pieces() -> tdkt::cli::Spread {
    tdkt::cli::Spread {
        threads: std::num::NonZeroUsize::new(2).unwrap(),
        piece_size: std::num::NonZeroUsize::new(50),
    }
}

/// Three-valued counting: one member of ten whose rating is blank. K1 has
/// 6 sure of 10, above 50 % however the blank falls; K2 has 5 sure, and
/// the blank decides; K3 has 4 sure, 5 at most, never above 5.
#[test]
fn a_count_is_decided_when_its_undecided_rows_cannot_change_it() {
    const DIR: &str = "tests/fixtures/lists/ba-gia-tri";
    let v = run_shipped(&[
        format!("tap_the={DIR}/tap-the.csv"),
        format!("ca_nhan={DIR}/ca-nhan.csv"),
    ]);
    assert_eq!(verdict_of(&v, "K1"), "pass");
    assert_eq!(verdict_of(&v, "K2"), "unknown");
    assert_eq!(verdict_of(&v, "K3"), "fail");
    let observed = |key: &str| {
        let r = reason(candidate(&v, key), "TTLDTT.ldtt");
        r["observed"].as_str().unwrap().to_string()
    };
    insta::assert_snapshot!(format!("{}\n{}", observed("K2"), observed("K3")));
}

/// A history kept up to 2024 (no row of anyone in 2025) for proposals of
/// 2025: the review year is unknown, never a gap. C1 has CSTĐCS 2022–2024,
/// three sure years; C2 only 2023–2024, so 2025 decides; C3 has a real gap
/// in 2023, a year the history covers. T1 (Bằng khen Thủ tướng) has two
/// rows in 2021, which count as one year.
#[test]
fn the_review_year_missing_from_the_history_is_unknown_not_a_gap() {
    const DIR: &str = "tests/fixtures/lists/lich-su-den-nam-truoc";
    let v = run_shipped(&[
        format!("ca_nhan={DIR}/ca-nhan.csv"),
        format!("lich_su={DIR}/lich-su.csv"),
    ]);
    assert_eq!(verdict_of(&v, "C1"), "pass");
    assert_eq!(verdict_of(&v, "C2"), "unknown");
    assert_eq!(verdict_of(&v, "C3"), "fail");
    assert_eq!(verdict_of(&v, "T1"), "pass");
    let observed = |key: &str, id: &str| {
        let r = reason(candidate(&v, key), id);
        r["observed"].as_str().unwrap().to_string()
    };
    let c2 = observed("C2", "CSTD_BO_TINH.cstdcs_lien_tuc");
    assert!(c2.contains("năm 2025 chưa có trong lịch sử"), "{c2}");
    assert!(!c2.contains("gián đoạn năm 2025"), "{c2}");
    let c3 = observed("C3", "CSTD_BO_TINH.cstdcs_lien_tuc");
    assert!(c3.contains("gián đoạn năm 2023"), "{c3}");
    insta::assert_snapshot!(format!(
        "{c2}\n{}\n{c3}",
        observed("C2", "CSTD_BO_TINH.sau_ky_luat")
    ));
}
