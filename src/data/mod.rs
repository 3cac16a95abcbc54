//! The data layer: reads a CSV list, matches its headers to a table's
//! columns, parses and normalises cell values and reports data errors.

pub mod original;
mod quotes;
mod reader;
pub mod records;
mod source;
mod tap;
pub(crate) mod text;
mod value;
pub mod workbook;

pub use reader::{
    AbsentColumn, Delimiter, PieceEnd, Pieces, RowMaker, TableReader, TextFiller, column_letter,
    reading_signature,
};
pub use source::{ListSource, Place, is_workbook_bytes, is_workbook_name};
pub use value::parse_cell;

use std::fmt;

use text::{quote, quote_list};

/// One cell, typed. Text content lives in `Row::texts[col]` (so rows allocate
/// nothing after warm-up).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Blank,
    Invalid,
    Int(i64),
    Decimal(rust_decimal::Decimal),
    Bool(bool),
    /// Days since 1970-01-01.
    Date(i32),
    /// Index of the value in its enum.
    Enum(u16),
    Text,
    /// The list has no such column: unknown, never "none".
    Absent,
}

/// One row of a table, in the table's column order (ColumnDef order), reused
/// between rows.
#[derive(Debug, Default, Clone)]
pub struct Row {
    /// 1-based row number as a spreadsheet shows it: the header is row 1, the
    /// first record row 2 (records, not physical lines: a quoted multi-line
    /// cell is still one row).
    pub line: u64,
    pub cells: Vec<Cell>,
    /// NFC-normalised, trimmed text of every column read (for every type, the
    /// raw text as it appears after NFC+trim; used for reports). Empty for a
    /// blank cell or a column absent from the file (or the default's text for
    /// a text column with a default).
    pub texts: Vec<String>,
    /// The record the row was read from (for texts written later, see
    /// [`TextFiller`]).
    pub raw: records::Record,
    /// The row is another proposal of the row read before it (a cell
    /// naming several): the same person, not counted again.
    pub alternative: bool,
    /// When the row's proposal cell named several proposals: the cell's
    /// column and every proposal it named (the row and its alternatives
    /// share the row's other cells).
    pub several: Option<(usize, Vec<u16>)>,
}

/// A problem with one cell: the row is still read; the cell becomes
/// `Cell::Invalid` (or `Blank`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DataIssue {
    /// The table (list) the row belongs to, when a check reads several.
    pub table: String,
    pub row: u64,
    /// Column id, e.g. "xep_loai".
    pub column: String,
    /// Vietnamese header of the column from the schema.
    pub header: String,
    /// The column's letter as a spreadsheet shows it ("H"), when the list
    /// has the column; with `row`, the cell ([`DataIssue::cell`]).
    pub letter: String,
    /// The cell text as found (NFC), "" for blank.
    pub value: String,
    /// Vietnamese, e.g. "«Hoàn thành tôt» không phải giá trị hợp lệ của cột".
    pub message: String,
    /// Vietnamese, what a valid value looks like.
    pub expected: String,
}

impl DataIssue {
    /// The cell as a spreadsheet names it ("H12"), or "" when the list
    /// lacks the column.
    pub fn cell(&self) -> String {
        if self.letter.is_empty() {
            String::new()
        } else {
            format!("{}{}", self.letter, self.row)
        }
    }
}

impl serde::Serialize for DataIssue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("DataIssue", 8)?;
        if self.table.is_empty() {
            st.skip_field("table")?;
        } else {
            st.serialize_field("table", &self.table)?;
        }
        st.serialize_field("row", &self.row)?;
        st.serialize_field("column", &self.column)?;
        st.serialize_field("header", &self.header)?;
        if self.letter.is_empty() {
            st.skip_field("cell")?;
        } else {
            st.serialize_field("cell", &self.cell())?;
        }
        st.serialize_field("value", &self.value)?;
        st.serialize_field("message", &self.message)?;
        st.serialize_field("expected", &self.expected)?;
        st.end()
    }
}

/// An error that stops reading the file (the command cannot run).
#[derive(Debug, Clone, PartialEq)]
pub enum DataError {
    Io {
        path: String,
        message: String,
    },
    NotUtf8 {
        path: String,
        row: u64,
    },
    /// No header row.
    Empty {
        path: String,
    },
    /// (id, header) of every missing needed column; all headers found.
    MissingColumns {
        path: String,
        missing: Vec<(String, String)>,
        found: Vec<String>,
    },
    /// No row among the first ones names any column of the table.
    NoHeader {
        path: String,
        /// Headers of the columns the rules read.
        looked_for: Vec<String>,
        /// The cells of the first row with content.
        first_row: Vec<String>,
    },
    /// Two headers match one column.
    AmbiguousHeader {
        path: String,
        column: String,
        headers: Vec<String>,
    },
    /// A workbook that cannot be read: damaged, locked by a password, not a
    /// workbook, or with no sheet to read.
    Workbook {
        path: String,
        message: String,
    },
    /// The sheet asked for is not in the workbook; `sheets`: those it has.
    NoSheet {
        path: String,
        sheet: String,
        sheets: Vec<String>,
    },
}

/// An operating-system error as people read it, in Vietnamese (the
/// system's own text is English).
pub(crate) fn io_message(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let what = match e.kind() {
        K::NotFound => "không có tệp này",
        K::PermissionDenied => "không có quyền đọc tệp",
        K::IsADirectory => "đây là một thư mục, không phải tệp",
        K::InvalidData => "nội dung tệp không đọc được",
        K::UnexpectedEof => "tệp bị cắt cụt",
        K::Interrupted | K::TimedOut => "việc đọc bị ngắt",
        K::OutOfMemory => "không đủ bộ nhớ",
        _ => "lỗi của hệ điều hành khi đọc tệp",
    };
    match e.raw_os_error() {
        Some(code) => format!("{what} (mã lỗi {code})"),
        None => what.to_string(),
    }
}

impl fmt::Display for DataError {
    /// The message with every value from the list (a header, a sheet's
    /// name, a path) drawn visibly: it goes to a terminal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let raw = Raw(self).to_string();
        f.write_str(&text::visible_text(&raw))
    }
}

/// A [`DataError`]'s message as written, before [`text::visible_text`].
struct Raw<'a>(&'a DataError);

impl fmt::Display for Raw<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            DataError::Io { path, message } => {
                write!(f, "Không đọc được tệp {}: {message}", quote(path))
            }
            DataError::NotUtf8 { path, row } => write!(
                f,
                "Tệp {} không phải văn bản UTF-8 (lỗi ở dòng {row}).\n\
                 Gợi ý: trong Excel chọn «Lưu thành» (Save As), kiểu «CSV UTF-8 (Comma delimited)», \
                 không chọn «Unicode Text» (UTF-16) hay «CSV (Comma delimited)».",
                quote(path)
            ),
            DataError::Empty { path } => write!(
                f,
                "Tệp {} trống: không có dòng tiêu đề.\n\
                 Gợi ý: dòng đầu tiên của tệp phải là tên các cột.",
                quote(path)
            ),
            DataError::MissingColumns {
                path,
                missing,
                found,
            } => {
                let names: Vec<String> = missing
                    .iter()
                    .map(|(id, header)| format!("{} ({id})", quote(header)))
                    .collect();
                writeln!(
                    f,
                    "Tệp {} thiếu {} cột cần thiết: {}.",
                    quote(path),
                    missing.len(),
                    names.join(", ")
                )?;
                if found.is_empty() {
                    writeln!(f, "Tệp không có tiêu đề cột nào.")?;
                } else {
                    writeln!(
                        f,
                        "Các cột có trong tệp: {}.",
                        quote_list(found.iter().map(String::as_str), usize::MAX)
                    )?;
                }
                let one_glued =
                    found.len() == 1 && found.first().is_some_and(|h| h.contains([',', ';', '\t']));
                if one_glued {
                    write!(
                        f,
                        "Gợi ý: dòng tiêu đề chỉ có một cột; có thể tệp dùng dấu phân cách lạ. \
                         Hãy lưu lại từ Excel dạng «CSV UTF-8»."
                    )
                } else {
                    write!(
                        f,
                        "Gợi ý: thêm các cột này, hoặc sửa tiêu đề cho đúng tên cột \
                         (không phân biệt chữ hoa, chữ thường và khoảng trắng)."
                    )
                }
            }
            DataError::NoHeader {
                path,
                looked_for,
                first_row,
            } => {
                writeln!(
                    f,
                    "Tệp {}: không tìm thấy dòng tiêu đề trong {} dòng đầu: không dòng nào có tên cột của bộ quy tắc.",
                    quote(path),
                    reader::HEADER_SEARCH
                )?;
                writeln!(
                    f,
                    "Các tên cột được tìm: {}.",
                    quote_list(looked_for.iter().map(String::as_str), 12)
                )?;
                if !first_row.is_empty() {
                    writeln!(
                        f,
                        "Dòng đầu tiên của tệp: {}.",
                        quote_list(first_row.iter().map(String::as_str), 8)
                    )?;
                }
                let one_glued = first_row.len() == 1
                    && first_row
                        .first()
                        .is_some_and(|h| h.contains([',', ';', '\t']));
                if one_glued {
                    write!(
                        f,
                        "Gợi ý: dòng chỉ có một cột; có thể tệp dùng dấu phân cách lạ. \
                         Hãy lưu lại từ Excel dạng «CSV UTF-8» hoặc dùng tệp .xlsx."
                    )
                } else {
                    write!(
                        f,
                        "Gợi ý: sửa tiêu đề cho đúng tên cột (không phân biệt chữ hoa, chữ thường, \
                         khoảng trắng), hoặc chọn đúng trang của bảng tính."
                    )
                }
            }
            DataError::AmbiguousHeader {
                path,
                column,
                headers,
            } => write!(
                f,
                "Tệp {}: cột «{column}» khớp với {} tiêu đề: {}.\n\
                 Gợi ý: đổi tên hoặc xoá bớt để mỗi cột chỉ có một tiêu đề.",
                quote(path),
                headers.len(),
                quote_list(headers.iter().map(String::as_str), usize::MAX)
            ),
            DataError::Workbook { path, message } => write!(
                f,
                "Không đọc được bảng tính {}: {message}.\n\
                 Gợi ý: mở tệp bằng Excel hoặc LibreOffice; nếu mở được, chọn «Lưu thành» \
                 (Save As) kiểu «Excel Workbook (.xlsx)» rồi dùng tệp mới.",
                quote(path)
            ),
            DataError::NoSheet {
                path,
                sheet,
                sheets,
            } => {
                writeln!(
                    f,
                    "Bảng tính {} không có trang tính {}.",
                    quote(path),
                    quote(sheet)
                )?;
                if sheets.is_empty() {
                    write!(f, "Bảng tính không có trang tính nào.")
                } else {
                    write!(
                        f,
                        "Các trang tính có trong tệp: {}.\n\
                         Gợi ý: viết đúng tên một trang tính (không phân biệt chữ hoa, chữ thường).",
                        quote_list(sheets.iter().map(String::as_str), usize::MAX)
                    )
                }
            }
        }
    }
}

impl std::error::Error for DataError {}
