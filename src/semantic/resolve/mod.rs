//! Name resolution and type checking: merged AST to [`Plan`].
//!
//! One `impl Resolver` per part of the language, each in its own file.

mod aggregate;
mod awards;
mod expr;
mod tables;
mod values;

use super::model::*;
use super::suggest::hint;
use crate::diagnostic::Diagnostic;
use crate::eval::format::decimal;
use crate::source::SourceMap;
use crate::syntax::ast::{self, Ident, LiteralKind};
use std::collections::HashMap;
pub use values::{date_days, type_name};
use values::{implied_range, value_from_text, within_implied_range};

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
