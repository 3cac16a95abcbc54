//! The printable report's sections that inform and judge nothing: the
//! registered targets and the suspicious data, in the text report's words
//! ([`super::words`]). Apart from html.rs so that each part stays small.

use super::model::{Report, TargetResult};
use super::words::*;
use maud::{Markup, html};

/// A section's number as the report prints it (I, II, … X).
pub(super) fn roman(n: usize) -> &'static str {
    const R: [&str; 11] = [
        "", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
    ];
    R.get(n).copied().unwrap_or("")
}

fn class(t: TargetResult) -> &'static str {
    match t {
        TargetResult::Exceeded | TargetResult::Met => "dat",
        TargetResult::NotMet => "khong-dat",
        TargetResult::Unknown => "chua-ro",
    }
}

/// Each unit's registered targets against the list, when the check had a
/// target list; numbered `n`.
pub(super) fn targets(r: &Report, n: usize) -> Markup {
    html! {
        @if !r.targets.is_empty() {
            h2 { (roman(n)) ". " (TARGETS_TITLE) }
            p.ghi-chu { "(" (TARGETS_NOTE) ")" }
            table {
                tr { th.stt { "STT" } th.ten { "Đơn vị" } th { "Đăng ký" } th.ket-qua { "Kết quả" } th { "Diễn giải" } th.can-cu { "Căn cứ" } }
                @for (i, t) in r.targets.iter().enumerate() {
                    tr {
                        td.giua { (i + 1) }
                        td { (target_unit(t)) br; span.ghi-chu { (target_source(t)) } }
                        td { (target_registered(t)) }
                        td class=(class(t.result)) { (target_result(t.result)) }
                        td { @for (label, value) in target_lines(t) { div { (label) ": " (value) } } }
                        td { @if let Some(c) = &t.cite { (c) } }
                    }
                }
            }
        }
    }
}

/// Data that looks wrong though it could be read, when there is some;
/// numbered `n`.
pub(super) fn warnings(r: &Report, n: usize) -> Markup {
    html! {
        @if !r.data_warnings.is_empty() {
            h2 { (roman(n)) ". " (WARNINGS_TITLE) }
            p.ghi-chu { "(" (WARNINGS_NOTE) ")" }
            table {
                tr { th.stt { "STT" } th.ten { "Vị trí" } th { "Cảnh báo" } th.can-cu { "Cần" } }
                @for (i, w) in r.data_warnings.iter().enumerate() {
                    tr {
                        td.giua { (i + 1) }
                        td { (warning_place(r, w)) }
                        td { (w.message) }
                        td { (w.expected) }
                    }
                }
            }
        }
    }
}
