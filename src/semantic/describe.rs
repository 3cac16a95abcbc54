//! A condition in the words a council reads: headers, enum labels and
//! award names, never ids or the rule language's keywords
//! («Danh hiệu đã được tặng = Chiến sĩ thi đua cơ sở», not
//! `danh_hieu = CSTDCS`).

use super::model::{Cond, Operand, Plan, TableId, Type, Value};
use crate::eval::format;

/// `c`, read on a row of `table`.
pub fn cond(plan: &Plan, table: TableId, c: &Cond) -> String {
    let mut s = String::new();
    Describer { plan, table }.cond(&mut s, c, false);
    s
}

struct Describer<'p> {
    plan: &'p Plan,
    table: TableId,
}

impl Describer<'_> {
    fn header(&self, col: usize) -> &str {
        self.plan.tables[self.table]
            .columns
            .get(col)
            .map_or("?", |c| c.header.as_str())
    }

    fn column_type(&self, col: usize) -> Option<Type> {
        self.plan.tables[self.table].columns.get(col).map(|c| c.ty)
    }

    /// `nested`: inside another connective, where a compound needs
    /// brackets to read unambiguously.
    fn cond(&self, s: &mut String, c: &Cond, nested: bool) {
        match c {
            Cond::Const(b) => s.push_str(if *b {
                "mọi dòng"
            } else {
                "không dòng nào"
            }),
            Cond::Column(col) => {
                s.push_str(self.header(*col));
                s.push_str(" = Có");
            }
            Cond::Not(inner) => match &**inner {
                Cond::Column(col) => {
                    s.push_str(self.header(*col));
                    s.push_str(" = Không");
                }
                Cond::Meets(a) => {
                    s.push_str("không đạt tiêu chuẩn ");
                    s.push_str(&self.plan.awards[*a].label);
                }
                Cond::Proposed(a) => {
                    s.push_str("không được đề nghị ");
                    s.push_str(&self.plan.awards[*a].label);
                }
                other => {
                    s.push_str("không phải (");
                    self.cond(s, other, false);
                    s.push(')');
                }
            },
            Cond::And(a, b) | Cond::Or(a, b) => {
                let word = if matches!(c, Cond::And(..)) {
                    " và "
                } else {
                    " hoặc "
                };
                if nested {
                    s.push('(');
                }
                self.cond(s, a, true);
                s.push_str(word);
                self.cond(s, b, true);
                if nested {
                    s.push(')');
                }
            }
            Cond::Implies(a, b) => {
                s.push_str("nếu ");
                self.cond(s, a, true);
                s.push_str(" thì ");
                self.cond(s, b, true);
            }
            Cond::Compare { op, lhs, rhs } => {
                let ty = self.operand_type(lhs).or(self.operand_type(rhs));
                self.operand(s, lhs, ty);
                s.push(' ');
                s.push_str(op.symbol());
                s.push(' ');
                self.operand(s, rhs, ty);
            }
            Cond::In { operand, set } => {
                let ty = self.operand_type(operand);
                self.operand(s, operand, ty);
                s.push_str(" là ");
                for (i, v) in set.iter().enumerate() {
                    if i > 0 {
                        s.push_str(if i + 1 == set.len() { " hoặc " } else { ", " });
                    }
                    self.value(s, v, ty);
                }
            }
            Cond::IsNone { column, negated } => {
                s.push_str(self.header(*column));
                s.push_str(if *negated { ": có" } else { ": không có" });
            }
            Cond::Meets(a) => {
                s.push_str("đạt tiêu chuẩn ");
                s.push_str(&self.plan.awards[*a].label);
            }
            Cond::Proposed(a) => {
                s.push_str("được đề nghị ");
                s.push_str(&self.plan.awards[*a].label);
            }
            Cond::Unique(col) => {
                s.push_str(self.header(*col));
                s.push_str(" không trùng dòng khác");
            }
            Cond::InLinked { column, aggregate } => {
                s.push_str(self.header(*column));
                s.push_str(" có trong ");
                s.push_str(&self.plan.aggregates[*aggregate].text);
            }
            Cond::AnyOf(branches) => {
                for (i, (_, label)) in branches.iter().enumerate() {
                    if i > 0 {
                        s.push_str(" hoặc ");
                    }
                    s.push_str(label);
                }
            }
        }
    }

    fn operand_type(&self, o: &Operand) -> Option<Type> {
        match o {
            Operand::Column(c) => self.column_type(*c),
            Operand::Add(a, _) | Operand::Sub(a, _) => self.operand_type(a),
            Operand::ShareOf(..) => Some(Type::Decimal),
            Operand::Aggregate(_) | Operand::MonthsFrom(_) => Some(Type::Int),
            Operand::Const(_) => None,
        }
    }

    fn operand(&self, s: &mut String, o: &Operand, ty: Option<Type>) {
        match o {
            Operand::Column(c) => s.push_str(self.header(*c)),
            Operand::Const(v) => self.value(s, v, ty),
            Operand::Add(a, b) | Operand::Sub(a, b) => {
                self.operand(s, a, ty);
                s.push_str(if matches!(o, Operand::Add(..)) {
                    " + "
                } else {
                    " − "
                });
                self.operand(s, b, ty);
            }
            Operand::ShareOf(p, x) => {
                self.operand(s, p, Some(Type::Percent));
                s.push_str(" × (");
                self.operand(s, x, None);
                s.push(')');
            }
            Operand::Aggregate(i) => s.push_str(&self.plan.aggregates[*i].text),
            Operand::MonthsFrom(c) => {
                s.push_str("số tháng từ ");
                s.push_str(self.header(*c));
                s.push_str(" đến hết năm xét");
            }
        }
    }

    fn value(&self, s: &mut String, v: &Value, ty: Option<Type>) {
        match (v, ty) {
            (Value::Enum(e), Some(Type::Enum(en))) => s.push_str(
                self.plan.enums[en]
                    .values
                    .get(usize::from(*e))
                    .map_or("?", |v| v.label.as_str()),
            ),
            (Value::Decimal(d), Some(Type::Percent)) => {
                format::write_decimal(s, *d);
                s.push('%');
            }
            (Value::Text(t), _) => {
                s.push('«');
                s.push_str(t);
                s.push('»');
            }
            _ => s.push_str(&format::value(v)),
        }
    }
}
