//! Load on the council's page: the server started in this process on a
//! free loopback port, `TDKT_LOAD_CLIENTS` clients (default 4) posting the
//! same list to `/kiem-tra` and reading the result page its 303 names (as a
//! browser does), for `TDKT_LOAD_SECS` seconds (default 10) each, for the 30-row sample list and a 10,000-row list made from it. Prints
//! requests per second and latency percentiles. Run:
//! `cargo bench --bench serve_load`. It only prints.
//!
//! 2026-12-07, 2 cores shared with other builds (load average 3–7), two
//! runs each, alternated: with the shipped rule sets parsed per check,
//! 30 rows 9.6–11.2 checks/s (p50 355–408 ms), 10,000 rows 4.8–5.1/s
//! (p50 819–833 ms); parsed once in the server's state (and the POST
//! answered by a 303, the result page fetched after it), 30 rows
//! 137.5–139.9/s (p50 24–25 ms), 10,000 rows 7.9–9.0/s (p50 383–499 ms).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::sync::Arc;
use std::time::{Duration, Instant};
use tdkt::serve::{Config, State};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BOUNDARY: &str = "----tdkt-tai-8d2e";

/// The sample list, its rows repeated with new keys up to `rows` rows.
fn list(rows: usize) -> Vec<u8> {
    let sample = std::fs::read_to_string("examples/danh-sach-mau.csv").expect("the sample list");
    let mut lines = sample.lines();
    let header = lines.next().unwrap();
    let body: Vec<&str> = lines.filter(|l| !l.trim().is_empty()).collect();
    let mut out = format!("{header}\n");
    for i in 0..rows {
        let line = body[i % body.len()];
        // The key is the first cell: made unique so no row repeats another.
        let rest = line.split_once(',').map_or("", |(_, r)| r);
        out.push_str(&format!("LD{i:06},{rest}\n"));
    }
    out.into_bytes()
}

fn request(port: u16, csv: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"tep-1\"; filename=\"ds.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(csv);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let mut req = format!(
        "POST /kiem-tra HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    req.extend_from_slice(&body);
    req
}

/// Sends `req` on a connection of its own; the whole answer.
async fn exchange(port: u16, req: &[u8]) -> Vec<u8> {
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    s.write_all(req).await.unwrap();
    let mut res = Vec::new();
    s.read_to_end(&mut res).await.unwrap();
    res
}

/// One check as a browser makes it: the POST, then the result page its
/// 303 names.
async fn one(port: u16, req: &[u8]) -> Duration {
    let start = Instant::now();
    let mut res = exchange(port, req).await;
    if res.starts_with(b"HTTP/1.1 303") {
        let head = String::from_utf8_lossy(&res).to_string();
        let location = head
            .lines()
            .find_map(|l| {
                l.split_once(':')
                    .filter(|(k, _)| k.eq_ignore_ascii_case("location"))
                    .map(|(_, v)| v.to_string())
            })
            .expect("a 303 names the result")
            .trim()
            .to_string();
        let get = format!(
            "GET {location} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        );
        res = exchange(port, get.as_bytes()).await;
    }
    assert!(
        res.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&res[..res.len().min(300)])
    );
    start.elapsed()
}

fn main() {
    let clients: usize = std::env::var("TDKT_LOAD_CLIENTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4);
    let secs: u64 = std::env::var("TDKT_LOAD_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let config = Config { listen: "127.0.0.1:0".parse().unwrap(), ..Config::default() };
        let state = Arc::new(State::new(config).unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel();
        tokio::spawn(tdkt::serve::serve(state, move |addr| {
            let _ = tx.send(addr.port());
        }));
        let port = rx.await.unwrap();
        println!("{} nhân máy; {clients} máy khách đồng thời; {secs} s mỗi danh sách", std::thread::available_parallelism().map_or(1, |n| n.get()));
        for rows in [30, 10_000] {
            let req = Arc::new(request(port, &list(rows)));
            one(port, &req).await; // warm-up
            let until = Instant::now() + Duration::from_secs(secs);
            let start = Instant::now();
            let mut tasks = Vec::new();
            for _ in 0..clients {
                let req = req.clone();
                tasks.push(tokio::spawn(async move {
                    let mut times = Vec::new();
                    while Instant::now() < until {
                        times.push(one(port, &req).await);
                    }
                    times
                }));
            }
            let mut times = Vec::new();
            for t in tasks {
                times.extend(t.await.unwrap());
            }
            let elapsed = start.elapsed().as_secs_f64();
            times.sort();
            let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)].as_secs_f64() * 1000.0;
            println!(
                "{rows:>6} dòng ({} KB): {} yêu cầu, {:.1} yêu cầu/s; độ trễ p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, lớn nhất {:.1} ms",
                req.len() / 1024,
                times.len(),
                times.len() as f64 / elapsed,
                pct(0.5),
                pct(0.9),
                pct(0.99),
                pct(1.0),
            );
        }
    });
}
