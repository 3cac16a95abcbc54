//! Declarations: the header, enums, tables, parameters, awards, rates,
//! targets and examples, each on its canonical lines.

use super::expr::cmp;
use super::layout::Role;
use super::{Printer, chars, end, pad, start};
use crate::source::Span;
use crate::syntax::ast::*;

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

fn verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "pass",
        Verdict::Fail => "fail",
        Verdict::Unknown => "unknown",
        Verdict::Pending => "pending",
    }
}

impl Printer<'_> {
    pub(super) fn file(&mut self, f: &File) {
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
}
