//! Suspicious data gets a warning, not an error: a year after next year
//! (against the check's year, injectable), and a history row repeated cell
//! for cell, found across the pieces a list is cut into.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::num::NonZeroUsize;
use std::path::PathBuf;
use tdkt::{Check, ListSource, Rules};

const RULES: &str = "tests/catalogue/chung/quy-tac.tdkt";
const HEAD: &str = "Mã,Họ và tên,Năm xét,Số tháng công tác,Xếp loại,Hình thức đề nghị\n";

fn rules() -> Rules {
    Rules::load(&[PathBuf::from(RULES)], &[]).unwrap()
}

fn list(rows: &[&str]) -> ListSource {
    ListSource::bytes("ds.csv", format!("{HEAD}{}", rows.concat()).into_bytes())
}

fn history(rows: &[&str]) -> ListSource {
    ListSource::bytes(
        "ls.csv",
        format!("Mã,Năm,Danh hiệu\n{}", rows.concat()).into_bytes(),
    )
}

const AN_2027: &str = "CB1,Nguyễn Văn An,2027,12,Hoàn thành tốt nhiệm vụ,Lao động tiên tiến\n";

#[test]
fn a_year_after_next_year_is_a_warning() {
    let rules = rules();
    let run = |year: i32| {
        Check::new(&rules)
            .current_year(year)
            .table("ca_nhan", list(&[AN_2027]))
            .unwrap()
            .run()
            .unwrap()
    };
    // Checked in 2026, 2027 is next year's list: no warning.
    let checked = run(2026);
    assert!(checked.report.data_warnings.is_empty());
    // Checked in 2025, 2027 is after next year.
    let checked = run(2025);
    let w = &checked.report.data_warnings;
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(
        (w[0].row, w[0].cell().as_str(), w[0].column.as_str()),
        (2, "C2", "nam_xet")
    );
    assert!(w[0].message.contains("2027"), "{}", w[0].message);
    // A warning changes nothing else: the proposal passes, no data error.
    assert_eq!(checked.report.summary.pass, 1);
    assert_eq!(checked.report.summary.data_errors, 0);
    assert_eq!(checked.report.summary.data_warnings, 1);
    assert!(checked.all_passed);
}

#[test]
fn a_history_row_repeated_cell_for_cell_is_a_warning_across_pieces() {
    let rules = rules();
    let rows = [
        "CB2,2023,Lao động tiên tiến\n",
        "CB2,2024,Lao động tiên tiến\n",
        // One cell differs: no repeat.
        "CB2,2024,Chiến sĩ thi đua cơ sở\n",
        "CB3,2022,Lao động tiên tiến\n",
        "CB3,2021,Lao động tiên tiến\n",
        // Row 7 repeats row 2, far enough to lie in another piece.
        "CB2,2023,Lao động tiên tiến\n",
    ];
    let an = "CB2,Trần Thị Bích,2025,12,Hoàn thành xuất sắc nhiệm vụ,Chiến sĩ thi đua cơ sở\n";
    let run = |pieces: bool| {
        let check = Check::new(&rules).current_year(2026);
        let check = if pieces {
            check.threads(2).piece_size(NonZeroUsize::new(40))
        } else {
            check.threads(1)
        };
        check
            .table("ca_nhan", list(&[an]))
            .unwrap()
            .table("lich_su", history(&rows))
            .unwrap()
            .run()
            .unwrap()
    };
    for pieces in [false, true] {
        let checked = run(pieces);
        let w = &checked.report.data_warnings;
        assert_eq!(w.len(), 1, "pieces {pieces}: {w:?}");
        assert_eq!((w[0].table.as_str(), w[0].row), ("lich_su", 7));
        assert!(w[0].message.contains("dòng 2"), "{}", w[0].message);
    }
}

#[test]
fn warnings_are_in_the_json_report() {
    let rules = rules();
    let checked = Check::new(&rules)
        .current_year(2020)
        .table("ca_nhan", list(&[AN_2027]))
        .unwrap()
        .run()
        .unwrap();
    let mut out = Vec::new();
    tdkt::report::json::write_report(&mut out, &checked.report, 1).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(json["summary"]["data_warnings"], 1);
    assert_eq!(json["data_warnings"][0]["cell"], "C2");
    assert_eq!(json["data_errors"].as_array().map(Vec::len), Some(0));
}

/// A list checked in 2020 whose 2027 is after next year, with the council
/// documents' listing.
fn checked_in_2020() -> (tdkt::Checked, tdkt::report::listing::Listing) {
    checked_in(2020)
}

/// The list holding 2027, checked in `year`, with its listing.
fn checked_in(year: i32) -> (tdkt::Checked, tdkt::report::listing::Listing) {
    let rules = rules();
    let source = list(&[AN_2027]);
    let checked = Check::new(&rules)
        .current_year(year)
        .table("ca_nhan", source.clone())
        .unwrap()
        .run()
        .unwrap();
    let listing = tdkt::report::listing::Listing::new(
        &checked.report,
        &rules.rule_set().plan,
        &[source],
        "16:00 ngày 07/12/2026",
    )
    .unwrap();
    (checked, listing)
}

#[test]
fn the_printable_report_shows_the_warnings_in_the_text_reports_words() {
    let (checked, listing) = checked_in_2020();
    let html = tdkt::report::html::render(&checked.report, &listing);
    // No target list: the data errors are section VI, the warnings VII.
    let start = html.find("<h2>VII. CẢNH BÁO DỮ LIỆU").unwrap();
    let end = html.find("<div class=\"chu-ky\">").unwrap();
    let mut section = html[start..end].to_string();
    for end in ["</tr>", "</h2>", "</p>", "</table>"] {
        section = section.replace(end, &format!("{end}\n"));
    }
    let text = tdkt::report::text::render(&checked.report);
    let w = &checked.report.data_warnings[0];
    let place = tdkt::report::words::warning_place(&checked.report, w);
    assert!(
        text.contains(&format!("  {place}: {}\n", w.message)),
        "{text}"
    );
    assert!(section.contains(&format!("<td>{place}</td>")), "{section}");
    insta::assert_snapshot!(section);
}

#[test]
fn the_workbook_has_a_sheet_of_warnings() {
    use calamine::{Data, Reader, Xlsx};
    let (checked, listing) = checked_in_2020();
    let bytes = tdkt::report::xlsx::render(&checked.report, &listing).unwrap();
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names().last().unwrap(), "Cảnh báo dữ liệu");
    let sheet = book.worksheet_range("Cảnh báo dữ liệu").unwrap();
    assert_eq!(sheet.get_value((1, 0)), Some(&Data::Float(2.0)));
    let cell = |c: u32| sheet.get_value((1, c)).unwrap().to_string();
    assert_eq!(cell(1), "Dòng 2, ô C2, cột «Năm xét» «2027»");
    assert_eq!(cell(2), checked.report.data_warnings[0].message);
    assert!(cell(2).contains("2027"));
    // One warning, one row.
    assert_eq!(sheet.height(), 2);
}

#[test]
fn without_warnings_neither_document_has_the_section() {
    let (checked, listing) = checked_in(2026);
    let html = tdkt::report::html::render(&checked.report, &listing);
    assert!(!html.contains("CẢNH BÁO DỮ LIỆU"));
    let bytes = tdkt::report::xlsx::render(&checked.report, &listing).unwrap();
    let book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    use calamine::Reader;
    assert!(!book.sheet_names().iter().any(|n| n == "Cảnh báo dữ liệu"));
}
