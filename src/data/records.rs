//! CSV records out of byte pieces: a parser that can stop anywhere and go
//! on with the next piece, and the cutting of a stream into pieces that
//! each start a record, so that they can be parsed on several threads.

use std::io::{self, Read};

use super::text::is_space;

/// The fields of one record, unescaped; buffers are reused between records.
#[derive(Debug, Clone)]
pub struct Record {
    bytes: Vec<u8>,
    /// End of each field in `bytes`.
    ends: Vec<usize>,
    len: usize,
}

impl Default for Record {
    fn default() -> Record {
        Record {
            bytes: vec![0; 1024],
            ends: vec![0; 32],
            len: 0,
        }
    }
}

impl Record {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn get(&self, i: usize) -> Option<&[u8]> {
        self.bytes.get(self.span(i)?)
    }

    /// Where field `i` lies in `bytes`.
    fn span(&self, i: usize) -> Option<std::ops::Range<usize>> {
        if i >= self.len {
            return None;
        }
        let start = if i == 0 { 0 } else { *self.ends.get(i - 1)? };
        Some(start..*self.ends.get(i)?)
    }

    /// The fields as text, checked as UTF-8 once for the whole record
    /// (one long check is cheaper than a short one a field); `None` when
    /// some field is not UTF-8.
    pub fn as_text(&self) -> Option<RecordText<'_>> {
        let all = simdutf8::basic::from_utf8(self.as_slice()).ok()?;
        Some(RecordText { all, record: self })
    }

    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.len).filter_map(|i| self.get(i))
    }

    /// Every field's bytes, one after the other.
    pub fn as_slice(&self) -> &[u8] {
        let end = self
            .len
            .checked_sub(1)
            .and_then(|i| self.ends.get(i))
            .copied()
            .unwrap_or(0);
        self.bytes.get(..end).unwrap_or_default()
    }

    /// Nothing in it but separators and spaces (spreadsheets write blank
    /// rows as `;;;`).
    pub fn is_blank(&self) -> bool {
        // A visible ASCII byte settles it; otherwise look at characters.
        !self.as_slice().iter().any(u8::is_ascii_graphic)
            && self
                .iter()
                .all(|f| std::str::from_utf8(f).is_ok_and(|s| s.chars().all(is_space)))
    }
}

/// A record whose bytes are known to be UTF-8.
#[derive(Debug, Clone, Copy)]
pub struct RecordText<'a> {
    all: &'a str,
    record: &'a Record,
}

impl<'a> RecordText<'a> {
    /// Field `i` (fields end at ASCII separators, so on character
    /// boundaries).
    pub fn get(&self, i: usize) -> Option<&'a str> {
        self.all.get(self.record.span(i)?)
    }
}

/// What [`Parser::next`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// A whole record is in the `Record`.
    Record,
    /// The input was used up; give the next piece (or an empty one at the
    /// end of the stream).
    NeedInput,
    /// The end of the stream.
    End,
}

/// Parses records (RFC 4180 with the usual leniency: a quote inside an
/// unquoted field is kept as it is) from pieces of a stream.
#[derive(Debug, Clone)]
pub struct Parser {
    core: csv_core::Reader,
    /// Output and field ends written so far for the record being parsed.
    out: usize,
    nends: usize,
}

impl Parser {
    pub fn new(delimiter: u8) -> Parser {
        Parser {
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            out: 0,
            nends: 0,
        }
    }

    /// Parses from `input` into `rec`; returns what happened and how many
    /// bytes of `input` were used. An empty `input` means the end of the
    /// stream.
    pub fn next(&mut self, input: &[u8], rec: &mut Record) -> (Step, usize) {
        use csv_core::ReadRecordResult as R;
        let mut used = 0;
        loop {
            let rest = input.get(used..).unwrap_or_default();
            let (out, ends) = (
                rec.bytes.get_mut(self.out..).unwrap_or_default(),
                rec.ends.get_mut(self.nends..).unwrap_or_default(),
            );
            let (res, nin, nout, nend) = self.core.read_record(rest, out, ends);
            used += nin;
            self.out += nout;
            self.nends += nend;
            match res {
                R::OutputFull => rec.bytes.resize(rec.bytes.len().max(64) * 2, 0),
                R::OutputEndsFull => rec.ends.resize(rec.ends.len().max(8) * 2, 0),
                R::InputEmpty => return (Step::NeedInput, used),
                R::Record => {
                    rec.len = self.nends;
                    self.out = 0;
                    self.nends = 0;
                    return (Step::Record, used);
                }
                R::End => return (Step::End, used),
            }
        }
    }

    /// Whether a record was begun and not finished: a piece that leaves
    /// the parser so did not end at a record boundary.
    pub fn in_record(&self) -> bool {
        self.out > 0 || self.nends > 0
    }
}

/// The bytes of one piece of a stream, cut after a line end.
#[derive(Debug, Default)]
pub struct Piece {
    pub bytes: Vec<u8>,
    /// Offset of its first byte in the stream.
    pub start: u64,
    /// The last piece of the stream.
    pub last: bool,
}

/// Past this, a piece is cut at its last line end even if the quotes
/// before it do not pair up (the parse of the piece then tells).
const MAX_PIECE: usize = 64 << 20;

/// Cuts a stream into pieces of about `size` bytes, each ending after a
/// line end preceded by an even number of double quotes: in a well-formed
/// file that is a record boundary. A quote inside an unquoted field (which
/// the parser keeps as text) can fool the count; [`Parser::in_record`] at
/// the end of each piece is the proof, and a reader that finds a piece cut
/// inside a record reads the file again in one piece.
pub struct Cutter<R> {
    src: R,
    carry: Vec<u8>,
    offset: u64,
    done: bool,
}

impl<R: Read> Cutter<R> {
    /// `carry` holds bytes already read from the stream, starting at
    /// `offset`.
    pub fn new(src: R, carry: Vec<u8>, offset: u64) -> Cutter<R> {
        Cutter {
            src,
            carry,
            offset,
            done: false,
        }
    }

    /// The next piece, in `buf` (reused); `None` after the last.
    pub fn next(&mut self, size: usize, mut buf: Vec<u8>) -> io::Result<Option<Piece>> {
        if self.done {
            return Ok(None);
        }
        buf.clear();
        buf.append(&mut self.carry);
        let mut want = size.max(1);
        loop {
            let eof = fill(&mut self.src, &mut buf, want)?;
            if eof {
                self.done = true;
                return Ok(Some(self.piece(buf, true)));
            }
            let cut = boundary(&buf).or_else(|| {
                (buf.len() >= MAX_PIECE)
                    .then(|| buf.iter().rposition(|&b| b == b'\n'))
                    .flatten()
            });
            if let Some(cut) = cut {
                self.carry
                    .extend_from_slice(buf.get(cut + 1..).unwrap_or_default());
                buf.truncate(cut + 1);
                return Ok(Some(self.piece(buf, false)));
            }
            want = buf.len() * 2;
        }
    }
}

impl<R> Cutter<R> {
    /// `bytes` as the piece that follows the last one.
    fn piece(&mut self, bytes: Vec<u8>, last: bool) -> Piece {
        let start = self.offset;
        self.offset += bytes.len() as u64;
        Piece { bytes, start, last }
    }
}

/// Reads into `buf` until it holds `want` bytes; true at end of stream.
fn fill(src: &mut impl Read, buf: &mut Vec<u8>, want: usize) -> io::Result<bool> {
    let need = want.saturating_sub(buf.len());
    if need == 0 {
        return Ok(false);
    }
    buf.reserve(need);
    // `read_to_end` writes into the spare capacity without zeroing it first.
    let n = src.by_ref().take(need as u64).read_to_end(buf)?;
    Ok(n < need)
}

/// The last `\n` of `buf` with an even number of `"` before it.
fn boundary(buf: &[u8]) -> Option<usize> {
    // Counted in runs of 255 bytes with a byte-wide counter, which
    // vectorises (five times faster than counting byte by byte).
    let quotes: usize = buf
        .chunks(255)
        .map(|run| usize::from(run.iter().fold(0u8, |n, &b| n + u8::from(b == b'"'))))
        .sum();
    let mut after = 0;
    for (i, &b) in buf.iter().enumerate().rev() {
        match b {
            b'\n' if (quotes - after).is_multiple_of(2) => return Some(i),
            b'"' => after += 1,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(pieces: &[&[u8]]) -> (Vec<Vec<String>>, bool) {
        let mut p = Parser::new(b',');
        let mut rec = Record::default();
        let mut out = Vec::new();
        let mut clean = true;
        for (k, piece) in pieces.iter().enumerate() {
            let mut at = 0;
            loop {
                let (step, n) = p.next(piece.get(at..).unwrap_or_default(), &mut rec);
                at += n;
                match step {
                    Step::Record => out.push(
                        rec.iter()
                            .map(|f| String::from_utf8_lossy(f).into_owned())
                            .collect(),
                    ),
                    _ => break,
                }
            }
            if k + 1 < pieces.len() && p.in_record() {
                clean = false;
            }
        }
        while let (Step::Record, _) = p.next(&[], &mut rec) {
            out.push(
                rec.iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect(),
            );
        }
        (out, clean)
    }

    #[test]
    fn records_across_pieces() {
        let (recs, _) = parse_all(&[b"a,\"b\nc\"", b",d\ne,f"]);
        assert_eq!(recs, vec![vec!["a", "b\nc", "d"], vec!["e", "f"]]);
    }

    #[test]
    fn long_fields_grow_the_buffers() {
        let long = "x".repeat(5000);
        let many = vec!["1"; 100].join(",");
        let text = format!("{long},y\n{many}\n");
        let (recs, _) = parse_all(&[text.as_bytes()]);
        assert_eq!(recs[0], vec![long.as_str(), "y"]);
        assert_eq!(recs[1].len(), 100);
    }

    #[test]
    fn a_piece_ending_inside_quotes_is_seen() {
        let (_, clean) = parse_all(&[b"a,\"b\n", b"c\"\n"]);
        assert!(!clean);
        let (_, clean) = parse_all(&[b"a,\"b\"\"\"\r\n", b"c\n"]);
        assert!(clean);
    }

    #[test]
    fn fields_as_text() {
        let (mut p, mut rec) = (Parser::new(b','), Record::default());
        p.next("Hà Nội,\"Phòng A, Sở B\",,x\n".as_bytes(), &mut rec);
        let text = rec.as_text().unwrap();
        let fields: Vec<_> = (0..5).map(|i| text.get(i)).collect();
        assert_eq!(
            fields,
            [
                Some("Hà Nội"),
                Some("Phòng A, Sở B"),
                Some(""),
                Some("x"),
                None
            ]
        );
        p.next(b"ok,\xff\n", &mut rec);
        assert!(rec.as_text().is_none());
        assert_eq!(rec.get(0), Some(&b"ok"[..]));
    }

    #[test]
    fn blank_records() {
        let mut rec = Record::default();
        let mut p = Parser::new(b';');
        assert_eq!(p.next(b";\xc2\xa0; \n", &mut rec).0, Step::Record);
        assert!(rec.is_blank());
        assert_eq!(p.next(b";x;\n", &mut rec).0, Step::Record);
        assert!(!rec.is_blank());
    }

    fn cut_all(text: &[u8], size: usize) -> Vec<Vec<u8>> {
        let mut c = Cutter::new(text, Vec::new(), 0);
        let mut out = Vec::new();
        while let Some(p) = c.next(size, Vec::new()).unwrap() {
            out.push(p.bytes);
        }
        out
    }

    #[test]
    fn cuts_only_outside_quotes() {
        let text = b"a,\"x\ny\"\nb,c\nd,\"e\n\n\"\nf,g";
        for size in 1..text.len() + 2 {
            let pieces = cut_all(text, size);
            assert_eq!(pieces.concat(), text.to_vec(), "size {size}");
            let refs: Vec<&[u8]> = pieces.iter().map(Vec::as_slice).collect();
            let (recs, clean) = parse_all(&refs);
            assert!(clean, "size {size}");
            assert_eq!(recs.len(), 4, "size {size}");
            for p in &pieces[..pieces.len() - 1] {
                assert_eq!(p.last(), Some(&b'\n'));
            }
        }
    }

    #[test]
    fn quotes_counted_over_long_pieces() {
        // More quotes than a byte counts, in more bytes than one run.
        let mut text = "\"a\",\"\"\n".repeat(300).into_bytes();
        let whole = text.len();
        text.extend_from_slice(b"\"b\nc\n");
        assert_eq!(boundary(&text), Some(whole - 1));
        text.extend_from_slice(b"\"\n");
        assert_eq!(boundary(&text), Some(text.len() - 1));
    }

    #[test]
    fn a_stray_quote_fools_the_count_and_the_parse_tells() {
        // `b"c` is a field with a quote in it; the count thinks a quoted
        // field starts there, so the cut falls inside it.
        let text = b"a,b\"c\nd,\"e\nf\"\ng,h\n";
        let pieces = cut_all(text, 12);
        let refs: Vec<&[u8]> = pieces.iter().map(Vec::as_slice).collect();
        let whole = parse_all(&[text]).0;
        let (recs, clean) = parse_all(&refs);
        assert!(!clean || recs == whole);
    }
}
