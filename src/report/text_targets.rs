//! The text report's section on registered targets («CHỈ TIÊU ĐĂNG KÝ THI
//! ĐUA»): informational, after the rates. Apart from text.rs so that each
//! part stays small.

use super::model::*;
use super::words::*;
use std::fmt::Write;

/// The section, when the report has targets.
pub(super) fn section(o: &mut String, r: &Report) -> std::fmt::Result {
    if r.targets.is_empty() {
        return Ok(());
    }
    writeln!(o)?;
    writeln!(o, "{TARGETS_TITLE} ({TARGETS_NOTE})")?;
    for t in &r.targets {
        writeln!(o)?;
        writeln!(
            o,
            "[{}] {} — đăng ký: {}",
            target_result(t.result),
            target_unit(t),
            target_registered(t)
        )?;
        for (label, value) in target_lines(t) {
            writeln!(o, "  {label}: {value}")?;
        }
        if let Some(cite) = &t.cite {
            writeln!(o, "  Căn cứ: {cite}")?;
        }
        writeln!(o, "  ({})", target_source(t))?;
    }
    Ok(())
}
