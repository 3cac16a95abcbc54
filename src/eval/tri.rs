//! Three-valued (Kleene) logic: a blank or invalid cell makes what reads it
//! unknown, never true or false.

use crate::syntax::ast::CmpOp;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tri {
    #[serde(rename = "fail")]
    False,
    Unknown,
    #[serde(rename = "pass")]
    True,
}

impl Tri {
    pub fn from_bool(b: bool) -> Tri {
        if b { Tri::True } else { Tri::False }
    }

    pub fn and(self, other: Tri) -> Tri {
        self.min(other)
    }

    pub fn or(self, other: Tri) -> Tri {
        self.max(other)
    }

    pub fn negate(self) -> Tri {
        match self {
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
            Tri::True => Tri::False,
        }
    }

    /// The verdict word used in JSON: `pass`, `fail` or `unknown`.
    pub fn word(self) -> &'static str {
        match self {
            Tri::False => "fail",
            Tri::Unknown => "unknown",
            Tri::True => "pass",
        }
    }
}

/// `lhs OP rhs` when each side is only known to lie between two ends,
/// `(lowest, highest)`: true when it holds at the ends that make it
/// hardest, false when it fails at the ends that make it easiest, unknown
/// when those disagree. `holds` compares two ends (a missing end makes it
/// unknown). `=` holds when `≤` and `≥` hold at every end, fails when `<`
/// or `>` does; `≠` is its negation.
pub fn over_ranges<L: Copy, R: Copy>(
    op: CmpOp,
    lhs: (L, L),
    rhs: (R, R),
    holds: &impl Fn(CmpOp, L, R) -> Tri,
) -> Tri {
    let (hardest, easiest) = match op {
        CmpOp::Ge | CmpOp::Gt => ((lhs.0, rhs.1), (lhs.1, rhs.0)),
        CmpOp::Le | CmpOp::Lt => ((lhs.1, rhs.0), (lhs.0, rhs.1)),
        CmpOp::Eq => {
            let always = |op| over_ranges(op, lhs, rhs, holds) == Tri::True;
            return if always(CmpOp::Le) && always(CmpOp::Ge) {
                Tri::True
            } else if always(CmpOp::Lt) || always(CmpOp::Gt) {
                Tri::False
            } else {
                Tri::Unknown
            };
        }
        CmpOp::Ne => return over_ranges(CmpOp::Eq, lhs, rhs, holds).negate(),
    };
    if holds(op, hardest.0, hardest.1) == Tri::True {
        Tri::True
    } else if holds(op, easiest.0, easiest.1) == Tri::False {
        Tri::False
    } else {
        Tri::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::Tri::*;
    use super::over_ranges;
    use crate::syntax::ast::CmpOp;

    fn ints(op: CmpOp, a: i64, b: i64) -> super::Tri {
        super::Tri::from_bool(op.holds(a.cmp(&b)))
    }

    #[test]
    fn a_range_decides_when_both_ends_agree() {
        // 6 sure, 7 possible, of 10: above 5 at both ends.
        assert_eq!(over_ranges(CmpOp::Gt, (6, 7), (5, 5), &ints), True);
        // 3 to 4: at most 4, never above 5.
        assert_eq!(over_ranges(CmpOp::Gt, (3, 4), (5, 5), &ints), False);
        // 5 to 6 straddles "above 5".
        assert_eq!(over_ranges(CmpOp::Gt, (5, 6), (5, 5), &ints), Unknown);
        assert_eq!(over_ranges(CmpOp::Le, (1, 2), (2, 2), &ints), True);
        assert_eq!(over_ranges(CmpOp::Lt, (2, 3), (2, 2), &ints), False);
        assert_eq!(over_ranges(CmpOp::Lt, (1, 3), (2, 2), &ints), Unknown);
    }

    #[test]
    fn a_ranged_right_side_is_taken_at_its_hardest_end() {
        // 6 of between 10 and 12 members, each 50 % times 10 at most 6.
        assert_eq!(over_ranges(CmpOp::Ge, (6, 6), (5, 6), &ints), True);
        assert_eq!(over_ranges(CmpOp::Gt, (6, 6), (5, 6), &ints), Unknown);
        assert_eq!(over_ranges(CmpOp::Gt, (6, 8), (9, 12), &ints), False);
    }

    #[test]
    fn equality_over_ranges() {
        assert_eq!(over_ranges(CmpOp::Eq, (3, 3), (3, 3), &ints), True);
        assert_eq!(over_ranges(CmpOp::Eq, (3, 4), (3, 3), &ints), Unknown);
        assert_eq!(over_ranges(CmpOp::Eq, (3, 4), (5, 6), &ints), False);
        assert_eq!(over_ranges(CmpOp::Ne, (3, 4), (5, 6), &ints), True);
        assert_eq!(over_ranges(CmpOp::Ne, (3, 4), (4, 6), &ints), Unknown);
    }

    #[test]
    fn an_unknown_end_decides_only_from_the_other() {
        let opt = |op: CmpOp, a: Option<i64>, b: i64| match a {
            Some(a) => ints(op, a, b),
            None => Unknown,
        };
        // A streak of at least 3, at most unknown.
        assert_eq!(over_ranges(CmpOp::Ge, (Some(3), None), (3, 3), &opt), True);
        assert_eq!(
            over_ranges(CmpOp::Ge, (Some(2), None), (3, 3), &opt),
            Unknown
        );
        assert_eq!(over_ranges(CmpOp::Lt, (Some(3), None), (3, 3), &opt), False);
    }

    #[test]
    fn kleene_tables() {
        assert_eq!(True.and(Unknown), Unknown);
        assert_eq!(False.and(Unknown), False);
        assert_eq!(True.or(Unknown), True);
        assert_eq!(False.or(Unknown), Unknown);
        assert_eq!(Unknown.negate(), Unknown);
        assert_eq!(False.negate(), True);
    }
}
