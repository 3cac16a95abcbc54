//! The engine's error: what stops a check before it has a report.

use crate::data::DataError;
use crate::semantic::LoadError;
use std::fmt;

/// Why a check could not run. Shown to people as is (Vietnamese).
#[derive(Debug)]
pub enum EngineError {
    /// The rule set did not load.
    Rules(LoadError),
    /// A list could not be read.
    Data(DataError),
    /// The rule set declares no table, so no list can be checked.
    /// The rule set declares no table; `files`: its rule files.
    NoTables { files: Vec<String> },
    /// A list was given for a table the rule set lacks.
    UnknownTable { name: String, tables: Vec<String> },
    /// Two lists were given for one table.
    TableTwice { table: String },
    /// A list lacks the columns that join it to the other lists given
    /// (each as `«header» (id)`).
    JoinColumns { list: String, columns: Vec<String> },
    /// [`Check::run`](super::Check::run) on a check of several rule sets.
    SeveralRuleSets(usize),
    /// A comparison ([`super::Check::run_diff`]) set up with other than
    /// two rule sets.
    NotTwoRuleSets(usize),
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EngineError::Rules(e) => e.fmt(f),
            EngineError::Data(e) => e.fmt(f),
            EngineError::NoTables { files } => write!(
                f,
                "bộ quy tắc {} không khai báo bảng nào (`table`), nên không đọc được danh sách nào",
                files
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            EngineError::UnknownTable { name, tables } => write!(
                f,
                "bộ quy tắc không có bảng `{name}`; các bảng: {}",
                tables.join(", ")
            ),
            EngineError::TableTwice { table } => {
                write!(f, "bảng `{table}` được cho hai danh sách")
            }
            EngineError::JoinColumns { list, columns } => write!(
                f,
                "Danh sách «{list}» thiếu cột {}: cột này nối danh sách với các danh sách \
                 khác đã cho (mã để tìm đúng người, đúng tập thể; năm để đếm các năm liên tục).\n\
                 Gợi ý: thêm cột vào danh sách, ghi đúng như trong danh sách kia; hoặc bỏ \
                 danh sách kia thì các tiêu chí cần nó là chưa xác định.",
                columns.join(", ")
            ),
            EngineError::NotTwoRuleSets(n) => write!(
                f,
                "phép so sánh cần đúng hai bộ quy tắc (gốc và mới), ở đây có {n}"
            ),
            EngineError::SeveralRuleSets(n) => write!(
                f,
                "phép kiểm tra có {n} bộ quy tắc nên cho {n} báo cáo: dùng `run_each` thay cho `run`"
            ),
        }
    }
}

impl std::error::Error for EngineError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EngineError::Rules(e) => Some(e),
            EngineError::Data(e) => Some(e),
            _ => None,
        }
    }
}

impl From<LoadError> for EngineError {
    fn from(e: LoadError) -> EngineError {
        EngineError::Rules(e)
    }
}

impl From<DataError> for EngineError {
    fn from(e: DataError) -> EngineError {
        EngineError::Data(e)
    }
}
