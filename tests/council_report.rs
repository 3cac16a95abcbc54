//! The text report a council reads: passing proposals by unit and award,
//! reasons in labels, who meets a higher title, and what a unit breaking
//! a rate can do.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod common;

use tdkt::cli::check_format::Format;

const LIST: &str = "tests/fixtures/lists/hoi-dong.csv";
const RULES: &str = "tests/fixtures/rules/tinh-thu.tdkt";

fn check(format: Format, failing: bool, set: &[&str]) -> String {
    let mut args = common::args(Some(LIST), Vec::new(), &[RULES], format);
    args.failing = failing;
    args.set = set.iter().map(|s| s.to_string()).collect();
    common::run(&args).0
}

#[test]
fn the_council_reads_passing_proposals_higher_titles_and_remedies() {
    let text = check(Format::Text, false, &[]);
    // The tables of passing proposals fit an 80-column terminal.
    for line in text
        .lines()
        .filter(|l| l.starts_with("    Dòng") || l.starts_with("  Lao"))
    {
        assert!(line.chars().count() <= 80, "{line}");
    }
    insta::assert_snapshot!(text);
}

#[test]
fn failing_leaves_out_passing_proposals_and_higher_titles() {
    let text = check(Format::Text, true, &[]);
    assert!(!text.contains("ĐỀ NGHỊ ĐỦ ĐIỀU KIỆN"));
    assert!(!text.contains("CAO HƠN"));
    assert!(text.contains("Trần Thị Cúc"));
    assert!(text.contains("Cách khắc phục: cần rút 1 đề nghị"));
}

#[test]
fn a_rate_title_follows_the_parameter_in_force() {
    let text = check(Format::Text, false, &["ty_le_cstdcs=10%"]);
    assert!(text.contains("không quá 10% số cá nhân"), "{text}");
    assert!(!text.contains("15%"));
}

#[test]
fn json_carries_units_higher_titles_and_remedies() {
    let json: serde_json::Value = serde_json::from_str(&check(Format::Json, false, &[])).unwrap();
    let higher = &json["higher_titles"];
    assert_eq!(higher.as_array().unwrap().len(), 1);
    assert_eq!(higher[0]["row"], 4);
    assert_eq!(higher[0]["proposed"], "LDTT");
    assert_eq!(higher[0]["award_label"], "Chiến sĩ thi đua cơ sở");
    let failing: Vec<&serde_json::Value> = json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["verdict"] == "fail")
        .collect();
    assert_eq!(failing.len(), 1);
    let remedy = &failing[0]["remedy"];
    assert_eq!(remedy["withdraw"], 1);
    assert_eq!(remedy["failing_first"], serde_json::json!([3]));
    assert_eq!(remedy["awards"], serde_json::json!(["CSTDCS"]));
    assert_eq!(json["candidates"][0]["unit"], "Phòng A");
}
