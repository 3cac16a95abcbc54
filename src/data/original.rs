//! A list's cells as they were sent, every row and column in place, for the
//! renderers that give the list back (xlsx, csv). Read again from the file
//! only when such a renderer asks: the check itself never keeps them.

use std::io::Cursor;

use super::{DataError, ListSource, is_workbook_bytes, workbook};

/// The cells of one list: `rows[n - 1]` is row `n` as the check numbers
/// rows (a sheet's row, or a CSV's record), title rows and header included.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Original {
    pub rows: Vec<Vec<String>>,
    /// The list was a workbook (its numbers were numbers).
    pub workbook: bool,
}

impl Original {
    /// Row `n` (1-based), or no cells past the end.
    pub fn row(&self, n: u64) -> &[String] {
        usize::try_from(n)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| self.rows.get(i))
            .map_or(&[], Vec::as_slice)
    }

    /// The widest row's width.
    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }
}

/// Reads the list of `source` again: its sheet, for a workbook, or a CSV
/// separated by `delimiter` (as the check found it).
pub fn read_original(source: &ListSource, delimiter: u8) -> Result<Original, DataError> {
    let name = &source.name;
    let bytes: std::sync::Arc<[u8]> = match &source.place {
        super::Place::File(p) => std::fs::read(p)
            .map_err(|e| DataError::Io {
                path: name.clone(),
                message: e.to_string(),
            })?
            .into(),
        super::Place::Memory(bytes) => bytes.clone(),
    };
    if is_workbook_bytes(&bytes) {
        let grid = workbook::read_sheet(name, &bytes, source.sheet.as_deref(), &|_| false)?;
        return Ok(Original {
            rows: records(name, &grid.csv, b',')?,
            workbook: true,
        });
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    Ok(Original {
        rows: records(name, body, delimiter)?,
        workbook: false,
    })
}

/// The records of a CSV, one per row as the reader counts rows (empty
/// lines are skipped by both).
fn records(name: &str, bytes: &[u8], delimiter: u8) -> Result<Vec<Vec<String>>, DataError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(Cursor::new(bytes));
    let mut rows = Vec::new();
    for (i, record) in reader.byte_records().enumerate() {
        let record = record.map_err(|e| DataError::Io {
            path: name.to_string(),
            message: e.to_string(),
        })?;
        let cells = record
            .iter()
            .map(|f| match std::str::from_utf8(f) {
                Ok(t) => Ok(super::text::nfc(t)),
                Err(_) => Err(DataError::NotUtf8 {
                    path: name.to_string(),
                    row: i as u64 + 1,
                }),
            })
            .collect::<Result<Vec<_>, _>>()?;
        rows.push(cells);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_numbered_as_the_reader_numbers_them() {
        let csv = "\u{feff}Tiêu đề;;\n\nHọ tên;Đơn vị\n\"An\nB\";P1\nBình;P2\n";
        let o = read_original(&ListSource::bytes("ds.csv", csv.as_bytes().to_vec()), b';').unwrap();
        assert_eq!(o.row(1), ["Tiêu đề", "", ""]);
        assert_eq!(o.row(2), ["Họ tên", "Đơn vị"]);
        assert_eq!(o.row(3), ["An\nB", "P1"]);
        assert_eq!(o.row(4), ["Bình", "P2"]);
        assert!(o.row(5).is_empty());
        assert_eq!(o.width(), 3);
    }
}
