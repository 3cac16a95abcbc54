//! The council's own list, as a provincial department sends it (title
//! rows, STT, short headers, abbreviations, «Không», a person with two
//! proposals, no staff code), checked as it was sent: the same verdicts
//! from the workbook, from "CSV UTF-8" and from Vietnamese-locale CSV,
//! and every proposal counted.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::num::NonZeroUsize;
use tdkt::report::model::Report;
use tdkt::{Check, ListSource, Rules};

const FORMS: [&str; 3] = [
    "tests/fixtures/council/ds.xlsx",
    "tests/fixtures/council/ds-utf8.csv",
    "tests/fixtures/council/ds-vi.csv",
];

fn check_on(source: ListSource, threads: usize) -> (Report, bool) {
    let rules = Rules::embedded(&[]).unwrap();
    let checked = Check::new(&rules)
        .list(source)
        .unwrap()
        .threads(threads)
        .piece_size(NonZeroUsize::new(200))
        .run()
        .unwrap();
    (checked.report, checked.all_passed)
}

fn check(path: &str) -> Report {
    check_on(ListSource::path(path), 1).0
}

/// (row, award, verdict) of every candidate.
fn verdicts(r: &Report) -> Vec<(u64, String, String)> {
    r.candidates
        .iter()
        .map(|c| (c.row, c.award.to_string(), format!("{:?}", c.verdict)))
        .collect()
}

/// The proposals written in the CSV form of the list: one per non-blank
/// part of each non-blank proposal cell.
fn proposals_written() -> usize {
    let text = std::fs::read_to_string(FORMS[1]).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let header = records
        .iter()
        .position(|r| r.iter().any(|c| c == "Hình thức đề nghị"))
        .unwrap();
    let col = records[header]
        .iter()
        .position(|c| c == "Hình thức đề nghị")
        .unwrap();
    records[header + 1..]
        .iter()
        .filter_map(|r| r.get(col))
        .map(|cell| cell.split(';').filter(|p| !p.trim().is_empty()).count())
        .sum()
}

#[test]
fn the_same_list_in_three_forms_gives_the_same_verdicts() {
    let reports: Vec<Report> = FORMS.iter().map(|f| check(f)).collect();
    let first = verdicts(&reports[0]);
    assert!(!first.is_empty());
    for (form, r) in FORMS.iter().zip(&reports) {
        assert_eq!(verdicts(r), first, "{form}");
        assert_eq!(
            r.summary.candidates, reports[0].summary.candidates,
            "{form}"
        );
        assert_eq!(
            r.summary.data_errors, reports[0].summary.data_errors,
            "{form}"
        );
        // The header is found under the title rows.
        assert_eq!(r.inputs[0].header_row, 5, "{form}");
    }
    // The workbook says which sheet and which rows were hidden.
    assert_eq!(reports[0].inputs[0].sheet.as_deref(), Some("Danh sách"));
    assert_eq!(reports[0].inputs[0].hidden_rows, vec![41]);
}

#[test]
fn every_proposal_is_counted() {
    let r = check(FORMS[0]);
    let written = proposals_written();
    assert_eq!(
        r.summary.candidates + r.summary.unchecked,
        written as u64,
        "every proposal written is a candidate (or listed as unchecked)"
    );
    // «CSTĐCS; Giấy khen» in one cell: two candidates on one row.
    let row_of_two: Vec<&str> = r
        .candidates
        .iter()
        .filter(|c| c.name.as_deref() == Some("Ngô Quang Huy"))
        .map(|c| &*c.award)
        .collect();
    assert_eq!(row_of_two, ["CSTDCS", "GK"]);
    // Two rows for one person, each a candidate.
    let two_rows = r
        .candidates
        .iter()
        .filter(|c| c.name.as_deref() == Some("Trịnh Văn Long"))
        .count();
    assert_eq!(two_rows, 2);
    // No staff code: nothing is a duplicate, nothing is keyed by a code.
    assert!(r.candidates.iter().all(|c| c.key.is_empty()));
    assert!(
        r.data_errors.iter().all(|e| !e.message.contains("trùng")),
        "{:?}",
        r.data_errors
    );
}

#[test]
fn abbreviations_spellings_and_none_words_are_read() {
    let r = check(FORMS[0]);
    // "LĐTT", "CSTĐCS", "Chiến sỹ thi đua cơ sở", "Giấy khen" are all
    // proposals the rule set knows; only blank ratings are data errors.
    for e in &r.data_errors {
        assert_eq!(e.column, "xep_loai", "{e:?}");
        assert_eq!(e.value, "", "{e:?}");
    }
    let awards: std::collections::BTreeSet<&str> = r.candidates.iter().map(|c| &*c.award).collect();
    assert_eq!(
        awards.into_iter().collect::<Vec<_>>(),
        ["CSTDCS", "GK", "LDTT"]
    );
    // «Không» in the discipline column means none: no candidate reads it
    // as unknown; «Khiển trách» fails.
    for c in &r.candidates {
        for reason in &c.reasons {
            if let Some(o) = &reason.observed {
                assert!(!o.contains("Hình thức kỷ luật (trong năm): giá trị"), "{o}");
            }
        }
    }
    let reprimanded = r
        .candidates
        .iter()
        .filter(|c| {
            c.reasons.iter().any(|x| {
                x.observed
                    .as_deref()
                    .is_some_and(|o| o.contains("«Khiển trách»"))
            })
        })
        .count();
    assert_eq!(reprimanded, 1);
}

#[test]
fn one_thread_and_pieces_on_two_give_the_same_report() {
    for form in &FORMS[1..] {
        let bytes = std::fs::read(form).unwrap();
        let (one, _) = check_on(ListSource::bytes(*form, bytes.clone()), 1);
        let (two, _) = check_on(ListSource::bytes(*form, bytes), 2);
        assert_eq!(verdicts(&one), verdicts(&two), "{form}");
        assert_eq!(one.summary.data_errors, two.summary.data_errors, "{form}");
    }
}

#[test]
fn the_secretary_reads_where_each_problem_is() {
    let r = check(FORMS[0]);
    let text = tdkt::report::text::render(&r);
    assert!(text.contains("trang «Danh sách»"), "{text}");
    assert!(text.contains("Dòng tiêu đề: dòng 5"), "{text}");
    assert!(text.contains("Trang «Danh sách», ô E"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn a_sheet_that_does_not_exist_lists_the_sheets() {
    let rules = Rules::embedded(&[]).unwrap();
    let err = Check::new(&rules)
        .list(ListSource::path(FORMS[0]).sheet("Tập thể"))
        .unwrap()
        .run()
        .unwrap_err()
        .to_string();
    assert!(err.contains("Danh sách"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn a_list_another_list_joins_to_must_carry_its_key() {
    // History rows name people by staff code: a list without the code
    // cannot be joined to, and the message says which column and why.
    let rules = Rules::embedded(&[]).unwrap();
    let err = Check::new(&rules)
        .table("ca_nhan", ListSource::path(FORMS[0]))
        .unwrap()
        .table("lich_su", ListSource::path("examples/lich-su-mau.csv"))
        .unwrap()
        .run()
        .unwrap_err()
        .to_string();
    assert!(err.contains("«Mã cán bộ» (ma_can_bo)"), "{err}");
    insta::assert_snapshot!(err);
}
