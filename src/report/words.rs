//! Words the text, HTML and xlsx reports share for their sections on
//! registered targets and on suspicious data: one place, so that the
//! printed report and the workbook say what the text report says.

use super::model::{Report, Target, TargetResult};
use super::text::rows;
use crate::data::DataIssue;
use std::fmt::Write;

/// The registered-targets section's title, and what it is for.
pub const TARGETS_TITLE: &str = "CHỈ TIÊU ĐĂNG KÝ THI ĐUA";
pub const TARGETS_NOTE: &str = "để tham khảo, không phải tiêu chí xét";

/// The data-warnings section's title, and what it means for the verdicts.
pub const WARNINGS_TITLE: &str = "CẢNH BÁO DỮ LIỆU";
pub const WARNINGS_NOTE: &str = "vẫn xét theo dữ liệu đã ghi, cần xem lại";

/// The label of a valid value's description, under a data error or warning.
pub const EXPECTED: &str = "cần";

/// A target's result in one word.
pub fn target_result(r: TargetResult) -> &'static str {
    match r {
        TargetResult::Exceeded => "VƯỢT",
        TargetResult::Met => "ĐẠT",
        TargetResult::NotMet => "KHÔNG ĐẠT",
        TargetResult::Unknown => "CHƯA XÁC ĐỊNH",
    }
}

/// The unit a target is registered for, with its year («Phòng A năm 2025»).
pub fn target_unit(t: &Target) -> String {
    let unit = if t.unit.is_empty() {
        "(không ghi đơn vị)"
    } else {
        t.unit.as_str()
    };
    match t.year {
        Some(y) => format!("{unit} năm {y}"),
        None => unit.to_string(),
    }
}

/// What was registered, in words, or the title when the row says no more.
pub fn target_registered(t: &Target) -> String {
    if t.registered.is_empty() {
        format!("«{}»", t.award_label)
    } else {
        t.registered.clone()
    }
}

/// The lines that explain a target's result, each with its label:
/// «Kết quả», «Lưu ý», the rows counted and those not decided (the
/// citation is apart: each report places it its own way).
pub fn target_lines(t: &Target) -> Vec<(&'static str, String)> {
    let mut lines = vec![("Kết quả", t.text.clone())];
    if let Some(note) = &t.note {
        lines.push(("Lưu ý", note.clone()));
    }
    if !t.rows.is_empty() {
        lines.push(("Dòng được đếm", rows(&t.rows)));
    }
    if !t.unknown_rows.is_empty() {
        lines.push(("Dòng chưa xác định", rows(&t.unknown_rows)));
    }
    lines
}

/// Where a target comes from: «Dòng 3 của danh sách chỉ tiêu».
pub fn target_source(t: &Target) -> String {
    format!("Dòng {} của danh sách chỉ tiêu", t.row)
}

/// Where a warning points, as a sentence starts: «Danh sách «…», Trang
/// «…», dòng 5, ô C5, cột «Năm xét» «2027»».
pub fn warning_place(r: &Report, w: &DataIssue) -> String {
    let input = r
        .inputs
        .iter()
        .find(|i| w.table.is_empty() || i.table == w.table);
    let mut place = String::new();
    if !w.table.is_empty() {
        let label = input.map_or(w.table.as_str(), |i| i.table_label.as_str());
        let _ = write!(place, "Danh sách «{label}», ");
    }
    if let Some(sheet) = input.and_then(|i| i.sheet.as_deref()) {
        let _ = write!(place, "Trang «{sheet}», ");
    }
    let _ = write!(place, "dòng {}", w.row);
    if !w.letter.is_empty() {
        let _ = write!(place, ", ô {}", w.cell());
    }
    if !w.header.is_empty() {
        let _ = write!(place, ", cột «{}» «{}»", w.header, w.value);
    }
    let mut chars = place.chars();
    let first = chars.next().map(|c| c.to_uppercase().to_string());
    format!("{}{}", first.unwrap_or_default(), chars.as_str())
}
