//! The text report's parts about the council: candidates waiting for its
//! ballot. Apart from text.rs so that each part stays small.

use super::model::*;
use crate::eval::Tri;
use std::fmt::Write;

/// The summary's line on the ballot, when some candidate waits for it.
pub(super) fn summary_line(o: &mut String, s: &Summary) -> std::fmt::Result {
    if s.awaiting_vote > 0 {
        writeln!(
            o,
            "Chờ Hội đồng bỏ phiếu: {} đề nghị (kết quả trên chưa tính tiêu chí bỏ phiếu của các đề nghị này).",
            s.awaiting_vote
        )?;
    }
    Ok(())
}

/// ", CHỜ BỎ PHIẾU" after a candidate's verdict when its vote waits (not
/// after a fail: the vote would not change it).
pub(super) fn verdict_suffix(c: &Candidate) -> &'static str {
    if c.awaiting_vote && c.verdict != Tri::False {
        ", CHỜ BỎ PHIẾU"
    } else {
        ""
    }
}

/// A list without a vote column: made before the ballot.
pub(super) fn absent_ballot_column(
    o: &mut String,
    a: &crate::data::AbsentColumn,
) -> std::fmt::Result {
    writeln!(
        o,
        "  Không có cột «{}»: chưa bỏ phiếu, tiêu chí bỏ phiếu chờ Hội đồng",
        a.header
    )
}

/// The section of candidates that meet every other criterion and wait for
/// the ballot («đạt, chờ bỏ phiếu»): the list the council votes on.
pub(super) fn awaiting_section(o: &mut String, r: &Report) -> std::fmt::Result {
    let waiting: Vec<&Candidate> = r
        .candidates
        .iter()
        .filter(|c| c.awaiting_vote && c.verdict == Tri::True)
        .collect();
    if waiting.is_empty() {
        return Ok(());
    }
    writeln!(o)?;
    writeln!(o, "ĐỀ NGHỊ ĐẠT CÁC TIÊU CHUẨN, CHỜ HỘI ĐỒNG BỎ PHIẾU")?;
    for c in waiting {
        write!(o, "  Dòng {}", c.row)?;
        if !c.key.is_empty() {
            write!(o, " · {}", c.key)?;
        }
        if let Some(n) = &c.name {
            write!(o, " · {n}")?;
        }
        writeln!(o, " — «{}»: đạt, chờ bỏ phiếu", c.award_label)?;
        for reason in c.reasons.iter().filter(|x| x.pending) {
            write!(o, "      {}", reason.message())?;
            match reason.cite() {
                Some(cite) => writeln!(o, " — {cite}")?,
                None => writeln!(o)?,
            }
        }
    }
    Ok(())
}
