//! The empty list of a rule set (`tdkt template`): one sheet per table with
//! the headers the check reads, a note on each header saying what goes
//! there, and Excel's own checks on the cells (the labels of an enum in a
//! drop-down, Có/Không, declared number ranges). Filled in and checked, it
//! reads with no header or value error.

use crate::eval::reads::explained_columns;
use crate::semantic::model::{ColumnDef, Plan, TableDef, TableId, Type};
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatBorder,
    Formula, Note, Workbook, XlsxError,
};

/// Rows of a sheet given Excel's checks (the first rows a council fills).
const CHECKED_ROWS: u32 = 2000;

/// The sheet holding the drop-down lists.
const LISTS: &str = "Danh mục";

/// What goes in column `c` of `table`, as the note on its header says it.
pub fn column_note(plan: &Plan, table: TableId, c: usize) -> String {
    let t = &plan.tables[table];
    let col = &t.columns[c];
    let mut lines = vec![format!("{}: {}", col.header, kind(plan, col))];
    if let Some((lo, hi)) = col.range {
        lines.push(format!("Từ {lo} đến {hi}."));
    }
    lines.push(
        if col.optional {
            "Được để trống."
        } else if col.default.is_some() {
            "Để trống thì tính theo giá trị mặc định của bộ quy tắc."
        } else {
            "Cần ghi; ô trống làm tiêu chí đọc ô này chưa xác định."
        }
        .to_string(),
    );
    if t.key == Some(c) {
        lines.push("Mã của mỗi dòng, không trùng nhau.".to_string());
    }
    match &col.derived {
        Some(op) if op.counts_linked() => {
            lines.push("Khi có danh sách liên quan, tdkt tự đếm cột này.".to_string());
        }
        Some(op) => {
            let mut dates = Vec::new();
            op.month_sources(&mut dates);
            let names: Vec<&str> = dates
                .iter()
                .filter_map(|&d| t.columns.get(d))
                .map(|d| d.header.as_str())
                .collect();
            lines.push(format!(
                "Dòng có {} thì tdkt tự tính cột này (số tháng trọn đến hết năm xét); ô đã ghi mà khác số tính được thì có cảnh báo.",
                names.join(", ")
            ));
        }
        None => {}
    }
    if !col.aliases.is_empty() {
        lines.push(format!(
            "Tiêu đề khác được chấp nhận: {}.",
            col.aliases.join("; ")
        ));
    }
    let readers = readers(plan, table, c);
    if !readers.is_empty() {
        lines.push(format!("Dùng để xét: {}.", readers.join("; ")));
    }
    lines.join("\n")
}

/// The awards and rates that read column `c` of `table`.
fn readers(plan: &Plan, table: TableId, c: usize) -> Vec<String> {
    let mut out: Vec<String> = explained_columns(plan, table, &[])
        .iter()
        .enumerate()
        .filter(|(_, cols)| cols.contains(&c))
        .map(|(a, _)| plan.awards[a].label.clone())
        .collect();
    out.extend(
        plan.rates
            .iter()
            .filter(|r| r.table == table && r.group == c)
            .map(|r| format!("tỷ lệ «{}» (đếm theo cột này)", r.label)),
    );
    out
}

fn kind(plan: &Plan, col: &ColumnDef) -> String {
    match col.ty {
        Type::Text => "chữ.".to_string(),
        Type::Int => "số nguyên.".to_string(),
        Type::Decimal => "số (dấu phẩy hoặc dấu chấm thập phân).".to_string(),
        Type::Percent => "tỷ lệ phần trăm, ví dụ 15%.".to_string(),
        Type::Bool => "Có hoặc Không.".to_string(),
        Type::Date => "ngày, dạng dd/mm/yyyy.".to_string(),
        Type::Rounding => "cách làm tròn.".to_string(),
        Type::Enum(e) => {
            let labels: Vec<&str> = plan.enums[e]
                .values
                .iter()
                .map(|v| v.label.as_str())
                .collect();
            format!("một trong: {}.", labels.join("; "))
        }
    }
}

/// The tables a template holds: `only`, or all.
fn tables(plan: &Plan, only: Option<TableId>) -> Vec<(TableId, &TableDef)> {
    plan.tables
        .iter()
        .enumerate()
        .filter(|(i, _)| only.is_none_or(|o| o == *i))
        .collect()
}

/// The workbook of the empty lists.
pub fn xlsx(plan: &Plan, only: Option<TableId>) -> Result<Vec<u8>, String> {
    build(plan, only).map_err(|e| format!("Không tạo được bảng tính mẫu: {e}"))
}

fn build(plan: &Plan, only: Option<TableId>) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_background_color(Color::RGB(0xDDEBF7));
    // The drop-down lists, one column per enum, on a hidden sheet: a list
    // written into the validation itself is limited to 255 characters.
    let mut lists = Vec::new();
    for (e, def) in plan.enums.iter().enumerate() {
        lists.push((
            e,
            def.values
                .iter()
                .map(|v| v.label.clone())
                .collect::<Vec<_>>(),
        ));
    }
    lists.push((usize::MAX, vec!["Có".to_string(), "Không".to_string()]));
    let mut names = Vec::new();
    for (t, table) in tables(plan, only) {
        let sheet = book.add_worksheet();
        let name = sheet_name(&table.label, &names);
        sheet.set_name(&name)?;
        names.push(name);
        for (c, col) in table.columns.iter().enumerate() {
            let c16 = c as u16;
            sheet.write_string_with_format(0, c16, &col.header, &head)?;
            sheet.set_column_width(
                c16,
                (col.header.chars().count() as f64 * 1.1).clamp(10.0, 40.0),
            )?;
            let note = Note::new(column_note(plan, t, c))
                .add_author_prefix(false)
                .set_width(360)
                .set_height(200);
            sheet.insert_note(0, c16, &note)?;
            if let Some(v) = validation(col, &lists)? {
                sheet.add_data_validation(1, c16, CHECKED_ROWS, c16, &v)?;
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        sheet.set_row_height(0, 45)?;
    }
    let sheet = book.add_worksheet();
    sheet.set_name(LISTS)?;
    for (k, (_, values)) in lists.iter().enumerate() {
        for (r, v) in values.iter().enumerate() {
            sheet.write_string(r as u32, k as u16, v)?;
        }
    }
    sheet.set_hidden(true);
    book.save_to_buffer()
}

/// A sheet name Excel accepts (31 characters at most), unique.
fn sheet_name(label: &str, taken: &[String]) -> String {
    let base: String = label
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(28)
        .collect();
    let mut name = base.trim().to_string();
    let mut n = 2;
    while taken.contains(&name) || name == LISTS {
        name = format!("{} {n}", base.trim());
        n += 1;
    }
    name
}

/// A1 letters of column `k` (0-based).
fn letters(mut k: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (k % 26) as u8);
        if k < 26 {
            break;
        }
        k = k / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

fn validation(
    col: &ColumnDef,
    lists: &[(usize, Vec<String>)],
) -> Result<Option<DataValidation>, XlsxError> {
    let list = |key: usize| -> Option<DataValidation> {
        let k = lists.iter().position(|(e, _)| *e == key)?;
        let n = lists[k].1.len();
        let col = letters(k);
        Some(
            DataValidation::new()
                .allow_list_formula(Formula::new(format!("='{LISTS}'!${col}$1:${col}${n}"))),
        )
    };
    let bounds = col
        .range
        .and_then(|(lo, hi)| Some((lo.to_f64()?, hi.to_f64()?)));
    let v = match col.ty {
        Type::Enum(e) => list(e),
        Type::Bool => list(usize::MAX),
        Type::Int => col
            .range
            .and_then(|(lo, hi)| Some((lo.to_i32()?, hi.to_i32()?)))
            .map(|(lo, hi)| {
                DataValidation::new().allow_whole_number(DataValidationRule::Between(lo, hi))
            }),
        Type::Decimal | Type::Percent => bounds.map(|(lo, hi)| {
            DataValidation::new().allow_decimal_number(DataValidationRule::Between(lo, hi))
        }),
        _ => None,
    };
    let Some(v) = v else {
        return Ok(None);
    };
    // A warning, not a stop: a council may write several proposals in one
    // cell («CSTĐCS; Giấy khen») or a spelling the rules accept as an alias.
    Ok(Some(
        v.set_error_style(DataValidationErrorStyle::Warning)
            .set_error_title("Giá trị chưa đúng mẫu")?
            .set_error_message("Giá trị này không có trong danh mục hoặc ngoài khoảng cho phép; xem ghi chú ở tiêu đề cột.")?,
    ))
}

/// The empty list of one table as CSV for Excel (UTF-8 with BOM): its
/// header row.
pub fn csv(table: &TableDef) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let _ = w.write_record(table.columns.iter().map(|c| c.header.as_str()));
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(letters(0), "A");
        assert_eq!(letters(25), "Z");
        assert_eq!(letters(26), "AA");
        assert_eq!(letters(27), "AB");
        assert_eq!(letters(701), "ZZ");
        assert_eq!(letters(702), "AAA");
    }
}
