//! Progress of a long read, on the terminal: someone checking a national
//! list sees that it moves and how far it is. Only when standard error is
//! a terminal (never in a pipe, a log or a CI run) and the list is large.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Lists smaller than this are read too fast to need it.
const FROM_BYTES: u64 = 32 << 20;

/// How often the line is redrawn, at most.
const EVERY: Duration = Duration::from_millis(250);

pub struct Progress {
    path: String,
    total: u64,
    last: Option<Instant>,
    shown: bool,
    on: bool,
}

impl Progress {
    /// For the list at `path`, `total` bytes long.
    pub fn new(path: &str, total: u64) -> Progress {
        Progress {
            path: path.to_string(),
            total,
            last: None,
            shown: false,
            on: total >= FROM_BYTES && std::io::stderr().is_terminal(),
        }
    }

    /// `bytes` of the list read, up to row `row` (as a spreadsheet
    /// numbers it).
    pub fn update(&mut self, bytes: u64, row: u64) {
        if !self.on || self.last.is_some_and(|t| t.elapsed() < EVERY) {
            return;
        }
        self.last = Some(Instant::now());
        self.shown = true;
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r{}\x1b[K", line(&self.path, bytes, self.total, row));
        let _ = err.flush();
    }

    /// Clears the line (the report follows on standard output).
    pub fn done(&mut self) {
        if self.shown {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
            self.shown = false;
        }
    }
}

/// The engine's progress of each list, on the terminal.
#[derive(Default)]
pub struct Terminal {
    line: Option<Progress>,
}

impl crate::engine::Progress for Terminal {
    fn start(&mut self, name: &str, total: u64) {
        self.line = Some(Progress::new(name, total));
    }

    fn update(&mut self, bytes: u64, row: u64) {
        if let Some(line) = &mut self.line {
            line.update(bytes, row);
        }
    }

    fn done(&mut self) {
        // Dropping it clears the line.
        self.line = None;
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.done();
    }
}

/// The text of the line.
fn line(path: &str, bytes: u64, total: u64, row: u64) -> String {
    let pct = (bytes.min(total) * 100).checked_div(total).unwrap_or(100);
    format!("Đang xét «{path}»: {pct}% — đến dòng {}", grouped(row))
}

/// `1234567` as `1.234.567`, as Vietnamese writes it.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_reads_in_vietnamese() {
        assert_eq!(
            line("ds.csv", 50, 200, 1_234_567),
            "Đang xét «ds.csv»: 25% — đến dòng 1.234.567"
        );
        assert_eq!(line("a", 7, 0, 1), "Đang xét «a»: 100% — đến dòng 1");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1.000");
    }

    #[test]
    fn silent_for_small_lists() {
        let mut p = Progress::new("ds.csv", 1000);
        assert!(!p.on);
        p.update(10, 1);
        assert!(!p.shown);
    }
}
