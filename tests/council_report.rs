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

/// The printable report of the council's list, checked at a fixed time.
fn council_html() -> String {
    use std::path::PathBuf;
    use tdkt::report::listing::Listing;
    use tdkt::{Check, ListSource, Rules};
    let rules = Rules::load(&[PathBuf::from(RULES)], &[]).unwrap();
    let checked = Check::new(&rules)
        .list(ListSource::path(LIST))
        .unwrap()
        .threads(1)
        .run()
        .unwrap();
    let listing = Listing::new(
        &checked.report,
        &rules.rule_set().plan,
        &[],
        "16:00 ngày 07/12/2026",
    )
    .unwrap();
    tdkt::report::html::render(&checked.report, &listing)
}

/// The HTML report's sections (I to VI), one element a line.
fn sections_of(html: &str) -> String {
    let start = html.find("<h2>I. TỔNG HỢP").unwrap();
    let end = html.find("<div class=\"chu-ky\">").unwrap();
    let mut lines = html[start..end].to_string();
    for end in ["</tr>", "</h2>", "</h3>", "</p>", "</li>", "</table>"] {
        lines = lines.replace(end, &format!("{end}\n"));
    }
    lines
}

#[test]
fn the_printable_report_shows_the_ballot_higher_titles_and_remedies() {
    let html = council_html();
    insta::assert_snapshot!(sections_of(&html));
    // Section II lists the proposal waiting for the ballot, with the blank
    // column for it; section I counts it.
    let ii = &html
        [html.find("II. DANH SÁCH ĐỦ ĐIỀU KIỆN").unwrap()..html.find("III. KHÔNG ĐỦ").unwrap()];
    assert!(ii.contains("Nguyễn Văn Bảo"), "{ii}");
    assert!(ii.contains("đủ điều kiện, chờ bỏ phiếu"), "{ii}");
    assert!(html.contains("(trong đó 1 chờ bỏ phiếu)"));
    // Section II follows the report's units: Phòng A before Phòng B.
    assert!(ii.find("Phòng A").unwrap() < ii.find("Phòng B").unwrap());
    // The higher title, with its reasons.
    let iv = &html[html.find("IV. ĐẠT TIÊU CHUẨN").unwrap()..html.find("V. TỶ LỆ").unwrap()];
    assert!(
        iv.contains("Lê Văn Danh") && iv.contains("Chiến sĩ thi đua cơ sở"),
        "{iv}"
    );
    // The remedy as the report computed it, the failing proposal first.
    let v = &html[html.find("V. TỶ LỆ").unwrap()..];
    assert!(v.contains("Cách khắc phục"), "{v}");
    assert!(v.contains("cần rút 1 đề nghị"), "{v}");
    assert!(v.contains("Trần Thị Cúc"), "{v}");
}

#[test]
fn the_workbook_carries_the_ballot_remedies_and_higher_titles() {
    use calamine::{Reader, Xlsx, open_workbook};
    let dir = std::env::temp_dir().join(format!("tdkt-council-xlsx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("ket-qua.xlsx");
    let mut args = common::args(Some(LIST), Vec::new(), &[RULES], Format::Xlsx);
    args.output = Some(out.clone());
    let (_, err, _) = common::run(&args);
    assert!(err.is_empty(), "{err}");
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    let names = book.sheet_names();
    assert_eq!(
        names[1..],
        [
            "Tổng hợp",
            "Tỷ lệ theo đơn vị",
            "Danh hiệu cao hơn",
            "Lỗi dữ liệu"
        ]
    );
    let text = |d: &calamine::Data| d.to_string();
    let list = book.worksheet_range(&names[0]).unwrap();
    let rows: Vec<Vec<String>> = list.rows().map(|r| r.iter().map(text).collect()).collect();
    let result = rows[0].iter().position(|h| h == "Kết quả").unwrap();
    assert_eq!(rows[1][1], "Nguyễn Văn Bảo");
    assert_eq!(rows[1][result], "Đạt, chờ bỏ phiếu");
    assert!(
        rows[1][result + 1].contains("chờ bỏ phiếu"),
        "{:?}",
        rows[1]
    );
    let rates = book.worksheet_range("Tỷ lệ theo đơn vị").unwrap();
    let rates: Vec<Vec<String>> = rates.rows().map(|r| r.iter().map(text).collect()).collect();
    let remedy = rates[0].iter().position(|h| h == "Cách khắc phục").unwrap();
    let failing = rates.iter().find(|r| r[6] == "Không đạt").unwrap();
    assert!(
        failing[remedy].starts_with("cần rút 1 đề nghị"),
        "{failing:?}"
    );
    let higher = book.worksheet_range("Danh hiệu cao hơn").unwrap();
    let higher: Vec<Vec<String>> = higher
        .rows()
        .map(|r| r.iter().map(text).collect())
        .collect();
    assert_eq!(higher.len(), 2);
    assert_eq!(higher[1][2], "Lê Văn Danh");
    assert_eq!(higher[1][5], "Chiến sĩ thi đua cơ sở");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn control_characters_in_a_list_never_reach_the_terminal() {
    let dir = std::env::temp_dir().join(format!("tdkt-council-ctl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let list = std::fs::read_to_string(LIST)
        .unwrap()
        .replace("Trần Thị Cúc", "Trần \u{1b}[31mThị Cúc")
        .replace("Phòng B", "Phòng \u{202e}B");
    let path = dir.join("ds.csv");
    std::fs::write(&path, list).unwrap();
    let args = common::args(path.to_str(), Vec::new(), &[RULES], Format::Text);
    let text = common::run(&args).0;
    assert!(text.contains("Trần ␛[31mThị Cúc"), "{text}");
    assert!(text.contains("Phòng �B"), "{text}");
    assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}'));
    std::fs::remove_dir_all(&dir).unwrap();
}
