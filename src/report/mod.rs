//! Reports: the outcome of a check as data, then as text or JSON.

mod build;
pub mod diff;
pub mod model;
pub mod text;

pub use build::{Options, build, rounding_words};
pub use model::Report;

/// The JSON report (DESIGN.md contract), pretty-printed.
pub fn json(r: &Report) -> String {
    serde_json::to_string_pretty(r).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
