//! Reading a list on one thread or spread over several: the list is cut
//! into pieces (see [`crate::data::records::Cutter`]) that threads judge
//! at once, and what they find is taken in the list's order, so the report
//! is the one a single pass gives.

use super::Progress;
use crate::data::records::Piece;
use crate::data::{DataError, DataIssue, PieceEnd, Row, RowMaker, TableReader, TextFiller};
use crate::eval::{Judge, Partial, TableEval};
use std::num::NonZeroUsize;

/// How a list is spread over threads.
#[derive(Debug, Clone, Copy)]
pub(super) struct Spread {
    pub threads: NonZeroUsize,
    /// Bytes a piece; `None`: chosen from the list's size.
    pub piece_size: Option<NonZeroUsize>,
}

impl Spread {
    /// The piece size for a list of `len` bytes (0: a list that cannot be
    /// cut); `None`: read in one pass.
    pub fn piece(&self, len: u64) -> Option<usize> {
        let threads = self.threads.get();
        if threads < 2 || len == 0 {
            return None;
        }
        match self.piece_size {
            Some(size) => Some(size.get()),
            None if len < SPREAD_FROM => None,
            // Enough pieces to keep every thread busy to the end, few
            // enough that each is worth sending.
            None => Some((len / (threads as u64 * 8)).clamp(256 << 10, 1 << 20) as usize),
        }
    }
}

/// Reads and evaluates on this thread; returns the problems reading found.
pub(super) fn read_inline(
    reader: &mut TableReader,
    evals: &mut [TableEval],
    progress: &mut dyn Progress,
    len: u64,
) -> Result<Vec<DataIssue>, DataError> {
    let filler = reader.text_filler();
    let mut row = Row::default();
    let mut issues = Vec::new();
    while reader.read_row(&mut row, &mut issues)? {
        for e in evals.iter_mut() {
            e.row(&mut row, &filler);
        }
        if row.line.is_multiple_of(4096) {
            progress.update(reader.bytes_read(), row.line);
            if row.line == 4096 {
                let guess = expected_rows(len, reader.bytes_read(), row.line);
                evals.iter_mut().for_each(|e| e.expect_rows(guess));
            }
        }
    }
    Ok(issues)
}

/// How many rows a list of `len` bytes has, from the first `rows` rows
/// read in `bytes` bytes (a little more, so that the guess is rarely short).
fn expected_rows(len: u64, bytes: u64, rows: u64) -> u64 {
    let per_row = (bytes / rows.max(1)).max(1);
    len / per_row + len / per_row / 32
}

/// Lists smaller than this are read on one thread: threads cost more
/// than they give.
const SPREAD_FROM: u64 = 1 << 20;

/// What a thread found in one piece.
struct PieceDone {
    end: PieceEnd,
    /// The piece's size.
    bytes: u64,
    issues: Vec<DataIssue>,
    parts: Vec<Partial>,
}

/// Reads the list in pieces that `threads` threads evaluate at once, each
/// with its own judges; this thread reads the file and takes what they
/// give in the list's order, so the outcome is the one a single pass
/// gives. `Ok(None)`: a piece was cut inside a quoted cell (a stray quote
/// fooled the cutting); the list must be read again in one pass.
pub(super) fn read_spread(
    reader: &mut TableReader,
    evals: &mut [TableEval],
    threads: usize,
    piece: usize,
    progress: &mut dyn Progress,
    len: u64,
) -> Result<Option<Vec<DataIssue>>, DataError> {
    let filler = reader.text_filler();
    let maker = reader.row_maker();
    let path = reader.path().to_string();
    let mut base = reader.rows_read();
    std::thread::scope(|scope| {
        // Made here so that leaving early drops the sender before the
        // scope waits for the threads: they see the end of the work.
        let (work_tx, work_rx) = std::sync::mpsc::sync_channel::<Work>(threads);
        let work_rx = std::sync::Arc::new(std::sync::Mutex::new(work_rx));
        let (done_tx, done_rx) = std::sync::mpsc::channel::<Done>();
        for id in 1..=threads {
            let judges: Vec<Judge> = evals.iter().map(|e| e.judge(id)).collect();
            let (maker, filler, path) = (maker.clone(), filler.clone(), &path);
            let (work_rx, done_tx) = (work_rx.clone(), done_tx.clone());
            scope.spawn(move || judge_pieces(judges, maker, &filler, path, &work_rx, &done_tx));
        }
        drop(done_tx);
        let mut pieces = reader.pieces();
        let mut issues = Vec::new();
        let (mut sent, mut taken) = (0, 0);
        let mut waiting = std::collections::BTreeMap::new();
        let mut spare: Vec<Vec<u8>> = Vec::new();
        let mut more = true;
        let mut failed: Option<DataError> = None;
        loop {
            // Two pieces per thread and one more: with this thread
            // time-sliced among the workers, a shallow queue left them
            // waiting for work (1M rows on 2 threads, medians of 5:
            // threads + 2 gave 1.01 s, this 0.97 s; 2.5M rows: 2.74 →
            // 2.48 s, peak memory 189 MiB both).
            while more && sent - taken < 2 * threads + 1 {
                match pieces.next(piece, spare.pop().unwrap_or_default()) {
                    Ok(Some((p, bad))) => {
                        progress.update(p.start + p.bytes().len() as u64, base);
                        if work_tx.send((sent, p, bad)).is_err() {
                            more = false;
                        }
                        sent += 1;
                    }
                    Ok(None) => more = false,
                    Err(e) => {
                        // Earlier pieces may hold an earlier error.
                        failed = Some(e);
                        more = false;
                    }
                }
            }
            if taken == sent {
                break;
            }
            let Ok((i, done, buf)) = done_rx.recv() else {
                return Err(stopped(&path));
            };
            spare.push(buf);
            waiting.insert(i, done);
            while let Some(done) = waiting.remove(&taken) {
                taken += 1;
                let done = done.map_err(|e| match e {
                    // Numbered within its piece.
                    DataError::NotUtf8 { path, row } => DataError::NotUtf8 {
                        path,
                        row: row + base,
                    },
                    e => e,
                })?;
                if !done.end.clean {
                    return Ok(None);
                }
                issues.extend(done.issues.into_iter().map(|mut i| {
                    i.row += base;
                    i
                }));
                for (e, part) in evals.iter_mut().zip(done.parts) {
                    e.absorb(part, base);
                }
                if taken == 1 {
                    let guess = expected_rows(len, done.bytes, done.end.records);
                    evals.iter_mut().for_each(|e| e.expect_rows(guess));
                }
                base += done.end.records;
            }
        }
        match failed {
            Some(e) => Err(e),
            None => Ok(Some(issues)),
        }
    })
}

/// A piece to judge: its number in the list's order, its bytes, and the
/// offset of the file's first byte that is not UTF-8, if one was read.
type Work = (usize, Piece, Option<u64>);

/// What a thread sends back for a piece: its number, what it found, and
/// its buffer for the next piece.
type Done = (usize, Result<PieceDone, DataError>, Vec<u8>);

/// A thread's work: judges each piece it takes under every rule set, and
/// sends what it found.
fn judge_pieces(
    mut judges: Vec<Judge>,
    mut maker: RowMaker,
    filler: &TextFiller,
    path: &str,
    work: &std::sync::Mutex<std::sync::mpsc::Receiver<Work>>,
    done: &std::sync::mpsc::Sender<Done>,
) {
    let mut row = Row::default();
    loop {
        let next = work.lock().ok().and_then(|rx| rx.recv().ok());
        let Some((i, piece, bad)) = next else { break };
        let mut issues = Vec::new();
        // A panic must not leave the reading thread waiting for this piece.
        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            maker.piece_rows(&piece, bad, path, &mut row, &mut issues, |row, _| {
                judges.iter_mut().for_each(|j| j.row(row, filler));
            })
        }))
        .unwrap_or_else(|_| Err(stopped(path)));
        let found = read.map(|end| PieceDone {
            end,
            bytes: piece.bytes().len() as u64,
            issues,
            parts: judges.iter_mut().map(|j| j.take(filler)).collect(),
        });
        if done.send((i, found, piece.into_buffer())).is_err() {
            break;
        }
    }
}

/// A thread that evaluates pieces stopped before its work was done.
fn stopped(path: &str) -> DataError {
    DataError::Io {
        path: path.to_string(),
        message: "một luồng xét danh sách dừng bất thường".into(),
    }
}
