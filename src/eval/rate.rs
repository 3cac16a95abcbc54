//! Rate limits per group, in exact decimal arithmetic with explicit rounding.

use super::tri::Tri;
use crate::syntax::ast::{CmpOp, RoundingMode};
use rust_decimal::{Decimal, RoundingStrategy};

/// The limit a rate sets for one group: `share % × base`, then rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub exact: Decimal,
    pub rounded: Decimal,
    pub mode: RoundingMode,
}

pub fn limit(share: Decimal, base: u64, mode: RoundingMode) -> Limit {
    let exact = share * Decimal::from(base) / Decimal::ONE_HUNDRED;
    let rounded = match mode {
        RoundingMode::Down => exact.floor(),
        RoundingMode::Up => exact.ceil(),
        RoundingMode::HalfUp => {
            exact.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        }
        RoundingMode::Exact => exact,
    };
    Limit {
        exact: exact.normalize(),
        rounded: rounded.normalize(),
        mode,
    }
}

/// Whether `count OP limit` holds.
pub fn holds(op: CmpOp, count: u64, limit: Decimal) -> bool {
    op.holds(Decimal::from(count).cmp(&limit))
}

/// Whether `count OP limit(share, base, mode).rounded`. A national list
/// has tens of thousands of groups, each judged a few times: in integers
/// when the decimal arithmetic is exact there (every usual share), else
/// as [`limit`] computes it.
fn within(op: CmpOp, share: Decimal, mode: RoundingMode, count: u64, base: u64) -> bool {
    whole_within(op, share, mode, count, base)
        .unwrap_or_else(|| holds(op, count, limit(share, base, mode).rounded))
}

/// [`within`] in integers: the limit is `num / den` exactly, when `num`
/// fits in a decimal's 96 bits and the scale in its 28 digits (so that
/// [`limit`]'s decimals are exact too); `None` otherwise.
fn whole_within(
    op: CmpOp,
    share: Decimal,
    mode: RoundingMode,
    count: u64,
    base: u64,
) -> Option<bool> {
    let scale = share.scale() + 2;
    if scale > 28 {
        return None;
    }
    let num = share.mantissa().checked_mul(i128::from(base))?;
    if num.unsigned_abs() >= 1 << 96 {
        return None;
    }
    let den = 10i128.checked_pow(scale)?;
    let count = i128::from(count);
    let ord = match mode {
        RoundingMode::Exact => count.checked_mul(den)?.cmp(&num),
        RoundingMode::Down => count.cmp(&num.div_euclid(den)),
        RoundingMode::Up => count.cmp(&-(-num).div_euclid(den)),
        RoundingMode::HalfUp => {
            // Halves away from zero, as `limit` rounds.
            let away = (2 * num.abs() + den) / (2 * den);
            count.cmp(&if num < 0 { -away } else { away })
        }
    };
    Some(op.holds(ord))
}

/// Counts of one group: rows where the side is true, and rows where it is unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub num_true: u64,
    pub num_unknown: u64,
    pub den_true: u64,
    pub den_unknown: u64,
}

/// The verdict of a rate for one group. Unknown rows may fall either way:
/// the group passes only if it passes in the worst case and fails only if
/// it fails in the best case.
pub fn verdict(op: CmpOp, share: Decimal, mode: RoundingMode, c: Counts) -> Tri {
    let num = (c.num_true, c.num_true + c.num_unknown);
    let den = (c.den_true, c.den_true + c.den_unknown);
    // The limit grows with the base for a positive share, shrinks for a
    // negative one: the base's ends in the order of the limit's.
    let den = if share.is_sign_negative() {
        (den.1, den.0)
    } else {
        den
    };
    super::tri::over_ranges(op, num, den, &|op, n, d| {
        Tri::from_bool(within(op, share, mode, n, d))
    })
}

/// When rounding the other usual way gives another verdict: that rounding
/// and its verdict (rounding down against half-up; up or half-up against
/// down).
pub fn borderline(
    op: CmpOp,
    share: Decimal,
    mode: RoundingMode,
    c: Counts,
    given: Tri,
) -> Option<(RoundingMode, Tri)> {
    let other = match mode {
        RoundingMode::Down => RoundingMode::HalfUp,
        RoundingMode::HalfUp | RoundingMode::Up => RoundingMode::Down,
        RoundingMode::Exact => return None,
    };
    let theirs = verdict(op, share, other, c);
    (theirs != given).then_some((other, theirs))
}

/// What brings a failing group within its rate, counted on the rows
/// known (unknown rows aside): the fewest numerator proposals to withdraw
/// (a cap), or to add (a floor), or denominator proposals outside the
/// numerator to withdraw (a floor). `nested`: every numerator row is a
/// denominator row too, so adding or withdrawing one moves both counts;
/// `others`: denominator rows the numerator does not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Fix {
    pub withdraw: Option<u64>,
    pub add: Option<u64>,
    pub withdraw_others: Option<u64>,
}

pub fn fix(
    op: CmpOp,
    share: Decimal,
    mode: RoundingMode,
    (n, d): (u64, u64),
    nested: bool,
    others: u64,
) -> Fix {
    let ok = |n: u64, d: u64| within(op, share, mode, n, d);
    let mut fix = Fix::default();
    if ok(n, d) {
        return fix;
    }
    match op {
        CmpOp::Le | CmpOp::Lt => {
            fix.withdraw = (1..=n).find(|&k| ok(n - k, if nested { d - k } else { d }));
        }
        CmpOp::Ge | CmpOp::Gt => {
            // A floor below 100 % is always reached; the bound only keeps
            // a share of 100 % or more from looping for ever.
            let most = d.saturating_mul(100).saturating_add(100);
            fix.add = (1..=most).find(|&k| ok(n + k, if nested { d + k } else { d }));
            fix.withdraw_others = (1..=others).find(|&m| ok(n, d - m));
        }
        CmpOp::Eq | CmpOp::Ne => {}
    }
    fix
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn fixes_for_a_cap_and_a_floor() {
        // 15 % × 33 = 4,95 → 4; 5 proposed: withdraw 1.
        let f = fix(CmpOp::Le, dec!(15), RoundingMode::Down, (5, 33), false, 28);
        assert_eq!(f.withdraw, Some(1));
        // Within the cap: nothing to do.
        assert_eq!(
            fix(CmpOp::Le, dec!(15), RoundingMode::Down, (4, 33), false, 29),
            Fix::default()
        );
        // At least 50 % (rounded up) of 6 proposals to non-leaders, 2 now:
        // adding non-leaders raises both counts: 2+2 ≥ ⌈50 % × 8⌉ = 4.
        let f = fix(CmpOp::Ge, dec!(50), RoundingMode::Up, (2, 6), true, 4);
        assert_eq!(f.add, Some(2));
        // Or withdraw leaders' proposals: 2 ≥ ⌈50 % × 4⌉ = 2.
        assert_eq!(f.withdraw_others, Some(2));
        // A floor whose numerator is not in its base: only the numerator grows.
        let f = fix(CmpOp::Gt, dec!(50), RoundingMode::Exact, (5, 10), false, 10);
        assert_eq!(f.add, Some(1));
        // A cap on a share of the proposals themselves (nested).
        let f = fix(CmpOp::Le, dec!(50), RoundingMode::Down, (4, 6), true, 2);
        assert_eq!(f.withdraw, Some(2));
    }

    fn known(num: u64, den: u64) -> Counts {
        Counts {
            num_true: num,
            den_true: den,
            ..Counts::default()
        }
    }

    #[test]
    fn whole_numbers_judge_as_decimals_do() {
        let shares = [
            dec!(15),
            dec!(50),
            dec!(12.5),
            dec!(33.33),
            dec!(0.1),
            dec!(100),
            dec!(7.25),
            dec!(-20),
            dec!(66.666666666666666666666666),
            dec!(0.123456789012345678901234567),
        ];
        let modes = [
            RoundingMode::Down,
            RoundingMode::Up,
            RoundingMode::HalfUp,
            RoundingMode::Exact,
        ];
        let ops = [
            CmpOp::Le,
            CmpOp::Lt,
            CmpOp::Ge,
            CmpOp::Gt,
            CmpOp::Eq,
            CmpOp::Ne,
        ];
        for share in shares {
            for mode in modes {
                for op in ops {
                    for base in (0..120).chain([u64::MAX / 3, u64::MAX]) {
                        for count in (0..40).chain([base, base / 2, u64::MAX]) {
                            let decimals = holds(op, count, limit(share, base, mode).rounded);
                            assert_eq!(
                                within(op, share, mode, count, base),
                                decimals,
                                "{count} {op:?} {share}% of {base}, {mode:?}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn usual_shares_are_judged_in_whole_numbers() {
        let usual = whole_within(CmpOp::Le, dec!(15), RoundingMode::Down, 5, 33);
        assert_eq!(usual, Some(false));
        // 27 decimal places, and two more for the percent: past 28.
        let fine = dec!(0.123456789012345678901234567);
        assert_eq!(
            whole_within(CmpOp::Le, fine, RoundingMode::Down, 4, 33),
            None
        );
    }

    #[test]
    fn fifteen_percent_of_seven_is_one() {
        assert_eq!(limit(dec!(15), 7, RoundingMode::Down).rounded, dec!(1));
        assert_eq!(limit(dec!(15), 7, RoundingMode::HalfUp).rounded, dec!(1));
        assert_eq!(
            verdict(CmpOp::Le, dec!(15), RoundingMode::Down, known(2, 7)),
            Tri::False
        );
    }

    #[test]
    fn fifteen_percent_of_thirty_three_depends_on_rounding() {
        let down = limit(dec!(15), 33, RoundingMode::Down);
        assert_eq!(down.exact, dec!(4.95));
        assert_eq!(down.rounded, dec!(4));
        assert_eq!(limit(dec!(15), 33, RoundingMode::HalfUp).rounded, dec!(5));
        assert_eq!(limit(dec!(15), 33, RoundingMode::Up).rounded, dec!(5));
        assert_eq!(
            verdict(CmpOp::Le, dec!(15), RoundingMode::Down, known(5, 33)),
            Tri::False
        );
        assert_eq!(
            verdict(CmpOp::Le, dec!(15), RoundingMode::HalfUp, known(5, 33)),
            Tri::True
        );
    }

    #[test]
    fn more_than_half_versus_at_least_half_of_ten() {
        let exact = RoundingMode::Exact;
        assert_eq!(
            verdict(CmpOp::Gt, dec!(50), exact, known(5, 10)),
            Tri::False
        );
        assert_eq!(verdict(CmpOp::Gt, dec!(50), exact, known(6, 10)), Tri::True);
        assert_eq!(verdict(CmpOp::Ge, dec!(50), exact, known(5, 10)), Tri::True);
        assert_eq!(
            verdict(CmpOp::Ge, dec!(50), exact, known(4, 10)),
            Tri::False
        );
    }

    #[test]
    fn half_up_rounds_the_midpoint_up() {
        assert_eq!(limit(dec!(50), 5, RoundingMode::HalfUp).rounded, dec!(3));
        assert_eq!(limit(dec!(50), 5, RoundingMode::Down).rounded, dec!(2));
    }

    #[test]
    fn unknown_rows_make_the_verdict_unknown_only_when_they_matter() {
        let c = Counts {
            num_true: 3,
            num_unknown: 1,
            den_true: 20,
            den_unknown: 0,
        };
        // limit 3: with the unknown row the count may be 4.
        assert_eq!(
            verdict(CmpOp::Le, dec!(15), RoundingMode::Down, c),
            Tri::Unknown
        );
        let c = Counts {
            num_true: 1,
            num_unknown: 1,
            den_true: 20,
            den_unknown: 0,
        };
        assert_eq!(
            verdict(CmpOp::Le, dec!(15), RoundingMode::Down, c),
            Tri::True
        );
        let c = Counts {
            num_true: 5,
            num_unknown: 0,
            den_true: 20,
            den_unknown: 3,
        };
        // 15 % of 23 is 3.45: even the best case fails.
        assert_eq!(
            verdict(CmpOp::Le, dec!(15), RoundingMode::Down, c),
            Tri::False
        );
    }

    #[test]
    fn an_empty_group_passes_an_at_least_rule() {
        assert_eq!(
            verdict(CmpOp::Ge, dec!(50), RoundingMode::Up, known(0, 0)),
            Tri::True
        );
    }
}
