//! Ballot criteria (`require ballot`): the council's vote, recorded by the
//! secretary after the meeting (NĐ 98/2023 Điều 30 khoản 7: a ballot is
//! compulsory for some titles).
//!
//! Before the ballot the vote cells are blank on every candidate of the
//! award: the criterion waits ("chờ bỏ phiếu") and the candidate is judged
//! on the rest. Once some candidate of the award has a decided vote, the
//! council has voted on this award, and a blank vote on another candidate
//! is a missing cell: unknown, never waiting. Per award, because councils
//! of different levels vote on different awards of one list (the unit's
//! council on CSTĐCS, the province's on CSTĐ cấp tỉnh).

use super::format::decimal;
use super::{Outcome, Tri, reads};
use crate::data::{Cell, Row};
use crate::semantic::model::{Cond, CriterionDef, Operand, Plan, TableId, Value};
use crate::syntax::ast::CmpOp;
use rust_decimal::Decimal;

/// The criterion reads no malformed cell on the row: its unknown comes
/// from blank or absent cells only (a malformed vote count is an error to
/// fix, not a ballot to wait for).
pub fn blank_only(plan: &Plan, c: &CriterionDef, row: &Row) -> bool {
    reads::columns_read(plan, &c.cond)
        .iter()
        .all(|&col| !matches!(row.cells.get(col), Some(Cell::Invalid)))
}

/// What a ballot criterion read, as the report shows it. A vote share
/// (`votes >= P% of members`) reads «Số phiếu đồng ý 17 / Số thành viên
/// Hội đồng 20 = 85%, cần ≥ 90%»; anything else, what `explain` says.
pub fn observed(
    plan: &Plan,
    table: TableId,
    c: &CriterionDef,
    row: &Row,
    pending: bool,
    explain: impl FnOnce() -> String,
) -> String {
    if pending {
        let blank: Vec<String> = reads::columns_read(plan, &c.cond)
            .into_iter()
            .filter(|&col| !matches!(row.cells.get(col), Some(Cell::Int(_) | Cell::Decimal(_))))
            .filter_map(|col| plan.tables[table].columns.get(col))
            .map(|col| format!("«{}»", col.header))
            .collect();
        return format!("chờ bỏ phiếu: chưa ghi {}", blank.join(", "));
    }
    share_text(plan, table, &c.cond, row).unwrap_or_else(explain)
}

/// «X x / Y y = r%, cần ≥ P%» for `X >= P% of Y` with both cells read.
fn share_text(plan: &Plan, table: TableId, cond: &Cond, row: &Row) -> Option<String> {
    let Cond::Compare {
        op: op @ (CmpOp::Ge | CmpOp::Gt),
        lhs: Operand::Column(votes),
        rhs: Operand::ShareOf(share, base),
    } = cond
    else {
        return None;
    };
    let (Operand::Const(Value::Decimal(p)), Operand::Column(members)) = (&**share, &**base) else {
        return None;
    };
    let number = |col: usize| match row.cells.get(col) {
        Some(Cell::Int(i)) => Some(Decimal::from(*i)),
        Some(Cell::Decimal(d)) => Some(*d),
        _ => None,
    };
    let (x, y) = (number(*votes)?, number(*members)?);
    let columns = &plan.tables[table].columns;
    let ratio = (!y.is_zero())
        .then(|| x.checked_mul(Decimal::ONE_HUNDRED)?.checked_div(y))
        .flatten()?;
    // Exact when it ends within two decimals; else rounded and marked "≈"
    // (the verdict compares exactly: 17 < 90% × 19 = 17,1).
    let shown = ratio.round_dp(2);
    let approx = if shown == ratio { "" } else { "≈ " };
    Some(format!(
        "{} {} / {} {} = {approx}{}%, cần {} {}%",
        columns.get(*votes)?.header,
        decimal(x),
        columns.get(*members)?.header,
        decimal(y),
        decimal(shown),
        if *op == CmpOp::Ge { "≥" } else { ">" },
        decimal(*p),
    ))
}

/// Settles waiting ballot criteria once every row is judged: those of an
/// award on which the council has voted become unknown.
pub fn settle(plan: &Plan, out: &mut Outcome) {
    // Without a ballot criterion nothing waits: the candidates (tens of
    // thousands on a national list) are not walked.
    if !plan
        .awards
        .iter()
        .any(|a| a.criteria.iter().any(|c| c.ballot))
    {
        return;
    }
    // (award, criterion) pairs some candidate has a decided vote for.
    let mut voted: Vec<Vec<bool>> = plan
        .awards
        .iter()
        .map(|a| vec![false; a.criteria.len()])
        .collect();
    let mut any_waiting = false;
    for c in &out.candidates {
        for (i, cl) in c.clauses.iter().enumerate() {
            if plan.awards[c.award].criteria[i].ballot && cl.verdict != Tri::Unknown {
                voted[c.award][i] = true;
            }
            any_waiting |= cl.pending;
        }
    }
    if !any_waiting {
        return;
    }
    for c in out.candidates.iter_mut().filter(|c| c.awaiting) {
        let voted = &voted[c.award];
        let mut awaiting = false;
        let mut verdict = Tri::True;
        for (i, cl) in c.clauses.iter_mut().enumerate() {
            if cl.pending && voted[i] {
                cl.pending = false;
                let note = cl.observed.as_deref().unwrap_or_default().replacen(
                    "chờ bỏ phiếu: chưa ghi",
                    "Hội đồng đã bỏ phiếu (có đề nghị cùng danh hiệu đã ghi số phiếu) nhưng dòng này chưa ghi",
                    1,
                );
                cl.observed = Some(note.into_boxed_str());
            }
            if cl.pending {
                awaiting = true;
            } else {
                verdict = verdict.and(cl.verdict);
            }
        }
        c.awaiting = awaiting;
        c.verdict = verdict;
    }
}
