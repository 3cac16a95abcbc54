//! A collective list of a 2017–2023 review year, checked without `--rules`,
//! is judged under the NĐ 91/2017 regime: its collective titles carry the
//! old law's criteria and citations (Luật 2003, NĐ 91/2017), among them the
//! old clause that no member was disciplined at cảnh cáo or above.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod common;

use tdkt::cli::Exit;
use tdkt::cli::check_format::Format;

const LIST: &str = "tests/fixtures/lists/nam-xet/tap-the-2021.csv";

fn report(rules: &[&str]) -> serde_json::Value {
    let args = common::args(None, vec![format!("tap_the={LIST}")], rules, Format::Json);
    let (out, err, exit) = common::run(&args);
    assert_ne!(exit, Exit::Error, "{err}");
    serde_json::from_str(&out).unwrap()
}

fn candidate<'a>(r: &'a serde_json::Value, key: &str) -> &'a serde_json::Value {
    r["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == key)
        .unwrap_or_else(|| panic!("{key} not in the report"))
}

fn cites(c: &serde_json::Value) -> Vec<String> {
    c["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["cite"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn a_2021_collective_list_is_checked_under_the_2017_regime() {
    let r = report(&[]);
    assert!(
        r["rules"]["name"]
            .as_str()
            .unwrap()
            .starts_with("Nghị định 91/2017"),
        "{}",
        r["rules"]["name"]
    );
    assert_eq!(r["regime"]["review_year"], 2021);
    let n = r["candidates"].as_array().unwrap().len();
    assert_eq!(n, 5, "every collective proposal is checked");
    for c in r["candidates"].as_array().unwrap() {
        let cites = cites(c);
        assert!(!cites.is_empty(), "{c:#}");
        for cite in &cites {
            assert!(
                cite.contains("năm 2003") || cite.contains("91/2017"),
                "{} cites {cite}, not the 2017 regime",
                c["key"]
            );
            assert!(!cite.contains("06/2022"), "{cite}");
        }
    }
}

#[test]
fn the_old_discipline_clause_decides_where_the_2022_law_would_pass() {
    let old = report(&[]);
    let new = report(&["rules/luat-2022"]);
    // TTLĐXS with one member disciplined at cảnh cáo: old law fails it.
    assert_eq!(candidate(&old, "TT02")["verdict"], "fail");
    assert_eq!(candidate(&new, "TT02")["verdict"], "pass");
    let failed: Vec<&serde_json::Value> = candidate(&old, "TT02")["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["verdict"] == "fail")
        .collect();
    assert_eq!(failed.len(), 1, "{failed:#?}");
    assert!(
        failed[0]["message"]
            .as_str()
            .unwrap()
            .contains("cảnh cáo trở lên")
    );
    assert!(failed[0]["cite"].as_str().unwrap().starts_with("Điều 27"));
    // The same for TTLĐTT; with no one disciplined both pass.
    assert_eq!(candidate(&old, "TT04")["verdict"], "fail");
    assert_eq!(candidate(&old, "TT01")["verdict"], "pass");
    assert_eq!(candidate(&old, "TT03")["verdict"], "pass");
}

#[test]
fn the_government_flag_cites_the_2003_law_for_exceeded_targets() {
    let r = report(&[]);
    let c = candidate(&r, "TT05");
    let reason = c["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["clause"] == "CO_CP.vuot_chi_tieu")
        .unwrap();
    assert_eq!(
        reason["cite"].as_str().unwrap(),
        "Điều 25 khoản 1 Luật Thi đua, khen thưởng năm 2003 (sửa đổi, bổ sung năm 2013)"
    );
    assert_eq!(c["verdict"], "pass");
}

/// Every criterion, rate and parameter of the 2017 regime cites an
/// instrument of that regime: a criterion the 2022 base adds later (and the
/// overlay does not re-declare) fails here instead of staying in force
/// silently.
#[test]
fn no_2022_citation_survives_in_the_2017_regime() {
    use tdkt::semantic::{self, Origin};
    let set = semantic::load(
        &[std::path::PathBuf::from("rules/nd-91-2017")],
        Origin::Disk,
        &[],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let plan = &set.plan;
    let old = |title: &str| title.contains("năm 2003") || title.contains("91/2017");
    let mut stray = Vec::new();
    for a in &plan.awards {
        for c in &a.criteria {
            match &c.cite {
                Some(cite) if old(&cite.title) => {}
                other => stray.push(format!("{}.{}: {other:?}", a.id, c.id)),
            }
        }
    }
    for r in &plan.rates {
        if !r.cite.as_ref().is_some_and(|c| old(&c.title)) {
            stray.push(format!("rate {}", r.id));
        }
    }
    // A parameter counts when a criterion or rate of the merged regime
    // names it (the 2022 vote shares stay declared but unread once the
    // regime removes the ballots).
    let read = format!("{:?}{:?}", set.ast.awards, set.ast.rates);
    for p in &plan.params {
        let named = read.contains(&format!("name: \"{}\"", p.id));
        if named && p.cite.as_ref().is_some_and(|c| !old(&c.title)) {
            stray.push(format!("param {}", p.id));
        }
    }
    assert!(stray.is_empty(), "{stray:#?}");
    // Every title of the regime is there, collectives included.
    for id in [
        "LDTT",
        "CSTDCS",
        "CSTD_BO_TINH",
        "CSTD_TQ",
        "GK",
        "BK",
        "BK_TTG",
        "HCLD3",
        "TTLDTT",
        "TTLDXS",
        "CO_BO_TINH",
        "CO_CP",
    ] {
        assert!(plan.award(id).is_some(), "{id} missing");
    }
}
