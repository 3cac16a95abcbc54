//! The sample list under each shipped rule set gives the verdicts that
//! legal.md §7 predicts (E4, E5, E6, E7, E16).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::path::PathBuf;
use tdkt::cli::{CheckArgs, check, check_format::Format};

/// The sample list; under the 2017 regime, the same list with a column
/// saying everyone registered for the emulation movement (Luật 2003 Điều 10
/// khoản 1 điểm b), without which its titles are unknown.
fn report(rules: &[&str]) -> serde_json::Value {
    let list = if rules.contains(&"rules/nd-91-2017") {
        "tests/fixtures/lists/nam-xet/danh-sach-mau-dang-ky.csv"
    } else {
        "examples/danh-sach-mau.csv"
    };
    report_of(list, rules)
}

fn report_of(list: &str, rules: &[&str]) -> serde_json::Value {
    let args = CheckArgs {
        list: Some(PathBuf::from(list)),
        sheet: None,
        tables: Vec::new(),
        rules: rules.iter().map(PathBuf::from).collect(),
        format: Format::Json,
        set: Vec::new(),
        failing: false,
        output: None,
        spread: tdkt::cli::Spread::threads(2),
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    check(&args, &mut out, &mut err);
    assert!(err.is_empty(), "{}", String::from_utf8_lossy(&err));
    serde_json::from_slice(&out).unwrap()
}

fn verdict(r: &serde_json::Value, key: &str) -> String {
    let c = r["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == key)
        .unwrap();
    c["verdict"].as_str().unwrap().to_string()
}

fn group(r: &serde_json::Value, rule: &str, unit: &str) -> Option<String> {
    r["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["rule"] == rule && g["group"] == unit)
        .map(|g| g["verdict"].as_str().unwrap().to_string())
}

#[test]
fn e4_htxs_without_initiative_passes_in_2022_and_fails_under_nd_91() {
    assert_eq!(verdict(&report(&[]), "CB002"), "pass");
    assert_eq!(verdict(&report(&["rules/nd-91-2017"]), "CB002"), "fail");
}

#[test]
fn e5_htt_with_initiative_passes_in_both_regimes() {
    assert_eq!(verdict(&report(&[]), "CB003"), "pass");
    assert_eq!(verdict(&report(&["rules/nd-91-2017"]), "CB003"), "pass");
}

#[test]
fn e6_nine_months_passes_in_2022_and_fails_under_nd_91() {
    assert_eq!(verdict(&report(&[]), "CB014"), "pass");
    assert_eq!(verdict(&report(&["rules/nd-91-2017"]), "CB014"), "fail");
}

#[test]
fn e7_forty_five_days_of_sick_leave_passes_in_both_regimes() {
    assert_eq!(verdict(&report(&[]), "CB013"), "pass");
    assert_eq!(verdict(&report(&["rules/nd-91-2017"]), "CB013"), "pass");
}

#[test]
fn e16_two_of_six_awards_to_non_leaders_fails_only_under_the_local_rule() {
    let unit = "Phòng Kế hoạch - Tài chính";
    assert_eq!(group(&report(&[]), "KHONG_LANH_DAO_50", unit), None);
    let local = report(&["rules/dia-phuong/khong-lanh-dao-50"]);
    assert_eq!(
        group(&local, "KHONG_LANH_DAO_50", unit).as_deref(),
        Some("fail")
    );
    assert_eq!(
        group(&local, "KHONG_LANH_DAO_50", "Văn phòng Sở").as_deref(),
        Some("pass")
    );
}

#[test]
fn the_15_percent_cap_applies_under_nd_91_and_the_local_overlay_only() {
    let unit = "Phòng Tổ chức cán bộ";
    assert_eq!(group(&report(&[]), "CSTDCS_15", unit), None);
    assert_eq!(
        group(&report(&["rules/nd-91-2017"]), "CSTDCS_15", unit).as_deref(),
        Some("fail")
    );
    assert_eq!(
        group(
            &report(&["rules/dia-phuong/cstdcs-15-luat-2022"]),
            "CSTDCS_15",
            unit
        )
        .as_deref(),
        Some("fail")
    );
}

#[test]
fn without_the_registration_column_the_2017_titles_are_unknown() {
    let r = report_of("examples/danh-sach-mau.csv", &["rules/nd-91-2017"]);
    // E5 passes once registration is known; without it, it is not a pass.
    assert_eq!(verdict(&r, "CB003"), "unknown");
    // E4 fails on its own (no initiative): a missing column does not save it.
    assert_eq!(verdict(&r, "CB002"), "fail");
}
