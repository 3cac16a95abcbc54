//! The canonical layout of rule files (`tdkt fmt`).
//!
//! The parser drops comments, so the printer works from the AST, with items
//! in source order, and puts comments back by scanning the text itself.
//! Every printed line remembers where in the source it starts: an own-line
//! comment goes just before the first line that starts after it, a trailing
//! comment to the end of the line holding the first code of its source line.
//! Leaf tokens are copied from the source, so escapes and number spelling
//! stay as written.

use super::ast::*;
use super::parse;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

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
fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{FEFF}')
}

/// Whether a blank line lies wholly inside `gap`.
fn has_blank_line(gap: &str) -> bool {
    let gap = gap.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = gap.split('\n').collect();
    lines.len() > 2
        && lines[1..lines.len() - 1]
            .iter()
            .any(|l| l.chars().all(is_blank))
}

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
enum Role {
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

/// A top-level declaration, for ordering by position.
#[derive(Clone, Copy)]
enum Item<'f> {
    Header(&'f Header),
    Extends(&'f Str),
    Source(&'f SourceDecl),
    Enum(&'f EnumDecl),
    Table(&'f TableDecl),
    Param(&'f ParamDecl),
    Award(&'f AwardDecl),
    Rate(&'f RateDecl),
    Target(&'f TargetDecl),
    Example(&'f ExampleDecl),
    Removal(&'f Removal),
}

impl Item<'_> {
    /// A position inside the item: items never overlap, so it orders them.
    fn anchor(&self) -> u32 {
        match self {
            Item::Header(h) => h.name.span.start,
            Item::Extends(s) => s.span.start,
            Item::Source(s) => s.id.span.start,
            Item::Enum(e) => e.id.span.start,
            Item::Table(t) => t.id.span.start,
            Item::Param(p) => p.id.span.start,
            Item::Award(a) => a.span.start,
            Item::Rate(r) => r.id.span.start,
            Item::Target(t) => t.span.start,
            Item::Example(e) => e.name.span.start,
            Item::Removal(r) => r.span.start,
        }
    }
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

fn verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "pass",
        Verdict::Fail => "fail",
        Verdict::Unknown => "unknown",
        Verdict::Pending => "pending",
    }
}

fn cmp(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "=",
        CmpOp::Ne => "!=",
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
    }
}

fn binop(op: BinOp) -> &'static str {
    match op {
        BinOp::Implies => "implies",
        BinOp::Or => "or",
        BinOp::And => "and",
        BinOp::Cmp(c) => cmp(c),
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Of => "of",
    }
}

/// Binding strength, as in the parser's Pratt table (higher binds tighter).
fn op_prec(op: BinOp) -> u8 {
    match op {
        BinOp::Implies => 1,
        BinOp::Or => 2,
        BinOp::And => 3,
        BinOp::Cmp(_) => 5,
        BinOp::Add | BinOp::Sub => 6,
        BinOp::Of => 7,
    }
}

const NOT_PREC: u8 = 4;
const POSTFIX_PREC: u8 = 8;

fn prec(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Binary(op, ..) => op_prec(*op),
        ExprKind::Not(_) => NOT_PREC,
        ExprKind::In(..) | ExprKind::InLinked { .. } | ExprKind::IsNone { .. } => POSTFIX_PREC,
        _ => u8::MAX,
    }
}

/// Whether an operand of `op` needs parentheses: when precedence or
/// associativity requires them, and for clarity around `and` under `or`
/// and around `and`/`or` under `implies`.
fn needs_parens(op: BinOp, left: bool, operand: &Expr) -> bool {
    let (p, q) = (op_prec(op), prec(operand));
    if q < p {
        return true;
    }
    if q == p {
        // `implies` groups to the right, every other operator to the left.
        return (op == BinOp::Implies) == left;
    }
    matches!(
        (op, &operand.kind),
        (BinOp::Or, ExprKind::Binary(BinOp::And, ..))
            | (BinOp::Implies, ExprKind::Binary(BinOp::And | BinOp::Or, ..))
    )
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

    // ------------------------------------------------------------ items

    fn file(&mut self, f: &File) {
        let mut items: Vec<Item> = Vec::new();
        items.extend(f.header.iter().map(Item::Header));
        items.extend(f.extends.iter().map(Item::Extends));
        items.extend(f.sources.iter().map(Item::Source));
        items.extend(f.enums.iter().map(Item::Enum));
        items.extend(f.tables.iter().map(Item::Table));
        items.extend(f.params.iter().map(Item::Param));
        items.extend(f.awards.iter().map(Item::Award));
        items.extend(f.rates.iter().map(Item::Rate));
        items.extend(f.targets.iter().map(Item::Target));
        items.extend(f.examples.iter().map(Item::Example));
        items.extend(f.removals.iter().map(Item::Removal));
        items.sort_by_key(Item::anchor);
        let mut prev = 0;
        for item in items {
            // Only blanks and comments lie between items, so this is where
            // the item's keyword starts.
            let at = self.skip_trivia(prev);
            prev = self.item(item, at);
        }
    }

    /// Prints one item starting at `at`; returns where it ends.
    fn item(&mut self, item: Item, at: usize) -> usize {
        match item {
            Item::Header(h) => {
                self.line(0, at, Role::Member);
                self.put("rules ");
                self.tok(h.name.span);
                if let Some(d) = &h.effective {
                    self.put(" effective ");
                    self.tok(d.span);
                }
                if let Some(d) = &h.until {
                    self.put(" until ");
                    self.tok(d.span);
                }
            }
            Item::Extends(s) => {
                self.line(0, at, Role::Member);
                self.put("extends ");
                self.tok(s.span);
            }
            Item::Source(s) => {
                self.line(0, at, Role::Member);
                self.put("source ");
                self.tok(s.id.span);
                self.put(" = ");
                self.tok(s.title.span);
            }
            Item::Param(p) => {
                self.line(0, at, Role::Member);
                self.put("param ");
                self.tok(p.id.span);
                self.put(": ");
                self.tok(p.ty.span);
                self.put(" = ");
                self.tok(p.value.span);
                if let Some(c) = &p.cite {
                    self.put(" ");
                    self.cite(c);
                }
            }
            Item::Target(t) => {
                self.line(0, at, Role::Member);
                self.put("target ");
                self.tok(t.table.span);
                self.put(" for ");
                self.tok(t.candidates.span);
                self.put(" per ");
                self.tok(t.group.span);
                if let Some(c) = &t.cite {
                    self.put(" ");
                    self.cite(c);
                }
            }
            Item::Removal(r) => {
                self.line(0, at, Role::Member);
                self.put(if r.rate {
                    "remove rate "
                } else {
                    "remove award "
                });
                self.tok(r.id.span);
            }
            Item::Enum(e) => return self.enum_decl(e, at),
            Item::Table(t) => return self.table(t, at),
            Item::Award(a) => return self.award(a, at),
            Item::Rate(r) => return self.rate(r, at),
            Item::Example(e) => return self.example(e, at),
        }
        self.cur().end
    }

    fn enum_decl(&mut self, e: &EnumDecl, at: usize) -> usize {
        self.line(0, at, Role::Block);
        self.put("enum ");
        self.tok(e.id.span);
        if e.ordered {
            self.put(" ordered");
        }
        let brace = self.find_code(end(e.id.span), b'{');
        self.put(" ");
        self.open(brace);
        let width = e
            .values
            .iter()
            .map(|v| chars(self.slice(v.code.span)))
            .max()
            .unwrap_or(0);
        let mut prev = brace + 1;
        for v in &e.values {
            let at = self.skip_trivia(prev);
            self.line(2, at, Role::Member);
            let mut code = self.slice(v.code.span).to_string();
            pad(&mut code, width);
            self.put(&code);
            self.put(" = ");
            self.tok(v.label.span);
            for (i, a) in v.aliases.iter().enumerate() {
                self.put(if i == 0 { " alias " } else { ", " });
                self.tok(a.span);
            }
            prev = self.cur().end;
        }
        let brace = self.find_code(prev, b'}');
        self.close(0, brace, true);
        brace + 1
    }

    fn table(&mut self, t: &TableDecl, at: usize) -> usize {
        self.line(0, at, Role::Block);
        self.put("table ");
        self.tok(t.id.span);
        self.put(" ");
        self.tok(t.label.span);
        let mut last = t.label.span;
        for (word, id) in [(" key ", &t.key), (" year ", &t.year)] {
            if let Some(id) = id {
                self.put(word);
                self.tok(id.span);
                last = id.span;
            }
        }
        let brace = self.find_code(end(last), b'{');
        self.put(" ");
        self.open(brace);
        // Cells: id, type, range, header, the rest; padded to the widest.
        let rows: Vec<([Option<String>; 5], usize)> = t
            .columns
            .iter()
            .map(|c| {
                let link = c
                    .link
                    .as_ref()
                    .map_or(String::new(), |l| format!(" ref {}", self.slice(l.span)));
                let ty = format!(
                    "{}{}{link}",
                    self.slice(c.ty.span),
                    if c.optional { "?" } else { "" }
                );
                let range = c
                    .range
                    .as_ref()
                    .map(|(lo, hi)| format!("in {}..{}", self.slice(lo.span), self.slice(hi.span)));
                // `alias …`, `default X`, `absent X` and `= EXPR` share
                // the last cell, in the grammar's order.
                let aliases = (!c.aliases.is_empty()).then(|| {
                    let list: Vec<&str> = c.aliases.iter().map(|a| self.slice(a.span)).collect();
                    format!("alias {}", list.join(", "))
                });
                let tail: Vec<String> = aliases
                    .into_iter()
                    .chain(
                        c.default
                            .as_ref()
                            .map(|d| format!("default {}", self.slice(d.span))),
                    )
                    .chain(
                        c.absent
                            .as_ref()
                            .map(|d| format!("absent {}", self.slice(d.span))),
                    )
                    .chain(
                        c.derived
                            .as_ref()
                            .map(|e| format!("= {}", self.slice(e.span))),
                    )
                    .collect();
                let default = (!tail.is_empty()).then(|| tail.join(" "));
                let last_span = c
                    .derived
                    .as_ref()
                    .map(|e| e.span)
                    .or(c.absent.as_ref().map(|d| d.span))
                    .or(c.default.as_ref().map(|d| d.span))
                    .or(c.aliases.last().map(|a| a.span))
                    .unwrap_or(c.header.span);
                let end = end(last_span);
                let cells = [
                    Some(self.slice(c.id.span).to_string()),
                    Some(ty),
                    range,
                    Some(self.slice(c.header.span).to_string()),
                    default,
                ];
                (cells, end)
            })
            .collect();
        let mut widths = [0usize; 5];
        for (cells, _) in &rows {
            for (w, cell) in widths.iter_mut().zip(cells) {
                *w = (*w).max(cell.as_deref().map_or(0, chars));
            }
        }
        let used: Vec<bool> = (0..5)
            .map(|k| rows.iter().any(|(cells, _)| cells[k].is_some()))
            .collect();
        let mut prev = brace + 1;
        for (cells, end) in rows {
            let at = self.skip_trivia(prev);
            self.line(2, at, Role::Member);
            let last = cells.iter().rposition(Option::is_some).unwrap_or(0);
            let mut text = String::new();
            for k in (0..=last).filter(|&k| used[k]) {
                text.push_str(cells[k].as_deref().unwrap_or(""));
                if k < last {
                    let len = cells[k].as_deref().map_or(0, chars);
                    text.extend(std::iter::repeat_n(' ', widths[k] - len + 1));
                }
            }
            self.put(&text);
            self.cur().end = end;
            prev = end;
        }
        let brace = self.find_code(prev, b'}');
        self.close(0, brace, true);
        brace + 1
    }

    fn award(&mut self, a: &AwardDecl, at: usize) -> usize {
        self.line(0, at, Role::Block);
        self.put("award ");
        self.tok(a.id.span);
        let mut after = end(a.id.span);
        if let Some(l) = &a.label {
            self.put(" ");
            self.tok(l.span);
            after = end(l.span);
        }
        if let Some(t) = &a.table {
            self.put(" for ");
            self.tok(t.span);
            after = end(t.span);
        }
        if let Some(w) = &a.selection {
            self.put(" where ");
            self.expr(w);
            after = end(w.span);
        }
        let brace = self.find_code(after, b'{');
        self.put(" ");
        self.open(brace);
        enum Member<'f> {
            Criterion(&'f Criterion),
            Removal(&'f Ident),
        }
        let mut members: Vec<(u32, Member)> = a
            .criteria
            .iter()
            .map(|c| (c.span.start, Member::Criterion(c)))
            .chain(
                a.removals
                    .iter()
                    .map(|r| (r.span.start, Member::Removal(r))),
            )
            .collect();
        members.sort_by_key(|(at, _)| *at);
        let mut prev = brace + 1;
        for (_, m) in members {
            let at = self.skip_trivia(prev);
            prev = match m {
                Member::Criterion(c) => self.criterion(c, at),
                Member::Removal(r) => {
                    self.line(2, at, Role::Member);
                    self.put("remove ");
                    self.tok(r.span);
                    end(r.span)
                }
            };
        }
        let brace = end(a.span) - 1;
        self.close(0, brace, true);
        end(a.span)
    }

    fn criterion(&mut self, c: &Criterion, at: usize) -> usize {
        self.line(2, at, Role::Member);
        self.put(if c.replace { "replace " } else { "require " });
        if c.ballot {
            self.put("ballot ");
        }
        if let Some(n) = &c.name {
            self.tok(n.span);
            self.put(": ");
        }
        self.expr(&c.expr);
        self.line(4, start(c.message.span), Role::Continuation);
        self.tok(c.message.span);
        if let Some(cite) = &c.cite {
            self.line(4, start(cite.span), Role::Continuation);
            self.cite(cite);
        }
        end(c.cite.as_ref().map_or(c.message.span, |c| c.span))
    }

    fn rate(&mut self, r: &RateDecl, at: usize) -> usize {
        self.line(0, at, Role::Block);
        self.put("rate ");
        self.tok(r.id.span);
        self.put(" ");
        self.tok(r.label.span);
        if let Some(t) = &r.table {
            self.put(" for ");
            self.tok(t.span);
        }
        self.put(" per ");
        self.tok(r.group.span);
        let brace = self.find_code(end(r.group.span), b'{');
        self.put(" ");
        self.open(brace);
        let body = self.skip_trivia(brace + 1);
        self.line(2, body, Role::Member);
        self.put("count(");
        self.expr(&r.numerator);
        self.put(") ");
        self.put(cmp(r.op));
        self.put(" ");
        match &r.share {
            Share::Literal(l) => self.tok(l.span),
            Share::Param(p) => self.tok(p.span),
        }
        self.put(" of count(");
        self.expr(&r.denominator);
        self.put(")");
        // Only `)`s (the count's and any around its expression) lie between
        // the denominator and the `rounding` keyword, `cite` or `}`.
        let mut prev = end(r.denominator.span);
        while self.src[self.skip_trivia(prev)..].starts_with(')') {
            prev = self.skip_trivia(prev) + 1;
        }
        self.cur().end = prev;
        if let Some(rounding) = &r.rounding {
            let span = match rounding {
                Rounding::Mode(_, span) => *span,
                Rounding::Param(p) => p.span,
            };
            let keyword = self.skip_trivia(prev);
            self.line(2, keyword, Role::Continuation);
            self.put("rounding ");
            self.tok(span);
            prev = end(span);
        }
        if let Some(c) = &r.cite {
            self.line(2, start(c.span), Role::Continuation);
            self.cite(c);
            prev = end(c.span);
        }
        let brace = self.find_code(prev, b'}');
        self.close(0, brace, true);
        brace + 1
    }

    fn example(&mut self, e: &ExampleDecl, at: usize) -> usize {
        self.line(0, at, Role::Block);
        self.put("example ");
        self.tok(e.name.span);
        let brace = self.find_code(end(e.name.span), b'{');
        self.put(" ");
        self.open(brace);
        enum Member<'f> {
            Row(&'f ExampleRow),
            Expect(&'f Expect),
        }
        let expect_span = |x: &Expect| match x {
            Expect::Candidate { span, .. } | Expect::Rate { span, .. } => *span,
        };
        let mut members: Vec<(Span, Member)> = e
            .rows
            .iter()
            .map(|r| (r.span, Member::Row(r)))
            .chain(
                e.expects
                    .iter()
                    .map(|x| (expect_span(x), Member::Expect(x))),
            )
            .collect();
        members.sort_by_key(|(span, _)| span.start);
        let mut prev = brace + 1;
        for (span, m) in members {
            let at = self.skip_trivia(prev);
            self.line(2, at, Role::Member);
            match m {
                Member::Row(r) => {
                    self.tok(r.table.span);
                    if r.fields.is_empty() {
                        self.put(" {}");
                    } else {
                        self.put(" { ");
                        for (i, (col, value)) in r.fields.iter().enumerate() {
                            if i > 0 {
                                self.put(", ");
                            }
                            self.tok(col.span);
                            self.put(": ");
                            self.tok(value.span);
                        }
                        self.put(" }");
                    }
                }
                Member::Expect(Expect::Candidate {
                    key,
                    award,
                    verdict: v,
                    ..
                }) => {
                    self.put("expect ");
                    self.tok(key.span);
                    if let Some(a) = award {
                        self.put(" ");
                        self.tok(a.span);
                    }
                    self.put(" ");
                    self.put(verdict(*v));
                }
                Member::Expect(Expect::Rate {
                    rate,
                    group,
                    verdict: v,
                    ..
                }) => {
                    self.put("expect rate ");
                    self.tok(rate.span);
                    self.put(" ");
                    self.tok(group.span);
                    self.put(" ");
                    self.put(verdict(*v));
                }
            }
            let line = self.cur();
            line.end = line.end.max(end(span));
            prev = end(span);
        }
        let brace = self.find_code(prev, b'}');
        self.close(0, brace, true);
        brace + 1
    }

    // ------------------------------------------------------------ expressions

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Name(id) => self.tok(id.span),
            ExprKind::Literal(l) => self.tok(l.span),
            ExprKind::Meets(id) => {
                self.put("meets ");
                self.tok(id.span);
            }
            ExprKind::Proposed(id) => {
                self.put("proposed ");
                self.tok(id.span);
            }
            ExprKind::Not(x) => {
                self.put("not ");
                self.operand(x, prec(x) < NOT_PREC);
            }
            ExprKind::Binary(op, l, r) => {
                self.operand(l, needs_parens(*op, true, l));
                self.put(" ");
                self.put(binop(*op));
                self.put(" ");
                self.operand(r, needs_parens(*op, false, r));
            }
            ExprKind::In(x, items) => {
                self.operand(x, prec(x) < POSTFIX_PREC);
                self.put(" in {");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.put(", ");
                    }
                    self.expr(item);
                }
                self.put("}");
                let line = self.cur();
                line.end = line.end.max(end(e.span));
            }
            ExprKind::IsNone { operand, negated } => {
                self.operand(operand, prec(operand) < POSTFIX_PREC);
                self.put(if *negated { " is not none" } else { " is none" });
                let line = self.cur();
                line.end = line.end.max(end(e.span));
            }
            ExprKind::AnyOf(branches) => self.any_of(e, branches),
            ExprKind::InLinked {
                operand,
                table,
                column,
            } => {
                self.operand(operand, prec(operand) < POSTFIX_PREC);
                self.put(" in ");
                self.tok(table.span);
                self.put(".");
                self.tok(column.span);
                let line = self.cur();
                line.end = line.end.max(end(e.span));
            }
            ExprKind::Unique(id) | ExprKind::MonthsFrom(id) => {
                self.put(if matches!(e.kind, ExprKind::Unique(_)) {
                    "unique("
                } else {
                    "months_from("
                });
                self.tok(id.span);
                self.put(")");
                let line = self.cur();
                line.end = line.end.max(end(e.span));
            }
            ExprKind::Aggregate {
                kind,
                table,
                filter,
                after,
                now,
                now_label,
            } => {
                self.put(match kind {
                    AggKind::Count => "count(",
                    AggKind::Streak => "streak(",
                    AggKind::Last => "last(",
                    AggKind::Years => "years(",
                });
                self.tok(table.span);
                if let Some(f) = filter {
                    self.put(" where ");
                    self.expr(f);
                }
                if let Some(a) = after {
                    self.put(" after ");
                    self.expr(a);
                }
                if let Some(n) = now {
                    self.put(" now ");
                    self.expr(n);
                }
                if let Some(l) = now_label {
                    self.put(" ");
                    self.tok(l.span);
                }
                self.put(")");
                let line = self.cur();
                line.end = line.end.max(end(e.span));
            }
        }
    }

    fn operand(&mut self, e: &Expr, parens: bool) {
        if parens {
            self.put("(");
        }
        self.expr(e);
        if parens {
            self.put(")");
        }
    }

    /// `any of {` ends the current line; one branch per line, labels
    /// aligned; the rest of the expression follows the closing `}`.
    fn any_of(&mut self, e: &Expr, branches: &[Branch]) {
        let open = self.find_code(start(e.span), b'{');
        let close = end(e.span) - 1;
        self.put("any of ");
        self.open(open);
        let indent = self.cur().indent;
        let mut printed: Vec<Vec<Line>> = Vec::new();
        let mut prev = open + 1;
        for b in branches {
            let at = self.skip_trivia(prev);
            // Print the branch apart first: its width aligns the labels.
            let outer = std::mem::take(&mut self.lines);
            self.line(indent + 2, at, Role::Member);
            self.expr(&b.expr);
            printed.push(std::mem::replace(&mut self.lines, outer));
            prev = end(b.label.span);
        }
        let width = printed
            .iter()
            .filter(|lines| lines.len() == 1)
            .map(|lines| chars(&lines[0].text))
            .max()
            .unwrap_or(0);
        for (mut lines, b) in printed.into_iter().zip(branches) {
            let single = lines.len() == 1;
            if let Some(last) = lines.last_mut() {
                if single {
                    pad(&mut last.text, width);
                }
                last.text.push_str("  ");
                last.text.push_str(self.slice(b.label.span));
                last.end = last.end.max(end(b.label.span));
            }
            self.lines.extend(lines);
        }
        self.close(indent, close, false);
    }

    // ------------------------------------------------------------ output

    /// Places the comments and joins the lines.
    fn finish(self) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        format(text).unwrap_or_else(|d| panic!("{d:?}"))
    }

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

    fn criterion(expr: &str) -> String {
        let text = format!("award A \"a\" for t {{\n  require {expr} \"m\"\n}}\n");
        let out = fmt(&text);
        let line = out.lines().nth(1).unwrap();
        line.trim_start_matches("  require ").to_string()
    }

    #[test]
    fn parentheses_only_where_needed_or_clearer() {
        assert_eq!(criterion("((a = 1))"), "a = 1");
        assert_eq!(criterion("a and b or c"), "(a and b) or c");
        assert_eq!(criterion("a or (b and c)"), "a or (b and c)");
        assert_eq!(criterion("(a or b) and c"), "(a or b) and c");
        assert_eq!(criterion("a or b implies c"), "(a or b) implies c");
        assert_eq!(
            criterion("a implies (b implies c)"),
            "a implies b implies c"
        );
        assert_eq!(
            criterion("(a implies b) implies c"),
            "(a implies b) implies c"
        );
        assert_eq!(criterion("a - (b - c)"), "a - (b - c)");
        assert_eq!(criterion("(a - b) - c"), "a - b - c");
        assert_eq!(criterion("not (a = b)"), "not a = b");
        assert_eq!(criterion("not (a or b)"), "not (a or b)");
        assert_eq!(criterion("(not a) = b"), "(not a) = b");
        assert_eq!(criterion("(a + b) in {X,Y,}"), "(a + b) in {X, Y}");
        assert_eq!(criterion("a + (b in {X})"), "a + b in {X}");
        assert_eq!(criterion("(a = b) is not none"), "(a = b) is not none");
        assert_eq!(criterion("x-1>=-2"), "x - 1 >= -2");
        assert_eq!(
            criterion("(meets X) and (proposed Y)"),
            "meets X and proposed Y"
        );
    }

    #[test]
    fn any_of_labels_are_aligned() {
        let out = fmt(
            "award A \"a\" for t {\n  require x: any of { a = B \"b\" long_name \"c\" } \"m\" cite s \"l\"\n}\n",
        );
        assert_eq!(
            out,
            "award A \"a\" for t {\n  require x: any of {\n    a = B      \"b\"\n    long_name  \"c\"\n  }\n    \"m\"\n    cite s \"l\"\n}\n"
        );
    }

    #[test]
    fn enum_codes_and_table_cells_are_padded_by_characters() {
        let out = fmt(
            "enum E { A = \"a\" alias \"x\",\"y\" BBB = \"b\" }\ntable t \"T\" key đơn_vị { đơn_vị text \"Đ\" n int? in 0..12 \"N\" default 0 }\n",
        );
        let expected = [
            "enum E {",
            "  A   = \"a\" alias \"x\", \"y\"",
            "  BBB = \"b\"",
            "}",
            "",
            "table t \"T\" key đơn_vị {",
            "  đơn_vị text          \"Đ\"",
            "  n      int? in 0..12 \"N\" default 0",
            "}",
            "",
        ];
        assert_eq!(out, expected.join("\n"));
    }

    #[test]
    fn comments_keep_their_places() {
        let text = "# đầu\nsource a = \"x\"   # cuối dòng\n\n\n# trước enum\nenum E { # mở\n  A = \"a\"\n  # cuối khối\n} # đóng\n# hết";
        assert_eq!(
            fmt(text),
            "# đầu\nsource a = \"x\"  # cuối dòng\n\n# trước enum\nenum E {  # mở\n  A = \"a\"\n  # cuối khối\n}  # đóng\n\n# hết\n"
        );
    }

    #[test]
    fn an_empty_block_stays_on_one_line_unless_it_holds_a_comment() {
        assert_eq!(fmt("award A { }  # c\n"), "award A {}  # c\n");
        assert_eq!(fmt("award A { # c\n}\n"), "award A {  # c\n}\n");
        assert_eq!(
            fmt("example \"e\" {\n  # c\n}\n"),
            "example \"e\" {\n  # c\n}\n"
        );
    }

    #[test]
    fn a_trailing_comment_stays_on_the_first_line_of_its_node() {
        let text =
            "award A \"a\" for t {\n  require x: a \"m\" cite s \"l\"  # tdkt:allow L-x\n}\n";
        assert_eq!(
            fmt(text),
            "award A \"a\" for t {\n  require x: a  # tdkt:allow L-x\n    \"m\"\n    cite s \"l\"\n}\n"
        );
    }

    #[test]
    fn a_line_keeps_its_first_trailing_comment_and_the_others_go_above() {
        let text = "award A \"a\" for t {\n  require a # một\n    and b # hai\n    \"m\"\n}\n";
        let out = fmt(text);
        assert_eq!(
            out,
            "award A \"a\" for t {\n  # hai\n  require a and b  # một\n    \"m\"\n}\n"
        );
        assert_eq!(fmt(&out), out);
    }
}
