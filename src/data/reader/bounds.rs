//! A column's declared bounds, checked on whole numbers where possible.

use super::Bounds;
use crate::data::Cell;

impl Bounds {
    /// Whether `d` lies outside the bounds, from its mantissa and the
    /// bounds scaled to its scale; `None` past the scales kept.
    fn scaled_outside(&self, d: rust_decimal::Decimal) -> Option<bool> {
        let (lo, hi) = (*self.scaled.get(d.scale() as usize)?)?;
        let m = d.mantissa();
        Some(m < lo || m > hi)
    }

    pub(super) fn new((lo, hi): (rust_decimal::Decimal, rust_decimal::Decimal)) -> Bounds {
        use rust_decimal::prelude::ToPrimitive;
        let (lo_int, hi_int) = (
            lo.ceil().to_i128().unwrap_or(i128::MIN),
            hi.floor().to_i128().unwrap_or(i128::MAX),
        );
        // `d` times 10^s, when that is a whole number.
        let scaled = |d: rust_decimal::Decimal, s: u32| {
            let unit = rust_decimal::Decimal::from(10i64.pow(s));
            d.checked_mul(unit)
                .filter(|x| x.fract().is_zero())
                .and_then(|x| x.to_i128())
        };
        let table = std::array::from_fn(|s| Some((scaled(lo, s as u32)?, scaled(hi, s as u32)?)));
        Bounds {
            lo,
            hi,
            lo_int,
            hi_int,
            scaled: table,
        }
    }
}

/// A number outside the column's declared bounds.
pub(super) fn out_of_range(cell: &Cell, range: Option<&Bounds>) -> bool {
    let Some(b) = range else { return false };
    match cell {
        Cell::Int(i) => i128::from(*i) < b.lo_int || i128::from(*i) > b.hi_int,
        Cell::Decimal(d) => b
            .scaled_outside(*d)
            .unwrap_or_else(|| *d < b.lo || *d > b.hi),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn decimal_bounds_in_whole_numbers_agree_with_decimals() {
        let bounds = [(0, 100, 0), (-5, 12, 0), (0, 100, 1), (1, 95, 1)];
        for (lo, hi, scale) in bounds {
            let (lo, hi) = (Decimal::new(lo, scale), Decimal::new(hi, scale));
            let b = Bounds::new((lo, hi));
            for m in -1200..1200 {
                for s in 0..4 {
                    let d = Decimal::new(m, s);
                    let want = d < lo || d > hi;
                    assert_eq!(
                        out_of_range(&Cell::Decimal(d), Some(&b)),
                        want,
                        "{d} in {lo}..{hi}"
                    );
                }
            }
            let huge = Decimal::new(i64::MAX, 0);
            assert!(out_of_range(&Cell::Decimal(huge), Some(&b)));
        }
        let held = |b: Bounds| b.scaled.iter().filter(|s| s.is_some()).count();
        assert_eq!(held(Bounds::new((Decimal::ZERO, Decimal::ONE_HUNDRED))), 7);
        assert_eq!(held(Bounds::new((Decimal::ZERO, Decimal::new(955, 1)))), 6);
        assert_eq!(held(Bounds::new((Decimal::ZERO, Decimal::new(1, 8)))), 0);
    }
}
