//! A workbook cell as the text a CSV of the sheet holds.

use std::borrow::Cow;

use calamine::Data;

/// The cell's text: strings as they are, numbers in plain decimal, dates as
/// `yyyy-mm-dd`, booleans `true`/`false`, error cells as Excel shows them
/// (`#N/A`), so that a typed column reports them as invalid.
pub(super) fn text(cell: &Data) -> Cow<'_, str> {
    match cell {
        Data::Empty => Cow::Borrowed(""),
        Data::String(s) => Cow::Borrowed(s),
        Data::Int(i) => Cow::Owned(i.to_string()),
        Data::Float(f) => Cow::Owned(number(*f)),
        Data::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        // The rule language has dates, not times: a time of day is dropped.
        Data::DateTime(d) if d.is_datetime() => {
            let (y, m, d, ..) = d.to_ymd_hms_milli();
            Cow::Owned(format!("{y:04}-{m:02}-{d:02}"))
        }
        Data::DateTime(d) => Cow::Owned(number(d.as_f64())),
        // .ods dates: `2025-12-10` or `2025-12-10T08:30:00`.
        Data::DateTimeIso(s) => Cow::Borrowed(s.split_once('T').map_or(s.as_str(), |(d, _)| d)),
        // .ods durations (`PT8H30M`) are kept as written.
        Data::DurationIso(s) => Cow::Borrowed(s),
        Data::Error(e) => Cow::Owned(e.to_string()),
    }
}

/// `x` in plain decimal, never with an exponent, rounded to the 15
/// significant digits Excel keeps, shows and compares: a formula's
/// `0.1+0.2` (stored as 0.30000000000000004) reads `0.3` as the sheet shows
/// it, `92.5` reads `92.5`, `3.0` reads `3`.
pub(super) fn number(x: f64) -> String {
    if !x.is_finite() {
        // Not a value a workbook stores; the reader reports it as invalid.
        return x.to_string();
    }
    let rounded: f64 = format!("{x:.14e}").parse().unwrap_or(x);
    if rounded == 0.0 {
        // Also turns -0 into 0.
        return "0".to_string();
    }
    // `Display` for f64 writes the shortest text that reads back as the
    // same number, without an exponent.
    rounded.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{CellErrorType, ExcelDateTime, ExcelDateTimeType};

    #[test]
    fn numbers_in_plain_shortest_decimal() {
        let cases = [
            (92.5, "92.5"),
            (3.0, "3"),
            (0.1 + 0.2, "0.3"),
            (1e-7, "0.0000001"),
            (1e21, "1000000000000000000000"),
            (-0.0, "0"),
            (-12.25, "-12.25"),
            (8.450000000000001, "8.45"),
            (123456789012345.0, "123456789012345"),
            (1.0 / 3.0, "0.333333333333333"),
        ];
        for (x, want) in cases {
            assert_eq!(number(x), want, "{x:?}");
        }
    }

    #[test]
    fn dates_durations_errors_bools() {
        let date = ExcelDateTime::new(46001.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(text(&Data::DateTime(date)), "2025-12-10");
        let with_time = ExcelDateTime::new(46001.75, ExcelDateTimeType::DateTime, false);
        assert_eq!(text(&Data::DateTime(with_time)), "2025-12-10");
        let epoch_1904 = ExcelDateTime::new(0.0, ExcelDateTimeType::DateTime, true);
        assert_eq!(text(&Data::DateTime(epoch_1904)), "1904-01-01");
        let duration = ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false);
        assert_eq!(text(&Data::DateTime(duration)), "1.5");
        assert_eq!(
            text(&Data::DateTimeIso("2025-12-10T08:30:00".into())),
            "2025-12-10"
        );
        assert_eq!(text(&Data::DateTimeIso("2025-12-10".into())), "2025-12-10");
        assert_eq!(text(&Data::Error(CellErrorType::NA)), "#N/A");
        assert_eq!(text(&Data::Error(CellErrorType::Div0)), "#DIV/0!");
        assert_eq!(text(&Data::Bool(true)), "true");
        assert_eq!(text(&Data::Bool(false)), "false");
        assert_eq!(text(&Data::Int(-4)), "-4");
        assert_eq!(text(&Data::Empty), "");
    }
}
