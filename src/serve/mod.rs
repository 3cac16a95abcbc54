//! `tdkt serve`: the council's page. A secretary opens it in a browser,
//! uploads the lists, chooses the regime and reads the report, then
//! downloads the documents. The page adds no checking logic: it calls the
//! engine ([`crate::Check`]) and the report renderers, as `tdkt check` does;
//! its simulation of a new standard calls the comparison `tdkt diff` uses.
//! Uploads stay in memory; nothing from a request reaches the file system.

mod pages;
mod routes;
mod run;
mod simulation;
mod simulation_page;
mod state;

pub use state::{Config, KEPT_RESULTS, State};

use std::net::SocketAddr;
use std::sync::Arc;

/// The router of the page, for a server or a test.
pub fn router(state: Arc<State>) -> axum::Router {
    routes::router(state)
}

/// Serves the page on the address of `state`'s configuration until the
/// process ends; `ready` is told the address bound (port 0 picks a free
/// one).
pub async fn serve(state: Arc<State>, ready: impl FnOnce(SocketAddr)) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(state.config.listen).await?;
    let addr = listener.local_addr()?;
    ready(addr);
    axum::serve(listener, router(state)).await
}
