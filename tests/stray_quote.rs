//! A stray double quote in a CSV cell: the lines it would join into one
//! cell are read as rows all the same, on one thread and in pieces alike,
//! and a data issue names the cell.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::num::NonZeroUsize;
use tdkt::{Check, ListSource, Rules};

const SAMPLE: &str = "examples/danh-sach-mau.csv";

/// The sample list's header and rows, as fields.
fn sample() -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(SAMPLE)
        .unwrap();
    let mut records = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>());
    let header = records.next().unwrap();
    (header, records.collect())
}

/// A CSV line of `fields`, each quoted only when it must be.
fn line(fields: &[String]) -> String {
    fields
        .iter()
        .map(|f| {
            if f.contains([',', '"', '\n']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// A list of `rows` rows made from the sample's (each with its own key),
/// with no quoted cell at all when `bare`: commas in cells are changed.
fn list(rows: usize, bare: bool) -> (Vec<String>, Vec<Vec<String>>) {
    let (header, sample) = sample();
    let rows = (0..rows)
        .map(|i| {
            let mut r = sample[i % sample.len()].clone();
            r[0] = format!("CB{:03}", i + 1);
            if bare {
                r.iter_mut().for_each(|f| *f = f.replace(',', "."));
            }
            r
        })
        .collect();
    (header, rows)
}

fn text(header: &[String], rows: &[Vec<String>]) -> String {
    let mut out = line(header);
    out.push('\n');
    for r in rows {
        out.push_str(&line(r));
        out.push('\n');
    }
    out
}

/// `text` with a quote opened in the «Chức vụ» cell (column D) of data
/// row `k` (1-based), which is the list's row `k + 1`.
fn with_stray_quote(header: &[String], rows: &[Vec<String>], k: usize) -> String {
    let mut out = line(header);
    out.push('\n');
    for (i, r) in rows.iter().enumerate() {
        let mut l = line(r);
        if i + 1 == k {
            let at = l.match_indices(',').nth(2).unwrap().0 + 1;
            l.insert(at, '"');
        }
        out.push_str(&l);
        out.push('\n');
    }
    out
}

/// The JSON report of `text` checked with the embedded rules: on one
/// thread, or in pieces of 64 bytes on two.
fn report(text: &str, threads: usize) -> serde_json::Value {
    let rules = Rules::embedded(&[]).unwrap();
    let mut check = Check::new(&rules)
        .list(ListSource::bytes("ds.csv", text.as_bytes().to_vec()))
        .unwrap()
        .threads(threads);
    if threads > 1 {
        check = check.piece_size(NonZeroUsize::new(64));
    }
    let checked = check.run().unwrap();
    let mut out = Vec::new();
    tdkt::report::json::write_report(&mut out, &checked.report, 2).unwrap();
    let mut v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    // The file's hash differs from the clean list's, and is no matter here.
    v["inputs"] = serde_json::Value::Null;
    v
}

fn quote_issues(v: &serde_json::Value) -> Vec<serde_json::Value> {
    v["data_errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["message"].as_str().unwrap().contains("ngoặc kép"))
        .cloned()
        .collect()
}

/// `stray`'s report is `clean`'s, but for the one issue at the cell.
fn assert_all_rows_checked(stray: &serde_json::Value, clean: &serde_json::Value) {
    let (s, c) = (
        stray["candidates"].as_array().unwrap(),
        clean["candidates"].as_array().unwrap(),
    );
    assert_eq!(s.len(), c.len());
    for (s, c) in s.iter().zip(c) {
        assert_eq!(s, c);
    }
    assert_eq!(stray["groups"], clean["groups"]);
    let mut errors = stray["data_errors"].as_array().unwrap().clone();
    errors.retain(|e| !e["message"].as_str().unwrap().contains("ngoặc kép"));
    assert_eq!(&serde_json::Value::Array(errors), &clean["data_errors"]);
    let (s, c) = (&stray["summary"], &clean["summary"]);
    assert_eq!(s["candidates"], c["candidates"]);
    assert_eq!(
        s["data_errors"].as_u64().unwrap(),
        c["data_errors"].as_u64().unwrap() + 1
    );
}

#[test]
fn a_stray_quote_to_the_end_of_the_list_swallows_no_row() {
    // No other quote in the list: the cell would run to the file's end.
    let (header, rows) = list(40, true);
    let clean = report(&text(&header, &rows), 1);
    // The sample has a few rows that propose nothing.
    assert_eq!(clean["summary"]["candidates"], 37, "{}", clean["summary"]);
    let stray = with_stray_quote(&header, &rows, 20);
    let one = report(&stray, 1);
    let two = report(&stray, 2);
    assert_eq!(one, two);
    assert_all_rows_checked(&one, &clean);
    let issues = quote_issues(&one);
    assert_eq!(issues.len(), 1);
    let issue = &issues[0];
    assert_eq!(issue["row"], 21);
    assert_eq!(issue["cell"], "D21");
    assert_eq!(issue["column"], "chuc_vu");
    assert!(
        issue["message"]
            .as_str()
            .unwrap()
            .contains("— 20 dòng sau bị gộp vào ô này"),
        "{issue}"
    );
    insta::assert_json_snapshot!("stray_quote_to_the_end", issue);
}

#[test]
fn a_stray_quote_closed_by_a_later_cell_swallows_no_row() {
    // The sample's rows quote some cells ("92,5", notes with commas): the
    // stray quote's cell ends at the next of them, inside a later row.
    let (header, rows) = list(40, false);
    let clean = report(&text(&header, &rows), 1);
    let stray = with_stray_quote(&header, &rows, 20);
    let one = report(&stray, 1);
    assert_eq!(one, report(&stray, 2));
    assert_all_rows_checked(&one, &clean);
    let issues = quote_issues(&one);
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0]["cell"], "D21");
}

#[test]
fn the_text_report_names_the_row_the_cell_and_the_rows_read_again() {
    let (header, rows) = list(40, true);
    let stray = with_stray_quote(&header, &rows, 20);
    let rules = Rules::embedded(&[]).unwrap();
    let checked = Check::new(&rules)
        .list(ListSource::bytes("ds.csv", stray.into_bytes()))
        .unwrap()
        .threads(1)
        .run()
        .unwrap();
    assert!(!checked.all_passed);
    let out = tdkt::report::text::render(&checked.report);
    let line = out
        .lines()
        .find(|l| l.contains("ngoặc kép"))
        .unwrap()
        .trim()
        .to_string();
    insta::assert_snapshot!(line);
}

#[test]
fn multi_line_header_and_cells_are_not_stray_quotes() {
    let (mut header, mut rows) = list(40, false);
    header[5] = "Xếp loại\nchất lượng".into();
    // A note of many lines, some with commas, and an address-like one.
    rows[3][17] = "Ghi chú dài,\ndòng hai, có dấu phẩy\nba\nbốn\nnăm\nsáu".into();
    rows[7][17] = "Số 1, phố X,\nphường Y, quận Z".into();
    let text = text(&header, &rows);
    for threads in [1, 2] {
        let v = report(&text, threads);
        assert!(quote_issues(&v).is_empty(), "{}", v["data_errors"]);
        assert_eq!(v["summary"]["candidates"], 37);
    }
}
