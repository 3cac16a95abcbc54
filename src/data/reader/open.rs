//! Opening a list: a file, bytes or a workbook's sheet, read up to its
//! header row.

use super::header::{find_header, first_line, header_matches, read_prefix};
use super::{RowMaker, TableReader, WorkbookInfo};
use crate::data::DataError;
use crate::data::quotes::Quotes;
use crate::data::records::{Parser, Record};
use crate::data::source::{ListSource, Place, is_workbook_bytes, is_workbook_name};
use crate::data::tap::{Tap, TapState};
use crate::data::text::nfc_trim;
use crate::data::workbook;
use crate::semantic::model::{EnumDef, TableDef};
use std::io::{Cursor, Read};
use std::path::Path;
use std::sync::Arc;

impl TableReader {
    /// Opens a file. Reads the header, detects BOM and delimiter, matches
    /// headers to columns.
    pub fn open(
        path: &Path,
        table: &TableDef,
        enums: &[EnumDef],
    ) -> Result<TableReader, DataError> {
        let name = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|e| DataError::Io {
            path: name.clone(),
            message: crate::data::io_message(&e),
        })?;
        Self::from_reader(name, Box::new(file), table, enums)
    }

    /// Opens a list wherever it is: a CSV file or a workbook's sheet, on
    /// disk or in memory.
    pub fn open_source(
        source: &ListSource,
        table: &TableDef,
        enums: &[EnumDef],
    ) -> Result<TableReader, DataError> {
        let io_error = |e: std::io::Error| DataError::Io {
            path: source.name.clone(),
            message: crate::data::io_message(&e),
        };
        let bytes: Arc<[u8]> = match &source.place {
            Place::File(path) if is_workbook_name(path) || source.sheet.is_some() => {
                std::fs::read(path).map_err(io_error)?.into()
            }
            Place::File(path) => return Self::open(path, table, enums),
            Place::Memory(bytes) => bytes.clone(),
        };
        if !is_workbook_bytes(&bytes) {
            if source.sheet.is_some() || source.file().is_some() {
                let mut message =
                    "tệp không phải bảng tính Excel (.xlsx, .xls) hay OpenDocument (.ods)"
                        .to_string();
                if let Some(sheet) = &source.sheet {
                    message.push_str(&format!(
                        ", nên không có trang «{sheet}» để chọn; bỏ `--sheet` (hoặc `#{sheet}` sau tên tệp) khi đọc tệp CSV"
                    ));
                }
                return Err(DataError::Io {
                    path: source.name.clone(),
                    message,
                });
            }
            return Self::from_reader(
                source.name.clone(),
                Box::new(Cursor::new(bytes)),
                table,
                enums,
            );
        }
        let matches = |rows: &[Vec<String>]| header_matches(rows, table) > 0;
        let sheet = workbook::read_sheet(&source.name, &bytes, source.sheet.as_deref(), &matches)?;
        let sha256 = {
            use sha2::{Digest, Sha256};
            Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        };
        let mut reader = Self::from_reader(
            source.name.clone(),
            Box::new(Cursor::new(sheet.csv)),
            table,
            enums,
        )?;
        // The sheet's CSV is written here, quotes all paired: a cell's
        // lines are the sheet's, never rows.
        reader.maker.quotes = Quotes::default();
        reader.workbook = Some(WorkbookInfo {
            sheet: sheet.sheet,
            hidden_rows: sheet.hidden_rows,
            sha256,
        });
        Ok(reader)
    }

    /// Same from bytes in memory (`name` is the path shown in messages).
    pub fn from_bytes(
        name: &str,
        bytes: Vec<u8>,
        table: &TableDef,
        enums: &[EnumDef],
    ) -> Result<TableReader, DataError> {
        Self::from_reader(name.to_string(), Box::new(Cursor::new(bytes)), table, enums)
    }

    fn from_reader(
        name: String,
        src: Box<dyn Read + Send>,
        table: &TableDef,
        enums: &[EnumDef],
    ) -> Result<TableReader, DataError> {
        let tap = TapState::new();
        let mut src: Box<dyn Read + Send> = Box::new(Tap::new(src, tap.clone()));
        let mut prefix = read_prefix(&mut src).map_err(|e| DataError::Io {
            path: name.clone(),
            message: crate::data::io_message(&e),
        })?;
        if prefix.starts_with(&[0xFF, 0xFE]) || prefix.starts_with(&[0xFE, 0xFF]) {
            // UTF-16 (or UTF-32 LE) byte-order mark.
            return Err(DataError::NotUtf8 { path: name, row: 1 });
        }
        let had_bom = prefix.starts_with(&[0xEF, 0xBB, 0xBF]);
        if had_bom {
            prefix.drain(..3);
        }
        if first_line(&prefix).contains(&0) {
            // UTF-16 without a byte-order mark.
            return Err(DataError::NotUtf8 { path: name, row: 1 });
        }
        let (delimiter, header_at) = find_header(&prefix, table);
        let mut reader = TableReader {
            name,
            src,
            buf: prefix,
            pos: 0,
            eof: false,
            offset: if had_bom { 3 } else { 0 },
            parser: Parser::new(delimiter.byte()),
            record: Record::default(),
            tap,
            had_bom,
            unused: Vec::new(),
            absent: Vec::new(),
            maker: RowMaker {
                cols: Arc::new(Vec::new()),
                header_len: 0,
                delimiter,
                scratch: String::new(),
                caches: Vec::new(),
                split: None,
                pending: Vec::new(),
                quotes: Quotes::default(),
            },
            last_row: 0,
            header_row: 0,
            workbook: None,
        };
        // Title rows above the header are passed over.
        for _ in 0..=header_at.unwrap_or(0) {
            if reader.next_record()?.is_none() {
                return Err(DataError::Empty { path: reader.name });
            }
        }
        reader.header_row = reader.last_row;
        let headers: Vec<String> = reader
            .record
            .iter()
            .map(|f| nfc_trim(std::str::from_utf8(f).unwrap_or_default()))
            .collect();
        reader.maker.header_len = headers.len();
        reader.maker.quotes = Quotes::new(&headers, delimiter.byte());
        reader.match_headers(&headers, table, enums)?;
        Ok(reader)
    }
}
