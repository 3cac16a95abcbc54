//! Step one: text to pest pairs. Step two: pairs to the spanned AST.
//!
//! Declarations, expressions and the wording of syntax errors each have a
//! file of their own.

mod decls;
mod errors;
mod expr;

use super::ast::*;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};
use errors::syntax_error;
use pest::Parser as _;
use pest::iterators::{Pair, Pairs};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/tdkt.pest"]
struct TdktParser;

/// Parses one rule file. `text` must already be NFC.
pub fn parse(file: FileId, text: &str) -> Result<File, Vec<Diagnostic>> {
    if let Some(d) = super::nesting::check(file, text) {
        return Err(vec![d]);
    }
    let pairs =
        TdktParser::parse(Rule::file, text).map_err(|e| vec![syntax_error(file, text, e)])?;
    let mut b = Builder {
        file,
        errors: Vec::new(),
    };
    let ast = b.file(pairs);
    if b.errors.is_empty() {
        Ok(ast)
    } else {
        Err(b.errors)
    }
}

struct Builder {
    file: FileId,
    errors: Vec<Diagnostic>,
}

impl Builder {
    fn span(&self, p: &Pair<Rule>) -> Span {
        let s = p.as_span();
        Span::new(self.file, s.start(), s.end())
    }

    fn ident(&mut self, p: Pair<Rule>) -> Ident {
        Ident {
            name: p.as_str().to_string(),
            span: self.span(&p),
        }
    }

    fn string(&mut self, p: Pair<Rule>) -> Str {
        let span = self.span(&p);
        let body = p.kids().next().map_or("", |b| b.as_str());
        let mut value = String::with_capacity(body.len());
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => value.push('\n'),
                    Some(other) => value.push(other),
                    None => {}
                }
            } else {
                value.push(c);
            }
        }
        Str { value, span }
    }

    fn missing(&self) -> Ident {
        Ident {
            name: String::new(),
            span: Span::default(),
        }
    }
}

/// The grammar guarantees the child exists; an empty pair stands in otherwise.
fn next<'a>(it: &mut impl Iterator<Item = Pair<'a, Rule>>) -> Pair<'a, Rule> {
    it.next().unwrap_or_else(empty_pair)
}

fn first(p: Pair<Rule>) -> Pair<Rule> {
    p.kids().next().unwrap_or_else(empty_pair)
}

fn empty_pair<'a>() -> Pair<'a, Rule> {
    // Parsing the empty string as a (possibly empty) string body always succeeds.
    TdktParser::parse(Rule::string_body, "")
        .ok()
        .and_then(|mut p| p.next())
        .unwrap_or_else(|| unreachable!())
}

/// Children of a pair without the keyword tokens, which only matter to the
/// grammar (and to its error messages).
type KidsIter<'i> = std::iter::Filter<Pairs<'i, Rule>, fn(&Pair<'i, Rule>) -> bool>;

trait Kids<'i> {
    fn kids(self) -> KidsIter<'i>;
}

impl<'i> Kids<'i> for Pair<'i, Rule> {
    fn kids(self) -> KidsIter<'i> {
        self.into_inner().filter(|p| !is_keyword(p.as_rule()))
    }
}

fn is_keyword(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_rules
            | Rule::kw_effective
            | Rule::kw_until
            | Rule::kw_extends
            | Rule::kw_source
            | Rule::kw_replace
            | Rule::kw_year
            | Rule::kw_ref
            | Rule::kw_streak
            | Rule::kw_unique
            | Rule::kw_months_from
            | Rule::kw_last
            | Rule::kw_years
            | Rule::kw_after
            | Rule::kw_now
            | Rule::kw_remove
            | Rule::kw_enum
            | Rule::kw_ordered
            | Rule::kw_alias
            | Rule::kw_table
            | Rule::kw_key
            | Rule::kw_default
            | Rule::kw_absent
            | Rule::kw_param
            | Rule::kw_cite
            | Rule::kw_award
            | Rule::kw_for
            | Rule::kw_where
            | Rule::kw_require
            | Rule::kw_any
            | Rule::kw_of
            | Rule::kw_meets
            | Rule::kw_proposed
            | Rule::kw_not
            | Rule::kw_and
            | Rule::kw_or
            | Rule::kw_implies
            | Rule::kw_in
            | Rule::kw_is
            | Rule::kw_none
            | Rule::kw_rate
            | Rule::kw_target
            | Rule::kw_per
            | Rule::kw_count
            | Rule::kw_rounding
            | Rule::kw_example
            | Rule::kw_expect
            | Rule::kw_pass
            | Rule::kw_fail
            | Rule::kw_unknown
            | Rule::kw_true
            | Rule::kw_false
    )
}
