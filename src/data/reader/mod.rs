//! CSV reading: encoding and delimiter detection, header matching, rows.
//!
//! The types live here; one child per stage adds to them: `open` (a file
//! or sheet up to its header row), `header` (finding and matching the
//! header), `rows` (records to rows), `filler` (texts written later) and
//! `bounds` (declared ranges).

mod bounds;
mod filler;
mod header;
mod open;
mod rows;
#[cfg(test)]
mod tests;

pub use filler::TextFiller;

use super::quotes::Quotes;
use super::records::{Cutter, Parser, Piece, Record, Step};
use super::tap::TapState;
use super::value::Kind;
use super::{Cell, DataError, DataIssue, Row};
use crate::semantic::model::{EnumDef, TableDef};
use rows::TextCache;
use std::io::{self, Read};
use std::sync::Arc;

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
    /// The sheet read, for a workbook.
    pub fn sheet(&self) -> Option<&str> {
        self.workbook.as_ref().map(|w| w.sheet.as_str())
    }

    /// Rows hidden in the sheet read (they are read like the others).
    pub fn hidden_rows(&self) -> &[u64] {
        self.workbook.as_ref().map_or(&[], |w| &w.hidden_rows)
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
