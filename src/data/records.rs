//! CSV records out of byte pieces: a parser that can stop anywhere and go
//! on with the next piece, and the cutting of a stream into pieces that
//! each start a record, so that they can be parsed on several threads.

use std::io::{self, Read};

use super::text::is_space;

/// The fields of one record, unescaped; buffers are reused between records.
///
/// csv_core writes the fields one after the other, so that each starts
/// where the one before ends; the quick path copies the record's bytes
/// whole and notes where each field starts (past an opening quote).
#[derive(Debug, Clone)]
pub struct Record {
    bytes: Vec<u8>,
    /// End of each field in `bytes`.
    ends: Vec<usize>,
    /// Start of each field in `bytes`, when `spaced`.
    starts: Vec<usize>,
    /// Fields lie apart (separators and quotes between them).
    spaced: bool,
    /// Some quoted field holds a line break (a gate: only such records
    /// are looked at for a stray quote, see `quotes`).
    breaks: bool,
    len: usize,
}

impl Default for Record {
    fn default() -> Record {
        Record {
            bytes: vec![0; 1024],
            ends: vec![0; 32],
            starts: vec![0; 32],
            spaced: false,
            breaks: false,
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

    /// Whether some field may hold a line break (only a quoted one can):
    /// false means none does.
    pub(crate) fn has_breaks(&self) -> bool {
        self.breaks
    }

    /// Takes `raw`, a record's bytes as the file has them, whose fields
    /// are marked by [`Record::put_span`].
    fn take_raw(&mut self, raw: &[u8]) {
        self.bytes.clear();
        self.bytes.extend_from_slice(raw);
        self.spaced = true;
    }

    /// Marks field number `i` at `span` of the bytes taken.
    fn put_span(&mut self, i: usize, span: std::ops::Range<usize>) {
        // csv_core grows `ends` alone: `starts` may be the shorter.
        if self.starts.len() <= i || self.ends.len() <= i {
            let len = (i + 1).max(self.ends.len() * 2);
            self.ends.resize(len, 0);
            self.starts.resize(len, 0);
        }
        if let (Some(s), Some(e)) = (self.starts.get_mut(i), self.ends.get_mut(i)) {
            *s = span.start;
            *e = span.end;
        }
    }

    /// Where field `i` lies in `bytes`.
    fn span(&self, i: usize) -> Option<std::ops::Range<usize>> {
        if i >= self.len {
            return None;
        }
        let start = match i {
            _ if self.spaced => *self.starts.get(i)?,
            0 => 0,
            _ => *self.ends.get(i - 1)?,
        };
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

    /// Every field's bytes, with what lies between them when `spaced`
    /// (separators and quotes: ASCII, so UTF-8 alike).
    fn as_slice(&self) -> &[u8] {
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
        self.iter().all(|f| {
            !f.iter().any(u8::is_ascii_graphic)
                && std::str::from_utf8(f).is_ok_and(|s| s.chars().all(is_space))
        })
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
///
/// Records of the usual shape are cut by `quick_record`; whatever it
/// declines goes to csv_core, which gives the same fields for the shapes
/// both read.
///
/// Not `Clone`: a clone of csv_core's reader keeps only its transition
/// table (csv-core 0.1's `Dfa::clone` leaves the rest new), and parses
/// nothing right; build a new parser instead.
#[derive(Debug)]
pub struct Parser {
    core: csv_core::Reader,
    delimiter: u8,
    /// csv_core stands between two records (it may still owe the `\n` of
    /// a `\r\n`, which is skipped like any line end before a record).
    between: bool,
    /// Output and field ends written so far for the record being parsed.
    out: usize,
    nends: usize,
}

impl Parser {
    pub fn new(delimiter: u8) -> Parser {
        Parser {
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            delimiter,
            between: true,
            out: 0,
            nends: 0,
        }
    }

    /// Parses the next record of `input`, from `*at` (moved past what was
    /// used), into `rec`: false once `input` is used up. `last`: `input`
    /// ends the stream, so a final record without a line break counts.
    pub fn next_in(&mut self, input: &[u8], at: &mut usize, last: bool, rec: &mut Record) -> bool {
        loop {
            let rest = input.get(*at..).unwrap_or_default();
            if rest.is_empty() && !last {
                return false;
            }
            let (step, used) = self.next(rest, rec);
            *at += used;
            match step {
                Step::Record => return true,
                Step::End => return false,
                Step::NeedInput if rest.is_empty() => return false,
                Step::NeedInput => {}
            }
        }
    }

    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Parses from `input` into `rec`; returns what happened and how many
    /// bytes of `input` were used. An empty `input` means the end of the
    /// stream.
    pub fn next(&mut self, input: &[u8], rec: &mut Record) -> (Step, usize) {
        let mut used = 0;
        if self.between && self.delimiter != 0 {
            // Line ends before a record are skipped, as csv_core does.
            used = input
                .iter()
                .position(|&b| b != b'\n' && b != b'\r')
                .unwrap_or(input.len());
            if used == input.len() && used > 0 {
                return (Step::NeedInput, used);
            }
            let rest = input.get(used..).unwrap_or_default();
            if let Some(n) = quick_record(rest, self.delimiter, rec) {
                return (Step::Record, used + n);
            }
        }
        self.by_core(input, used, rec)
    }

    /// csv_core's parse of `input` from `used` on.
    fn by_core(&mut self, input: &[u8], mut used: usize, rec: &mut Record) -> (Step, usize) {
        use csv_core::ReadRecordResult as R;
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
                R::InputEmpty => {
                    // Even an opening quote alone puts csv_core inside a
                    // record, with nothing written yet.
                    self.between = false;
                    return (Step::NeedInput, used);
                }
                R::Record => {
                    rec.len = self.nends;
                    rec.spaced = false;
                    // Records csv_core reads are the unusual few: a look
                    // at their bytes costs nothing next to its parse.
                    let bytes = rec.bytes.get(..self.out).unwrap_or_default();
                    rec.breaks = bytes.iter().any(|&b| b == b'\n' || b == b'\r');
                    self.out = 0;
                    self.nends = 0;
                    self.between = true;
                    return (Step::Record, used);
                }
                R::End => return (Step::End, used),
            }
        }
    }

    /// Whether a record was begun and not finished: a piece that leaves
    /// the parser so did not end at a record boundary.
    pub fn in_record(&self) -> bool {
        !self.between || self.out > 0 || self.nends > 0
    }
}

/// Parses the record at the start of `input` when it has the usual shape:
/// its line end is in `input`, and each field is bare (no quote) or quoted
/// whole with no quote inside. Returns the bytes used, its line end
/// included; `None` for any other shape (doubled quotes, a quote inside a
/// bare field, text after a closing quote, a record cut by the end of
/// `input`), left to csv_core.
///
/// Bytes are classified 64 at a time into bit masks; a running XOR of the
/// quote mask marks what lies inside quotes, so separators there are not
/// field ends. That reading agrees with csv_core exactly when every quote
/// that opens stands at a field's start and every quote that closes just
/// before a field's end, which the masks check too.
fn quick_record(input: &[u8], delimiter: u8, rec: &mut Record) -> Option<usize> {
    let (mut fields, mut field_start) = (0, 0);
    // All ones when the block starts inside quotes.
    let mut inside = 0u64;
    // Bit 0 of the next block starts a field, or must end one.
    let (mut start_carry, mut end_carry) = (1u64, 0u64);
    // Line ends inside quotes.
    let mut breaks = 0u64;
    for (k, chunk) in input.chunks(64).enumerate() {
        let masks = Masks::of(chunk, delimiter);
        let quoted = prefix_xor(masks.quote) ^ inside;
        inside = 0u64.wrapping_sub(quoted >> 63);
        let ends = (masks.separator | masks.line_end) & !quoted;
        let (opening, closing) = (masks.quote & quoted, masks.quote & !quoted);
        let misplaced =
            (opening & !(ends << 1 | start_carry)) | ((closing << 1 | end_carry) & !ends);
        start_carry = ends >> 63;
        end_carry = closing >> 63;
        // Only this record's bytes count: up to its line end.
        let line_ends = masks.line_end & ends;
        let upto = match line_ends.trailing_zeros() {
            64 => u64::MAX,
            bit => u64::MAX >> (63 - bit),
        };
        if misplaced & upto != 0 {
            return None;
        }
        breaks |= masks.line_end & quoted & upto;
        let mut ends = ends & upto;
        while ends != 0 {
            let at = k * 64 + ends.trailing_zeros() as usize;
            // A quoted field (checked above: quoted whole) loses its quotes.
            let quoted = usize::from(input.get(field_start) == Some(&b'"'));
            rec.put_span(fields, field_start + quoted..at - quoted);
            fields += 1;
            field_start = at + 1;
            ends &= ends - 1;
        }
        if line_ends != 0 {
            // The line end itself is left out.
            rec.take_raw(input.get(..field_start - 1)?);
            rec.len = fields;
            rec.breaks = breaks != 0;
            return Some(field_start);
        }
    }
    None
}

/// Where the bytes of a block of up to 64 are quotes, separators and line
/// ends (bit `i` for byte `i`).
struct Masks {
    quote: u64,
    separator: u64,
    line_end: u64,
}

impl Masks {
    fn of(chunk: &[u8], delimiter: u8) -> Masks {
        // A short last block is padded with zeros, which are none of the
        // three.
        let mut block = [0u8; 64];
        let block = match <&[u8; 64]>::try_from(chunk) {
            Ok(full) => full,
            Err(_) => {
                block[..chunk.len()].copy_from_slice(chunk);
                &block
            }
        };
        let (mut quote, mut separator, mut line_end) = (0u64, 0u64, 0u64);
        for (k, lane) in block.chunks_exact(16).enumerate() {
            let [q, s, n, r] = lane_masks(lane, [b'"', delimiter, b'\n', b'\r']);
            quote |= u64::from(q) << (16 * k);
            separator |= u64::from(s) << (16 * k);
            line_end |= u64::from(n | r) << (16 * k);
        }
        Masks {
            quote,
            separator,
            line_end,
        }
    }
}

/// For each of `bytes`, where it stands in the 16 bytes of `lane`.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
fn lane_masks(lane: &[u8], bytes: [u8; 4]) -> [u16; 4] {
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_movemask_epi8, _mm_set_epi64x, _mm_set1_epi8};
    let word = |i: usize| {
        lane.get(i..i + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            .map_or(0, i64::from_le_bytes)
    };
    let (hi, lo) = (word(8), word(0));
    // SAFETY: these take and give values only (no memory), and the build
    // enables SSE2 (the cfg above), as it does for every x86_64 target.
    unsafe {
        let v = _mm_set_epi64x(hi, lo);
        bytes.map(|b| _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8))) as u16)
    }
}

/// For each of `bytes`, where it stands in the 16 bytes of `lane`.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
fn lane_masks(lane: &[u8], bytes: [u8; 4]) -> [u16; 4] {
    bytes.map(|b| {
        lane.iter()
            .enumerate()
            .fold(0u16, |m, (i, &x)| m | u16::from(x == b) << i)
    })
}

/// Bit `i` of the result is the XOR of bits `0..=i` of `x`: set from an
/// opening quote up to (not including) its closing one.
fn prefix_xor(mut x: u64) -> u64 {
    for shift in [1, 2, 4, 8, 16, 32] {
        x ^= x << shift;
    }
    x
}

/// The bytes of one piece of a stream, cut after a line end.
#[derive(Debug, Default)]
pub struct Piece {
    /// The piece's bytes (`len` of them), then room written by earlier
    /// pieces: a buffer given back to the [`Cutter`] is read into again
    /// without being zeroed first.
    buf: Vec<u8>,
    len: usize,
    /// Offset of its first byte in the stream.
    pub start: u64,
    /// The last piece of the stream.
    pub last: bool,
}

impl Piece {
    pub fn bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }

    /// The piece's buffer, for [`Cutter::next`] to read the next one into.
    pub fn into_buffer(self) -> Vec<u8> {
        self.buf
    }
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

    /// The next piece, in `buf` (a buffer of an earlier piece, or a new
    /// one); `None` after the last.
    pub fn next(&mut self, size: usize, mut buf: Vec<u8>) -> io::Result<Option<Piece>> {
        if self.done {
            return Ok(None);
        }
        let mut len = self.carry.len();
        let mut want = size.max(1).max(len);
        room(&mut buf, want);
        buf[..len].copy_from_slice(&self.carry);
        self.carry.clear();
        loop {
            let eof = fill(&mut self.src, &mut buf[..want], &mut len)?;
            if eof {
                self.done = true;
                return Ok(Some(self.piece(buf, len, true)));
            }
            let read = &buf[..len];
            let cut = boundary(read).or_else(|| {
                (len >= MAX_PIECE)
                    .then(|| read.iter().rposition(|&b| b == b'\n'))
                    .flatten()
            });
            if let Some(cut) = cut {
                self.carry.extend_from_slice(&buf[cut + 1..len]);
                return Ok(Some(self.piece(buf, cut + 1, false)));
            }
            want = len * 2;
            room(&mut buf, want);
        }
    }
}

impl<R> Cutter<R> {
    /// The first `len` bytes of `buf` as the piece that follows the last one.
    fn piece(&mut self, buf: Vec<u8>, len: usize, last: bool) -> Piece {
        let start = self.offset;
        self.offset += len as u64;
        Piece {
            buf,
            len,
            start,
            last,
        }
    }
}

/// Makes `buf` at least `want` bytes long, zeroing only what it grows by.
/// (`read_to_end` on a reader that is not a file, such as the tap that
/// hashes it, zeroes the spare room before each read: a piece's size of
/// zeroes a piece.)
fn room(buf: &mut Vec<u8>, want: usize) {
    if buf.len() < want {
        buf.resize(want, 0);
    }
}

/// Reads into `buf` past its first `len` bytes until it is full; true at
/// end of stream.
fn fill(src: &mut impl Read, buf: &mut [u8], len: &mut usize) -> io::Result<bool> {
    while let Some(rest) = buf.get_mut(*len..).filter(|r| !r.is_empty()) {
        match src.read(rest) {
            Ok(0) => return Ok(true),
            Ok(n) => *len += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(false)
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

    /// The records csv_core alone gives for `input`.
    fn by_csv_core(input: &[u8], delimiter: u8) -> Vec<Vec<Vec<u8>>> {
        use csv_core::ReadRecordResult as R;
        let mut core = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        let (mut out, mut ends) = (vec![0u8; 4096], vec![0usize; 256]);
        let (mut at, mut records) = (0, Vec::new());
        // Output and field ends written so far for the current record.
        let (mut nout, mut nends) = (0, 0);
        loop {
            let (res, nin, o, e) =
                core.read_record(&input[at..], &mut out[nout..], &mut ends[nends..]);
            at += nin;
            nout += o;
            nends += e;
            match res {
                R::Record => {
                    let mut start = 0;
                    let fields = ends[..std::mem::take(&mut nends)]
                        .iter()
                        .map(|&end| {
                            let field = out[start..end].to_vec();
                            start = end;
                            field
                        })
                        .collect();
                    records.push(fields);
                    nout = 0;
                }
                R::End => return records,
                R::InputEmpty => {}
                R::OutputFull | R::OutputEndsFull => unreachable!("test buffers are large"),
            }
        }
    }

    /// The records `Parser` gives for `input` fed in pieces cut at `cuts`.
    fn by_parser(input: &[u8], cuts: &[usize], delimiter: u8) -> Vec<Vec<Vec<u8>>> {
        let (mut p, mut rec) = (Parser::new(delimiter), Record::default());
        let mut records = Vec::new();
        let mut bounds: Vec<usize> = cuts.iter().copied().filter(|&c| c < input.len()).collect();
        bounds.sort_unstable();
        bounds.push(input.len());
        let mut from = 0;
        for to in bounds {
            let piece = &input[from..to];
            let mut at = 0;
            // An empty input would mean the end of the stream.
            while at < piece.len() {
                let (step, n) = p.next(&piece[at..], &mut rec);
                at += n;
                if step == Step::Record {
                    assert_breaks_told(&rec);
                    records.push(rec.iter().map(<[u8]>::to_vec).collect());
                }
            }
            from = to;
        }
        while let (Step::Record, _) = p.next(&[], &mut rec) {
            assert_breaks_told(&rec);
            records.push(rec.iter().map(<[u8]>::to_vec).collect());
        }
        records
    }

    /// A record says it has a line break exactly when a field holds one.
    fn assert_breaks_told(rec: &Record) {
        let any = rec.iter().any(|f| f.contains(&b'\n') || f.contains(&b'\r'));
        assert_eq!(rec.has_breaks(), any, "{rec:?}");
    }

    #[test]
    fn quick_records_agree_with_csv_core() {
        // Random text over the bytes that matter, in random pieces: the
        // quick path and its hand-over to csv_core give csv_core's records.
        let alphabet: [&[u8]; 11] = [
            b"a",
            b"b",
            "\u{e9}".as_bytes(),
            b",",
            b";",
            b"\"",
            b"\"",
            b"\n",
            b"\r",
            b" ",
            b"\r\n",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for case in 0..4000 {
            let len = (next() % 300) as usize;
            let mut input = Vec::new();
            for _ in 0..len {
                input.extend_from_slice(alphabet[(next() % alphabet.len() as u64) as usize]);
            }
            let cuts: Vec<usize> = (0..next() % 4)
                .map(|_| (next() % (input.len() as u64 + 1)) as usize)
                .collect();
            let delimiter = if case % 2 == 0 { b',' } else { b';' };
            assert_eq!(
                by_parser(&input, &cuts, delimiter),
                by_csv_core(&input, delimiter),
                "input {:?}, cuts {cuts:?}",
                String::from_utf8_lossy(&input)
            );
        }
    }

    #[test]
    fn a_wide_quick_record_after_a_wide_one_csv_core_read() {
        // csv_core grows the field ends for a record of 40 fields; the next
        // record of 40, taken by the quick path, needs as many starts.
        let fields = |first: &str| {
            let mut f = vec![first.to_string()];
            f.extend((1..40).map(|i| i.to_string()));
            f.join(",")
        };
        let text = format!("{}\n{}\n", fields("\"a\"\"b\""), fields("c"));
        let input = text.as_bytes();
        let records = by_parser(input, &[], b',');
        assert_eq!(records, by_csv_core(input, b','));
        assert_eq!(records[1].len(), 40);
    }

    #[test]
    fn quick_records_of_the_usual_shape() {
        // Long records cross several 64-byte blocks, quotes open across a
        // block's end, and every field shape the quick path takes or
        // declines stands in one list.
        let long = "x".repeat(70);
        let text = format!(
            "{long},\"{long},\n{long}\",\"\"\r\n\n\"a\"\"b\",c\"d,\"e\"f\n,,\n\"\u{1ec7}\",{long}"
        );
        let input = text.as_bytes();
        let expected = by_csv_core(input, b',');
        assert_eq!(expected.len(), 4);
        for cut in 0..input.len() {
            assert_eq!(by_parser(input, &[cut], b','), expected, "cut at {cut}");
        }
    }

    #[test]
    fn a_piece_cut_after_an_opening_quote_is_inside_a_record() {
        let (mut p, mut rec) = (Parser::new(b','), Record::default());
        assert_eq!(p.next(b"a,b\n\"", &mut rec), (Step::Record, 4));
        assert_eq!(p.next(b"\"", &mut rec), (Step::NeedInput, 1));
        assert!(p.in_record());
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
        // Each piece read into the buffer of the one before, as spread
        // reading does: what earlier pieces left there must not show.
        let mut spare = vec![b'"'; 3];
        while let Some(p) = c.next(size, spare).unwrap() {
            out.push(p.bytes().to_vec());
            spare = p.into_buffer();
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
