//! Expressions: operators by precedence (Pratt), operands and literals.

use super::{Builder, Kids, Rule, first, next};
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::*;
use crate::syntax::nesting;
use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};
use rust_decimal::Decimal;
use std::str::FromStr;
use std::sync::LazyLock;

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

impl Builder {
    pub(super) fn expr(&mut self, p: Pair<Rule>) -> Expr {
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
            if nesting::deeper_than(&e, nesting::MAX_DEPTH) {
                let mut errors = errors.borrow_mut();
                if !errors.iter().any(|d: &Diagnostic| d.code == "E-too-deep") {
                    let (start, end) = (e.span.start as usize, e.span.end as usize);
                    errors.push(nesting::too_deep(file, start, end));
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

    pub(super) fn literal(&mut self, p: Pair<Rule>) -> Literal {
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
}

pub(super) fn cmp_op(rule: Rule) -> CmpOp {
    match rule {
        Rule::eq => CmpOp::Eq,
        Rule::ne => CmpOp::Ne,
        Rule::lt => CmpOp::Lt,
        Rule::le => CmpOp::Le,
        Rule::gt => CmpOp::Gt,
        _ => CmpOp::Ge,
    }
}
