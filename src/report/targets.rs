//! Registered targets (chỉ tiêu đăng ký thi đua) set against the list: for
//! each row of a target table, how many of the unit's people reached the
//! title (or what share of them), and whether that meets the target.
//! Informational: a target never fails a candidate.
//!
//! Counts are bounded three ways: a candidate whose verdict is unknown (or
//! whose vote is not recorded yet) may or may not reach the title, and a
//! row whose unit is blank may or may not belong to the unit. A result is
//! decided as soon as the rows known decide it.
//!
//! A person reaches a title when proposed for it, or for a title whose
//! standard requires it (`meets`), and passing; a person with several
//! proposals counts once.

use super::model::{Comparison, Target, TargetKind, TargetResult};
use crate::eval::format::decimal;
use crate::eval::{CandidateResult, Tri};
use crate::semantic::model::{Plan, TargetDef};
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::{BTreeMap, HashMap};

/// One row of a target table, as read.
#[derive(Debug, Clone, Default)]
pub struct TargetRow {
    pub row: u64,
    pub unit: String,
    pub year: Option<i32>,
    /// Index of the value in the `danh_hieu` enum.
    pub title: Option<u16>,
    pub kind: Option<TargetKind>,
    pub comparison: Option<Comparison>,
    pub level: Option<Decimal>,
    /// The cells that could not be read («cột: giá trị»).
    pub problems: Vec<String>,
}

/// The people of the candidates' list, by unit.
#[derive(Debug, Clone, Default)]
pub struct People {
    /// Rows (people) per unit text, as written.
    pub by_unit: Vec<(String, u64)>,
    /// Every row (person) of the list.
    pub total: u64,
}

/// A unit's name as matched: case, spacing and NFC aside.
pub fn unit_key(s: &str) -> String {
    let nfc: String = unicode_normalization::UnicodeNormalization::nfc(s).collect();
    nfc.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether `value` meets `level` in the given direction.
fn meets(cmp: Comparison, value: Decimal, level: Decimal) -> bool {
    match cmp {
        Comparison::Above => value > level,
        Comparison::AtLeast => value >= level,
    }
}

/// `n / d` in percent, exact (`d` > 0).
fn percent(n: u64, d: u64) -> Decimal {
    Decimal::from(n) * Decimal::ONE_HUNDRED / Decimal::from(d)
}

/// A percentage as the report shows it: two decimals, half away from zero.
fn shown(p: Decimal) -> String {
    decimal(p.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
}

/// A count as council reports write it: at least two digits ("01").
fn two_digits(n: Decimal) -> String {
    if n.fract().is_zero() && n >= Decimal::ZERO && n < Decimal::TEN {
        format!("0{}", decimal(n))
    } else {
        decimal(n)
    }
}

/// How a target reads in words: «Trên 02 cá nhân đạt “Chiến sĩ thi đua
/// cơ sở”», «Từ 90 % cá nhân trở lên đạt “Lao động tiên tiến”».
pub fn registered_text(kind: TargetKind, cmp: Comparison, level: Decimal, award: &str) -> String {
    let amount = match kind {
        TargetKind::Count => format!("{} cá nhân", two_digits(level)),
        TargetKind::Share => format!("{} % cá nhân", decimal(level)),
    };
    match cmp {
        Comparison::Above => format!("Trên {amount} đạt «{award}»"),
        Comparison::AtLeast => format!("Từ {amount} trở lên đạt «{award}»"),
    }
}

/// The result of one target from its bounds: `low` and `high` are the
/// fewest and most people (or the lowest and highest share) the list
/// allows. Returns the result and the surplus over the registered level
/// when it is decided (its lower bound, and whether it is exact).
pub fn judge(
    cmp: Comparison,
    level: Decimal,
    low: Decimal,
    high: Decimal,
) -> (TargetResult, Option<(Decimal, bool)>) {
    if meets(cmp, low, level) {
        let surplus = low - level;
        if surplus > Decimal::ZERO {
            (TargetResult::Exceeded, Some((surplus, low == high)))
        } else {
            (TargetResult::Met, Some((surplus, low == high)))
        }
    } else if !meets(cmp, high, level) {
        (TargetResult::NotMet, None)
    } else {
        (TargetResult::Unknown, None)
    }
}

/// The targets of `def` read from `rows`, against the candidates of the
/// list (every candidate of the target's table, passing or not) and its
/// people per unit.
pub fn build(
    plan: &Plan,
    def: &TargetDef,
    rows: &[TargetRow],
    candidates: &[CandidateResult],
    people: &People,
) -> Vec<Target> {
    let title_enum = match plan.tables[def.table].columns[def.title].ty {
        crate::semantic::model::Type::Enum(e) => Some(&plan.enums[e]),
        _ => None,
    };
    let mut by_unit: HashMap<String, u64> = HashMap::new();
    let mut known_people = 0;
    for (unit, n) in &people.by_unit {
        *by_unit.entry(unit_key(unit)).or_default() += n;
        known_people += n;
    }
    let blank_people = people.total.saturating_sub(known_people);
    let cite = def.cite.as_ref().map(|c| c.text());
    // A title is reached by passing it, or a title whose standard includes
    // it (a Chiến sĩ thi đua cơ sở meets the Lao động tiên tiến standard).
    let above = crate::eval::higher::above(plan);
    rows.iter()
        .map(|r| {
            let award = r
                .title
                .and_then(|v| def.awards.get(usize::from(v)).copied().flatten());
            let title_label = r
                .title
                .and_then(|v| title_enum.and_then(|e| e.values.get(usize::from(v))))
                .map_or_else(String::new, |v| v.label.clone());
            let (award_id, award_label) = match award {
                Some(a) => (plan.awards[a].id.clone(), plan.awards[a].label.clone()),
                None => (String::new(), title_label.clone()),
            };
            let mut t = Target {
                row: r.row,
                unit: r.unit.clone(),
                year: r.year,
                award: award_id,
                award_label: award_label.clone(),
                registered: String::new(),
                kind: r.kind,
                comparison: r.comparison,
                level: r.level.map(decimal),
                achieved: 0,
                achieved_high: 0,
                people: 0,
                people_high: 0,
                share: None,
                share_high: None,
                result: TargetResult::Unknown,
                surplus: None,
                text: String::new(),
                rows: Vec::new(),
                unknown_rows: Vec::new(),
                note: None,
                cite: cite.clone(),
            };
            let (Some(kind), Some(cmp), Some(level)) = (r.kind, r.comparison, r.level) else {
                let mut problems = r.problems.clone();
                if problems.is_empty() {
                    problems.push("chỉ tiêu thiếu loại, cách so sánh hoặc mức".into());
                }
                t.note = Some(problems.join("; "));
                t.text = "chưa xác định: chỉ tiêu ghi chưa đủ".into();
                return t;
            };
            t.registered = registered_text(kind, cmp, level, &award_label);
            let Some(award) = award else {
                t.note = Some(if r.title.is_none() {
                    "chỉ tiêu không ghi danh hiệu".into()
                } else {
                    format!("bộ quy tắc không xét danh hiệu «{title_label}» cho danh sách này")
                });
                t.text = "chưa xác định: không có quy tắc xét danh hiệu đăng ký".into();
                return t;
            };
            let key = unit_key(&r.unit);
            // Per row (a person, whatever number of proposals): whether
            // they certainly reach the title, and whether they may; the
            // unit-less rows apart.
            let mut mine: BTreeMap<u64, (bool, bool)> = BTreeMap::new();
            let mut blank: BTreeMap<u64, (bool, bool)> = BTreeMap::new();
            for c in candidates
                .iter()
                .filter(|c| c.award == award || above[award].contains(&c.award))
            {
                let unit = c.unit.as_deref().map(unit_key).unwrap_or_default();
                let certain = c.verdict == Tri::True && !c.awaiting;
                let possible = c.verdict != Tri::False;
                let into = if unit.is_empty() {
                    &mut blank
                } else if unit == key {
                    &mut mine
                } else {
                    continue;
                };
                let e = into.entry(c.row).or_default();
                *e = (e.0 || certain, e.1 || possible);
            }
            let count = |m: &BTreeMap<u64, (bool, bool)>, certain: bool| {
                m.values()
                    .filter(|e| if certain { e.0 } else { e.1 && !e.0 })
                    .count() as u64
            };
            let (reached, maybe) = (count(&mine, true), count(&mine, false));
            let (blank_reached, blank_maybe) = (count(&blank, true), count(&blank, false));
            for (&row, &(certain, possible)) in &mine {
                if certain {
                    t.rows.push(row);
                } else if possible {
                    t.unknown_rows.push(row);
                }
            }
            let members = by_unit.get(&key).copied().unwrap_or(0);
            let blank_possible = blank_reached + blank_maybe;
            t.achieved = reached;
            t.achieved_high = reached + maybe + blank_possible;
            t.people = members;
            t.people_high = members + blank_people;
            if members == 0 || key.is_empty() {
                t.note = Some(if blank_people > 0 {
                    "danh sách không có cá nhân nào ghi đơn vị này (có dòng không ghi đơn vị)"
                        .into()
                } else {
                    "danh sách không có cá nhân nào của đơn vị này".into()
                });
                t.text = "chưa xác định: đơn vị không có trong danh sách".into();
                return t;
            }
            if blank_possible > 0 || blank_people > 0 && kind == TargetKind::Share {
                t.note = Some(format!(
                    "có {blank_people} dòng không ghi đơn vị, có thể thuộc đơn vị này"
                ));
            }
            let (low, high) = match kind {
                TargetKind::Count => (Decimal::from(t.achieved), Decimal::from(t.achieved_high)),
                TargetKind::Share => {
                    // Fewest: no unknown reaches the title, and every
                    // unit-less row that may not reach it is of the unit.
                    let low = percent(reached, members + blank_people - blank_reached);
                    // Most: every unknown reaches it, and so does every
                    // unit-less row of the unit (the others are elsewhere).
                    let high = percent(reached + maybe + blank_possible, members + blank_possible);
                    t.share = Some(shown(low));
                    t.share_high = Some(shown(high));
                    (low, high)
                }
            };
            let (result, surplus) = judge(cmp, level, low, high);
            t.result = result;
            let amount = |d: Decimal| match kind {
                TargetKind::Count => format!("{} chỉ tiêu", two_digits(d)),
                TargetKind::Share => format!("{} điểm phần trăm", shown(d)),
            };
            let achieved = match kind {
                TargetKind::Count if t.achieved_high == 0 => "không có cá nhân nào đạt".to_string(),
                TargetKind::Count if t.achieved == t.achieved_high => {
                    format!("có {} cá nhân đạt", two_digits(low))
                }
                TargetKind::Count => format!(
                    "có từ {} đến {} cá nhân đạt",
                    two_digits(low),
                    two_digits(high)
                ),
                TargetKind::Share if low == high => {
                    format!("{}/{} cá nhân đạt ({} %)", t.achieved, t.people, shown(low))
                }
                TargetKind::Share => {
                    format!("từ {} % đến {} % cá nhân đạt", shown(low), shown(high))
                }
            };
            t.surplus = surplus
                .filter(|(s, _)| *s > Decimal::ZERO)
                .map(|(s, _)| match kind {
                    TargetKind::Count => decimal(s),
                    TargetKind::Share => shown(s),
                });
            t.text = match (result, surplus) {
                (TargetResult::Exceeded, Some((s, true))) => {
                    format!("{achieved}, vượt {}", amount(s))
                }
                (TargetResult::Exceeded, Some((s, false))) => {
                    format!("{achieved}, vượt ít nhất {}", amount(s))
                }
                (TargetResult::Met, _) => format!("{achieved}, đạt chỉ tiêu"),
                (TargetResult::NotMet, _) => format!("{achieved}, không đạt chỉ tiêu"),
                _ => format!(
                    "{achieved}: chưa xác định, các dòng thiếu dữ liệu có thể làm thay đổi kết quả"
                ),
            };
            t
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn above_two_with_three_exceeds_by_one() {
        // «Phấn đấu có trên 02 cá nhân đạt CSTĐCS» → 03: vượt 01 chỉ tiêu.
        let (r, s) = judge(Comparison::Above, dec!(2), dec!(3), dec!(3));
        assert_eq!(r, TargetResult::Exceeded);
        assert_eq!(s, Some((dec!(1), true)));
        // Exactly two is not «trên 02».
        let (r, _) = judge(Comparison::Above, dec!(2), dec!(2), dec!(2));
        assert_eq!(r, TargetResult::NotMet);
    }

    #[test]
    fn at_least_two_with_two_is_met_not_exceeded() {
        let (r, s) = judge(Comparison::AtLeast, dec!(2), dec!(2), dec!(2));
        assert_eq!(r, TargetResult::Met);
        assert_eq!(s, Some((dec!(0), true)));
        let (r, _) = judge(Comparison::AtLeast, dec!(2), dec!(1), dec!(1));
        assert_eq!(r, TargetResult::NotMet);
    }

    #[test]
    fn unknowns_decide_only_when_they_could_change_it() {
        // 3 certain, 1 unknown, «trên 02»: exceeded whatever the unknown.
        let (r, s) = judge(Comparison::Above, dec!(2), dec!(3), dec!(4));
        assert_eq!((r, s), (TargetResult::Exceeded, Some((dec!(1), false))));
        // 2 certain, 1 unknown, «trên 02»: the unknown decides.
        let (r, _) = judge(Comparison::Above, dec!(2), dec!(2), dec!(3));
        assert_eq!(r, TargetResult::Unknown);
        // 0 certain, 1 unknown, «trên 02»: not met either way.
        let (r, _) = judge(Comparison::Above, dec!(2), dec!(0), dec!(1));
        assert_eq!(r, TargetResult::NotMet);
    }

    #[test]
    fn shares_are_exact() {
        // 9 of 10 is not «trên 90 %»; 28 of 31 (90,32 %) is.
        assert!(!meets(Comparison::Above, percent(9, 10), dec!(90)));
        assert!(meets(Comparison::AtLeast, percent(9, 10), dec!(90)));
        assert!(meets(Comparison::Above, percent(28, 31), dec!(90)));
        assert_eq!(shown(percent(28, 31)), "90,32");
        assert_eq!(shown(percent(2, 3)), "66,67");
    }

    #[test]
    fn units_match_across_case_spacing_and_normal_forms() {
        assert_eq!(unit_key("  Phòng  Tổ chức "), unit_key("phòng tổ chức"));
        assert_eq!(unit_key("Pho\u{300}ng A"), unit_key("Phòng A"));
    }

    #[test]
    fn the_registered_target_reads_as_councils_write_it() {
        assert_eq!(
            registered_text(
                TargetKind::Count,
                Comparison::Above,
                dec!(2),
                "Chiến sĩ thi đua cơ sở"
            ),
            "Trên 02 cá nhân đạt «Chiến sĩ thi đua cơ sở»"
        );
        assert_eq!(
            registered_text(
                TargetKind::Share,
                Comparison::AtLeast,
                dec!(90),
                "Lao động tiên tiến"
            ),
            "Từ 90 % cá nhân trở lên đạt «Lao động tiên tiến»"
        );
    }
}
