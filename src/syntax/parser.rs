//! Step one: text to pest pairs. Step two: pairs to the spanned AST.

use super::ast::*;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};
use pest::Parser as _;
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use rust_decimal::Decimal;
use std::str::FromStr;
use std::sync::LazyLock;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/tdkt.pest"]
struct TdktParser;

/// Operator precedence, lowest first.
static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::implies, Assoc::Right))
        .op(Op::infix(Rule::or, Assoc::Left))
        .op(Op::infix(Rule::and, Assoc::Left))
        .op(Op::prefix(Rule::not))
        .op(Op::infix(Rule::eq, Assoc::Left)
            | Op::infix(Rule::ne, Assoc::Left)
            | Op::infix(Rule::lt, Assoc::Left)
            | Op::infix(Rule::le, Assoc::Left)
            | Op::infix(Rule::gt, Assoc::Left)
            | Op::infix(Rule::ge, Assoc::Left))
        .op(Op::infix(Rule::add, Assoc::Left) | Op::infix(Rule::sub, Assoc::Left))
        .op(Op::infix(Rule::share_of, Assoc::Left))
        .op(Op::postfix(Rule::in_set)
            | Op::postfix(Rule::in_linked)
            | Op::postfix(Rule::is_none)
            | Op::postfix(Rule::is_not_none))
});

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

    fn file(&mut self, mut pairs: Pairs<Rule>) -> File {
        let mut out = File::default();
        let Some(root) = pairs.next() else { return out };
        for p in root.kids() {
            match p.as_rule() {
                Rule::header => {
                    let mut it = p.kids();
                    let name = self.string(next(&mut it));
                    let effective = it.next().map(|d| self.literal(d));
                    let until = it.next().map(|d| self.literal(d));
                    out.header = Some(Header {
                        name,
                        effective,
                        until,
                    });
                }
                Rule::extends_decl => out.extends.push(self.string(first(p))),
                Rule::source_decl => {
                    let mut it = p.kids();
                    let id = self.ident(next(&mut it));
                    let title = self.string(next(&mut it));
                    out.sources.push(SourceDecl { id, title });
                }
                Rule::enum_decl => out.enums.push(self.enum_decl(p)),
                Rule::table_decl => out.tables.push(self.table_decl(p)),
                Rule::param_decl => {
                    let mut it = p.kids();
                    let id = self.ident(next(&mut it));
                    // `param_type` is `rounding` (a keyword) or a name: its text is the type.
                    let ty = self.ident(next(&mut it));
                    let value = self.literal(next(&mut it));
                    let cite = it.next().map(|c| self.cite(c));
                    out.params.push(ParamDecl {
                        id,
                        ty,
                        value,
                        cite,
                    });
                }
                Rule::award_decl => out.awards.push(self.award_decl(p)),
                Rule::rate_decl => out.rates.push(self.rate_decl(p)),
                Rule::target_decl => {
                    let span = self.span(&p);
                    let mut it = p.kids();
                    let table = self.ident(next(&mut it));
                    let candidates = self.ident(next(&mut it));
                    let group = self.ident(next(&mut it));
                    let cite = it.next().map(|c| self.cite(c));
                    out.targets.push(TargetDecl {
                        table,
                        candidates,
                        group,
                        cite,
                        span,
                    });
                }
                Rule::example_decl => out.examples.push(self.example_decl(p)),
                Rule::removal_decl => {
                    let span = self.span(&p);
                    let mut it = p.into_inner().filter(|q| q.as_rule() != Rule::kw_remove);
                    let rate = next(&mut it)
                        .into_inner()
                        .next()
                        .is_some_and(|k| k.as_rule() == Rule::kw_rate);
                    let id = self.ident(next(&mut it));
                    out.removals.push(Removal { rate, id, span });
                }
                _ => {}
            }
        }
        out
    }

    fn enum_decl(&mut self, p: Pair<Rule>) -> EnumDecl {
        let mut it = p.kids();
        let id = self.ident(next(&mut it));
        let mut ordered = false;
        let mut values = Vec::new();
        for v in it {
            match v.as_rule() {
                Rule::ordered => ordered = true,
                Rule::enum_value => {
                    let mut vi = v.kids();
                    let code = self.ident(next(&mut vi));
                    let label = self.string(next(&mut vi));
                    let aliases = vi.map(|a| self.string(a)).collect();
                    values.push(EnumValueDecl {
                        code,
                        label,
                        aliases,
                    });
                }
                _ => {}
            }
        }
        EnumDecl {
            id,
            ordered,
            values,
        }
    }

    fn table_decl(&mut self, p: Pair<Rule>) -> TableDecl {
        let mut it = p.kids();
        let id = self.ident(next(&mut it));
        let label = self.string(next(&mut it));
        let mut it = it.peekable();
        let mut key = None;
        let mut year = None;
        while let Some(q) =
            it.next_if(|q| matches!(q.as_rule(), Rule::table_key | Rule::table_year))
        {
            let slot = if q.as_rule() == Rule::table_key {
                &mut key
            } else {
                &mut year
            };
            *slot = Some(self.ident(first(q)));
        }
        let columns = it
            .map(|c| {
                let mut ci = c.kids();
                let id = self.ident(next(&mut ci));
                let mut ti = next(&mut ci).kids();
                let ty = self.ident(next(&mut ti));
                let optional = ti.next().is_some();
                let mut range = None;
                let mut link = None;
                let mut next_pair = next(&mut ci);
                if next_pair.as_rule() == Rule::link {
                    link = Some(self.ident(first(next_pair)));
                    next_pair = next(&mut ci);
                }
                if next_pair.as_rule() == Rule::range {
                    let mut ri = next_pair.kids();
                    let low = self.literal(next(&mut ri));
                    let high = self.literal(next(&mut ri));
                    range = Some((low, high));
                    next_pair = next(&mut ci);
                }
                let header = self.string(next_pair);
                let mut aliases = Vec::new();
                let mut default = None;
                let mut absent = None;
                let mut derived = None;
                for q in ci {
                    match q.as_rule() {
                        Rule::column_aliases => {
                            aliases = q.kids().map(|a| self.string(a)).collect();
                        }
                        Rule::default_value => default = Some(self.literal(first(q))),
                        Rule::absent_value => absent = Some(self.literal(first(q))),
                        Rule::derived => derived = Some(self.expr(first(q))),
                        _ => {}
                    }
                }
                ColumnDecl {
                    id,
                    ty,
                    optional,
                    link,
                    range,
                    header,
                    aliases,
                    default,
                    absent,
                    derived,
                }
            })
            .collect();
        TableDecl {
            id,
            label,
            key,
            year,
            columns,
        }
    }

    fn award_decl(&mut self, p: Pair<Rule>) -> AwardDecl {
        let span = self.span(&p);
        let mut it = p.kids();
        let id = self.ident(next(&mut it));
        let mut award = AwardDecl {
            id,
            label: None,
            table: None,
            selection: None,
            criteria: Vec::new(),
            removals: Vec::new(),
            span,
        };
        for q in it {
            match q.as_rule() {
                Rule::string => award.label = Some(self.string(q)),
                Rule::ident => award.table = Some(self.ident(q)),
                Rule::expr => award.selection = Some(self.expr(q)),
                Rule::criterion => award.criteria.push(self.criterion(q)),
                Rule::removal => award.removals.push(self.ident(first(q))),
                _ => {}
            }
        }
        award
    }

    fn criterion(&mut self, p: Pair<Rule>) -> Criterion {
        let span = self.span(&p);
        let mut it = p.kids().peekable();
        let replace = it
            .next()
            .and_then(|m| m.into_inner().next())
            .is_some_and(|k| k.as_rule() == Rule::kw_replace);
        let ballot = it.peek().map(|p| p.as_rule()) == Some(Rule::ballot_mark);
        if ballot {
            it.next();
        }
        let name = match it.peek().map(|p| p.as_rule()) {
            Some(Rule::criterion_name) => it.next().map(|n| self.ident(first(n))),
            _ => None,
        };
        let expr = self.expr(next(&mut it));
        let message = self.string(next(&mut it));
        let cite = it.next().map(|c| self.cite(c));
        Criterion {
            replace,
            ballot,
            name,
            expr,
            message,
            cite,
            span,
        }
    }

    fn rate_decl(&mut self, p: Pair<Rule>) -> RateDecl {
        let mut it = p.kids();
        let id = self.ident(next(&mut it));
        let label = self.string(next(&mut it));
        let mut idents: Vec<Ident> = Vec::new();
        let mut body = None;
        for q in it {
            match q.as_rule() {
                Rule::ident => idents.push(self.ident(q)),
                Rule::rate_body => body = Some(q),
                _ => {}
            }
        }
        let group = idents.pop().unwrap_or_else(|| self.missing());
        let table = idents.pop();
        let mut b = body.map(|b| b.kids()).into_iter().flatten();
        let numerator = self.count(b.next());
        let op = b.next().map_or(CmpOp::Le, |o| cmp_op(o.as_rule()));
        let share_pair = b.next();
        let share = match share_pair {
            Some(s) if s.as_rule() == Rule::ident => Share::Param(self.ident(s)),
            Some(s) => Share::Literal(self.literal(s)),
            None => Share::Param(self.missing()),
        };
        let denominator = self.count(b.next());
        let mut rounding = None;
        let mut cite = None;
        for q in b {
            match q.as_rule() {
                Rule::rounding => {
                    let r = first(q);
                    rounding = Some(if r.as_rule() == Rule::ident {
                        Rounding::Param(self.ident(r))
                    } else {
                        let span = self.span(&r);
                        Rounding::Mode(
                            RoundingMode::parse(r.as_str()).unwrap_or(RoundingMode::Down),
                            span,
                        )
                    });
                }
                Rule::cite => cite = Some(self.cite(q)),
                _ => {}
            }
        }
        RateDecl {
            id,
            label,
            table,
            group,
            numerator,
            op,
            share,
            denominator,
            rounding,
            cite,
        }
    }

    fn count(&mut self, p: Option<Pair<Rule>>) -> Expr {
        match p {
            Some(p) => self.expr(first(p)),
            None => Expr {
                kind: ExprKind::Name(self.missing()),
                span: Span::default(),
            },
        }
    }

    fn example_decl(&mut self, p: Pair<Rule>) -> ExampleDecl {
        let mut it = p.kids();
        let name = self.string(next(&mut it));
        let mut rows = Vec::new();
        let mut expects = Vec::new();
        for q in it {
            let span = self.span(&q);
            match q.as_rule() {
                Rule::example_row => {
                    let mut ri = q.kids();
                    let table = self.ident(next(&mut ri));
                    let fields = ri
                        .map(|f| {
                            let mut fi = f.kids();
                            let col = self.ident(next(&mut fi));
                            let v = self.literal(next(&mut fi));
                            (col, v)
                        })
                        .collect();
                    rows.push(ExampleRow {
                        table,
                        fields,
                        span,
                    });
                }
                Rule::expect => {
                    let e = first(q);
                    let rate = e.as_rule() == Rule::expect_rate;
                    let parts: Vec<Pair<Rule>> = e.kids().collect();
                    let verdict = parts.last().map_or(Verdict::Unknown, verdict_of);
                    if rate {
                        let rate = self.ident(parts[0].clone());
                        let group = self.string(parts[1].clone());
                        expects.push(Expect::Rate {
                            rate,
                            group,
                            verdict,
                            span,
                        });
                    } else {
                        let key = self.key(parts[0].clone());
                        let award = (parts.len() == 3).then(|| self.ident(parts[1].clone()));
                        expects.push(Expect::Candidate {
                            key,
                            award,
                            verdict,
                            span,
                        });
                    }
                }
                _ => {}
            }
        }
        ExampleDecl {
            name,
            rows,
            expects,
        }
    }

    fn key(&mut self, p: Pair<Rule>) -> Str {
        if p.as_rule() == Rule::string {
            self.string(p)
        } else {
            Str {
                value: p.as_str().to_string(),
                span: self.span(&p),
            }
        }
    }

    fn cite(&mut self, p: Pair<Rule>) -> Cite {
        let span = self.span(&p);
        let mut it = p.kids();
        let source = self.ident(next(&mut it));
        let location = self.string(next(&mut it));
        Cite {
            source,
            location,
            span,
        }
    }

    fn expr(&mut self, p: Pair<Rule>) -> Expr {
        let file = self.file;
        let sp = |p: &Pair<Rule>| {
            let s = p.as_span();
            Span::new(file, s.start(), s.end())
        };
        // The Pratt closures cannot borrow `self` mutably more than once, so
        // errors found inside are collected and merged afterwards.
        let errors = std::cell::RefCell::new(Vec::new());
        // An operator chain nested past the limit is cut where it goes past
        // it (one error), so no deeper tree is ever built.
        let bounded = |e: Expr| {
            if super::nesting::deeper_than(&e, super::nesting::MAX_DEPTH) {
                let mut errors = errors.borrow_mut();
                if !errors.iter().any(|d: &Diagnostic| d.code == "E-too-deep") {
                    let (start, end) = (e.span.start as usize, e.span.end as usize);
                    errors.push(super::nesting::too_deep(file, start, end));
                }
                Expr {
                    span: e.span,
                    kind: ExprKind::Literal(Literal {
                        kind: LiteralKind::Bool(false),
                        span: e.span,
                    }),
                }
            } else {
                e
            }
        };
        let expr = PRATT
            .map_primary(|q| {
                let mut inner = Builder {
                    file,
                    errors: Vec::new(),
                };
                let e = inner.primary(q);
                errors.borrow_mut().extend(inner.errors);
                e
            })
            .map_prefix(|op, rhs| {
                bounded(Expr {
                    span: sp(&op).to(rhs.span),
                    kind: ExprKind::Not(Box::new(rhs)),
                })
            })
            .map_postfix(|lhs, op| {
                let span = lhs.span.to(sp(&op));
                let kind = match op.as_rule() {
                    Rule::in_set => {
                        let mut inner = Builder {
                            file,
                            errors: Vec::new(),
                        };
                        let items = op
                            .kids()
                            .filter(|q| q.as_rule() == Rule::expr)
                            .map(|q| inner.expr(q))
                            .collect();
                        errors.borrow_mut().extend(inner.errors);
                        ExprKind::In(Box::new(lhs), items)
                    }
                    Rule::in_linked => {
                        let mut inner = Builder {
                            file,
                            errors: Vec::new(),
                        };
                        let ids: Vec<Ident> = op.kids().map(|q| inner.ident(q)).collect();
                        let mut ids = ids.into_iter();
                        let table = ids.next().unwrap_or_else(|| inner.missing());
                        let column = ids.next().unwrap_or_else(|| inner.missing());
                        ExprKind::InLinked {
                            operand: Box::new(lhs),
                            table,
                            column,
                        }
                    }
                    rule => ExprKind::IsNone {
                        operand: Box::new(lhs),
                        negated: rule == Rule::is_not_none,
                    },
                };
                bounded(Expr { kind, span })
            })
            .map_infix(|lhs, op, rhs| {
                let bin = match op.as_rule() {
                    Rule::implies => BinOp::Implies,
                    Rule::or => BinOp::Or,
                    Rule::and => BinOp::And,
                    Rule::add => BinOp::Add,
                    Rule::sub => BinOp::Sub,
                    Rule::share_of => BinOp::Of,
                    r => BinOp::Cmp(cmp_op(r)),
                };
                bounded(Expr {
                    span: lhs.span.to(rhs.span),
                    kind: ExprKind::Binary(bin, Box::new(lhs), Box::new(rhs)),
                })
            })
            .parse(p.into_inner());
        self.errors.extend(errors.into_inner());
        expr
    }

    fn primary(&mut self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let kind = match p.as_rule() {
            Rule::expr => return self.expr(p),
            Rule::ident => ExprKind::Name(self.ident(p)),
            Rule::meets => ExprKind::Meets(self.ident(first(p))),
            Rule::proposed => ExprKind::Proposed(self.ident(first(p))),
            Rule::unique => ExprKind::Unique(self.ident(first(p))),
            Rule::months_from => ExprKind::MonthsFrom(self.ident(first(p))),
            Rule::aggregate => {
                let mut it = p.kids();
                let kind = match next(&mut it).as_rule() {
                    Rule::agg_streak => AggKind::Streak,
                    Rule::agg_last => AggKind::Last,
                    Rule::agg_years => AggKind::Years,
                    _ => AggKind::Count,
                };
                let table = self.ident(next(&mut it));
                let (mut filter, mut after, mut now, mut now_label) = (None, None, None, None);
                for q in it {
                    if q.as_rule() == Rule::agg_after {
                        after = Some(Box::new(self.expr(first(q))));
                    } else if q.as_rule() == Rule::agg_now {
                        let mut parts = q.kids();
                        now = Some(Box::new(self.expr(next(&mut parts))));
                        now_label = parts.next().map(|l| self.string(l));
                    } else {
                        filter = Some(Box::new(self.expr(q)));
                    }
                }
                ExprKind::Aggregate {
                    kind,
                    table,
                    filter,
                    after,
                    now,
                    now_label,
                }
            }
            Rule::any_of => ExprKind::AnyOf(
                p.kids()
                    .map(|b| {
                        let mut bi = b.kids();
                        let expr = self.expr(next(&mut bi));
                        let label = self.string(next(&mut bi));
                        Branch { expr, label }
                    })
                    .collect(),
            ),
            _ => ExprKind::Literal(self.literal(p)),
        };
        Expr { kind, span }
    }

    fn literal(&mut self, p: Pair<Rule>) -> Literal {
        let span = self.span(&p);
        let text = p.as_str();
        let kind = match p.as_rule() {
            Rule::int_lit => match text.parse::<i64>() {
                Ok(v) => LiteralKind::Int(v),
                Err(_) => {
                    self.errors.push(Diagnostic::error(
                        "E-number",
                        span,
                        format!("số `{text}` quá lớn"),
                    ));
                    LiteralKind::Int(0)
                }
            },
            Rule::decimal_lit => LiteralKind::Decimal(self.decimal(text, span)),
            Rule::percent_lit => {
                LiteralKind::Percent(self.decimal(text.trim_end_matches('%'), span))
            }
            Rule::date_lit => LiteralKind::Date(text.to_string()),
            Rule::string => LiteralKind::Text(self.string(p).value),
            Rule::bool_lit => LiteralKind::Bool(
                p.into_inner()
                    .next()
                    .is_some_and(|k| k.as_rule() == Rule::kw_true),
            ),
            Rule::rounding_mode => {
                LiteralKind::Rounding(RoundingMode::parse(text).unwrap_or(RoundingMode::Down))
            }
            _ => LiteralKind::Name(text.to_string()),
        };
        Literal { kind, span }
    }

    fn decimal(&mut self, text: &str, span: Span) -> Decimal {
        Decimal::from_str(text).unwrap_or_else(|_| {
            self.errors.push(Diagnostic::error(
                "E-number",
                span,
                format!("số `{text}` không đọc được"),
            ));
            Decimal::ZERO
        })
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

fn cmp_op(rule: Rule) -> CmpOp {
    match rule {
        Rule::eq => CmpOp::Eq,
        Rule::ne => CmpOp::Ne,
        Rule::lt => CmpOp::Lt,
        Rule::le => CmpOp::Le,
        Rule::gt => CmpOp::Gt,
        _ => CmpOp::Ge,
    }
}

fn verdict_of(p: &Pair<Rule>) -> Verdict {
    match p.clone().into_inner().next().map(|k| k.as_rule()) {
        Some(Rule::kw_pass) => Verdict::Pass,
        Some(Rule::kw_fail) => Verdict::Fail,
        Some(Rule::kw_pending) => Verdict::Pending,
        _ => Verdict::Unknown,
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

/// Turns a pest error into a diagnostic with Vietnamese wording.
fn syntax_error(file: FileId, text: &str, e: pest::error::Error<Rule>) -> Diagnostic {
    use pest::error::{ErrorVariant, InputLocation};
    let (start, end) = match e.location {
        InputLocation::Pos(p) => (p, p),
        InputLocation::Span((s, e)) => (s, e),
    };
    let (message, help) = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut names: Vec<String> = positives.iter().map(|r| rule_name(*r)).collect();
            names.sort();
            names.dedup();
            let found = e
                .line()
                .get(e.line_col_pos()..)
                .unwrap_or("")
                .chars()
                .take(12)
                .collect::<String>();
            let found = found.split_whitespace().next().unwrap_or("").to_string();
            if let Some(d) = super::hints::cause(file, text, start, &found) {
                return d;
            }
            let msg = if found.is_empty() {
                "cú pháp không hợp lệ: gặp cuối dòng hoặc cuối tệp".to_string()
            } else {
                format!("cú pháp không hợp lệ tại `{found}`")
            };
            let expected = format!("cần: {}", names.join(", "));
            let help = match super::hints::nearest_keyword(&found, &names) {
                Some(near) => format!("{near} ({expected})"),
                None => expected,
            };
            (msg, Some(help))
        }
        ErrorVariant::CustomError { message } => (message.clone(), None),
    };
    Diagnostic::error("E-syntax", Span::new(file, start, end.max(start)), message)
        .label("ở đây")
        .with_help(help)
}

trait LineColPos {
    fn line_col_pos(&self) -> usize;
}

impl LineColPos for pest::error::Error<Rule> {
    /// Byte offset of the error column within `line()`.
    fn line_col_pos(&self) -> usize {
        let col = match self.line_col {
            pest::error::LineColLocation::Pos((_, c))
            | pest::error::LineColLocation::Span((_, c), _) => c,
        };
        self.line()
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(self.line().len(), |(i, _)| i)
    }
}

/// What a grammar rule is called in a message.
fn rule_name(rule: Rule) -> String {
    let name = match rule {
        Rule::ident => "một tên",
        Rule::string => "một chuỗi \"…\"",
        Rule::expr => "một biểu thức",
        Rule::cite => "`cite NGUỒN \"Điều …\"`",
        Rule::criterion => "`require`",
        Rule::column => "một cột",
        Rule::derived => "`= count(…)`",
        Rule::enum_value => "một giá trị `MÃ = \"nhãn\"`",
        Rule::EOI => "hết tệp",
        Rule::int_lit | Rule::decimal_lit => "một số",
        Rule::percent_lit => "một tỷ lệ phần trăm (vd. `15%`)",
        Rule::date_lit => "một ngày `yyyy-mm-dd`",
        Rule::rounding_mode => "`down`, `up`, `half-up` hoặc `exact`",
        Rule::le | Rule::ge | Rule::lt | Rule::gt => "`<=`, `>=`, `<` hoặc `>`",
        Rule::eq
        | Rule::ne
        | Rule::implies
        | Rule::or
        | Rule::and
        | Rule::add
        | Rule::sub
        | Rule::share_of => "một toán tử",
        Rule::in_set | Rule::in_linked | Rule::is_none | Rule::is_not_none => {
            "`in {…}` hoặc `is none`"
        }
        Rule::branch => "một nhánh `BIỂU_THỨC \"nhãn\"`",
        Rule::count_expr => "`count(…)`",
        Rule::rate_body => "`count(…) <= P of count(…)`",
        Rule::verdict => "`pass`, `fail`, `unknown` hoặc `pending`",
        Rule::example_row | Rule::expect => "một dòng ví dụ hoặc `expect`",
        Rule::example_field => "`cột: giá trị`",
        Rule::header => "`rules \"…\"`",
        Rule::extends_decl => "`extends`",
        Rule::source_decl => "`source`",
        Rule::enum_decl => "`enum`",
        Rule::table_decl => "`table`",
        Rule::param_decl => "`param`",
        Rule::award_decl => "`award`",
        Rule::rate_decl => "`rate`",
        Rule::target_decl => "`target`",
        Rule::example_decl => "`example`",
        Rule::default_value => "`default`",
        Rule::column_aliases => "`alias \"…\"`",
        Rule::absent_value => "`absent`",
        Rule::rounding => "`rounding`",
        Rule::ordered => "`ordered`",
        Rule::optional_mark => "`?`",
        Rule::criterion_name => "`tên:`",
        Rule::criterion_mode => "`require` hoặc `replace`",
        other => {
            let debug = format!("{other:?}");
            return match debug.strip_prefix("kw_") {
                Some(word) => format!("`{word}`"),
                None => "một từ khóa".to_string(),
            };
        }
    };
    name.to_string()
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
