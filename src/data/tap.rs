//! The byte stream under the CSV parser: hashes the file as it is read
//! (the report's SHA-256, without reading the file twice) and checks that
//! it is UTF-8 once for the whole stream, not cell by cell.

use sha2::{Digest, Sha256};
use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// What the tap learned, shared with the reader that owns the stream.
#[derive(Debug, Default)]
pub(crate) struct TapState {
    /// Offset of the first byte that is not UTF-8; `u64::MAX` while none.
    bad_at: AtomicU64,
    /// The digest, once the end of the stream was read.
    digest: Mutex<Option<String>>,
}

impl TapState {
    pub(crate) fn new() -> Arc<TapState> {
        Arc::new(TapState {
            bad_at: AtomicU64::new(u64::MAX),
            digest: Mutex::new(None),
        })
    }

    /// Offset of the first byte that is not UTF-8, if one was read.
    pub(crate) fn bad_at(&self) -> Option<u64> {
        Some(self.bad_at.load(Ordering::Relaxed)).filter(|&b| b != u64::MAX)
    }

    /// Lowercase hex SHA-256 of the whole stream, once it was read to the end.
    pub(crate) fn sha256(&self) -> Option<String> {
        self.digest.lock().ok().and_then(|d| d.clone())
    }
}

pub(crate) struct Tap<R> {
    inner: R,
    hasher: Sha256,
    /// The start of a character cut by the end of the previous read.
    carry: Vec<u8>,
    offset: u64,
    state: Arc<TapState>,
}

impl<R: Read> Tap<R> {
    pub(crate) fn new(inner: R, state: Arc<TapState>) -> Tap<R> {
        Tap {
            inner,
            hasher: Sha256::new(),
            carry: Vec::with_capacity(4),
            offset: 0,
            state,
        }
    }

    fn mark_bad(&self, at: u64) {
        self.state.bad_at.fetch_min(at, Ordering::Relaxed);
    }

    /// Checks `chunk`, which follows `self.carry` in the stream and starts
    /// at `self.offset`.
    fn check(&mut self, chunk: &[u8]) {
        let start = self.offset;
        let mut skip = 0;
        if !self.carry.is_empty() {
            // Complete the cut character from the head of this chunk.
            let mut joined = std::mem::take(&mut self.carry);
            let carried = joined.len();
            let take = chunk.len().min(4 - carried);
            joined.extend_from_slice(&chunk[..take]);
            match simdutf8::compat::from_utf8(&joined) {
                Ok(_) => skip = take,
                // The cut character is whole; go on after it.
                Err(e) if e.valid_up_to() > carried => skip = e.valid_up_to() - carried,
                Err(e) if e.error_len().is_none() => {
                    self.carry = joined;
                    return;
                }
                Err(_) => return self.mark_bad(start - carried as u64),
            }
        }
        let rest = &chunk[skip..];
        match simdutf8::compat::from_utf8(rest) {
            Ok(_) => {}
            Err(e) if e.error_len().is_none() => {
                self.carry.extend_from_slice(&rest[e.valid_up_to()..]);
            }
            Err(e) => self.mark_bad(start + (skip + e.valid_up_to()) as u64),
        }
    }
}

impl<R: Read> Read for Tap<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let chunk = &buf[..n];
        if n == 0 {
            if !self.carry.is_empty() {
                self.mark_bad(self.offset - self.carry.len() as u64);
                self.carry.clear();
            }
            if let Ok(mut d) = self.state.digest.lock()
                && d.is_none()
            {
                let digest = std::mem::take(&mut self.hasher).finalize();
                *d = Some(digest.iter().map(|b| format!("{b:02x}")).collect());
            }
            return Ok(0);
        }
        self.hasher.update(chunk);
        if self.state.bad_at().is_none() {
            self.check(chunk);
        }
        self.offset += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `bytes` through a tap in reads of `step` bytes.
    fn tap(bytes: &[u8], step: usize) -> Arc<TapState> {
        struct Steps<'a>(&'a [u8], usize);
        impl Read for Steps<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let state = TapState::new();
        let mut t = Tap::new(Steps(bytes, step), state.clone());
        io::copy(&mut t, &mut io::sink()).unwrap();
        state
    }

    #[test]
    fn characters_cut_between_reads_are_whole() {
        let text = "Nguyễn Thị Hương, Hoàn thành xuất sắc nhiệm vụ 😀".as_bytes();
        for step in 1..8 {
            let s = tap(text, step);
            assert_eq!(s.bad_at(), None, "step {step}");
            let expected: String = Sha256::digest(text)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(s.sha256(), Some(expected));
        }
    }

    #[test]
    fn first_bad_byte_is_found_at_any_cut() {
        let mut bytes = "Hoàn thành".as_bytes().to_vec();
        let at = bytes.len() as u64;
        bytes.extend_from_slice(&[0xE1, 0xBA, b'x']);
        bytes.extend_from_slice("ố".as_bytes());
        for step in 1..8 {
            assert_eq!(tap(&bytes, step).bad_at(), Some(at), "step {step}");
        }
        // A character cut by the end of the file.
        let cut = &"ố".as_bytes()[..2];
        for step in 1..3 {
            assert_eq!(tap(cut, step).bad_at(), Some(0));
        }
        // A lone continuation byte after a whole character.
        assert_eq!(tap(&[b'a', 0xC3, 0xA0, 0x80], 2).bad_at(), Some(3));
    }
}
