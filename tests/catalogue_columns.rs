//! A list with only the columns of the catalogue's schema of an
//! individuals' list (legal.md §6.1): it checks under the shipped rule
//! sets, every proposal is a candidate, and the columns the rules read that
//! the schema lacks are listed.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod common;

use tdkt::cli::{Exit, check_format::Format};

const LIST: &str = "tests/fixtures/lists/cot-6-1.csv";

/// The Vietnamese headers of §6.1, in the catalogue's order.
const CATALOGUE_HEADERS: [&str; 26] = [
    "Mã cán bộ",
    "Họ và tên",
    "Đơn vị",
    "Chức vụ",
    "Giữ chức vụ lãnh đạo, quản lý",
    "Người trực tiếp lao động",
    "Đối tượng",
    "Giới tính",
    "Năm xét",
    "Xếp loại chất lượng",
    "Điểm đánh giá",
    "Ngày tuyển dụng",
    "Số tháng công tác trong năm",
    "Số ngày nghỉ (ngày làm việc)",
    "Số ngày nghỉ thai sản",
    "Số tháng đi đào tạo, bồi dưỡng",
    "Kết quả đào tạo",
    "Hình thức kỷ luật (trong năm)",
    "Ngày hết thời hạn kỷ luật",
    "Đang xem xét kỷ luật/thanh tra",
    "Có sáng kiến được công nhận",
    "Mã sáng kiến",
    "Phạm vi sáng kiến",
    "Có đề tài KH đã nghiệm thu",
    "Hình thức đề nghị",
    "Ghi chú",
];

/// Headers of §6.1 that no shipped table declares: read by no rule.
const UNDECLARED: [&str; 4] = [
    "Người trực tiếp lao động",
    "Đối tượng",
    "Giới tính",
    "Ngày hết thời hạn kỷ luật",
];

fn run(rules: &[&str], format: Format) -> (String, Exit) {
    let (out, err, exit) = common::run(&common::args(Some(LIST), Vec::new(), rules, format));
    assert_eq!(err, "", "{rules:?}");
    (out, exit)
}

/// The fixture's rows with a proposal, by row number (the header is row 1).
fn proposal_rows() -> Vec<u64> {
    let mut r = csv::Reader::from_path(LIST).unwrap();
    let headers: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        headers, CATALOGUE_HEADERS,
        "the fixture has exactly §6.1's headers"
    );
    let col = headers
        .iter()
        .position(|h| h == "Hình thức đề nghị")
        .unwrap();
    r.records()
        .enumerate()
        .filter(|(_, rec)| !rec.as_ref().unwrap()[col].trim().is_empty())
        .map(|(i, _)| i as u64 + 2)
        .collect()
}

#[test]
fn a_list_with_the_catalogue_columns_checks_under_the_shipped_rule_sets() {
    let expected = proposal_rows();
    assert_eq!(expected.len(), 8, "a blank proposal stays in the fixture");
    for rules in [&[][..], &["rules/nd-91-2017"][..]] {
        let (out, exit) = run(rules, Format::Json);
        assert!(
            matches!(exit, Exit::Pass | Exit::Fail),
            "{rules:?}: {exit:?}\n{out}"
        );
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            v["summary"]["candidates"],
            expected.len() as u64,
            "{rules:?}"
        );
        assert_eq!(v["summary"]["unchecked"], 0, "{rules:?}");
        assert_eq!(v["summary"]["data_errors"], 0, "{rules:?}: {out}");
        let mut rows: Vec<u64> = v["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["row"].as_u64().unwrap())
            .collect();
        rows.sort_unstable();
        assert_eq!(rows, expected, "{rules:?}");

        let input = &v["inputs"][0];
        // §6.1 records maternity leave in days; the rules read months, taken
        // as 0 when the list has no such column.
        // The column the council fills after reading a file (other cases
        // of an article) is not in §6.1: where the rules read it, it is
        // absent, so those cases are unknown, never a fail. Nor are the
        // ballot's results, written after the council votes: a list made
        // before it lacks them (marked `ballot`).
        let absent: Vec<serde_json::Value> = input["absent_columns"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["id"] != "truong_hop_khac" && c["ballot"] != true)
            // Registration (legal.md §11.1, not §6.1) is a basis of titles in
            // the 2017 regime only: absent, those titles are unknown there.
            .filter(|c| rules.is_empty() || c["id"] != "co_dang_ky_thi_dua")
            .cloned()
            .collect();
        assert_eq!(
            serde_json::Value::Array(absent),
            serde_json::json!([{
                "id": "so_thang_nghi_thai_san",
                "header": "Số tháng nghỉ thai sản",
                "assumed": "0",
            }]),
            "{rules:?}"
        );
        // The 2017 regime reads the initiative's scope (CSTĐ bộ/tỉnh, toàn quốc).
        let ignored: Vec<&str> = UNDECLARED
            .iter()
            .copied()
            .filter(|h| rules.is_empty() || *h != "Phạm vi sáng kiến")
            .collect();
        assert_eq!(input["ignored_headers"], serde_json::json!(ignored));

        let (text, _) = run(rules, Format::Text);
        assert!(
            text.contains("  Không có cột «Số tháng nghỉ thai sản»: theo bộ quy tắc, tính là 0"),
            "{text}"
        );
        let name = rules.first().map_or("luat-2022", |r| &r["rules/".len()..]);
        insta::assert_snapshot!(name, text);
    }
}
