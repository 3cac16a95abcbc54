//! What the page's tests share: lists, multipart forms written by hand,
//! and requests answered by the router in-process.
#![allow(dead_code)] // each test binary uses its own part

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use std::sync::Arc;
use tdkt::serve::{Config, State, router};
use tower::ServiceExt;

pub const HEADER: &str = "Mã cán bộ,Họ và tên,Đơn vị,Xếp loại chất lượng,Số tháng công tác trong năm,Số tháng nghỉ thai sản,Hình thức kỷ luật (trong năm),Đang xem xét kỷ luật/thanh tra,Có sáng kiến được công nhận,Có đề tài KH đã nghiệm thu,Hình thức đề nghị\n";

/// A list of two: `pass` is a Lao động tiên tiến who qualifies, `fail` one
/// who does not (Hoàn thành nhiệm vụ).
pub fn list(pass: &str, fail: &str) -> String {
    format!(
        "{HEADER}CB001,{pass},Phòng Tổ chức,Hoàn thành tốt nhiệm vụ,12,,,Không,Không,Không,Lao động tiên tiến\n\
         CB002,{fail},Phòng Kế hoạch,Hoàn thành nhiệm vụ,12,,,Không,Không,Không,Lao động tiên tiến\n"
    )
}

pub enum Part<'a> {
    Text(&'a str, &'a str),
    File(&'a str, &'a str, &'a [u8]),
}

const BOUNDARY: &str = "----tdkt-kiem-tra-7c1f";

pub fn multipart(parts: &[Part]) -> Vec<u8> {
    let mut out = Vec::new();
    for p in parts {
        out.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match p {
            Part::Text(name, value) => {
                out.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                        .as_bytes(),
                );
            }
            Part::File(name, file, bytes) => {
                out.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                        .as_bytes(),
                );
                out.extend_from_slice(bytes);
                out.extend_from_slice(b"\r\n");
            }
        }
    }
    out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    out
}

pub fn state(config: Config) -> Arc<State> {
    Arc::new(State::new(config).expect("the shipped rules load"))
}

pub async fn send(
    state: &Arc<State>,
    req: Request<Body>,
) -> (StatusCode, Vec<u8>, axum::http::HeaderMap) {
    let res = router(state.clone())
        .oneshot(req)
        .await
        .expect("the router answers");
    let status = res.status();
    let headers = res.headers().clone();
    let body = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .expect("the body is read");
    (status, body.to_vec(), headers)
}

/// Posts `parts` to `uri`: the status, the page and where it sends the
/// browser (a 303's Location).
pub async fn post_to(
    state: &Arc<State>,
    uri: &str,
    parts: &[Part<'_>],
) -> (StatusCode, String, Option<String>) {
    let req = Request::post(uri)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(multipart(parts)))
        .unwrap();
    let (status, body, headers) = send(state, req).await;
    let location = headers
        .get(header::LOCATION)
        .map(|l| l.to_str().unwrap().to_string());
    (
        status,
        String::from_utf8(body).expect("the page is UTF-8"),
        location,
    )
}

/// Posts `parts` to `uri` and, as a browser, follows the 303 to the
/// result: the status and page shown.
pub async fn post_at(state: &Arc<State>, uri: &str, parts: &[Part<'_>]) -> (StatusCode, String) {
    let (status, page, location) = post_to(state, uri, parts).await;
    if status != StatusCode::SEE_OTHER {
        return (status, page);
    }
    let (status, body, _) = get(state, &location.expect("a 303 says where")).await;
    (status, String::from_utf8(body).expect("the page is UTF-8"))
}

/// A check, as the browser shows it.
pub async fn post(state: &Arc<State>, parts: &[Part<'_>]) -> (StatusCode, String) {
    post_at(state, "/kiem-tra", parts).await
}

pub async fn get(state: &Arc<State>, uri: &str) -> (StatusCode, Vec<u8>, axum::http::HeaderMap) {
    send(state, Request::get(uri).body(Body::empty()).unwrap()).await
}

/// The verdict words of the row of the failing section that names `name`,
/// or "đủ điều kiện" when `name` is in the passing section.
pub fn verdict_of(page: &str, name: &str) -> &'static str {
    let failing = page
        .split("III. KHÔNG ĐỦ ĐIỀU KIỆN")
        .nth(1)
        .expect("the failing section")
        .split("IV. TỶ LỆ")
        .next()
        .unwrap();
    let passing = page
        .split("II. DANH SÁCH ĐỦ ĐIỀU KIỆN")
        .nth(1)
        .expect("the passing section")
        .split("III. KHÔNG ĐỦ")
        .next()
        .unwrap();
    match (passing.contains(name), failing.find(name)) {
        (true, None) => "đủ điều kiện",
        (false, Some(at)) => {
            let row = &failing[at..failing[at..]
                .find("</tr>")
                .map_or(failing.len(), |e| at + e)];
            if row.contains("class=\"khong-dat\"") {
                "không đủ điều kiện"
            } else {
                "chưa xác định"
            }
        }
        _ => "không thấy",
    }
}

pub fn result_id(page: &str) -> String {
    let at = page.find("/tai/").expect("a download link") + "/tai/".len();
    page[at..at + 32].to_string()
}
