//! Enums, tables and their columns (types, ranges, `absent`, links,
//! derived columns), and the dates of the header.

use super::values::{date_days, type_name};
use super::{Resolver, Scope};
use crate::diagnostic::Diagnostic;
use crate::semantic::columns;
use crate::semantic::model::*;
use crate::semantic::suggest::hint;
use crate::syntax::ast::{self, Ident, LiteralKind};
use rust_decimal::Decimal;
use std::collections::HashMap;

impl Resolver<'_> {
    pub(super) fn enum_def(&mut self, e: &ast::EnumDecl) -> EnumDef {
        self.errors.extend(columns::value_collisions(e));
        let mut values: Vec<EnumValue> = Vec::new();
        for v in &e.values {
            if values.iter().any(|x| x.code == v.code.name) {
                self.err(
                    Diagnostic::error(
                        "E-duplicate",
                        v.code.span,
                        format!("mã `{}` lặp lại trong `{}`", v.code.name, e.id.name),
                    )
                    .label("mã trùng"),
                );
                continue;
            }
            values.push(EnumValue {
                code: v.code.name.clone(),
                label: v.label.value.clone(),
                aliases: v.aliases.iter().map(|a| a.value.clone()).collect(),
            });
        }
        EnumDef {
            id: e.id.name.clone(),
            ordered: e.ordered,
            values,
        }
    }

    pub(super) fn type_named(&mut self, ty: &Ident, enums: &[EnumDef]) -> Option<Type> {
        let t = match ty.name.as_str() {
            "text" => Type::Text,
            "int" => Type::Int,
            "decimal" => Type::Decimal,
            "percent" => Type::Percent,
            "bool" => Type::Bool,
            "date" => Type::Date,
            "rounding" => Type::Rounding,
            name => match enums.iter().position(|e| e.id == name) {
                Some(i) => Type::Enum(i),
                None => {
                    let builtins = ["text", "int", "decimal", "percent", "bool", "date"];
                    let all: Vec<&str> = builtins
                        .iter()
                        .copied()
                        .chain(enums.iter().map(|e| e.id.as_str()))
                        .collect();
                    self.err(
                        Diagnostic::error(
                            "E-unknown-type",
                            ty.span,
                            format!("không có kiểu `{name}`"),
                        )
                        .label("kiểu chưa khai báo")
                        .help(hint(name, "kiểu", all.iter().copied())),
                    );
                    return None;
                }
            },
        };
        Some(t)
    }

    pub(super) fn table_def(&mut self, t: &ast::TableDecl, enums: &[EnumDef]) -> TableDef {
        self.errors.extend(columns::column_collisions(t));
        self.errors.extend(columns::absent_on_key(t));
        let mut columns: Vec<ColumnDef> = Vec::new();
        for c in &t.columns {
            if columns.iter().any(|x| x.id == c.id.name) {
                self.err(
                    Diagnostic::error(
                        "E-duplicate",
                        c.id.span,
                        format!("cột `{}` lặp lại trong bảng `{}`", c.id.name, t.id.name),
                    )
                    .label("cột trùng"),
                );
                continue;
            }
            let ty = self.type_named(&c.ty, enums).unwrap_or(Type::Text);
            let default = c
                .default
                .as_ref()
                .and_then(|d| self.literal_value(d, ty, enums));
            let range = c.range.as_ref().and_then(|r| self.range(r, ty, enums));
            let absent = c
                .absent
                .as_ref()
                .and_then(|a| self.absent_value(a, ty, range, enums));
            columns.push(ColumnDef {
                id: c.id.name.clone(),
                header: c.header.value.clone(),
                ty,
                optional: c.optional,
                link: None,
                derived: None,
                range,
                default,
                needed: false,
                aliases: c.aliases.iter().map(|a| a.value.clone()).collect(),
                absent,
                ballot: false,
            });
        }
        let key = t
            .key
            .as_ref()
            .and_then(|k| self.table_column(k, t, &columns));
        let year = t
            .year
            .as_ref()
            .and_then(|y| self.table_column(y, t, &columns));
        if let Some(c) = key.and_then(|k| columns.get_mut(k)) {
            c.needed = true;
        }
        TableDef {
            id: t.id.name.clone(),
            label: t.label.value.clone(),
            key,
            year,
            columns,
        }
    }

    /// `absent V`: a literal of the column's type, inside its range.
    fn absent_value(
        &mut self,
        a: &ast::Literal,
        ty: Type,
        range: Option<(Decimal, Decimal)>,
        enums: &[EnumDef],
    ) -> Option<Value> {
        let before = self.errors.len();
        let Some(v) = self.literal_value(a, ty, enums) else {
            if let Some(d) = self.errors.get_mut(before) {
                d.help = Some(format!(
                    "`absent` cho biết giá trị của cột khi danh sách không có cột này; \
                     viết một giá trị kiểu {}",
                    type_name(ty, enums)
                ));
            }
            return None;
        };
        let number = match &v {
            Value::Int(i) => Some(Decimal::from(*i)),
            Value::Decimal(d) => Some(*d),
            _ => None,
        };
        if let (Some(n), Some((lo, hi))) = (number, range)
            && (n < lo || n > hi)
        {
            self.err(
                Diagnostic::error(
                    "E-range",
                    a.span,
                    format!("giá trị `absent` nằm ngoài khoảng {lo}..{hi} của cột"),
                )
                .label("ngoài khoảng")
                .help("giá trị giả định khi thiếu cột phải là một giá trị cột có thể nhận"),
            );
            return None;
        }
        Some(v)
    }

    /// `in LOW..HIGH` on a numeric column, as two decimals.
    fn range(
        &mut self,
        (low, high): &(ast::Literal, ast::Literal),
        ty: Type,
        enums: &[EnumDef],
    ) -> Option<(Decimal, Decimal)> {
        if !ty.is_numeric() {
            self.err(
                Diagnostic::error(
                    "E-type",
                    low.span.to(high.span),
                    format!(
                        "khoảng giá trị chỉ dùng cho cột số, không cho kiểu {}",
                        type_name(ty, enums)
                    ),
                )
                .label("khoảng trên cột không phải số"),
            );
            return None;
        }
        let bound = |r: &mut Self, l: &ast::Literal| match r.literal_value(l, ty, enums)? {
            Value::Int(i) => Some(Decimal::from(i)),
            Value::Decimal(d) => Some(d),
            _ => None,
        };
        let (lo, hi) = (bound(self, low)?, bound(self, high)?);
        if lo > hi {
            self.err(
                Diagnostic::error(
                    "E-range",
                    low.span.to(high.span),
                    "cận dưới lớn hơn cận trên".to_string(),
                )
                .label("khoảng rỗng")
                .help("viết cận dưới trước: `in 0..12`"),
            );
            return None;
        }
        Some((lo, hi))
    }

    /// A column named in a table's header (`key`, `year`).
    fn table_column(
        &mut self,
        n: &Ident,
        t: &ast::TableDecl,
        columns: &[ColumnDef],
    ) -> Option<ColIdx> {
        let found = columns.iter().position(|c| c.id == n.name);
        if found.is_none() {
            let names: Vec<&str> = columns.iter().map(|c| c.id.as_str()).collect();
            self.err(
                Diagnostic::error(
                    "E-unknown-column",
                    n.span,
                    format!("`{}` không phải cột của bảng `{}`", n.name, t.id.name),
                )
                .label("cột không có")
                .help(hint(&n.name, "cột", names.iter().copied())),
            );
        }
        found
    }

    /// `= EXPR` on columns, once every award is known (the expression may
    /// count rows meeting one). Such a column need not be in a list: it is
    /// counted when the linked list is given.
    pub(super) fn derived_columns(
        &mut self,
        file: &ast::File,
        plan: &mut Plan,
        awards: &HashMap<String, AwardId>,
    ) {
        for (t, decl) in file.tables.iter().enumerate() {
            for c in &decl.columns {
                let Some(e) = &c.derived else { continue };
                let Some(col) = plan.tables[t].column(&c.id.name) else {
                    continue;
                };
                // The columns a derivation reads are not required of a list
                // for it: without them the written column is read.
                let was: Vec<bool> = plan.tables[t].columns.iter().map(|c| c.needed).collect();
                let mut scope = Scope {
                    table: t,
                    plan: &mut *plan,
                    awards,
                    meets: None,
                };
                let read = self.operand(e, Some(Type::Int), &mut scope);
                for (c, was) in plan.tables[t].columns.iter_mut().zip(was) {
                    c.needed = was;
                }
                let Some((op, ty)) = read else {
                    continue;
                };
                let declared = plan.tables[t].columns[col].ty;
                if !matches!(
                    (declared, ty),
                    (Type::Int, Type::Int) | (Type::Decimal, Type::Int | Type::Decimal)
                ) {
                    self.err(
                        Diagnostic::error(
                            "E-type",
                            e.span,
                            format!(
                                "cột kiểu {} không lấy giá trị đếm được",
                                type_name(declared, &plan.enums)
                            ),
                        )
                        .label("khác kiểu cột")
                        .help("cột đếm từ danh sách khác khai báo kiểu `int`"),
                    );
                    continue;
                }
                let def = &mut plan.tables[t].columns[col];
                // A count of linked rows need not be written; a column
                // worked out on the row itself (`months_from`) is read from
                // the list when the row lacks what it is worked out from.
                def.needed = !op.counts_linked() && def.needed;
                def.derived = Some(op);
            }
        }
    }

    /// `ref T` on columns, once every table is known.
    pub(super) fn links(&mut self, file: &ast::File, plan: &mut Plan) {
        let ids: Vec<String> = plan.tables.iter().map(|t| t.id.clone()).collect();
        for (t, decl) in file.tables.iter().enumerate() {
            for c in &decl.columns {
                let Some(target) = &c.link else { continue };
                let Some(col) = plan.tables[t].column(&c.id.name) else {
                    continue;
                };
                match ids.iter().position(|i| *i == target.name) {
                    Some(to) if plan.tables[to].key.is_some() => {
                        plan.tables[t].columns[col].link = Some(to)
                    }
                    Some(_) => self.err(
                        Diagnostic::error(
                            "E-link",
                            target.span,
                            format!("bảng `{}` không có khóa (`key`) để tham chiếu", target.name),
                        )
                        .label("bảng không có khóa"),
                    ),
                    None => self.err(
                        Diagnostic::error(
                            "E-unknown-table",
                            target.span,
                            format!("không có bảng `{}`", target.name),
                        )
                        .label("bảng chưa khai báo")
                        .help(hint(
                            &target.name,
                            "bảng",
                            ids.iter().map(|s| s.as_str()),
                        )),
                    ),
                }
            }
        }
    }

    /// The period of the header: real dates, and not ending before it
    /// starts.
    pub(super) fn header_dates(&mut self, file: &ast::File) {
        let Some(h) = file.header.as_ref() else {
            return;
        };
        let mut days = [None, None];
        for (i, l) in [h.effective.as_ref(), h.until.as_ref()]
            .into_iter()
            .enumerate()
        {
            let Some(l) = l else { continue };
            let LiteralKind::Date(d) = &l.kind else {
                continue;
            };
            days[i] = date_days(d);
            if days[i].is_none() {
                self.err(
                    Diagnostic::error("E-date", l.span, format!("không có ngày {d}"))
                        .label("ngày không có thật")
                        .help("viết ngày có thật theo dạng NĂM-THÁNG-NGÀY, ví dụ `2025-07-01`"),
                );
            }
        }
        if let ([Some(from), Some(to)], Some(until)) = (days, h.until.as_ref())
            && to < from
        {
            self.err(
                Diagnostic::error(
                    "E-date",
                    until.span,
                    "bộ quy tắc hết hiệu lực trước ngày có hiệu lực",
                )
                .label("trước ngày `effective`")
                .help("`until` là ngày cuối cùng áp dụng, không trước ngày `effective`"),
            );
        }
    }
}
