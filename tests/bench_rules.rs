//! The benchmark workload end to end: the generated 10k candidate list is
//! the reference file byte for byte, and `tdkt check` with
//! `benches/bench.tdkt` finds the reference results of
//! `shared/bench/RULES.md` on it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

#[path = "../benches/gen/mod.rs"]
mod candidates;

use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

const SHA256_10K: &str = "a16fffa8a2afa5785f695c5ea58a17798b261c7d1270d45cbe296e945f39e9b9";
const LEN_10K: usize = 1_943_067;

#[test]
fn random_matches_cpython() {
    // random.Random(s).random() in CPython, printed with repr.
    let cases: [(u128, &[f64]); 3] = [
        (
            20250101 * 1_000_003 + 10_000,
            &[0.2467230938498679, 0.46634927594584585, 0.3561945219064433],
        ),
        (0, &[0.8444218515250481, 0.7579544029403025]),
        ((1 << 40) + 5, &[0.5043802970418443]),
    ];
    for (seed, expected) in cases {
        let mut rng = candidates::PyRandom::new(seed);
        let got: Vec<f64> = expected.iter().map(|_| rng.random()).collect();
        assert_eq!(got, expected, "seed {seed}");
    }
}

#[test]
fn bench_rules_10k() {
    let (label, rows) = candidates::SIZES[0];
    assert_eq!(rows, 10_000);
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("bench_rules-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let path = candidates::ensure(&dir, label, rows).expect("generate the 10k list");
    assert_eq!(path, dir.join("candidates_10k.csv"));

    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(bytes.len(), LEN_10K);
    let sha: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(sha, SHA256_10K);
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let units: HashSet<String> = reader
        .records()
        .map(|r| r.unwrap()[2].to_string())
        .collect();
    assert_eq!(units.len(), 200);

    let output = Command::new(env!("CARGO_BIN_EXE_tdkt"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "check",
            "--failing",
            "--format",
            "json",
            "--rules",
            "benches/bench.tdkt",
        ])
        .arg(&path)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON report");

    let summary = &report["summary"];
    assert_eq!(summary["pass"], 5914);
    assert_eq!(summary["fail"], 676);
    assert_eq!(summary["unknown"], 0);
    assert_eq!(summary["groups"], 2 * 200);

    let fail_id_sum: u64 = report["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["verdict"] != "pass")
        .map(|c| {
            let key = c["key"].as_str().unwrap();
            key.strip_prefix("CB").unwrap().parse::<u64>().unwrap()
        })
        .sum();
    assert_eq!(fail_id_sum, 3_467_385);

    let failing = |rule: &str| -> HashSet<&str> {
        report["groups"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| g["rule"] == rule && g["verdict"] != "pass")
            .map(|g| g["group"].as_str().unwrap())
            .collect()
    };
    let (u1, u2) = (failing("U1"), failing("U2"));
    assert_eq!(u1.len(), 39);
    assert_eq!(u2.len(), 58);
    assert_eq!(u1.union(&u2).count(), 86);
}
