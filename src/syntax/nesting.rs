//! The nesting limit of the language.
//!
//! The parser, the resolver, the evaluator and the formatter walk
//! expressions recursively, so a rule file nested thousands deep would
//! overflow the stack. No real criterion comes near [`MAX_DEPTH`]: a file
//! that goes past it gets a named error at the place it does, before
//! anything recursive sees it.

use super::ast::{Expr, ExprKind};
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

/// Deepest nesting of brackets, `not`s and operators allowed.
pub const MAX_DEPTH: u32 = 100;

pub(super) fn too_deep(file: FileId, at: usize, end: usize) -> Diagnostic {
    Diagnostic::error(
        "E-too-deep",
        Span::new(file, at, end),
        format!("biểu thức lồng nhau quá sâu (quá {MAX_DEPTH} mức)"),
    )
    .label(format!("mức thứ {}", MAX_DEPTH + 1))
    .help("tách điều kiện thành nhiều tiêu chí (`require`) hoặc bỏ bớt ngoặc và `not` thừa")
}

/// Scans the text, outside strings and comments, for brackets nested past
/// the limit and for runs of `not` that, added to the brackets around
/// them, go past it. Linear and without recursion.
pub(super) fn check(file: FileId, text: &str) -> Option<Diagnostic> {
    let bytes = text.as_bytes();
    let mut depth: u32 = 0;
    let mut nots: u32 = 0;
    // `implies` is right-associative: a chain of them nests to the right.
    let mut implies: Vec<u32> = vec![0];
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                nots = 0;
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                implies.push(0);
                if depth + nots > MAX_DEPTH {
                    return Some(too_deep(file, i, i + 1));
                }
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if implies.len() > 1 {
                    implies.pop();
                }
                nots = 0;
            }
            b' ' | b'\t' | b'\r' | b'\n' => {}
            _ if is_word(b) => {
                let start = i;
                while i < bytes.len() && is_word(bytes[i]) {
                    i += 1;
                }
                let word = &bytes[start..i];
                if word == b"not" {
                    nots += 1;
                } else {
                    nots = 0;
                }
                if word == b"implies"
                    && let Some(n) = implies.last_mut()
                {
                    *n += 1;
                }
                let chain = implies.last().copied().unwrap_or(0);
                if depth + nots + chain > MAX_DEPTH {
                    return Some(too_deep(file, start, i));
                }
                continue;
            }
            _ => nots = 0,
        }
        i += 1;
    }
    None
}

/// Whether the expression is nested deeper than `limit`. The walk stops at
/// the limit, so it never recurses deeper than that itself.
pub(super) fn deeper_than(e: &Expr, limit: u32) -> bool {
    let Some(below) = limit.checked_sub(1) else {
        return true;
    };
    match &e.kind {
        ExprKind::Name(_)
        | ExprKind::Literal(_)
        | ExprKind::Meets(_)
        | ExprKind::Proposed(_)
        | ExprKind::Unique(_)
        | ExprKind::MonthsFrom(_) => false,
        ExprKind::Not(x) => deeper_than(x, below),
        ExprKind::Binary(_, a, b) => deeper_than(a, below) || deeper_than(b, below),
        ExprKind::In(x, items) => {
            deeper_than(x, below) || items.iter().any(|i| deeper_than(i, below))
        }
        ExprKind::IsNone { operand, .. } | ExprKind::InLinked { operand, .. } => {
            deeper_than(operand, below)
        }
        ExprKind::AnyOf(branches) => branches.iter().any(|b| deeper_than(&b.expr, below)),
        ExprKind::Aggregate { filter, after, .. } => {
            filter.as_deref().is_some_and(|f| deeper_than(f, below))
                || after.as_deref().is_some_and(|a| deeper_than(a, below))
        }
    }
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deep(text: &str) -> Option<String> {
        check(FileId(0), text).map(|d| text[d.span.start as usize..d.span.end as usize].to_string())
    }

    #[test]
    fn ordinary_rules_pass() {
        let rules = include_str!("../../rules/luat-2022/lich-su.tdkt");
        assert_eq!(deep(rules), None);
        assert_eq!(
            deep(&format!("x {}y{}", "(".repeat(100), ")".repeat(100))),
            None
        );
    }

    #[test]
    fn brackets_past_the_limit_are_named_where_they_go_past_it() {
        let text = format!("x {}y", "(".repeat(101));
        let d = check(FileId(0), &text).unwrap();
        assert_eq!(d.span.start as usize, 2 + 100);
    }

    #[test]
    fn runs_of_not_count_with_the_brackets_around_them() {
        assert_eq!(deep(&format!("{{ {}a }}", "not ".repeat(99))), None);
        assert_eq!(
            deep(&format!("{{ {}a }}", "not ".repeat(100))).as_deref(),
            Some("not")
        );
        // `not` words in strings and comments are not counted.
        let quoted = format!("\"{}\" # {}\n", "not ".repeat(200), "not ".repeat(200));
        assert_eq!(deep(&quoted), None);
        // Separate `not`s at one level are not a run.
        assert_eq!(deep(&"not a and ".repeat(200)), None);
    }

    #[test]
    fn a_chain_of_implies_counts_as_nesting() {
        assert_eq!(deep(&"a implies ".repeat(101)).as_deref(), Some("implies"));
        assert_eq!(deep(&"(a implies b) and ".repeat(200)), None);
    }
}
