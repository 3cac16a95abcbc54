//! Registered targets (chỉ tiêu đăng ký thi đua) against the list: a
//! section of the report of their own, informational only.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod common;

use tdkt::cli::check_format::Format;

const LIST: &str = "tests/fixtures/lists/chi-tieu/ca-nhan.csv";
const RULES: &str = "rules/dia-phuong/dang-ky-thi-dua";

fn tables(targets: bool) -> Vec<String> {
    let mut t = vec!["dang_ky=tests/fixtures/lists/chi-tieu/dang-ky.csv".to_string()];
    if targets {
        t.push("chi_tieu=tests/fixtures/lists/chi-tieu/chi-tieu.csv".to_string());
    }
    t
}

fn check(format: Format, targets: bool, failing: bool) -> (String, String) {
    let mut args = common::args(Some(LIST), tables(targets), &[RULES], format);
    args.failing = failing;
    let (out, _, exit) = common::run(&args);
    (out, format!("{exit:?}"))
}

fn json(targets: bool, failing: bool) -> serde_json::Value {
    serde_json::from_str(&check(Format::Json, targets, failing).0).unwrap()
}

#[test]
fn the_text_report_sets_each_target_against_the_list() {
    let (text, _) = check(Format::Text, true, false);
    let section = &text[text.find("CHỈ TIÊU ĐĂNG KÝ THI ĐUA").unwrap()..];
    insta::assert_snapshot!(section);
}

#[test]
fn above_two_with_three_is_one_above_the_target() {
    let j = json(true, false);
    let t = &j["targets"];
    let a_cstdcs = &t[0];
    assert_eq!(a_cstdcs["unit"], "Phòng A");
    assert_eq!(a_cstdcs["award"], "CSTDCS");
    assert_eq!(a_cstdcs["kind"], "count");
    assert_eq!(a_cstdcs["comparison"], "above");
    assert_eq!(a_cstdcs["level"], "2");
    assert_eq!(a_cstdcs["achieved"], 3);
    assert_eq!(a_cstdcs["achieved_high"], 3);
    assert_eq!(a_cstdcs["result"], "exceeded");
    assert_eq!(a_cstdcs["surplus"], "1");
    assert_eq!(a_cstdcs["rows"], serde_json::json!([2, 3, 4]));
    assert_eq!(
        a_cstdcs["registered"],
        "Trên 02 cá nhân đạt «Chiến sĩ thi đua cơ sở»"
    );
}

#[test]
fn a_share_counts_those_of_higher_titles_and_the_units_people() {
    let t = &json(true, false)["targets"];
    // Phòng A: 2 LĐTT and 3 CSTĐCS (whose standard includes LĐTT) of 5.
    assert_eq!(t[1]["kind"], "share");
    assert_eq!(t[1]["achieved"], 5);
    assert_eq!(t[1]["people"], 5);
    assert_eq!(t[1]["share"], "100");
    assert_eq!(t[1]["result"], "exceeded");
    assert_eq!(t[1]["surplus"], "10");
    // Phòng B, written «phòng  b»: 2 certain, 1 fails, 1 unknown of 4,
    // «từ 75 % trở lên»: 50 % to 75 %, the unknown row decides.
    assert_eq!(t[2]["people"], 4);
    assert_eq!(t[2]["share"], "50");
    assert_eq!(t[2]["share_high"], "75");
    assert_eq!(t[2]["result"], "unknown");
    assert_eq!(t[2]["unknown_rows"], serde_json::json!([10]));
    // «từ 01 trở lên» with none: not met.
    assert_eq!(t[3]["result"], "not_met");
    assert_eq!(t[3]["achieved"], 0);
}

#[test]
fn units_absent_from_the_list_unreadable_targets_and_other_years_are_not_decided() {
    let t = json(true, false)["targets"].as_array().unwrap().clone();
    // The 2024 target is not this list's (its review year is 2025).
    assert_eq!(t.len(), 6, "{t:#?}");
    assert!(t.iter().all(|x| x["year"] == 2025));
    assert_eq!(t[4]["unit"], "Phòng C");
    assert_eq!(t[4]["result"], "unknown");
    assert_eq!(
        t[4]["note"],
        "danh sách không có cá nhân nào của đơn vị này"
    );
    // The row whose level is «abc» stays, undecided, with why.
    assert_eq!(t[5]["row"], 8);
    assert_eq!(t[5]["result"], "unknown");
    assert!(t[5]["note"].as_str().unwrap().contains("«abc»"), "{}", t[5]);
}

#[test]
fn targets_never_change_the_verdicts_or_the_exit_code() {
    let (with, exit_with) = check(Format::Json, true, false);
    let (without, exit_without) = check(Format::Json, false, false);
    assert_eq!(exit_with, exit_without);
    let (with, without): (serde_json::Value, serde_json::Value) = (
        serde_json::from_str(&with).unwrap(),
        serde_json::from_str(&without).unwrap(),
    );
    assert_eq!(with["summary"], without["summary"]);
    assert_eq!(with["candidates"], without["candidates"]);
    assert_eq!(with["data_errors"], without["data_errors"]);
    assert!(without.get("targets").is_none());
    // The unreadable level is not a data error of the check.
    assert!(!with["data_errors"].to_string().contains("abc"));
    // With --failing the targets still count the passing candidates.
    let failing = json(true, true);
    assert_eq!(failing["targets"], with["targets"]);
    assert_eq!(failing["summary"], with["summary"]);
}

/// The fixture list with more rows: `extra` lines appended to it.
fn checked(extra: &str, pieces: bool) -> tdkt::Checked {
    use std::num::NonZeroUsize;
    let rules = tdkt::Rules::load(&[std::path::PathBuf::from(RULES)], &[]).unwrap();
    let mut list = std::fs::read_to_string(LIST).unwrap();
    list.push_str(extra);
    let mut check = tdkt::Check::new(&rules).threads(1);
    if pieces {
        check = check.threads(2).piece_size(NonZeroUsize::new(50));
    }
    let file = |name: &str| std::fs::read(format!("tests/fixtures/lists/chi-tieu/{name}")).unwrap();
    let mut dang_ky = String::from_utf8(file("dang-ky.csv")).unwrap();
    dang_ky.push_str("X1,2025,Chiến sĩ thi đua cơ sở\nX2,2025,Chiến sĩ thi đua cơ sở\n");
    check
        .list(tdkt::ListSource::bytes("ca-nhan.csv", list.into_bytes()))
        .unwrap()
        .table(
            "dang_ky",
            tdkt::ListSource::bytes("dang-ky.csv", dang_ky.into_bytes()),
        )
        .unwrap()
        .table(
            "chi_tieu",
            tdkt::ListSource::bytes("chi-tieu.csv", file("chi-tieu.csv")),
        )
        .unwrap()
        .run()
        .unwrap()
}

#[test]
fn rows_without_a_unit_or_a_vote_may_count_and_leave_only_what_they_could_change_undecided() {
    // X1: a passing CSTĐCS without a unit; X2: a CSTĐCS of Phòng B whose
    // vote is not recorded.
    let extra = "X1,Ngô Văn Lâm,,Không,2025,Hoàn thành xuất sắc nhiệm vụ,12,Chiến sĩ thi đua cơ sở,18,20,,Không,Không,Không\n\
                 X2,Mai Thị Nga,Phòng B,Không,2025,Hoàn thành xuất sắc nhiệm vụ,12,Chiến sĩ thi đua cơ sở,,,,Không,Không,Không\n";
    for pieces in [false, true] {
        let t = checked(extra, pieces).report.targets;
        // Phòng A «trên 02» CSTĐCS: 3 certain, X1 may be a 4th: still
        // exceeded, by at least 1.
        assert_eq!(t[0].result, tdkt::report::model::TargetResult::Exceeded);
        assert_eq!((t[0].achieved, t[0].achieved_high), (3, 4));
        assert!(
            t[0].text.contains("vượt ít nhất 01 chỉ tiêu"),
            "{}",
            t[0].text
        );
        // Phòng A «trên 90 %» LĐTT: 5 of 5, or 5 of 6 with X1 (83,33 %)
        // were X1 not reaching it; X1 passes, so the lowest is 5 of 5.
        assert_eq!(t[1].result, tdkt::report::model::TargetResult::Exceeded);
        assert_eq!(t[1].people_high, 6);
        // Phòng B «từ 01 trở lên» CSTĐCS: X2 waits for the vote, X1 may be
        // of Phòng B: undecided, no longer «không đạt».
        assert_eq!(t[3].result, tdkt::report::model::TargetResult::Unknown);
        assert_eq!(t[3].unknown_rows, vec![12]);
        assert_eq!((t[3].achieved, t[3].achieved_high), (0, 2));
        // Phòng B «từ 75 %» LĐTT: 2 certain of 5 (X2 is of Phòng B); X1
        // passes, so the lowest share leaves X1 out (2/5 = 40 %), the
        // highest counts X1, B4 and X2 in (5/6).
        assert_eq!(t[2].people, 5);
        assert_eq!(t[2].share.as_deref(), Some("40"), "{:?}", t[2]);
        assert_eq!(t[2].share_high.as_deref(), Some("83,33"), "{:?}", t[2]);
        assert_eq!(t[2].result, tdkt::report::model::TargetResult::Unknown);
    }
}

/// The fixture lists checked with one more target whose unit is hostile
/// (markup and a formula), with the council documents' listing.
fn checked_for_documents() -> (tdkt::Checked, tdkt::report::listing::Listing) {
    use tdkt::ListSource;
    let rules = tdkt::Rules::load(&[std::path::PathBuf::from(RULES)], &[]).unwrap();
    let file = |name: &str| std::fs::read(format!("tests/fixtures/lists/chi-tieu/{name}")).unwrap();
    let mut targets = file("chi-tieu.csv");
    targets.extend_from_slice(
        "\"=HYPERLINK(\"\"http://x\"\")<b>\",2025,CSTĐCS,Số lượng,Trên,01\n".as_bytes(),
    );
    let sources = [
        ListSource::bytes("ca-nhan.csv", file("ca-nhan.csv")),
        ListSource::bytes("dang-ky.csv", file("dang-ky.csv")),
        ListSource::bytes("chi-tieu.csv", targets),
    ];
    let checked = tdkt::Check::new(&rules)
        .threads(1)
        .list(sources[0].clone())
        .unwrap()
        .table("dang_ky", sources[1].clone())
        .unwrap()
        .table("chi_tieu", sources[2].clone())
        .unwrap()
        .run()
        .unwrap();
    let listing = tdkt::report::listing::Listing::new(
        &checked.report,
        &rules.rule_set().plan,
        &sources,
        "16:00 ngày 07/12/2026",
    )
    .unwrap();
    (checked, listing)
}

#[test]
fn the_printable_report_sets_each_target_against_the_list_in_the_text_reports_words() {
    let (checked, listing) = checked_for_documents();
    let html = tdkt::report::html::render(&checked.report, &listing);
    let start = html.find("<h2>VI. CHỈ TIÊU ĐĂNG KÝ THI ĐUA").unwrap();
    let end = html.find("<h2>VII. LỖI DỮ LIỆU").unwrap();
    let mut section = html[start..end].to_string();
    for end in ["</tr>", "</h2>", "</p>", "</table>"] {
        section = section.replace(end, &format!("{end}\n"));
    }
    // The hostile unit is text, not markup.
    assert!(!section.contains("<b>"), "{section}");
    assert!(section.contains("&lt;b&gt;"), "{section}");
    // Each target's explanation is the text report's, line for line.
    let text = tdkt::report::text::render(&checked.report);
    for t in &checked.report.targets {
        for (label, value) in tdkt::report::words::target_lines(t) {
            assert!(text.contains(&format!("  {label}: {value}\n")), "{label}");
        }
    }
    insta::assert_snapshot!(section);
}

#[test]
fn the_workbook_has_the_targets_with_formulas_neutralised() {
    use calamine::{Data, Reader, Xlsx};
    let (checked, listing) = checked_for_documents();
    let bytes = tdkt::report::xlsx::render(&checked.report, &listing).unwrap();
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let names = book.sheet_names();
    let at = |name: &str| names.iter().position(|n| n == name).unwrap();
    // After the rates, before the data errors, as in the text report.
    assert!(at("Tỷ lệ theo đơn vị") < at("Chỉ tiêu thi đua"));
    assert!(at("Chỉ tiêu thi đua") < at("Lỗi dữ liệu"));
    let sheet = book.worksheet_range("Chỉ tiêu thi đua").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| {
            r.iter()
                .map(|d| match d {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    assert_eq!(
        rows[0][..6],
        [
            "Dòng",
            "Đơn vị",
            "Đăng ký",
            "Kết quả",
            "Diễn giải",
            "Căn cứ"
        ]
    );
    assert_eq!(rows.len(), checked.report.targets.len() + 1);
    // The first target: Phòng A, above two, three reach it.
    let t = &checked.report.targets[0];
    assert_eq!(rows[1][0], t.row.to_string());
    assert_eq!(rows[1][1], "Phòng A năm 2025");
    assert_eq!(rows[1][3], "VƯỢT");
    assert_eq!(
        rows[1][4].lines().next().unwrap(),
        format!("Kết quả: {}", t.text)
    );
    // The hostile unit is written as text, never as a formula.
    let hostile = rows.iter().find(|r| r[1].contains("HYPERLINK")).unwrap();
    assert_eq!(hostile[1], "'=HYPERLINK(\"http://x\")<b> năm 2025");
    assert_eq!(sheet.get_value((1, 0)), Some(&Data::Float(t.row as f64)));
}
