//! What a syntax error is really about, read from the text around it.
//!
//! pest reports where it could go no further and what it expected there;
//! the cause is often earlier or plainer: a string not closed on its line,
//! a block whose `}` is missing (pest only notices at the next
//! declaration), an invisible character, a misspelt keyword.

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

/// Words that start a declaration at the top of a file.
const DECLARATIONS: &[&str] = &[
    "award", "rate", "table", "enum", "param", "source", "example", "extends", "rules", "remove",
];

/// The diagnostic for a cause found before or at byte `at`, if any.
pub(super) fn cause(file: FileId, text: &str, at: usize, found: &str) -> Option<Diagnostic> {
    let at = floor(text, at.min(text.len()));
    if let Some(d) = invisible(file, text, at) {
        return Some(d);
    }
    if let Some(d) = unclosed_string(file, text, at) {
        return Some(d);
    }
    if DECLARATIONS.contains(&found) && starts_line(text, at) {
        return unclosed_block(file, text, at, found);
    }
    None
}

/// A "did you mean" line for a misspelt keyword among those expected.
pub(super) fn nearest_keyword(found: &str, expected: &[String]) -> Option<String> {
    // The keywords are the backticked words of what was expected.
    let words: Vec<&str> = expected
        .iter()
        .flat_map(|e| e.split('`').skip(1).step_by(2))
        .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        .collect();
    let word: String = found
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if word.is_empty() || words.contains(&word.as_str()) {
        return None;
    }
    words
        .into_iter()
        .map(|w| (strsim::normalized_levenshtein(&word, w), w))
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, w)| format!("ý bạn là `{w}`?"))
}

fn floor(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn starts_line(text: &str, at: usize) -> bool {
    text[..at]
        .rsplit('\n')
        .next()
        .is_some_and(|l| l.trim().is_empty())
}

/// A control or invisible character where parsing stopped.
fn invisible(file: FileId, text: &str, at: usize) -> Option<Diagnostic> {
    let c = text[at..].chars().next()?;
    let what = match c {
        '\u{0}' => "ký tự NUL",
        '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => "ký tự không có bề rộng",
        '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
            "dấu đổi hướng chữ"
        }
        c if c.is_control() && c != '\n' && c != '\r' && c != '\t' => "ký tự điều khiển",
        _ => return None,
    };
    Some(
        Diagnostic::error(
            "E-syntax",
            Span::new(file, at, at + c.len_utf8()),
            format!("{what} U+{:04X} trong tệp quy tắc", c as u32),
        )
        .label("ký tự ẩn")
        .help("xóa ký tự này; nó thường đến từ việc chép dán từ văn bản khác"),
    )
}

/// A string opened on a line, up to the error's, and not closed on it; or
/// a backslash that is not one of the escapes.
fn unclosed_string(file: FileId, text: &str, at: usize) -> Option<Diagnostic> {
    let end_of_line = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let mut line_start = 0;
    for line in text[..end_of_line].split('\n') {
        let mut open: Option<usize> = None;
        let mut chars = line.char_indices();
        while let Some((i, c)) = chars.next() {
            match (open, c) {
                (None, '#') => break,
                (None, '"') => open = Some(i),
                (Some(_), '"') => open = None,
                (Some(_), '\\') => match chars.next() {
                    Some((_, '"' | '\\' | 'n')) => {}
                    Some((j, e)) => {
                        let from = line_start + j - 1;
                        return Some(
                            Diagnostic::error(
                                "E-syntax",
                                Span::new(file, from, from + 1 + e.len_utf8()),
                                format!("`\\{e}` không phải cách viết được dùng trong chuỗi"),
                            )
                            .label("không hợp lệ")
                            .help("trong chuỗi chỉ dùng `\\\"` (dấu ngoặc kép), `\\\\` (gạch chéo ngược) và `\\n` (xuống dòng)"),
                        );
                    }
                    None => {}
                },
                _ => {}
            }
        }
        if let Some(i) = open {
            let from = line_start + i;
            let to = line_start + line.trim_end_matches('\r').len();
            return Some(
                Diagnostic::error(
                    "E-syntax",
                    Span::new(file, from, to.max(from + 1)),
                    "chuỗi chưa đóng: thiếu dấu `\"` ở cuối",
                )
                .label("chuỗi bắt đầu ở đây")
                .help("một chuỗi nằm trọn trên một dòng; thêm `\"` ở cuối chuỗi"),
            );
        }
        line_start += line.len() + 1;
    }
    None
}

/// The last `{` left open before a declaration keyword at `at`.
fn unclosed_block(file: FileId, text: &str, at: usize, found: &str) -> Option<Diagnostic> {
    let mut open: Vec<usize> = Vec::new();
    let mut in_string = false;
    let mut comment = false;
    let mut escaped = false;
    for (i, c) in text[..at].char_indices() {
        if comment {
            comment = c != '\n';
            continue;
        }
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' | '\n' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '#' => comment = true,
            '"' => in_string = true,
            '{' => open.push(i),
            '}' => {
                open.pop();
            }
            _ => {}
        }
    }
    let brace = *open.last()?;
    let line = text[..brace].matches('\n').count() + 1;
    Some(
        Diagnostic::error(
            "E-syntax",
            Span::new(file, brace, brace + 1),
            format!("khối mở ở dòng {line} chưa đóng: thiếu `}}` trước `{found}`"),
        )
        .label("khối bắt đầu ở đây")
        .help(format!("thêm `}}` ở cuối khối, trước `{found}`")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(text: &str, at: &str, found: &str) -> Option<(String, String)> {
        let pos = text.find(at).unwrap();
        cause(FileId(0), text, pos, found).map(|d| {
            let span = text[d.span.start as usize..d.span.end as usize].to_string();
            (d.message, span)
        })
    }

    #[test]
    fn an_unclosed_string_is_named_at_its_start() {
        let text = "award A {\n  require r: a \"Hoàn thành\n}\n";
        let (msg, span) = said(text, "\"Hoàn", "\"Hoàn").unwrap();
        assert!(msg.starts_with("chuỗi chưa đóng"), "{msg}");
        assert_eq!(span, "\"Hoàn thành");
        // A `#` inside a string does not start a comment.
        let text = "x \"a # b\" \"c\n";
        assert_eq!(said(text, "\"c", "\"c").unwrap().1, "\"c");
    }

    #[test]
    fn an_unknown_escape_is_named() {
        let text = "x \"a\\tb\" y";
        let (msg, span) = said(text, "y", "y").unwrap();
        assert!(msg.contains("`\\t`"), "{msg}");
        assert_eq!(span, "\\t");
    }

    #[test]
    fn a_missing_brace_is_named_at_the_open_block() {
        let text = "award A \"x\" {\n  require r: a \"m { }\"\n\nrate R \"y\" per d {\n}\n";
        let (msg, span) = said(text, "rate", "rate").unwrap();
        assert_eq!(msg, "khối mở ở dòng 1 chưa đóng: thiếu `}` trước `rate`");
        assert_eq!(span, "{");
        // A declaration after closed blocks is not blamed on them.
        let text = "award A {\n}\nrate R oops\n";
        assert!(said(text, "rate", "rate").is_none());
    }

    #[test]
    fn invisible_characters_are_named() {
        let (msg, _) = said("a \u{202e}b", "\u{202e}", "").unwrap();
        assert_eq!(msg, "dấu đổi hướng chữ U+202E trong tệp quy tắc");
        let (msg, _) = said("a \u{0}b", "\u{0}", "").unwrap();
        assert_eq!(msg, "ký tự NUL U+0000 trong tệp quy tắc");
    }

    #[test]
    fn a_misspelt_keyword_gets_the_nearest() {
        let expected = ["`remove`".to_string(), "`require` hoặc `replace`".into()];
        assert_eq!(
            nearest_keyword("requires", &expected).as_deref(),
            Some("ý bạn là `require`?")
        );
        assert_eq!(nearest_keyword("require", &expected), None);
        assert_eq!(nearest_keyword("zzz", &expected), None);
    }
}
