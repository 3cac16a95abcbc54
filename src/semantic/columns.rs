//! Checks on the names a list may use: a column's id, header and aliases,
//! and an enum value's code, label and aliases. Lists are matched on the
//! folded form (NFC, case, spacing), so two names that fold alike would
//! leave a list's header or cell ambiguous.

use crate::data::text::fold;
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::syntax::ast;
use std::collections::HashMap;

/// One name a list may write for a column or a value.
struct Name<'a> {
    /// Index of the column or value that owns it.
    owner: usize,
    text: &'a str,
    span: Span,
    what: &'static str,
    /// The code or column id: a repeated one is reported by the resolver.
    id: bool,
}

/// The names of one owner: its id (`id_what`), its label (`label_what`)
/// and its aliases.
fn names_of<'a>(
    owner: usize,
    (id, id_what): (&'a ast::Ident, &'static str),
    (label, label_what): (&'a ast::Str, &'static str),
    aliases: &'a [ast::Str],
) -> impl Iterator<Item = Name<'a>> {
    let id = Name {
        owner,
        text: &id.name,
        span: id.span,
        what: id_what,
        id: true,
    };
    let label = Name {
        owner,
        text: &label.value,
        span: label.span,
        what: label_what,
        id: false,
    };
    let aliases = aliases.iter().map(move |a| Name {
        owner,
        text: &a.value,
        span: a.span,
        what: "bí danh",
        id: false,
    });
    [id, label].into_iter().chain(aliases)
}

/// Columns of one table whose id, header or aliases fold alike.
pub(super) fn column_collisions(t: &ast::TableDecl) -> Vec<Diagnostic> {
    let names = t
        .columns
        .iter()
        .enumerate()
        .flat_map(|(i, c)| names_of(i, (&c.id, "mã cột"), (&c.header, "tiêu đề"), &c.aliases));
    collisions(names, |i| t.columns[i].id.name.as_str(), "cột", &t.id.name)
}

/// Values of one enum whose code, label or aliases fold alike.
pub(super) fn value_collisions(e: &ast::EnumDecl) -> Vec<Diagnostic> {
    let names = e
        .values
        .iter()
        .enumerate()
        .flat_map(|(i, v)| names_of(i, (&v.code, "mã"), (&v.label, "nhãn"), &v.aliases));
    collisions(
        names,
        |i| e.values[i].code.name.as_str(),
        "giá trị",
        &e.id.name,
    )
}

/// One error per name that folds like an earlier one: of another owner (the
/// list could not tell them apart) or of the same owner (written twice).
fn collisions<'a>(
    names: impl Iterator<Item = Name<'a>>,
    owner_id: impl Fn(usize) -> &'a str,
    kind: &str,
    scope: &str,
) -> Vec<Diagnostic> {
    let mut seen: HashMap<String, Name<'a>> = HashMap::new();
    let mut out = Vec::new();
    for n in names {
        let key = fold(n.text);
        let Some(first) = seen.get(&key) else {
            seen.insert(key, n);
            continue;
        };
        if first.id && n.id && first.text == n.text {
            continue;
        }
        let d = if first.owner == n.owner {
            // `A = "A"`, `x int "X"`: a code may read as its own label.
            if n.what != "bí danh" {
                continue;
            }
            Diagnostic::error(
                "E-duplicate",
                n.span,
                format!(
                    "{} «{}» của {kind} `{}` lặp lại {} «{}» của chính nó",
                    n.what,
                    n.text,
                    owner_id(n.owner),
                    first.what,
                    first.text
                ),
            )
            .label("viết lại")
            .help("so khớp không phân biệt hoa thường, khoảng trắng và dạng Unicode; bỏ tên lặp")
        } else {
            Diagnostic::error(
                "E-name-collision",
                n.span,
                format!(
                    "{} «{}» của {kind} `{}` trùng với {} «{}» của {kind} `{}` trong `{scope}`",
                    n.what,
                    n.text,
                    owner_id(n.owner),
                    first.what,
                    first.text,
                    owner_id(first.owner)
                ),
            )
            .label("trùng tên")
            .help(format!(
                "so khớp không phân biệt hoa thường, khoảng trắng và dạng Unicode, nên danh sách \
                 không biết tên này chỉ `{}` hay `{}`; đổi hoặc bỏ một trong hai",
                owner_id(first.owner),
                owner_id(n.owner)
            ))
        };
        out.push(d);
    }
    out
}

/// `absent` on the key column: every row would share one assumed key.
pub(super) fn absent_on_key(t: &ast::TableDecl) -> Option<Diagnostic> {
    let key = t.key.as_ref()?;
    let c = t.columns.iter().find(|c| c.id.name == key.name)?;
    let absent = c.absent.as_ref()?;
    Some(
        Diagnostic::error(
            "E-absent-key",
            absent.span,
            format!(
                "cột khóa `{}` của bảng `{}` không được khai báo `absent`",
                c.id.name, t.id.name
            ),
        )
        .label("khóa không thể giả định")
        .help("khóa phân biệt từng dòng, nên không thể coi mọi dòng cùng một giá trị; bỏ `absent`"),
    )
}
