//! The `example` blocks of every shipped rule set and test overlay hold.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::path::PathBuf;
use tdkt::eval::examples::run_all;
use tdkt::semantic::{self, Origin};

fn check_examples(path: &str) -> usize {
    let rules =
        semantic::load(&[PathBuf::from(path)], Origin::Disk, &[]).unwrap_or_else(|e| panic!("{e}"));
    let results = run_all(&rules);
    let failed: Vec<String> = results
        .iter()
        .filter(|r| !r.passed())
        .map(|r| {
            let lines: Vec<String> = r.failures.iter().map(|f| f.to_string()).collect();
            format!("{}:\n  {}", r.name, lines.join("\n  "))
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{path}: examples fail:\n{}",
        failed.join("\n")
    );
    results.iter().map(|r| r.checked).sum()
}

#[test]
fn shipped_rules_examples_hold() {
    for set in [
        "rules/luat-2022",
        "rules/nd-91-2017",
        "rules/dia-phuong/khong-lanh-dao-50",
        "rules/dia-phuong/cstdcs-15-luat-2022",
    ] {
        assert!(check_examples(set) > 0, "{set} has no examples");
    }
}

#[test]
fn every_shipped_criterion_parameter_and_rate_cites_a_declared_source() {
    for set in [
        "rules/luat-2022",
        "rules/nd-91-2017",
        "rules/dia-phuong/khong-lanh-dao-50",
        "rules/dia-phuong/cstdcs-15-luat-2022",
    ] {
        let rules = semantic::load(&[PathBuf::from(set)], Origin::Disk, &[])
            .unwrap_or_else(|e| panic!("{e}"));
        let plan = &rules.plan;
        let cites = plan
            .awards
            .iter()
            .flat_map(|a| {
                a.criteria
                    .iter()
                    .map(move |c| (format!("{}.{}", a.id, c.id), &c.cite))
            })
            .chain(plan.params.iter().map(|p| (p.id.clone(), &p.cite)))
            .chain(plan.rates.iter().map(|r| (r.id.clone(), &r.cite)));
        for (what, cite) in cites {
            assert!(
                cite.as_ref()
                    .is_some_and(|c| !c.title.is_empty() && !c.location.trim().is_empty()),
                "{set}: {what} has no citation"
            );
        }
    }
}

#[test]
fn collective_examples_hold() {
    assert_eq!(check_examples("tests/fixtures/rules/tap-the.tdkt"), 7);
}

#[test]
fn overlay_examples_hold() {
    assert!(check_examples("tests/fixtures/rules/tinh-thu.tdkt") > 0);
}

#[test]
fn the_embedded_default_is_the_shipped_directory() {
    let embedded = semantic::load_default(&[]).unwrap_or_else(|e| panic!("{e}"));
    let disk = semantic::load(&[PathBuf::from(semantic::DEFAULT_RULES)], Origin::Disk, &[])
        .unwrap_or_else(|e| panic!("{e}"));
    let hashes =
        |r: &semantic::RuleSet| r.files.iter().map(|f| f.sha256.clone()).collect::<Vec<_>>();
    assert_eq!(hashes(&embedded), hashes(&disk));
}

#[test]
fn an_example_that_does_not_hold_is_reported() {
    let text = std::fs::read_to_string("tests/fixtures/rules/tinh-thu.tdkt")
        .unwrap()
        .replace("expect G1 fail", "expect G1 pass");
    let text = text.replace("extends \"../../../rules/luat-2022\"", "");
    let base: String = [
        "00-chung",
        "ca-nhan",
        "tap-the",
        "lich-su",
        "bang-khen-huan-chuong",
        "bo-phieu",
    ]
    .iter()
    .map(|f| std::fs::read_to_string(format!("rules/luat-2022/{f}.tdkt")).unwrap())
    .collect();
    let base = base.replace(
        "award GK \"Giấy khen\" for ca_nhan where de_nghi = GK {",
        "award GK0 \"Giấy khen\" for ca_nhan where de_nghi = GK {",
    );
    let rules =
        semantic::load_text("thu.tdkt", &(base + &text), &[]).unwrap_or_else(|e| panic!("{e}"));
    let results = run_all(&rules);
    let bad: Vec<_> = results.iter().filter(|r| !r.passed()).collect();
    assert_eq!(bad.len(), 1);
    assert!(
        bad[0].failures[0]
            .to_string()
            .contains("«G1» (GK): cần pass, thực tế fail"),
        "{:?}",
        bad[0].failures
    );
}
