//! tdkt checks award candidate lists against the criteria of Vietnamese
//! emulation-and-reward law (thi đua, khen thưởng).
//!
//! Data flows one way, one module per phase:
//! 1. [`syntax`] parses rule files (pest) into a spanned AST;
//! 2. [`semantic`] merges layers (`extends`), resolves names and types, and
//!    lowers rules to a [`semantic::model::Plan`];
//! 3. [`data`] reads lists (CSV or a workbook's sheet, on disk or in
//!    memory) into typed rows (NFC, header matching);
//! 4. [`eval`] evaluates rows and per-group rates in three-valued logic;
//! 5. [`report`] builds the [`Report`](report::Report) and renders it as
//!    text or JSON.
//!
//! The [`engine`] runs phases 3 to 5 over a check's lists (in link order,
//! spread over threads) behind a small API — [`Rules`], [`ListSource`],
//! [`Check`] — that the command line ([`cli`]) and integrators call alike.

pub mod cli;
pub mod data;
pub mod diagnostic;
pub mod engine;
pub mod eval;
pub mod lint;
pub mod report;
pub mod semantic;
pub mod serve;
pub mod source;
pub mod syntax;

pub use engine::{Check, Checked, EngineError, ListSource, Rules};
