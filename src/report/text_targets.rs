//! The text report's section on registered targets («CHỈ TIÊU ĐĂNG KÝ THI
//! ĐUA»): informational, after the rates. Apart from text.rs so that each
//! part stays small.

use super::model::*;
use super::text::rows;
use std::fmt::Write;

fn result_word(r: TargetResult) -> &'static str {
    match r {
        TargetResult::Exceeded => "VƯỢT",
        TargetResult::Met => "ĐẠT",
        TargetResult::NotMet => "KHÔNG ĐẠT",
        TargetResult::Unknown => "CHƯA XÁC ĐỊNH",
    }
}

/// The section, when the report has targets.
pub(super) fn section(o: &mut String, r: &Report) -> std::fmt::Result {
    if r.targets.is_empty() {
        return Ok(());
    }
    writeln!(o)?;
    writeln!(
        o,
        "CHỈ TIÊU ĐĂNG KÝ THI ĐUA (để tham khảo, không phải tiêu chí xét)"
    )?;
    for t in &r.targets {
        writeln!(o)?;
        let unit = if t.unit.is_empty() {
            "(không ghi đơn vị)"
        } else {
            t.unit.as_str()
        };
        let year = t.year.map_or_else(String::new, |y| format!(" năm {y}"));
        let registered = if t.registered.is_empty() {
            format!("«{}»", t.award_label)
        } else {
            t.registered.clone()
        };
        writeln!(
            o,
            "[{}] {unit}{year} — đăng ký: {registered}",
            result_word(t.result)
        )?;
        writeln!(o, "  Kết quả: {}", t.text)?;
        if let Some(note) = &t.note {
            writeln!(o, "  Lưu ý: {note}")?;
        }
        if !t.rows.is_empty() {
            writeln!(o, "  Dòng được đếm: {}", rows(&t.rows))?;
        }
        if !t.unknown_rows.is_empty() {
            writeln!(o, "  Dòng chưa xác định: {}", rows(&t.unknown_rows))?;
        }
        if let Some(cite) = &t.cite {
            writeln!(o, "  Căn cứ: {cite}")?;
        }
        writeln!(o, "  (Dòng {} của danh sách chỉ tiêu)", t.row)?;
    }
    Ok(())
}
