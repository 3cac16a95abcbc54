//! Name resolution and type checking: merged AST to [`Plan`].

use super::model::*;
use super::suggest::hint;
use crate::diagnostic::Diagnostic;
use crate::eval::format::decimal;
use crate::source::SourceMap;
use crate::syntax::ast::{
    self, AggKind, BinOp, CmpOp, Expr, ExprKind, Ident, LiteralKind, RoundingMode,
};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// A `--set NAME=VALUE` given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub name: String,
    pub value: String,
}

/// A date of the file's header (`effective` or `until`), as ISO text.
fn header_date(
    file: &ast::File,
    date: impl Fn(&ast::Header) -> Option<&ast::Literal>,
) -> Option<String> {
    match &date(file.header.as_ref()?)?.kind {
        LiteralKind::Date(d) => Some(d.clone()),
        _ => None,
    }
}

/// A message with `{param}` replaced by the parameter's value in force, so
/// that `--set` and overlays change what the report says too.
pub(crate) fn with_params(message: &str, params: &[ParamDef]) -> String {
    if !message.contains('{') {
        return message.to_string();
    }
    let mut out = message.to_string();
    for p in params {
        let slot = format!("{{{}}}", p.id);
        if !out.contains(&slot) {
            continue;
        }
        let shown = match (&p.value, p.ty) {
            (Value::Decimal(d), Type::Percent) => format!("{}%", decimal(*d)),
            (Value::Decimal(d), _) => decimal(*d),
            (Value::Int(i), _) => i.to_string(),
            (Value::Rounding(m), _) => m.keyword().to_string(),
            _ => continue,
        };
        out = out.replace(&slot, &shown);
    }
    out
}

pub fn resolve(
    file: &ast::File,
    texts: &SourceMap,
    overrides: &[Override],
    errors: &mut Vec<Diagnostic>,
) -> (Plan, Vec<String>) {
    let mut r = Resolver {
        errors,
        texts,
        sources: HashMap::new(),
    };
    let mut override_errors = Vec::new();
    for s in &file.sources {
        r.sources.insert(s.id.name.clone(), s.title.value.clone());
    }
    let enums = file.enums.iter().map(|e| r.enum_def(e)).collect::<Vec<_>>();
    let mut plan = Plan {
        name: file.header.as_ref().map_or_else(
            || "Bộ quy tắc không tên".to_string(),
            |h| h.name.value.clone(),
        ),
        effective: header_date(file, |h| h.effective.as_ref()),
        until: header_date(file, |h| h.until.as_ref()),
        enums,
        ..Plan::default()
    };
    r.header_dates(file);
    plan.tables = file
        .tables
        .iter()
        .map(|t| r.table_def(t, &plan.enums))
        .collect();
    r.links(file, &mut plan);
    plan.params = file
        .params
        .iter()
        .map(|p| r.param_def(p, &plan.enums))
        .collect();
    for o in overrides {
        match plan.params.iter_mut().find(|p| p.id == o.name) {
            Some(p) => match value_from_text(&o.value, p.ty, &plan.enums) {
                Ok(v) if !within_implied_range(&v, p.ty) => override_errors.push(format!(
                    "--set {}={}: ngoài khoảng cho phép, cần {}",
                    o.name,
                    o.value,
                    implied_range(p.ty)
                )),
                Ok(v) => {
                    p.value = v;
                    p.overridden = true;
                }
                Err(expected) => override_errors.push(format!(
                    "--set {}={}: giá trị không hợp lệ, cần {expected}",
                    o.name, o.value
                )),
            },
            None => {
                let names: Vec<&str> = plan.params.iter().map(|p| p.id.as_str()).collect();
                override_errors.push(format!(
                    "--set {}: không có tham số `{}`; {}",
                    o.name,
                    o.name,
                    hint(&o.name, "tham số", names.iter().copied())
                ));
            }
        }
    }
    let award_ids: HashMap<String, AwardId> = file
        .awards
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.name.clone(), i))
        .collect();
    let mut edges: Vec<Vec<(AwardId, ast::Ident)>> = vec![Vec::new(); file.awards.len()];
    for (i, a) in file.awards.iter().enumerate() {
        let award = r.award_def(a, &mut plan, &award_ids, &mut edges[i]);
        plan.awards.push(award);
    }
    r.check_cycles(&file.awards, &edges);
    mark_ballot_columns(&mut plan);
    r.derived_columns(file, &mut plan, &award_ids);
    for rate in &file.rates {
        if let Some(def) = r.rate_def(rate, &mut plan, &award_ids) {
            plan.rates.push(def);
        }
    }
    for t in &file.targets {
        if let Some(def) = r.target_def(t, &mut plan) {
            plan.targets.push(def);
        }
    }
    for ex in &file.examples {
        r.check_example(ex, &plan);
    }
    describe_aggregates(&mut plan);
    (plan, override_errors)
}

/// Names each aggregate by what its rows hold, in labels: once every award
/// is known (a filter may read one declared later).
fn describe_aggregates(plan: &mut Plan) {
    for i in 0..plan.aggregates.len() {
        let def = &plan.aggregates[i];
        if def.values_of.is_some() || matches!(def.filter, Cond::Const(true)) {
            continue;
        }
        let label = &plan.tables[def.source].label;
        let text = format!(
            "«{label}» có {}",
            super::describe::cond(plan, def.source, &def.filter)
        );
        plan.aggregates[i].text = text;
    }
}

struct Resolver<'e> {
    errors: &'e mut Vec<Diagnostic>,
    /// The rule files, to quote an expression in a report.
    texts: &'e SourceMap,
    sources: HashMap<String, String>,
}

/// Where an expression is resolved: its table and what it may name.
struct Scope<'p> {
    table: TableId,
    plan: &'p mut Plan,
    awards: &'p HashMap<String, AwardId>,
    meets: Option<&'p mut Vec<(AwardId, Ident)>>,
}

impl Resolver<'_> {
    fn err(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }

    fn cite(&mut self, c: &ast::Cite) -> Citation {
        let title = match self.sources.get(&c.source.name) {
            Some(t) => t.clone(),
            None => {
                let names: Vec<String> = self.sources.keys().cloned().collect();
                let help = hint(&c.source.name, "nguồn", names.iter().map(|s| s.as_str()));
                self.err(
                    Diagnostic::error(
                        "E-unknown-source",
                        c.source.span,
                        format!("không có nguồn `{}`", c.source.name),
                    )
                    .label("nguồn chưa khai báo")
                    .help(format!(
                        "{help}; khai báo bằng `source {} = \"Tên văn bản\"`",
                        c.source.name
                    )),
                );
                String::new()
            }
        };
        Citation {
            source: c.source.name.clone(),
            title,
            location: c.location.value.clone(),
        }
    }

    fn enum_def(&mut self, e: &ast::EnumDecl) -> EnumDef {
        self.errors.extend(super::columns::value_collisions(e));
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

    fn type_named(&mut self, ty: &Ident, enums: &[EnumDef]) -> Option<Type> {
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

    fn table_def(&mut self, t: &ast::TableDecl, enums: &[EnumDef]) -> TableDef {
        self.errors.extend(super::columns::column_collisions(t));
        self.errors.extend(super::columns::absent_on_key(t));
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
    fn derived_columns(
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
    fn links(&mut self, file: &ast::File, plan: &mut Plan) {
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

    /// `count(S where C [after Y])`, `years(S where C [after Y])`,
    /// `streak(S where C)`, `last(S where C)`
    /// read from a row of the scope's table: S must link to it, and what
    /// counts years needs the tables' `year` columns.
    fn aggregate(
        &mut self,
        kind: AggKind,
        source: &Ident,
        [filter, after, now]: [Option<&Expr>; 3],
        e: &Expr,
        s: &mut Scope,
    ) -> Option<(Operand, Type)> {
        let target = s.table;
        let ids: Vec<&str> = s.plan.tables.iter().map(|t| t.id.as_str()).collect();
        let Some(src) = s.plan.table(&source.name) else {
            self.err(
                Diagnostic::error(
                    "E-unknown-table",
                    source.span,
                    format!("không có bảng `{}`", source.name),
                )
                .label("bảng chưa khai báo")
                .help(hint(&source.name, "bảng", ids.iter().copied())),
            );
            return None;
        };
        let target_id = s.plan.tables[target].id.clone();
        let Some(link) = s.plan.tables[src]
            .columns
            .iter()
            .position(|c| c.link == Some(target))
        else {
            self.err(
                Diagnostic::error(
                    "E-link",
                    source.span,
                    format!(
                        "bảng `{}` không có cột nào tham chiếu `{target_id}`",
                        source.name
                    ),
                )
                .label("không có liên kết")
                .help(format!(
                    "khai báo trong bảng `{}` một cột như `ma text ref {target_id} \"Mã\"`",
                    source.name
                )),
            );
            return None;
        };
        if let (Some(a), false) = (after, matches!(kind, AggKind::Count | AggKind::Years)) {
            self.err(
                Diagnostic::error(
                    "E-type",
                    a.span,
                    "`after` chỉ dùng với `count(…)` và `years(…)`",
                )
                .label("không dùng được ở đây"),
            );
            return None;
        }
        if let (Some(n), false) = (now, matches!(kind, AggKind::Streak | AggKind::Years)) {
            self.err(
                Diagnostic::error(
                    "E-type",
                    n.span,
                    "`now` chỉ dùng với `streak(…)` và `years(…)`",
                )
                .label("không dùng được ở đây"),
            );
            return None;
        }
        let dated: &[TableId] = match (kind, after) {
            (AggKind::Count, None) => &[],
            (AggKind::Last, _) => &[src],
            _ => &[src, target],
        };
        for &t in dated {
            if s.plan.tables[t].year.is_none() {
                let id = s.plan.tables[t].id.clone();
                self.err(
                    Diagnostic::error(
                        "E-link",
                        e.span,
                        format!("cần bảng `{id}` khai báo cột năm (`year COT`)"),
                    )
                    .label("thiếu cột năm")
                    .help(format!("viết `table {id} \"…\" … year nam {{ … }}`")),
                );
                return None;
            }
        }
        // Link and year columns are required of a list only when the other
        // table is given too (checked when the lists are read).
        // The target's year column, read in `after` (`after nam_xet - …`),
        // is required of a list only when the source list is given too,
        // like for any dated aggregate: reading it here needs nothing more.
        let year_col = s.plan.tables[target].year;
        let year_needed = year_col.map(|y| s.plan.tables[target].columns[y].needed);
        let after = match after {
            Some(a) => {
                let read = self.operand(a, Some(Type::Int), s);
                if let (Some(y), Some(was)) = (year_col, year_needed) {
                    s.plan.tables[target].columns[y].needed = was;
                }
                let (o, ty) = read?;
                if ty != Type::Int {
                    self.err(
                        Diagnostic::error("E-type", a.span, "sau `after` cần một năm (số nguyên)")
                            .label("không phải năm"),
                    );
                    return None;
                }
                Some(o)
            }
            None => None,
        };
        // Read on this row, like `after`; its `meets` join this scope's
        // edges, so a standard cannot reach itself through it.
        let now_text = now.map_or(String::new(), |n| self.texts.slice(n.span).to_string());
        let now = match now {
            Some(n) => Some(self.cond(n, s)?),
            None => None,
        };
        let cond = match filter {
            Some(f) => {
                let mut inner = Scope {
                    table: src,
                    plan: &mut *s.plan,
                    awards: s.awards,
                    meets: None,
                };
                self.cond(f, &mut inner)?
            }
            None => Cond::Const(true),
        };
        let label = s.plan.tables[src].label.clone();
        let text = match filter {
            Some(f) => format!("«{label}» có {}", self.texts.slice(f.span)),
            None => format!("«{label}»"),
        };
        s.plan.aggregates.push(AggregateDef {
            kind,
            source: src,
            link,
            target,
            filter: cond,
            after,
            now,
            now_text,
            values_of: None,
            text,
        });
        Some((Operand::Aggregate(s.plan.aggregates.len() - 1), Type::Int))
    }

    /// The period of the header: real dates, and not ending before it
    /// starts.
    fn header_dates(&mut self, file: &ast::File) {
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

    fn param_def(&mut self, p: &ast::ParamDecl, enums: &[EnumDef]) -> ParamDef {
        let ty = self.type_named(&p.ty, enums).unwrap_or(Type::Text);
        let value = self
            .literal_value(&p.value, ty, enums)
            .unwrap_or(Value::Int(0));
        if !within_implied_range(&value, ty) {
            self.err(
                Diagnostic::error(
                    "E-range",
                    p.value.span,
                    format!("tham số `{}` ngoài khoảng cho phép", p.id.name),
                )
                .label(format!("cần {}", implied_range(ty))),
            );
        }
        let cite = p.cite.as_ref().map(|c| self.cite(c));
        ParamDef {
            id: p.id.name.clone(),
            ty,
            value,
            cite,
            overridden: false,
        }
    }

    /// A literal as a value of `ty`, or a type error.
    fn literal_value(&mut self, l: &ast::Literal, ty: Type, enums: &[EnumDef]) -> Option<Value> {
        let v = match (&l.kind, ty) {
            (LiteralKind::Int(i), Type::Int) => Some(Value::Int(*i)),
            (LiteralKind::Int(i), Type::Decimal) => Some(Value::Decimal(Decimal::from(*i))),
            (LiteralKind::Decimal(d), Type::Decimal) => Some(Value::Decimal(*d)),
            (LiteralKind::Percent(d), Type::Percent) => Some(Value::Decimal(*d)),
            (LiteralKind::Bool(b), Type::Bool) => Some(Value::Bool(*b)),
            (LiteralKind::Text(s), Type::Text) => Some(Value::Text(s.as_str().into())),
            (LiteralKind::Rounding(m), Type::Rounding) => Some(Value::Rounding(*m)),
            (LiteralKind::Date(d), Type::Date) => date_days(d).map(Value::Date),
            (LiteralKind::Name(n) | LiteralKind::Text(n), Type::Enum(e)) => {
                enum_code(&enums[e], n).map(Value::Enum)
            }
            _ => None,
        };
        if v.is_none() {
            self.err(
                Diagnostic::error(
                    "E-type",
                    l.span,
                    format!("giá trị này không thuộc kiểu {}", type_name(ty, enums)),
                )
                .label("sai kiểu"),
            );
        }
        v
    }

    fn award_def(
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

    fn check_cycles(&mut self, awards: &[ast::AwardDecl], edges: &[Vec<(AwardId, Ident)>]) {
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

    fn rate_def(
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
    fn target_def(&mut self, t: &ast::TargetDecl, plan: &mut Plan) -> Option<TargetDef> {
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

    fn param_of(&mut self, p: &Ident, ty: Type, plan: &Plan) -> Option<Value> {
        match plan.params.iter().find(|x| x.id == p.name) {
            Some(def) if def.ty == ty => Some(def.value.clone()),
            Some(def) => {
                self.err(
                    Diagnostic::error(
                        "E-type",
                        p.span,
                        format!(
                            "tham số `{}` có kiểu {}, ở đây cần {}",
                            p.name,
                            type_name(def.ty, &plan.enums),
                            type_name(ty, &plan.enums)
                        ),
                    )
                    .label("sai kiểu"),
                );
                None
            }
            None => {
                let names: Vec<&str> = plan.params.iter().map(|x| x.id.as_str()).collect();
                self.err(
                    Diagnostic::error(
                        "E-unknown-name",
                        p.span,
                        format!("không có tham số `{}`", p.name),
                    )
                    .label("tham số chưa khai báo")
                    .help(hint(&p.name, "tham số", names.iter().copied())),
                );
                None
            }
        }
    }

    fn column_ref(&mut self, c: &Ident, table: TableId, plan: &Plan) -> Option<ColIdx> {
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

    fn check_example(&mut self, ex: &ast::ExampleDecl, plan: &Plan) {
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

    // ------------------------------------------------------------ expressions

    fn cond(&mut self, e: &Expr, s: &mut Scope) -> Option<Cond> {
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

    fn operand(
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

/// Marks the columns ballot criteria read (see [`ColumnDef::ballot`]).
fn mark_ballot_columns(plan: &mut Plan) {
    let mut marks: Vec<(TableId, ColIdx)> = Vec::new();
    for a in &plan.awards {
        for c in a.criteria.iter().filter(|c| c.ballot) {
            cond_columns(&c.cond, &mut |col| marks.push((a.table, col)));
        }
    }
    for (t, c) in marks {
        if let Some(col) = plan.tables[t].columns.get_mut(c) {
            col.ballot = true;
        }
    }
}

/// Gives `each` the row's columns a condition reads directly.
fn cond_columns(c: &Cond, each: &mut dyn FnMut(ColIdx)) {
    fn operand(o: &Operand, each: &mut dyn FnMut(ColIdx)) {
        match o {
            Operand::Column(c) | Operand::MonthsFrom(c) => each(*c),
            Operand::Add(a, b) | Operand::Sub(a, b) | Operand::ShareOf(a, b) => {
                operand(a, each);
                operand(b, each);
            }
            Operand::Const(_) | Operand::Aggregate(_) => {}
        }
    }
    match c {
        Cond::Column(col) | Cond::IsNone { column: col, .. } => each(*col),
        Cond::Unique(col) | Cond::InLinked { column: col, .. } => each(*col),
        Cond::Not(x) => cond_columns(x, each),
        Cond::And(a, b) | Cond::Or(a, b) | Cond::Implies(a, b) => {
            cond_columns(a, each);
            cond_columns(b, each);
        }
        Cond::Compare { lhs, rhs, .. } => {
            operand(lhs, each);
            operand(rhs, each);
        }
        Cond::In { operand: o, .. } => operand(o, each),
        Cond::AnyOf(branches) => branches.iter().for_each(|(b, _)| cond_columns(b, each)),
        Cond::Const(_) | Cond::Meets(_) | Cond::Proposed(_) => {}
    }
}

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

pub fn enum_code(e: &EnumDef, code: &str) -> Option<u16> {
    e.values
        .iter()
        .position(|v| v.code == code)
        .map(|i| i as u16)
}

/// The type as people read it.
pub fn type_name(t: Type, enums: &[EnumDef]) -> String {
    match t {
        Type::Text => "văn bản (text)".into(),
        Type::Int => "số nguyên (int)".into(),
        Type::Decimal => "số thập phân (decimal)".into(),
        Type::Percent => "phần trăm (percent)".into(),
        Type::Bool => "đúng/sai (bool)".into(),
        Type::Date => "ngày (date)".into(),
        Type::Rounding => "cách làm tròn (rounding)".into(),
        Type::Enum(e) => format!("enum `{}`", enums.get(e).map_or("?", |x| x.id.as_str())),
    }
}

/// Days since 1970-01-01 of an ISO date, if it is a real date.
pub fn date_days(iso: &str) -> Option<i32> {
    match crate::data::parse_cell(iso, Type::Date, &[]) {
        Ok(crate::data::Cell::Date(d)) => Some(d),
        _ => None,
    }
}

/// What every parameter of a type must hold: a share is between 0 % and
/// 100 %, a count, a number of months or a year is not negative.
fn within_implied_range(v: &Value, ty: Type) -> bool {
    match (ty, v) {
        (Type::Percent, Value::Decimal(d)) => *d >= Decimal::ZERO && *d <= Decimal::ONE_HUNDRED,
        (Type::Int, Value::Int(i)) => *i >= 0,
        (Type::Decimal, Value::Decimal(d)) => *d >= Decimal::ZERO,
        _ => true,
    }
}

fn implied_range(ty: Type) -> &'static str {
    match ty {
        Type::Percent => "từ 0% đến 100%",
        _ => "một số không âm",
    }
}

/// Parses a `--set` value as a parameter of type `ty`.
fn value_from_text(text: &str, ty: Type, enums: &[EnumDef]) -> Result<Value, String> {
    use crate::data::{Cell, parse_cell};
    let text = text.trim();
    let v = match ty {
        Type::Rounding => RoundingMode::parse(text).map(Value::Rounding),
        Type::Text => Some(Value::Text(text.into())),
        _ => match parse_cell(text, ty, enums) {
            Ok(Cell::Int(i)) => Some(Value::Int(i)),
            Ok(Cell::Decimal(d)) => Some(Value::Decimal(d)),
            Ok(Cell::Bool(b)) => Some(Value::Bool(b)),
            Ok(Cell::Date(d)) => Some(Value::Date(d)),
            Ok(Cell::Enum(e)) => Some(Value::Enum(e)),
            _ => None,
        },
    };
    v.ok_or_else(|| match ty {
        Type::Rounding => "`down`, `up`, `half-up` hoặc `exact`".to_string(),
        other => type_name(other, enums),
    })
}
