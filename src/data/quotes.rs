//! A stray double quote. A cell that opens a quote and does not close it
//! takes in the lines after it, up to the next quote of the file: the rows
//! on those lines would become the text of one cell, and go unchecked.
//!
//! A quoted cell may hold line breaks (a header on two lines, an address),
//! so what gives a stray quote away is what the lines in the cell look
//! like: most of them hold as many delimiters as a row has between its
//! cells. Only a record with a line break in a quoted field is looked at
//! ([`Record::has_breaks`], which the parser notes as it goes), so a list
//! without such cells pays nothing.
//!
//! Such a cell is read again rather than dropped: its own row as its line
//! reads without the quote, then each line it took as a row of its own,
//! numbered as if the quote were not there; a data issue at the cell says
//! so. On the line where the quote closed, the cell that quote opened in
//! the file is rebuilt: it starts after the line's last delimiter before
//! the quote, which is where a quote that opens a cell stands.

use std::sync::Arc;

use super::DataIssue;
use super::reader::column_letter;
use super::records::{Parser, Record, Step};

/// In a list of this many delimiters a row or more, one line that looks
/// like a row is enough; a narrower list needs [`NARROW_LINES`] of them
/// (a line of a long note may hold a comma or two).
const WIDE: usize = 3;
const NARROW_LINES: usize = 5;

/// Characters of the cell's first line a message shows.
const SHOWN: usize = 40;

/// The column a field of the list is read as: its id and header.
pub(crate) type ColumnOf<'a> = &'a dyn Fn(usize) -> Option<(String, String)>;

/// Looks for stray quotes in the records of one list, and gives the rows a
/// swallowing cell holds. One per reader (and per thread).
#[derive(Debug, Clone, Default)]
pub(crate) struct Quotes {
    /// Headers of the list's fields; none: not looked for (title rows
    /// above the header, a workbook's sheet, which has no stray quotes).
    headers: Arc<[String]>,
    delimiter: u8,
    pending: Option<Swallowed>,
    issues: Vec<DataIssue>,
}

/// The lines a cell took in, still to be given as rows.
#[derive(Debug)]
struct Swallowed {
    /// The cell's text after its first line.
    text: Vec<u8>,
    /// Where the next line starts in `text`; `None` once all are given.
    at: Option<usize>,
    /// The record's fields after the cell, when the quote closed on the
    /// cell's last line (else that line is whole, ended by the file's end).
    rest: Option<Vec<Vec<u8>>>,
    parser: Parser,
    line: Vec<u8>,
}

impl Clone for Swallowed {
    fn clone(&self) -> Swallowed {
        // The parser stands between lines, as a new one does.
        Swallowed {
            text: self.text.clone(),
            at: self.at,
            rest: self.rest.clone(),
            parser: Parser::new(self.parser.delimiter()),
            line: Vec::new(),
        }
    }
}

/// What a cell's lines after its first are like.
struct Lines {
    /// Physical lines (an empty one at the very end is the file's last
    /// line end, not a line).
    lines: usize,
    /// Lines that hold a row's worth of delimiters.
    rowlike: usize,
}

impl Quotes {
    pub(crate) fn new(headers: &[String], delimiter: u8) -> Quotes {
        Quotes {
            headers: headers.into(),
            delimiter,
            ..Quotes::default()
        }
    }

    /// Looks at `record`, just parsed as row `row`: when a cell of it
    /// swallowed lines, `record` becomes the row's own line and the lines
    /// wait for [`Quotes::next`]; a data issue waits for
    /// [`Quotes::take_issues`].
    #[inline]
    pub(crate) fn look(&mut self, record: &mut Record, row: u64, column: ColumnOf<'_>) {
        if record.has_breaks() && !self.headers.is_empty() {
            self.look_closely(record, row, column);
        }
    }

    #[cold]
    #[inline(never)]
    fn look_closely(&mut self, record: &mut Record, row: u64, column: ColumnOf<'_>) {
        let d = self.delimiter;
        let need = self.headers.len() - 1;
        let found = (0..record.len()).find_map(|i| {
            let cell = record.get(i)?;
            let lines = lines_of(cell, record.len() - i - 1, d, need)?;
            let enough = if need >= WIDE { 1 } else { NARROW_LINES };
            (need > 0 && lines.rowlike >= enough && 2 * lines.rowlike >= lines.lines)
                .then_some((i, cell, lines))
        });
        let Some((field, cell, lines)) = found else {
            return;
        };
        let nl = cell.iter().position(|&b| b == b'\n').unwrap_or(cell.len());
        let first = cell.get(..nl).unwrap_or_default();
        let mut swallowed = Swallowed {
            text: cell.get(nl + 1..).unwrap_or_default().to_vec(),
            at: Some(0),
            rest: (field + 1 < record.len())
                .then(|| record.iter().skip(field + 1).map(<[u8]>::to_vec).collect()),
            parser: Parser::new(d),
            line: Vec::new(),
        };
        self.issues
            .push(self.issue(field, first, &lines, row, column));
        // The row's own line, the quote left out.
        let line = &mut swallowed.line;
        line.clear();
        for f in record.iter().take(field) {
            quoted_into(f, line);
            line.push(d);
        }
        escaped_into(first, line);
        parse_line(&mut swallowed.parser, line, record);
        self.pending = Some(swallowed);
    }

    /// The data issue at the cell (field `field` of row `row`) that took
    /// in `lines`; `first` is its first line.
    fn issue(
        &self,
        field: usize,
        first: &[u8],
        lines: &Lines,
        row: u64,
        column: ColumnOf<'_>,
    ) -> DataIssue {
        let (id, header) = column(field).unwrap_or_else(|| {
            let header = self.headers.get(field).cloned().unwrap_or_default();
            (String::new(), header)
        });
        let first = String::from_utf8_lossy(first);
        let first = super::text::nfc_trim(first.trim_end_matches('\r'));
        let mut value: String = std::iter::once('"')
            .chain(first.chars())
            .take(SHOWN)
            .collect();
        if first.chars().count() + 1 > SHOWN {
            value.push('…');
        }
        DataIssue {
            table: String::new(),
            row,
            column: id,
            header,
            letter: column_letter(field),
            value,
            // Only `row` is renumbered when a piece read on a thread takes
            // its place in the list: the text names no other row.
            message: format!(
                "dấu ngoặc kép mở nhưng không đóng — {} dòng sau bị gộp vào ô này; \
                 các dòng ấy được tách ra và xét như những dòng riêng, \
                 dòng này được đọc như thể không có dấu ngoặc kép đó",
                lines.lines
            ),
            expected: "dấu ngoặc kép đóng trong cùng ô (ví dụ \"Phòng A, Sở B\"), \
                       hoặc bỏ dấu ngoặc kép thừa"
                .to_string(),
        }
    }

    /// The next row a swallowing cell held, into `record`; false when
    /// there is none (read on from the file).
    pub(crate) fn next(&mut self, record: &mut Record) -> bool {
        let Some(s) = self.pending.as_mut() else {
            return false;
        };
        while let Some(at) = s.at {
            let rest = s.text.get(at..).unwrap_or_default();
            s.line.clear();
            match rest.iter().position(|&b| b == b'\n') {
                Some(nl) => {
                    escaped_into(rest.get(..nl).unwrap_or_default(), &mut s.line);
                    s.at = Some(at + nl + 1);
                }
                None => {
                    s.at = None;
                    match &s.rest {
                        Some(fields) => {
                            closing_line(rest, fields, s.parser.delimiter(), &mut s.line)
                        }
                        None => escaped_into(rest, &mut s.line),
                    }
                }
            }
            if parse_line(&mut s.parser, &mut s.line, record) {
                return true;
            }
        }
        self.pending = None;
        false
    }

    /// Moves the data issues found so far to `issues`.
    pub(crate) fn take_issues(&mut self, issues: &mut Vec<DataIssue>) {
        if !self.issues.is_empty() {
            issues.append(&mut self.issues);
        }
    }
}

/// What the lines of `cell` after its first are like, with `rest` fields
/// after it in its record; `None` when it has one line. `need`: the
/// delimiters a row has.
fn lines_of(cell: &[u8], rest: usize, d: u8, need: usize) -> Option<Lines> {
    let nl = cell.iter().position(|&b| b == b'\n')?;
    let after = cell.get(nl + 1..).unwrap_or_default();
    let mut lines = Lines {
        lines: 0,
        rowlike: 0,
    };
    let mut segments = after.split(|&b| b == b'\n').peekable();
    while let Some(seg) = segments.next() {
        let last = segments.peek().is_none();
        if last && rest == 0 && seg.is_empty() {
            break;
        }
        // On the line where the quote closed, the record's later fields
        // are the line's.
        let extra = if last { rest } else { 0 };
        let delimiters = seg.iter().filter(|&&b| b == d).count() + extra;
        lines.lines += 1;
        lines.rowlike += usize::from(delimiters >= need);
    }
    Some(lines)
}

/// The line on which the quote closed, as the file has it: `seg` is the
/// cell's text on it (the line's start, then the text of the cell the
/// quote opened, from after the line's last delimiter), `fields` the
/// record's fields after the cell. The quote's cell ends at the first
/// quote after it, which the parse kept as text; fields after that one
/// were read as the file meant them, and are quoted again.
fn closing_line(seg: &[u8], fields: &[Vec<u8>], d: u8, out: &mut Vec<u8>) {
    let split = seg.iter().rposition(|&b| b == d).map_or(0, |p| p + 1);
    let (before, opened) = seg.split_at(split);
    escaped_into(before, out);
    out.push(b'"');
    out.extend_from_slice(opened);
    let mut closed = opened.contains(&b'"');
    for f in fields {
        out.push(d);
        if closed {
            quoted_into(f, out);
        } else {
            out.extend_from_slice(f);
            closed = f.contains(&b'"');
        }
    }
}

/// `text` as the inside of a quoted field has it: each quote doubled.
fn escaped_into(text: &[u8], out: &mut Vec<u8>) {
    for part in text.split_inclusive(|&b| b == b'"') {
        out.extend_from_slice(part);
        if part.last() == Some(&b'"') {
            out.push(b'"');
        }
    }
}

/// `text` as a quoted field.
fn quoted_into(text: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    escaped_into(text, out);
    out.push(b'"');
}

/// Parses the one line `line` (no line end) into `record`; false when it
/// holds no record (an empty line, which a list's reading skips too).
fn parse_line(parser: &mut Parser, line: &mut Vec<u8>, record: &mut Record) -> bool {
    line.push(b'\n');
    let mut at = 0;
    while let Some(input) = line.get(at..).filter(|i| !i.is_empty()) {
        let (step, used) = parser.next(input, record);
        at += used;
        match step {
            Step::Record => return true,
            Step::End => break,
            Step::NeedInput if used == 0 => break,
            Step::NeedInput => {}
        }
    }
    if !parser.in_record() {
        return false;
    }
    // A quote opened on the line and not closed: the line ends the record.
    let got = parser.next(&[], record).0 == Step::Record;
    *parser = Parser::new(parser.delimiter());
    got
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(rec: &Record) -> Vec<String> {
        rec.iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect()
    }

    /// The rows of `text` (header first) as read with stray quotes looked
    /// for, and the issues' (row, letter, message).
    fn read(text: &str) -> (Vec<(u64, Vec<String>)>, Vec<DataIssue>) {
        let mut parser = Parser::new(b',');
        let mut rec = Record::default();
        let mut at = 0;
        let input = text.as_bytes();
        let mut quotes = Quotes::default();
        let mut rows = Vec::new();
        let mut row = 0;
        loop {
            if !quotes.next(&mut rec) {
                let (step, used) = parser.next(input.get(at..).unwrap_or_default(), &mut rec);
                at += used;
                match step {
                    Step::Record => {}
                    Step::NeedInput => continue,
                    Step::End => break,
                }
                if row == 0 {
                    let headers = fields(&rec);
                    quotes = Quotes::new(&headers, b',');
                }
                quotes.look(&mut rec, row + 1, &|_| None);
            }
            row += 1;
            rows.push((row, fields(&rec)));
        }
        let mut issues = Vec::new();
        quotes.take_issues(&mut issues);
        (rows, issues)
    }

    #[test]
    fn escaping_undoes_the_parse() {
        let mut out = Vec::new();
        quoted_into(b"a\"b\"\"", &mut out);
        assert_eq!(out, b"\"a\"\"b\"\"\"\"\"");
    }

    #[test]
    fn legit_multi_line_cells_are_left_alone() {
        let text = "Mã,\"Xếp loại\nchất lượng\",Địa chỉ,Ghi chú\n\
                    1,Tốt,\"Số 1, phố X,\nphường Y\",\"a\nb\nc\nd\ne\nf\"\n";
        let (rows, issues) = read(text);
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].1[2], "Số 1, phố X,\nphường Y");
    }

    #[test]
    fn a_stray_quote_running_to_the_end_gives_every_row_back() {
        let text = "Mã,Tên,Chức vụ,Đơn vị\n1,A,CV,P1\n2,B,\"TP,P2\n3,C,\"\"x\"\",P3\n\n4,D,CV,P4\n";
        let (rows, issues) = read(text);
        let got: Vec<Vec<String>> = rows.into_iter().map(|(_, f)| f).collect();
        assert_eq!(
            got,
            [
                vec!["Mã", "Tên", "Chức vụ", "Đơn vị"],
                vec!["1", "A", "CV", "P1"],
                vec!["2", "B", "TP", "P2"],
                vec!["3", "C", "x\"\"", "P3"],
                vec!["4", "D", "CV", "P4"],
            ]
        );
        assert_eq!(issues.len(), 1);
        assert_eq!((issues[0].row, issues[0].letter.as_str()), (3, "C"));
        assert_eq!(issues[0].value, "\"TP,P2");
        assert!(
            issues[0].message.contains("— 3 dòng sau"),
            "{}",
            issues[0].message
        );
    }

    #[test]
    fn the_line_where_the_quote_closes_is_rebuilt() {
        let text = "Mã,Tên,Đơn vị,Chức vụ,Ghi chú\n\
                    1,A,P1,\"TP,x\n\
                    2,B,P1,CV,y\n\
                    3,C,\"Phòng A, Sở B\",CV,\"z, w\"\n\
                    4,D,P2,CV,v\n";
        let (rows, issues) = read(text);
        let got: Vec<Vec<String>> = rows.into_iter().skip(1).map(|(_, f)| f).collect();
        assert_eq!(
            got,
            [
                vec!["1", "A", "P1", "TP", "x"],
                vec!["2", "B", "P1", "CV", "y"],
                vec!["3", "C", "Phòng A, Sở B", "CV", "z, w"],
                vec!["4", "D", "P2", "CV", "v"],
            ]
        );
        assert_eq!(issues.len(), 1);
        assert!(issues[0].message.contains("— 2 dòng sau"));
    }
}
