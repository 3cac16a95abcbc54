//! Dated regimes: the period a rule set applies to, the review year of a
//! list, and the shipped regime chosen from it.

use super::EngineError;
use crate::data::{Cell, ListSource, Row, TableReader};
use crate::report::model::{ChosenBy, Regime};
use crate::semantic::model::{Plan, TableId};
use std::collections::BTreeMap;

/// The shipped regimes, oldest first; each rule set's header states its
/// period (`effective … until …`). Overlays (`rules/dia-phuong`) are not
/// regimes: they are named, never chosen.
pub const REGIMES: &[&str] = &["rules/nd-91-2017", "rules/luat-2022"];

/// Rows of the main list read to find its review year.
const YEAR_ROWS: usize = 200;

/// How an embedded regime was chosen: the review year it was chosen for
/// (None: not found) and whether a shipped regime's period holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chosen {
    pub year: Option<i32>,
    pub by_year: bool,
}

/// The year of an ISO date (`2017-10-01`).
fn year_of(iso: &str) -> Option<i32> {
    iso.split('-').next()?.parse().ok()
}

/// `2017-10-01` as a council writes it: `01/10/2017`.
fn vn_date(iso: &str) -> String {
    match iso.split('-').collect::<Vec<_>>().as_slice() {
        [y, m, d] => format!("{d}/{m}/{y}"),
        _ => iso.to_string(),
    }
}

/// Whether some day of `year` lies in the period of `plan` (a rule set
/// without dates holds every year).
pub fn holds(plan: &Plan, year: i32) -> bool {
    let from = plan.effective.as_deref().and_then(year_of);
    let until = plan.until.as_deref().and_then(year_of);
    from.is_none_or(|f| f <= year) && until.is_none_or(|u| year <= u)
}

/// The period of `plan` in words: "từ 01/10/2017 đến 31/12/2023".
fn period_words(plan: &Plan) -> String {
    match (&plan.effective, &plan.until) {
        (Some(e), Some(u)) => format!("từ {} đến {}", vn_date(e), vn_date(u)),
        (Some(e), None) => format!("từ {}", vn_date(e)),
        (None, Some(u)) => format!("đến {}", vn_date(u)),
        (None, None) => "không ghi thời gian".to_string(),
    }
}

/// The review year of `source` read as table `t` of `plan`: the year most
/// of its first rows carry in the table's year column (the latest of
/// equally many). None when the table has no year column, the list lacks
/// it, or no row gives a year.
pub fn review_year(
    plan: &Plan,
    t: TableId,
    source: &ListSource,
) -> Result<Option<i32>, EngineError> {
    let table = &plan.tables[t];
    let Some(col) = table.year else {
        return Ok(None);
    };
    let mut reader = TableReader::open_source(source, table, &plan.enums)?;
    if !reader.has_column(col) {
        return Ok(None);
    }
    let mut row = Row::default();
    let mut issues = Vec::new();
    let mut years: BTreeMap<i64, usize> = BTreeMap::new();
    let mut lines = 0;
    while lines < YEAR_ROWS && reader.read_row(&mut row, &mut issues)? {
        if row.alternative {
            continue;
        }
        lines += 1;
        if let Some(Cell::Int(y)) = row.cells.get(col) {
            *years.entry(*y).or_default() += 1;
        }
    }
    Ok(years
        .into_iter()
        .max_by_key(|&(y, n)| (n, y))
        .and_then(|(y, _)| i32::try_from(y).ok()))
}

/// Which shipped regime holds `year`: the first of [`REGIMES`] whose
/// period holds it, among `plans` (their plans, in that order).
pub fn pick(plans: &[&Plan], year: Option<i32>) -> Option<usize> {
    let year = year?;
    plans.iter().position(|p| holds(p, year))
}

/// What the report says of the regime of `plan`, chosen as `chosen` (None:
/// named), for a list of review year `year`.
pub fn regime(plan: &Plan, chosen: Option<Chosen>, year: Option<i32>) -> Regime {
    let name = &plan.name;
    let period = period_words(plan);
    let outside = year.filter(|&y| !holds(plan, y));
    let warning =
        outside.map(|y| format!("danh sách năm {y} nhưng bộ quy tắc «{name}» áp dụng {period}"));
    match chosen {
        None => Regime {
            review_year: year,
            chosen_by: ChosenBy::Named,
            note: None,
            warning,
        },
        Some(Chosen { by_year: true, .. }) => Regime {
            review_year: year,
            chosen_by: ChosenBy::ReviewYear,
            note: year.map(|y| {
                format!(
                    "Chọn theo năm xét của danh sách: năm {y} thuộc thời gian áp dụng của bộ quy tắc này ({period})."
                )
            }),
            warning,
        },
        Some(Chosen { year: None, .. }) => Regime {
            review_year: None,
            chosen_by: ChosenBy::Default,
            note: Some(
                "Không tìm thấy năm xét trong danh sách (cột «Năm xét»): dùng bộ quy tắc mặc định."
                    .to_string(),
            ),
            warning,
        },
        Some(Chosen { year: Some(y), .. }) => Regime {
            review_year: Some(y),
            chosen_by: ChosenBy::Default,
            note: Some(format!(
                "Năm xét {y} không thuộc thời gian áp dụng của bộ quy tắc kèm theo nào: dùng bộ quy tắc mặc định."
            )),
            warning,
        },
    }
}
