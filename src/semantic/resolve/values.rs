//! Values: literals and parameters of a type, `--set` values, and the
//! names of types as people read them.

use super::Resolver;
use crate::diagnostic::Diagnostic;
use crate::semantic::model::*;
use crate::semantic::suggest::hint;
use crate::syntax::ast::{self, Ident, LiteralKind, RoundingMode};
use rust_decimal::Decimal;

impl Resolver<'_> {
    pub(super) fn param_def(&mut self, p: &ast::ParamDecl, enums: &[EnumDef]) -> ParamDef {
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
    pub(super) fn literal_value(
        &mut self,
        l: &ast::Literal,
        ty: Type,
        enums: &[EnumDef],
    ) -> Option<Value> {
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

    pub(super) fn param_of(&mut self, p: &Ident, ty: Type, plan: &Plan) -> Option<Value> {
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
pub(super) fn within_implied_range(v: &Value, ty: Type) -> bool {
    match (ty, v) {
        (Type::Percent, Value::Decimal(d)) => *d >= Decimal::ZERO && *d <= Decimal::ONE_HUNDRED,
        (Type::Int, Value::Int(i)) => *i >= 0,
        (Type::Decimal, Value::Decimal(d)) => *d >= Decimal::ZERO,
        _ => true,
    }
}

pub(super) fn implied_range(ty: Type) -> &'static str {
    match ty {
        Type::Percent => "từ 0% đến 100%",
        _ => "một số không âm",
    }
}

/// Parses a `--set` value as a parameter of type `ty`.
pub(super) fn value_from_text(text: &str, ty: Type, enums: &[EnumDef]) -> Result<Value, String> {
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
