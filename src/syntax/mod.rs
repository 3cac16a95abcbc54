//! Syntax: rule-file text to a spanned AST.

pub mod ast;
mod parser;

pub use parser::parse;
