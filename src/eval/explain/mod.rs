//! What a clause read, in words: "Xếp loại chất lượng = «Hoàn thành nhiệm
//! vụ», cần ≥ «Hoàn thành tốt nhiệm vụ»". Only built for clauses that are
//! not true, so passing rows cost nothing here.
//!
//! The text of aggregates (counts, years, streaks over a linked list) is
//! in `aggregates`.

mod aggregates;

use super::codes::codes;
use super::row::{Memo, RowEval, Val};
use super::tri::Tri;
use crate::data::{Cell, Row};
use crate::semantic::model::{AggKind, ColIdx, Cond, Operand, Type, Value};
use crate::syntax::ast::CmpOp;
use std::fmt::Write as _;
use std::ops::Range;

/// The parts of an explanation, joined by "; " as they are written; a
/// part equal to the one kept before it is dropped.
struct Parts<'s> {
    out: &'s mut String,
    /// Where the last part kept lies in `out`.
    last: Option<Range<usize>>,
}

impl<'s> Parts<'s> {
    fn new(out: &'s mut String) -> Parts<'s> {
        Parts { out, last: None }
    }

    fn part(&mut self, write: impl FnOnce(&mut String)) {
        let before = self.out.len();
        if self.last.is_some() {
            self.out.push_str("; ");
        }
        let start = self.out.len();
        write(self.out);
        let repeated = self
            .last
            .as_ref()
            .is_some_and(|last| self.out.get(last.clone()) == self.out.get(start..));
        if repeated {
            self.out.truncate(before);
        } else {
            self.last = Some(start..self.out.len());
        }
    }
}

impl RowEval<'_> {
    /// A short account of the values a condition read on this row.
    pub fn explain(&self, c: &Cond, row: &Row, memo: &mut Memo) -> String {
        // Room for the usual explanation (a column, its value and the bound,
        // about a hundred bytes): one allocation, not one a doubling.
        let mut out = String::with_capacity(128);
        self.explain_into(c, row, memo, &mut Parts::new(&mut out));
        out
    }

    fn explain_into(&self, c: &Cond, row: &Row, memo: &mut Memo, parts: &mut Parts) {
        match c {
            Cond::Const(_) => {}
            Cond::Column(col) => parts.part(|s| self.write_column(s, *col, row)),
            Cond::Not(x) => self.explain_into(x, row, memo, parts),
            Cond::And(a, b) | Cond::Or(a, b) | Cond::Implies(a, b) => {
                self.explain_into(a, row, memo, parts);
                self.explain_into(b, row, memo, parts);
            }
            Cond::Compare { op, lhs, rhs } => {
                parts.part(|s| self.write_compare(s, *op, lhs, rhs, row))
            }
            Cond::In { operand, set } => parts.part(|s| {
                self.write_operand(s, operand, row);
                s.push_str(", cần thuộc {");
                for (i, v) in set.iter().enumerate() {
                    if i > 0 {
                        s.push_str(", ");
                    }
                    self.write_value(s, v, self.operand_type(operand));
                }
                s.push('}');
            }),
            Cond::InLinked { column, aggregate } => parts.part(|s| {
                let def = &self.plan.aggregates[*aggregate];
                let text = row.texts.get(*column).map_or("", |s| s.as_str());
                self.write_column(s, *column, row);
                s.push_str(", ");
                let mine = codes(text);
                match self.linked_acc(*aggregate, row) {
                    None => s.push_str("chưa có danh sách để đối chiếu"),
                    Some(Some(acc)) if mine.iter().any(|c| acc.values.contains(*c)) => {
                        if mine.len() > 1 {
                            let found: Vec<&str> = mine
                                .iter()
                                .copied()
                                .filter(|c| acc.values.contains(*c))
                                .collect();
                            let _ = write!(s, "mã «{}» ", found.join("», «"));
                        }
                        let _ = write!(s, "đã có trong {}", def.text);
                    }
                    Some(_) => {
                        let _ = write!(s, "không có trong {}", def.text);
                    }
                }
            }),
            Cond::Unique(col) => parts.part(|s| {
                self.write_column(s, *col, row);
                let several = codes(row.texts.get(*col).map_or("", |s| s.as_str())).len() > 1;
                match self.shared_codes(*col, row) {
                    Some(shared) if shared.is_empty() => s.push_str(", không trùng dòng nào"),
                    Some(shared) => {
                        for (i, sh) in shared.iter().enumerate() {
                            s.push_str(if i == 0 { ", " } else { "; " });
                            if several {
                                let _ = write!(s, "mã «{}» ", sh.code);
                            }
                            s.push_str("cũng có ở ");
                            if !sh.rows.is_empty() {
                                let _ = write!(s, "dòng {}", rows_text(&sh.rows));
                            }
                            if sh.same_row {
                                if !sh.rows.is_empty() {
                                    s.push_str(" và ở ");
                                }
                                s.push_str("đề nghị khác của cùng dòng này");
                            }
                        }
                    }
                    None => s.push_str(", chưa đối chiếu được với các dòng khác"),
                }
            }),
            Cond::IsNone { column, negated } => parts.part(|s| {
                self.write_column(s, *column, row);
                s.push_str(if *negated {
                    ", cần có giá trị"
                } else {
                    ", cần để trống"
                });
            }),
            Cond::Meets(a) => parts.part(|s| {
                let award = &self.plan.awards[*a];
                let start = s.len();
                push_all(s, &["tiêu chuẩn «", &award.label, "»: "]);
                let mut any = false;
                for cr in &award.criteria {
                    let t = self.cond(&cr.cond, row, memo);
                    if t == Tri::True {
                        continue;
                    }
                    if any {
                        s.push_str("; ");
                    }
                    any = true;
                    let word = if t == Tri::False {
                        "không đạt"
                    } else {
                        "chưa xác định"
                    };
                    push_all(s, &[&cr.message, " ", word, " ("]);
                    self.explain_into(&cr.cond, row, memo, &mut Parts::new(s));
                    s.push(')');
                }
                if !any {
                    s.truncate(start);
                    push_all(s, &["đạt tiêu chuẩn «", &award.label, "»"]);
                }
            }),
            Cond::Proposed(a) => {
                let award = &self.plan.awards[*a];
                self.explain_into(&award.selection, row, memo, parts);
            }
            Cond::AnyOf(branches) => parts.part(|s| {
                s.push_str("không nhánh nào đúng — ");
                for (i, (b, label)) in branches.iter().enumerate() {
                    if i > 0 {
                        s.push_str("; ");
                    }
                    let word = match self.cond(b, row, memo) {
                        Tri::True => "đúng",
                        Tri::False => "không",
                        Tri::Unknown => "chưa rõ",
                    };
                    push_all(s, &["«", label, "»: ", word, " ("]);
                    self.explain_into(b, row, memo, &mut Parts::new(s));
                    s.push(')');
                }
            }),
        }
    }

    fn write_compare(&self, s: &mut String, op: CmpOp, lhs: &Operand, rhs: &Operand, row: &Row) {
        let ty = self.operand_type(lhs).or(self.operand_type(rhs));
        let given = op;
        let (shown, op, other) = match (lhs, rhs) {
            (Operand::Const(v), other) => (other, flip(op), Err(v)),
            (other, Operand::Const(v)) => (other, op, Err(v)),
            (a, b) => (a, op, Ok(b)),
        };
        self.write_operand(s, shown, row);
        push_all(s, &[", cần ", op.symbol(), " "]);
        match other {
            Err(v) => self.write_value(s, v, ty),
            Ok(b) => self.write_operand(s, b, row),
        }
        // Undecided linked rows: whether they could change the verdict.
        let (l, r) = (self.bounds(lhs, row), self.bounds(rhs, row));
        if l.0 != l.1 || r.0 != r.1 {
            let (mut rows, mut years) = (false, false);
            for o in [lhs, rhs] {
                self.unsure_parts(o, row, &mut rows, &mut years);
            }
            let what = match (rows, years) {
                (false, true) => "năm chưa có trong lịch sử",
                (true, true) => "dòng chưa xác định và năm chưa có trong lịch sử",
                _ => "dòng chưa xác định",
            };
            let verdict = match self.compare_ranges(given, l, r) {
                Tri::True => "đạt dù",
                Tri::False => "không đạt dù",
                Tri::Unknown => "đạt hay không tùy",
            };
            push_all(s, &[" — ", verdict, " ", what]);
            if !matches!(self.compare_ranges(given, l, r), Tri::Unknown) {
                s.push_str(" thế nào");
            }
        }
    }

    /// Whether `o` reads aggregates with undecided linked rows (`rows`), or
    /// with years up to this row's that their list does not cover (`years`).
    fn unsure_parts(&self, o: &Operand, row: &Row, rows: &mut bool, years: &mut bool) {
        match o {
            Operand::Aggregate(i) => {
                if let Some(acc) = self.linked_acc(*i, row) {
                    *rows |= acc.is_some_and(|a| !a.unknown_rows.is_empty());
                    let covered = self.linked.covered(*i);
                    let dated = self.plan.aggregates[*i].kind != AggKind::Last
                        && (self.plan.aggregates[*i].kind != AggKind::Count
                            || self.plan.aggregates[*i].after.is_some());
                    if let (true, Some(c), Some(y)) = (dated, covered, self.row_year(row)) {
                        *years |= super::linked::uncovered_in(c, i64::MIN, y) != Some(0);
                    }
                }
                if let Some(a) = &self.plan.aggregates[*i].after {
                    self.unsure_parts(a, row, rows, years);
                }
            }
            Operand::Add(a, b) | Operand::Sub(a, b) | Operand::ShareOf(a, b) => {
                self.unsure_parts(a, row, rows, years);
                self.unsure_parts(b, row, rows, years);
            }
            Operand::Column(_) | Operand::Const(_) | Operand::MonthsFrom(_) => {}
        }
    }

    fn operand_type(&self, o: &Operand) -> Option<Type> {
        match o {
            Operand::Column(c) => self.plan.tables[self.table].columns.get(*c).map(|c| c.ty),
            Operand::Add(a, _) | Operand::Sub(a, _) => self.operand_type(a),
            Operand::ShareOf(..) => Some(Type::Decimal),
            Operand::Aggregate(_) | Operand::MonthsFrom(_) => Some(Type::Int),
            Operand::Const(_) => None,
        }
    }

    pub(super) fn write_operand(&self, s: &mut String, o: &Operand, row: &Row) {
        match o {
            Operand::Column(c) => self.write_column(s, *c, row),
            Operand::Const(v) => self.write_value(s, v, None),
            Operand::Add(a, b) | Operand::Sub(a, b) => {
                let sign = if matches!(o, Operand::Add(..)) {
                    " + "
                } else {
                    " − "
                };
                s.push('(');
                self.write_operand(s, a, row);
                s.push_str(sign);
                self.write_operand(s, b, row);
                s.push_str(") = ");
                write_range(s, self.bounds(o, row));
            }
            Operand::Aggregate(i) => s.push_str(&self.show_aggregate(*i, row)),
            Operand::MonthsFrom(c) => self.write_months(s, *c, row),
            Operand::ShareOf(p, x) => {
                match self.operand(p, row) {
                    Val::Decimal(d) => {
                        super::format::write_decimal(s, d);
                        s.push('%');
                    }
                    Val::Int(i) => {
                        let _ = write!(s, "{i}%");
                    }
                    _ => s.push('?'),
                }
                s.push_str(" × (");
                self.write_operand(s, x, row);
                s.push_str(") = ");
                write_range(s, self.bounds(o, row));
            }
        }
    }

    /// "số tháng từ Ngày tuyển dụng 15/03/2025 đến hết năm 2025 = 9 (tháng
    /// chưa trọn không tính)", or why it cannot be worked out.
    fn write_months(&self, s: &mut String, c: ColIdx, row: &Row) {
        let header = &self.plan.tables[self.table].columns[c].header;
        match (row.cells.get(c), self.row_year(row)) {
            (Some(&Cell::Date(d)), Some(y)) => {
                let n = super::calendar::months_from(d, y);
                let _ = write!(
                    s,
                    "số tháng từ {header} {} đến hết năm {y} = {n} (tháng chưa trọn không tính)",
                    super::format::date(d)
                );
            }
            (Some(Cell::Date(_)), None) => {
                let _ = write!(s, "số tháng từ {header}: dòng này không có năm xét");
            }
            _ => self.write_column(s, c, row),
        }
    }

    /// "Xếp loại chất lượng = «Hoàn thành nhiệm vụ»", "… : ô trống".
    fn write_column(&self, s: &mut String, col: usize, row: &Row) {
        let def = &self.plan.tables[self.table].columns[col];
        if let Some(op) = &def.derived {
            if self.derived(col, row).is_some() {
                push_all(s, &[&def.header, ": "]);
                self.write_operand(s, op, row);
                return;
            }
            if matches!(row.cells.get(col), Some(Cell::Blank) | None) {
                if op.counts_linked() {
                    let _ = write!(
                        s,
                        "{}: ô trống, và chưa có danh sách liên kết để đếm",
                        def.header
                    );
                } else {
                    push_all(s, &[&def.header, ": ô trống, và "]);
                    self.write_operand(s, op, row);
                }
                return;
            }
        }
        let text = row.texts.get(col).map_or("", |s| s.as_str());
        s.push_str(&def.header);
        if self.absent.get(col).copied().unwrap_or(false) {
            s.push_str(": không có cột trong danh sách");
            if !matches!(row.cells.get(col), Some(Cell::Absent) | None) {
                s.push_str(", tính là ");
                match (row.cells.get(col), &def.absent) {
                    (Some(Cell::Bool(b)), _) => s.push_str(if *b { "Có" } else { "Không" }),
                    (_, Some(v)) => self.write_value(s, v, Some(def.ty)),
                    _ => s.push_str(text),
                }
            }
            return;
        }
        match row.cells.get(col) {
            Some(Cell::Absent) => s.push_str(": không có cột trong danh sách"),
            Some(Cell::Blank) | None => {
                s.push_str(if def.optional {
                    ": để trống (không có)"
                } else {
                    ": ô trống"
                });
            }
            Some(Cell::Invalid) => {
                push_all(s, &[": giá trị không hợp lệ «", text, "»"]);
            }
            Some(Cell::Enum(e)) => {
                let label = match def.ty {
                    Type::Enum(en) => self.plan.enums[en]
                        .values
                        .get(*e as usize)
                        .map_or(text, |v| v.label.as_str()),
                    _ => text,
                };
                push_all(s, &[" = «", label, "»"]);
            }
            Some(Cell::Bool(b)) => {
                s.push_str(if *b { " = Có" } else { " = Không" });
            }
            Some(Cell::Int(i)) => {
                let _ = write!(s, " = {i}");
            }
            Some(Cell::Decimal(d)) => {
                s.push_str(" = ");
                super::format::write_decimal(s, *d);
            }
            Some(Cell::Date(d)) => {
                let _ = write!(s, " = {}", super::format::date(*d));
            }
            Some(Cell::Text) => {
                push_all(s, &[" = «", text, "»"]);
            }
        }
        if text.is_empty()
            && !matches!(
                row.cells.get(col),
                Some(Cell::Blank | Cell::Invalid | Cell::Absent) | None
            )
        {
            s.push_str(" (mặc định)");
        }
    }

    fn write_value(&self, s: &mut String, v: &Value, ty: Option<Type>) {
        match (v, ty) {
            (Value::Enum(e), Some(Type::Enum(en))) => {
                let label = self.plan.enums[en]
                    .values
                    .get(*e as usize)
                    .map_or("?", |v| v.label.as_str());
                push_all(s, &["«", label, "»"]);
            }
            (Value::Decimal(d), Some(Type::Percent)) => {
                super::format::write_decimal(s, *d);
                s.push('%');
            }
            (Value::Int(i), _) => {
                let _ = write!(s, "{i}");
            }
            (Value::Decimal(d), _) => super::format::write_decimal(s, *d),
            _ => s.push_str(&super::format::value(v)),
        }
    }
}

/// A value, or the ends it lies between: "7", "từ 6 đến 7", "ít nhất 2".
fn write_range(s: &mut String, (lo, hi): (Val, Val)) {
    let one = |s: &mut String, v: Val| match v {
        Val::Int(i) => {
            let _ = write!(s, "{i}");
        }
        Val::Decimal(d) => super::format::write_decimal(s, d),
        _ => s.push('?'),
    };
    if lo == hi {
        one(s, lo);
    } else if matches!(hi, Val::Missing) && !matches!(lo, Val::Missing) {
        s.push_str("ít nhất ");
        one(s, lo);
    } else {
        s.push_str("từ ");
        one(s, lo);
        s.push_str(" đến ");
        one(s, hi);
    }
}

/// Appends the pieces one after the other (plain text needs no
/// formatting machinery).
fn push_all(s: &mut String, pieces: &[&str]) {
    pieces.iter().for_each(|p| s.push_str(p));
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
