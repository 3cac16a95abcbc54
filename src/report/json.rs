//! The report as JSON (the contract of DESIGN.md): pretty JSON as
//! serde_json writes it (two spaces a level), with each line
//! break and its indentation written at once: a national report has
//! millions of lines, and writing the indentation two spaces at a time
//! was a good part of the time spent after reading the list. The report's
//! candidates, most of its bytes, and its groups are written by several
//! threads at once.

use super::json_items::{candidate, group};
use crate::report::model::Report;
use serde::Serialize;
use serde_json::ser::Formatter;
use std::io::{self, Write};

/// A line break, then up to 32 levels of indentation.
const BREAK: &[u8] = b",\n                                                                ";

#[derive(Default)]
struct Pretty {
    level: usize,
    has_value: bool,
}

impl Pretty {
    /// A formatter for a value written inside `level` open brackets.
    fn at(level: usize) -> Pretty {
        Pretty {
            level,
            has_value: false,
        }
    }

    /// A line break (after a comma unless `first`) and the indentation.
    fn line<W: ?Sized + Write>(&self, w: &mut W, first: bool) -> io::Result<()> {
        let from = usize::from(first);
        match BREAK.get(from..2 + 2 * self.level) {
            Some(bytes) => w.write_all(bytes),
            None => {
                w.write_all(&BREAK[from..2])?;
                (0..self.level).try_for_each(|_| w.write_all(b"  "))
            }
        }
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.line(w, true)?;
        }
        w.write_all(bracket)
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.line(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.line(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Writes `value` as a value inside `level` open brackets.
pub(super) fn value<W: Write, T: Serialize + ?Sized>(
    w: &mut W,
    level: usize,
    value: &T,
) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(w, Pretty::at(level));
    value.serialize(&mut ser).map_err(io::Error::from)
}

/// Writes the key of a member of the report's object (`first`: no comma
/// before).
fn key<W: Write>(w: &mut W, first: bool, key: &str) -> io::Result<()> {
    Pretty::at(1).line(w, first)?;
    value(w, 1, key)?;
    w.write_all(b": ")
}

fn member<W: Write, T: Serialize + ?Sized>(
    w: &mut W,
    first: bool,
    name: &str,
    v: &T,
) -> io::Result<()> {
    key(w, first, name)?;
    value(w, 1, v)
}

/// Candidates serialised together by one thread.
const CHUNK: usize = 2048;

/// Writes `report` as `serde_json::to_writer_pretty` writes it, without
/// a final line break; its candidates and groups are serialised on
/// `threads` threads and written in order, so a large report is never a
/// second copy in memory.
pub fn write_report<W: Write>(w: &mut W, report: &Report, threads: usize) -> io::Result<()> {
    write_in_chunks(w, report, threads, CHUNK)
}

/// [`write_report`], `chunk` candidates or groups at a time.
fn write_in_chunks<W: Write>(
    w: &mut W,
    report: &Report,
    threads: usize,
    chunk: usize,
) -> io::Result<()> {
    // The members in the order `Report` declares them (a test holds the
    // two to the same bytes).
    w.write_all(b"{")?;
    member(w, true, "engine", &report.engine)?;
    member(w, false, "rules", &report.rules)?;
    member(w, false, "regime", &report.regime)?;
    member(w, false, "inputs", &report.inputs)?;
    member(w, false, "summary", &report.summary)?;
    key(w, false, "candidates")?;
    spread_array(w, &report.candidates, threads, chunk.max(1), candidate)?;
    key(w, false, "groups")?;
    spread_array(w, &report.groups, threads, chunk.max(1), group)?;
    member(w, false, "data_errors", &report.data_errors)?;
    member(w, false, "data_warnings", &report.data_warnings)?;
    member(w, false, "unchecked", &report.unchecked)?;
    member(w, false, "higher_titles", &report.higher_titles)?;
    if !report.targets.is_empty() {
        member(w, false, "targets", &report.targets)?;
    }
    w.write_all(b"\n}")
}

/// Writes `items` as the array value of a member of the report's object,
/// each `chunk` of them serialised by one of `threads` threads.
fn spread_array<W: Write, T: Sync>(
    w: &mut W,
    items: &[T],
    threads: usize,
    chunk: usize,
    write_item: fn(&mut Vec<u8>, &T),
) -> io::Result<()> {
    if items.is_empty() {
        return w.write_all(b"[]");
    }
    let pieces: Vec<&[T]> = items.chunks(chunk).collect();
    // Each item is inside the report's object and the array.
    let write_piece = |i: usize, buf: &mut Vec<u8>| -> io::Result<()> {
        for (j, item) in pieces[i].iter().enumerate() {
            Pretty::at(2).line(buf, i == 0 && j == 0)?;
            write_item(buf, item);
        }
        Ok(())
    };
    w.write_all(b"[")?;
    if threads < 2 || pieces.len() < 2 {
        let mut buf = Vec::new();
        for i in 0..pieces.len() {
            buf.clear();
            write_piece(i, &mut buf)?;
            w.write_all(&buf)?;
        }
    } else {
        in_order(w, pieces.len(), threads, &write_piece)?;
    }
    let mut close = Pretty::at(2);
    close.has_value = true;
    close.close(w, b"]")
}

/// Writes to `w`, in order, the `n` pieces that `threads` threads make
/// with `make`. Buffers go round, and a thread makes no piece more than
/// `2 × threads` ahead of the last one written: a few pieces are in
/// memory at a time, even when one thread is slow to give its piece.
fn in_order<W: Write>(
    w: &mut W,
    n: usize,
    threads: usize,
    make: &(dyn Fn(usize, &mut Vec<u8>) -> io::Result<()> + Sync),
) -> io::Result<()> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Condvar, Mutex, mpsc};
    let next = AtomicUsize::new(0);
    let spare: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());
    let ahead = 2 * threads.max(1);
    // Pieces written so far (all of them once writing stops).
    let written = (Mutex::new(0usize), Condvar::new());
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel::<(usize, io::Result<Vec<u8>>)>(threads);
        for _ in 0..threads {
            let (tx, next, spare, written) = (tx.clone(), &next, &spare, &written);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    let (count, turn) = written;
                    if let Ok(done) = count.lock() {
                        // Only the wait matters: the lock goes at once.
                        drop(turn.wait_while(done, |done| i >= *done + ahead));
                    }
                    let mut buf = spare
                        .lock()
                        .ok()
                        .and_then(|mut s| s.pop())
                        .unwrap_or_default();
                    buf.clear();
                    let made = make(i, &mut buf).map(|()| buf);
                    if tx.send((i, made)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let outcome = (|| {
            let mut waiting = std::collections::BTreeMap::new();
            let mut at = 0;
            for (i, made) in &rx {
                waiting.insert(i, made);
                while let Some(made) = waiting.remove(&at) {
                    let buf = made?;
                    w.write_all(&buf)?;
                    if let Ok(mut s) = spare.lock() {
                        s.push(buf);
                    }
                    at += 1;
                    if let Ok(mut done) = written.0.lock() {
                        *done = at;
                    }
                    written.1.notify_all();
                }
            }
            Ok(())
        })();
        // On an error, no thread may wait for pieces that will not be
        // written; dropping the receiver stops them at their next send.
        if let Ok(mut done) = written.0.lock() {
            *done = usize::MAX - ahead;
        }
        written.1.notify_all();
        drop(rx);
        outcome
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_what_serde_json_pretty_writes() {
        let deep = (0..40).fold(
            serde_json::json!([1, {"a": []}]),
            |v, i| serde_json::json!({ "k": v, "i": i, "e": {}, "l": [[], [null]] }),
        );
        let mut ours = Vec::new();
        let mut ser = serde_json::Serializer::with_formatter(&mut ours, Pretty::default());
        serde::Serialize::serialize(&deep, &mut ser).unwrap();
        let theirs = serde_json::to_vec_pretty(&deep).unwrap();
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            String::from_utf8(theirs).unwrap()
        );
    }

    #[test]
    fn pieces_are_written_in_order_and_an_error_stops_every_thread() {
        for threads in [1, 2, 3] {
            let mut out = Vec::new();
            let each = |i: usize, buf: &mut Vec<u8>| {
                buf.extend_from_slice(format!("{i},").as_bytes());
                Ok(())
            };
            in_order(&mut out, 200, threads, &each).unwrap();
            let want: String = (0..200).map(|i| format!("{i},")).collect();
            assert_eq!(String::from_utf8(out).unwrap(), want);
            // Threads far ahead of a failed piece must not wait forever.
            let failing = |i: usize, buf: &mut Vec<u8>| match i {
                3 => Err(io::Error::other("hỏng")),
                _ => {
                    buf.push(b'x');
                    Ok(())
                }
            };
            assert!(in_order(&mut Vec::new(), 1000, threads, &failing).is_err());
        }
    }

    fn report(list: &str, rules: Option<&str>) -> Report {
        let rules = match rules {
            Some(path) => crate::Rules::load(&[path.into()], &[]),
            None => crate::Rules::embedded(&[]),
        }
        .unwrap();
        crate::Check::new(&rules)
            .list(crate::ListSource::path(list))
            .unwrap()
            .threads(1)
            .run()
            .unwrap()
            .report
    }

    #[test]
    fn the_report_written_in_pieces_is_what_serde_json_writes() {
        for (list, rules) in [
            ("examples/danh-sach-mau.csv", None),
            ("tests/fixtures/lists/co-loi.csv", None),
            (
                "tests/fixtures/lists/ty-le.csv",
                Some("tests/fixtures/rules/tinh-thu.tdkt"),
            ),
        ] {
            let mut r = report(list, rules);
            assert!(r.candidates.len() > 5, "{list}");
            if rules.is_some() {
                assert!(r.groups.len() > 3, "{list}: groups");
            }
            let theirs = String::from_utf8(serde_json::to_vec_pretty(&r).unwrap()).unwrap();
            for (threads, chunk) in [(1, CHUNK), (1, 2), (2, 1), (2, 3), (3, 1000)] {
                let mut ours = Vec::new();
                write_in_chunks(&mut ours, &r, threads, chunk).unwrap();
                let ours = String::from_utf8(ours).unwrap();
                assert_eq!(ours, theirs, "{list}, {threads} threads, {chunk} a piece");
            }
            r.candidates.clear();
            let theirs = String::from_utf8(serde_json::to_vec_pretty(&r).unwrap()).unwrap();
            let mut ours = Vec::new();
            write_in_chunks(&mut ours, &r, 2, 1).unwrap();
            assert_eq!(String::from_utf8(ours).unwrap(), theirs, "{list}, none");
        }
    }
}
