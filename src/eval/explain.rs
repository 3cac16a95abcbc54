//! What a clause read, in words: "Xếp loại chất lượng = «Hoàn thành nhiệm
//! vụ», cần ≥ «Hoàn thành tốt nhiệm vụ»". Only built for clauses that are
//! not true, so passing rows cost nothing here.

use super::row::{Memo, RowEval, Val};
use super::tri::Tri;
use crate::data::{Cell, Row};
use crate::semantic::model::{AggKind, Cond, Operand, Type, Value};
use crate::syntax::ast::CmpOp;
use std::fmt::Write as _;

impl RowEval<'_> {
    /// A short account of the values a condition read on this row.
    pub fn explain(&self, c: &Cond, row: &Row, memo: &mut Memo) -> String {
        let mut parts = Vec::new();
        self.explain_into(c, row, memo, &mut parts);
        parts.dedup();
        parts.join("; ")
    }

    fn explain_into(&self, c: &Cond, row: &Row, memo: &mut Memo, out: &mut Vec<String>) {
        match c {
            Cond::Const(_) => {}
            Cond::Column(col) => out.push(self.show_column(*col, row)),
            Cond::Not(x) => self.explain_into(x, row, memo, out),
            Cond::And(a, b) | Cond::Or(a, b) | Cond::Implies(a, b) => {
                self.explain_into(a, row, memo, out);
                self.explain_into(b, row, memo, out);
            }
            Cond::Compare { op, lhs, rhs } => out.push(self.show_compare(*op, lhs, rhs, row)),
            Cond::In { operand, set } => {
                let wanted: Vec<String> = set
                    .iter()
                    .map(|v| self.show_value(v, self.operand_type(operand)))
                    .collect();
                out.push(format!(
                    "{}, cần thuộc {{{}}}",
                    self.show_operand(operand, row),
                    wanted.join(", ")
                ));
            }
            Cond::InLinked { column, aggregate } => {
                let shown = self.show_column(*column, row);
                let def = &self.plan.aggregates[*aggregate];
                let text = row.texts.get(*column).map_or("", |s| s.as_str());
                let found = match self.linked_acc(*aggregate, row) {
                    None => "chưa có danh sách để đối chiếu".to_string(),
                    Some(acc) if acc.is_some_and(|a| a.values.contains(text)) => {
                        format!("đã có trong {}", def.text)
                    }
                    Some(_) => format!("không có trong {}", def.text),
                };
                out.push(format!("{shown}, {found}"));
            }
            Cond::Unique(col) => {
                let shown = self.show_column(*col, row);
                match self.others_with_value(*col, row) {
                    Some(others) if others.is_empty() => {
                        out.push(format!("{shown}, không trùng dòng nào"))
                    }
                    Some(others) => {
                        out.push(format!("{shown}, cũng có ở dòng {}", rows_text(&others)))
                    }
                    None => out.push(format!("{shown}, chưa đối chiếu được với các dòng khác")),
                }
            }
            Cond::IsNone { column, negated } => {
                let need = if *negated {
                    "cần có giá trị"
                } else {
                    "cần để trống"
                };
                out.push(format!("{}, {need}", self.show_column(*column, row)));
            }
            Cond::Meets(a) => {
                let award = &self.plan.awards[*a];
                let failing: Vec<String> = award
                    .criteria
                    .iter()
                    .filter_map(|cr| {
                        let t = self.cond(&cr.cond, row, memo);
                        (t != Tri::True).then(|| {
                            let why = self.explain(&cr.cond, row, memo);
                            let word = if t == Tri::False {
                                "không đạt"
                            } else {
                                "chưa xác định"
                            };
                            format!("{} {word} ({why})", cr.message)
                        })
                    })
                    .collect();
                if failing.is_empty() {
                    out.push(format!("đạt tiêu chuẩn «{}»", award.label));
                } else {
                    out.push(format!(
                        "tiêu chuẩn «{}»: {}",
                        award.label,
                        failing.join("; ")
                    ));
                }
            }
            Cond::Proposed(a) => {
                let award = &self.plan.awards[*a];
                self.explain_into(&award.selection, row, memo, out);
            }
            Cond::AnyOf(branches) => {
                let mut parts = Vec::new();
                for (b, label) in branches {
                    let t = self.cond(b, row, memo);
                    let word = match t {
                        Tri::True => "đúng",
                        Tri::False => "không",
                        Tri::Unknown => "chưa rõ",
                    };
                    parts.push(format!(
                        "«{label}»: {word} ({})",
                        self.explain(b, row, memo)
                    ));
                }
                out.push(format!("không nhánh nào đúng — {}", parts.join("; ")));
            }
        }
    }

    fn show_compare(&self, op: CmpOp, lhs: &Operand, rhs: &Operand, row: &Row) -> String {
        let ty = self.operand_type(lhs).or(self.operand_type(rhs));
        match (lhs, rhs) {
            (Operand::Const(v), other) => {
                format!(
                    "{}, cần {} {}",
                    self.show_operand(other, row),
                    flip(op).symbol(),
                    self.show_value(v, ty)
                )
            }
            (other, Operand::Const(v)) => {
                format!(
                    "{}, cần {} {}",
                    self.show_operand(other, row),
                    op.symbol(),
                    self.show_value(v, ty)
                )
            }
            (a, b) => format!(
                "{}, cần {} {}",
                self.show_operand(a, row),
                op.symbol(),
                self.show_operand(b, row)
            ),
        }
    }

    fn operand_type(&self, o: &Operand) -> Option<Type> {
        match o {
            Operand::Column(c) => self.plan.tables[self.table].columns.get(*c).map(|c| c.ty),
            Operand::Add(a, _) | Operand::Sub(a, _) => self.operand_type(a),
            Operand::ShareOf(..) => Some(Type::Decimal),
            Operand::Aggregate(_) => Some(Type::Int),
            Operand::Const(_) => None,
        }
    }

    fn show_operand(&self, o: &Operand, row: &Row) -> String {
        match o {
            Operand::Column(c) => self.show_column(*c, row),
            Operand::Const(v) => self.show_value(v, None),
            Operand::Add(a, b) | Operand::Sub(a, b) => {
                let sign = if matches!(o, Operand::Add(..)) {
                    "+"
                } else {
                    "−"
                };
                let total = match self.operand(o, row) {
                    Val::Int(i) => i.to_string(),
                    Val::Decimal(d) => super::format::decimal(d),
                    _ => "?".into(),
                };
                format!(
                    "({} {sign} {}) = {total}",
                    self.show_operand(a, row),
                    self.show_operand(b, row)
                )
            }
            Operand::Aggregate(i) => self.show_aggregate(*i, row),
            Operand::ShareOf(p, x) => {
                let share = match self.operand(p, row) {
                    Val::Decimal(d) => format!("{}%", super::format::decimal(d)),
                    Val::Int(i) => format!("{i}%"),
                    _ => "?".into(),
                };
                let total = match self.operand(o, row) {
                    Val::Decimal(d) => super::format::decimal(d),
                    _ => "?".into(),
                };
                format!("{share} × ({}) = {total}", self.show_operand(x, row))
            }
        }
    }

    /// "«Danh sách cá nhân» có meets LDTT = 7 (dòng 2, 3, 5, …)";
    /// "năm liên tục có … đến 2025 = 1 (2025); gián đoạn năm 2024".
    fn show_aggregate(&self, i: usize, row: &Row) -> String {
        let def = &self.plan.aggregates[i];
        let source = &self.plan.tables[def.source];
        let acc = match self.linked_acc(i, row) {
            Some(acc) => acc,
            None => {
                return format!(
                    "{}: chưa có danh sách «{}» (bảng `{}`) để đếm",
                    def.text, source.label, source.id
                );
            }
        };
        let unknown = acc.map_or(&[][..], |a| &a.unknown_rows[..]);
        let pending = if unknown.is_empty() {
            String::new()
        } else {
            format!("; dòng chưa xác định: {}", rows_text(unknown))
        };
        match def.kind {
            AggKind::Count if def.after.is_some() => {
                let n = match self.operand(&Operand::Aggregate(i), row) {
                    Val::Int(n) => n.to_string(),
                    _ => "?".into(),
                };
                let years: Vec<String> = self
                    .years_after(i, row)
                    .unwrap_or_default()
                    .iter()
                    .map(i64::to_string)
                    .collect();
                let from = def
                    .after
                    .as_ref()
                    .map_or_else(String::new, |a| self.show_operand(a, row));
                format!(
                    "{} sau năm ({from}) đến năm xét = {n} ({}){pending}",
                    def.text,
                    if years.is_empty() {
                        "không năm nào".to_string()
                    } else {
                        format!("các năm {}", years.join(", "))
                    }
                )
            }
            AggKind::Last => match self.operand(&Operand::Aggregate(i), row) {
                Val::Int(y) => format!("năm gần nhất {} = {y}{pending}", def.text),
                _ => format!("không có năm nào {}{pending}", def.text),
            },
            AggKind::Count => {
                let n = acc.map_or(0, |a| a.rows.len());
                let total = acc.map_or(0, |a| a.total);
                let rows = acc.map_or(&[][..], |a| &a.rows[..]);
                let listed = if rows.is_empty() {
                    String::new()
                } else {
                    format!(" (dòng {})", rows_text(rows))
                };
                format!(
                    "{} = {n}{listed} trên {total} dòng liên kết{pending}",
                    def.text
                )
            }
            AggKind::Streak => match self.row_year(row) {
                Some(y) => {
                    let (n, gap) = super::linked::streak(acc, y);
                    let years: Vec<String> =
                        (0..n as i64).rev().map(|k| (y - k).to_string()).collect();
                    let shown = if years.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", years.join(", "))
                    };
                    format!(
                        "số năm liên tục {} đến năm {y} = {n}{shown}; gián đoạn năm {gap}{pending}",
                        def.text
                    )
                }
                None => format!("{}: dòng này không có năm xét", def.text),
            },
        }
    }

    /// "Xếp loại chất lượng = «Hoàn thành nhiệm vụ»", "… : ô trống".
    pub fn show_column(&self, col: usize, row: &Row) -> String {
        let def = &self.plan.tables[self.table].columns[col];
        if let Some(op) = &def.derived {
            if self.derived(col, row).is_some() {
                return format!("{}: {}", def.header, self.show_operand(op, row));
            }
            if matches!(row.cells.get(col), Some(Cell::Blank) | None) {
                return format!(
                    "{}: ô trống, và chưa có danh sách liên kết để đếm (cho bằng `--table`)",
                    def.header
                );
            }
        }
        let text = row.texts.get(col).map_or("", |s| s.as_str());
        let mut s = def.header.clone();
        match row.cells.get(col) {
            Some(Cell::Blank) | None => {
                s.push_str(if def.optional {
                    ": để trống (không có)"
                } else {
                    ": ô trống"
                });
            }
            Some(Cell::Invalid) => {
                let _ = write!(s, ": giá trị không hợp lệ «{text}»");
            }
            Some(Cell::Enum(e)) => {
                let label = match def.ty {
                    Type::Enum(en) => self.plan.enums[en]
                        .values
                        .get(*e as usize)
                        .map_or(text, |v| v.label.as_str()),
                    _ => text,
                };
                let _ = write!(s, " = «{label}»");
            }
            Some(Cell::Bool(b)) => {
                let _ = write!(s, " = {}", if *b { "Có" } else { "Không" });
            }
            Some(Cell::Int(i)) => {
                let _ = write!(s, " = {i}");
            }
            Some(Cell::Decimal(d)) => {
                let _ = write!(s, " = {}", super::format::decimal(*d));
            }
            Some(Cell::Date(d)) => {
                let _ = write!(s, " = {}", super::format::date(*d));
            }
            Some(Cell::Text) => {
                let _ = write!(s, " = «{text}»");
            }
        }
        if text.is_empty()
            && !matches!(row.cells.get(col), Some(Cell::Blank | Cell::Invalid) | None)
        {
            s.push_str(" (mặc định)");
        }
        s
    }

    fn show_value(&self, v: &Value, ty: Option<Type>) -> String {
        match (v, ty) {
            (Value::Enum(e), Some(Type::Enum(en))) => {
                format!(
                    "«{}»",
                    self.plan.enums[en]
                        .values
                        .get(*e as usize)
                        .map_or("?", |v| v.label.as_str())
                )
            }
            (Value::Decimal(d), Some(Type::Percent)) => format!("{}%", super::format::decimal(*d)),
            _ => super::format::value(v),
        }
    }
}

/// `5 <= x` reads as `x >= 5`.
fn flip(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        other => other,
    }
}

/// "2, 3, 5" (at most 20 rows, then the count).
fn rows_text(rows: &[u64]) -> String {
    const SHOWN: usize = 20;
    let mut s: Vec<String> = rows.iter().take(SHOWN).map(u64::to_string).collect();
    if rows.len() > SHOWN {
        s.push(format!("… ({} dòng)", rows.len()));
    }
    s.join(", ")
}
