//! The council's page in a real browser: `tdkt serve` started as a
//! secretary starts it, headless Chromium driven through chromedriver,
//! the council fixture uploaded, the verdicts read in the page and the
//! annotated workbook downloaded and read back, then a new standard
//! simulated on the same list. Skipped, with a message,
//! where Chromium or chromedriver is not installed.
//!
//! With `TDKT_SCREENSHOTS=1`, the pages are also saved under `docs/` (the
//! README shows them).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use fantoccini::{Client, ClientBuilder, Locator};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn which(name: &str) -> Option<String> {
    let out = Command::new("which").arg(name).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A child process killed when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_for_port(port: u16) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "port {port} never opened"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// GET `path` from the server, as the download link does; the body.
fn fetch(port: u16, path: &str) -> Vec<u8> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let at = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response")
        + 4;
    let head = String::from_utf8_lossy(&raw[..at]).to_lowercase();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("content-length"), "a sized body: {head}");
    raw[at..].to_vec()
}

/// Types `text` into the field `css` finds (a file input takes a path).
async fn type_into(client: &Client, css: &str, text: &str) {
    let field = client.find(Locator::Css(css)).await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// Chooses the option of value `value` in the drop-down `css` finds.
async fn choose(client: &Client, css: &str, value: &str) {
    let list = client.find(Locator::Css(css)).await.unwrap();
    list.select_by_value(value).await.unwrap();
}

/// Sends the form and waits (a minute at most) for `css` on the page it
/// leads to.
async fn submit(client: &Client, css: &str, what: &str) {
    click(client, "button[type='submit']").await;
    client
        .wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css(css))
        .await
        .expect(what);
}

async fn click(client: &Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

#[tokio::test]
async fn a_secretary_checks_the_council_list_in_chromium() {
    let (Some(chromium), Some(driver)) = (which("chromium"), which("chromedriver")) else {
        eprintln!(
            "SKIPPED: chromium and chromedriver are needed for the browser test (apt-get install chromium chromium-driver)"
        );
        return;
    };
    let port = free_port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_tdkt"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .spawn()
        .expect("tdkt serve starts");
    let mut first = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let _server = Running(server);
    assert_eq!(
        first.trim(),
        format!("Trang kiểm tra danh sách: http://127.0.0.1:{port}/")
    );

    let driver_port = free_port();
    let _driver = Running(
        Command::new(&driver)
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    wait_for_port(driver_port);
    let profile = std::env::temp_dir().join(format!("tdkt-serve-browser-{}", std::process::id()));
    let caps = serde_json::json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1200,900",
                format!("--user-data-dir={}", profile.display()),
            ]
        }
    });
    let caps = match caps {
        serde_json::Value::Object(m) => m,
        _ => unreachable!(),
    };
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("a WebDriver connection to the browser");
    let shots = std::env::var_os("TDKT_SCREENSHOTS").is_some();
    let shot = |name: &'static str, png: Vec<u8>| {
        if shots {
            std::fs::write(format!("docs/{name}"), png).expect("docs/ is writable");
        }
    };

    let base = format!("http://127.0.0.1:{port}");
    client.goto(&format!("{base}/")).await.unwrap();
    assert_eq!(client.title().await.unwrap(), "Kiểm tra danh sách — tdkt");
    let fixture = std::fs::canonicalize("tests/fixtures/council/ds.xlsx").unwrap();
    type_into(
        &client,
        "input[name='tep-1']",
        &fixture.display().to_string(),
    )
    .await;
    choose(&client, "select[name='che-do']", "luat-2022").await;
    if shots {
        shot("serve-form.png", client.screenshot().await.unwrap());
    }
    submit(&client, "div.bao-cao", "the report shows in the page").await;

    let page = client.source().await.unwrap();
    assert!(
        page.contains("bộ quy tắc kèm theo «luat-2022»"),
        "the regime chosen is used"
    );
    // Đỗ Văn Nam and Bùi Thị Hồng fail; Lê Minh Tuấn lacks data.
    let verdict = |name: &str| {
        let failing = page.split("III. KHÔNG ĐỦ ĐIỀU KIỆN").nth(1).unwrap();
        let at = failing
            .find(name)
            .unwrap_or_else(|| panic!("{name} is listed"));
        let row = &failing[at..at + failing[at..].find("</tr>").unwrap()];
        if row.contains("class=\"khong-dat\"") {
            "không đạt"
        } else {
            "chưa rõ"
        }
    };
    assert_eq!(verdict("Đỗ Văn Nam"), "không đạt");
    assert_eq!(verdict("Bùi Thị Hồng"), "không đạt");
    assert_eq!(verdict("Lê Minh Tuấn"), "chưa rõ");
    if shots {
        shot("serve-result.png", client.screenshot().await.unwrap());
    }

    // The filter, without script: only the failing remain.
    choose(&client, "select[name='ket_qua']", "khong-dat").await;
    click(&client, "form.loc button").await;
    client
        .wait()
        .for_element(Locator::XPath("//p[contains(., 'Đang lọc')]"))
        .await
        .unwrap();
    let filtered = client.source().await.unwrap();
    assert!(filtered.contains("Đỗ Văn Nam") && !filtered.contains("Lê Minh Tuấn"));

    let link = client
        .find(Locator::Css("a[href$='/ket-qua.xlsx']"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .expect("a download link");
    let path = link.strip_prefix(&base).unwrap_or(&link).to_string();
    let bytes = fetch(port, &path);
    {
        use calamine::Reader;
        let mut book =
            calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).expect("an xlsx");
        let sheet = book.sheet_names()[0].clone();
        let range = book.worksheet_range(&sheet).unwrap();
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        let head = rows
            .iter()
            .position(|r| r.iter().any(|c| c == "Kết quả"))
            .expect("a Kết quả column");
        let verdict = rows[head].iter().position(|c| c == "Kết quả").unwrap();
        let name = rows[head]
            .iter()
            .position(|c| c.starts_with("Họ"))
            .expect("a name column");
        let of = |who: &str| rows.iter().find(|r| r[name] == who).unwrap()[verdict].clone();
        assert_eq!(of("Đỗ Văn Nam"), "Không đủ điều kiện");
        assert_eq!(of("Lê Minh Tuấn"), "Chưa xác định");
    }

    client.goto(&format!("{base}/quy-tac")).await.unwrap();
    let rules = client.source().await.unwrap();
    assert!(rules.contains("Lao động tiên tiến") && rules.contains("Căn cứ"));
    if shots {
        shot("serve-rules.png", client.screenshot().await.unwrap());
    }

    // A simulation: the same list under Luật 2022 and with a minimum of 4
    // months worked. Bùi Thị Hồng (4 months) no longer fails; the list has
    // no «Đang xem xét kỷ luật» column, so she becomes unknown, not passing.
    client.goto(&format!("{base}/mo-phong")).await.unwrap();
    assert_eq!(
        client.title().await.unwrap(),
        "Mô phỏng tiêu chuẩn mới — tdkt"
    );
    type_into(
        &client,
        "input[name='tep-1']",
        &fixture.display().to_string(),
    )
    .await;
    choose(&client, "select[name='che-do']", "luat-2022").await;
    type_into(&client, "input[name='dat-thang_cong_tac_toi_thieu']", "4").await;
    submit(&client, "table.tong", "the comparison shows in the page").await;
    let url = client.current_url().await.unwrap();
    assert!(
        url.path().starts_with("/mo-phong/"),
        "the 303 leads to the simulation's own address: {url}"
    );
    let page = client.source().await.unwrap();
    assert!(
        page.contains("thang_cong_tac_toi_thieu=4"),
        "the change is named"
    );
    let flips = page
        .split("Đề nghị đổi kết quả")
        .nth(1)
        .expect("a flips table");
    let at = flips.find("Bùi Thị Hồng").expect("Bùi Thị Hồng flips");
    let row = &flips[at..at + flips[at..].find("</tr>").unwrap()];
    assert!(row.contains("không đạt → <b>chưa xác định</b>"), "{row}");
    assert!(row.contains("cần ≥ 6"), "the reason that changed: {row}");
    if shots {
        shot("serve-simulation.png", client.screenshot().await.unwrap());
    }
    client.close().await.unwrap();
    let _ = std::fs::remove_dir_all(&profile);
}
