//! Row making: records turned into typed cells and texts, with blanks,
//! defaults and "none" words.

use super::bounds::out_of_range;
use super::filler::{field_text, plain_ascii};
use super::{ColPlan, PieceEnd, RowMaker};
use crate::data::records::{Parser, Piece, Record};
use crate::data::text::{fold, nfc_trim, nfc_trim_into, trim};
use crate::data::value::Kind;
use crate::data::{Cell, DataError, DataIssue, Row};
use crate::semantic::model::Value;

/// A text, and the cell's bytes when they differ from it.
type Cached = (Box<str>, Option<Box<[u8]>>);

/// The texts of a column that repeat (a unit's name on every row of the
/// unit), by the cell's bytes in the file: a repeated cell is copied, not
/// checked and normalised again. A column whose values seldom repeat (the
/// key) turns its cache off.
#[derive(Debug, Clone, Default)]
pub(super) struct TextCache {
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
    /// (see [`Quotes::look`](crate::data::quotes::Quotes::look)).
    #[inline]
    pub(super) fn look_for_strays(&mut self, record: &mut Record, line: u64) {
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
pub(super) fn default_cell(value: &Value) -> (Cell, String) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

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
}
