//! The view of a loaded rule set: from its merged AST and plan to [`Shown`].

use super::*;
use crate::eval::format;
use crate::semantic::RuleSet;
use crate::semantic::model::{Citation, Plan, Type, Value};
use crate::source::{FileId, Span};
use crate::syntax::{self, ast};
use std::path::{Path, PathBuf};

/// Tells base files from overlay files.
struct Layers<'a> {
    rules: &'a RuleSet,
    base_dir: Option<PathBuf>,
    layered: bool,
}

impl<'a> Layers<'a> {
    fn new(rules: &'a RuleSet) -> Self {
        let base_dir = rules
            .files
            .first()
            .and_then(|f| Path::new(&f.path).parent().map(Path::to_path_buf));
        Layers {
            rules,
            base_dir,
            layered: !rules.ast.extends.is_empty(),
        }
    }

    fn path(&self, file: FileId) -> &str {
        &self.rules.sources.get(file).path
    }

    fn layer_of_path(&self, path: &str) -> Layer {
        let top = self
            .rules
            .top_files
            .iter()
            .any(|&f| self.rules.sources.get(f).path == path);
        let in_base_dir = Path::new(path).parent().map(Path::to_path_buf) == self.base_dir;
        if self.layered && (top || !in_base_dir) {
            Layer::Overlay
        } else {
            Layer::Base
        }
    }

    fn origin(&self, span: Span) -> Origin {
        let file = self.path(span.file).to_string();
        Origin {
            layer: self.layer_of_path(&file),
            file,
        }
    }
}

/// The text a span covers, with the indentation of its later lines
/// removed (as far as they all share it).
fn written(rules: &RuleSet, span: Span) -> String {
    let span = balanced(&rules.sources.get(span.file).text, span);
    let text = rules.sources.slice(span).trim();
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("");
    let rest: Vec<&str> = lines.collect();
    let indent = rest
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = first.to_string();
    for l in rest {
        out.push('\n');
        out.push_str(l.get(indent..).unwrap_or(l.trim_start()).trim_end());
    }
    out
}

/// Widens a span to the parentheses it opens or closes but leaves out (a
/// parenthesised operand is spanned without its parentheses).
fn balanced(text: &str, span: Span) -> Span {
    let (mut start, mut end) = (span.start as usize, span.end as usize);
    let (mut depth, mut lowest, mut in_string) = (0i32, 0i32, false);
    for ch in text[start..end].chars() {
        match ch {
            '"' => in_string = !in_string,
            '(' if !in_string => depth += 1,
            ')' if !in_string => {
                depth -= 1;
                lowest = lowest.min(depth);
            }
            _ => {}
        }
    }
    let bytes = text.as_bytes();
    for _ in 0..-lowest {
        let mut i = start;
        while i > 0 && bytes[i - 1].is_ascii_whitespace() {
            i -= 1;
        }
        if i == 0 || bytes[i - 1] != b'(' {
            break;
        }
        start = i - 1;
    }
    for _ in 0..(depth - lowest) {
        let mut i = end;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] != b')' {
            break;
        }
        end = i + 1;
    }
    Span {
        file: span.file,
        start: start as u32,
        end: end as u32,
    }
}

fn cite_text(c: &Option<Citation>) -> Option<String> {
    c.as_ref().map(Citation::text)
}

fn value_text(plan: &Plan, v: &Value, ty: Type) -> String {
    match (v, ty) {
        (Value::Enum(e), Type::Enum(en)) => plan.enums[en]
            .values
            .get(*e as usize)
            .map_or_else(|| format!("#{e}"), |x| x.code.clone()),
        (Value::Decimal(d), Type::Percent) => format!("{}%", format::decimal(*d)),
        _ => format::value(v),
    }
}

fn ascii_op(op: ast::CmpOp) -> &'static str {
    match op {
        ast::CmpOp::Eq => "=",
        ast::CmpOp::Ne => "!=",
        ast::CmpOp::Lt => "<",
        ast::CmpOp::Le => "<=",
        ast::CmpOp::Gt => ">",
        ast::CmpOp::Ge => ">=",
    }
}

/// The effective rule set, ready to print.
pub fn build(rules: &RuleSet) -> Shown {
    let layers = Layers::new(rules);
    let plan = &rules.plan;
    let ast = &rules.ast;
    let files = rules
        .files
        .iter()
        .map(|f| Origin {
            layer: layers.layer_of_path(&f.path),
            file: f.path.clone(),
        })
        .collect();
    let tables = ast
        .tables
        .iter()
        .map(|t| TableView {
            id: t.id.name.clone(),
            label: t.label.value.clone(),
            key: t.key.as_ref().map(|k| k.name.clone()),
            year: t.year.as_ref().map(|k| k.name.clone()),
            origin: layers.origin(t.id.span),
            columns: t
                .columns
                .iter()
                .map(|c| ColumnView {
                    id: c.id.name.clone(),
                    ty: c.ty.name.clone(),
                    optional: c.optional,
                    header: c.header.value.clone(),
                    aliases: c.aliases.iter().map(|a| a.value.clone()).collect(),
                    link: c.link.as_ref().map(|l| l.name.clone()),
                    range: c
                        .range
                        .as_ref()
                        .map(|(lo, hi)| [written(rules, lo.span), written(rules, hi.span)]),
                    default: c.default.as_ref().map(|d| written(rules, d.span)),
                    absent: c.absent.as_ref().map(|d| written(rules, d.span)),
                    derived: c.derived.as_ref().map(|d| written(rules, d.span)),
                    origin: layers.origin(c.id.span),
                })
                .collect(),
        })
        .collect();
    let mut params: Vec<ParamView> = ast
        .params
        .iter()
        .map(|p| {
            let def = plan.params.iter().find(|d| d.id == p.id.name);
            let written_value = written(rules, p.value.span);
            ParamView {
                id: p.id.name.clone(),
                ty: p.ty.name.clone(),
                value: def.map_or_else(
                    || written_value.clone(),
                    |d| value_text(plan, &d.value, d.ty),
                ),
                overridden: def.is_some_and(|d| d.overridden),
                written: written_value,
                cite: def.and_then(|d| cite_text(&d.cite)),
                origin: layers.origin(p.id.span),
                used_by: Vec::new(),
            }
        })
        .collect();
    let awards: Vec<AwardView> = ast
        .awards
        .iter()
        .map(|a| award_view(rules, &layers, a))
        .collect();
    let rates: Vec<RateView> = ast
        .rates
        .iter()
        .map(|r| rate_view(rules, &layers, r))
        .collect();
    for p in &mut params {
        p.used_by = used_by(&p.id, &awards, &rates);
    }
    let targets = ast
        .targets
        .iter()
        .map(|t| TargetView {
            table: t.table.name.clone(),
            candidates: t.candidates.name.clone(),
            group: t.group.name.clone(),
            cite: plan
                .targets
                .iter()
                .find(|d| plan.tables[d.table].id == t.table.name)
                .and_then(|d| cite_text(&d.cite)),
            origin: layers.origin(t.span),
        })
        .collect();
    Shown {
        name: plan.name.clone(),
        effective: plan.effective.clone(),
        until: plan.until.clone(),
        files,
        tables,
        params,
        awards,
        rates,
        targets,
        removed: removed(rules, &layers),
    }
}

/// The rates and criteria whose written text names `param`.
fn used_by(param: &str, awards: &[AwardView], rates: &[RateView]) -> Vec<String> {
    let names = |text: &str| {
        text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|w| w == param)
    };
    let mut out: Vec<String> = rates
        .iter()
        .filter(|r| names(&r.formula) || r.rounding_param.as_deref() == Some(param))
        .map(|r| r.label.clone())
        .collect();
    for a in awards {
        for c in a.criteria.iter().filter(|c| names(&c.condition)) {
            out.push(format!("{}: {}", a.label, c.message));
        }
    }
    out.dedup();
    out
}

fn award_view(rules: &RuleSet, layers: &Layers, a: &ast::AwardDecl) -> AwardView {
    let plan = &rules.plan;
    let def = plan.awards.iter().find(|d| d.id == a.id.name);
    let origin = layers.origin(a.id.span);
    let criteria: Vec<CriterionView> = a
        .criteria
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let id = c
                .name
                .as_ref()
                .map_or_else(|| (i + 1).to_string(), |n| n.name.clone());
            let resolved = def.and_then(|d| d.criteria.iter().find(|x| x.id == id));
            let cite = resolved.and_then(|x| cite_text(&x.cite));
            CriterionView {
                id,
                condition: written(rules, c.expr.span),
                // As reports print it: `{param}` filled with the value in force.
                message: resolved.map_or_else(|| c.message.value.clone(), |x| x.message.clone()),
                cite,
                replace: replaces(rules, c),
                ballot: c.ballot,
                origin: layers.origin(c.span),
            }
        })
        .collect();
    let mut spans: Vec<Span> = Vec::new();
    spans.extend(a.label.as_ref().map(|l| l.span));
    spans.extend(a.table.as_ref().map(|t| t.span));
    spans.extend(a.selection.as_ref().map(|s| s.span));
    spans.extend(a.criteria.iter().map(|c| c.span));
    let mut amended_in: Vec<String> = Vec::new();
    for s in spans {
        let path = layers.path(s.file);
        if path != origin.file && !amended_in.iter().any(|p| p == path) {
            amended_in.push(path.to_string());
        }
    }
    AwardView {
        id: a.id.name.clone(),
        label: def.map_or_else(|| a.id.name.clone(), |d| d.label.clone()),
        table: def
            .and_then(|d| plan.tables.get(d.table))
            .map_or_else(String::new, |t| t.id.clone()),
        selection: a
            .selection
            .as_ref()
            .map_or_else(String::new, |s| written(rules, s.span)),
        origin,
        amended_in,
        criteria,
    }
}

/// The criterion stands in for one of the base: written `replace` (and the
/// base has it), or written `require` under a name the base uses.
fn replaces(rules: &RuleSet, c: &ast::Criterion) -> bool {
    let Some(name) = &c.name else { return false };
    let noted = |code: &str| {
        rules
            .notes
            .iter()
            .any(|d| d.code == code && d.span == name.span)
    };
    if c.replace {
        !noted("L-override-missing")
    } else {
        noted("L-implicit-replace")
    }
}

fn rate_view(rules: &RuleSet, layers: &Layers, r: &ast::RateDecl) -> RateView {
    let plan = &rules.plan;
    let def = plan.rates.iter().find(|d| d.id == r.id.name);
    let share = match &r.share {
        ast::Share::Literal(l) => written(rules, l.span),
        ast::Share::Param(p) => p.name.clone(),
    };
    let formula = format!(
        "count({}) {} {} of count({})",
        written(rules, r.numerator.span),
        ascii_op(r.op),
        share,
        written(rules, r.denominator.span),
    );
    RateView {
        id: r.id.name.clone(),
        label: def.map_or_else(|| r.label.value.clone(), |d| d.label.clone()),
        table: def
            .and_then(|d| plan.tables.get(d.table))
            .map_or_else(String::new, |t| t.id.clone()),
        group: r.group.name.clone(),
        formula,
        share: def.map_or(share, |d| format!("{}%", format::decimal(d.share))),
        rounding: def.map_or("down", |d| d.rounding.keyword()).to_string(),
        rounding_param: def.and_then(|d| d.rounding_param.clone()),
        rounding_default: def.is_some_and(|d| !d.rounding_stated),
        cite: def.and_then(|d| cite_text(&d.cite)),
        origin: layers.origin(r.id.span),
    }
}

/// Removals written in overlay files that took effect.
fn removed(rules: &RuleSet, layers: &Layers) -> Vec<RemovedView> {
    let ast = &rules.ast;
    let mut out = Vec::new();
    for f in &rules.files {
        if layers.layer_of_path(&f.path) != Layer::Overlay {
            continue;
        }
        let Some(id) = (0..rules.sources.files().len())
            .map(|i| FileId(i as u32))
            .find(|&i| rules.sources.get(i).path == f.path)
        else {
            continue;
        };
        let Ok(file) = syntax::parse(id, &rules.sources.get(id).text) else {
            continue;
        };
        for r in &file.removals {
            let present = if r.rate {
                ast.rates.iter().any(|x| x.id.name == r.id.name)
            } else {
                ast.awards.iter().any(|x| x.id.name == r.id.name)
            };
            if !present {
                out.push(RemovedView {
                    kind: if r.rate { "rate" } else { "award" },
                    id: r.id.name.clone(),
                    award: None,
                    origin: layers.origin(r.span),
                });
            }
        }
        for a in &file.awards {
            let Some(merged) = ast.awards.iter().find(|x| x.id.name == a.id.name) else {
                continue;
            };
            for n in &a.removals {
                let present = merged
                    .criteria
                    .iter()
                    .any(|c| c.name.as_ref().is_some_and(|x| x.name == n.name));
                if !present {
                    out.push(RemovedView {
                        kind: "criterion",
                        id: n.name.clone(),
                        award: Some(a.id.name.clone()),
                        origin: layers.origin(n.span),
                    });
                }
            }
        }
    }
    out
}
