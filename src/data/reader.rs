//! CSV reading: encoding and delimiter detection, header matching, rows.

use std::io::{self, Cursor, Read};
use std::path::Path;
use std::sync::Arc;

use super::quotes::Quotes;
use super::records::{Cutter, Parser, Piece, Record, RecordText, Step};
use super::source::{ListSource, Place, is_workbook_bytes, is_workbook_name};
use super::tap::{Tap, TapState};
use super::text::{fold, nfc_trim, nfc_trim_into, trim};
use super::value::Kind;
use super::workbook;
use super::{Cell, DataError, DataIssue, Row};
use crate::semantic::model::{EnumDef, TableDef, Type, Value};

/// How far ahead `open` reads, at most, looking for the header row.
const MAX_PREFIX: usize = 1 << 20;

/// How many rows with content the header is looked for among: a council's
/// list has its agency, title and "Kèm theo Tờ trình…" rows above it.
pub(crate) const HEADER_SEARCH: usize = 30;

/// How much one read from the file asks for.
const READ_SIZE: usize = 1 << 18;

/// The field separator of a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    Comma,
    Semicolon,
    Tab,
}

impl Delimiter {
    fn byte(self) -> u8 {
        match self {
            Delimiter::Comma => b',',
            Delimiter::Semicolon => b';',
            Delimiter::Tab => b'\t',
        }
    }

    /// How a message names it.
    fn name(self) -> &'static str {
        match self {
            Delimiter::Comma => "«,»",
            Delimiter::Semicolon => "«;»",
            Delimiter::Tab => "tab",
        }
    }
}

/// Everything `read_row` needs about one column, computed once in `open`.
#[derive(Debug, Clone)]
struct ColPlan {
    id: String,
    header: String,
    /// Index of the CSV field holding the column, if the file has it.
    field: Option<usize>,
    /// The field's column letter as a spreadsheet shows it ("H").
    letter: String,
    kind: Kind,
    /// The cell (and text) a blank takes, from `ColumnDef::default`.
    default: Option<(Cell, String)>,
    /// For a column the list lacks: the cell every row takes, the
    /// column's `absent` value or [`Cell::Absent`].
    missing: Option<(Cell, String)>,
    /// Optional (blank means none) enum or text: "Không", "-", "0" also
    /// mean none.
    none_words: bool,
    /// Needed, not optional and without default: a blank is reported.
    required: bool,
    /// What a valid value looks like (for blank required cells).
    expected: String,
    /// Declared bounds (`in 0..12`): a value outside is a data issue.
    range: Option<Bounds>,
    /// Whether `read_row` writes the text (else only [`TextFiller`]
    /// does, for the rows that need it).
    eager: bool,
}

impl ColPlan {
    /// A problem with this column's cell on row `line`.
    fn issue(&self, line: u64, value: &str, message: String, expected: String) -> DataIssue {
        DataIssue {
            table: String::new(),
            row: line,
            column: self.id.clone(),
            header: self.header.clone(),
            letter: self.letter.clone(),
            value: value.to_string(),
            message,
            expected,
        }
    }
}

/// A column's declared bounds, also as whole numbers: a whole number is
/// checked without decimal arithmetic (three such checks a row add up on
/// a national list).
#[derive(Debug, Clone, Copy)]
struct Bounds {
    lo: rust_decimal::Decimal,
    hi: rust_decimal::Decimal,
    /// `ceil(lo)` and `floor(hi)`: for a whole number `i`, `lo <= i` is
    /// `lo_int <= i`, and `i <= hi` is `i <= hi_int`.
    lo_int: i128,
    hi_int: i128,
    /// Per scale `s` (a cell's decimal places, the usual few): the bounds
    /// times 10^s, when whole numbers. A mantissa compares with these as
    /// the decimal with the bounds; empty when the bounds have more places.
    scaled: [Option<(i128, i128)>; 7],
}

impl Bounds {
    /// Whether `d` lies outside the bounds, from its mantissa and the
    /// bounds scaled to its scale; `None` past the scales kept.
    fn scaled_outside(&self, d: rust_decimal::Decimal) -> Option<bool> {
        let (lo, hi) = (*self.scaled.get(d.scale() as usize)?)?;
        let m = d.mantissa();
        Some(m < lo || m > hi)
    }

    fn new((lo, hi): (rust_decimal::Decimal, rust_decimal::Decimal)) -> Bounds {
        use rust_decimal::prelude::ToPrimitive;
        let (lo_int, hi_int) = (
            lo.ceil().to_i128().unwrap_or(i128::MIN),
            hi.floor().to_i128().unwrap_or(i128::MAX),
        );
        // `d` times 10^s, when that is a whole number.
        let scaled = |d: rust_decimal::Decimal, s: u32| {
            let unit = rust_decimal::Decimal::from(10i64.pow(s));
            d.checked_mul(unit)
                .filter(|x| x.fract().is_zero())
                .and_then(|x| x.to_i128())
        };
        let table = std::array::from_fn(|s| Some((scaled(lo, s as u32)?, scaled(hi, s as u32)?)));
        Bounds {
            lo,
            hi,
            lo_int,
            hi_int,
            scaled: table,
        }
    }
}

/// A column the rules read that a list lacks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AbsentColumn {
    pub id: String,
    pub header: String,
    /// What the column is taken to hold (its `absent` value, as text);
    /// `None`: unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assumed: Option<String>,
    /// The table's key: rows are then told apart by their row number.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub key: bool,
    /// A ballot criterion reads it: the list was made before the ballot.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ballot: bool,
}

/// How a message shows a column's `absent` value.
fn absent_text(v: &Value) -> String {
    match v {
        Value::Bool(true) => "Có".to_string(),
        Value::Bool(false) => "Không".to_string(),
        other => crate::eval::format::value(other),
    }
}

/// The letters of a 0-based column index as a spreadsheet shows them:
/// 0 is A, 25 is Z, 26 is AA.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A number outside the column's declared bounds.
fn out_of_range(cell: &Cell, range: Option<&Bounds>) -> bool {
    let Some(b) = range else { return false };
    match cell {
        Cell::Int(i) => i128::from(*i) < b.lo_int || i128::from(*i) > b.hi_int,
        Cell::Decimal(d) => b
            .scaled_outside(*d)
            .unwrap_or_else(|| *d < b.lo || *d > b.hi),
        _ => false,
    }
}

/// Everything about a table that decides how its list is read (columns,
/// headers, types with their enum values, blanks, ranges, which columns are
/// needed): two tables with the same signature read a file alike.
pub fn reading_signature(table: &TableDef, enums: &[EnumDef]) -> String {
    let mut out = String::new();
    for c in &table.columns {
        let values = match c.ty {
            crate::semantic::model::Type::Enum(e) => enums.get(e).map(|e| {
                e.values
                    .iter()
                    .map(|v| format!("{}={}{:?}", v.code, v.label, v.aliases))
                    .collect::<Vec<_>>()
                    .join(",")
            }),
            _ => None,
        };
        out.push_str(&format!(
            "{}|{}|{:?}|{:?}|{}|{:?}|{:?}|{}|{:?}|{:?}|{:?}\n",
            c.id,
            c.header,
            c.ty,
            values,
            c.optional,
            c.range,
            c.default,
            c.needed,
            c.link,
            c.aliases,
            c.absent
        ));
    }
    out
}

/// Writes, for a row already read, the texts its reader left out (see
/// [`TableReader::set_eager_texts`]). Shared by the threads of one check.
#[derive(Debug, Clone)]
pub struct TextFiller(Arc<Vec<ColPlan>>);

impl TextFiller {
    /// Writes the text of every column.
    pub fn fill(&self, row: &mut Row) {
        self.fill_columns(row, 0..self.0.len());
    }

    /// Writes the texts of columns `cols` only.
    pub fn fill_columns(&self, row: &mut Row, cols: impl IntoIterator<Item = usize>) {
        let mut whole = None;
        for c in cols {
            if let (Some(plan), Some(text)) = (self.0.get(c), row.texts.get_mut(c))
                && !plan.eager
                && text.is_empty()
            {
                plan.write_text(&row.raw, &mut whole, text);
            }
        }
    }

    /// The bytes of column `col`'s cell in the file, if the row has them.
    /// The column's text is a function of these bytes alone.
    pub fn raw<'r>(&self, row: &'r Row, col: usize) -> Option<&'r [u8]> {
        self.0.get(col)?.field.and_then(|f| row.raw.get(f))
    }

    /// The text of column `col` for a cell holding `bytes` (`None`: the
    /// row has no such cell), as the reader writes it, into `out`.
    pub fn text_of(&self, col: usize, bytes: Option<&[u8]>, out: &mut String) {
        out.clear();
        if let Some(b) = bytes {
            // A unit's name is long and mostly not ASCII: checked with SIMD.
            nfc_trim_into(simdutf8::basic::from_utf8(b).unwrap_or_default(), out);
        }
        if let Some(plan) = self.0.get(col) {
            plan.default_if_blank(out);
        }
    }
}

impl ColPlan {
    /// Writes the text of this column's cell of `record` into the empty
    /// `text`: NFC and trimmed, or the default's text for a blank.
    fn write_text<'r>(
        &self,
        record: &'r Record,
        whole: &mut Option<Option<RecordText<'r>>>,
        text: &mut String,
    ) {
        if let Some(f) = self.field {
            nfc_trim_into(field_text(record, whole, f), text);
        }
        self.default_if_blank(text);
    }

    /// A blank `text` becomes the default's text, if there is one.
    fn default_if_blank(&self, text: &mut String) {
        if text.is_empty()
            && let Some((_, default_text)) = &self.default
        {
            text.push_str(default_text);
        }
    }
}

/// `raw` as text when it is ASCII and visible at both ends: then it is
/// already trimmed NFC text.
fn plain_ascii(raw: &[u8]) -> Option<&str> {
    let visible = |b: &u8| b.is_ascii_graphic();
    (raw.first().is_some_and(visible) && raw.last().is_some_and(visible) && raw.is_ascii())
        .then(|| std::str::from_utf8(raw).ok())
        .flatten()
}

/// Field `f` of `record` as text ("" when it is not UTF-8); `whole` keeps
/// the record's one UTF-8 check from field to field.
fn field_text<'r>(
    record: &'r Record,
    whole: &mut Option<Option<RecordText<'r>>>,
    f: usize,
) -> &'r str {
    // An ASCII field (a code) is checked alone: the whole record is long.
    if let Some(raw) = record.get(f).filter(|raw| raw.is_ascii()) {
        return std::str::from_utf8(raw).unwrap_or_default();
    }
    match whole.get_or_insert_with(|| record.as_text()) {
        Some(text) => text.get(f),
        // Some field is not UTF-8: check this one alone.
        None => record
            .get(f)
            .and_then(|raw| simdutf8::basic::from_utf8(raw).ok()),
    }
    .unwrap_or_default()
}

/// Reads one CSV list as rows of a table.
pub struct TableReader {
    name: String,
    src: Box<dyn Read + Send>,
    /// Bytes read from `src` and not yet parsed: `buf[pos..]`.
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
    /// Offset in the file of `buf[pos]`.
    offset: u64,
    parser: Parser,
    record: Record,
    tap: Arc<TapState>,
    had_bom: bool,
    unused: Vec<String>,
    absent: Vec<AbsentColumn>,
    maker: RowMaker,
    /// Row number of the last record read.
    last_row: u64,
    /// Row number of the header.
    header_row: u64,
    /// For a workbook: the sheet read, its hidden rows, and the SHA-256 of
    /// the workbook file (the tap sees only the sheet's CSV).
    workbook: Option<WorkbookInfo>,
}

/// What a reader of a workbook's sheet knows of the workbook.
#[derive(Debug, Clone, Default)]
struct WorkbookInfo {
    sheet: String,
    hidden_rows: Vec<u64>,
    sha256: String,
}

/// Turns records into rows of a table; one per thread.
#[derive(Debug, Clone)]
pub struct RowMaker {
    cols: Arc<Vec<ColPlan>>,
    /// Number of fields of the header record.
    header_len: usize,
    delimiter: Delimiter,
    /// Reused buffer for folding.
    scratch: String,
    /// Per column: texts already written, by their bytes in the file.
    caches: Vec<TextCache>,
    /// The proposal column, whose cell may name several proposals.
    split: Option<usize>,
    /// The proposals of the last row made after its first, last first.
    pending: Vec<u16>,
    /// Looks for a cell a stray quote left open.
    quotes: Quotes,
}

/// The texts of a column that repeat (a unit's name on every row of the
/// unit), by the cell's bytes in the file: a repeated cell is copied, not
/// checked and normalised again. A column whose values seldom repeat (the
/// key) turns its cache off.
/// A text, and the cell's bytes when they differ from it.
type Cached = (Box<str>, Option<Box<[u8]>>);

#[derive(Debug, Clone, Default)]
struct TextCache {
    /// The text, and the cell's bytes when they differ from it (the usual
    /// case is a cell already NFC and trimmed: one copy, not two).
    table: hashbrown::HashTable<Cached>,
    lookups: u32,
    hits: u32,
    off: bool,
}

impl TextCache {
    /// Lookups before the cache judges whether it pays.
    const TRIAL: u32 = 4096;
    /// Texts kept at most.
    const MAX: usize = 1 << 16;

    fn hash(raw: &[u8]) -> u64 {
        use std::hash::BuildHasher;
        rustc_hash::FxBuildHasher.hash_one(raw)
    }

    fn raw_of(entry: &Cached) -> &[u8] {
        entry.1.as_deref().unwrap_or(entry.0.as_bytes())
    }

    /// Writes the text of `raw` into `text` if it is known.
    fn get(&mut self, raw: &[u8], text: &mut String) -> bool {
        if self.off {
            return false;
        }
        self.lookups = self.lookups.saturating_add(1);
        if let Some((known, _)) = self.table.find(Self::hash(raw), |e| Self::raw_of(e) == raw) {
            self.hits += 1;
            text.clear();
            text.push_str(known);
            return true;
        }
        if self.lookups >= Self::TRIAL && self.hits < self.lookups / 2 {
            self.off = true;
            self.table = Default::default();
        }
        false
    }

    fn put(&mut self, raw: &[u8], text: &str) {
        if !self.off && self.table.len() < Self::MAX {
            let differs = (raw != text.as_bytes()).then(|| raw.into());
            self.table
                .insert_unique(Self::hash(raw), (text.into(), differs), |e| {
                    Self::hash(Self::raw_of(e))
                });
        }
    }
}

impl std::fmt::Debug for TableReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableReader")
            .field("name", &self.name)
            .field("had_bom", &self.had_bom)
            .field("unused", &self.unused)
            .field("maker", &self.maker)
            .field("last_row", &self.last_row)
            .finish_non_exhaustive()
    }
}

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
            message: super::io_message(&e),
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
            message: super::io_message(&e),
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

    /// The sheet read, for a workbook.
    pub fn sheet(&self) -> Option<&str> {
        self.workbook.as_ref().map(|w| w.sheet.as_str())
    }

    /// Rows hidden in the sheet read (they are read like the others).
    pub fn hidden_rows(&self) -> &[u64] {
        self.workbook.as_ref().map_or(&[], |w| &w.hidden_rows)
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
            message: super::io_message(&e),
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

    /// Maps every column to its header, builds the column plans. A column
    /// the rules read that the list lacks is not an error: it is listed in
    /// [`TableReader::absent_columns`] and its cells read as unknown (or as
    /// the column's declared `absent` value).
    fn match_headers(
        &mut self,
        headers: &[String],
        table: &TableDef,
        enums: &[EnumDef],
    ) -> Result<(), DataError> {
        let names = ColumnNames::new(table);
        let folded: Vec<String> = headers.iter().map(|h| fold(h)).collect();
        let mut used = vec![false; headers.len()];
        let mut cols = Vec::new();
        let mut absent = Vec::new();
        for (c, col) in table.columns.iter().enumerate() {
            let matches: Vec<usize> = folded
                .iter()
                .enumerate()
                .filter(|(_, f)| names.names(c, f))
                .map(|(i, _)| i)
                .collect();
            if matches.len() > 1 {
                return Err(DataError::AmbiguousHeader {
                    path: self.name.clone(),
                    column: col.id.clone(),
                    headers: matches
                        .iter()
                        .filter_map(|&i| headers.get(i).cloned())
                        .collect(),
                });
            }
            let field = matches.first().copied();
            if let Some(u) = field.and_then(|i| used.get_mut(i)) {
                *u = true;
            }
            let assumed = col.absent.as_ref().filter(|_| field.is_none());
            if field.is_none() && col.needed {
                absent.push(AbsentColumn {
                    id: col.id.clone(),
                    header: col.header.clone(),
                    assumed: assumed.map(absent_text),
                    key: table.key == Some(c),
                    ballot: col.ballot,
                });
            }
            let kind = Kind::new(col.ty, enums);
            let expected = kind.describe();
            cols.push(ColPlan {
                id: col.id.clone(),
                header: col.header.clone(),
                field,
                letter: field.map(column_letter).unwrap_or_default(),
                kind,
                default: col.default.as_ref().map(default_cell),
                missing: match assumed {
                    Some(v) => Some(default_cell(v)),
                    // A column no rule reads stays blank.
                    None => col.needed.then(|| (Cell::Absent, String::new())),
                }
                .filter(|_| field.is_none()),
                required: col.needed && !col.optional && col.default.is_none() && !col.ballot,
                none_words: col.optional
                    && matches!(col.ty, Type::Enum(_) | Type::Text)
                    && col.link.is_none(),
                expected,
                range: col.range.map(Bounds::new),
                eager: true,
            });
        }
        months_from_dates(table, &mut cols, &mut absent);
        let found: Vec<String> = headers.iter().filter(|h| !h.is_empty()).cloned().collect();
        if !table.columns.is_empty() && used.iter().all(|u| !u) {
            return Err(DataError::NoHeader {
                path: self.name.clone(),
                looked_for: table
                    .columns
                    .iter()
                    .filter(|c| c.needed)
                    .map(|c| c.header.clone())
                    .collect(),
                first_row: found,
            });
        }
        self.maker.caches = vec![TextCache::default(); cols.len()];
        self.maker.cols = Arc::new(cols);
        self.absent = absent;
        self.unused = headers
            .iter()
            .zip(&used)
            .zip(&folded)
            .filter(|((h, u), f)| !h.is_empty() && !**u && !is_row_number_header(f))
            .map(|((h, _), _)| h.clone())
            .collect();
        Ok(())
    }

    /// The columns the rules read that the list lacks, in the table's
    /// order, with what each is taken to hold.
    pub fn absent_columns(&self) -> &[AbsentColumn] {
        &self.absent
    }

    /// The row taken as the header (1 unless title rows stand above it).
    pub fn header_row(&self) -> u64 {
        self.header_row
    }

    /// Lowercase hex SHA-256 of the file, once it was read to the end.
    pub fn sha256(&self) -> Option<String> {
        if let Some(w) = &self.workbook {
            return self.tap.sha256().map(|_| w.sha256.clone());
        }
        self.tap.sha256()
    }

    /// Which columns `read_row` writes the text of (by ColIdx): the others
    /// get a typed cell and an empty text until [`TextFiller`]. All by
    /// default.
    pub fn set_eager_texts(&mut self, eager: &[bool]) {
        let mut cols: Vec<ColPlan> = self.maker.cols.iter().cloned().collect();
        for (plan, &e) in cols.iter_mut().zip(eager) {
            plan.eager = e;
        }
        self.maker.cols = Arc::new(cols);
    }

    /// Names the proposal column (by ColIdx): a cell there naming several
    /// proposals («CSTĐCS; Giấy khen») gives one row per proposal, the
    /// later ones marked [`Row::alternative`].
    pub fn set_split_column(&mut self, col: Option<usize>) {
        self.maker.split = col;
    }

    /// What writes the texts `read_row` left out, on any thread.
    pub fn text_filler(&self) -> TextFiller {
        TextFiller(self.maker.cols.clone())
    }

    pub fn delimiter(&self) -> Delimiter {
        self.maker.delimiter
    }

    pub fn had_bom(&self) -> bool {
        self.had_bom
    }

    /// Headers of the file that match no column (they are ignored).
    pub fn unused_headers(&self) -> &[String] {
        &self.unused
    }

    /// What turns records into rows, for another thread.
    pub fn row_maker(&self) -> RowMaker {
        self.maker.clone()
    }

    /// Row number of the last record read (the header's, before any row).
    pub fn rows_read(&self) -> u64 {
        self.last_row
    }

    /// Bytes of the file parsed so far.
    pub fn bytes_read(&self) -> u64 {
        self.offset
    }

    /// The path shown in messages.
    pub fn path(&self) -> &str {
        &self.name
    }

    /// The rest of the file, cut into pieces that start records (see
    /// [`Cutter`]), for parsing on several threads; rows are then read
    /// with [`RowMaker::piece_rows`], not with `read_row`.
    pub fn pieces(&mut self) -> Pieces<'_> {
        let rest = self.buf.split_off(self.pos.min(self.buf.len()));
        self.pos = self.buf.len();
        let at = self.offset;
        self.offset += rest.len() as u64;
        Pieces {
            cutter: Cutter::new(&mut self.src, rest, at),
            tap: self.tap.clone(),
            path: &self.name,
        }
    }

    /// The column's letter as a spreadsheet shows it ("H"), when the file
    /// has the column (by ColIdx).
    pub fn letter(&self, col: usize) -> Option<&str> {
        self.maker
            .cols
            .get(col)
            .filter(|c| c.field.is_some())
            .map(|c| c.letter.as_str())
    }

    /// Whether the file has the column (by ColIdx).
    pub fn has_column(&self, col: usize) -> bool {
        self.maker.cols.get(col).is_some_and(|c| c.field.is_some())
    }

    /// Reads the next non-empty record into `row` (resizing cells/texts to the
    /// table's column count); pushes cell problems to `issues`. Ok(false) at
    /// end of file.
    pub fn read_row(
        &mut self,
        row: &mut Row,
        issues: &mut Vec<DataIssue>,
    ) -> Result<bool, DataError> {
        // The row before named several proposals: the next one, on the
        // same row (which the caller gives back unchanged).
        if self.maker.next_alternative(row) {
            return Ok(true);
        }
        let next = self.next_record()?;
        self.maker.quotes.take_issues(issues);
        let Some(line) = next else {
            return Ok(false);
        };
        self.maker.make(&mut self.record, line, row, issues);
        Ok(true)
    }

    /// Reads the next record that is not all blank into `self.record`,
    /// checks its encoding and returns its row number; None at end of file.
    fn next_record(&mut self) -> Result<Option<u64>, DataError> {
        loop {
            let row = self.last_row.saturating_add(1);
            // A row a stray quote's cell held comes before the file's next.
            let held = self.maker.quotes.next(&mut self.record);
            if !held && !self.parse_record()? {
                return Ok(None);
            }
            // Records, not lines: a quoted multi-line cell is one row. (Fully
            // empty lines are skipped by the CSV parser and not counted;
            // spreadsheets write blank rows as `;;;`, which are counted.)
            self.last_row = row;
            if self.tap.bad_at().is_some_and(|bad| bad < self.offset) {
                return Err(DataError::NotUtf8 {
                    path: self.name.clone(),
                    row,
                });
            }
            if !held {
                self.maker.look_for_strays(&mut self.record, row);
            }
            if !self.record.is_blank() {
                return Ok(Some(row));
            }
        }
    }

    /// Parses the next record into `self.record`, reading as needed; false
    /// at end of file.
    fn parse_record(&mut self) -> Result<bool, DataError> {
        loop {
            if self.pos == self.buf.len() && !self.eof {
                self.refill()?;
            }
            let input = self.buf.get(self.pos..).unwrap_or_default();
            let (step, used) = self.parser.next(input, &mut self.record);
            self.pos += used;
            self.offset += used as u64;
            match step {
                Step::Record => return Ok(true),
                Step::End => return Ok(false),
                Step::NeedInput => {}
            }
        }
    }

    fn refill(&mut self) -> Result<(), DataError> {
        self.buf.resize(READ_SIZE, 0);
        self.pos = 0;
        let n = loop {
            match self.src.read(&mut self.buf) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.buf.clear();
                    return Err(DataError::Io {
                        path: self.name.clone(),
                        message: super::io_message(&e),
                    });
                }
            }
        };
        self.buf.truncate(n);
        self.eof = n == 0;
        Ok(())
    }
}

/// The rest of a list, piece by piece (see [`TableReader::pieces`]).
pub struct Pieces<'r> {
    cutter: Cutter<&'r mut Box<dyn Read + Send>>,
    tap: Arc<TapState>,
    path: &'r str,
}

impl Pieces<'_> {
    /// The next piece (in `buf`, reused) and the offset of the first byte
    /// of the file that is not UTF-8, if one was read; `None` at the end.
    pub fn next(
        &mut self,
        size: usize,
        buf: Vec<u8>,
    ) -> Result<Option<(Piece, Option<u64>)>, DataError> {
        let piece = self.cutter.next(size, buf).map_err(|e| DataError::Io {
            path: self.path.to_string(),
            message: super::io_message(&e),
        })?;
        Ok(piece.map(|p| (p, self.tap.bad_at())))
    }
}

/// How the rows of a piece ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PieceEnd {
    /// Records read (blank ones too): the rows the piece numbers.
    pub records: u64,
    /// The piece ended at a record boundary (else it was cut inside a
    /// quoted cell and must be read again with what follows).
    pub clean: bool,
}

impl RowMaker {
    /// Reads the rows of `piece`, numbered from 1 at its first record,
    /// and gives each to `each`. `bad` is the offset of the first byte
    /// that is not UTF-8, if the file has one; the row holding it is an
    /// error (numbered within the piece).
    pub fn piece_rows(
        &mut self,
        piece: &Piece,
        bad: Option<u64>,
        path: &str,
        row: &mut Row,
        issues: &mut Vec<DataIssue>,
        mut each: impl FnMut(&mut Row, &mut Vec<DataIssue>),
    ) -> Result<PieceEnd, DataError> {
        let mut parser = Parser::new(self.delimiter.byte());
        let mut record = Record::default();
        let mut at = 0;
        let mut records = 0;
        loop {
            // A row a stray quote's cell held comes before the piece's next.
            let held = self.quotes.next(&mut record);
            if !held && !parser.next_in(piece.bytes(), &mut at, piece.last, &mut record) {
                break;
            }
            records += 1;
            if bad.is_some_and(|b| b < piece.start + at as u64) {
                return Err(DataError::NotUtf8 {
                    path: path.to_string(),
                    row: records,
                });
            }
            if !held {
                self.look_for_strays(&mut record, records);
            }
            self.quotes.take_issues(issues);
            if record.is_blank() {
                continue;
            }
            self.make(&mut record, records, row, issues);
            each(row, issues);
            while self.next_alternative(row) {
                each(row, issues);
            }
        }
        Ok(PieceEnd {
            records,
            clean: piece.last || !parser.in_record(),
        })
    }

    /// Looks at `record`, row `line`, for a cell a stray quote left open
    /// (see [`Quotes::look`]).
    #[inline]
    fn look_for_strays(&mut self, record: &mut Record, line: u64) {
        let cols = &self.cols;
        let column = |f: usize| {
            let col = cols.iter().find(|c| c.field == Some(f))?;
            Some((col.id.clone(), col.header.clone()))
        };
        self.quotes.look(record, line, &column);
    }

    /// Fills `row` (row number `line`) from `record`, which it keeps
    /// (`record` gets the row's previous one); pushes cell problems to
    /// `issues`.
    pub fn make(
        &mut self,
        record: &mut Record,
        line: u64,
        row: &mut Row,
        issues: &mut Vec<DataIssue>,
    ) {
        let n = self.cols.len();
        row.line = line;
        row.cells.resize(n, Cell::Blank);
        row.texts.resize_with(n, String::new);
        self.check_length(record, line, issues);
        let mut whole = None;
        let mut several = None;
        row.alternative = false;
        row.several = None;
        self.pending.clear();
        for (c, ((plan, cache), (cell, text))) in self
            .cols
            .iter()
            .zip(self.caches.iter_mut())
            .zip(row.cells.iter_mut().zip(row.texts.iter_mut()))
            .enumerate()
        {
            if let Some((absent, absent_text)) = &plan.missing {
                // A column the list lacks: every row the same.
                *cell = absent.clone();
                text.clear();
                text.push_str(absent_text);
                continue;
            }
            let raw = plan.field.and_then(|f| record.get(f));
            let Some(raw) = raw else {
                // A short record (reported once for the row by
                // `check_length`).
                set_blank(plan, cell, text);
                continue;
            };
            if raw.is_empty() || (plan.none_words && means_none(raw)) {
                blank(plan, cell, text, line, issues);
                continue;
            }
            if !plan.eager {
                // The text waits for the `TextFiller`.
                text.clear();
                if let Some(value) = plan.kind.quick(raw)
                    && !out_of_range(&value, plan.range.as_ref())
                {
                    *cell = value;
                    continue;
                }
                if matches!(plan.kind, Kind::Text) && raw.iter().any(u8::is_ascii_graphic) {
                    // Not blank; nothing to parse.
                    *cell = Cell::Text;
                    continue;
                }
            }
            let text_kind = matches!(plan.kind, Kind::Text);
            if text_kind && let Some(plain) = plain_ascii(raw) {
                // A code (the usual key): its own text, nothing to trim or
                // compose.
                text.clear();
                text.push_str(plain);
                *cell = Cell::Text;
                continue;
            }
            if text_kind && cache.get(raw, text) {
                *cell = Cell::Text;
                continue;
            }
            let raw_bytes = raw;
            let raw = plan.field.map_or("", |f| field_text(record, &mut whole, f));
            nfc_trim_into(raw, text);
            if text_kind && !text.is_empty() {
                cache.put(raw_bytes, text);
            }
            if text.is_empty() {
                blank(plan, cell, text, line, issues);
                continue;
            }
            match plan.kind.parse(text, &mut self.scratch) {
                Ok(value) if out_of_range(&value, plan.range.as_ref()) => {
                    *cell = Cell::Invalid;
                    let (lo, hi) = plan.range.map_or_else(Default::default, |b| (b.lo, b.hi));
                    let message = "giá trị nằm ngoài khoảng cho phép".to_string();
                    issues.push(plan.issue(
                        line,
                        text,
                        message,
                        format!("một số từ {lo} đến {hi}"),
                    ));
                }
                Ok(value) => *cell = value,
                Err((message, expected)) => {
                    let found = match &plan.kind {
                        Kind::Enum(lookup) if self.split == Some(c) => {
                            lookup.find_several(text, &mut self.scratch)
                        }
                        _ => None,
                    };
                    match found {
                        Some(values) => {
                            *cell = Cell::Enum(values[0]);
                            self.pending.extend(values[1..].iter().rev());
                            several = Some((c, values));
                        }
                        None => {
                            *cell = Cell::Invalid;
                            issues.push(plan.issue(line, text, message, expected));
                        }
                    }
                }
            }
        }
        row.several = several;
        // The row keeps its record; the reader reads the next one into the
        // row's previous buffer.
        std::mem::swap(record, &mut row.raw);
    }

    /// Turns `row`, the row last made, into its next proposal when its
    /// proposal cell named several; false when there is none left.
    pub fn next_alternative(&mut self, row: &mut Row) -> bool {
        let (Some(c), Some(v)) = (self.split, self.pending.pop()) else {
            return false;
        };
        if let Some(cell) = row.cells.get_mut(c) {
            *cell = Cell::Enum(v);
        }
        row.alternative = true;
        true
    }

    /// Reports a record whose field count differs from the header's: once
    /// per row, and only when it matters (a column read is missing, or an
    /// extra field is not blank).
    fn check_length(&self, record: &Record, line: u64, issues: &mut Vec<DataIssue>) {
        let len = record.len();
        let header_len = self.header_len;
        if len == header_len {
            return;
        }
        // Only built for a row of the wrong length.
        let counts = format!("dòng có {len} ô nhưng dòng tiêu đề có {header_len} cột");
        let expected = format!("{header_len} ô, đúng như dòng tiêu đề");
        if len < header_len {
            let first_missing = self
                .cols
                .iter()
                .filter(|c| c.field.is_some_and(|f| f >= len))
                .min_by_key(|c| c.field);
            if let Some(col) = first_missing {
                issues.push(DataIssue {
                    table: String::new(),
                    row: line,
                    column: col.id.clone(),
                    header: col.header.clone(),
                    letter: col.letter.clone(),
                    value: String::new(),
                    message: format!("{counts}; các ô thiếu được coi là để trống"),
                    expected,
                });
            }
        } else if len > header_len {
            let extra = record
                .iter()
                .skip(header_len)
                .map(|f| trim(std::str::from_utf8(f).unwrap_or_default()))
                .find(|s| !s.is_empty());
            if let Some(extra) = extra {
                let last = self
                    .cols
                    .iter()
                    .filter(|c| c.field.is_some())
                    .max_by_key(|c| c.field);
                issues.push(DataIssue {
                    table: String::new(),
                    row: line,
                    column: last.map(|c| c.id.clone()).unwrap_or_default(),
                    header: last.map(|c| c.header.clone()).unwrap_or_default(),
                    letter: last.map(|c| c.letter.clone()).unwrap_or_default(),
                    value: nfc_trim(extra),
                    message: format!(
                        "{counts}; các ô thừa bị bỏ qua (có thể một ô chứa dấu {} \
                         mà không đặt trong ngoặc kép)",
                        self.delimiter.name()
                    ),
                    expected,
                });
            }
        }
    }
}

/// Whether a cell of an optional column says "none" in words: «Không»,
/// «Không có», «-», «0».
fn means_none(raw: &[u8]) -> bool {
    // Settled by the bytes for nearly every cell: the words are short and
    // start with K, k, a dash or 0 (spaces aside).
    let visible = raw
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    let first = raw.get(visible).copied().unwrap_or_default();
    if raw.len() > 16 || !matches!(first, b'K' | b'k' | b'-' | b'0' | 0xE2 | 0xC2) {
        return false;
    }
    let text = trim(std::str::from_utf8(raw).unwrap_or_default());
    matches!(
        fold(text).as_str(),
        "không" | "không có" | "-" | "--" | "–" | "—" | "0" | "ko" | "k"
    )
}

/// The cell and text a column's default gives a blank.
fn default_cell(value: &Value) -> (Cell, String) {
    match value {
        Value::Int(i) => (Cell::Int(*i), String::new()),
        Value::Decimal(d) => (Cell::Decimal(*d), String::new()),
        Value::Bool(b) => (Cell::Bool(*b), String::new()),
        Value::Date(d) => (Cell::Date(*d), String::new()),
        Value::Enum(e) => (Cell::Enum(*e), String::new()),
        Value::Text(t) => (Cell::Text, t.to_string()),
        // Never a column type.
        Value::Rounding(_) => (Cell::Blank, String::new()),
    }
}

/// A blank cell in the file: the column's default, or `Cell::Blank` and a
/// problem when the column requires a value.
/// A column worked out from dates on the row (`= months_from(d)`) is read
/// from whichever the list has: with a date column, a blank or missing
/// written column is no gap (the row's date fills it), and a row without
/// a date falls back on the written cell.
fn months_from_dates(table: &TableDef, cols: &mut [ColPlan], absent: &mut Vec<AbsentColumn>) {
    let mut sources = Vec::new();
    for (c, col) in table.columns.iter().enumerate() {
        let Some(op) = &col.derived else { continue };
        sources.clear();
        op.month_sources(&mut sources);
        if !sources
            .iter()
            .any(|&d| cols.get(d).is_some_and(|p| p.field.is_some()))
        {
            continue;
        }
        let Some(plan) = cols.get_mut(c) else {
            continue;
        };
        plan.required = false;
        if plan.field.is_none() {
            plan.missing = None;
            absent.retain(|a| a.id != col.id);
        }
    }
}

fn blank(
    plan: &ColPlan,
    cell: &mut Cell,
    text: &mut String,
    line: u64,
    issues: &mut Vec<DataIssue>,
) {
    set_blank(plan, cell, text);
    if plan.required {
        let expected = plan.expected.clone();
        issues.push(plan.issue(line, "", "ô bắt buộc bị bỏ trống".into(), expected));
    }
}

/// A blank cell: the column's default, or `Cell::Blank`.
fn set_blank(plan: &ColPlan, cell: &mut Cell, text: &mut String) {
    text.clear();
    match &plan.default {
        Some((value, default_text)) => {
            *cell = value.clone();
            text.push_str(default_text);
        }
        None => *cell = Cell::Blank,
    }
}

/// The names a list may give each column of a table, folded: its id, its
/// header and its aliases.
struct ColumnNames(Vec<Vec<String>>);

impl ColumnNames {
    fn new(table: &TableDef) -> ColumnNames {
        ColumnNames(
            table
                .columns
                .iter()
                .map(|c| {
                    let mut names = vec![fold(&c.id), fold(&c.header)];
                    names.extend(c.aliases.iter().map(|a| fold(a)));
                    names.retain(|n| !n.is_empty());
                    names
                })
                .collect(),
        )
    }

    /// Whether folded header `f` names column `c`.
    fn names(&self, c: usize, f: &str) -> bool {
        !f.is_empty()
            && self
                .0
                .get(c)
                .is_some_and(|names| names.iter().any(|n| n == f))
    }

    /// How many columns the cells of a row name.
    fn score<'a>(&self, cells: impl Iterator<Item = &'a str>) -> usize {
        let folded: Vec<String> = cells.map(fold).collect();
        (0..self.0.len())
            .filter(|&c| folded.iter().any(|f| self.names(c, f)))
            .count()
    }
}

/// Whether a header cell is the row number column councils put first
/// ("STT"): recognised, and not listed among the headers ignored.
fn is_row_number_header(folded: &str) -> bool {
    matches!(
        folded,
        "stt" | "tt" | "số tt" | "số thứ tự" | "thứ tự" | "no." | "no"
    )
}

/// How many columns of `table` the best of `rows` names in its cells (by
/// id, header or alias): 0 when no row looks like the table's header.
pub(crate) fn header_matches(rows: &[Vec<String>], table: &TableDef) -> usize {
    let names = ColumnNames::new(table);
    rows.iter()
        .map(|row| names.score(row.iter().map(String::as_str)))
        .max()
        .unwrap_or(0)
}

/// The delimiter and the header row (its place among the records with
/// content) of a list starting with `prefix`: under each delimiter, the
/// first [`HEADER_SEARCH`] records are scored by how many of the table's
/// columns they name, and the best wins (the earliest, and `,` before `;`
/// before tab, on a tie). `None` when no record names a column: the first
/// line's most frequent delimiter, and its first record.
fn find_header(prefix: &[u8], table: &TableDef) -> (Delimiter, Option<usize>) {
    let names = ColumnNames::new(table);
    let mut best: Option<(usize, Delimiter, usize)> = None;
    for delimiter in [Delimiter::Comma, Delimiter::Semicolon, Delimiter::Tab] {
        let mut parser = Parser::new(delimiter.byte());
        let mut record = Record::default();
        let (mut at, mut index) = (0, 0);
        // The prefix is read as the whole list: its last record counts
        // even without a line break.
        while index < HEADER_SEARCH && parser.next_in(prefix, &mut at, true, &mut record) {
            if record.is_blank() {
                continue;
            }
            let cells = record
                .iter()
                .map(|f| std::str::from_utf8(f).unwrap_or_default());
            let score = names.score(cells);
            if score > best.map_or(0, |b| b.0) {
                best = Some((score, delimiter, index));
            }
            index += 1;
        }
    }
    match best {
        Some((_, delimiter, index)) => (delimiter, Some(index)),
        None => (detect_delimiter(first_line(prefix)), None),
    }
}

/// Reads from `src` until [`HEADER_SEARCH`] lines with content are
/// complete (outside quotes), the end of input or `MAX_PREFIX` bytes: the
/// header is looked for among them.
fn read_prefix(src: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let n = match src.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
        let body = buf.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&buf);
        if content_lines(body) > HEADER_SEARCH || buf.len() >= MAX_PREFIX {
            break;
        }
    }
    Ok(buf)
}

/// Splits `bytes` into lines (at `\n` or `\r` outside double quotes):
/// how many complete lines have content (not only separators and spaces).
fn content_lines(bytes: &[u8]) -> usize {
    let mut in_quotes = false;
    let mut content = false;
    let mut lines = 0;
    for &b in bytes {
        match b {
            b'"' => {
                in_quotes = !in_quotes;
                content = true;
            }
            b'\n' | b'\r' if !in_quotes => {
                lines += usize::from(content);
                content = false;
            }
            b' ' | b'\t' | b',' | b';' => {}
            _ => content = true,
        }
    }
    lines
}

/// The first line with content of `bytes` (or all of it when none has).
fn first_line(bytes: &[u8]) -> &[u8] {
    let mut in_quotes = false;
    let mut start = 0;
    let mut content = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => {
                in_quotes = !in_quotes;
                content = true;
            }
            b'\n' | b'\r' if !in_quotes => {
                if content {
                    return bytes.get(start..i).unwrap_or_default();
                }
                start = i + 1;
            }
            b' ' | b'\t' | b',' | b';' => {}
            _ => content = true,
        }
    }
    if content {
        bytes.get(start..).unwrap_or_default()
    } else {
        bytes
    }
}

/// The most frequent of `,`, `;` and tab outside double quotes. Ties go to
/// tab, then `;`, then `,`; a line without any is comma-separated.
fn detect_delimiter(line: &[u8]) -> Delimiter {
    let (mut comma, mut semicolon, mut tab) = (0usize, 0usize, 0usize);
    let mut in_quotes = false;
    for &b in line {
        match b {
            b'"' => in_quotes = !in_quotes,
            b',' if !in_quotes => comma += 1,
            b';' if !in_quotes => semicolon += 1,
            b'\t' if !in_quotes => tab += 1,
            _ => {}
        }
    }
    if tab > 0 && tab >= semicolon && tab >= comma {
        Delimiter::Tab
    } else if semicolon > 0 && semicolon >= comma {
        Delimiter::Semicolon
    } else {
        Delimiter::Comma
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::semantic::model::{ColumnDef, EnumValue, Type};
    use rust_decimal::Decimal;
    use std::str::FromStr;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn a_plain_ascii_cell_is_the_text_the_long_way_gives() {
        for raw in [
            "CB0000001",
            "a b",
            " CB01",
            "CB01 ",
            "\tx",
            "Mã",
            "x\u{300}",
            "",
            "-",
        ] {
            let mut long = String::new();
            nfc_trim_into(raw, &mut long);
            match plain_ascii(raw.as_bytes()) {
                Some(text) => assert_eq!(text, long, "{raw:?}"),
                None => assert!(
                    !raw.is_ascii() || raw.trim() != raw || raw.is_empty(),
                    "{raw:?}"
                ),
            }
        }
        assert_eq!(plain_ascii(b"CB0000001"), Some("CB0000001"));
        assert_eq!(plain_ascii(b" CB01"), None);
    }

    #[test]
    fn decimal_bounds_in_whole_numbers_agree_with_decimals() {
        let bounds = [(0, 100, 0), (-5, 12, 0), (0, 100, 1), (1, 95, 1)];
        for (lo, hi, scale) in bounds {
            let (lo, hi) = (Decimal::new(lo, scale), Decimal::new(hi, scale));
            let b = Bounds::new((lo, hi));
            for m in -1200..1200 {
                for s in 0..4 {
                    let d = Decimal::new(m, s);
                    let want = d < lo || d > hi;
                    assert_eq!(
                        out_of_range(&Cell::Decimal(d), Some(&b)),
                        want,
                        "{d} in {lo}..{hi}"
                    );
                }
            }
            let huge = Decimal::new(i64::MAX, 0);
            assert!(out_of_range(&Cell::Decimal(huge), Some(&b)));
        }
        let held = |b: Bounds| b.scaled.iter().filter(|s| s.is_some()).count();
        assert_eq!(held(Bounds::new((Decimal::ZERO, Decimal::ONE_HUNDRED))), 7);
        assert_eq!(held(Bounds::new((Decimal::ZERO, Decimal::new(955, 1)))), 6);
        assert_eq!(held(Bounds::new((Decimal::ZERO, Decimal::new(1, 8)))), 0);
    }

    fn enums() -> Vec<EnumDef> {
        let v = |code: &str, label: &str, aliases: &[&str]| EnumValue {
            code: code.to_string(),
            label: label.to_string(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        };
        vec![EnumDef {
            id: "xep_loai".to_string(),
            ordered: true,
            values: vec![
                v("KHT", "Không hoàn thành nhiệm vụ", &[]),
                v("HT", "Hoàn thành nhiệm vụ", &[]),
                v("HTT", "Hoàn thành tốt nhiệm vụ", &["Tốt"]),
                v("HTXS", "Hoàn thành xuất sắc nhiệm vụ", &["Xuất sắc"]),
            ],
        }]
    }

    fn col(id: &str, header: &str, ty: Type, needed: bool, optional: bool) -> ColumnDef {
        ColumnDef {
            range: None,
            link: None,
            derived: None,
            id: id.to_string(),
            header: header.to_string(),
            ty,
            optional,
            default: None,
            needed,
            aliases: Vec::new(),
            absent: None,
            ballot: false,
        }
    }

    /// 0 ho_ten, 1 xep_loai, 2 diem, 3 ty_le, 4 dang_vien (default false),
    /// 5 ngay_sinh, 6 ghi_chu (not needed, default text).
    fn table() -> TableDef {
        let mut dang_vien = col("dang_vien", "Đảng viên", Type::Bool, true, false);
        dang_vien.default = Some(Value::Bool(false));
        let mut ghi_chu = col("ghi_chu", "Ghi chú", Type::Text, false, true);
        ghi_chu.default = Some(Value::Text("không có".into()));
        TableDef {
            id: "ca_nhan".to_string(),
            label: "Cá nhân".to_string(),
            key: Some(0),
            year: None,
            columns: vec![
                col("ho_ten", "Họ và tên", Type::Text, true, false),
                col(
                    "xep_loai",
                    "Xếp loại chất lượng",
                    Type::Enum(0),
                    true,
                    false,
                ),
                col("diem", "Điểm", Type::Decimal, true, true),
                col("ty_le", "Tỷ lệ", Type::Percent, false, false),
                dang_vien,
                col("ngay_sinh", "Ngày sinh", Type::Date, true, true),
                ghi_chu,
            ],
        }
    }

    fn open(bytes: &[u8]) -> Result<TableReader, DataError> {
        TableReader::from_bytes("ds.csv", bytes.to_vec(), &table(), &enums())
    }

    /// The same table where only `ho_ten` and `xep_loai` are needed.
    fn small() -> TableDef {
        let mut t = table();
        for c in t.columns.iter_mut().skip(2) {
            c.needed = false;
        }
        t
    }

    fn open_small(bytes: &[u8]) -> Result<TableReader, DataError> {
        TableReader::from_bytes("ds.csv", bytes.to_vec(), &small(), &enums())
    }

    /// Reads every row: (line, cells, texts) per row, and the issues.
    fn read_all(r: &mut TableReader) -> (Vec<Row>, Vec<DataIssue>) {
        let mut rows = Vec::new();
        let mut issues = Vec::new();
        let mut row = Row::default();
        while r.read_row(&mut row, &mut issues).unwrap() {
            rows.push(row.clone());
        }
        (rows, issues)
    }

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    const HEADER: &str = "Họ và tên;Xếp loại chất lượng;Điểm;Tỷ lệ;Đảng viên;Ngày sinh\n";

    #[test]
    fn bom_and_semicolon() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice(HEADER.as_bytes());
        bytes.extend_from_slice("Nguyễn Văn A;HTXS;85,5;15 %;có;01/01/1970\r\n".as_bytes());
        let mut r = open(&bytes).unwrap();
        assert!(r.had_bom());
        assert_eq!(r.delimiter(), Delimiter::Semicolon);
        assert!(r.has_column(0) && r.has_column(5));
        assert!(!r.has_column(6) && !r.has_column(99));
        assert!(r.unused_headers().is_empty());
        let (rows, issues) = read_all(&mut r);
        assert_eq!(issues, vec![]);
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!(row.line, 2);
        assert_eq!(
            row.cells,
            vec![
                Cell::Text,
                Cell::Enum(3),
                Cell::Decimal(dec("85.5")),
                Cell::Decimal(dec("15")),
                Cell::Bool(true),
                Cell::Date(0),
                Cell::Text,
            ]
        );
        assert_eq!(row.texts[0], "Nguyễn Văn A");
        assert_eq!(row.texts[3], "15 %");
        // Absent column with a text default.
        assert_eq!(row.texts[6], "không có");
    }

    #[test]
    fn comma_and_tab_detection_and_quotes() {
        let csv = "ho_ten,xep_loai,\"Điểm; tổng\",ngay_sinh\n\"Lê, B\",HT,1,2024-01-01\n";
        let mut r = open_small(csv.as_bytes()).unwrap();
        assert_eq!(r.delimiter(), Delimiter::Comma);
        assert!(!r.had_bom());
        assert_eq!(r.unused_headers(), ["Điểm; tổng".to_string()]);
        let (rows, issues) = read_all(&mut r);
        assert_eq!(issues, vec![]);
        assert_eq!(rows[0].texts[0], "Lê, B");
        assert_eq!(rows[0].cells[5], Cell::Date(19723));

        let tsv = "ho_ten\txep_loai\tghi chu, ý kiến\nA\tHT\tx\n";
        let r = open_small(tsv.as_bytes()).unwrap();
        assert_eq!(r.delimiter(), Delimiter::Tab);
    }

    #[test]
    fn header_by_label_case_and_nfd() {
        let header: String = "  XẾP LOẠI   chất lượng ;HỌ VÀ\u{A0}TÊN\n".nfd().collect();
        let mut bytes = header.into_bytes();
        bytes.extend_from_slice("HT;A\n".as_bytes());
        let mut r = open_small(&bytes).unwrap();
        assert_eq!(r.delimiter(), Delimiter::Semicolon);
        let (rows, issues) = read_all(&mut r);
        assert_eq!(issues, vec![]);
        assert_eq!(rows[0].cells[0], Cell::Text);
        assert_eq!(rows[0].cells[1], Cell::Enum(1));
        assert_eq!(rows[0].texts[0], "A");
    }

    #[test]
    fn header_by_id() {
        let mut r = open_small(b"HO_TEN;xep_loai;Cot la\nA;HT;z\n").unwrap();
        assert_eq!(r.unused_headers(), ["Cot la".to_string()]);
        let (rows, _) = read_all(&mut r);
        assert_eq!(rows[0].cells[1], Cell::Enum(1));
    }

    #[test]
    fn absent_columns_listed_and_unknown() {
        let mut r = open("STT;Điểm;Ghi chú\n1;2;3\n".as_bytes()).unwrap();
        let ids: Vec<&str> = r.absent_columns().iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["ho_ten", "xep_loai", "dang_vien", "ngay_sinh"]);
        assert!(r.absent_columns().iter().all(|c| c.assumed.is_none()));
        // STT is recognised: not listed among the headers ignored.
        assert!(r.unused_headers().is_empty(), "{:?}", r.unused_headers());
        let (rows, issues) = read_all(&mut r);
        assert_eq!(issues, vec![]);
        assert_eq!(rows[0].cells[0], Cell::Absent);
        assert_eq!(rows[0].cells[1], Cell::Absent);
        assert_eq!(rows[0].cells[2], Cell::Decimal(dec("2")));
        // Not read by any rule: blank, as before.
        assert_eq!(rows[0].cells[3], Cell::Blank);
    }

    #[test]
    fn absent_value_declared() {
        let mut t = table();
        t.columns[5].absent = Some(Value::Date(0));
        let mut r =
            TableReader::from_bytes("ds.csv", "Họ tên;Điểm\nA;1\n".into(), &t, &enums()).unwrap();
        let absent = r
            .absent_columns()
            .iter()
            .find(|c| c.id == "ngay_sinh")
            .unwrap();
        assert_eq!(absent.assumed.as_deref(), Some("01/01/1970"));
        let (rows, _) = read_all(&mut r);
        assert_eq!(rows[0].cells[5], Cell::Date(0));
    }

    #[test]
    fn no_header_row_says_what_was_looked_for() {
        let err = open("STT;Cột lạ\n1;2\n".as_bytes()).unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, DataError::NoHeader { .. }), "{err:?}");
        assert!(text.contains("không tìm thấy dòng tiêu đề"), "{text}");
        assert!(text.contains("«Họ và tên»"), "{text}");
        assert!(text.contains("«STT», «Cột lạ»"), "{text}");
    }

    #[test]
    fn header_found_under_title_rows() {
        let csv = "SỞ TÀI CHÍNH TỈNH HÀ NAM;;;\n\
                   DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2025;;;\n\
                   (Kèm theo Tờ trình số 15/TTr-STC, ngày 10/12/2025);;;\n\
                   ;;;\n\
                   STT;Họ và tên;\"Xếp loại\nchất lượng\";Điểm\n\
                   1;A;HT;8,5\n";
        let mut r = open(csv.as_bytes()).unwrap();
        assert_eq!(r.header_row(), 5);
        assert_eq!(r.delimiter(), Delimiter::Semicolon);
        let (rows, _) = read_all(&mut r);
        assert_eq!(rows[0].line, 6);
        assert_eq!(rows[0].cells[1], Cell::Enum(1));
        assert_eq!(rows[0].cells[2], Cell::Decimal(dec("8.5")));
    }

    #[test]
    fn header_aliases_match() {
        let mut t = table();
        t.columns[0].aliases = vec!["Họ tên".into()];
        let r =
            TableReader::from_bytes("ds.csv", "Họ  TÊN,Điểm\nA,1\n".into(), &t, &enums()).unwrap();
        assert!(r.has_column(0));
    }

    #[test]
    fn none_words_in_optional_columns() {
        let mut t = table();
        t.columns[1].optional = true;
        let csv = "Họ và tên;Xếp loại chất lượng\nA;Không\nB;-\nC;không có\nD;0\nE;Khong\n";
        let mut r = TableReader::from_bytes("ds.csv", csv.into(), &t, &enums()).unwrap();
        let (rows, issues) = read_all(&mut r);
        let cells: Vec<&Cell> = rows.iter().map(|r| &r.cells[1]).collect();
        assert_eq!(cells[..4], [&Cell::Blank; 4]);
        // Without its marks it is not a word of the language: a data error.
        assert_eq!(cells[4], &Cell::Invalid);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].cell(), "B6");
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(7), "H");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn ambiguous_header() {
        let err = open_small("Họ và tên;xep_loai;HO_TEN\nA;HT;B\n".as_bytes()).unwrap_err();
        assert_eq!(
            err,
            DataError::AmbiguousHeader {
                path: "ds.csv".to_string(),
                column: "ho_ten".to_string(),
                headers: vec!["Họ và tên".to_string(), "HO_TEN".to_string()],
            }
        );
        assert!(err.to_string().contains("«Họ và tên», «HO_TEN»"));
    }

    #[test]
    fn enum_values_in_rows() {
        let nfd: String = "Hoàn thành tốt nhiệm vụ".nfd().collect();
        let csv = format!(
            "ho_ten;xep_loai\nA;{nfd}\nB;hoàn thành xuất sắc nhiệm vụ\nC;HTXS\nD;tốt\nE;Hoàn thành tôt\n"
        );
        let mut r = open_small(csv.as_bytes()).unwrap();
        let (rows, issues) = read_all(&mut r);
        let got: Vec<&Cell> = rows.iter().map(|r| &r.cells[1]).collect();
        assert_eq!(
            got,
            vec![
                &Cell::Enum(2),
                &Cell::Enum(3),
                &Cell::Enum(3),
                &Cell::Enum(2),
                &Cell::Invalid
            ]
        );
        // NFD text is stored NFC.
        assert_eq!(rows[0].texts[1], "Hoàn thành tốt nhiệm vụ");
        assert_eq!(issues.len(), 1);
        let issue = &issues[0];
        assert_eq!(issue.row, 6);
        assert_eq!(issue.column, "xep_loai");
        assert_eq!(issue.header, "Xếp loại chất lượng");
        assert_eq!(issue.value, "Hoàn thành tôt");
        assert_eq!(
            issue.message,
            "«Hoàn thành tôt» không phải giá trị hợp lệ của cột"
        );
        assert!(
            issue
                .expected
                .starts_with("gần nhất: «Hoàn thành tốt nhiệm vụ»"),
            "{}",
            issue.expected
        );
    }

    #[test]
    fn bad_values_become_invalid_with_issues() {
        let csv =
            format!("{HEADER}A;HT;1.234,5;mười%;có lẽ;31/02/2024\nB;HT;7;15,5%;x;29/02/2024\n");
        let mut r = open(csv.as_bytes()).unwrap();
        let (rows, issues) = read_all(&mut r);
        assert_eq!(
            rows[0].cells[2..6],
            [Cell::Invalid, Cell::Invalid, Cell::Invalid, Cell::Invalid]
        );
        let columns: Vec<&str> = issues.iter().map(|i| i.column.as_str()).collect();
        assert_eq!(columns, ["diem", "ty_le", "dang_vien", "ngay_sinh"]);
        assert!(issues.iter().all(|i| i.row == 2));
        assert_eq!(issues[0].value, "1.234,5");
        assert_eq!(issues[3].value, "31/02/2024");
        assert_eq!(
            rows[1].cells[2..6],
            [
                Cell::Decimal(dec("7")),
                Cell::Decimal(dec("15.5")),
                Cell::Bool(true),
                Cell::Date(19782)
            ]
        );
    }

    #[test]
    fn blank_required_optional_default() {
        let csv = format!("{HEADER};;;;;\nA; ;\u{A0};;;\n");
        let mut r = open(csv.as_bytes()).unwrap();
        let (rows, issues) = read_all(&mut r);
        // The all-blank record is skipped but still counted.
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!(row.line, 3);
        assert_eq!(
            row.cells,
            vec![
                Cell::Text,
                Cell::Blank,       // required: reported
                Cell::Blank,       // optional: silent
                Cell::Blank,       // not needed: silent
                Cell::Bool(false), // default
                Cell::Blank,       // optional: silent
                Cell::Text,        // absent, default text
            ]
        );
        assert_eq!(row.texts[1], "");
        assert_eq!(issues.len(), 1);
        let issue = &issues[0];
        assert_eq!(issue.row, 3);
        assert_eq!(issue.column, "xep_loai");
        assert_eq!(issue.value, "");
        assert_eq!(issue.message, "ô bắt buộc bị bỏ trống");
        assert!(
            issue
                .expected
                .starts_with("một trong: «Không hoàn thành nhiệm vụ»"),
            "{}",
            issue.expected
        );
    }

    #[test]
    fn short_and_long_rows() {
        let csv = format!("{HEADER}A;HT\nB;HT;1;2;x;1/1/2000;extra\nC;HT;1;2;x;1/1/2000;;\n");
        let mut r = open(csv.as_bytes()).unwrap();
        let (rows, issues) = read_all(&mut r);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].cells[2], Cell::Blank);
        assert_eq!(rows[0].cells[4], Cell::Bool(false));
        assert_eq!(issues.len(), 2, "{issues:?}");
        assert_eq!(issues[0].row, 2);
        assert_eq!(issues[0].column, "diem");
        assert!(
            issues[0]
                .message
                .starts_with("dòng có 2 ô nhưng dòng tiêu đề có 6 cột")
        );
        assert_eq!(issues[1].row, 3);
        assert_eq!(issues[1].column, "ngay_sinh");
        assert_eq!(issues[1].value, "extra");
        assert!(
            issues[1]
                .message
                .starts_with("dòng có 7 ô nhưng dòng tiêu đề có 6 cột")
        );
        // Extra blank fields are harmless and silent.
        assert_eq!(rows[2].cells[5], Cell::Date(10957));
    }

    #[test]
    fn multiline_cell_counts_as_one_row() {
        let csv = "ho_ten;xep_loai\n\"Nguyễn\nVăn\r\nA\";HT\n\nB;sai\n;;\nC;HT";
        let mut r = open_small(csv.as_bytes()).unwrap();
        let (rows, issues) = read_all(&mut r);
        let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
        // Row 2 spans three lines; the empty line is not a record; row 4
        // (`;;`) is blank.
        assert_eq!(lines, [2, 3, 5]);
        assert_eq!(rows[0].texts[0], "Nguyễn\nVăn\r\nA");
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].row, 3);
    }

    #[test]
    fn row_buffers_are_reused() {
        let csv = format!("{HEADER}Nguyễn Văn A;HT;1;2;x;1/1/2000\nB;HTT;2;3;0;2/1/2000\n");
        let mut r = open(csv.as_bytes()).unwrap();
        let mut row = Row::default();
        let mut issues = Vec::new();
        assert!(r.read_row(&mut row, &mut issues).unwrap());
        let ptr = row.texts[0].as_ptr();
        assert!(r.read_row(&mut row, &mut issues).unwrap());
        assert_eq!(row.texts[0], "B");
        assert_eq!(row.texts[0].as_ptr(), ptr);
        assert!(!r.read_row(&mut row, &mut issues).unwrap());
        assert!(issues.is_empty());
    }

    #[test]
    fn utf16_bom_is_not_utf8() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "ho_ten;xep_loai\n".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let err = open_small(&bytes).unwrap_err();
        assert_eq!(
            err,
            DataError::NotUtf8 {
                path: "ds.csv".to_string(),
                row: 1
            }
        );
        assert!(err.to_string().contains("CSV UTF-8"));
        let be = open_small(&[0xFE, 0xFF, 0, b'a']).unwrap_err();
        assert!(matches!(be, DataError::NotUtf8 { row: 1, .. }));
        // UTF-16 LE without a BOM.
        let mut bytes = Vec::new();
        for u in "ho_ten;xep_loai\n".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert!(matches!(
            open_small(&bytes),
            Err(DataError::NotUtf8 { row: 1, .. })
        ));
    }

    #[test]
    fn invalid_utf8_reports_the_row() {
        // Windows-1258 "Hà" in row 3.
        let mut bytes = b"ho_ten;xep_loai\nA;HT\nH".to_vec();
        bytes.push(0xE0);
        bytes.extend_from_slice(b";HT\n");
        let mut r = open_small(&bytes).unwrap();
        let mut row = Row::default();
        let mut issues = Vec::new();
        assert!(r.read_row(&mut row, &mut issues).unwrap());
        let err = r.read_row(&mut row, &mut issues).unwrap_err();
        assert_eq!(
            err,
            DataError::NotUtf8 {
                path: "ds.csv".to_string(),
                row: 3
            }
        );
        // In the header.
        let err = open_small(b"ho_t\xean;xep_loai\n").unwrap_err();
        assert!(matches!(err, DataError::NotUtf8 { row: 1, .. }), "{err:?}");
    }

    #[test]
    fn empty_inputs() {
        for bytes in [&b""[..], b"\xEF\xBB\xBF", b"\n\n", b";;;\n;;\n"] {
            let err = open_small(bytes).unwrap_err();
            assert_eq!(
                err,
                DataError::Empty {
                    path: "ds.csv".to_string()
                }
            );
        }
        assert!(open_small(b"").unwrap_err().to_string().contains("trống"));
        // Header only: no rows.
        let mut r = open_small(b"ho_ten;xep_loai").unwrap();
        assert_eq!(read_all(&mut r).0.len(), 0);
    }

    #[test]
    fn open_file_and_io_error() {
        let err =
            TableReader::open(Path::new("/nonexistent/ds.csv"), &table(), &enums()).unwrap_err();
        assert!(matches!(err, DataError::Io { .. }));
        let dir = std::env::temp_dir().join(format!("tdkt-data-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("ds.csv");
        // A header longer than one read chunk.
        let long = "x".repeat(20_000);
        std::fs::write(&path, format!("ho_ten;xep_loai;{long}\nA;HT;1\n")).unwrap();
        let mut r = TableReader::open(&path, &small(), &enums()).unwrap();
        let (rows, issues) = read_all(&mut r);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(r.delimiter(), Delimiter::Semicolon);
        assert_eq!(rows.len(), 1);
        assert!(issues.is_empty());
    }

    #[test]
    fn garbage_does_not_panic() {
        let inputs: [&[u8]; 6] = [
            b"\"",
            b"ho_ten;xep_loai\n\"unterminated;HT\n",
            b"ho_ten;xep_loai\n\"a\"b;\"\"\"\n",
            b"\r\r\rho_ten;xep_loai\r\rA;HT\r",
            b"\xEF\xBB",
            b"ho_ten;xep_loai\n\x00;\x00\n",
        ];
        for bytes in inputs {
            if let Ok(mut r) = open_small(bytes) {
                let mut row = Row::default();
                let mut issues = Vec::new();
                while let Ok(true) = r.read_row(&mut row, &mut issues) {}
            }
        }
    }

    #[test]
    fn delimiter_detection() {
        assert_eq!(detect_delimiter(b"a;b;c,d"), Delimiter::Semicolon);
        assert_eq!(detect_delimiter(b"a,b,c;d"), Delimiter::Comma);
        assert_eq!(detect_delimiter(b"\"a;b;c\",d"), Delimiter::Comma);
        assert_eq!(detect_delimiter(b"a\tb"), Delimiter::Tab);
        assert_eq!(detect_delimiter(b"abc"), Delimiter::Comma);
        assert_eq!(first_line(b"\n;;\n\"a\nb\";c\nd"), b"\"a\nb\";c");
    }

    #[test]
    fn repeated_texts_come_from_the_cache_and_unique_ones_turn_it_off() {
        let mut c = TextCache::default();
        let mut text = String::new();
        let nfd = " Phòng Ke\u{302}\u{301} toán ".nfd().collect::<String>();
        for raw in ["Phòng A", nfd.as_str()] {
            assert!(!c.get(raw.as_bytes(), &mut text));
            nfc_trim_into(raw, &mut text);
            c.put(raw.as_bytes(), &text);
        }
        assert!(c.get(nfd.as_bytes(), &mut text));
        assert_eq!(text, "Phòng Kế toán");
        assert!(c.get("Phòng A".as_bytes(), &mut text));
        assert_eq!(text, "Phòng A");
        assert!(!c.get(b"Phong A", &mut text));
        for i in 0..TextCache::TRIAL {
            let raw = format!("CB{i:07}");
            if !c.get(raw.as_bytes(), &mut text) {
                c.put(raw.as_bytes(), &raw);
            }
        }
        assert!(c.off, "a column of unique values turns its cache off");
        assert!(!c.get("Phòng A".as_bytes(), &mut text));
    }

    #[test]
    fn whole_numbers_against_fractional_and_huge_bounds() {
        let b = Bounds::new((dec("0.5"), dec("10.5")));
        let out = |i: i64| out_of_range(&Cell::Int(i), Some(&b));
        assert!(out(0) && !out(1) && !out(10) && out(11));
        assert!(out_of_range(&Cell::Decimal(dec("10.6")), Some(&b)));
        assert!(!out_of_range(&Cell::Decimal(dec("10.5")), Some(&b)));
        let wide = Bounds::new((Decimal::MIN, Decimal::MAX));
        assert!(!out_of_range(&Cell::Int(i64::MIN), Some(&wide)));
        assert!(!out_of_range(&Cell::Int(i64::MAX), Some(&wide)));
        let above = Bounds::new((dec("1e20"), Decimal::MAX));
        assert!(out_of_range(&Cell::Int(i64::MAX), Some(&above)));
    }
}
