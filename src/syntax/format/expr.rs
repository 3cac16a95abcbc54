//! Expressions, with parentheses only where they are needed or help.

use super::layout::Role;
use super::{Line, Printer, chars, end, pad, start};
use crate::syntax::ast::*;

pub(super) fn cmp(op: CmpOp) -> &'static str {
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

impl Printer<'_> {
    pub(super) fn expr(&mut self, e: &Expr) {
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
}
