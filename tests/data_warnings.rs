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
