//! What a condition can evaluate to, over every value the declared types
//! allow: enum and bool columns are enumerated, numbers are intervals from
//! declared ranges, parameters are constants. The answer over-approximates
//! (`can_true`, `can_false`), so "can never be true" is never a guess.

use crate::semantic::model::{EnumId, Plan, TableDef, Type, Value};
use crate::syntax::ast::{BinOp, CmpOp, Expr, ExprKind, LiteralKind};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Enumerate at most this many assignments of finite columns.
const MAX_ASSIGNMENTS: usize = 4096;

/// The outcomes a condition may have (unknown is left out).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Poss {
    pub can_true: bool,
    pub can_false: bool,
}

impl Poss {
    const BOTH: Poss = Poss {
        can_true: true,
        can_false: true,
    };

    fn exactly(b: bool) -> Poss {
        Poss {
            can_true: b,
            can_false: !b,
        }
    }

    fn not(self) -> Poss {
        Poss {
            can_true: self.can_false,
            can_false: self.can_true,
        }
    }

    fn and(self, o: Poss) -> Poss {
        Poss {
            can_true: self.can_true && o.can_true,
            can_false: self.can_false || o.can_false,
        }
    }

    fn or(self, o: Poss) -> Poss {
        Poss {
            can_true: self.can_true || o.can_true,
            can_false: self.can_false && o.can_false,
        }
    }
}

/// A value given to a finite column for one enumerated case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fixed {
    Enum(usize),
    Bool(bool),
}

/// Inclusive bounds; `None` is unbounded.
type Interval = (Option<Decimal>, Option<Decimal>);

/// Names of one table, resolved the way the semantic pass does: a column
/// first, then a parameter, then (beside an enum) an enum code.
pub struct Env<'p> {
    pub plan: &'p Plan,
    pub table: &'p TableDef,
}

pub type Assignment = BTreeMap<usize, Fixed>;

impl Env<'_> {
    fn column(&self, name: &str) -> Option<(usize, Type)> {
        let i = self.table.column(name)?;
        Some((i, self.table.columns[i].ty))
    }

    fn param(&self, name: &str) -> Option<&Value> {
        self.plan
            .params
            .iter()
            .find(|p| p.id == name)
            .map(|p| &p.value)
    }

    fn code(&self, e: EnumId, name: &str) -> Option<usize> {
        self.plan
            .enums
            .get(e)?
            .values
            .iter()
            .position(|v| v.code == name)
    }

    /// Enum and bool columns the expression reads, with their domain sizes.
    pub fn finite_columns(&self, e: &Expr, out: &mut BTreeMap<usize, usize>) {
        visit(e, &mut |x| {
            if let ExprKind::Name(id) = &x.kind
                && let Some((i, ty)) = self.column(&id.name)
            {
                match ty {
                    Type::Bool => {
                        out.insert(i, 2);
                    }
                    Type::Enum(en) => {
                        out.insert(i, self.plan.enums[en].values.len());
                    }
                    _ => {}
                }
            }
        });
    }

    /// Every assignment of the finite columns of `exprs` (bounded: past
    /// the bound, the widest columns stay free).
    pub fn assignments(&self, exprs: &[&Expr]) -> Vec<Assignment> {
        let mut cols = BTreeMap::new();
        for e in exprs {
            self.finite_columns(e, &mut cols);
        }
        let mut cols: Vec<(usize, usize)> = cols.into_iter().collect();
        cols.sort_by_key(|&(_, n)| n);
        let mut total = 1usize;
        cols.retain(|&(_, n)| {
            let keep = n > 0 && total.saturating_mul(n) <= MAX_ASSIGNMENTS;
            if keep {
                total *= n;
            }
            keep
        });
        let mut out = vec![Assignment::new()];
        for (col, n) in cols {
            let is_bool = self.table.columns[col].ty == Type::Bool;
            out = out
                .into_iter()
                .flat_map(|a| {
                    (0..n).map(move |v| {
                        let mut a = a.clone();
                        let fixed = if is_bool {
                            Fixed::Bool(v == 1)
                        } else {
                            Fixed::Enum(v)
                        };
                        a.insert(col, fixed);
                        a
                    })
                })
                .collect();
        }
        out
    }

    /// What `e` may evaluate to when the columns in `a` hold those values.
    pub fn poss(&self, e: &Expr, a: &Assignment) -> Poss {
        match &e.kind {
            ExprKind::Literal(l) => match l.kind {
                LiteralKind::Bool(b) => Poss::exactly(b),
                _ => Poss::BOTH,
            },
            ExprKind::Name(id) => match self.column(&id.name) {
                Some((i, Type::Bool)) => match a.get(&i) {
                    Some(Fixed::Bool(b)) => Poss::exactly(*b),
                    _ => Poss::BOTH,
                },
                Some(_) => Poss::BOTH,
                None => match self.param(&id.name) {
                    Some(Value::Bool(b)) => Poss::exactly(*b),
                    _ => Poss::BOTH,
                },
            },
            ExprKind::Not(x) => self.poss(x, a).not(),
            ExprKind::Binary(BinOp::And, l, r) => self.poss(l, a).and(self.poss(r, a)),
            ExprKind::Binary(BinOp::Or, l, r) => self.poss(l, a).or(self.poss(r, a)),
            ExprKind::Binary(BinOp::Implies, l, r) => self.poss(l, a).not().or(self.poss(r, a)),
            ExprKind::Binary(BinOp::Cmp(op), l, r) => self.compare(*op, l, r, a),
            ExprKind::In(x, set) => self.member(x, set, a),
            ExprKind::AnyOf(branches) => branches
                .iter()
                .map(|b| self.poss(&b.expr, a))
                .fold(Poss::exactly(false), Poss::or),
            ExprKind::Binary(..)
            | ExprKind::Aggregate { .. }
            | ExprKind::Unique(_)
            | ExprKind::MonthsFrom(_)
            | ExprKind::InLinked { .. }
            | ExprKind::IsNone { .. }
            | ExprKind::Meets(_)
            | ExprKind::Proposed(_) => Poss::BOTH,
        }
    }

    /// A comparison over the declared bounds of both sides.
    pub fn compare(&self, op: CmpOp, l: &Expr, r: &Expr, a: &Assignment) -> Poss {
        let hint = self.enum_of(l).or_else(|| self.enum_of(r));
        let (Some(x), Some(y)) = (self.interval(l, hint, a), self.interval(r, hint, a)) else {
            return Poss::BOTH;
        };
        let lt = |x: Interval, y: Interval| match (x.1, y.0) {
            (Some(hx), Some(ly)) => hx < ly,
            _ => false,
        };
        let le = |x: Interval, y: Interval| match (x.1, y.0) {
            (Some(hx), Some(ly)) => hx <= ly,
            _ => false,
        };
        let point_eq = x.0.is_some() && x.0 == x.1 && x.1 == y.0 && y.0 == y.1;
        let disjoint = lt(x, y) || lt(y, x);
        let (always, never) = match op {
            CmpOp::Lt => (lt(x, y), le(y, x)),
            CmpOp::Le => (le(x, y), lt(y, x)),
            CmpOp::Gt => (lt(y, x), le(x, y)),
            CmpOp::Ge => (le(y, x), lt(x, y)),
            CmpOp::Eq => (point_eq, disjoint),
            CmpOp::Ne => (disjoint, point_eq),
        };
        Poss {
            can_true: !never,
            can_false: !always,
        }
    }

    fn member(&self, x: &Expr, set: &[Expr], a: &Assignment) -> Poss {
        let Some(en) = self.enum_of(x) else {
            return Poss::BOTH;
        };
        let ExprKind::Name(id) = &x.kind else {
            return Poss::BOTH;
        };
        let codes: Vec<usize> = set
            .iter()
            .filter_map(|s| match &s.kind {
                ExprKind::Name(c) => self.code(en, &c.name),
                _ => None,
            })
            .collect();
        let col = self.column(&id.name).map(|(i, _)| i);
        match col.and_then(|c| a.get(&c)) {
            Some(Fixed::Enum(v)) => Poss::exactly(codes.contains(v)),
            _ => {
                let n = self.plan.enums[en].values.len();
                let all = (0..n).all(|v| codes.contains(&v));
                Poss {
                    can_true: !codes.is_empty(),
                    can_false: !all,
                }
            }
        }
    }

    /// The enum an operand holds, when it is an enum column or parameter.
    fn enum_of(&self, e: &Expr) -> Option<EnumId> {
        let ExprKind::Name(id) = &e.kind else {
            return None;
        };
        match self.column(&id.name) {
            Some((_, Type::Enum(en))) => Some(en),
            Some(_) => None,
            None => self
                .plan
                .params
                .iter()
                .find(|p| p.id == id.name)
                .and_then(|p| match p.ty {
                    Type::Enum(en) => Some(en),
                    _ => None,
                }),
        }
    }

    /// Bounds of a numeric or enum operand (enum values by their position).
    fn interval(&self, e: &Expr, hint: Option<EnumId>, a: &Assignment) -> Option<Interval> {
        let point = |d: Decimal| Some((Some(d), Some(d)));
        match &e.kind {
            ExprKind::Literal(l) => match l.kind {
                LiteralKind::Int(i) => point(Decimal::from(i)),
                LiteralKind::Decimal(d) | LiteralKind::Percent(d) => point(d),
                _ => None,
            },
            ExprKind::Name(id) => {
                if let Some((i, ty)) = self.column(&id.name) {
                    return match ty {
                        Type::Int | Type::Decimal | Type::Percent => Some(
                            self.table.columns[i]
                                .range
                                .map_or((None, None), |(lo, hi)| (Some(lo), Some(hi))),
                        ),
                        Type::Enum(en) => match a.get(&i) {
                            Some(Fixed::Enum(v)) => point(Decimal::from(*v)),
                            _ => {
                                let n = self.plan.enums[en].values.len().max(1);
                                Some((Some(Decimal::ZERO), Some(Decimal::from(n - 1))))
                            }
                        },
                        _ => None,
                    };
                }
                match self.param(&id.name) {
                    Some(Value::Int(i)) => point(Decimal::from(*i)),
                    Some(Value::Decimal(d)) => point(*d),
                    Some(Value::Enum(v)) => point(Decimal::from(*v)),
                    Some(_) => None,
                    None => hint
                        .and_then(|en| self.code(en, &id.name))
                        .and_then(|v| point(Decimal::from(v))),
                }
            }
            ExprKind::Binary(BinOp::Of, l, r) => {
                // A known, non-negative share scales the bounds of the base.
                let (Some(p), hi_p) = self.interval(l, None, a)? else {
                    return Some((None, None));
                };
                let x = self.interval(r, None, a)?;
                if hi_p != Some(p) || p.is_sign_negative() {
                    return Some((None, None));
                }
                let scale = |v: Option<Decimal>| v.map(|v| v * p / Decimal::ONE_HUNDRED);
                Some((scale(x.0), scale(x.1)))
            }
            ExprKind::Binary(op @ (BinOp::Add | BinOp::Sub), l, r) => {
                let x = self.interval(l, None, a)?;
                let y = self.interval(r, None, a)?;
                let add = |p: Option<Decimal>, q: Option<Decimal>| Some(p? + q?);
                let sub = |p: Option<Decimal>, q: Option<Decimal>| Some(p? - q?);
                Some(if *op == BinOp::Add {
                    (add(x.0, y.0), add(x.1, y.1))
                } else {
                    (sub(x.0, y.1), sub(x.1, y.0))
                })
            }
            _ => None,
        }
    }
}

/// Calls `f` on `e` and every expression inside it that reads the same
/// table (the `where` of an aggregate reads another table: not entered).
pub fn visit<'e>(e: &'e Expr, f: &mut dyn FnMut(&'e Expr)) {
    walk(e, f, false);
}

/// Like [`visit`], entering the `where` of aggregates too.
pub fn visit_all<'e>(e: &'e Expr, f: &mut dyn FnMut(&'e Expr)) {
    walk(e, f, true);
}

fn walk<'e>(e: &'e Expr, f: &mut dyn FnMut(&'e Expr), deep: bool) {
    f(e);
    match &e.kind {
        ExprKind::Not(x)
        | ExprKind::IsNone { operand: x, .. }
        | ExprKind::InLinked { operand: x, .. } => walk(x, f, deep),
        ExprKind::Binary(_, l, r) => {
            walk(l, f, deep);
            walk(r, f, deep);
        }
        ExprKind::In(x, set) => {
            walk(x, f, deep);
            set.iter().for_each(|s| walk(s, f, deep));
        }
        ExprKind::AnyOf(branches) => branches.iter().for_each(|b| walk(&b.expr, f, deep)),
        ExprKind::Aggregate {
            filter, after, now, ..
        } => {
            if let Some(a) = after {
                walk(a, f, deep);
            }
            if let Some(n) = now {
                walk(n, f, deep);
            }
            if let Some(x) = filter.as_deref().filter(|_| deep) {
                walk(x, f, deep);
            }
        }
        ExprKind::Name(_)
        | ExprKind::Literal(_)
        | ExprKind::Meets(_)
        | ExprKind::Proposed(_)
        | ExprKind::Unique(_)
        | ExprKind::MonthsFrom(_) => {}
    }
}

/// Two expressions written alike (spans ignored).
pub fn same(a: &Expr, b: &Expr) -> bool {
    match (&a.kind, &b.kind) {
        (
            ExprKind::InLinked {
                operand: x,
                table: t,
                column: c,
            },
            ExprKind::InLinked {
                operand: y,
                table: u,
                column: d,
            },
        ) => same(x, y) && t.name == u.name && c.name == d.name,
        (ExprKind::Unique(x), ExprKind::Unique(y))
        | (ExprKind::MonthsFrom(x), ExprKind::MonthsFrom(y))
        | (ExprKind::Name(x), ExprKind::Name(y))
        | (ExprKind::Meets(x), ExprKind::Meets(y))
        | (ExprKind::Proposed(x), ExprKind::Proposed(y)) => x.name == y.name,
        (ExprKind::Literal(x), ExprKind::Literal(y)) => x.kind == y.kind,
        (ExprKind::Not(x), ExprKind::Not(y)) => same(x, y),
        (ExprKind::Binary(o, l, r), ExprKind::Binary(p, m, s)) => {
            o == p && same(l, m) && same(r, s)
        }
        (ExprKind::In(x, xs), ExprKind::In(y, ys)) => {
            same(x, y) && xs.len() == ys.len() && xs.iter().zip(ys).all(|(p, q)| same(p, q))
        }
        (
            ExprKind::IsNone {
                operand: x,
                negated: n,
            },
            ExprKind::IsNone {
                operand: y,
                negated: m,
            },
        ) => n == m && same(x, y),
        (
            ExprKind::Aggregate {
                kind: k,
                table: t,
                filter: x,
                after: a,
                now: n,
                ..
            },
            ExprKind::Aggregate {
                kind: l,
                table: u,
                filter: y,
                after: b,
                now: m,
                ..
            },
        ) => {
            let both = |p: &Option<Box<Expr>>, q: &Option<Box<Expr>>| match (p, q) {
                (Some(p), Some(q)) => same(p, q),
                (None, None) => true,
                _ => false,
            };
            k == l && t.name == u.name && both(x, y) && both(a, b) && both(n, m)
        }
        (ExprKind::AnyOf(xs), ExprKind::AnyOf(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(p, q)| same(&p.expr, &q.expr))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::semantic::load_text;

    const BASE: &str = r#"
source s = "Văn bản"
enum DeNghi { A = "A" B = "B" }
table t "Bảng" key ma {
  ma  text         "Mã"
  x   int in 0..12 "X"
  y   int in 0..6  "Y"
  z   int          "Z"
  d   DeNghi?      "Đề nghị"
}
"#;

    fn codes(award: &str) -> Vec<&'static str> {
        let text = format!("{BASE}\n{award}");
        let rules = load_text("t.tdkt", &text, &[]).unwrap_or_else(|e| panic!("{e}"));
        let mut out: Vec<&str> = crate::lint::lint(&rules)
            .iter()
            .map(|d| d.code)
            .filter(|c| !matches!(*c, "L-unhandled-proposal" | "L-missing-honesty-tag"))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn sums_of_ranged_columns_are_intervals() {
        // 0..18 against 6: may hold or not.
        let award = r#"award A "A" for t where d = A { require x + y >= 6 "m" cite s "1" }"#;
        assert!(codes(award).is_empty());
        // 0..18 is never above 18.
        let award = r#"award A "A" for t where d = A { require x + y > 18 "m" cite s "1" }"#;
        assert_eq!(codes(award), ["L-constant-comparison"]);
        // x - y lies in -6..12: always at least -6.
        let award = r#"award A "A" for t where d = A { require x - y >= -6 "m" cite s "1" }"#;
        assert_eq!(codes(award), ["L-constant-comparison"]);
    }

    #[test]
    fn shares_scale_the_bounds() {
        // 50 % of 0..12 is 0..6, never above y's 0..6 at its top.
        let award = r#"award A "A" for t where d = A { require y <= 50% of x "m" cite s "1" }"#;
        assert!(codes(award).is_empty());
        let award = r#"award A "A" for t where d = A { require x <= 200% of 6 "m" cite s "1" }"#;
        assert_eq!(codes(award), ["L-constant-comparison"]);
    }

    #[test]
    fn a_column_without_range_is_never_constant() {
        let award = r#"award A "A" for t where d = A { require z <= 12 "m" cite s "1" }"#;
        assert!(codes(award).is_empty());
    }

    #[test]
    fn branches_are_judged_under_the_award_selection() {
        let award = r#"award A "A" for t where d = A {
            require any of { d = B "b" x >= 1 "x" } "m" cite s "1" }"#;
        assert_eq!(codes(award), ["L-never-true-branch"]);
        let award = r#"award A "A" for t where d in {A, B} {
            require any of { d = B "b" x >= 1 "x" } "m" cite s "1" }"#;
        assert!(codes(award).is_empty());
    }
}
