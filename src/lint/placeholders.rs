//! Messages and titles that state a parameter's number instead of naming
//! it (`{ty_le_cstdcs}`), and `{placeholders}` that name no parameter.
//! A stated number goes stale when `--set` or an overlay changes the
//! parameter: the report would say 15 % while checking 10 %.

use crate::diagnostic::Diagnostic;
use crate::semantic::RuleSet;
use crate::semantic::model::{Type, Value};
use crate::syntax::ast::{Expr, ExprKind, Share, Str};
use rust_decimal::Decimal;
use std::str::FromStr;

pub fn run(rules: &RuleSet, out: &mut Vec<Diagnostic>) {
    let file = &rules.ast;
    let params: Vec<(&str, Type, &Value)> = rules
        .plan
        .params
        .iter()
        .map(|p| (p.id.as_str(), p.ty, &p.value))
        .collect();
    for a in &file.awards {
        for c in &a.criteria {
            let read = names(&[&c.expr]);
            check(&c.message, &read, &params, out);
            crate::lint::domain::visit_all(&c.expr, &mut |x| {
                if let ExprKind::AnyOf(branches) = &x.kind {
                    for b in branches {
                        check(&b.label, &names(&[&b.expr]), &params, out);
                    }
                }
            });
        }
    }
    for r in &file.rates {
        let mut read = names(&[&r.numerator, &r.denominator]);
        if let Share::Param(p) = &r.share {
            read.push(&p.name);
        }
        check(&r.label, &read, &params, out);
    }
}

/// The names the expressions read (parameters among them).
fn names<'e>(exprs: &[&'e Expr]) -> Vec<&'e str> {
    let mut found = Vec::new();
    for e in exprs {
        crate::lint::domain::visit_all(e, &mut |x| {
            if let ExprKind::Name(id) = &x.kind {
                found.push(id.name.as_str());
            }
        });
    }
    found
}

/// `read`: the names the text's own criterion or rate reads; a parameter
/// among them is the one suggested.
fn check(s: &Str, read: &[&str], params: &[(&str, Type, &Value)], out: &mut Vec<Diagnostic>) {
    for name in placeholders(&s.value) {
        if !params.iter().any(|(id, ..)| *id == name) {
            out.push(
                Diagnostic::warning(
                    "L-unknown-placeholder",
                    s.span,
                    format!("`{{{name}}}` không phải tham số của bộ quy tắc"),
                )
                .label("báo cáo sẽ in nguyên văn `{…}`")
                .help("viết đúng tên một tham số (`param …`), hoặc bỏ dấu ngoặc nhọn"),
            );
        }
    }
    for (number, stated) in numbers(&s.value) {
        let holding = |p: &&(&str, Type, &Value)| holds(p.1, p.2, number, stated);
        let Some((id, ..)) = params
            .iter()
            .filter(|p| read.contains(&p.0))
            .find(holding)
            .or_else(|| params.iter().find(holding))
        else {
            continue;
        };
        out.push(
            Diagnostic::warning(
                "L-stated-param",
                s.span,
                format!("nội dung ghi số {number}{stated} mà tham số `{id}` đang giữ"),
            )
            .label("không theo tham số khi đổi bằng `--set` hay bộ mở rộng")
            .help(format!("viết `{{{id}}}` thay cho con số")),
        );
    }
}

/// Whether a parameter of type `ty` holding `v` is the number `n` written
/// with `unit` ("%" or "").
fn holds(ty: Type, v: &Value, n: Decimal, unit: &str) -> bool {
    match (ty, v, unit) {
        (Type::Percent, Value::Decimal(d), "%") => *d == n,
        // A bare number is a parameter's only when it counts something
        // ("6 tháng", "03 lần"): a decimal or a percent there is not.
        (Type::Int, Value::Int(i), "") => Decimal::from(*i) == n,
        _ => false,
    }
}

/// The names inside `{…}`.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            found.push(name);
        }
        rest = &after[close + 1..];
    }
    found
}

/// The numbers a text states, each with "%" when a percent sign follows
/// (spaces allowed between). Digits glued to letters, or part of a code
/// like "06/2022", are not numbers a parameter holds.
fn numbers(text: &str) -> Vec<(Decimal, &'static str)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b',' || bytes[i] == b'.')
        {
            i += 1;
        }
        let mut end = i;
        while end > start && !bytes[end - 1].is_ascii_digit() {
            end -= 1;
        }
        let before = text[..start].chars().next_back();
        let after_ch = text[end..].chars().next();
        let glued = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || "/-_{".contains(c));
        if glued(before) || glued(after_ch.filter(|c| *c != ',' && *c != '.')) {
            continue;
        }
        let Ok(n) = Decimal::from_str(&text[start..end].replace(',', ".")) else {
            continue;
        };
        let percent = text[end..].trim_start().starts_with('%');
        found.push((n.normalize(), if percent { "%" } else { "" }));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn numbers_with_and_without_percent() {
        assert_eq!(
            numbers("không quá 15% số cá nhân, dưới 06 tháng, 12,5 % và số 06/2022/QH15"),
            vec![(dec!(15), "%"), (dec!(6), ""), (dec!(12.5), "%")]
        );
        assert!(numbers("{ty_le_cstdcs} Điều6").is_empty());
    }

    #[test]
    fn placeholders_are_names_in_braces() {
        assert_eq!(placeholders("dưới {thang} tháng, {x y} {}"), vec!["thang"]);
    }

    #[test]
    fn a_percent_is_not_an_integer_parameter() {
        assert!(holds(
            Type::Percent,
            &Value::Decimal(dec!(15)),
            dec!(15),
            "%"
        ));
        assert!(!holds(
            Type::Percent,
            &Value::Decimal(dec!(15)),
            dec!(15),
            ""
        ));
        assert!(holds(Type::Int, &Value::Int(6), dec!(6), ""));
        assert!(!holds(Type::Int, &Value::Int(6), dec!(6), "%"));
    }
}
