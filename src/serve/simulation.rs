//! The simulation's addresses: the same lists under the base regime and a
//! new standard (an uploaded draft and/or changed parameters), compared by
//! the library as `tdkt diff` compares them.

use super::routes::{gone, read_form};
use super::run;
use super::simulation_page;
use super::state::State;
use axum::extract::{Multipart, Path};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use std::sync::Arc;

/// The simulation's form again, with `error` above it.
fn refused(state: &State, status: StatusCode, error: &str) -> Response {
    (
        status,
        Html(simulation_page::form(&state.choices, Some(error)).into_string()),
    )
        .into_response()
}

pub(super) async fn form(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
) -> Html<String> {
    Html(simulation_page::form(&state.choices, None).into_string())
}

pub(super) async fn run(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    form: Multipart,
) -> Response {
    let asked = match read_form(&state, form).await {
        Ok(a) => a,
        Err((status, msg)) => return refused(&state, status, &msg),
    };
    let worker = state.clone();
    let done =
        tokio::task::spawn_blocking(move || run::simulate(&worker.config, &worker.shipped, asked))
            .await;
    let done = match done {
        Ok(Ok(done)) => done,
        Ok(Err(msg)) => return refused(&state, StatusCode::UNPROCESSABLE_ENTITY, &msg),
        Err(e) => {
            return refused(
                &state,
                StatusCode::INTERNAL_SERVER_ERROR,
                &format!("Lỗi trong khi mô phỏng (máy chủ vẫn chạy): {e}"),
            );
        }
    };
    // As a check: the result has its own address, a reload does not post
    // the lists again.
    match state.keep_simulation(done) {
        Ok(id) => Redirect::to(&format!("/mo-phong/{id}")).into_response(),
        Err(msg) => refused(&state, StatusCode::INTERNAL_SERVER_ERROR, &msg),
    }
}

pub(super) async fn result(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    Path(id): Path<String>,
) -> Response {
    match state.simulation(&id) {
        Some(s) => Html(simulation_page::result(&id, &s).into_string()).into_response(),
        None => gone(),
    }
}

pub(super) async fn download(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    Path((id, file)): Path<(String, String)>,
) -> Response {
    let Some(s) = state.simulation(&id) else {
        return gone();
    };
    if file != simulation_page::CSV_FILE {
        return (
            StatusCode::NOT_FOUND,
            Html(
                super::pages::message(
                    "Không có tệp này",
                    &format!("Tệp tải về của mô phỏng: {}.", simulation_page::CSV_FILE),
                )
                .into_string(),
            ),
        )
            .into_response();
    }
    // The command line's CSV: cells neutralised against formulas.
    let csv = crate::report::diff::csv(std::slice::from_ref(&s.diff));
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment"),
        ],
        csv,
    )
        .into_response()
}
