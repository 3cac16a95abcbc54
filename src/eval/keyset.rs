//! The keys of a list (e.g. `ma_can_bo`), with the row of each.
//!
//! A national list has millions of keys, and a hash table of them is too
//! large for the cache: looking each key up as it is read costs two cache
//! misses a key. Instead, a [`KeyLog`] only appends: the key's text to one
//! arena, and its hash to one of `BUCKETS` (256) lists chosen by the hash's
//! top bits, each list written in order. [`KeyLog::seal`] then sorts each
//! list, small enough for the cache, and finds the repeated keys; the
//! [`KeySet`] it gives answers lookups.

use std::hash::BuildHasher;

/// Lists the hashes are spread over; each is sorted alone.
const BUCKETS: usize = 256;

/// What follows a key in the log when its row proposes something: the
/// proposal, so that one person proposed for two things (two rows, or one
/// cell naming both) is no repeat, and the same proposal twice is.
pub const PROPOSAL_MARK: char = '\u{0}';

/// The key without the proposal the log may carry after it.
pub fn person(logged: &str) -> &str {
    logged.split(PROPOSAL_MARK).next().unwrap_or(logged)
}

/// The hash a key is filed under: the same on every thread, so a thread
/// that reads rows can hash their keys for the one that records them.
pub fn key_hash(key: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(key.as_bytes())
}

fn bucket(hash: u64) -> usize {
    (hash >> 56) as usize % BUCKETS
}

/// A key's entry in its bucket: the low half of its hash above, its
/// number below, so that sorting puts equal hashes together in the order
/// the keys came.
fn entry(hash: u64, number: u32) -> u64 {
    (hash << 32) | u64::from(number)
}

fn number(entry: u64) -> usize {
    (entry & 0xFFFF_FFFF) as usize
}

/// The texts of the keys and their rows, in the order they came.
#[derive(Debug, Clone, Default)]
struct Keys {
    text: String,
    /// Per key: its end in `text` and its row.
    ends: Vec<(u32, u32)>,
}

impl Keys {
    fn text(&self, i: usize) -> &str {
        let start = i.checked_sub(1).map_or(0, |p| self.ends[p].0 as usize);
        self.text
            .get(start..self.ends[i].0 as usize)
            .unwrap_or_default()
    }

    fn row(&self, i: usize) -> u64 {
        u64::from(self.ends[i].1)
    }
}

/// Keys as they are read; see the module's note.
#[derive(Debug, Clone)]
pub struct KeyLog {
    keys: Keys,
    buckets: Vec<Vec<u64>>,
    /// The first row whose key could not be recorded (see [`KeyLog::push`]).
    unrecorded: Option<u64>,
}

impl Default for KeyLog {
    fn default() -> KeyLog {
        KeyLog {
            keys: Keys::default(),
            buckets: vec![Vec::new(); BUCKETS],
            unrecorded: None,
        }
    }
}

/// A key found again: on `row`, first seen on `first`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repeat {
    pub key: String,
    /// The proposal (a value of the proposal column) of `row`.
    pub proposal: Option<u16>,
    /// Whether `first` carries the same proposal (else `row` is the same
    /// person proposed for something else, which is no error).
    pub same_proposal: bool,
    pub row: u64,
    pub first: u64,
}

impl KeyLog {
    /// Records `key` (hashed with [`key_hash`]) on `row`.
    pub fn push(&mut self, key: &str, hash: u64, row: u64) {
        // Offsets, rows and numbers are u32: past 4 GiB of keys or 4
        // billion rows, stop recording (no list checked in one run comes
        // near that), and say from which row.
        let end = self.keys.text.len() + key.len();
        let (Ok(end), Ok(row), Ok(n)) = (
            u32::try_from(end),
            u32::try_from(row),
            u32::try_from(self.keys.ends.len()),
        ) else {
            self.unrecorded.get_or_insert(row);
            return;
        };
        self.keys.text.push_str(key);
        self.keys.ends.push((end, row));
        self.buckets[bucket(hash)].push(entry(hash, n));
    }

    /// Makes room for `more` keys of `bytes` bytes in all, so that a large
    /// list does not grow (and copy) its lists again and again.
    pub fn reserve(&mut self, more: usize, bytes: usize) {
        self.keys.text.reserve(bytes);
        self.keys.ends.reserve(more);
        // A little over the even share: buckets are not all equal.
        let each = more / BUCKETS + more / BUCKETS / 8 + 8;
        self.buckets.iter_mut().for_each(|b| b.reserve(each));
    }

    /// Bytes the keys take.
    pub fn bytes(&self) -> usize {
        self.keys.text.len()
    }

    pub fn len(&self) -> usize {
        self.keys.ends.len()
    }

    /// The first row from which keys were not recorded, hence not checked
    /// for repeats, if any.
    pub fn unrecorded(&self) -> Option<u64> {
        self.unrecorded
    }

    pub fn is_empty(&self) -> bool {
        self.keys.ends.is_empty()
    }

    /// The set of keys, and every key found again, in row order.
    pub fn seal(mut self) -> (KeySet, Vec<Repeat>) {
        let mut repeats = Vec::new();
        for b in &mut self.buckets {
            b.sort_unstable();
            for run in b.chunk_by(|x, y| x >> 32 == y >> 32) {
                if run.len() > 1 {
                    repeats_in(&self.keys, run, &mut repeats);
                }
            }
        }
        repeats.sort_unstable_by_key(|r| r.row);
        let set = KeySet {
            keys: self.keys,
            buckets: self.buckets,
        };
        (set, repeats)
    }
}

/// The repeated keys among `run` (entries of one hash, in the order the
/// keys came); each names the first row of its text. A person's later row
/// with another proposal is listed too, as such (`same_proposal` false),
/// naming the person's first row.
fn repeats_in(keys: &Keys, run: &[u64], out: &mut Vec<Repeat>) {
    let mut numbers: Vec<usize> = run.iter().map(|&e| number(e)).collect();
    // By text, then in the order they came: a stable sort keeps the latter.
    numbers.sort_by(|&a, &b| keys.text(a).cmp(keys.text(b)));
    let proposal = |i: usize| {
        keys.text(i)
            .split_once(PROPOSAL_MARK)
            .and_then(|(_, p)| p.parse().ok())
    };
    for one in numbers.chunk_by(|&a, &b| person(keys.text(a)) == person(keys.text(b))) {
        let first_of_person = one.iter().map(|&i| keys.row(i)).min().unwrap_or(0);
        for same in one.chunk_by(|&a, &b| keys.text(a) == keys.text(b)) {
            let first = keys.row(same[0]);
            if first != first_of_person {
                out.push(Repeat {
                    key: person(keys.text(same[0])).to_string(),
                    proposal: proposal(same[0]),
                    same_proposal: false,
                    row: first,
                    first: first_of_person,
                });
            }
            out.extend(same[1..].iter().map(|&i| Repeat {
                key: person(keys.text(i)).to_string(),
                proposal: proposal(i),
                same_proposal: true,
                row: keys.row(i),
                first,
            }));
        }
    }
}

/// The keys of a list once read: answers whether a key is among them.
#[derive(Debug, Clone)]
pub struct KeySet {
    keys: Keys,
    /// As in [`KeyLog`], each sorted.
    buckets: Vec<Vec<u64>>,
}

impl Default for KeySet {
    fn default() -> KeySet {
        KeyLog::default().seal().0
    }
}

impl KeySet {
    pub fn contains(&self, key: &str) -> bool {
        let hash = key_hash(key);
        let b = &self.buckets[bucket(hash)];
        let low = entry(hash, 0);
        let from = b.partition_point(|&e| e < low);
        b[from..]
            .iter()
            .take_while(|&&e| e >> 32 == low >> 32)
            .any(|&e| person(self.keys.text(number(e))) == key)
    }

    pub fn len(&self) -> usize {
        self.keys.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.ends.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(keys: &[(&str, u64)]) -> KeyLog {
        let mut log = KeyLog::default();
        for &(k, row) in keys {
            log.push(k, key_hash(person(k)), row);
        }
        log
    }

    #[test]
    fn keys_past_what_is_recorded_are_said_from_their_first_row() {
        let past = u64::from(u32::MAX) + 1;
        let log = log(&[("A", 2), ("B", past + 5), ("A", past + 7), ("C", past + 6)]);
        assert_eq!(log.unrecorded(), Some(past + 5));
        assert_eq!(log.len(), 1);
        assert!(log.seal().1.is_empty(), "unrecorded keys are not compared");
        assert_eq!(self::log(&[("A", 2), ("A", 3)]).unrecorded(), None);
    }

    #[test]
    fn first_row_wins_and_lookups_agree() {
        let mut keys: Vec<(String, u64)> = (0..10_000u64)
            .map(|i| (format!("CB{i:07}"), i + 2))
            .collect();
        keys.push(("CB0000042".into(), 99_999));
        keys.push(("Nguyễn".into(), 100_000));
        let long = "x".repeat(300);
        keys.push((long.clone(), 100_001));
        keys.push((long.clone(), 100_002));
        let borrowed: Vec<(&str, u64)> = keys.iter().map(|(k, r)| (k.as_str(), *r)).collect();
        let (set, repeats) = log(&borrowed).seal();
        assert_eq!(
            repeats,
            vec![
                Repeat {
                    key: "CB0000042".into(),
                    proposal: None,
                    same_proposal: true,
                    row: 99_999,
                    first: 44
                },
                Repeat {
                    key: long.clone(),
                    proposal: None,
                    same_proposal: true,
                    row: 100_002,
                    first: 100_001
                },
            ]
        );
        assert_eq!(set.len(), 10_004);
        assert!(set.contains("CB0009999"));
        assert!(!set.contains("CB0010000"));
        assert!(!set.contains(""));
        assert!(set.contains("Nguyễn"));
        assert!(!set.contains(&long[1..]));
    }

    #[test]
    fn equal_hashes_are_told_apart_by_text() {
        // Every key filed under one hash: only equal texts repeat.
        let mut log = KeyLog::default();
        for (row, k) in ["b", "a", "b", "c", "a", "b"].iter().enumerate() {
            log.push(k, 7, row as u64 + 2);
        }
        let (_, repeats) = log.seal();
        let found: Vec<(&str, u64, u64)> = repeats
            .iter()
            .map(|r| (r.key.as_str(), r.row, r.first))
            .collect();
        assert_eq!(found, vec![("b", 4, 2), ("a", 6, 3), ("b", 7, 2)]);
    }

    #[test]
    fn one_key_on_every_row() {
        let keys: Vec<(&str, u64)> = (0..50_000u64).map(|r| ("CB1", r + 2)).collect();
        let (set, repeats) = log(&keys).seal();
        assert_eq!(repeats.len(), 49_999);
        assert!(repeats.iter().all(|r| r.first == 2));
        assert!(set.contains("CB1"));
    }

    #[test]
    fn one_person_two_proposals_is_no_repeat_the_same_twice_is() {
        let logged = |k: &str, p: Option<u16>| match p {
            Some(p) => format!("{k}{PROPOSAL_MARK}{p}"),
            None => k.to_string(),
        };
        let rows = [
            (logged("CB1", Some(1)), 2),
            (logged("CB1", Some(4)), 3),
            (logged("CB2", Some(1)), 4),
            (logged("CB2", Some(1)), 5),
            (logged("CB3", None), 6),
        ];
        let borrowed: Vec<(&str, u64)> = rows.iter().map(|(k, r)| (k.as_str(), *r)).collect();
        let (set, repeats) = log(&borrowed).seal();
        assert_eq!(
            repeats,
            vec![
                Repeat {
                    key: "CB1".into(),
                    proposal: Some(4),
                    same_proposal: false,
                    row: 3,
                    first: 2
                },
                Repeat {
                    key: "CB2".into(),
                    proposal: Some(1),
                    same_proposal: true,
                    row: 5,
                    first: 4
                }
            ]
        );
        assert!(set.contains("CB1") && set.contains("CB2") && set.contains("CB3"));
        assert!(!set.contains("CB"));
    }
}
