//! Calendar arithmetic on the days-since-1970 dates cells hold.

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian, after
/// H. Hinnant's `civil_from_days`.
pub fn civil(days: i32) -> (i64, u32, u32) {
    let z = i64::from(days) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    // `m` is 1..=12 and `d` 1..=31 by construction.
    (y, m as u32, d as u32)
}

/// The whole months from the date `days` to the end of `year` (31
/// December): 12 when the date is before the year, 0 when after it. A part
/// month does not count: from 01/07 there are 6 months, from 02/07 five
/// (five whole months and 30 days).
pub fn months_from(days: i32, year: i64) -> i64 {
    let (y, m, d) = civil(days);
    // Whole months from the 1st of the date's month to 1 January of the
    // next year, less the month begun on a later day.
    // Saturating: a year cell may hold any integer.
    let to_next_year = year
        .saturating_add(1)
        .saturating_sub(y)
        .saturating_mul(12)
        .saturating_sub(i64::from(m) - 1);
    let whole = to_next_year.saturating_sub(i64::from(d > 1));
    whole.clamp(0, 12)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Days since 1970 of a date, through the list reader's own parser.
    fn day(text: &str) -> i32 {
        match crate::data::parse_cell(text, crate::semantic::model::Type::Date, &[]) {
            Ok(crate::data::Cell::Date(d)) => d,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(19_782), (2024, 2, 29));
        assert_eq!(civil(-1), (1969, 12, 31));
    }

    #[test]
    fn months_to_the_end_of_the_year() {
        let cases = [
            ("01/01/2025", 12),
            ("02/01/2025", 11),
            ("31/12/2024", 12),
            ("15/03/2025", 9),
            ("01/07/2025", 6),
            ("02/07/2025", 5),
            ("30/06/2025", 6),
            ("01/12/2025", 1),
            ("31/12/2025", 0),
            ("01/01/2026", 0),
            ("10/05/1990", 12),
            ("29/02/2024", 12),
        ];
        for (date, months) in cases {
            assert_eq!(months_from(day(date), 2025), months, "{date}");
        }
        // Any year a cell may hold.
        assert_eq!(months_from(day("15/03/2025"), i64::MAX), 12);
        assert_eq!(months_from(day("15/03/2025"), i64::MIN), 0);
        assert_eq!(months_from(i32::MIN, 2025), 12);
        assert_eq!(months_from(i32::MAX, 2025), 0);
    }
}
