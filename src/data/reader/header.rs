//! The header row: found among the first records with content, under
//! each delimiter, and matched to the table's columns.

use super::Bounds;
use super::rows::{TextCache, default_cell};
use super::{
    AbsentColumn, ColPlan, Delimiter, HEADER_SEARCH, MAX_PREFIX, TableReader, column_letter,
};
use crate::data::records::{Parser, Record};
use crate::data::text::fold;
use crate::data::value::Kind;
use crate::data::{Cell, DataError};
use crate::semantic::model::{EnumDef, TableDef, Type, Value};
use std::io::{self, Read};
use std::sync::Arc;

impl TableReader {
    /// Maps every column to its header, builds the column plans. A column
    /// the rules read that the list lacks is not an error: it is listed in
    /// [`TableReader::absent_columns`] and its cells read as unknown (or as
    /// the column's declared `absent` value).
    pub(super) fn match_headers(
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
}

/// How a message shows a column's `absent` value.
fn absent_text(v: &Value) -> String {
    match v {
        Value::Bool(true) => "Có".to_string(),
        Value::Bool(false) => "Không".to_string(),
        other => crate::eval::format::value(other),
    }
}

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
pub(super) fn find_header(prefix: &[u8], table: &TableDef) -> (Delimiter, Option<usize>) {
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
pub(super) fn read_prefix(src: &mut dyn Read) -> io::Result<Vec<u8>> {
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
pub(super) fn first_line(bytes: &[u8]) -> &[u8] {
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
pub(super) fn detect_delimiter(line: &[u8]) -> Delimiter {
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
