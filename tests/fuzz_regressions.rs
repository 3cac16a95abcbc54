//! Every input the fuzz targets (`fuzz/`) ever stopped on, replayed the way
//! its target runs it: `tests/fuzz-regressions/<target>/<file>`. None may
//! panic; rule files must format to a fixed point.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

#[path = "../fuzz/replay.rs"]
mod replay;

use std::path::Path;
use tdkt::Rules;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<(String, Vec<u8>)> = entries
        .map(|e| e.unwrap().path())
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    out.sort();
    out
}

#[test]
fn rule_files_the_fuzzer_stopped_on() {
    for (name, bytes) in inputs("quy_tac") {
        if let Ok(text) = std::str::from_utf8(&bytes) {
            eprintln!("{name}");
            replay::rule_file(text);
        }
    }
}

#[test]
fn lists_the_fuzzer_stopped_on() {
    let rules = Rules::embedded(&[]).unwrap();
    for (name, bytes) in inputs("danh_sach") {
        eprintln!("{name}");
        replay::check(&rules, &bytes, None, 1);
    }
}

#[test]
fn checks_the_fuzzer_stopped_on() {
    let rules = replay::small_rules();
    let found = inputs("kiem_tra");
    assert!(!found.is_empty(), "the regression inputs are missing");
    for (name, bytes) in found {
        eprintln!("{name}");
        let (list, history) = replay::split(&bytes);
        replay::check(&rules, list, history, 2);
    }
}
