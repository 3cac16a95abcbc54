//! Dated regimes: a rule set's period (`effective … until …`), the shipped
//! regime chosen from the list's review year, and the warning for a list
//! outside a named rule set's period.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod common;

use tdkt::cli::check_format::Format;
use tdkt::report::model::ChosenBy;
use tdkt::source::FileId;
use tdkt::syntax::{format::format, parse};
use tdkt::{ListSource, Rules};

const Y2019: &str = "tests/fixtures/lists/nam-xet/ds-2019.csv";
const Y2025: &str = "tests/fixtures/lists/nam-xet/ds-2025.csv";
/// The sample list has no «Năm xét» column.
const NO_YEAR: &str = "examples/danh-sach-mau.csv";
const OLD: &str = "rules/nd-91-2017";
const NEW: &str = "rules/luat-2022";

fn run(list: &str, rules: &[&str], format: Format) -> String {
    let (out, err, _) = common::run(&common::args(Some(list), Vec::new(), rules, format));
    assert!(err.is_empty(), "{err}");
    out
}

fn json(list: &str, rules: &[&str]) -> serde_json::Value {
    serde_json::from_str(&run(list, rules, Format::Json)).unwrap()
}

/// The lines of the text report before the first list.
fn header(list: &str, rules: &[&str]) -> String {
    run(list, rules, Format::Text)
        .lines()
        .take_while(|l| !l.starts_with("Danh sách:"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn year_of(list: &str) -> Option<i32> {
    Rules::list_year(&ListSource::path(list)).unwrap()
}

#[test]
fn the_review_year_is_the_year_most_rows_carry() {
    // The first row of each fixture carries the year before.
    assert_eq!(year_of(Y2019), Some(2019));
    assert_eq!(year_of(Y2025), Some(2025));
    assert_eq!(year_of(NO_YEAR), None);
}

#[test]
fn the_shipped_regime_is_chosen_from_the_review_year() {
    let name = |year| {
        Rules::embedded_for_year(year, &[])
            .unwrap()
            .rule_set()
            .plan
            .name
            .clone()
    };
    assert!(name(Some(2019)).starts_with("Nghị định 91/2017"));
    assert!(name(Some(2023)).starts_with("Nghị định 91/2017"));
    assert!(name(Some(2024)).starts_with("Luật Thi đua, khen thưởng 2022"));
    assert!(name(Some(2025)).starts_with("Luật Thi đua, khen thưởng 2022"));
    // No year, or a year no shipped regime holds: the default, and said.
    assert!(name(None).starts_with("Luật Thi đua, khen thưởng 2022"));
    assert!(name(Some(2015)).starts_with("Luật Thi đua, khen thưởng 2022"));
    let chosen = Rules::embedded_for_year(Some(2015), &[]).unwrap().chosen();
    assert_eq!(chosen.map(|c| c.by_year), Some(false));
}

#[test]
fn without_rules_the_report_says_which_regime_and_why() {
    let old = json(Y2019, &[]);
    assert!(
        old["rules"]["name"]
            .as_str()
            .unwrap()
            .starts_with("Nghị định 91/2017")
    );
    assert_eq!(old["rules"]["until"], "2023-12-31");
    assert_eq!(old["regime"]["review_year"], 2019);
    assert_eq!(old["regime"]["chosen_by"], "review_year");
    assert!(old["regime"]["warning"].is_null());

    let new = json(Y2025, &[]);
    assert!(
        new["rules"]["name"]
            .as_str()
            .unwrap()
            .starts_with("Luật Thi đua, khen thưởng 2022")
    );
    assert!(new["rules"]["until"].is_null());
    assert_eq!(new["regime"]["chosen_by"], "review_year");

    let none = json(NO_YEAR, &[]);
    assert!(
        none["rules"]["name"]
            .as_str()
            .unwrap()
            .starts_with("Luật Thi đua, khen thưởng 2022")
    );
    assert!(none["regime"]["review_year"].is_null());
    assert_eq!(none["regime"]["chosen_by"], "default");
    assert!(
        none["regime"]["note"]
            .as_str()
            .unwrap()
            .contains("Không tìm thấy năm xét")
    );

    insta::assert_snapshot!("chosen_2019", header(Y2019, &[]));
    insta::assert_snapshot!("chosen_2025", header(Y2025, &[]));
    insta::assert_snapshot!("chosen_no_year", header(NO_YEAR, &[]));
}

#[test]
fn a_list_outside_a_named_rule_sets_period_gets_a_warning() {
    let late = json(Y2025, &[OLD]);
    assert_eq!(late["regime"]["chosen_by"], "named");
    assert_eq!(late["regime"]["review_year"], 2025);
    assert_eq!(
        late["regime"]["warning"],
        "danh sách năm 2025 nhưng bộ quy tắc «Nghị định 91/2017/NĐ-CP — cá nhân và tập thể \
         (01/10/2017 – 31/12/2023)» áp dụng từ 01/10/2017 đến 31/12/2023"
    );
    let early = json(Y2019, &[NEW]);
    assert!(
        early["regime"]["warning"]
            .as_str()
            .unwrap()
            .starts_with("danh sách năm 2019 nhưng bộ quy tắc «Luật Thi đua")
    );
    // Inside the period, or no year to compare: no warning.
    assert!(json(Y2019, &[OLD])["regime"]["warning"].is_null());
    assert!(json(Y2025, &[NEW])["regime"]["warning"].is_null());
    assert!(json(NO_YEAR, &[OLD])["regime"]["warning"].is_null());

    insta::assert_snapshot!("named_outside", header(Y2025, &[OLD]));
    insta::assert_snapshot!("named_inside", header(Y2019, &[OLD]));
}

#[test]
fn until_is_read_formatted_and_kept() {
    let messy = "rules   \"Thử\"  effective 2017-10-01\n   until   2023-12-31\n";
    let formatted = format(messy).unwrap();
    assert_eq!(
        formatted,
        "rules \"Thử\" effective 2017-10-01 until 2023-12-31\n"
    );
    assert_eq!(format(&formatted).unwrap(), formatted);
    let ast = parse(FileId(0), &formatted).unwrap();
    let header = ast.header.unwrap();
    assert!(header.until.is_some());
    let rules = Rules::from_text("thu.tdkt", &formatted, &[]).unwrap();
    let plan = &rules.rule_set().plan;
    assert_eq!(plan.effective.as_deref(), Some("2017-10-01"));
    assert_eq!(plan.until.as_deref(), Some("2023-12-31"));
    // `until` is a keyword: not a name.
    assert!(parse(FileId(0), "param until int = 1\n").is_err());
    // Without `until`, the period is open.
    let open = Rules::from_text("mo.tdkt", "rules \"Mở\" effective 2024-01-01\n", &[]).unwrap();
    assert_eq!(open.rule_set().plan.until, None);
    assert_eq!(ChosenBy::default(), ChosenBy::Named);
}
