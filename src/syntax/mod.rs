//! Syntax: rule-file text to a spanned AST.

pub mod ast;
pub mod format;
mod parser;

pub use parser::parse;
