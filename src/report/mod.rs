//! Reports: the outcome of a check as data ([`Report`]), and its renderers
//! ([`text::render`], [`json::write_report`], [`diff`] for comparisons).

mod build;
pub mod csv;
pub mod diff;
pub mod docx;
pub mod html;
mod html_notes;
pub mod json;
mod json_items;
pub mod listing;
pub mod model;
mod remedy;
pub mod rules_view;
pub mod targets;
pub mod template;
pub mod text;
mod text_council;
mod text_targets;
pub mod words;
pub mod xlsx;
mod xlsx_notes;

pub use build::{Options, build, rounding_words};
pub use model::Report;
