//! History join at scale: 100 000 people proposed for Chiến sĩ thi đua cấp
//! bộ, tỉnh, each checked against a history of 1 000 000 rows (ten years
//! each), with the shipped Luật 2022 rules. Run: `cargo bench --bench
//! history_join`. Prints the wall time of each run and the median; the
//! lists are generated once (fixed pattern, no randomness) under
//! `target/bench-data/`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap stops the benchmark

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tdkt::cli::{CheckArgs, Exit, check, check_format::Format};

const PEOPLE: usize = 100_000;
const YEARS: usize = 10;

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("target/bench-data");
    // The names change with the columns, so that lists of an older layout
    // are written again.
    let people = dir.join("ca-nhan-100k-v2.csv");
    let history = dir.join("lich-su-1m-v2.csv");
    if !people.exists() || !history.exists() {
        write_lists(&people, &history);
    }
    let args = CheckArgs {
        list: None,
        sheet: None,
        tables: vec![
            format!("ca_nhan={}", people.display()),
            format!("lich_su={}", history.display()),
        ],
        rules: Vec::new(),
        format: Format::Json,
        set: Vec::new(),
        failing: true,
        output: None,
        spread: tdkt::cli::Spread::threads(tdkt::cli::default_threads().get()),
    };
    let mut times = Vec::new();
    for run in 1..=5 {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let start = Instant::now();
        let exit = check(&args, &mut out, &mut err);
        let secs = start.elapsed().as_secs_f64();
        assert_ne!(exit, Exit::Error, "{}", String::from_utf8_lossy(&err));
        if run == 1 {
            let v: serde_json::Value = serde_json::from_slice(&out).expect("JSON report");
            println!("tóm tắt: {}", v["summary"]);
        }
        println!("lần {run}: {secs:.3} s");
        times.push(secs);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "trung vị: {:.3} s — {PEOPLE} người, {} dòng lịch sử, {} luồng",
        times[times.len() / 2],
        PEOPLE * YEARS,
        args.spread.threads
    );
}

/// Person i was CSTĐCS in the years where `(i + year) % 4 != 0`, rated HTT
/// or better every year; so some have three years in a row, some do not.
fn write_lists(people: &Path, history: &Path) {
    let mut p = String::with_capacity(PEOPLE * 200);
    p.push_str("Mã cán bộ,Họ và tên,Đơn vị,Giữ chức vụ lãnh đạo quản lý,Năm xét,Xếp loại chất lượng,Số tháng công tác trong năm,Số tháng nghỉ thai sản,Hình thức kỷ luật (trong năm),Đang xem xét kỷ luật/thanh tra,Có sáng kiến được công nhận,Có đề tài KH đã nghiệm thu,Hình thức đề nghị\n");
    for i in 0..PEOPLE {
        let _ = writeln!(
            p,
            "CB{i:06},Người {i},Đơn vị {},Không,2025,Hoàn thành xuất sắc nhiệm vụ,12,,,,,,\"Chiến sĩ thi đua cấp bộ, ngành, tỉnh\"",
            i % 500
        );
    }
    std::fs::write(people, p).expect("people list");
    let mut h = String::with_capacity(PEOPLE * YEARS * 60);
    h.push_str(
        "Mã cán bộ,Năm thành tích,\"Danh hiệu, hình thức đã được tặng\",Xếp loại chất lượng,Hình thức kỷ luật\n",
    );
    for i in 0..PEOPLE {
        for k in 0..YEARS {
            let year = 2025 - k;
            let title = if (i + year) % 4 != 0 {
                "Chiến sĩ thi đua cơ sở"
            } else {
                "Lao động tiên tiến"
            };
            let _ = writeln!(h, "CB{i:06},{year},{title},Hoàn thành tốt nhiệm vụ,");
        }
    }
    std::fs::write(history, h).expect("history list");
}
