//! The council's page without a browser: the router answers requests built
//! here (multipart forms written by hand), as a browser would send them.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod web;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tdkt::serve::Config;
use web::*;

#[tokio::test]
async fn the_form_offers_tables_regimes_and_parameters_with_safe_headers() {
    let s = state(Config::default());
    let (status, body, headers) = get(&s, "/").await;
    assert_eq!(status, StatusCode::OK);
    let page = String::from_utf8(body).unwrap();
    for want in [
        "tep-1",
        "ca_nhan",
        "luat-2022",
        "nd-91-2017",
        "dat-thang_cong_tac_toi_thieu",
        "Theo năm xét",
    ] {
        assert!(page.contains(want), "the form lacks {want}");
    }
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("default-src 'none'") && csp.contains("form-action 'self'"));
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(!page.contains("<script"), "the page runs no script");
}

#[tokio::test]
async fn a_check_shows_each_verdict_and_filters_by_verdict() {
    let s = state(Config::default());
    let csv = list("Nguyễn Văn An", "Bùi Thanh Hương");
    let (status, page) = post(
        &s,
        &[
            Part::File("tep-1", "ds.csv", csv.as_bytes()),
            Part::Text("che-do", ""),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(verdict_of(&page, "Nguyễn Văn An"), "đủ điều kiện");
    assert_eq!(verdict_of(&page, "Bùi Thanh Hương"), "không đủ điều kiện");
    let id = result_id(&page);
    let (status, body, _) = get(&s, &format!("/ket-qua/{id}?ket_qua=khong-dat")).await;
    assert_eq!(status, StatusCode::OK);
    let filtered = String::from_utf8(body).unwrap();
    assert!(filtered.contains("Bùi Thanh Hương"));
    assert!(
        !filtered.contains("Nguyễn Văn An"),
        "the filter keeps only failing rows"
    );
    let (status, body, _) = get(
        &s,
        &format!("/ket-qua/{id}?don_vi=Ph%C3%B2ng%20T%E1%BB%95%20ch%E1%BB%A9c"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let by_unit = String::from_utf8(body).unwrap();
    assert!(by_unit.contains("Nguyễn Văn An") && !by_unit.contains("Bùi Thanh Hương"));
}

#[tokio::test]
async fn an_upload_over_the_cap_is_refused_with_a_message() {
    let s = state(Config {
        max_upload: 4096,
        ..Config::default()
    });
    let big = format!("{HEADER}{}", "CB001,Nguyễn Văn An,Phòng Tổ chức,Hoàn thành tốt nhiệm vụ,12,,,Không,Không,Không,Lao động tiên tiến\n".repeat(200));
    let (status, page) = post(&s, &[Part::File("tep-1", "lon.csv", big.as_bytes())]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        page.contains("quá lớn") && page.contains("--max-upload-mb"),
        "{page}"
    );
    // The server goes on answering.
    assert_eq!(get(&s, "/").await.0, StatusCode::OK);
}

#[tokio::test]
async fn too_many_files_are_refused() {
    let s = state(Config {
        max_files: 2,
        ..Config::default()
    });
    let csv = list("A", "B");
    let parts: Vec<Part> = (0..3)
        .map(|_| Part::File("quy-tac", "x.tdkt", csv.as_bytes()))
        .collect();
    let (status, page) = post(&s, &parts).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(page.contains("Quá nhiều tệp"), "{page}");
}

#[tokio::test]
async fn a_hostile_file_name_and_a_script_cell_are_escaped() {
    let s = state(Config::default());
    let csv = list("<script>alert(1)</script>", "Bùi Thanh Hương");
    let (status, page) = post(
        &s,
        &[Part::File(
            "tep-1",
            "../../<img src=x onerror=alert(2)>.csv",
            csv.as_bytes(),
        )],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(!page.contains("<script>alert(1)"), "a cell is escaped");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.contains("<img src=x"), "a file name is escaped");
    assert!(
        page.contains("&lt;img src=x onerror=alert(2)&gt;.csv"),
        "only the last part of the name is kept"
    );
    assert!(!page.contains("../"), "no path is kept from the file name");
}

#[tokio::test]
async fn a_bad_rule_file_shows_its_diagnostic_and_the_server_goes_on() {
    let s = state(Config::default());
    let csv = list("Nguyễn Văn An", "Bùi Thanh Hương");
    let bad =
        "rules \"Quy định tỉnh\"\nextends \"luat-2022\"\nparam ty_le_cstdcs: percent = = 15%\n";
    let (status, page) = post(
        &s,
        &[
            Part::File("tep-1", "ds.csv", csv.as_bytes()),
            Part::File("quy-tac", "tinh.tdkt", bad.as_bytes()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Không kiểm tra được"), "{page}");
    assert!(
        page.contains("tinh.tdkt:3"),
        "the diagnostic names the file and line: {page}"
    );
    // The same rule text, on the command line's engine, gives the same words.
    let cli = tdkt::Rules::from_memory(&[("tai-len/tinh.tdkt".into(), bad.into())], &[])
        .unwrap_err()
        .to_string();
    let shown = cli
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    assert!(
        page.contains(&shown),
        "the page shows the engine's message:\n{cli}\n---\n{page}"
    );
    assert_eq!(get(&s, "/").await.0, StatusCode::OK);
}

#[tokio::test]
async fn an_uploaded_rule_file_reaches_only_shipped_rule_sets() {
    let s = state(Config::default());
    let csv = list("Nguyễn Văn An", "Bùi Thanh Hương");
    let sneaky = "rules \"Thử\"\nextends \"../../../../../etc\"\n";
    let (status, page) = post(
        &s,
        &[
            Part::File("tep-1", "ds.csv", csv.as_bytes()),
            Part::File("quy-tac", "thu.tdkt", sneaky.as_bytes()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("rules/etc") && page.contains("không có trong bộ quy tắc kèm theo"),
        "{page}"
    );
    // A shipped overlay's own text, uploaded, extends the shipped base.
    let overlay =
        std::fs::read_to_string("rules/dia-phuong/cstdcs-15-luat-2022/cstdcs-15-luat-2022.tdkt")
            .unwrap();
    let (status, page) = post(
        &s,
        &[
            Part::File("tep-1", "ds.csv", csv.as_bytes()),
            Part::File("quy-tac", "cstdcs-15.tdkt", overlay.as_bytes()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("giới hạn 15%"),
        "the overlay's rule set is used"
    );
    assert_eq!(verdict_of(&page, "Nguyễn Văn An"), "đủ điều kiện");
}

#[tokio::test]
async fn a_changed_parameter_and_a_named_regime_are_used() {
    let s = state(Config::default());
    let csv = list("Nguyễn Văn An", "Bùi Thanh Hương");
    let (status, page) = post(
        &s,
        &[
            Part::File("tep-1", "ds.csv", csv.as_bytes()),
            Part::Text("che-do", "nd-91-2017"),
            Part::Text("dat-khong_ton_tai", "3"),
        ],
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an unknown parameter is refused as by --set"
    );
    assert!(page.contains("khong_ton_tai"), "{page}");
    let (status, page) = post(
        &s,
        &[
            Part::File("tep-1", "ds.csv", csv.as_bytes()),
            Part::Text("che-do", "nd-91-2017"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("2017"), "the 2017 regime is named");
    let (status, page) = post(
        &s,
        &[
            Part::File("tep-1", "ds.csv", csv.as_bytes()),
            Part::Text("che-do", "../../etc"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Không có bộ quy tắc"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_concurrent_checks_all_answer_correctly() {
    let s = state(Config::default());
    let mut tasks = Vec::new();
    for i in 0..10 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            let pass = format!("Người Đạt Số {i}");
            let fail = format!("Người Chưa Đạt Số {i}");
            let csv = list(&pass, &fail);
            let (status, page) = post(
                &s,
                &[Part::File("tep-1", &format!("ds-{i}.csv"), csv.as_bytes())],
            )
            .await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(verdict_of(&page, &pass), "đủ điều kiện");
            assert_eq!(verdict_of(&page, &fail), "không đủ điều kiện");
            // Each answer holds its own list only.
            let others = (0..10)
                .filter(|j| *j != i)
                .any(|j| page.contains(&format!("Số {j}<")));
            assert!(!others, "check {i} shows another's rows");
        }));
    }
    for t in tasks {
        t.await.expect("a check answered");
    }
}

#[tokio::test]
async fn the_downloads_read_back() {
    use calamine::Reader;
    let s = state(Config::default());
    let csv = list("Nguyễn Văn An", "Bùi Thanh Hương");
    let (_, page) = post(&s, &[Part::File("tep-1", "ds.csv", csv.as_bytes())]).await;
    let id = result_id(&page);
    let (status, bytes, headers) = get(&s, &format!("/tai/{id}/ket-qua.xlsx")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_DISPOSITION], "attachment");
    let mut book =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).expect("an xlsx");
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let head = &rows[0];
    let verdict = head
        .iter()
        .position(|h| h == "Kết quả")
        .expect("a Kết quả column");
    let name = head.iter().position(|h| h == "Họ và tên").unwrap();
    let row = |who: &str| rows.iter().find(|r| r[name] == who).unwrap()[verdict].clone();
    assert_eq!(row("Nguyễn Văn An"), "Đủ điều kiện");
    assert_eq!(row("Bùi Thanh Hương"), "Không đủ điều kiện");
    let (status, html, _) = get(&s, &format!("/tai/{id}/bao-cao.html")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8(html).unwrap().contains("Bùi Thanh Hương"));
    let (status, template, _) = get(&s, &format!("/tai/{id}/mau.xlsx")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(template.starts_with(b"PK"));
    assert_eq!(
        get(&s, &format!("/tai/{id}/..%2F..%2Fetc%2Fpasswd"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&s, "/tai/0000/ket-qua.xlsx").await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_oldest_results_are_dropped() {
    let s = state(Config::default());
    let csv = list("Nguyễn Văn An", "Bùi Thanh Hương");
    let (_, first) = post(&s, &[Part::File("tep-1", "ds.csv", csv.as_bytes())]).await;
    let first = result_id(&first);
    for _ in 0..tdkt::serve::KEPT_RESULTS {
        post(&s, &[Part::File("tep-1", "ds.csv", csv.as_bytes())]).await;
    }
    let (status, body, _) = get(&s, &format!("/ket-qua/{first}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        String::from_utf8(body)
            .unwrap()
            .contains("Không còn kết quả này")
    );
}

#[tokio::test]
async fn the_rule_set_page_shows_criteria_with_citations() {
    let s = state(Config::default());
    let (status, body, _) = get(&s, "/quy-tac").await;
    assert_eq!(status, StatusCode::OK);
    let page = String::from_utf8(body).unwrap();
    assert!(
        page.contains("Lao động tiên tiến") && page.contains("Điều 24"),
        "{page}"
    );
    let (status, body, _) = get(&s, "/quy-tac?che_do=nd-91-2017").await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8(body).unwrap().contains("2017"));
    assert_eq!(
        get(&s, "/quy-tac?che_do=..%2F..%2Fetc").await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_token_is_asked_once_and_compared() {
    let s = state(Config {
        token: Some("bi-mat-42".into()),
        ..Config::default()
    });
    let (status, body, _) = get(&s, "/").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        String::from_utf8(body)
            .unwrap()
            .contains("Nhập mã truy cập")
    );
    let login = |ma: &str| {
        Request::post("/ma-truy-cap")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("ma={ma}")))
            .unwrap()
    };
    assert_eq!(send(&s, login("sai")).await.0, StatusCode::UNAUTHORIZED);
    let (status, _, headers) = send(&s, login("bi-mat-42")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let cookie = headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let req = Request::get("/")
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&s, req).await.0, StatusCode::OK);
    let req = Request::get("/")
        .header(header::COOKIE, "tdkt_ma=bi-mat-43")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&s, req).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_tables_of_several_lists_are_guessed_from_their_headers() {
    let s = state(Config::default());
    let groups = std::fs::read("examples/tap-the-mau.csv").unwrap();
    let persons = std::fs::read("examples/ca-nhan-tap-the-mau.csv").unwrap();
    // The collective list first: the guess does not hang on the order.
    let (status, page) = post(
        &s,
        &[
            Part::File("tep-1", "tap-the.csv", &groups),
            Part::File("tep-2", "ca-nhan.csv", &persons),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    // The same lists given to the engine by table, as `tdkt check --table` does.
    let year =
        tdkt::Rules::list_year(&tdkt::ListSource::bytes("ca-nhan.csv", persons.clone())).unwrap();
    let rules = tdkt::Rules::embedded_for_year(year, &[]).unwrap();
    let report = tdkt::Check::new(&rules)
        .table("ca_nhan", tdkt::ListSource::bytes("ca-nhan.csv", persons))
        .unwrap()
        .table("tap_the", tdkt::ListSource::bytes("tap-the.csv", groups))
        .unwrap()
        .run()
        .unwrap()
        .report;
    let s = &report.summary;
    let words = format!(
        "Đủ điều kiện: <b class=\"dat\">{}</b>; không đủ điều kiện: <b class=\"khong-dat\">{}</b>; chưa xác định: <b class=\"chua-ro\">{}</b>",
        s.pass, s.fail, s.unknown
    );
    assert!(page.contains(&words), "{words}\n{page}");
    assert!(s.candidates > 0 && report.inputs.len() == 2);
    assert!(page.contains("tap-the.csv") && page.contains("ca-nhan.csv"));
}

#[test]
fn listening_beyond_this_machine_needs_a_token() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tdkt"))
        .args(["serve", "--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--token"), "{err}");
}

#[tokio::test]
async fn a_check_answers_with_a_redirect_to_its_result() {
    let s = state(Config::default());
    let csv = list("Nguyễn Văn An", "Bùi Thanh Hương");
    let (status, page, location) = post_to(
        &s,
        "/kiem-tra",
        &[Part::File("tep-1", "ds.csv", csv.as_bytes())],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let location = location.expect("a Location");
    let id = location
        .strip_prefix("/ket-qua/")
        .expect("the result's address");
    assert_eq!(id.len(), 32);
    // The result is read again by its address, as a reload does.
    for _ in 0..2 {
        let (status, body, _) = get(&s, &location).await;
        assert_eq!(status, StatusCode::OK);
        let page = String::from_utf8(body).unwrap();
        assert_eq!(verdict_of(&page, "Bùi Thanh Hương"), "không đủ điều kiện");
    }
}
