//! Numbers and dates as Vietnamese readers write them.

use crate::semantic::model::Value;
use rust_decimal::Decimal;

/// `4.95` → "4,95"; `3.00` → "3".
pub fn decimal(d: Decimal) -> String {
    let mut s = String::new();
    write_decimal(&mut s, d);
    s
}

/// Appends `d` as [`decimal`] writes it.
pub fn write_decimal(out: &mut String, d: Decimal) {
    use std::fmt::Write as _;
    let start = out.len();
    let _ = write!(out, "{}", d.normalize());
    if let Some(dot) = out.get(start..).and_then(|t| t.find('.')) {
        out.replace_range(start + dot..start + dot + 1, ",");
    }
}

/// Days since 1970-01-01 → "dd/mm/yyyy".
pub fn date(days: i32) -> String {
    let (y, m, d) = super::calendar::civil(days);
    format!("{d:02}/{m:02}/{y}")
}

pub fn value(v: &Value) -> String {
    match v {
        Value::Int(i) => i.to_string(),
        Value::Decimal(d) => decimal(*d),
        Value::Bool(b) => (if *b { "Có" } else { "Không" }).to_string(),
        Value::Date(d) => date(*d),
        Value::Enum(e) => format!("#{e}"),
        Value::Text(t) => format!("«{t}»"),
        Value::Rounding(m) => m.keyword().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn vietnamese_decimals() {
        assert_eq!(decimal(dec!(4.95)), "4,95");
        assert_eq!(decimal(dec!(3.00)), "3");
    }

    #[test]
    fn dates_from_days() {
        assert_eq!(date(0), "01/01/1970");
        assert_eq!(date(19_723), "01/01/2024");
        assert_eq!(date(19_782), "29/02/2024");
    }
}
