//! From printed lines to the output text: comments put back in place and
//! blank lines kept, added or dropped by what each line is.

use super::Printer;
use super::comments::{Comment, has_blank_line};

/// Whether a blank line may, must or must not precede an output line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Blank {
    Never,
    /// Where the source had one.
    Source,
    Always,
}

/// What an output line is, for blank lines and comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// A line-level node: item, enum value, column, criterion, branch, …
    Member,
    /// The first line of a top-level multi-line item.
    Block,
    /// The message, cite or rounding line of a node started above.
    Continuation,
    /// A closing brace.
    Close,
}

impl Role {
    /// Before the first own-line comment attached to the line.
    fn first_comment(self) -> Blank {
        match self {
            Role::Member | Role::Close => Blank::Source,
            Role::Block => Blank::Always,
            Role::Continuation => Blank::Never,
        }
    }

    fn other_comments(self) -> Blank {
        match self {
            Role::Continuation => Blank::Never,
            _ => Blank::Source,
        }
    }

    /// Before the line itself, with no comment above it.
    fn bare(self) -> Blank {
        match self {
            Role::Member => Blank::Source,
            Role::Block => Blank::Always,
            Role::Continuation | Role::Close => Blank::Never,
        }
    }

    /// Before the line itself, below its comments.
    fn after_comments(self) -> Blank {
        match self {
            Role::Member | Role::Block => Blank::Source,
            Role::Continuation | Role::Close => Blank::Never,
        }
    }
}

/// The output text and what the last printed line was.
struct Out<'a> {
    src: &'a str,
    text: String,
    /// Source end of the last printed line or comment.
    prev_end: Option<usize>,
    prev_opener: bool,
    prev_closes_block: bool,
}

impl Out<'_> {
    fn comment(&mut self, c: &Comment, indent: usize, rule: Blank) {
        let text = &self.src[c.start..c.end];
        self.emit(rule, c.start, c.end, indent, text);
        self.prev_opener = false;
        self.prev_closes_block = false;
    }

    fn emit(&mut self, rule: Blank, start: usize, end: usize, indent: usize, text: &str) {
        let blank = match self.prev_end {
            None => false,
            Some(_) if self.prev_opener => false,
            Some(_) if self.prev_closes_block => true,
            Some(prev) => match rule {
                Blank::Never => false,
                Blank::Always => true,
                Blank::Source => prev < start && has_blank_line(&self.src[prev..start]),
            },
        };
        if blank {
            self.text.push('\n');
        }
        self.text.extend(std::iter::repeat_n(' ', indent));
        self.text.push_str(text);
        self.text.push('\n');
        self.prev_end = Some(end);
    }
}

impl Printer<'_> {
    /// Places the comments and joins the lines.
    pub(super) fn finish(self) -> String {
        let n = self.lines.len();
        let mut leading: Vec<Vec<Comment>> = vec![Vec::new(); n];
        let mut trailing: Vec<Vec<Comment>> = vec![Vec::new(); n];
        let mut tail = Vec::new();
        for &c in &self.comments {
            if c.own_line {
                // Before the first line that starts after it.
                let i = self.lines.partition_point(|l| l.start <= c.start);
                match leading.get_mut(i) {
                    Some(v) => v.push(c),
                    None => tail.push(c),
                }
            } else {
                // At the end of the line that holds the first code of its
                // source line: the node that starts there, which is where
                // `lint` points (and looks for `# tdkt:allow`).
                let line_start = self.src[..c.start].rfind(['\n', '\r']).map_or(0, |n| n + 1);
                let code = self.skip_trivia(line_start);
                let i = self.lines.partition_point(|l| l.start <= code);
                match trailing.get_mut(i.saturating_sub(1)) {
                    Some(v) => v.push(c),
                    None => tail.push(c),
                }
            }
        }
        let mut out = Out {
            src: self.src,
            text: String::new(),
            prev_end: None,
            prev_opener: false,
            prev_closes_block: false,
        };
        for ((line, lead), trail) in self.lines.iter().zip(&leading).zip(&trailing) {
            // One trailing comment per line: the first keeps its place, the
            // others (from a node written over several lines) go above it.
            let moved = trail.get(1..).unwrap_or(&[]);
            let mut first = true;
            for c in lead {
                let rule = if first {
                    line.role.first_comment()
                } else {
                    line.role.other_comments()
                };
                out.comment(c, line.comment_indent, rule);
                first = false;
            }
            for c in moved {
                let rule = if first {
                    line.role.first_comment()
                } else {
                    line.role.other_comments()
                };
                out.comment(c, line.indent, rule);
                first = false;
            }
            let rule = if first {
                line.role.bare()
            } else {
                line.role.after_comments()
            };
            let mut text = line.text.clone();
            let mut end = line.end;
            if let Some(c) = trail.first() {
                text.push_str("  ");
                text.push_str(&self.src[c.start..c.end]);
            }
            for c in trail {
                end = end.max(c.end);
            }
            out.emit(rule, line.start, end, line.indent, &text);
            out.prev_opener = line.opener;
            out.prev_closes_block = line.closes_block;
        }
        for c in &tail {
            out.comment(c, 0, Blank::Source);
        }
        out.text
    }
}
