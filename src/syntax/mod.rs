//! Syntax: rule-file text to a spanned AST.

pub mod ast;
pub mod format;
mod hints;
mod nesting;
mod parser;

pub use nesting::MAX_DEPTH;
pub use parser::parse;
