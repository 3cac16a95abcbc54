//! Reports: the outcome of a check as data ([`Report`]), and its renderers
//! ([`text::render`], [`json::write_report`], [`diff`] for comparisons).

mod build;
pub mod diff;
pub mod json;
pub mod model;
pub mod text;
mod text_council;

pub use build::{Options, build, rounding_words};
pub use model::Report;
