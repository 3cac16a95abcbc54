//! The simulation's addresses: the same lists under the base regime and a
//! new standard (an uploaded draft and/or changed parameters), compared by
//! the library as `tdkt diff` compares them.

use super::routes::{Posted, gone};
use super::run;
use super::simulation_page;
use super::state::State;
use axum::extract::{Multipart, Path};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
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
    let posted = Posted {
        doing: "mô phỏng",
        work: run::simulate,
        keep: State::keep_simulation,
        address: "/mo-phong",
        refused,
    };
    posted.answer(state, form).await
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
