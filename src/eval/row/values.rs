//! Comparison and arithmetic on values read from a row.

use super::Val;
use crate::eval::tri::Tri;
use crate::semantic::model::Value;
use crate::syntax::ast::CmpOp;
use rust_decimal::Decimal;

pub fn constant(v: &Value) -> Val<'_> {
    match v {
        Value::Int(i) => Val::Int(*i),
        Value::Decimal(d) => Val::Decimal(*d),
        Value::Bool(b) => Val::Bool(*b),
        Value::Date(d) => Val::Date(*d),
        Value::Enum(e) => Val::Enum(*e),
        Value::Text(t) => Val::Text(t),
        Value::Rounding(_) => Val::Missing,
    }
}

pub(super) fn arith<'r>(a: Val<'r>, b: Val<'r>, minus: bool) -> Val<'r> {
    match (a, b) {
        (Val::Int(x), Val::Int(y)) => {
            let r = if minus {
                x.checked_sub(y)
            } else {
                x.checked_add(y)
            };
            r.map_or(Val::Missing, Val::Int)
        }
        (x, y) => match (as_decimal(x), as_decimal(y)) {
            (Some(x), Some(y)) => {
                let r = if minus {
                    x.checked_sub(y)
                } else {
                    x.checked_add(y)
                };
                r.map_or(Val::Missing, Val::Decimal)
            }
            _ => Val::Missing,
        },
    }
}

/// P % of X, exact: 70 % of 10 is 7, 50 % of 7 is 3.5 (no rounding).
pub(super) fn share_of<'r>(p: Val<'r>, x: Val<'r>) -> Val<'r> {
    match (as_decimal(p), as_decimal(x)) {
        (Some(p), Some(x)) => p
            .checked_mul(x)
            .and_then(|v| v.checked_div(Decimal::ONE_HUNDRED))
            .map_or(Val::Missing, |v| Val::Decimal(v.normalize())),
        _ => Val::Missing,
    }
}

pub(super) fn as_decimal(v: Val) -> Option<Decimal> {
    match v {
        Val::Int(i) => Some(Decimal::from(i)),
        Val::Decimal(d) => Some(d),
        _ => None,
    }
}

/// Compares two values. Missing data is unknown; "none" equals nothing and
/// is neither above nor below any value.
pub fn compare(op: CmpOp, a: Val, b: Val) -> Tri {
    if matches!(a, Val::Missing) || matches!(b, Val::Missing) {
        return Tri::Unknown;
    }
    if matches!(a, Val::None) || matches!(b, Val::None) {
        let both = matches!((a, b), (Val::None, Val::None));
        return Tri::from_bool(match op {
            CmpOp::Eq => both,
            CmpOp::Ne => !both,
            _ => false,
        });
    }
    let ord = match (a, b) {
        (Val::Int(x), Val::Int(y)) => Some(x.cmp(&y)),
        (Val::Enum(x), Val::Enum(y)) => Some(x.cmp(&y)),
        (Val::Date(x), Val::Date(y)) => Some(x.cmp(&y)),
        (Val::Bool(x), Val::Bool(y)) => Some(x.cmp(&y)),
        (Val::Text(x), Val::Text(y)) => Some(x.cmp(y)),
        (x, y) => match (as_decimal(x), as_decimal(y)) {
            (Some(x), Some(y)) => Some(x.cmp(&y)),
            _ => None,
        },
    };
    let Some(ord) = ord else { return Tri::Unknown };
    Tri::from_bool(op.holds(ord))
}
