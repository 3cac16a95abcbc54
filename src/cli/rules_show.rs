//! `tdkt rules show [--rules PATH]… [--format text|json] [--set P=V]…`
//!
//! Prints the effective rule set after its layers are merged: every table,
//! column, parameter, award, criterion and rate, each marked with the file
//! it comes from (the base, or an overlay that adds or replaces it).

use super::check::load_rules;
use super::{Exit, emit};
use crate::eval::format;
use crate::semantic::model::{Citation, Plan, Type, Value};
use crate::semantic::{RuleSet, date_days};
use crate::source::{FileId, Span};
use crate::syntax::{self, ast};
use clap::{Args, Subcommand};
use serde::Serialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Output formats of `rules show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ShowFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub command: RulesCommand,
}

#[derive(Debug, Clone, Subcommand)]
pub enum RulesCommand {
    /// In bộ quy tắc có hiệu lực, ghi rõ mỗi khai báo đến từ bộ gốc hay lớp mở rộng nào
    Show(ShowArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ShowArgs {
    /// Tệp hoặc thư mục quy tắc (.tdkt); mặc định: bộ quy tắc Luật 2022 kèm theo
    #[arg(long = "rules", value_name = "ĐƯỜNG_DẪN")]
    pub rules: Vec<PathBuf>,
    /// Định dạng kết quả
    #[arg(long, value_enum, default_value = "text", value_name = "ĐỊNH_DẠNG")]
    pub format: ShowFormat,
    /// Đổi một tham số, ví dụ `--set ty_le_cstdcs=20%`
    #[arg(long = "set", value_name = "THAM_SỐ=GIÁ_TRỊ")]
    pub set: Vec<String>,
}

pub fn rules(args: &RulesArgs, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> Exit {
    let RulesCommand::Show(args) = &args.command;
    let rules = match load_rules(&args.rules, &args.set) {
        Ok(r) => r.into_rule_set(),
        Err(msg) => {
            let _ = writeln!(err, "{msg}");
            return Exit::Error;
        }
    };
    let shown = build(&rules);
    let text = match args.format {
        ShowFormat::Text => render_text(&shown),
        ShowFormat::Json => serde_json::to_string_pretty(&shown).unwrap_or_default() + "\n",
    };
    if emit(out, &text) {
        Exit::Pass
    } else {
        Exit::Error
    }
}

/// Where a declaration comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Origin {
    /// `base` or `overlay`.
    pub layer: Layer,
    pub file: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    Base,
    Overlay,
}

#[derive(Debug, Serialize)]
pub struct Shown {
    pub name: String,
    /// ISO date, as written.
    pub effective: Option<String>,
    /// ISO date, as written: the last day the rule set applies.
    pub until: Option<String>,
    pub files: Vec<Origin>,
    pub tables: Vec<TableView>,
    pub params: Vec<ParamView>,
    pub awards: Vec<AwardView>,
    pub rates: Vec<RateView>,
    /// Registered targets set against the list (informational).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<TargetView>,
    /// Awards, rates and criteria of a base that an overlay drops.
    pub removed: Vec<RemovedView>,
}

#[derive(Debug, Serialize)]
pub struct TargetView {
    /// The table of targets.
    pub table: String,
    /// The table of candidates.
    pub candidates: String,
    /// The unit column both hold.
    pub group: String,
    pub cite: Option<String>,
    pub origin: Origin,
}

#[derive(Debug, Serialize)]
pub struct TableView {
    pub id: String,
    pub label: String,
    pub key: Option<String>,
    pub year: Option<String>,
    pub origin: Origin,
    pub columns: Vec<ColumnView>,
}

#[derive(Debug, Serialize)]
pub struct ColumnView {
    pub id: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub optional: bool,
    pub header: String,
    /// Other headers councils write for the column.
    pub aliases: Vec<String>,
    pub link: Option<String>,
    pub range: Option<[String; 2]>,
    pub default: Option<String>,
    /// What every row holds when a list lacks the column (as written).
    pub absent: Option<String>,
    pub derived: Option<String>,
    pub origin: Origin,
}

#[derive(Debug, Serialize)]
pub struct ParamView {
    pub id: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub value: String,
    /// Set with `--set`; `written` keeps the rule file's value.
    pub overridden: bool,
    pub written: String,
    pub cite: Option<String>,
    pub origin: Origin,
}

#[derive(Debug, Serialize)]
pub struct AwardView {
    pub id: String,
    pub label: String,
    pub table: String,
    pub selection: String,
    pub origin: Origin,
    /// Overlay files that change the award (label, selection or criteria).
    pub amended_in: Vec<String>,
    pub criteria: Vec<CriterionView>,
}

#[derive(Debug, Serialize)]
pub struct CriterionView {
    pub id: String,
    pub condition: String,
    pub message: String,
    pub cite: Option<String>,
    /// Stands in for the base's criterion of the same name.
    pub replace: bool,
    /// Decided by the council's ballot (`require ballot`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ballot: bool,
    pub origin: Origin,
}

#[derive(Debug, Serialize)]
pub struct RateView {
    pub id: String,
    pub label: String,
    pub table: String,
    pub group: String,
    pub formula: String,
    /// The percentage in force, e.g. "15%".
    pub share: String,
    /// `down`, `up`, `half-up` or `exact`.
    pub rounding: String,
    /// The parameter that names the rounding, if any.
    pub rounding_param: Option<String>,
    /// The rule file names no rounding: `down` by default.
    pub rounding_default: bool,
    pub cite: Option<String>,
    pub origin: Origin,
}

#[derive(Debug, Serialize)]
pub struct RemovedView {
    /// `award`, `rate` or `criterion`.
    pub kind: &'static str,
    pub id: String,
    /// The award of a removed criterion.
    pub award: Option<String>,
    pub origin: Origin,
}

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
    let params = ast
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
            }
        })
        .collect();
    let awards = ast
        .awards
        .iter()
        .map(|a| award_view(rules, &layers, a))
        .collect();
    let rates = ast
        .rates
        .iter()
        .map(|r| rate_view(rules, &layers, r))
        .collect();
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
            let cite = def
                .and_then(|d| d.criteria.iter().find(|x| x.id == id))
                .and_then(|x| cite_text(&x.cite));
            CriterionView {
                id,
                condition: written(rules, c.expr.span),
                message: c.message.value.clone(),
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
        label: r.label.value.clone(),
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

fn origin_text(o: &Origin) -> String {
    match o.layer {
        Layer::Base => format!("[gốc: {}]", o.file),
        Layer::Overlay => format!("[lớp: {}]", o.file),
    }
}

/// Writes `text` (possibly several lines) after `lead`, later lines
/// indented to `indent`.
fn block(s: &mut String, lead: &str, text: &str, indent: &str) {
    let mut lines = text.lines();
    let _ = writeln!(s, "{lead}{}", lines.next().unwrap_or(""));
    for l in lines {
        let _ = writeln!(s, "{indent}{l}");
    }
}

pub fn render_text(v: &Shown) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Bộ quy tắc: {}", v.name);
    if let Some(e) = &v.effective {
        let shown = date_days(e).map_or_else(|| e.clone(), format::date);
        let _ = writeln!(s, "Hiệu lực từ: {shown}");
    }
    if let Some(u) = &v.until {
        let shown = date_days(u).map_or_else(|| u.clone(), format::date);
        let _ = writeln!(s, "Hiệu lực đến hết: {shown}");
    }
    let _ = writeln!(s, "\nTệp quy tắc (theo thứ tự lớp, bộ gốc trước):");
    for f in &v.files {
        let tag = match f.layer {
            Layer::Base => "gốc",
            Layer::Overlay => "lớp",
        };
        let _ = writeln!(s, "  [{tag}] {}", f.file);
    }

    let _ = writeln!(s, "\nBảng ({}):", v.tables.len());
    for t in &v.tables {
        let mut head = format!("  {} «{}»", t.id, t.label);
        if let Some(k) = &t.key {
            let _ = write!(head, ", khóa {k}");
        }
        if let Some(y) = &t.year {
            let _ = write!(head, ", năm {y}");
        }
        let _ = writeln!(s, "{head} {}", origin_text(&t.origin));
        for c in &t.columns {
            let mut line = format!("    {} {}{}", c.id, c.ty, if c.optional { "?" } else { "" });
            if let Some(l) = &c.link {
                let _ = write!(line, " ref {l}");
            }
            if let Some([lo, hi]) = &c.range {
                let _ = write!(line, " in {lo}..{hi}");
            }
            let _ = write!(line, " «{}»", c.header);
            if !c.aliases.is_empty() {
                let names: Vec<String> = c.aliases.iter().map(|a| format!("«{a}»")).collect();
                let _ = write!(line, " (hoặc {})", names.join(", "));
            }
            if let Some(d) = &c.default {
                let _ = write!(line, ", mặc định {d}");
            }
            if let Some(a) = &c.absent {
                let _ = write!(line, ", thiếu cột thì coi là {a}");
            }
            if let Some(d) = &c.derived {
                let _ = write!(line, ", = {}", d.replace('\n', " "));
            }
            if c.origin != t.origin {
                let _ = write!(line, " {}", origin_text(&c.origin));
            }
            let _ = writeln!(s, "{line}");
        }
    }

    let _ = writeln!(s, "\nTham số ({}):", v.params.len());
    for p in &v.params {
        let mut line = format!("  {}: {} = {}", p.id, p.ty, p.value);
        if p.overridden {
            let _ = write!(line, " (--set; trong tệp: {})", p.written);
        }
        if let Some(c) = &p.cite {
            let _ = write!(line, " — {c}");
        }
        let _ = writeln!(s, "{line} {}", origin_text(&p.origin));
    }

    let _ = writeln!(s, "\nDanh hiệu ({}):", v.awards.len());
    for a in &v.awards {
        let _ = writeln!(s, "\n  {} «{}» {}", a.id, a.label, origin_text(&a.origin));
        for f in &a.amended_in {
            let _ = writeln!(s, "    sửa đổi ở lớp: {f}");
        }
        let _ = writeln!(s, "    bảng: {}", a.table);
        block(&mut s, "    xét khi: ", &a.selection, "      ");
        for c in &a.criteria {
            block(
                &mut s,
                &format!("    • {}: ", c.id),
                &c.condition,
                "        ",
            );
            let _ = writeln!(s, "        «{}»", c.message);
            if c.ballot {
                let _ = writeln!(
                    s,
                    "        do Hội đồng bỏ phiếu: chưa ghi số phiếu thì chờ bỏ phiếu"
                );
            }
            match &c.cite {
                Some(cite) => {
                    let _ = writeln!(s, "        căn cứ: {cite}");
                }
                None => {
                    let _ = writeln!(s, "        căn cứ: quy tắc chưa dẫn căn cứ");
                }
            }
            let replaced = if c.replace {
                " (thay tiêu chí gốc)"
            } else {
                ""
            };
            let _ = writeln!(s, "        {}{replaced}", origin_text(&c.origin));
        }
    }

    let _ = writeln!(s, "\nTỷ lệ ({}):", v.rates.len());
    for r in &v.rates {
        let _ = writeln!(s, "\n  {} «{}» {}", r.id, r.label, origin_text(&r.origin));
        let _ = writeln!(s, "    bảng: {}, theo nhóm: {}", r.table, r.group);
        block(&mut s, "    công thức: ", &r.formula, "      ");
        if !r.formula.contains(&format!(" {} of ", r.share)) {
            let _ = writeln!(s, "    tỷ lệ áp dụng: {}", r.share);
        }
        let how = match r.rounding.as_str() {
            "down" => "làm tròn xuống",
            "up" => "làm tròn lên",
            "half-up" => "làm tròn nửa lên",
            _ => "không làm tròn",
        };
        let mut line = format!("    làm tròn: {} ({how})", r.rounding);
        if let Some(p) = &r.rounding_param {
            let _ = write!(line, ", theo tham số {p}");
        } else if r.rounding_default {
            line.push_str(", mặc định");
        }
        let _ = writeln!(s, "{line}");
        let _ = writeln!(
            s,
            "    căn cứ: {}",
            r.cite.as_deref().unwrap_or("quy tắc chưa dẫn căn cứ")
        );
    }

    if !v.targets.is_empty() {
        let _ = writeln!(
            s,
            "\nChỉ tiêu đăng ký thi đua ({}, để tham khảo, không phải tiêu chí xét):",
            v.targets.len()
        );
        for t in &v.targets {
            let _ = writeln!(
                s,
                "\n  bảng chỉ tiêu: {} {}",
                t.table,
                origin_text(&t.origin)
            );
            let _ = writeln!(
                s,
                "    đối chiếu với: {}, theo đơn vị: {}",
                t.candidates, t.group
            );
            let _ = writeln!(
                s,
                "    căn cứ: {}",
                t.cite.as_deref().unwrap_or("quy tắc chưa dẫn căn cứ")
            );
        }
    }

    if !v.removed.is_empty() {
        let _ = writeln!(s, "\nĐã bỏ khỏi bộ gốc ({}):", v.removed.len());
        for r in &v.removed {
            let what = match (r.kind, &r.award) {
                ("rate", _) => format!("tỷ lệ {}", r.id),
                ("criterion", Some(a)) => format!("tiêu chí {} của {a}", r.id),
                _ => format!("danh hiệu {}", r.id),
            };
            let _ = writeln!(s, "  {what} {}", origin_text(&r.origin));
        }
    }
    s
}
