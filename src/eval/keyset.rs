//! The keys of a list (e.g. `ma_can_bo`), with the row of each: one arena
//! of text and a table of offsets, so a million keys cost two allocations
//! that grow, not a million.

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;
use std::hash::BuildHasher;

#[derive(Debug, Clone, Default)]
pub struct KeySet {
    /// Each key as its length (LEB128) then its bytes.
    arena: Vec<u8>,
    /// Start of the key in `arena`, and its row: 8 bytes a key, so the
    /// keys of a national list fit in tens of megabytes.
    table: HashTable<(u32, u32)>,
}

/// The hash [`KeySet`] files `key` under: the same on every thread, so a
/// thread that reads rows can hash their keys for the one that records
/// them.
pub fn key_hash(key: &str) -> u64 {
    hash_bytes(key.as_bytes())
}

fn hash_bytes(key: &[u8]) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(key)
}

/// The bytes of the key stored at `start`.
fn key_at(arena: &[u8], start: u32) -> &[u8] {
    let mut at = start as usize;
    let mut len = 0usize;
    let mut shift = 0;
    while let Some(&b) = arena.get(at) {
        at += 1;
        len |= usize::from(b & 0x7F) << shift;
        shift += 7;
        if b & 0x80 == 0 || shift > 28 {
            break;
        }
    }
    arena.get(at..at + len).unwrap_or_default()
}

impl KeySet {
    /// The row `key` was first seen on; records it on `row` when new.
    pub fn first_or_insert(&mut self, key: &str, row: u64) -> Option<u64> {
        self.first_or_insert_hashed(key, key_hash(key), row)
    }

    /// Same with the key's [`key_hash`] already computed.
    pub fn first_or_insert_hashed(&mut self, key: &str, hash: u64, row: u64) -> Option<u64> {
        // Offsets and rows are u32: past 4 GiB of keys or 4 billion rows,
        // stop recording (no list checked in one run comes near that).
        let start = u32::try_from(self.arena.len()).ok();
        let arena = &self.arena;
        // One probe of the table, which a large list does not keep in cache.
        let entry = self.table.entry(
            hash,
            |e| key_at(arena, e.0) == key.as_bytes(),
            |e| hash_bytes(key_at(arena, e.0)),
        );
        let vacant = match entry {
            Entry::Occupied(e) => return Some(u64::from(e.get().1)),
            Entry::Vacant(v) => v,
        };
        vacant.insert((start?, u32::try_from(row).ok()?));
        let mut len = key.len();
        loop {
            let low = (len & 0x7F) as u8;
            len >>= 7;
            if len == 0 {
                self.arena.push(low);
                break;
            }
            self.arena.push(low | 0x80);
        }
        self.arena.extend_from_slice(key.as_bytes());
        None
    }

    /// Makes room for `more` keys of `bytes` bytes in all, so that a large
    /// list does not grow the table (and copy it) again and again.
    pub fn reserve(&mut self, more: usize, bytes: usize) {
        self.arena.reserve(bytes + more);
        let arena = &self.arena;
        self.table.reserve(more, |e| hash_bytes(key_at(arena, e.0)));
    }

    pub fn contains(&self, key: &str) -> bool {
        let hash = key_hash(key);
        self.table
            .find(hash, |e| key_at(&self.arena, e.0) == key.as_bytes())
            .is_some()
    }

    /// Bytes the keys take in the arena.
    pub fn bytes(&self) -> usize {
        self.arena.len()
    }

    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_row_wins_and_lookups_agree() {
        let mut k = KeySet::default();
        for i in 0..10_000u64 {
            assert_eq!(k.first_or_insert(&format!("CB{i:07}"), i + 2), None);
        }
        assert_eq!(k.first_or_insert("CB0000042", 99), Some(44));
        assert_eq!(k.len(), 10_000);
        assert!(k.contains("CB0009999"));
        assert!(!k.contains("CB0010000"));
        assert!(!k.contains(""));
        assert_eq!(k.first_or_insert("Nguyễn", 3), None);
        assert!(k.contains("Nguyễn"));
        // Lengths of one byte and of two.
        let long = "x".repeat(300);
        assert_eq!(k.first_or_insert(&long, 5), None);
        assert_eq!(k.first_or_insert(&long, 6), Some(5));
        assert!(!k.contains(&long[1..]));
    }
}
