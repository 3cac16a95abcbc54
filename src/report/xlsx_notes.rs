//! The workbook's sheets that inform and judge nothing: «Chỉ tiêu thi đua»
//! and «Cảnh báo dữ liệu», each only when the report has some, in the text
//! report's words ([`super::words`]). Every text cell goes through the
//! writer's neutralising helper.

use super::model::{Report, TargetResult};
use super::words::*;
use super::xlsx::{fill, header, text};
use crate::eval::Tri;
use rust_xlsxwriter::{Worksheet, XlsxError};

pub(super) const TARGETS_SHEET: &str = "Chỉ tiêu thi đua";
pub(super) const WARNINGS_SHEET: &str = "Cảnh báo dữ liệu";

/// Each unit's registered targets against the list, coloured by result.
pub(super) fn targets_sheet(sheet: &mut Worksheet, r: &Report) -> Result<(), XlsxError> {
    sheet.set_name(TARGETS_SHEET)?;
    let heads = [
        "Dòng",
        "Đơn vị",
        "Đăng ký",
        "Kết quả",
        "Diễn giải",
        "Căn cứ",
    ];
    header(sheet, 0, &heads)?;
    text(sheet, 0, 6, &format!("({TARGETS_NOTE})"))?;
    for (k, t) in r.targets.iter().enumerate() {
        let row = k as u32 + 1;
        let f = fill(match t.result {
            TargetResult::Exceeded | TargetResult::Met => Tri::True,
            TargetResult::NotMet => Tri::False,
            TargetResult::Unknown => Tri::Unknown,
        });
        let lines: Vec<String> = target_lines(t)
            .into_iter()
            .map(|(label, value)| format!("{label}: {value}"))
            .collect();
        sheet.write_number_with_format(row, 0, t.row as f64, &f)?;
        for (col, s) in [
            target_unit(t),
            target_registered(t),
            target_result(t.result).to_string(),
            lines.join("\n"),
            t.cite.clone().unwrap_or_default(),
        ]
        .iter()
        .enumerate()
        {
            sheet.write_string_with_format(
                row,
                col as u16 + 1,
                &*super::listing::neutral(s),
                &f,
            )?;
        }
    }
    sheet.set_column_width(1, 28)?;
    sheet.set_column_width(2, 40)?;
    sheet.set_column_width(3, 16)?;
    sheet.set_column_width(4, 60)?;
    sheet.set_column_width(5, 36)?;
    Ok(())
}

/// Data that looks wrong though it could be read: where, what, what to do.
pub(super) fn warnings_sheet(sheet: &mut Worksheet, r: &Report) -> Result<(), XlsxError> {
    sheet.set_name(WARNINGS_SHEET)?;
    header(sheet, 0, &["Dòng", "Vị trí", "Cảnh báo", "Cần"])?;
    text(sheet, 0, 4, &format!("({WARNINGS_NOTE})"))?;
    for (k, w) in r.data_warnings.iter().enumerate() {
        let row = k as u32 + 1;
        sheet.write_number(row, 0, w.row as f64)?;
        text(sheet, row, 1, &warning_place(r, w))?;
        text(sheet, row, 2, &w.message)?;
        text(sheet, row, 3, &w.expected)?;
    }
    sheet.set_column_width(1, 50)?;
    sheet.set_column_width(2, 60)?;
    sheet.set_column_width(3, 40)?;
    Ok(())
}
