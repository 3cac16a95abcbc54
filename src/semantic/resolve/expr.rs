//! Expressions: conditions and the operands they compare.

use super::values::{enum_code, type_name};
use super::{Resolver, Scope, with_params};
use crate::diagnostic::Diagnostic;
use crate::semantic::model::*;
use crate::semantic::suggest::hint;
use crate::syntax::ast::{AggKind, BinOp, CmpOp, Expr, ExprKind, Ident, LiteralKind};

impl Resolver<'_> {
    pub(super) fn cond(&mut self, e: &Expr, s: &mut Scope) -> Option<Cond> {
        Some(match &e.kind {
            ExprKind::InLinked {
                operand,
                table,
                column,
            } => {
                let (Operand::Column(col), Type::Text) =
                    self.operand(operand, Some(Type::Text), s)?
                else {
                    self.err(
                        Diagnostic::error(
                            "E-type",
                            operand.span,
                            "trước `in BẢNG.CỘT` cần một cột văn bản",
                        )
                        .label("không phải cột văn bản"),
                    );
                    return None;
                };
                let (Operand::Aggregate(i), _) =
                    self.aggregate(AggKind::Count, table, [None; 3], e, s)?
                else {
                    return None;
                };
                let src = s.plan.aggregates[i].source;
                let Some(vc) = s.plan.tables[src].column(&column.name) else {
                    let names: Vec<&str> = s.plan.tables[src]
                        .columns
                        .iter()
                        .map(|c| c.id.as_str())
                        .collect();
                    let help = hint(&column.name, "cột", names.iter().copied());
                    self.err(
                        Diagnostic::error(
                            "E-unknown-name",
                            column.span,
                            format!("bảng `{}` không có cột `{}`", table.name, column.name),
                        )
                        .label("cột không có")
                        .help(help),
                    );
                    return None;
                };
                s.plan.tables[src].columns[vc].needed = true;
                let def = &mut s.plan.aggregates[i];
                def.values_of = Some(vc);
                def.text = format!(
                    "«{}», cột «{}»",
                    s.plan.tables[src].label, s.plan.tables[src].columns[vc].header
                );
                Cond::InLinked {
                    column: col,
                    aggregate: i,
                }
            }
            ExprKind::Unique(id) => Cond::Unique(self.own_column(id, s)?),
            ExprKind::Not(inner) => Cond::Not(Box::new(self.cond(inner, s)?)),
            ExprKind::Binary(op @ (BinOp::And | BinOp::Or | BinOp::Implies), l, r) => {
                let (l, r) = (self.cond(l, s), self.cond(r, s));
                let (l, r) = (Box::new(l?), Box::new(r?));
                match op {
                    BinOp::And => Cond::And(l, r),
                    BinOp::Or => Cond::Or(l, r),
                    _ => Cond::Implies(l, r),
                }
            }
            ExprKind::Binary(BinOp::Cmp(op), l, r) => self.compare(*op, l, r, s)?,
            ExprKind::Meets(a) | ExprKind::Proposed(a) => {
                let id = self.award_ref(a, s)?;
                if matches!(e.kind, ExprKind::Meets(_)) {
                    if let Some(m) = s.meets.as_deref_mut() {
                        m.push((id, a.clone()));
                    }
                    Cond::Meets(id)
                } else {
                    Cond::Proposed(id)
                }
            }
            ExprKind::AnyOf(branches) => {
                let mut out = Vec::new();
                for b in branches {
                    if let Some(c) = self.cond(&b.expr, s) {
                        out.push((c, with_params(&b.label.value, &s.plan.params)));
                    }
                }
                (out.len() == branches.len()).then_some(Cond::AnyOf(out))?
            }
            ExprKind::In(operand, items) => {
                let (operand, ty) = self.operand(operand, None, s)?;
                let mut set = Vec::new();
                for it in items {
                    match self.operand(it, Some(ty), s)? {
                        (Operand::Const(v), t) if compatible(ty, t) => set.push(v),
                        (Operand::Const(_), t) => {
                            self.type_mismatch(it, ty, t, s);
                            return None;
                        }
                        _ => {
                            self.err(
                                Diagnostic::error(
                                    "E-type",
                                    it.span,
                                    "trong `in { … }` chỉ dùng giá trị cố định",
                                )
                                .label("không phải hằng"),
                            );
                            return None;
                        }
                    }
                }
                Cond::In { operand, set }
            }
            ExprKind::IsNone { operand, negated } => match &operand.kind {
                ExprKind::Name(n) if s.plan.tables[s.table].column(&n.name).is_some() => {
                    let column = self.column_ref(n, s.table, s.plan)?;
                    s.plan.tables[s.table].columns[column].needed = true;
                    Cond::IsNone {
                        column,
                        negated: *negated,
                    }
                }
                _ => {
                    self.err(
                        Diagnostic::error("E-type", operand.span, "`is none` chỉ dùng cho một cột")
                            .label("không phải cột")
                            .help("`is none` hỏi ô của cột này có bỏ trống không"),
                    );
                    return None;
                }
            },
            ExprKind::Name(_)
            | ExprKind::Literal(_)
            | ExprKind::Aggregate { .. }
            | ExprKind::MonthsFrom(_)
            | ExprKind::Binary(BinOp::Add | BinOp::Sub | BinOp::Of, ..) => {
                let (operand, ty) = self.operand(e, Some(Type::Bool), s)?;
                if ty != Type::Bool {
                    self.err(
                        Diagnostic::error(
                            "E-type",
                            e.span,
                            format!(
                                "cần một điều kiện đúng/sai, nhưng đây là {}",
                                type_name(ty, &s.plan.enums)
                            ),
                        )
                        .label("không phải điều kiện")
                        .help("so sánh giá trị này với một ngưỡng, ví dụ `so_thang_cong_tac >= 6`"),
                    );
                    return None;
                }
                match operand {
                    Operand::Column(c) => Cond::Column(c),
                    Operand::Const(Value::Bool(b)) => Cond::Const(b),
                    other => Cond::Compare {
                        op: CmpOp::Eq,
                        lhs: other,
                        rhs: Operand::Const(Value::Bool(true)),
                    },
                }
            }
        })
    }

    /// A column of the scope's own table, named as the argument of
    /// `unique(…)` or `months_from(…)`; marked as read.
    fn own_column(&mut self, id: &Ident, s: &mut Scope) -> Option<ColIdx> {
        let table = &mut s.plan.tables[s.table];
        let Some(c) = table.column(&id.name) else {
            let names: Vec<&str> = table.columns.iter().map(|c| c.id.as_str()).collect();
            let help = hint(&id.name, "cột", names.iter().copied());
            let table_id = table.id.clone();
            self.err(
                Diagnostic::error(
                    "E-unknown-name",
                    id.span,
                    format!("không có cột `{}` (bảng `{table_id}`)", id.name),
                )
                .label("cột không có")
                .help(help),
            );
            return None;
        };
        table.columns[c].needed = true;
        Some(c)
    }

    fn award_ref(&mut self, a: &Ident, s: &Scope) -> Option<AwardId> {
        match s.awards.get(&a.name) {
            Some(&id) => Some(id),
            None => {
                let names: Vec<&str> = s.awards.keys().map(|k| k.as_str()).collect();
                self.err(
                    Diagnostic::error(
                        "E-unknown-award",
                        a.span,
                        format!("không có danh hiệu hay hình thức `{}`", a.name),
                    )
                    .label("chưa khai báo")
                    .help(hint(&a.name, "danh hiệu", names.iter().copied())),
                );
                None
            }
        }
    }

    fn compare(&mut self, op: CmpOp, l: &Expr, r: &Expr, s: &mut Scope) -> Option<Cond> {
        // Resolve the side that names a column or parameter first, so that a
        // bare enum code on the other side is read in that enum.
        let left_first = !is_bare_code(l, s) || is_bare_code(r, s);
        let (lhs, rhs) = if left_first {
            let lhs = self.operand(l, None, s)?;
            let rhs = self.operand(r, Some(lhs.1), s)?;
            (lhs, rhs)
        } else {
            let rhs = self.operand(r, None, s)?;
            let lhs = self.operand(l, Some(rhs.1), s)?;
            (lhs, rhs)
        };
        let (lt, rt) = (lhs.1, rhs.1);
        if !compatible(lt, rt) {
            self.type_mismatch(r, lt, rt, s);
            return None;
        }
        let ordering = !matches!(op, CmpOp::Eq | CmpOp::Ne);
        if ordering {
            let ok = match lt {
                Type::Enum(e) => s.plan.enums[e].ordered,
                Type::Int | Type::Decimal | Type::Percent | Type::Date => true,
                _ => false,
            };
            if !ok {
                let help = match lt {
                    Type::Enum(e) => format!(
                        "thêm `ordered` vào `enum {}` nếu luật so sánh các mức của nó",
                        s.plan.enums[e].id
                    ),
                    _ => "chỉ so sánh lớn/nhỏ được với số, ngày và enum có thứ tự".to_string(),
                };
                self.err(
                    Diagnostic::error(
                        "E-type",
                        l.span.to(r.span),
                        format!(
                            "không so sánh lớn/nhỏ được giá trị kiểu {}",
                            type_name(lt, &s.plan.enums)
                        ),
                    )
                    .label("phép so sánh không hợp lệ")
                    .help(help),
                );
                return None;
            }
        }
        Some(Cond::Compare {
            op,
            lhs: lhs.0,
            rhs: rhs.0,
        })
    }

    fn type_mismatch(&mut self, at: &Expr, expected: Type, found: Type, s: &Scope) {
        self.err(
            Diagnostic::error(
                "E-type",
                at.span,
                format!(
                    "không so sánh được {} với {}",
                    type_name(expected, &s.plan.enums),
                    type_name(found, &s.plan.enums)
                ),
            )
            .label(format!("đây là {}", type_name(found, &s.plan.enums)))
            .help("hai vế của phép so sánh phải cùng kiểu"),
        );
    }

    pub(super) fn operand(
        &mut self,
        e: &Expr,
        expected: Option<Type>,
        s: &mut Scope,
    ) -> Option<(Operand, Type)> {
        match &e.kind {
            ExprKind::Name(n) => self.name(n, expected, s),
            ExprKind::Literal(l) => {
                let ty = match (&l.kind, expected) {
                    (LiteralKind::Int(_), Some(Type::Decimal | Type::Percent)) => Type::Decimal,
                    (LiteralKind::Int(_), _) => Type::Int,
                    (LiteralKind::Decimal(_), _) => Type::Decimal,
                    (LiteralKind::Percent(_), _) => Type::Percent,
                    (LiteralKind::Bool(_), _) => Type::Bool,
                    (LiteralKind::Date(_), _) => Type::Date,
                    (LiteralKind::Text(_), Some(Type::Enum(en))) => Type::Enum(en),
                    (LiteralKind::Text(_), _) => Type::Text,
                    (LiteralKind::Rounding(_), _) => Type::Rounding,
                    (LiteralKind::Name(_), _) => Type::Text,
                };
                let v = self.literal_value(l, ty, &s.plan.enums)?;
                Some((Operand::Const(v), ty))
            }
            ExprKind::Binary(op @ (BinOp::Add | BinOp::Sub), l, r) => {
                let (lo, lt) = self.operand(l, expected, s)?;
                let (ro, rt) = self.operand(r, expected, s)?;
                for (side, t) in [(l, lt), (r, rt)] {
                    if !matches!(t, Type::Int | Type::Decimal) {
                        self.err(
                            Diagnostic::error(
                                "E-type",
                                side.span,
                                format!(
                                    "phép cộng, trừ cần số, nhưng đây là {}",
                                    type_name(t, &s.plan.enums)
                                ),
                            )
                            .label("không phải số"),
                        );
                        return None;
                    }
                }
                let ty = if lt == Type::Int && rt == Type::Int {
                    Type::Int
                } else {
                    Type::Decimal
                };
                let (a, b) = (Box::new(lo), Box::new(ro));
                Some((
                    if *op == BinOp::Add {
                        Operand::Add(a, b)
                    } else {
                        Operand::Sub(a, b)
                    },
                    ty,
                ))
            }
            ExprKind::MonthsFrom(id) => {
                let c = self.own_column(id, s)?;
                let ty = s.plan.tables[s.table].columns[c].ty;
                if ty != Type::Date {
                    self.err(
                        Diagnostic::error(
                            "E-type",
                            id.span,
                            format!(
                                "`months_from` cần một cột ngày, nhưng đây là {}",
                                type_name(ty, &s.plan.enums)
                            ),
                        )
                        .label("không phải cột ngày")
                        .help("khai báo cột kiểu `date`, ví dụ `ngay_tuyen_dung date? \"Ngày tuyển dụng\"`"),
                    );
                    return None;
                }
                Some((Operand::MonthsFrom(c), Type::Int))
            }
            ExprKind::Aggregate {
                kind,
                table,
                filter,
                after,
                now,
                now_label,
            } => {
                let i = self.aggregate(
                    *kind,
                    table,
                    [filter.as_deref(), after.as_deref(), now.as_deref()],
                    e,
                    s,
                )?;
                if let (Operand::Aggregate(a), Some(l)) = (&i.0, now_label) {
                    s.plan.aggregates[*a].now_text = l.value.clone();
                }
                Some(i)
            }
            ExprKind::Binary(BinOp::Of, l, r) => {
                let (share, st) = self.operand(l, Some(Type::Percent), s)?;
                let (base, bt) = self.operand(r, Some(Type::Decimal), s)?;
                if st != Type::Percent {
                    self.err(
                        Diagnostic::error(
                            "E-type",
                            l.span,
                            format!(
                                "trước `of` cần một tỷ lệ phần trăm, nhưng đây là {}",
                                type_name(st, &s.plan.enums)
                            ),
                        )
                        .label("không phải tỷ lệ")
                        .help("viết như `70% of so_thanh_vien`"),
                    );
                    return None;
                }
                if !matches!(bt, Type::Int | Type::Decimal) {
                    self.err(
                        Diagnostic::error(
                            "E-type",
                            r.span,
                            format!(
                                "sau `of` cần một số, nhưng đây là {}",
                                type_name(bt, &s.plan.enums)
                            ),
                        )
                        .label("không phải số"),
                    );
                    return None;
                }
                Some((
                    Operand::ShareOf(Box::new(share), Box::new(base)),
                    Type::Decimal,
                ))
            }
            _ => {
                // A condition used as a value (`meets X = true`): lower it as a condition.
                self.err(
                    Diagnostic::error(
                        "E-type",
                        e.span,
                        "ở đây cần một giá trị, không phải một điều kiện",
                    )
                    .label("điều kiện")
                    .help(
                        "dùng điều kiện trực tiếp, ví dụ `meets LDTT` thay cho `meets LDTT = true`",
                    ),
                );
                None
            }
        }
    }

    fn name(
        &mut self,
        n: &Ident,
        expected: Option<Type>,
        s: &mut Scope,
    ) -> Option<(Operand, Type)> {
        let table = &mut s.plan.tables[s.table];
        if let Some(c) = table.column(&n.name) {
            table.columns[c].needed = true;
            return Some((Operand::Column(c), table.columns[c].ty));
        }
        if let Some(p) = s.plan.params.iter().find(|p| p.id == n.name) {
            return Some((Operand::Const(p.value.clone()), p.ty));
        }
        if let Some(Type::Enum(e)) = expected {
            if let Some(code) = enum_code(&s.plan.enums[e], &n.name) {
                return Some((Operand::Const(Value::Enum(code)), Type::Enum(e)));
            }
            let en = &s.plan.enums[e];
            let codes: Vec<&str> = en.values.iter().map(|v| v.code.as_str()).collect();
            self.err(
                Diagnostic::error(
                    "E-unknown-name",
                    n.span,
                    format!("`{}` không phải mã của `{}`", n.name, en.id),
                )
                .label("mã không có")
                .help(hint(
                    &n.name,
                    &format!("mã của {}", en.id),
                    codes.iter().copied(),
                )),
            );
            return None;
        }
        let t = &s.plan.tables[s.table];
        let names: Vec<&str> = t
            .columns
            .iter()
            .map(|c| c.id.as_str())
            .chain(s.plan.params.iter().map(|p| p.id.as_str()))
            .collect();
        self.err(
            Diagnostic::error(
                "E-unknown-name",
                n.span,
                format!("không có cột hay tham số `{}` (bảng `{}`)", n.name, t.id),
            )
            .label("tên chưa khai báo")
            .help(hint(&n.name, "cột và tham số", names.iter().copied())),
        );
        None
    }
}

/// A bare name that is not a column or parameter: an enum code, read in
/// the type of the other side.
fn is_bare_code(e: &Expr, s: &Scope) -> bool {
    match &e.kind {
        ExprKind::Name(n) => {
            s.plan.tables[s.table].column(&n.name).is_none()
                && !s.plan.params.iter().any(|p| p.id == n.name)
        }
        _ => false,
    }
}

fn compatible(a: Type, b: Type) -> bool {
    a == b || (a.is_numeric() && b.is_numeric())
}
