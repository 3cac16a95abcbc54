//! The lints themselves, over the merged syntax tree of a loaded rule set
//! (for spans) and its plan (for types, ranges and parameter values).

use super::domain::{Assignment, Env, Fixed, same, visit, visit_all};
use crate::diagnostic::Diagnostic;
use crate::semantic::RuleSet;
use crate::semantic::model::Type;
use crate::source::Span;
use crate::syntax::ast::{self, BinOp, CmpOp, Expr, ExprKind, Rounding, Share};
use std::collections::{BTreeMap, HashSet};

pub fn run(rules: &RuleSet) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    missing_cites(&rules.ast, &mut out);
    unused(&rules.ast, &mut out);
    rounding_unstated(&rules.ast, &mut out);
    for award in &rules.ast.awards {
        if award.criteria.is_empty() {
            out.push(
                Diagnostic::warning(
                    "L-empty-award",
                    award.id.span,
                    format!("`{}` không có tiêu chí nào", award.id.name),
                )
                .label("mọi đề nghị danh hiệu này đều đạt")
                .help("thêm ít nhất một `require …`; nếu chưa có quy định, bỏ danh hiệu này đi"),
            );
        }
        duplicates(&rules.ast, award, &mut out);
        if let Some(env) = env(rules, award) {
            reachability(&env, award, &mut out);
            constant_comparisons(&env, award, &mut out);
        }
    }
    unhandled_proposals(rules, &mut out);
    missing_honesty_tags(rules, &mut out);
    out
}

/// Criteria whose comments carry no honesty tag (see [`super::honesty`]).
fn missing_honesty_tags(rules: &RuleSet, out: &mut Vec<Diagnostic>) {
    for a in &rules.ast.awards {
        for c in &a.criteria {
            if super::honesty::criterion_tag(rules, c).is_none() {
                let name = c.name.as_ref().map_or_else(
                    || format!("tiêu chí của `{}`", a.id.name),
                    |n| format!("tiêu chí `{}.{}`", a.id.name, n.name),
                );
                out.push(
                    Diagnostic::note(
                        "L-missing-honesty-tag",
                        c.span,
                        format!("{name} không có nhãn trạng thái căn cứ"),
                    )
                    .label("không thấy [V], [V2] hay [M] trong chú thích ngay trên")
                    .help("ghi nhãn ở dòng chú thích cuối ngay trên tiêu chí: [V] đã thấy, [V2] nguồn yếu, [M] chưa kiểm chứng"),
                );
            }
        }
    }
}

fn env<'r>(rules: &'r RuleSet, award: &ast::AwardDecl) -> Option<Env<'r>> {
    let plan = &rules.plan;
    let table = &plan.tables[plan.table(&award.table.as_ref()?.name)?];
    Some(Env { plan, table })
}

fn missing_cites(file: &ast::File, out: &mut Vec<Diagnostic>) {
    let warn = |span: Span, what: String| {
        Diagnostic::warning("L-missing-cite", span, format!("{what} không dẫn căn cứ"))
            .label("thiếu `cite`")
            .help("thêm `cite NGUỒN \"Điều … khoản …\"` để kết quả kiểm tra chỉ ra được điều luật")
    };
    for p in file.params.iter().filter(|p| p.cite.is_none()) {
        out.push(warn(p.id.span, format!("tham số `{}`", p.id.name)));
    }
    for a in &file.awards {
        for c in a.criteria.iter().filter(|c| c.cite.is_none()) {
            let name = c.name.as_ref().map_or_else(
                || format!("tiêu chí của `{}`", a.id.name),
                |n| format!("tiêu chí `{}`", n.name),
            );
            out.push(warn(c.expr.span, name));
        }
    }
    for r in file.rates.iter().filter(|r| r.cite.is_none()) {
        out.push(warn(r.id.span, format!("tỷ lệ `{}`", r.id.name)));
    }
}

/// Every expression of the rule set, with the award it belongs to.
fn expressions(file: &ast::File) -> Vec<&Expr> {
    let mut all: Vec<&Expr> = Vec::new();
    for a in &file.awards {
        all.extend(a.selection.as_ref());
        all.extend(a.criteria.iter().map(|c| &c.expr));
    }
    for r in &file.rates {
        all.push(&r.numerator);
        all.push(&r.denominator);
    }
    all
}

fn unused(file: &ast::File, out: &mut Vec<Diagnostic>) {
    let mut names: HashSet<&str> = HashSet::new();
    for e in expressions(file) {
        visit_all(e, &mut |x| {
            if let ExprKind::Name(id) = &x.kind {
                names.insert(id.name.as_str());
            }
        });
    }
    for r in &file.rates {
        if let Share::Param(p) = &r.share {
            names.insert(&p.name);
        }
        if let Some(Rounding::Param(p)) = &r.rounding {
            names.insert(&p.name);
        }
    }
    for p in file
        .params
        .iter()
        .filter(|p| !names.contains(p.id.name.as_str()))
    {
        out.push(
            Diagnostic::warning(
                "L-unused-param",
                p.id.span,
                format!("tham số `{}` không được dùng ở đâu", p.id.name),
            )
            .label("không tiêu chí, tỷ lệ nào đọc tham số này")
            .help("dùng nó trong một tiêu chí hoặc tỷ lệ, hoặc bỏ đi; nếu định thay tham số của bộ gốc, kiểm tra lại tên"),
        );
    }
    let cited: HashSet<&str> = file
        .params
        .iter()
        .filter_map(|p| p.cite.as_ref())
        .chain(
            file.awards
                .iter()
                .flat_map(|a| a.criteria.iter().filter_map(|c| c.cite.as_ref())),
        )
        .chain(file.rates.iter().filter_map(|r| r.cite.as_ref()))
        .map(|c| c.source.name.as_str())
        .collect();
    for s in file
        .sources
        .iter()
        .filter(|s| !cited.contains(s.id.name.as_str()))
    {
        out.push(
            Diagnostic::note(
                "L-unused-source",
                s.id.span,
                format!("nguồn `{}` không được dẫn ở đâu", s.id.name),
            )
            .label("chưa có `cite` nào dùng nguồn này"),
        );
    }
}

fn rounding_unstated(file: &ast::File, out: &mut Vec<Diagnostic>) {
    for r in file.rates.iter().filter(|r| r.rounding.is_none()) {
        out.push(
            Diagnostic::warning(
                "L-rounding-unstated",
                r.id.span,
                format!("tỷ lệ `{}` không ghi cách làm tròn", r.id.name),
            )
            .label("hiện làm tròn xuống")
            .help("ghi rõ `rounding down`, `up`, `half-up` hoặc `exact` (hoặc một tham số kiểu rounding): 15% của 33 là 4,95, làm tròn xuống 4 hay lên 5 đổi kết quả"),
        );
    }
}

/// A criterion written like another of the same award, or like one the
/// award already requires through `meets X`.
fn duplicates(file: &ast::File, award: &ast::AwardDecl, out: &mut Vec<Diagnostic>) {
    let mut seen: Vec<(&Expr, String)> = Vec::new();
    let mut visited = vec![award.id.name.as_str()];
    let mut queue: Vec<&str> = award
        .criteria
        .iter()
        .filter_map(|c| match &c.expr.kind {
            ExprKind::Meets(x) => Some(x.name.as_str()),
            _ => None,
        })
        .collect();
    while let Some(name) = queue.pop() {
        if visited.contains(&name) {
            continue;
        }
        visited.push(name);
        let Some(other) = file.awards.iter().find(|a| a.id.name == name) else {
            continue;
        };
        // A ballot is no part of the standard `meets` asks for.
        for c in other.criteria.iter().filter(|c| !c.ballot) {
            match &c.expr.kind {
                ExprKind::Meets(x) => queue.push(&x.name),
                _ => seen.push((&c.expr, format!("tiêu chuẩn `{name}` (qua `meets {name}`)"))),
            }
        }
    }
    for c in &award.criteria {
        if let Some((_, where_)) = seen.iter().find(|(e, _)| same(e, &c.expr)) {
            out.push(
                Diagnostic::warning(
                    "L-duplicate-criterion",
                    c.expr.span,
                    format!("tiêu chí này lặp lại một tiêu chí của {where_}"),
                )
                .label("điều kiện trùng")
                .help("bỏ tiêu chí lặp; nếu hai căn cứ cùng đòi một điều kiện, giữ một tiêu chí và ghi cả hai căn cứ trong thông điệp"),
            );
        } else {
            let name = c.name.as_ref().map_or_else(
                || format!("tiêu chí khác của `{}`", award.id.name),
                |n| format!("`{}.{}`", award.id.name, n.name),
            );
            seen.push((&c.expr, name));
        }
    }
}

/// Awards whose `where` is never true, and `any of` branches that are
/// never true on the rows an award selects.
fn reachability(env: &Env, award: &ast::AwardDecl, out: &mut Vec<Diagnostic>) {
    let Some(sel) = &award.selection else { return };
    let cases = env.assignments(&[sel]);
    if !cases.iter().any(|a| env.poss(sel, a).can_true) {
        out.push(
            Diagnostic::warning(
                "L-unreachable-award",
                sel.span,
                format!("không dòng nào được chọn xét `{}`", award.id.name),
            )
            .label("điều kiện này không bao giờ đúng")
            .help("thường là `where de_nghi = MA` với MA là giá trị của cột đề nghị; kiểm tra lại điều kiện"),
        );
        return;
    }
    for c in &award.criteria {
        let mut branches: Vec<&ast::Branch> = Vec::new();
        visit(&c.expr, &mut |x| {
            if let ExprKind::AnyOf(bs) = &x.kind {
                branches.extend(bs);
            }
        });
        for b in branches {
            // A constant comparison is reported as such, once.
            if constant(env, &b.expr).is_some() {
                continue;
            }
            let cases = env.assignments(&[sel, &b.expr]);
            let possible = cases
                .iter()
                .any(|a| env.poss(sel, a).can_true && env.poss(&b.expr, a).can_true);
            if !possible {
                out.push(
                    Diagnostic::warning(
                        "L-never-true-branch",
                        b.expr.span,
                        format!("nhánh «{}» không bao giờ đúng", b.label.value),
                    )
                    .label("không giá trị nào của cột làm nhánh này đúng")
                    .help(format!(
                        "với các dòng `{}` chọn xét và các giá trị đã khai báo của kiểu, nhánh này luôn sai; sửa điều kiện hoặc bỏ nhánh",
                        award.id.name
                    )),
                );
            }
        }
    }
}

/// `Some(true)` when a comparison always holds, `Some(false)` when it never
/// does, over the declared type and range of what it reads.
fn constant(env: &Env, e: &Expr) -> Option<bool> {
    let ExprKind::Binary(BinOp::Cmp(op), l, r) = &e.kind else {
        return None;
    };
    let p = env.compare(*op, l, r, &Assignment::new());
    match (p.can_true, p.can_false) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

fn constant_comparisons(env: &Env, award: &ast::AwardDecl, out: &mut Vec<Diagnostic>) {
    let mut exprs: Vec<&Expr> = award.criteria.iter().map(|c| &c.expr).collect();
    exprs.extend(award.selection.as_ref());
    for root in exprs {
        visit(root, &mut |x| {
            if let Some(always) = constant(env, x) {
                let op = match &x.kind {
                    ExprKind::Binary(BinOp::Cmp(op), ..) => *op,
                    _ => CmpOp::Eq,
                };
                let word = if always { "luôn đúng" } else { "luôn sai" };
                out.push(
                    Diagnostic::warning(
                        "L-constant-comparison",
                        x.span,
                        format!("so sánh `{}` này {word} với kiểu và khoảng giá trị đã khai báo", op.symbol()),
                    )
                    .label(word.to_string())
                    .help("xem khoảng `in THẤP..CAO` của cột hoặc thứ tự của danh mục; có thể đã viết nhầm ngưỡng hoặc dấu so sánh"),
                );
            }
        });
    }
}

/// Values of a proposal column (an enum column compared in some award's
/// `where`) that no award selects: rows proposed that way go unchecked.
fn unhandled_proposals(rules: &RuleSet, out: &mut Vec<Diagnostic>) {
    let plan = &rules.plan;
    // (table, column) -> awards whose `where` reads it.
    let mut columns: BTreeMap<(usize, usize), Vec<&ast::AwardDecl>> = BTreeMap::new();
    for award in &rules.ast.awards {
        let (Some(env), Some(sel)) = (env(rules, award), &award.selection) else {
            continue;
        };
        let t = plan
            .tables
            .iter()
            .position(|t| std::ptr::eq(t, env.table))
            .unwrap_or(0);
        let mut cols = BTreeMap::new();
        env.finite_columns(sel, &mut cols);
        for col in cols.keys() {
            if matches!(env.table.columns[*col].ty, Type::Enum(_)) {
                columns.entry((t, *col)).or_default().push(award);
            }
        }
    }
    for ((t, col), awards) in columns {
        let table = &plan.tables[t];
        let Type::Enum(en) = table.columns[col].ty else {
            continue;
        };
        let env = Env { plan, table };
        for (v, value) in plan.enums[en].values.iter().enumerate() {
            let handled = awards.iter().any(|a| {
                let Some(sel) = &a.selection else {
                    return false;
                };
                env.assignments(&[sel]).into_iter().any(|mut case| {
                    case.insert(col, Fixed::Enum(v));
                    env.poss(sel, &case).can_true
                })
            });
            if handled {
                continue;
            }
            let decl = rules
                .ast
                .enums
                .iter()
                .find(|e| e.id.name == plan.enums[en].id)
                .and_then(|e| e.values.iter().find(|x| x.code.name == value.code));
            if let Some(decl) = decl {
                out.push(
                    Diagnostic::note(
                        "L-unhandled-proposal",
                        decl.code.span,
                        format!(
                            "chưa có danh hiệu nào xét đề nghị «{}» (cột `{}`)",
                            value.label, table.columns[col].id
                        ),
                    )
                    .label("không `award … where` nào chọn giá trị này")
                    .help("các dòng đề nghị giá trị này không được kiểm tra tiêu chí nào; thêm `award` cho nó khi có quy định"),
                );
            }
        }
    }
}
