//! Merging the parsed files of a rule set. Files of one layer (a directory
//! or the files named together) share one namespace; a layer that `extends`
//! another overrides its declarations by id.

use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::syntax::ast::{self, Ident};

/// A parsed file and the layer it belongs to (0 = the deepest base).
pub struct LayeredFile {
    pub layer: usize,
    pub file: FileId,
    pub ast: ast::File,
}

/// Merges layers in order. Within a layer a repeated id is an error; a
/// later layer replaces params, enums, tables' columns, rates and sources,
/// and adds to (or replaces named) criteria of an award.
pub fn merge(
    files: Vec<LayeredFile>,
    errors: &mut Vec<Diagnostic>,
    notes: &mut Vec<Diagnostic>,
) -> ast::File {
    let mut out = ast::File::default();
    let mut layer_of = Layers::default();
    // Examples belong to the rules they were written for: those of a base
    // would not hold under an overlay that changes it.
    let top = files.iter().map(|f| f.layer).max().unwrap_or(0);
    for LayeredFile { layer, ast, .. } in files {
        if out.header.is_none() || (layer > 0 && ast.header.is_some()) {
            out.header = ast.header.or(out.header.take());
        }
        for s in ast.sources {
            upsert(
                &mut out.sources,
                s,
                |s| &s.id,
                layer,
                &mut layer_of.sources,
                errors,
            );
        }
        for e in ast.enums {
            upsert(
                &mut out.enums,
                e,
                |e| &e.id,
                layer,
                &mut layer_of.enums,
                errors,
            );
        }
        for t in ast.tables {
            merge_table(&mut out.tables, t, layer, &mut layer_of.tables, errors);
        }
        for p in ast.params {
            upsert(
                &mut out.params,
                p,
                |p| &p.id,
                layer,
                &mut layer_of.params,
                errors,
            );
        }
        for a in ast.awards {
            merge_award(
                &mut out.awards,
                a,
                layer,
                &mut layer_of.awards,
                errors,
                notes,
            );
        }
        for r in ast.rates {
            upsert(
                &mut out.rates,
                r,
                |r| &r.id,
                layer,
                &mut layer_of.rates,
                errors,
            );
        }
        for t in ast.targets {
            upsert(
                &mut out.targets,
                t,
                |t| &t.table,
                layer,
                &mut layer_of.targets,
                errors,
            );
        }
        for r in ast.removals {
            remove(&mut out, &mut layer_of, &r, layer, notes);
        }
        if layer == top {
            out.examples.extend(ast.examples);
        }
        out.extends.extend(ast.extends);
    }
    out
}

#[derive(Default)]
struct Layers {
    sources: Vec<usize>,
    enums: Vec<usize>,
    tables: Vec<usize>,
    params: Vec<usize>,
    awards: Vec<usize>,
    rates: Vec<usize>,
    targets: Vec<usize>,
}

fn duplicate(id: &Ident, _first: &Ident) -> Diagnostic {
    Diagnostic::error("E-duplicate", id.span, format!("`{}` được khai báo hai lần", id.name))
        .label("khai báo lại")
        .help("mỗi tên chỉ khai báo một lần trong một bộ quy tắc; muốn thay quy định của bộ gốc, đặt khai báo mới trong một tệp dùng `extends`")
}

/// `remove award X` / `remove rate X`: drops a declaration of a lower layer.
fn remove(
    out: &mut ast::File,
    layers: &mut Layers,
    r: &ast::Removal,
    layer: usize,
    notes: &mut Vec<Diagnostic>,
) {
    let found = if r.rate {
        out.rates.iter().position(|x| x.id.name == r.id.name)
    } else {
        out.awards.iter().position(|x| x.id.name == r.id.name)
    };
    let (kind, list) = if r.rate {
        ("tỷ lệ", &mut layers.rates)
    } else {
        ("danh hiệu", &mut layers.awards)
    };
    match found {
        Some(i) if list[i] < layer => {
            list.remove(i);
            if r.rate {
                out.rates.remove(i);
            } else {
                out.awards.remove(i);
            }
        }
        _ => notes.push(
            Diagnostic::warning(
                "L-override-missing",
                r.id.span,
                format!("bộ gốc không có {kind} `{}` để bỏ", r.id.name),
            )
            .label("tên không có trong bộ gốc")
            .help("không có gì bị bỏ; kiểm tra lại tên trong bộ gốc"),
        ),
    }
}

/// `replace x` or `remove x` where the base award has no criterion `x`.
fn override_missing(award: &Ident, name: &Ident, verb: &str) -> Diagnostic {
    Diagnostic::warning(
        "L-override-missing",
        name.span,
        format!(
            "bộ gốc không có tiêu chí `{}` trong `{}` để {verb}",
            name.name, award.name
        ),
    )
    .label("tên không có trong bộ gốc")
    .help(if verb == "thay" {
        "tiêu chí này được thêm mới; kiểm tra lại tên (xem `tdkt lint` bộ gốc), hoặc viết `require` nếu muốn thêm"
    } else {
        "không có gì bị bỏ; kiểm tra lại tên tiêu chí của bộ gốc"
    })
}

/// `require x` in an overlay whose base already has `x`: it replaces it.
fn implicit_replace(award: &Ident, name: &Ident) -> Diagnostic {
    Diagnostic::warning(
        "L-implicit-replace",
        name.span,
        format!(
            "tiêu chí `{}` của `{}` thay tiêu chí cùng tên của bộ gốc",
            name.name, award.name
        ),
    )
    .label("trùng tên với bộ gốc")
    .help("viết `replace` thay cho `require` để nói rõ là thay; muốn thêm tiêu chí mới thì đặt tên khác")
}

fn upsert<T>(
    items: &mut Vec<T>,
    item: T,
    id: impl Fn(&T) -> &Ident,
    layer: usize,
    layers: &mut Vec<usize>,
    errors: &mut Vec<Diagnostic>,
) {
    match items.iter().position(|x| id(x).name == id(&item).name) {
        Some(i) if layers[i] == layer => errors.push(duplicate(id(&item), id(&items[i]))),
        Some(i) => {
            items[i] = item;
            layers[i] = layer;
        }
        None => {
            items.push(item);
            layers.push(layer);
        }
    }
}

fn merge_table(
    tables: &mut Vec<ast::TableDecl>,
    table: ast::TableDecl,
    layer: usize,
    layers: &mut Vec<usize>,
    errors: &mut Vec<Diagnostic>,
) {
    let Some(i) = tables.iter().position(|t| t.id.name == table.id.name) else {
        tables.push(table);
        layers.push(layer);
        return;
    };
    if layers[i] == layer {
        errors.push(duplicate(&table.id, &tables[i].id));
        return;
    }
    let base = &mut tables[i];
    base.label = table.label;
    base.key = table.key;
    for c in table.columns {
        match base.columns.iter_mut().find(|b| b.id.name == c.id.name) {
            Some(b) => *b = c,
            None => base.columns.push(c),
        }
    }
    layers[i] = layer;
}

fn merge_award(
    awards: &mut Vec<ast::AwardDecl>,
    award: ast::AwardDecl,
    layer: usize,
    layers: &mut Vec<usize>,
    errors: &mut Vec<Diagnostic>,
    notes: &mut Vec<Diagnostic>,
) {
    let Some(i) = awards.iter().position(|a| a.id.name == award.id.name) else {
        for r in &award.removals {
            notes.push(override_missing(&award.id, r, "bỏ"));
        }
        for c in award.criteria.iter().filter(|c| c.replace) {
            if let Some(n) = &c.name {
                notes.push(override_missing(&award.id, n, "thay"));
            }
        }
        if award.table.is_none() || award.selection.is_none() {
            errors.push(
                Diagnostic::error(
                    "E-award-incomplete",
                    award.id.span,
                    format!("danh hiệu `{}` chưa có trong bộ gốc", award.id.name),
                )
                .label("thiếu `for BẢNG where ĐIỀU_KIỆN`")
                .help("chỉ được bỏ nhãn, `for` và `where` khi sửa một danh hiệu của bộ gốc (`extends`); danh hiệu mới cần đủ: `award MA \"Tên\" for bang where de_nghi = MA { … }`"),
            );
        }
        awards.push(award);
        layers.push(layer);
        return;
    };
    if layers[i] == layer {
        errors.push(duplicate(&award.id, &awards[i].id));
        return;
    }
    let base = &mut awards[i];
    if award.label.is_some() {
        base.label = award.label;
    }
    if award.table.is_some() {
        base.table = award.table;
    }
    if award.selection.is_some() {
        base.selection = award.selection;
    }
    // Removals first, so that `remove x` then `require x: …` restates it.
    for r in &award.removals {
        let before = base.criteria.len();
        base.criteria
            .retain(|b| b.name.as_ref().is_none_or(|n| n.name != r.name));
        if base.criteria.len() == before {
            notes.push(override_missing(&award.id, r, "bỏ"));
        }
    }
    for c in award.criteria {
        let same = |b: &ast::Criterion| matches!((&b.name, &c.name), (Some(x), Some(y)) if x.name == y.name);
        match base.criteria.iter_mut().find(|b| same(b)) {
            Some(b) => {
                if !c.replace
                    && let Some(n) = &c.name
                {
                    notes.push(implicit_replace(&award.id, n));
                }
                *b = c;
            }
            None => {
                if c.replace
                    && let Some(n) = &c.name
                {
                    notes.push(override_missing(&award.id, n, "thay"));
                }
                base.criteria.push(c);
            }
        }
    }
    layers[i] = layer;
}
