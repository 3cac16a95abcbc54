//! Honesty tags: how sure a rule file is of the law a criterion encodes.
//!
//! Convention (rules/README.md): the tag of a criterion (`require`,
//! `replace`) is the **last** `[V…]`, `[V2…]` or `[M…]` in the comment
//! lines directly above it; when those lines carry none (or there are none),
//! the last tag in the comment lines directly above its `award`. The same
//! rule gives the tag of a `param` and a `rate`. `[V]` seen in a public
//! source, `[V2]` seen only in a weak source, `[M]` unverified.

use crate::semantic::RuleSet;
use crate::source::Span;
use crate::syntax::ast;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Honesty {
    /// `[V]`: seen in a public source.
    Seen,
    /// `[V2]`: seen only in a secondary source of doubtful reliability.
    Weak,
    /// `[M]`: unverified.
    Unverified,
}

impl Honesty {
    /// The tag as rule files write it, without brackets.
    pub fn code(self) -> &'static str {
        match self {
            Honesty::Seen => "V",
            Honesty::Weak => "V2",
            Honesty::Unverified => "M",
        }
    }
}

/// The last honesty tag in `text` (`[V S24]`, `[V2]`, `[M: …]` …).
pub fn last_tag(text: &str) -> Option<Honesty> {
    let mut found = None;
    for (i, _) in text.match_indices('[') {
        let rest = &text[i + 1..];
        let (tag, len) = if rest.starts_with("V2") {
            (Honesty::Weak, 2)
        } else if rest.starts_with('V') {
            (Honesty::Seen, 1)
        } else if rest.starts_with('M') {
            (Honesty::Unverified, 1)
        } else {
            continue;
        };
        // `[V]`, `[V S24]`, `[M: …]`, `[V2, …]`; not `[Mã …]`.
        if rest[len..].starts_with([']', ' ', ':', ',']) {
            found = Some(tag);
        }
    }
    found
}

/// The comment lines directly above the line holding `offset` (no blank
/// line between), top to bottom, without their `#`.
pub fn comments_above(text: &str, offset: usize) -> Vec<&str> {
    let start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let mut lines: Vec<&str> = text[..start]
        .lines()
        .rev()
        .map(str::trim)
        .take_while(|l| l.starts_with('#'))
        .map(|l| l.trim_start_matches('#').trim())
        .collect();
    lines.reverse();
    lines
}

/// The last tag in the comment lines above `span`.
pub fn tag_above(rules: &RuleSet, span: Span) -> Option<Honesty> {
    let file = rules.sources.get(span.file);
    last_tag(&comments_above(&file.text, span.start as usize).join("\n"))
}

/// The tag of criterion `c`, by the convention above. The `award` line is
/// looked for in the criterion's own file: an overlay that amends a base's
/// award has its own `award X {` line and comments.
pub fn criterion_tag(rules: &RuleSet, c: &ast::Criterion) -> Option<Honesty> {
    let text = &rules.sources.get(c.span.file).text;
    let at = (c.span.start as usize).min(text.len());
    let own = last_tag(&comments_above(text, at).join("\n"));
    own.or_else(|| {
        let award = text[..at]
            .match_indices('\n')
            .map(|(i, _)| i + 1)
            .rfind(|&i| text[i..].starts_with("award "))
            .or_else(|| text.starts_with("award ").then_some(0))?;
        last_tag(&comments_above(text, award).join("\n"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_tag_wins_and_words_in_brackets_are_not_tags() {
        assert_eq!(
            last_tag("[V S24]; Luật 2022: [M]."),
            Some(Honesty::Unverified)
        );
        assert_eq!(
            last_tag("[M] theo legal.md; nội dung: [V]."),
            Some(Honesty::Seen)
        );
        assert_eq!(last_tag("[V2 S32]"), Some(Honesty::Weak));
        assert_eq!(last_tag("[M: thời hạn]"), Some(Honesty::Unverified));
        assert_eq!(last_tag("[Mã sáng kiến] [VD]"), None);
        assert_eq!(last_tag("không có nhãn"), None);
    }

    #[test]
    fn only_the_comment_lines_directly_above_count() {
        let text = "# [V] xa\n\n# a\n# b [M]\n  require x: y \"m\"\n";
        let at = text.find("require").unwrap();
        assert_eq!(comments_above(text, at), vec!["a", "b [M]"]);
        assert_eq!(comments_above(text, 0), Vec::<&str>::new());
    }
}
