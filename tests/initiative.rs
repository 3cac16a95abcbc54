//! One initiative, one award (rules/dia-phuong/sang-kien-mot-lan, CV
//! 5007/BNV-TĐKT): a cell naming several initiative codes is compared code
//! by code, per proposal, with the list and with the history.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod common;

use tdkt::cli::{Exit, check_format::Format};

const RULES: &str = "rules/dia-phuong/sang-kien-mot-lan";
const DIR: &str = "tests/fixtures/lists/sang-kien";

fn run(tables: &[&str], format: Format) -> (String, String, Exit) {
    let tables = tables
        .iter()
        .map(|t| {
            let (name, file) = t.split_once('=').unwrap();
            format!("{name}={DIR}/{file}")
        })
        .collect();
    let mut args = common::args(None, tables, &[RULES], format);
    // Two threads on pieces of 50 bytes: the list is cut between rows.
    args.spread = tdkt::cli::Spread {
        threads: std::num::NonZeroUsize::new(2).unwrap(),
        piece_size: std::num::NonZeroUsize::new(50),
    };
    common::run(&args)
}

const BOTH: [&str; 2] = ["ca_nhan=ca-nhan.csv", "lich_su=lich-su.csv"];

/// Every candidate of `key` (one per proposal) as (proposal, verdict, the
/// observed text of each clause that did not pass).
fn candidates(v: &serde_json::Value, key: &str) -> Vec<(String, String, Vec<String>)> {
    v["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["key"] == key)
        .map(|c| {
            let observed = c["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| format!("{}: {}", r["clause"].as_str().unwrap(), r["observed"]))
                .collect();
            (
                c["award"].as_str().unwrap_or_default().to_string(),
                c["verdict"].as_str().unwrap().to_string(),
                observed,
            )
        })
        .collect()
}

fn json(tables: &[&str]) -> serde_json::Value {
    let (out, err, _) = run(tables, Format::Json);
    assert_eq!(err, "");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn report() {
    let (out, err, exit) = run(&BOTH, Format::Text);
    assert_eq!(err, "");
    assert_eq!(exit, Exit::Fail);
    insta::assert_snapshot!(out);
}

#[test]
fn a_title_and_a_form_of_one_person_on_one_initiative_both_fail() {
    let v = json(&BOTH);
    let cb1 = candidates(&v, "CB1");
    assert_eq!(cb1.len(), 2, "{cb1:?}");
    for (award, verdict, observed) in &cb1 {
        assert_eq!(verdict, "fail", "{award}");
        let other = if award == "CSTDCS" { 3 } else { 2 };
        assert!(
            observed.iter().any(|o| o.contains("sang_kien_rieng")
                && o.contains("«SK-1»")
                && o.contains(&format!("cũng có ở dòng {other}"))),
            "{award}: {observed:?}"
        );
    }
}

#[test]
fn one_cell_naming_a_title_and_a_form_on_one_initiative_is_a_reuse() {
    let v = json(&BOTH);
    let cb2 = candidates(&v, "CB2");
    assert_eq!(cb2.len(), 2, "{cb2:?}");
    for (award, verdict, observed) in &cb2 {
        assert_eq!(verdict, "fail", "{award}");
        assert!(
            observed
                .iter()
                .any(|o| o.contains("đề nghị khác của cùng dòng này")),
            "{award}: {observed:?}"
        );
    }
}

#[test]
fn a_proposal_that_rests_on_no_initiative_is_no_use_of_it() {
    // «Lao động tiên tiến; Chiến sĩ thi đua cơ sở» with SK-3: only the
    // CSTĐCS rests on the initiative.
    let v = json(&BOTH);
    let cb3 = candidates(&v, "CB3");
    assert_eq!(cb3.len(), 2, "{cb3:?}");
    assert!(
        cb3.iter().all(|(_, verdict, _)| verdict == "pass"),
        "{cb3:?}"
    );
}

#[test]
fn codes_of_one_cell_are_compared_one_by_one() {
    let v = json(&BOTH);
    // «SK-D2;SK-D3» and «SK-D3»: SK-D3 is shared, named on both rows.
    let (_, verdict, observed) = &candidates(&v, "CB4")[0];
    assert_eq!(verdict, "fail");
    assert!(
        observed
            .iter()
            .any(|o| o.contains("mã «SK-D3» cũng có ở dòng 7") && !o.contains("SK-D2»")),
        "{observed:?}"
    );
    let (_, verdict, observed) = &candidates(&v, "CB5")[0];
    assert_eq!(verdict, "fail");
    assert!(
        observed.iter().any(|o| o.contains("cũng có ở dòng 6")),
        "{observed:?}"
    );
    // «SK-4, SK-5»: SK-5 was used for a Giấy khen in 2023.
    let (_, verdict, observed) = &candidates(&v, "CB6")[0];
    assert_eq!(verdict, "fail");
    assert!(
        observed
            .iter()
            .any(|o| o.contains("sang_kien_moi") && o.contains("mã «SK-5» đã có trong")),
        "{observed:?}"
    );
    // Codes on two lines of one cell, used nowhere else.
    assert_eq!(candidates(&v, "CB7")[0].1, "pass");
    // Blank cells are no initiative: two Giấy khen without one both pass.
    assert_eq!(candidates(&v, "CB8")[0].1, "pass");
    assert_eq!(candidates(&v, "CB9")[0].1, "pass");
}

#[test]
fn without_the_history_the_earlier_uses_are_unknown() {
    let v = json(&["ca_nhan=ca-nhan.csv"]);
    let (_, verdict, observed) = &candidates(&v, "CB7")[0];
    assert_eq!(verdict, "unknown", "{observed:?}");
    // The list alone still decides a reuse within it.
    assert_eq!(candidates(&v, "CB4")[0].1, "fail");
}
