//! The canonical layout of rule files (`tdkt fmt`).
//!
//! The parser drops comments, so the printer works from the AST, with items
//! in source order, and puts comments back by scanning the text itself.
//! Every printed line remembers where in the source it starts: an own-line
//! comment goes just before the first line that starts after it, a trailing
//! comment to the end of the line holding the first code of its source line.
//! Leaf tokens are copied from the source, so escapes and number spelling
//! stay as written.

mod comments;
mod expr;
mod items;
mod layout;
#[cfg(test)]
mod tests;

use super::ast::*;
use super::parse;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};
use comments::is_blank;
pub use comments::{Comment, comments};
use layout::Role;

/// Formats one rule file. The text is NFC-normalised first; diagnostics of
/// a file that does not parse refer to `FileId(0)` over that NFC text (what
/// `SourceMap::add` builds).
pub fn format(text: &str) -> Result<String, Vec<Diagnostic>> {
    let text = crate::data::text::nfc(text);
    let file = parse(FileId(0), &text)?;
    let mut printer = Printer {
        src: &text,
        comments: comments(&text),
        lines: Vec::new(),
    };
    printer.file(&file);
    Ok(printer.finish())
}

/// One output line and the source range it prints.
#[derive(Debug, Clone)]
struct Line {
    indent: usize,
    text: String,
    start: usize,
    end: usize,
    role: Role,
    /// Indent of own-line comments placed above (deeper for a `}`).
    comment_indent: usize,
    /// Ends with `{`: no blank line may follow.
    opener: bool,
    /// Closes a top-level block: a blank line must follow.
    closes_block: bool,
}

fn end(span: Span) -> usize {
    span.end as usize
}

fn start(span: Span) -> usize {
    span.start as usize
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn pad(s: &mut String, width: usize) {
    let n = width.saturating_sub(chars(s));
    s.extend(std::iter::repeat_n(' ', n));
}

struct Printer<'a> {
    src: &'a str,
    comments: Vec<Comment>,
    lines: Vec<Line>,
}

impl Printer<'_> {
    // ------------------------------------------------------------ source

    fn slice(&self, span: Span) -> &str {
        &self.src[start(span)..end(span)]
    }

    /// The first position at or after `i` that is neither blank nor comment.
    fn skip_trivia(&self, mut i: usize) -> usize {
        while let Some(c) = self.src[i..].chars().next() {
            if c == '#' {
                i += self.src[i..]
                    .find(['\n', '\r'])
                    .unwrap_or(self.src.len() - i);
            } else if is_blank(c) || c == '\n' || c == '\r' {
                i += c.len_utf8();
            } else {
                break;
            }
        }
        i
    }

    /// The first `ch` at or after `i` outside strings and comments; `i`
    /// must not be inside a string. Used for braces the AST has no span for.
    fn find_code(&self, mut i: usize, ch: u8) -> usize {
        let b = self.src.as_bytes();
        let mut in_string = false;
        while i < b.len() {
            match b[i] {
                b'\\' if in_string => i += 1,
                b'"' => in_string = !in_string,
                b'#' if !in_string => {
                    while i < b.len() && b[i] != b'\n' && b[i] != b'\r' {
                        i += 1;
                    }
                    continue;
                }
                c if c == ch && !in_string => return i,
                _ => {}
            }
            i += 1;
        }
        b.len()
    }

    // ------------------------------------------------------------ lines

    fn line(&mut self, indent: usize, start: usize, role: Role) {
        self.lines.push(Line {
            indent,
            text: String::new(),
            start,
            end: start,
            role,
            comment_indent: indent,
            opener: false,
            closes_block: false,
        });
    }

    /// The line being printed. Callers always open one first; the fallback
    /// only keeps a slip from panicking.
    fn cur(&mut self) -> &mut Line {
        if self.lines.is_empty() {
            self.line(0, 0, Role::Member);
        }
        let last = self.lines.len() - 1;
        &mut self.lines[last]
    }

    fn put(&mut self, s: &str) {
        self.cur().text.push_str(s);
    }

    /// Prints a token as written and extends the line's source range.
    fn tok(&mut self, span: Span) {
        let text = self.src[start(span)..end(span)].to_string();
        let line = self.cur();
        line.text.push_str(&text);
        line.end = line.end.max(end(span));
    }

    /// Ends the current line with the `{` found at `brace`.
    fn open(&mut self, brace: usize) {
        let line = self.cur();
        line.text.push('{');
        line.end = line.end.max(brace + 1);
        line.opener = true;
    }

    /// A line holding the `}` found at `brace`; an empty block with no
    /// comment inside stays `{}` on the line that opened it.
    fn close(&mut self, indent: usize, brace: usize, top: bool) {
        if let Some(line) = self.lines.last_mut() {
            let open = line.end;
            let inside = |c: &Comment| open <= c.start && c.start < brace;
            if line.opener && !self.comments.iter().any(inside) {
                line.text.push('}');
                line.end = brace + 1;
                line.opener = false;
                line.closes_block = top;
                return;
            }
        }
        self.line(indent, brace, Role::Close);
        let line = self.cur();
        line.text.push('}');
        line.end = brace + 1;
        line.comment_indent = indent + 2;
        line.closes_block = top;
    }

    fn cite(&mut self, c: &Cite) {
        self.put("cite ");
        self.tok(c.source.span);
        self.put(" ");
        self.tok(c.location.span);
    }
}
