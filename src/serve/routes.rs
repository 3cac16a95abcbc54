//! The page's addresses.

use super::pages::{self, Filter, LIST_SLOTS};
use super::run::{self, Asked, SERVER_RULES, Upload};
use super::simulation;
use super::state::{Config, State, same_secret};
use crate::engine::{Override, Rules, Shipped};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use std::sync::Arc;

/// What every answer carries: nothing is fetched or run but the page
/// itself, which is never framed.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The cookie that holds the shared secret once given.
const TOKEN_COOKIE: &str = "tdkt_ma";

pub fn router(state: Arc<State>) -> Router {
    let limit = state.config.max_upload;
    Router::new()
        .route("/", get(form))
        .route("/kiem-tra", post(check))
        .route("/ket-qua/{id}", get(result))
        .route("/tai/{id}/{file}", get(download))
        .route("/mo-phong", get(simulation::form).post(simulation::run))
        .route("/mo-phong/{id}", get(simulation::result))
        .route("/mo-phong/{id}/{file}", get(simulation::download))
        .route("/quy-tac", get(rules))
        .route("/ma-truy-cap", post(token))
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .layer(DefaultBodyLimit::max(limit))
        .layer(middleware::from_fn(headers))
        .with_state(state)
}

async fn headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// With `--token`, every address but the one that takes the secret needs
/// the cookie holding it.
async fn guard(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    req: Request,
    next: Next,
) -> Response {
    let Some(token) = &state.config.token else {
        return next.run(req).await;
    };
    if req.uri().path() == "/ma-truy-cap" {
        return next.run(req).await;
    }
    let given = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .any(|(k, v)| k == TOKEN_COOKIE && same_secret(v.as_bytes(), token.as_bytes()));
    if given {
        next.run(req).await
    } else {
        (
            StatusCode::UNAUTHORIZED,
            Html(pages::token(false).into_string()),
        )
            .into_response()
    }
}

#[derive(serde::Deserialize)]
struct TokenForm {
    ma: String,
}

async fn token(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    axum::Form(f): axum::Form<TokenForm>,
) -> Response {
    let right = state
        .config
        .token
        .as_ref()
        .is_some_and(|t| same_secret(f.ma.as_bytes(), t.as_bytes()));
    // Only a right secret is echoed into the cookie, so it holds no
    // character a header refuses.
    match (right, state.config.token.as_deref()) {
        (true, Some(t)) => match HeaderValue::from_str(&format!(
            "{TOKEN_COOKIE}={t}; HttpOnly; SameSite=Strict; Path=/"
        )) {
            Ok(cookie) => {
                let mut res = Redirect::to("/").into_response();
                res.headers_mut().insert(header::SET_COOKIE, cookie);
                res
            }
            Err(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html(pages::message("Mã truy cập không dùng được", "Mã truy cập có ký tự không đặt được vào cookie; hãy khởi động lại với mã chỉ gồm chữ cái và chữ số.").into_string()),
            )
                .into_response(),
        },
        _ => (StatusCode::UNAUTHORIZED, Html(pages::token(true).into_string())).into_response(),
    }
}

async fn form(axum::extract::State(state): axum::extract::State<Arc<State>>) -> Html<String> {
    Html(pages::form(&state.choices, None).into_string())
}

/// The form again, with `error` above it.
fn refused(state: &State, status: StatusCode, error: &str) -> Response {
    (
        status,
        Html(pages::form(&state.choices, Some(error)).into_string()),
    )
        .into_response()
}

/// Reads the form's fields (the check's and the simulation's); a refusal
/// is the status and message to show.
pub(super) async fn read_form(
    state: &State,
    mut form: Multipart,
) -> Result<Asked, (StatusCode, String)> {
    let cap = state.config.max_upload;
    let refuse = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            (
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "Các tệp tải lên quá lớn: mỗi lần kiểm tra nhận tối đa {} (người khởi động máy chủ có thể đổi bằng `tdkt serve --max-upload-mb`).",
                    size_words(cap)
                ),
            )
        } else {
            (
                StatusCode::BAD_REQUEST,
                format!("Không đọc được biểu mẫu gửi lên: {}", e.body_text()),
            )
        }
    };
    let mut asked = Asked::default();
    let mut lists: Vec<(usize, Upload)> = Vec::new();
    let mut tables: Vec<(usize, String)> = Vec::new();
    let mut files = 0usize;
    while let Some(field) = form.next_field().await.map_err(refuse)? {
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = field.bytes().await.map_err(refuse)?;
        // A file input left empty sends a part with no name and no bytes.
        let is_file = file_name.as_deref().is_some_and(|n| !n.is_empty()) || !bytes.is_empty();
        if file_name.is_some() && is_file {
            files += 1;
            if files > state.config.max_files {
                return Err((
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!(
                        "Quá nhiều tệp: mỗi lần kiểm tra nhận tối đa {} tệp.",
                        state.config.max_files
                    ),
                ));
            }
        }
        let text = || String::from_utf8_lossy(&bytes).trim().to_string();
        if let Some(n) = name
            .strip_prefix("tep-")
            .and_then(|n| n.parse::<usize>().ok())
        {
            if is_file && (1..=LIST_SLOTS).contains(&n) {
                let name = run::clean_name(file_name.as_deref().unwrap_or(""));
                lists.push((
                    n,
                    Upload {
                        name,
                        bytes: bytes.to_vec(),
                        table: None,
                    },
                ));
            }
        } else if let Some(n) = name
            .strip_prefix("bang-")
            .and_then(|n| n.parse::<usize>().ok())
        {
            let t = text();
            if !t.is_empty() {
                tables.push((n, t));
            }
        } else if name == "che-do" {
            asked.regime = text();
        } else if name == "quy-tac" {
            if is_file {
                let shown = run::clean_name(file_name.as_deref().unwrap_or("quy-tac.tdkt"));
                let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
                    (
                        StatusCode::BAD_REQUEST,
                        format!("Tệp quy tắc «{shown}» không phải văn bản UTF-8."),
                    )
                })?;
                asked.overlays.push((format!("tai-len/{shown}"), text));
            }
        } else if let Some(p) = name.strip_prefix("dat-") {
            let v = text();
            if !v.is_empty() {
                asked.set.push(Override {
                    name: p.to_string(),
                    value: v,
                });
            }
        }
    }
    lists.sort_by_key(|(n, _)| *n);
    for (n, mut u) in lists {
        u.table = tables.iter().find(|(m, _)| *m == n).map(|(_, t)| t.clone());
        asked.lists.push(u);
    }
    Ok(asked)
}

/// `bytes` as a person reads it: "50 MB", "4 KB".
fn size_words(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{} MB", bytes >> 20)
    } else {
        format!("{} KB", bytes.div_ceil(1 << 10))
    }
}

async fn check(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    form: Multipart,
) -> Response {
    let posted = Posted {
        doing: "kiểm tra",
        work: run::check,
        keep: State::keep,
        address: "/ket-qua",
        refused,
    };
    posted.answer(state, form).await
}

/// What a posted form runs (a check, a simulation) and where its result
/// is kept and shown.
pub(super) struct Posted<T> {
    /// The work, as the error of a failed thread names it ("kiểm tra").
    pub doing: &'static str,
    pub work: fn(&Config, &Shipped, Asked) -> Result<T, String>,
    /// Keeps the result; its id.
    pub keep: fn(&State, T) -> Result<String, String>,
    /// The result's address, before its id.
    pub address: &'static str,
    /// The form again, with an error above it.
    pub refused: fn(&State, StatusCode, &str) -> Response,
}

impl<T: Send + 'static> Posted<T> {
    /// Reads the form, runs the work on a thread of its own (the runtime's
    /// threads keep answering the other council members meanwhile), keeps
    /// the result and answers 303 to its address: a reload asks for the
    /// page, not for the work again.
    pub(super) async fn answer(self, state: Arc<State>, form: Multipart) -> Response {
        let refused = self.refused;
        let asked = match read_form(&state, form).await {
            Ok(a) => a,
            Err((status, msg)) => return refused(&state, status, &msg),
        };
        let worker = state.clone();
        let work = self.work;
        let done =
            tokio::task::spawn_blocking(move || work(&worker.config, &worker.shipped, asked)).await;
        let done = match done {
            Ok(Ok(done)) => done,
            Ok(Err(msg)) => return refused(&state, StatusCode::UNPROCESSABLE_ENTITY, &msg),
            Err(e) => {
                let msg = format!("Lỗi trong khi {} (máy chủ vẫn chạy): {e}", self.doing);
                return refused(&state, StatusCode::INTERNAL_SERVER_ERROR, &msg);
            }
        };
        match (self.keep)(&state, done) {
            Ok(id) => Redirect::to(&format!("{}/{id}", self.address)).into_response(),
            Err(msg) => refused(&state, StatusCode::INTERNAL_SERVER_ERROR, &msg),
        }
    }
}

pub(super) fn gone() -> Response {
    (
        StatusCode::NOT_FOUND,
        Html(
            pages::message(
                "Không còn kết quả này",
                "Máy chủ chỉ giữ các kết quả gần nhất, trong bộ nhớ. Hãy kiểm tra lại danh sách.",
            )
            .into_string(),
        ),
    )
        .into_response()
}

async fn result(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    Path(id): Path<String>,
    Query(f): Query<Filter>,
) -> Response {
    match state.result(&id) {
        Some(done) => Html(pages::result(&id, &done, &f).into_string()).into_response(),
        None => gone(),
    }
}

async fn download(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    Path((id, file)): Path<(String, String)>,
) -> Response {
    let Some(done) = state.result(&id) else {
        return gone();
    };
    const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let rendered: Result<(Vec<u8>, &str), String> =
        tokio::task::spawn_blocking(move || match file.as_str() {
            "bao-cao.html" => Ok((
                crate::report::html::render(&done.report, &done.listing).into_bytes(),
                "text/html; charset=utf-8",
            )),
            "ket-qua.xlsx" => {
                crate::report::xlsx::render(&done.report, &done.listing).map(|b| (b, XLSX))
            }
            "mau.xlsx" => {
                crate::report::template::xlsx(&done.rules.rule_set().plan, None).map(|b| (b, XLSX))
            }
            _ => Err(String::new()),
        })
        .await
        .unwrap_or_else(|e| Err(format!("Lỗi khi tạo tệp: {e}")));
    match rendered {
        Ok((bytes, kind)) => (
            [
                (header::CONTENT_TYPE, kind),
                (header::CONTENT_DISPOSITION, "attachment"),
            ],
            bytes,
        )
            .into_response(),
        Err(msg) if msg.is_empty() => (
            StatusCode::NOT_FOUND,
            Html(
                pages::message(
                    "Không có tệp này",
                    "Các tệp tải về: bao-cao.html, ket-qua.xlsx, mau.xlsx.",
                )
                .into_string(),
            ),
        )
            .into_response(),
        Err(msg) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Html(pages::message("Không tạo được tệp", &msg).into_string()),
        )
            .into_response(),
    }
}

#[derive(serde::Deserialize)]
struct RulesQuery {
    #[serde(default)]
    che_do: String,
}

async fn rules(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    Query(q): Query<RulesQuery>,
) -> Response {
    let server = !state.config.rules.is_empty();
    let chosen = match q.che_do.as_str() {
        "" if server => SERVER_RULES.to_string(),
        "" => crate::semantic::DEFAULT_RULES
            .trim_start_matches("rules/")
            .to_string(),
        c => c.to_string(),
    };
    let worker = state.clone();
    let name = chosen.clone();
    let loaded = tokio::task::spawn_blocking(move || {
        let config = &worker.config;
        let rules = if name == SERVER_RULES && !config.rules.is_empty() {
            Rules::load(&config.rules, &[]).map_err(|e| e.to_string())
        } else {
            match worker.shipped.named(&name) {
                Some(r) => Ok(r.clone()),
                None => Err(format!("Không có bộ quy tắc «{name}».")),
            }
        };
        rules.map(|r| crate::report::rules_view::build(r.rule_set()))
    })
    .await
    .unwrap_or_else(|e| Err(e.to_string()));
    match loaded {
        Ok(shown) => {
            Html(pages::rules(&shown, &state.choices.shipped, &chosen, server).into_string())
                .into_response()
        }
        Err(msg) => (
            StatusCode::NOT_FOUND,
            Html(pages::message("Không đọc được bộ quy tắc", &msg).into_string()),
        )
            .into_response(),
    }
}
