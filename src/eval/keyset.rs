//! The keys of a list (e.g. `ma_can_bo`), with the row of each: one arena
//! of text and a table of offsets, so a million keys cost two allocations
//! that grow, not a million.

use hashbrown::HashTable;
use std::hash::BuildHasher;

#[derive(Debug, Clone, Default)]
pub struct KeySet {
    arena: String,
    /// (start, end) in `arena`, and the row.
    table: HashTable<(u32, u32, u64)>,
}

/// The hash [`KeySet`] files `key` under: the same on every thread, so a
/// thread that reads rows can hash their keys for the one that records
/// them.
pub fn key_hash(key: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(key)
}

impl KeySet {
    fn text(&self, span: (u32, u32)) -> &str {
        self.arena
            .get(span.0 as usize..span.1 as usize)
            .unwrap_or("")
    }

    /// The row `key` was first seen on; records it on `row` when new.
    pub fn first_or_insert(&mut self, key: &str, row: u64) -> Option<u64> {
        self.first_or_insert_hashed(key, key_hash(key), row)
    }

    /// Same with the key's [`key_hash`] already computed.
    pub fn first_or_insert_hashed(&mut self, key: &str, hash: u64, row: u64) -> Option<u64> {
        let arena = &self.arena;
        let same = |e: &(u32, u32, u64)| arena.get(e.0 as usize..e.1 as usize) == Some(key);
        if let Some(e) = self.table.find(hash, same) {
            return Some(e.2);
        }
        // Offsets are u32: past 4 GiB of keys, stop recording (no list
        // checked in one run comes near that).
        let start = u32::try_from(self.arena.len()).ok()?;
        let end = u32::try_from(self.arena.len() + key.len()).ok()?;
        self.arena.push_str(key);
        let arena = &self.arena;
        self.table.insert_unique(hash, (start, end, row), |e| {
            key_hash(arena.get(e.0 as usize..e.1 as usize).unwrap_or(""))
        });
        None
    }

    pub fn contains(&self, key: &str) -> bool {
        let hash = key_hash(key);
        self.table
            .find(hash, |e| self.text((e.0, e.1)) == key)
            .is_some()
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
    }
}
