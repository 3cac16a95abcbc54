//! Whole-process scaling benchmark: `tdkt check --failing --format json
//! --rules benches/bench.tdkt` against the hand-written Rust ceiling and the
//! DuckDB/Polars peers of the shared yardstick (`/work/shared/bench`, set up by
//! its `setup.sh`). Run: `cargo bench --bench scale`. It only prints.
//!
//! Settings (environment):
//! * `TDKT_BENCH_SIZES`: list labels, default `10k,100k,1m,2_5m`.
//! * `TDKT_BENCH_RUNS`: measured runs, default 5 (after 1 warm-up run).
//! * `TDKT_BENCH_DATA`: folder of `candidates_<label>.csv`, default
//!   `/tmp/bench-data`; missing lists are generated there.
//! * `TDKT_BENCH_PEERS`: `0`/`off`/`no` times tdkt alone. Default: the ceiling
//!   (`/tmp/csvlimit/target/release/{check,check_mt}`) and the peers
//!   (`/tmp/bench-venv/bin/python`) take part when present; missing ones are
//!   named and skipped.
//!
//! Per size: tdkt's JSON report (each thread setting) is reduced to the
//! fields of the ceiling's summary line and compared with it (a difference
//! prints MISMATCH and exits 1). Then whole processes are timed (spawn → wait,
//! stdout to /dev/null, warm page cache), each program alternating with the
//! 1-thread ceiling (A B A B …) so the ratio is taken pair by pair. Peak
//! memory is the child's own, from `/usr/bin/time -f %M`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap stops the benchmark

#[allow(dead_code)]
#[path = "gen/mod.rs"]
mod datagen;

use serde::Deserialize;
use std::collections::BTreeSet;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

const TDKT: &str = env!("CARGO_BIN_EXE_tdkt");
const CEILING: &str = "/tmp/csvlimit/target/release";
const PYTHON: &str = "/tmp/bench-venv/bin/python";
const PEERS: &str = "/work/shared/bench/peers";
const TIME: &str = "/usr/bin/time";

/// One program under test; the list file is appended to `argv`.
struct Prog {
    name: &'static str,
    threads: String,
    argv: Vec<String>,
    env: Option<(&'static str, &'static str)>,
}

struct Sample {
    wall: f64,
    peak_kib: Option<u64>,
}

fn main() -> ExitCode {
    let var = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_string());
    let sizes = var("TDKT_BENCH_SIZES", "10k,100k,1m,2_5m");
    let runs: usize = var("TDKT_BENCH_RUNS", "5").parse().unwrap_or(0);
    assert!(runs > 0, "TDKT_BENCH_RUNS: a number ≥ 1");
    let data = PathBuf::from(var("TDKT_BENCH_DATA", "/tmp/bench-data"));
    let peers = !matches!(var("TDKT_BENCH_PEERS", "1").as_str(), "0" | "off" | "no");
    let (progs, ceiling) = programs(peers);
    let pid = std::process::id();
    let peak_file = Path::new(TIME)
        .exists()
        .then(|| std::env::temp_dir().join(format!("tdkt-scale-peak-{pid}")));
    if peak_file.is_none() {
        println!("(không đo bộ nhớ: thiếu {TIME} — peak memory not measured)");
    }
    for label in sizes.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let Some(&(_, rows)) = datagen::SIZES.iter().find(|(l, _)| *l == label) else {
            eprintln!("TDKT_BENCH_SIZES: không biết cỡ «{label}» (unknown size)");
            return ExitCode::from(2);
        };
        let file = datagen::ensure(&data, label, rows).expect("generate list");
        println!("\n## {label}: {rows} dòng (rows), {}\n", file.display());
        if let Err(e) = verify(&progs, ceiling.as_ref(), &file) {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
        let table = time_all(&progs, ceiling.as_ref(), &file, runs, peak_file.as_deref());
        print_table(&table, rows);
    }
    if let Some(p) = peak_file {
        let _ = std::fs::remove_file(p);
    }
    ExitCode::SUCCESS
}

/// tdkt in each thread setting plus the peers found; the 1-thread ceiling apart.
fn programs(peers: bool) -> (Vec<Prog>, Option<Prog>) {
    let ncpu = std::thread::available_parallelism().map_or(1, |n| n.get());
    let ncpu = &ncpu.to_string();
    let prog = |name, threads: &str, argv: &[&str], env| Prog {
        name,
        threads: threads.to_string(),
        argv: argv.iter().map(|s| s.to_string()).collect(),
        env,
    };
    let rules = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/bench.tdkt");
    let tdkt = |n: &str| {
        let mut argv = vec![TDKT, "check", "--failing", "--format", "json"];
        argv.extend(["--rules", rules]);
        if n != "mặc định" {
            argv.extend(["--threads", n]);
        }
        prog("tdkt", n, &argv, None)
    };
    let help = Command::new(TDKT).args(["check", "--help"]).output();
    let mut progs = if help.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("--threads"))
    {
        vec![tdkt("1"), tdkt("2")]
    } else {
        println!("(tdkt chưa có --threads: chỉ đo mặc định — no --threads flag yet)");
        vec![tdkt("mặc định")]
    };
    if !peers {
        println!("(TDKT_BENCH_PEERS=off: chỉ đo tdkt — tdkt only)");
        return (progs, None);
    }
    let found = |path: &str| {
        let ok = Path::new(path).exists();
        if !ok {
            println!("(bỏ qua — skipped: thiếu {path}, xem /work/shared/bench/setup.sh)");
        }
        ok
    };
    let (check, check_mt) = (format!("{CEILING}/check"), format!("{CEILING}/check_mt"));
    let ceiling = found(&check).then(|| prog("ceiling", "1", &[&check], None));
    if found(&check_mt) {
        progs.push(prog("ceiling-mt", ncpu, &[&check_mt], None));
    }
    for (name, one) in [
        ("duckdb", "BENCH_THREADS"),
        ("polars", "POLARS_MAX_THREADS"),
    ] {
        let script = format!("{PEERS}/{name}_check.py");
        if found(PYTHON) && found(&script) {
            progs.push(prog(name, "1", &[PYTHON, &script], Some((one, "1"))));
            progs.push(prog(name, ncpu, &[PYTHON, &script], None));
        }
    }
    (progs, ceiling)
}

#[derive(Deserialize)]
struct Report {
    summary: Summary,
    candidates: Vec<Item>,
    groups: Vec<Item>,
}
#[derive(Deserialize)]
struct Summary {
    candidates: u64,
    pass: u64,
    fail: u64,
    unknown: u64,
}
/// A candidate (`key`) or a rate group (`rule`, `group`).
#[derive(Deserialize, Default)]
#[serde(default)]
struct Item {
    key: String,
    rule: String,
    group: String,
    verdict: String,
}

impl Prog {
    /// The command line; with a peak file, run under `/usr/bin/time`, which
    /// reports the child's own peak (not this process's).
    fn command(&self, file: &Path, peak_file: Option<&Path>) -> Command {
        let mut cmd = Command::new(peak_file.map_or(self.argv[0].as_str(), |_| TIME));
        if let Some(pf) = peak_file {
            cmd.args(["-f", "%M", "-o"]).arg(pf).arg(&self.argv[0]);
        }
        cmd.args(&self.argv[1..]).arg(file).envs(self.env);
        cmd.stdin(Stdio::null());
        cmd
    }

    fn exit_ok(&self, code: Option<i32>) -> Result<(), String> {
        // tdkt exits 1 when something fails: expected here.
        match code {
            Some(0) => Ok(()),
            Some(1) if self.name == "tdkt" => Ok(()),
            c => Err(format!("{} {}: exit {c:?}", self.name, self.threads)),
        }
    }
}

/// tdkt's JSON report reduced to the summary-line fields it can give (not
/// `rows`, `ldtt_ok`, `units`: the report lists only units where a rate has
/// something to count).
fn tdkt_fields(p: &Prog, file: &Path) -> Result<Vec<(&'static str, u64)>, String> {
    let mut cmd = p.command(file, None);
    let spawned = cmd.stdout(Stdio::piped()).spawn();
    let mut child = spawned.map_err(|e| e.to_string())?;
    let parsed: serde_json::Result<Report> =
        serde_json::from_reader(BufReader::new(child.stdout.take().unwrap()));
    p.exit_ok(child.wait().map_err(|e| e.to_string())?.code())?;
    let r = parsed.map_err(|e| format!("tdkt JSON: {e}"))?;
    let mut fail_id_sum = 0;
    for c in r.candidates.iter().filter(|c| c.verdict != "pass") {
        let digits = c.key.trim_start_matches(|ch: char| !ch.is_ascii_digit());
        let id: u64 = digits.parse().map_err(|_| format!("key «{}»", c.key))?;
        fail_id_sum += id;
    }
    let failing = |rule: Option<&str>| {
        let groups = r.groups.iter().filter(|g| g.verdict != "pass");
        let groups = groups.filter(|g| rule.is_none_or(|r| g.rule == r));
        groups.map(|g| &g.group).collect::<BTreeSet<_>>().len() as u64
    };
    Ok(vec![
        ("proposed", r.summary.candidates),
        ("pass", r.summary.pass),
        ("fail", r.summary.fail + r.summary.unknown),
        ("fail_id_sum", fail_id_sum),
        ("units_fail_cstd15", failing(Some("U1"))),
        ("units_fail_nonleader50", failing(Some("U2"))),
        ("units_fail_any", failing(None)),
    ])
}

/// Every tdkt setting against the ceiling's summary line, when there is one.
fn verify(progs: &[Prog], ceiling: Option<&Prog>, file: &Path) -> Result<(), String> {
    let mut line = None;
    if let Some(c) = ceiling {
        let out = c.command(file, None).output().map_err(|e| e.to_string())?;
        c.exit_ok(out.status.code())?;
        line = Some(String::from_utf8_lossy(&out.stdout).trim().to_string());
        println!("trần (ceiling): {}", line.as_deref().unwrap_or(""));
    }
    for p in progs.iter().filter(|p| p.name == "tdkt") {
        let fields = tdkt_fields(p, file)?;
        let shown: Vec<_> = fields.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let Some(line) = &line else {
            println!("tdkt (luồng {}): {}", p.threads, shown.join(" "));
            continue;
        };
        let expected = |k: &str| {
            let mut kv = line.split_whitespace().filter_map(|kv| kv.split_once('='));
            kv.find(|(key, _)| *key == k).map_or("?", |(_, v)| v)
        };
        let diff: Vec<_> = (fields.iter())
            .filter(|(k, v)| expected(k) != v.to_string())
            .map(|(k, v)| format!("  {k}: tdkt {v} ≠ trần (ceiling) {}", expected(k)))
            .collect();
        if !diff.is_empty() {
            let head = format!("tdkt {} ≠ ceiling, {}", p.threads, file.display());
            return Err(format!("\n!!! MISMATCH !!! {head}\n{}\n", diff.join("\n")));
        }
        println!("tdkt (luồng {}): {} ✓ khớp", p.threads, shown.join(" "));
    }
    println!();
    Ok(())
}

fn run(p: &Prog, file: &Path, peak_file: Option<&Path>) -> Result<Sample, String> {
    let mut cmd = p.command(file, peak_file);
    cmd.stdout(Stdio::null()).stderr(Stdio::null());
    let start = Instant::now();
    let status = cmd.status().map_err(|e| format!("{}: {e}", p.argv[0]))?;
    let wall = start.elapsed().as_secs_f64();
    p.exit_ok(status.code())?;
    // GNU time may put "Command exited with non-zero status 1" before the figure.
    let peak_kib = peak_file
        .and_then(|pf| std::fs::read_to_string(pf).ok())
        .and_then(|s| s.split_whitespace().last()?.parse().ok());
    Ok(Sample { wall, peak_kib })
}

/// A table row: program, its samples, and the pair-by-pair ratios to the ceiling.
type Row<'a> = (&'a Prog, Vec<Sample>, Vec<f64>);

/// Warm-up pair, then `runs` pairs A B A B … (B: the 1-thread ceiling).
fn time_all<'a>(
    progs: &'a [Prog],
    ceiling: Option<&'a Prog>,
    file: &Path,
    runs: usize,
    pf: Option<&Path>,
) -> Vec<Row<'a>> {
    let pair = |a: &Prog| -> Result<(Sample, Option<Sample>), String> {
        let s = run(a, file, pf)?;
        Ok((s, ceiling.map(|c| run(c, file, pf)).transpose()?))
    };
    let (mut rows, mut base) = (Vec::new(), Vec::new());
    for p in progs {
        // A peer that cannot run is skipped (and said so); tdkt is not.
        if let Err(e) = pair(p) {
            assert_ne!(p.name, "tdkt", "{e}");
            println!("(bỏ qua — skipped: {e})");
            continue;
        }
        let (mut samples, mut ratios) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            let (s, c) = pair(p).unwrap_or_else(|e| panic!("{e}"));
            if let Some(c) = c {
                ratios.push(s.wall / c.wall);
                base.push(c);
            }
            samples.push(s);
        }
        rows.push((p, samples, ratios));
    }
    if let Some(c) = ceiling {
        let ones = vec![1.0; base.len()];
        rows.insert(0, (c, base, ones));
    }
    rows
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    (xs[(n - 1) / 2] + xs[n / 2]) / 2.0
}

fn print_table(rows: &[Row], n_rows: u64) {
    println!(
        "| chương trình (program) | luồng (threads) | thời gian, s (wall_s) | dòng/s (rows_per_s) | bộ nhớ, MiB (peak_mib) | so với trần (ratio) |"
    );
    println!("| --- | --- | ---: | ---: | ---: | ---: |");
    for (p, samples, ratios) in rows {
        let walls: Vec<f64> = samples.iter().map(|s| s.wall).collect();
        let lo = walls.iter().copied().fold(f64::MAX, f64::min);
        let hi = walls.iter().copied().fold(0.0, f64::max);
        let med = median(walls);
        let peak = samples.iter().filter_map(|s| s.peak_kib).max();
        let peak = peak.map_or("–".into(), |k| format!("{:.1}", k as f64 / 1024.0));
        let ratio = (!ratios.is_empty()).then(|| format!("{:.2}×", median(ratios.clone())));
        let ratio = ratio.unwrap_or("–".into());
        let rate = n_rows as f64 / med / 1e6;
        let (name, threads) = (p.name, &p.threads);
        println!(
            "| {name} | {threads} | {med:.3} ({lo:.3}–{hi:.3}) | {rate:.2} M | {peak} | {ratio} |"
        );
    }
}
