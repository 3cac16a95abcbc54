//! Reports: the outcome of a check as data, then as text or JSON.

mod build;
pub mod diff;
pub mod model;
pub mod text;

pub use build::{Options, build, rounding_words};
pub use model::Report;
