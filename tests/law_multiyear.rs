//! Multi-year titles under the shipped 2022 rules, as a council's lists
//! come: a history kept to the year before, a proposal cell naming two
//! titles, and lists without the columns that decide an initiative's scope
//! or the kind of an award (unknown, never a pass).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod common;

use tdkt::cli::check_format::Format;

const DIR: &str = "tests/fixtures/lists/luat-nhieu-nam";

fn check(ca_nhan: &str, lich_su: &str) -> serde_json::Value {
    let tables = vec![
        format!("ca_nhan={DIR}/{ca_nhan}"),
        format!("lich_su={DIR}/{lich_su}"),
    ];
    let (out, err, _) = common::run(&common::args(None, tables, &[], Format::Json));
    assert_eq!(err, "");
    serde_json::from_str(&out).unwrap()
}

fn candidate<'v>(v: &'v serde_json::Value, key: &str, award: &str) -> &'v serde_json::Value {
    v["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == key && c["award"] == award)
        .unwrap_or_else(|| panic!("no candidate {key} {award}"))
}

fn reason<'v>(c: &'v serde_json::Value, clause: &str) -> &'v serde_json::Value {
    c["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["clause"] == clause)
        .unwrap_or_else(|| panic!("no clause {clause}"))
}

/// P1 is proposed «CSTĐ cấp tỉnh; CSTĐCS» in 2025 with CSTĐCS 2023 and
/// 2024 in a history that stops at 2024: 2025 counts from the proposal,
/// and the reason of the passing clause says so. B1 (Bằng khen Thủ
/// tướng) has its 2025 rating in the list.
#[test]
fn the_review_year_counts_from_this_years_list_and_the_reason_says_so() {
    let v = check("ca-nhan-du-cot.csv", "lich-su-du-cot.csv");
    let p1 = candidate(&v, "P1", "CSTD_BO_TINH");
    assert_eq!(p1["verdict"], "pass", "{p1}");
    let chain = reason(p1, "CSTD_BO_TINH.cstdcs_lien_tuc");
    assert_eq!(chain["verdict"], "pass");
    let said = chain["observed"].as_str().unwrap();
    assert!(said.contains("= 3 (2023, 2024, 2025)"), "{said}");
    assert!(
        said.contains("năm 2025 chưa có trong lịch sử, tính theo danh sách năm xét: được đề nghị Chiến sĩ thi đua cơ sở năm nay và đạt tiêu chuẩn"),
        "{said}"
    );
    assert_eq!(candidate(&v, "P1", "CSTDCS")["verdict"], "pass");
    assert_eq!(candidate(&v, "B1", "BK_TTG")["verdict"], "pass");
}

/// The same people, lists without «Phạm vi sáng kiến» and «Loại khen
/// thưởng»: the scope of P1's initiative and the kind of B1's Bằng khen
/// are not known, so both are unknown, not a pass.
#[test]
fn without_scope_or_kind_columns_the_titles_are_unknown() {
    let v = check("ca-nhan.csv", "lich-su.csv");
    let p1 = candidate(&v, "P1", "CSTD_BO_TINH");
    assert_eq!(p1["verdict"], "unknown", "{p1}");
    assert_eq!(
        reason(p1, "CSTD_BO_TINH.sang_kien_pham_vi")["verdict"],
        "unknown"
    );
    let b1 = candidate(&v, "B1", "BK_TTG");
    assert_eq!(b1["verdict"], "unknown", "{b1}");
    assert_eq!(reason(b1, "BK_TTG.co_bang_khen")["verdict"], "unknown");
    let absent: Vec<&str> = v["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["absent_columns"].as_array().unwrap())
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(absent.contains(&"sang_kien_cap"), "{absent:?}");
    assert!(absent.contains(&"loai_khen_thuong"), "{absent:?}");
}
