//! Finding the comments of a rule file, which the AST leaves out.

/// A `#` comment: byte range of its text (from `#`, trailing blanks left
/// out) and whether only blanks precede it on its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comment {
    pub start: usize,
    pub end: usize,
    pub own_line: bool,
}

/// Every comment of `text`: a `#` outside a string literal runs to the end
/// of the line. Strings are single-line, with `\"`, `\\` and `\n` escapes.
pub fn comments(text: &str) -> Vec<Comment> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut line_start = 0;
    let mut in_string = false;
    let mut i = 0;
    // Bytewise is safe: every byte looked at is ASCII, and UTF-8
    // continuation bytes never are.
    while i < b.len() {
        match b[i] {
            b'\n' | b'\r' => {
                in_string = false;
                line_start = i + 1;
            }
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'#' if !in_string => {
                let end = text[i..].find(['\n', '\r']).map_or(b.len(), |n| i + n);
                out.push(Comment {
                    start: i,
                    end: i + text[i..end].trim_end().len(),
                    own_line: text[line_start..i].chars().all(is_blank),
                });
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Blanks within a line (the grammar also skips a stray BOM).
pub(super) fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{FEFF}')
}

/// Whether a blank line lies wholly inside `gap`.
pub(super) fn has_blank_line(gap: &str) -> bool {
    let gap = gap.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = gap.split('\n').collect();
    lines.len() > 2
        && lines[1..lines.len() - 1]
            .iter()
            .any(|l| l.chars().all(is_blank))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        comments(text)
            .into_iter()
            .map(|c| &text[c.start..c.end])
            .collect()
    }

    #[test]
    fn a_hash_inside_a_string_is_not_a_comment() {
        let text = "source a = \"số #1 \\\" # vẫn chuỗi \\\\\" # thật\n# dòng\r\nx # y  \r\n";
        assert_eq!(texts(text), ["# thật", "# dòng", "# y"]);
        let own: Vec<bool> = comments(text).iter().map(|c| c.own_line).collect();
        assert_eq!(own, [false, true, false]);
    }

    #[test]
    fn an_escaped_backslash_ends_before_the_quote() {
        // `"\\"` is a whole string: the `#` after it starts a comment.
        assert_eq!(texts("source a = \"\\\\\" # c\n"), ["# c"]);
    }

    #[test]
    fn blank_lines_are_whole_lines_of_blanks() {
        assert!(has_blank_line("x\n  \t\ny"));
        assert!(has_blank_line("x\r\n\r\ny"));
        assert!(!has_blank_line("x\n# c\ny"));
        assert!(!has_blank_line("  \n  "));
    }
}
