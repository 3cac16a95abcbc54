//! tdkt checks award candidate lists against the criteria of Vietnamese
//! emulation-and-reward law (thi đua, khen thưởng).
//!
//! Data flows one way, one module per phase:
//! 1. [`syntax`] parses rule files (pest) into a spanned AST;
//! 2. [`semantic`] merges layers (`extends`), resolves names and types, and
//!    lowers rules to a [`semantic::model::Plan`];
//! 3. [`data`] reads CSV lists into typed rows (NFC, header matching);
//! 4. [`eval`] evaluates rows and per-group rates in three-valued logic;
//! 5. [`report`] turns the outcome into text or JSON.

pub mod cli;
pub mod data;
pub mod diagnostic;
pub mod eval;
pub mod lint;
pub mod report;
pub mod semantic;
pub mod source;
pub mod syntax;
