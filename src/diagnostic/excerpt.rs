//! The few lines of a rule file a diagnostic shows, made safe to draw.
//!
//! miette draws whatever source it is given: a 70,000-character line
//! overflows its column counter, control characters reach the terminal raw
//! and its column counts bytes. The excerpt hands it only the lines around
//! the span, each cut to a window around the span, with invisible and
//! control characters replaced one for one, and reports lines and columns
//! (in characters) of the original file.

use crate::data::text::visible;
use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// Lines up to this many characters are shown whole.
const LONG_LINE: usize = 200;
/// Characters of a long line shown on each side of the span.
const MARGIN: usize = 60;
/// Longest part of a span shown on its line.
const SPAN_WIDTH: usize = 80;
/// Lines of a multi-line span shown before it is cut at its first line.
const SPAN_LINES: usize = 8;
const ELLIPSIS: char = '…';

pub(super) struct Excerpt {
    text: String,
    /// 0-based line in the file of the excerpt's first line.
    first_line: usize,
    /// Per excerpt line: the original column (0-based, characters) of the
    /// first shown character, and whether an ellipsis was put before it.
    starts: Vec<(usize, bool)>,
    /// The span, in bytes of `text`.
    pub(super) span: (usize, usize),
}

impl Excerpt {
    /// The excerpt of `text` around the byte range `start..end`.
    pub(super) fn new(text: &str, start: usize, end: usize) -> Excerpt {
        let start = floor_boundary(text, start.min(text.len()));
        let end = floor_boundary(text, end.clamp(start, text.len()));
        let lines: Vec<(usize, &str)> = line_starts(text);
        let line_of = |at: usize| match lines.binary_search_by(|(s, _)| s.cmp(&at)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let first = line_of(start);
        let mut last = line_of(end.saturating_sub(1).max(start));
        // A long multi-line span is shown by its first line only.
        let end = if last - first >= SPAN_LINES {
            last = first;
            lines[first].0 + lines[first].1.len()
        } else {
            end
        };
        let from = first.saturating_sub(1);
        let to = (last + 1).min(lines.len().saturating_sub(1));
        let mut out = Excerpt {
            text: String::new(),
            first_line: from,
            starts: Vec::new(),
            span: (0, 0),
        };
        for (i, &(line_start, line)) in lines.iter().enumerate().take(to + 1).skip(from) {
            let chars_to = |at: usize| line[..(at - line_start).min(line.len())].chars().count();
            // Where the span starts and ends on this line, in characters.
            let mark_start = (i == first).then(|| chars_to(start));
            let mark_end = (i == last).then(|| match mark_start {
                Some(s) => s + (chars_to(end) - s).min(SPAN_WIDTH),
                None => chars_to(end).min(SPAN_WIDTH + MARGIN),
            });
            // The window: around the span on its lines, from the start elsewhere.
            // A line of ordinary length is shown whole.
            let whole = line.len() <= LONG_LINE || line.chars().count() <= LONG_LINE;
            let win_from = match mark_start {
                Some(c) if !whole => c.saturating_sub(MARGIN),
                _ => 0,
            };
            let win_to = match (mark_start, mark_end) {
                _ if whole => usize::MAX,
                (_, Some(e)) => e + MARGIN,
                (Some(s), None) => s + SPAN_WIDTH + MARGIN,
                (None, None) => SPAN_WIDTH + MARGIN,
            };
            if i > from {
                out.text.push('\n');
            }
            if win_from > 0 {
                out.text.push(ELLIPSIS);
            }
            out.starts.push((win_from, win_from > 0));
            let mut n = 0;
            let mut cut = false;
            for c in line.chars() {
                if mark_start == Some(n) {
                    out.span.0 = out.text.len();
                }
                if mark_end == Some(n) {
                    out.span.1 = out.text.len();
                }
                if n >= win_to {
                    out.text.push(ELLIPSIS);
                    cut = true;
                    break;
                }
                if n >= win_from {
                    out.text.push(visible(c));
                }
                n += 1;
            }
            if !cut {
                if mark_start == Some(n) {
                    out.span.0 = out.text.len();
                }
                if mark_end == Some(n) {
                    out.span.1 = out.text.len();
                }
            }
        }
        if out.span.1 < out.span.0 {
            out.span.1 = out.text.len();
        }
        // The file goes on: end the last line as the file does, so that a
        // blank last line is still drawn.
        if to + 1 < lines.len() {
            out.text.push('\n');
        }
        out
    }
}

/// Start offset and text (without the line break) of each line.
fn line_starts(text: &str) -> Vec<(usize, &str)> {
    let mut lines = Vec::new();
    let mut at = 0;
    for line in text.split('\n') {
        lines.push((at, line.strip_suffix('\r').unwrap_or(line)));
        at += line.len() + 1;
    }
    lines
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.as_str().read_span(span, before, after)?;
        let local = inner.line();
        let offset = inner.span().offset();
        let line_start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let (win_from, cut) = self.starts.get(local).copied().unwrap_or((0, false));
        let shown = self.text[line_start..offset].chars().count();
        let column = win_from + shown.saturating_sub(usize::from(cut));
        Ok(Box::new(MietteSpanContents::new(
            inner.data(),
            *inner.span(),
            self.first_line + local,
            column,
            inner.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str, start: usize, end: usize) -> (String, String) {
        let e = Excerpt::new(text, start, end);
        let span = e.text[e.span.0..e.span.1].to_string();
        (e.text, span)
    }

    #[test]
    fn short_lines_are_shown_whole_around_the_span() {
        let text = "một\nhai ba\nbốn";
        let at = text.find("ba").unwrap();
        let (t, s) = shown(text, at, at + 2);
        assert_eq!(t, "một\nhai ba\nbốn");
        assert_eq!(s, "ba");
    }

    #[test]
    fn a_long_line_is_cut_around_the_span() {
        let text = format!("x \"{}\" junk\n", "a".repeat(70_000));
        let at = text.find("junk").unwrap();
        let (t, s) = shown(&text, at, at + 4);
        assert_eq!(s, "junk");
        assert!(t.chars().count() < 2 * MARGIN + 10, "{}", t.len());
        assert!(t.starts_with(ELLIPSIS));
    }

    #[test]
    fn columns_count_characters_of_the_original_line() {
        let text = format!("ăâđ {}\nlỗi ở đây", "ê".repeat(200));
        let at = text.find("đây").unwrap();
        let e = Excerpt::new(&text, at, at + "đây".len());
        let contents = e
            .read_span(&(e.span.0, e.span.1 - e.span.0).into(), 0, 0)
            .unwrap();
        assert_eq!((contents.line(), contents.column()), (1, 6));
        let at = text.find("ê").unwrap() + 150 * "ê".len();
        let e = Excerpt::new(&text, at, at + 2);
        let contents = e.read_span(&(e.span.0, 2).into(), 0, 0).unwrap();
        assert_eq!((contents.line(), contents.column()), (0, 154));
    }

    #[test]
    fn controls_and_direction_marks_are_drawn_visibly() {
        let text = "a\u{0}b\u{202e}c\u{1b}[31m";
        let (t, _) = shown(text, 0, 1);
        assert_eq!(t, "a␀b�c␛[31m");
    }

    #[test]
    fn a_long_multiline_span_is_shown_by_its_first_line() {
        let text = format!("award A {{\n{}}}\n", "  x\n".repeat(50));
        let (t, s) = shown(&text, 0, text.len() - 1);
        assert_eq!(s, "award A {");
        assert!(t.lines().count() <= 3, "{t}");
    }
}
