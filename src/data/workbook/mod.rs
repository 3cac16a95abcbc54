//! Workbooks (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`): one sheet turned
//! into the CSV the reader reads, one record per sheet row, so that row
//! numbers are the sheet's.

mod cells;
mod hidden;
#[cfg(test)]
mod tests;

use std::io::Cursor;

use calamine::{Data, Dimensions, Range, Reader, SheetType, SheetVisible, Sheets};

use super::DataError;
use super::text::fold;

/// Rows of a sheet given to `matches` when the sheet is chosen by its header.
pub const MATCH_ROWS: usize = 30;

/// One sheet of a workbook, as CSV text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SheetCsv {
    /// The sheet's name as the workbook shows it.
    pub sheet: String,
    /// UTF-8, comma-separated, one record per row of the sheet from row 1
    /// (blank rows as blank records), column A first.
    pub csv: Vec<u8>,
    /// Rows (1-based, as Excel numbers them) hidden in the sheet.
    pub hidden_rows: Vec<u64>,
}

/// Reads sheet `sheet` of the workbook in `bytes` (`name` is shown in
/// messages), or when `sheet` is `None`, the first visible sheet for which
/// `matches` (given the sheet's first [`MATCH_ROWS`] rows as text) is true,
/// else the first visible sheet.
pub fn read_sheet(
    name: &str,
    bytes: &[u8],
    sheet: Option<&str>,
    matches: &dyn Fn(&[Vec<String>]) -> bool,
) -> Result<SheetCsv, DataError> {
    // A damaged file must give an error, not stop the program, whatever the
    // parsers underneath do with it.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read(name, bytes, sheet, matches)
    }))
    .unwrap_or_else(|_| Err(damaged(name)))
}

fn read(
    name: &str,
    bytes: &[u8],
    sheet: Option<&str>,
    matches: &dyn Fn(&[Vec<String>]) -> bool,
) -> Result<SheetCsv, DataError> {
    let mut book =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|_| damaged(name))?;
    let sheets = book.sheets_metadata().to_vec();
    let (title, grid) = match sheet {
        Some(wanted) => {
            let key = fold(wanted);
            let Some(found) = sheets.iter().find(|s| fold(&s.name) == key) else {
                return Err(DataError::NoSheet {
                    path: name.to_string(),
                    sheet: wanted.to_string(),
                    sheets: sheets.into_iter().map(|s| s.name).collect(),
                });
            };
            (
                found.name.clone(),
                Grid::load(&mut book, name, &found.name)?,
            )
        }
        None => choose(&mut book, name, &sheets, matches)?,
    };
    // Only an .xlsx (or .xlsm) says which rows it hides in a way read here:
    // calamine does not expose it for .xls, .xlsb or .ods, whose hidden rows
    // are read like the others without being reported.
    let hidden_rows = match book {
        Sheets::Xlsx(_) => hidden::hidden_rows(bytes, &title)
            .into_iter()
            .filter(|&r| r <= u64::from(grid.rows))
            .collect(),
        _ => Vec::new(),
    };
    Ok(SheetCsv {
        sheet: title,
        csv: grid.to_csv(name)?,
        hidden_rows,
    })
}

/// The first visible worksheet whose first rows `matches`, else the first
/// visible worksheet.
fn choose(
    book: &mut Sheets<Cursor<&[u8]>>,
    name: &str,
    sheets: &[calamine::Sheet],
    matches: &dyn Fn(&[Vec<String>]) -> bool,
) -> Result<(String, Grid), DataError> {
    let mut first: Option<(String, Grid)> = None;
    let candidates = sheets
        .iter()
        .filter(|s| s.visible == SheetVisible::Visible && s.typ == SheetType::WorkSheet);
    for s in candidates {
        let grid = Grid::load(book, name, &s.name)?;
        if matches(&grid.first_rows(MATCH_ROWS)) {
            return Ok((s.name.clone(), grid));
        }
        if first.is_none() {
            first = Some((s.name.clone(), grid));
        }
    }
    first.ok_or_else(|| DataError::Workbook {
        path: name.to_string(),
        message: "bảng tính không có trang tính nào đang hiện để đọc".to_string(),
    })
}

fn damaged(name: &str) -> DataError {
    DataError::Workbook {
        path: name.to_string(),
        message: "tệp bị hỏng, có mật khẩu, hoặc không phải bảng tính Excel \
                  (.xlsx, .xlsm, .xlsb, .xls) hay OpenDocument (.ods)"
            .to_string(),
    }
}

/// A sheet's cells from A1 to the last used cell, merged regions filled.
struct Grid {
    range: Range<Data>,
    /// Rows and columns from A1 to the end of the used range.
    rows: u32,
    cols: u32,
}

impl Grid {
    fn load(book: &mut Sheets<Cursor<&[u8]>>, name: &str, sheet: &str) -> Result<Grid, DataError> {
        let mut range = book
            .worksheet_range(sheet)
            .map_err(|_| DataError::Workbook {
                path: name.to_string(),
                message: format!(
                    "trang tính «{sheet}» bị hỏng, hoặc là biểu đồ chứ không phải bảng"
                ),
            })?;
        fill_merged(&mut range, &merged_regions(book, sheet));
        let (rows, cols) = range.end().map_or((0, 0), |(r, c)| (r + 1, c + 1));
        Ok(Grid { range, rows, cols })
    }

    /// Row `row` (0-based) as text, `cols` fields.
    fn row_texts(&self, row: u32) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
        (0..self.cols).map(move |c| {
            self.range
                .get_value((row, c))
                .map_or(std::borrow::Cow::Borrowed(""), cells::text)
        })
    }

    fn first_rows(&self, n: usize) -> Vec<Vec<String>> {
        let n = u32::try_from(n).unwrap_or(u32::MAX).min(self.rows);
        (0..n)
            .map(|r| self.row_texts(r).map(|t| t.into_owned()).collect())
            .collect()
    }

    fn to_csv(&self, name: &str) -> Result<Vec<u8>, DataError> {
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        let failed = |_| DataError::Workbook {
            path: name.to_string(),
            message: "không chuyển được trang tính thành bảng".to_string(),
        };
        for r in 0..self.rows {
            // A record of blank fields, never an empty line: the CSV reader
            // skips empty lines, which would shift the rows after them.
            out.write_record(self.row_texts(r).map(|t| t.into_owned()))
                .map_err(failed)?;
        }
        out.into_inner().map_err(|e| failed(e.into_error().into()))
    }
}

/// Merged regions of a sheet; calamine reads none from .xlsb and .ods, whose
/// merged cells other than the top-left one read blank.
fn merged_regions(book: &mut Sheets<Cursor<&[u8]>>, sheet: &str) -> Vec<Dimensions> {
    // Merged regions only copy values; a sheet whose regions cannot be read
    // is still read as it is.
    match book {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        Sheets::Xlsb(_) | Sheets::Ods(_) => Vec::new(),
    }
}

/// Copies the value of each merged region's top-left cell into every cell
/// of the region (within the used range), as a reader of the sheet sees it.
fn fill_merged(range: &mut Range<Data>, regions: &[Dimensions]) {
    let Some((last_row, last_col)) = range.end() else {
        return;
    };
    for d in regions {
        let value = match range.get_value(d.start) {
            Some(v) if *v != Data::Empty => v.clone(),
            _ => continue,
        };
        for r in d.start.0..=d.end.0.min(last_row) {
            for c in d.start.1..=d.end.1.min(last_col) {
                if (r, c) != d.start {
                    range.set_value((r, c), value.clone());
                }
            }
        }
    }
}
