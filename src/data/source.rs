//! Where a list comes from: a file (CSV or a workbook) or bytes in memory,
//! and for a workbook, which sheet.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A list given to a check: a CSV file or a workbook (`.xlsx`, `.xlsm`,
/// `.xls`, `.ods`), on disk or in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListSource {
    /// The file, or the name shown in messages for bytes in memory.
    pub name: String,
    pub place: Place,
    /// The sheet of a workbook to read; `None`: the first whose header
    /// matches the table.
    pub sheet: Option<String>,
}

/// Where the bytes of a [`ListSource`] are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    File(PathBuf),
    Memory(Arc<[u8]>),
}

impl ListSource {
    /// A file on disk. `ds.xlsx#Tập thể` names a sheet of a workbook when
    /// no file of that whole name exists.
    pub fn path(path: impl Into<PathBuf>) -> ListSource {
        let path: PathBuf = path.into();
        let text = path.to_string_lossy().into_owned();
        if !path.exists()
            && let Some((file, sheet)) = text.rsplit_once('#')
            && is_workbook_name(Path::new(file))
        {
            return ListSource {
                name: file.to_string(),
                place: Place::File(PathBuf::from(file)),
                sheet: Some(sheet.to_string()),
            };
        }
        ListSource {
            name: text,
            place: Place::File(path),
            sheet: None,
        }
    }

    /// Bytes in memory (an upload); `name` is shown in messages and decides
    /// nothing: a workbook is known by its first bytes.
    pub fn bytes(name: impl Into<String>, bytes: impl Into<Arc<[u8]>>) -> ListSource {
        ListSource {
            name: name.into(),
            place: Place::Memory(bytes.into()),
            sheet: None,
        }
    }

    /// The same source, read from sheet `sheet` of the workbook.
    pub fn sheet(mut self, sheet: impl Into<String>) -> ListSource {
        self.sheet = Some(sheet.into());
        self
    }

    /// The file on disk, if the list is one.
    pub fn file(&self) -> Option<&Path> {
        match &self.place {
            Place::File(p) => Some(p),
            Place::Memory(_) => None,
        }
    }
}

/// Whether a file name ends like a workbook's.
pub fn is_workbook_name(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["xlsx", "xlsm", "xls", "ods", "xlsb"]
            .iter()
            .any(|w| e.eq_ignore_ascii_case(w))
    })
}

/// Whether `bytes` start like a workbook: a zip archive (xlsx, ods) or an
/// OLE compound file (xls).
pub fn is_workbook_bytes(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}
