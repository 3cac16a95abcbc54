//! The list back in Excel: each list's own sheet, every original cell in
//! place, with «Kết quả», «Lý do», «Căn cứ» added and rows coloured by
//! verdict; then «Tổng hợp», «Tỷ lệ theo đơn vị» (with «Cách khắc phục»),
//! «Danh hiệu cao hơn» when someone meets a higher title, «Chỉ tiêu thi
//! đua» when the check had targets, «Lỗi dữ liệu», «Cảnh báo dữ liệu» when
//! some data looks wrong.
//! Text is written as text and neutralised (see [`neutral`]); only cells
//! that are plain numbers are written as numbers.

use super::listing::{ADDED, Listing, NO_UNIT, neutral, row_results, tallies};
use super::model::Report;
use super::xlsx_notes as notes;
use crate::eval::Tri;
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, Worksheet, XlsxError};

/// Fill colours of a row: đủ điều kiện, không đủ, chưa xác định.
pub const PASS_FILL: u32 = 0xC6EFCE;
pub const FAIL_FILL: u32 = 0xFFC7CE;
pub const UNKNOWN_FILL: u32 = 0xFFEB9C;

pub(super) fn fill(t: Tri) -> Format {
    let rgb = match t {
        Tri::True => PASS_FILL,
        Tri::False => FAIL_FILL,
        Tri::Unknown => UNKNOWN_FILL,
    };
    Format::new()
        .set_background_color(Color::RGB(rgb))
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
}

/// The workbook's bytes.
pub fn render(r: &Report, l: &Listing) -> Result<Vec<u8>, String> {
    build(r, l).map_err(|e| format!("Không tạo được bảng tính kết quả: {e}"))
}

fn build(r: &Report, l: &Listing) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let mut names: Vec<String> = Vec::new();
    for (i, input) in r.inputs.iter().enumerate() {
        let Some(Some(cells)) = l.lists.get(i) else {
            continue;
        };
        let name = sheet_name(input.sheet.as_deref().unwrap_or(&cells.table_label), &names);
        names.push(name.clone());
        let sheet = book.add_worksheet();
        sheet.set_name(&name)?;
        list_sheet(sheet, r, l, i)?;
    }
    summary_sheet(book.add_worksheet(), r, l)?;
    rates_sheet(book.add_worksheet(), r)?;
    if !r.higher_titles.is_empty() {
        higher_sheet(book.add_worksheet(), r)?;
    }
    if !r.targets.is_empty() {
        notes::targets_sheet(book.add_worksheet(), r)?;
    }
    errors_sheet(book.add_worksheet(), r)?;
    if !r.data_warnings.is_empty() {
        notes::warnings_sheet(book.add_worksheet(), r)?;
    }
    book.save_to_buffer()
}

/// A sheet name Excel accepts (31 characters, none of `[]:*?/\`), unique.
fn sheet_name(wanted: &str, taken: &[String]) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c })
        .take(28)
        .collect();
    let clean = clean.trim().to_string();
    let base = if clean.is_empty()
        || [
            "Tổng hợp",
            "Tỷ lệ theo đơn vị",
            "Danh hiệu cao hơn",
            "Lỗi dữ liệu",
            notes::TARGETS_SHEET,
            notes::WARNINGS_SHEET,
        ]
        .contains(&clean.as_str())
    {
        format!("DS {clean}")
    } else {
        clean
    };
    let mut name = base.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        name = format!("{base} {n}");
        n += 1;
    }
    name
}

/// Whether `s` is a number as a spreadsheet writes one plainly (no leading
/// zero, sign or spaces): only such cells become numbers again.
fn plain_number(s: &str) -> Option<f64> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let ok = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && (int == "0" || !int.starts_with('0'))
        && !(digits.contains('.') && frac.is_empty())
        && int.len() <= 15;
    if ok { s.parse().ok() } else { None }
}

fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if text.is_empty() {
        sheet.write_blank(row, col, format)?;
    } else if let Some(n) = plain_number(text) {
        sheet.write_number_with_format(row, col, n, format)?;
    } else {
        sheet.write_string_with_format(row, col, &*neutral(text), format)?;
    }
    Ok(())
}

fn list_sheet(sheet: &mut Worksheet, r: &Report, l: &Listing, i: usize) -> Result<(), XlsxError> {
    let Some(Some(cells)) = l.lists.get(i) else {
        return Ok(());
    };
    let results = row_results(r, l, i);
    let header_row = cells.header_row;
    let width = cells.original.width().max(cells.headers().len());
    let last_col = (width + ADDED.len()).saturating_sub(1) as u16;
    let plain = Format::new().set_text_wrap();
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_background_color(Color::RGB(0xDDEBF7));
    let title = Format::new()
        .set_bold()
        .set_align(rust_xlsxwriter::FormatAlign::Center);
    let fills = [fill(Tri::True), fill(Tri::False), fill(Tri::Unknown)];
    for (k, cells_of_row) in cells.original.rows.iter().enumerate() {
        let n = k as u64 + 1;
        let row = k as u32;
        if n < header_row {
            // A merged title reads as its text in every cell: written once,
            // merged again across the table.
            let filled: Vec<&String> = cells_of_row.iter().filter(|c| !c.is_empty()).collect();
            if filled.len() > 1 && filled.iter().all(|c| *c == filled[0]) {
                sheet.merge_range(row, 0, row, last_col, &neutral(filled[0]), &title)?;
                continue;
            }
        }
        let (format, added) = if n == header_row {
            (&head, Some(ADDED.map(String::from)))
        } else {
            match results.get(&n) {
                Some(res) => {
                    let f = match res.verdict {
                        Tri::True => &fills[0],
                        Tri::False => &fills[1],
                        Tri::Unknown => &fills[2],
                    };
                    (
                        f,
                        Some([res.result.clone(), res.reasons.clone(), res.cites.clone()]),
                    )
                }
                None => (&plain, None),
            }
        };
        let coloured = n == header_row || added.is_some();
        for col in 0..width {
            let text = cells_of_row.get(col).map_or("", String::as_str);
            // Blank cells of a result row carry its colour too.
            if coloured || !text.is_empty() {
                write_cell(sheet, row, col as u16, text, format)?;
            }
        }
        if let Some(added) = added {
            for (j, text) in added.iter().enumerate() {
                let col = (width + j) as u16;
                sheet.write_string_with_format(row, col, &*neutral(text), format)?;
            }
        }
    }
    if header_row >= 1 {
        let h = (header_row - 1) as u32;
        sheet.set_freeze_panes(h + 1, 0)?;
        let last_row = (cells.original.rows.len() as u32).saturating_sub(1).max(h);
        sheet.autofilter(h, 0, last_row, last_col)?;
    }
    for j in 0..ADDED.len() {
        let w = if j == 0 { 22.0 } else { 45.0 };
        sheet.set_column_width((width + j) as u16, w)?;
    }
    Ok(())
}

pub(super) fn header(sheet: &mut Worksheet, row: u32, heads: &[&str]) -> Result<(), XlsxError> {
    let bold = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_background_color(Color::RGB(0xDDEBF7));
    for (c, h) in heads.iter().enumerate() {
        sheet.write_string_with_format(row, c as u16, *h, &bold)?;
    }
    sheet.set_freeze_panes(row + 1, 0)?;
    Ok(())
}

pub(super) fn text(sheet: &mut Worksheet, row: u32, col: u16, s: &str) -> Result<(), XlsxError> {
    sheet.write_string(row, col, &*neutral(s))?;
    Ok(())
}

fn summary_sheet(sheet: &mut Worksheet, r: &Report, l: &Listing) -> Result<(), XlsxError> {
    sheet.set_name("Tổng hợp")?;
    let t = tallies(r, l);
    let heads = [
        "",
        "Đề nghị",
        "Đủ điều kiện",
        "Không đủ điều kiện",
        "Chưa xác định",
        "Trong đó chờ bỏ phiếu",
    ];
    header(sheet, 0, &heads)?;
    let mut row = 1;
    let bold = Format::new().set_bold();
    for (title, list) in [
        ("Theo hình thức đề nghị", &t.by_award),
        ("Theo đơn vị", &t.by_unit),
    ] {
        sheet.write_string_with_format(row, 0, title, &bold)?;
        row += 1;
        for (label, counts) in list {
            text(
                sheet,
                row,
                0,
                if label.is_empty() { NO_UNIT } else { label },
            )?;
            for (j, n) in counts.iter().enumerate() {
                sheet.write_number(row, j as u16 + 1, *n as f64)?;
            }
            row += 1;
        }
    }
    sheet.write_string_with_format(row, 0, "Cộng", &bold)?;
    for (j, n) in t.total.iter().enumerate() {
        sheet.write_number_with_format(row, j as u16 + 1, *n as f64, &bold)?;
    }
    sheet.set_column_width(0, 40)?;
    Ok(())
}

fn rates_sheet(sheet: &mut Worksheet, r: &Report) -> Result<(), XlsxError> {
    sheet.set_name("Tỷ lệ theo đơn vị")?;
    let heads = [
        "Quy định",
        "Đơn vị",
        "Đếm được",
        "Trên tổng",
        "Tỷ lệ",
        "Cách tính",
        "Kết quả",
        "Diễn giải",
        "Căn cứ",
        "Cách khắc phục",
    ];
    header(sheet, 0, &heads)?;
    for (k, g) in r.groups.iter().enumerate() {
        let row = k as u32 + 1;
        let f = fill(g.verdict);
        sheet.write_string_with_format(row, 0, &*neutral(&g.rule_label), &f)?;
        sheet.write_string_with_format(row, 1, &*neutral(&g.group), &f)?;
        sheet.write_number_with_format(row, 2, g.numerator as f64, &f)?;
        sheet.write_number_with_format(row, 3, g.denominator as f64, &f)?;
        sheet.write_string_with_format(row, 4, &*neutral(&g.share), &f)?;
        let mut how = g.limit.clone();
        if let Some(b) = &g.borderline {
            how = format!("{how}; {b}");
        }
        sheet.write_string_with_format(row, 5, &*neutral(&how), &f)?;
        let verdict = match g.verdict {
            Tri::True => "Đạt",
            Tri::False => "Không đạt",
            Tri::Unknown => "Chưa xác định",
        };
        sheet.write_string_with_format(row, 6, verdict, &f)?;
        sheet.write_string_with_format(row, 7, &*neutral(&g.message), &f)?;
        sheet.write_string_with_format(row, 8, &*neutral(g.cite.as_deref().unwrap_or("")), &f)?;
        let remedy = g.remedy.as_ref().map_or("", |x| x.text.as_str());
        sheet.write_string_with_format(row, 9, &*neutral(remedy), &f)?;
    }
    sheet.set_column_width(9, 50)?;
    sheet.set_column_width(0, 40)?;
    sheet.set_column_width(1, 28)?;
    sheet.set_column_width(5, 36)?;
    sheet.set_column_width(7, 36)?;
    Ok(())
}

/// Passing candidates who meet the standard of a higher title than the
/// one proposed, with the criteria they meet.
fn higher_sheet(sheet: &mut Worksheet, r: &Report) -> Result<(), XlsxError> {
    sheet.set_name("Danh hiệu cao hơn")?;
    header(
        sheet,
        0,
        &[
            "Dòng",
            "Mã",
            "Họ và tên / Tên tập thể",
            "Đơn vị",
            "Hình thức đề nghị",
            "Đạt tiêu chuẩn",
            "Lý do",
            "Căn cứ",
        ],
    )?;
    for (k, h) in r.higher_titles.iter().enumerate() {
        let row = k as u32 + 1;
        let reasons: Vec<String> = h
            .reasons
            .iter()
            .map(|x| match &x.detail {
                Some(d) => format!("{}: {d}", x.message),
                None => x.message.clone(),
            })
            .collect();
        let mut cites: Vec<&str> = Vec::new();
        for c in h.reasons.iter().filter_map(|x| x.cite.as_deref()) {
            if !cites.contains(&c) {
                cites.push(c);
            }
        }
        sheet.write_number(row, 0, h.row as f64)?;
        text(sheet, row, 1, &h.key)?;
        text(sheet, row, 2, h.name.as_deref().unwrap_or(""))?;
        text(sheet, row, 3, h.unit.as_deref().unwrap_or(NO_UNIT))?;
        text(sheet, row, 4, &h.proposed_label)?;
        text(sheet, row, 5, &h.award_label)?;
        text(sheet, row, 6, &reasons.join("; "))?;
        text(sheet, row, 7, &cites.join("; "))?;
    }
    sheet.set_column_width(2, 28)?;
    sheet.set_column_width(3, 24)?;
    sheet.set_column_width(4, 24)?;
    sheet.set_column_width(5, 24)?;
    sheet.set_column_width(6, 60)?;
    sheet.set_column_width(7, 40)?;
    Ok(())
}

fn errors_sheet(sheet: &mut Worksheet, r: &Report) -> Result<(), XlsxError> {
    sheet.set_name("Lỗi dữ liệu")?;
    header(
        sheet,
        0,
        &["Danh sách", "Dòng", "Cột", "Giá trị", "Lỗi", "Cần"],
    )?;
    let mut row = 1;
    for e in &r.data_errors {
        text(sheet, row, 0, &e.table)?;
        sheet.write_number(row, 1, e.row as f64)?;
        text(sheet, row, 2, &e.header)?;
        text(sheet, row, 3, &e.value)?;
        text(sheet, row, 4, &e.message)?;
        text(sheet, row, 5, &e.expected)?;
        row += 1;
    }
    for u in &r.unchecked {
        sheet.write_number(row, 1, u.row as f64)?;
        text(sheet, row, 2, &u.header)?;
        text(sheet, row, 3, &u.value)?;
        text(sheet, row, 4, "đề nghị chưa có quy tắc kiểm tra")?;
        row += 1;
    }
    sheet.set_column_width(4, 50)?;
    sheet.set_column_width(5, 40)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_numbers_become_numbers() {
        assert_eq!(plain_number("12"), Some(12.0));
        assert_eq!(plain_number("93.5"), Some(93.5));
        assert_eq!(plain_number("-2"), Some(-2.0));
        assert_eq!(plain_number("0.5"), Some(0.5));
        for s in [
            "001",
            "CB01",
            "93,5",
            "+5",
            "1.",
            ".5",
            "1e5",
            " 12",
            "0123456789012345678",
        ] {
            assert_eq!(plain_number(s), None, "{s}");
        }
    }
}
