//! Awards and their criteria, rates, targets and the names examples use.

use super::values::enum_code;
use super::{Resolver, Scope, with_params};
use crate::diagnostic::Diagnostic;
use crate::semantic::model::*;
use crate::semantic::suggest::hint;
use crate::syntax::ast::{self, Ident, LiteralKind, RoundingMode};
use rust_decimal::Decimal;
use std::collections::HashMap;

impl Resolver<'_> {
    pub(super) fn award_def(
        &mut self,
        a: &ast::AwardDecl,
        plan: &mut Plan,
        awards: &HashMap<String, AwardId>,
        edges: &mut Vec<(AwardId, Ident)>,
    ) -> AwardDef {
        let table = match &a.table {
            Some(t) => self.table_ref(t, plan),
            None if plan.tables.is_empty() => {
                self.err(no_table(&a.id, "danh hiệu"));
                None
            }
            None => Some(0),
        };
        let Some(table) = table else {
            // Without its table nothing in the award can be resolved; the
            // error above is the one to read.
            return AwardDef {
                id: a.id.name.clone(),
                label: a.id.name.clone(),
                table: 0,
                selection: Cond::Const(false),
                criteria: Vec::new(),
            };
        };
        let mut scope = Scope {
            table,
            plan,
            awards,
            meets: Some(edges),
        };
        let selection = a
            .selection
            .as_ref()
            .and_then(|e| self.cond(e, &mut scope))
            .unwrap_or(Cond::Const(false));
        let mut criteria: Vec<CriterionDef> = Vec::new();
        for (i, c) in a.criteria.iter().enumerate() {
            let id = c
                .name
                .as_ref()
                .map_or_else(|| (i + 1).to_string(), |n| n.name.clone());
            if let Some(n) = &c.name
                && criteria.iter().any(|x| x.id == n.name)
            {
                self.err(
                    Diagnostic::error(
                        "E-duplicate",
                        n.span,
                        format!("tiêu chí `{}` lặp lại trong `{}`", n.name, a.id.name),
                    )
                    .label("tên trùng"),
                );
            }
            let cond = self.cond(&c.expr, &mut scope).unwrap_or(Cond::Const(false));
            let cite = c.cite.as_ref().map(|c| self.cite(c));
            criteria.push(CriterionDef {
                id,
                cond,
                message: with_params(&c.message.value, &scope.plan.params),
                cite,
                ballot: c.ballot,
            });
        }
        AwardDef {
            id: a.id.name.clone(),
            label: a
                .label
                .as_ref()
                .map_or_else(|| a.id.name.clone(), |l| l.value.clone()),
            table,
            selection,
            criteria,
        }
    }

    fn table_ref(&mut self, t: &Ident, plan: &Plan) -> Option<TableId> {
        let found = plan.table(&t.name);
        if found.is_none() {
            let names: Vec<&str> = plan.tables.iter().map(|t| t.id.as_str()).collect();
            self.err(
                Diagnostic::error(
                    "E-unknown-table",
                    t.span,
                    format!("không có bảng `{}`", t.name),
                )
                .label("bảng chưa khai báo")
                .help(hint(&t.name, "bảng", names.iter().copied())),
            );
        }
        found
    }

    pub(super) fn check_cycles(
        &mut self,
        awards: &[ast::AwardDecl],
        edges: &[Vec<(AwardId, Ident)>],
    ) {
        // Depth-first search from every award; report each cycle once, at
        // the `meets` that closes it.
        fn visit(
            node: AwardId,
            edges: &[Vec<(AwardId, Ident)>],
            path: &mut Vec<AwardId>,
            done: &mut Vec<bool>,
            found: &mut Vec<(Vec<AwardId>, Ident)>,
        ) {
            if done[node] {
                return;
            }
            path.push(node);
            for (next, at) in &edges[node] {
                if let Some(pos) = path.iter().position(|p| p == next) {
                    found.push((path[pos..].to_vec(), at.clone()));
                } else {
                    visit(*next, edges, path, done, found);
                }
            }
            path.pop();
            done[node] = true;
        }
        let mut done = vec![false; awards.len()];
        let mut found = Vec::new();
        for start in 0..awards.len() {
            visit(start, edges, &mut Vec::new(), &mut done, &mut found);
        }
        for (cycle, at) in found {
            let mut names: Vec<&str> = cycle.iter().map(|&i| awards[i].id.name.as_str()).collect();
            names.push(awards[cycle[0]].id.name.as_str());
            let msg = if cycle.len() == 1 {
                format!("danh hiệu `{}` tham chiếu chính nó", names[0])
            } else {
                format!("các danh hiệu tham chiếu vòng tròn: {}", names.join(" → "))
            };
            self.err(
                Diagnostic::error("E-self-reference", at.span, msg)
                    .label("tham chiếu vòng")
                    .help("một tiêu chuẩn không thể đòi hỏi chính nó; bỏ `meets` này hoặc tách tiêu chí chung ra"),
            );
        }
    }

    pub(super) fn rate_def(
        &mut self,
        r: &ast::RateDecl,
        plan: &mut Plan,
        awards: &HashMap<String, AwardId>,
    ) -> Option<RateDef> {
        let table = match &r.table {
            Some(t) => self.table_ref(t, plan)?,
            None if plan.tables.is_empty() => {
                self.err(no_table(&r.id, "tỷ lệ"));
                return None;
            }
            None if plan.tables.len() == 1 => 0,
            // Several tables: the one holding the `per` column, if only one does.
            None if plan
                .tables
                .iter()
                .filter(|t| t.column(&r.group.name).is_some())
                .count()
                == 1 =>
            {
                plan.tables
                    .iter()
                    .position(|t| t.column(&r.group.name).is_some())?
            }
            None => {
                self.err(
                    Diagnostic::error(
                        "E-rate-table",
                        r.id.span,
                        format!("tỷ lệ `{}` cần chỉ rõ bảng", r.id.name),
                    )
                    .help("có nhiều bảng; viết `rate ID \"…\" for BẢNG per CỘT { … }`"),
                );
                return None;
            }
        };
        let group = self.column_ref(&r.group, table, plan);
        let mut scope = Scope {
            table,
            plan,
            awards,
            meets: None,
        };
        let numerator = self.cond(&r.numerator, &mut scope);
        let denominator = self.cond(&r.denominator, &mut scope);
        let (share, share_param) = match &r.share {
            ast::Share::Literal(l) => match l.kind {
                LiteralKind::Percent(d) => (d, None),
                _ => {
                    self.err(
                        Diagnostic::error("E-type", l.span, "tỷ lệ phải là phần trăm, ví dụ `15%`")
                            .label("không phải phần trăm"),
                    );
                    (Decimal::ZERO, None)
                }
            },
            ast::Share::Param(p) => match self.param_of(p, Type::Percent, plan) {
                Some(Value::Decimal(d)) => (d, Some(p.name.clone())),
                _ => (Decimal::ZERO, None),
            },
        };
        let (rounding, rounding_stated, rounding_param) = match &r.rounding {
            None => (RoundingMode::Down, false, None),
            Some(ast::Rounding::Mode(m, _)) => (*m, true, None),
            Some(ast::Rounding::Param(p)) => match self.param_of(p, Type::Rounding, plan) {
                Some(Value::Rounding(m)) => (m, true, Some(p.name.clone())),
                _ => (RoundingMode::Down, true, None),
            },
        };
        let cite = r.cite.as_ref().map(|c| self.cite(c));
        if let Some(g) = group {
            plan.tables[table].columns[g].needed = true;
        }
        Some(RateDef {
            id: r.id.name.clone(),
            label: with_params(&r.label.value, &plan.params),
            table,
            group: group?,
            numerator: numerator?,
            op: r.op,
            share,
            share_param,
            denominator: denominator?,
            rounding,
            rounding_stated,
            rounding_param,
            cite,
        })
    }

    /// `target T for C per G`: the target table must hold the columns the
    /// comparison reads, of the types it reads them as.
    pub(super) fn target_def(&mut self, t: &ast::TargetDecl, plan: &mut Plan) -> Option<TargetDef> {
        let table = self.table_ref(&t.table, plan);
        let candidates = self.table_ref(&t.candidates, plan);
        let (table, candidates) = (table?, candidates?);
        let group = self.column_ref(&t.group, candidates, plan);
        let cite = t.cite.as_ref().map(|c| self.cite(c));
        let tdef = &plan.tables[table];
        let mut missing: Vec<String> = Vec::new();
        let mut col = |id: &str, want: &str, ok: &dyn Fn(Type) -> bool| -> Option<ColIdx> {
            match tdef.column(id) {
                Some(c) if ok(tdef.columns[c].ty) => Some(c),
                _ => {
                    missing.push(format!("`{id}` ({want})"));
                    None
                }
            }
        };
        let unit = col(&t.group.name, "text", &|ty| ty == Type::Text);
        let title = col("danh_hieu", "kiểu liệt kê các danh hiệu", &|ty| {
            matches!(ty, Type::Enum(_))
        });
        let kind = col("loai", "kiểu liệt kê có SO_LUONG, TY_LE", &|ty| {
            matches!(ty, Type::Enum(_))
        });
        let comparison = col("so_sanh", "kiểu liệt kê có TREN, TU", &|ty| {
            matches!(ty, Type::Enum(_))
        });
        let level = col("muc", "số hoặc phần trăm", &|ty| {
            matches!(ty, Type::Int | Type::Decimal | Type::Percent)
        });
        let values = |c: Option<ColIdx>, codes: [&str; 2]| -> Option<[u16; 2]> {
            let Type::Enum(e) = tdef.columns[c?].ty else {
                return None;
            };
            let e = &plan.enums[e];
            Some([enum_code(e, codes[0])?, enum_code(e, codes[1])?])
        };
        let kind_values = values(kind, ["SO_LUONG", "TY_LE"]);
        if kind.is_some() && kind_values.is_none() {
            missing.push("`loai` (kiểu liệt kê có SO_LUONG, TY_LE)".into());
        }
        let comparison_values = values(comparison, ["TREN", "TU"]);
        if comparison.is_some() && comparison_values.is_none() {
            missing.push("`so_sanh` (kiểu liệt kê có TREN, TU)".into());
        }
        let awards: Vec<Option<AwardId>> = match title.map(|c| tdef.columns[c].ty) {
            Some(Type::Enum(e)) => plan.enums[e]
                .values
                .iter()
                .map(|v| {
                    plan.awards
                        .iter()
                        .position(|a| a.id == v.code && a.table == candidates)
                })
                .collect(),
            _ => Vec::new(),
        };
        if !missing.is_empty() {
            self.err(
                Diagnostic::error(
                    "E-target-columns",
                    t.table.span,
                    format!(
                        "bảng chỉ tiêu `{}` thiếu cột hoặc sai kiểu: {}",
                        tdef.id,
                        missing.join(", ")
                    ),
                )
                .label("bảng chỉ tiêu chưa đủ cột")
                .help(format!(
                    "bảng chỉ tiêu cần các cột `{}` text, `danh_hieu` (kiểu liệt kê các danh hiệu), `loai` (SO_LUONG, TY_LE), `so_sanh` (TREN, TU) và `muc` (số hoặc phần trăm)",
                    t.group.name
                )),
            );
            return None;
        }
        if awards.iter().all(Option::is_none) {
            self.err(
                Diagnostic::error(
                    "E-target-columns",
                    t.table.span,
                    format!(
                        "không giá trị nào của cột `danh_hieu` trong bảng `{}` là một danh hiệu xét cho bảng `{}`",
                        tdef.id, plan.tables[candidates].id
                    ),
                )
                .label("danh hiệu đăng ký không khớp danh hiệu nào")
                .help("dùng kiểu liệt kê có mã trùng mã danh hiệu, ví dụ `DeNghi`"),
            );
            return None;
        }
        // Candidates carry the unit of their table's unit column (the group
        // of its first rate, else `don_vi`): the target must count by it.
        let unit_column = plan
            .rates
            .iter()
            .find(|r| r.table == candidates)
            .map(|r| r.group)
            .or_else(|| {
                ["don_vi", "don_vi_cap_tren"]
                    .iter()
                    .find_map(|c| plan.tables[candidates].column(c))
            });
        if group.is_some() && unit_column != group {
            let shown = unit_column.map_or_else(
                || "không có".to_string(),
                |c| format!("`{}`", plan.tables[candidates].columns[c].id),
            );
            self.err(
                Diagnostic::error(
                    "E-target-unit",
                    t.group.span,
                    format!(
                        "chỉ tiêu đếm theo `{}`, nhưng cột đơn vị của bảng `{}` là {shown}",
                        t.group.name, plan.tables[candidates].id
                    ),
                )
                .label("không phải cột đơn vị của danh sách")
                .help("dùng cột mà các tỷ lệ của bảng đếm theo (hoặc `don_vi`)"),
            );
            return None;
        }
        for c in [unit, title, kind, comparison, level].into_iter().flatten() {
            plan.tables[table].columns[c].needed = true;
        }
        Some(TargetDef {
            table,
            candidates,
            group: group?,
            unit: unit?,
            title: title?,
            awards,
            kind: kind?,
            kind_values: kind_values?,
            comparison: comparison?,
            comparison_values: comparison_values?,
            level: level?,
            cite,
        })
    }

    pub(super) fn column_ref(&mut self, c: &Ident, table: TableId, plan: &Plan) -> Option<ColIdx> {
        let t = &plan.tables[table];
        let found = t.column(&c.name);
        if found.is_none() {
            let names: Vec<&str> = t.columns.iter().map(|c| c.id.as_str()).collect();
            self.err(
                Diagnostic::error(
                    "E-unknown-column",
                    c.span,
                    format!("bảng `{}` không có cột `{}`", t.id, c.name),
                )
                .label("cột không có")
                .help(hint(&c.name, "cột", names.iter().copied())),
            );
        }
        found
    }

    pub(super) fn check_example(&mut self, ex: &ast::ExampleDecl, plan: &Plan) {
        for row in &ex.rows {
            let Some(t) = self.table_ref(&row.table, plan) else {
                continue;
            };
            for (col, _) in &row.fields {
                self.column_ref(col, t, plan);
            }
        }
        for e in &ex.expects {
            match e {
                ast::Expect::Candidate { award: Some(a), .. } if plan.award(&a.name).is_none() => {
                    let names: Vec<&str> = plan.awards.iter().map(|a| a.id.as_str()).collect();
                    self.err(
                        Diagnostic::error(
                            "E-unknown-award",
                            a.span,
                            format!("không có danh hiệu `{}`", a.name),
                        )
                        .label("danh hiệu chưa khai báo")
                        .help(hint(
                            &a.name,
                            "danh hiệu",
                            names.iter().copied(),
                        )),
                    );
                }
                ast::Expect::Rate { rate, .. } if !plan.rates.iter().any(|r| r.id == rate.name) => {
                    let names: Vec<&str> = plan.rates.iter().map(|r| r.id.as_str()).collect();
                    self.err(
                        Diagnostic::error(
                            "E-unknown-rate",
                            rate.span,
                            format!("không có tỷ lệ `{}`", rate.name),
                        )
                        .label("tỷ lệ chưa khai báo")
                        .help(hint(
                            &rate.name,
                            "tỷ lệ",
                            names.iter().copied(),
                        )),
                    );
                }
                _ => {}
            }
        }
    }
}

/// An award or rate in a rule set that declares no table.
fn no_table(id: &Ident, what: &str) -> Diagnostic {
    Diagnostic::error(
        "E-no-table",
        id.span,
        format!("{what} `{}` cần một bảng, nhưng bộ quy tắc chưa khai báo bảng nào", id.name),
    )
    .label("không có bảng để đọc")
    .help("khai báo bảng trước, ví dụ `table ca_nhan \"Danh sách cá nhân\" key ma_can_bo { … }`, hoặc `extends` một bộ quy tắc có bảng")
}
