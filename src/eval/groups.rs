//! A judge's numbers for the groups of one column (a rate's `per`), found
//! by the bytes of a row's cell: one lookup a row, made for a few dozen
//! rows at once so that their cache misses overlap, and the text is made
//! only the first time a spelling is met. Spellings of one text (NFD,
//! spaces around) share the group of that text.

use crate::data::{Row, TextFiller};
use crate::semantic::model::ColIdx;
use rustc_hash::FxHashMap as HashMap;
use std::hash::BuildHasher;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct GroupNumbers {
    /// The column whose groups these are.
    col: ColIdx,
    /// A cell's bytes → the number of the group of their text. A group's
    /// text that reads as itself (the usual case) is among the keys too,
    /// so that its other spellings find it.
    by_bytes: BytesMap,
    /// Group texts that do not read as themselves (a default's text with
    /// spaces around, say), or that `by_bytes` had no room for.
    odd: HashMap<Box<str>, u32>,
    count: u32,
    text: String,
    again: String,
    /// Cells waiting to be looked up (see [`GroupNumbers::defer`]): their
    /// bytes one after the other, and where each lies (`None`: no cell).
    waiting: Vec<u8>,
    spans: Vec<Option<(usize, usize)>>,
    hashes: Vec<u64>,
    /// The groups of the cells last looked up, in order.
    found: Vec<u32>,
}

impl GroupNumbers {
    /// No group yet, for column `col`.
    pub fn new(col: ColIdx) -> GroupNumbers {
        GroupNumbers {
            col,
            by_bytes: BytesMap::default(),
            odd: HashMap::default(),
            count: 0,
            text: String::new(),
            again: String::new(),
            waiting: Vec::new(),
            spans: Vec::new(),
            hashes: Vec::new(),
            found: Vec::new(),
        }
    }

    /// Files the cell of `row` in the column to be looked up with the
    /// others by [`resolve`](Self::resolve); returns its place among them.
    /// A lookup alone waits for two or three cache misses one after the
    /// other (a national list's units do not fit in the cache); a few
    /// dozen looked up together wait for theirs at once.
    pub fn defer(&mut self, row: &Row, filler: &TextFiller) -> u32 {
        let span = filler.raw(row, self.col).map(|b| {
            let start = self.waiting.len();
            self.waiting.extend_from_slice(b);
            (start, self.waiting.len())
        });
        self.spans.push(span);
        (self.spans.len() - 1) as u32
    }

    /// How many cells wait to be looked up.
    pub fn waiting(&self) -> usize {
        self.spans.len()
    }

    /// Looks up every waiting cell, in the order they came, and gives
    /// their groups: the `i`th is that of the `i`th cell. Texts of new
    /// groups go to `new`.
    pub fn resolve(&mut self, filler: &TextFiller, new: &mut Vec<Arc<str>>) -> &[u32] {
        let waiting = std::mem::take(&mut self.waiting);
        let spans = std::mem::take(&mut self.spans);
        let cells = || {
            spans
                .iter()
                .map(|span| span.map(|(start, end)| &waiting[start..end]))
        };
        // Ask for every first slot, then for the spelling each points at a
        // few lookups ahead: by then, what each lookup reads has come.
        self.hashes.clear();
        for cell in cells() {
            let hash = cell.map_or(0, BytesMap::hash);
            self.by_bytes.prefetch_slot(hash);
            self.hashes.push(hash);
        }
        let ahead = |me: &Self, i: usize| {
            if let (Some(&hash), Some(Some(_))) = (me.hashes.get(i), spans.get(i)) {
                me.by_bytes.prefetch_spelling(hash);
            }
        };
        (0..SPELLINGS_AHEAD).for_each(|i| ahead(self, i));
        let mut found = std::mem::take(&mut self.found);
        found.clear();
        for (i, cell) in cells().enumerate() {
            ahead(self, i + SPELLINGS_AHEAD);
            let known = cell.zip(self.hashes.get(i));
            let g = match known.and_then(|(b, &hash)| self.by_bytes.get_hashed(hash, b)) {
                Some(g) => g,
                None => self.of_new(cell, filler, new),
            };
            found.push(g);
        }
        self.waiting = waiting;
        self.waiting.clear();
        self.spans = spans;
        self.spans.clear();
        self.found = found;
        &self.found
    }

    /// The number of the group of a cell holding `bytes`, bytes not filed
    /// yet; the text of a new group goes to `new`.
    fn of_new(
        &mut self,
        bytes: Option<&[u8]>,
        filler: &TextFiller,
        new: &mut Vec<Arc<str>>,
    ) -> u32 {
        filler.text_of(self.col, bytes, &mut self.text);
        // The text is a function of the bytes: a cell whose text is its
        // own bytes (the usual case) reads as itself without a second look.
        let itself = bytes == Some(self.text.as_bytes()) || {
            filler.text_of(self.col, Some(self.text.as_bytes()), &mut self.again);
            self.again == self.text
        };
        let known = itself
            .then(|| self.by_bytes.get(self.text.as_bytes()))
            .flatten()
            .or_else(|| self.odd.get(self.text.as_str()).copied());
        let g = match known {
            Some(g) => g,
            None => {
                let g = self.count;
                self.count += 1;
                new.push(self.text.as_str().into());
                if !(itself && self.by_bytes.insert(self.text.as_bytes(), g)) {
                    self.odd.insert(self.text.as_str().into(), g);
                }
                g
            }
        };
        if let Some(b) = bytes
            && self.by_bytes.get(b).is_none()
        {
            self.by_bytes.insert(b, g);
        }
        g
    }

    /// Forgets every group, for a judge on another thread.
    pub fn clear(&mut self) {
        self.by_bytes = BytesMap::default();
        self.odd.clear();
        self.count = 0;
        self.waiting.clear();
        self.spans.clear();
    }
}

/// Byte strings → numbers. The strings lie one after the other in one
/// arena, the table holds where: a national list's units are read on every
/// row in no order, and tens of thousands of small allocations spread over
/// the heap cost a cache (and TLB) miss a row more than one arena does.
///
/// The table is open addressing with linear probing, written here rather
/// than taken from hashbrown for one thing hashbrown does not offer: a
/// batch of lookups can ask for their slots and spellings ahead
/// ([`BytesMap::prefetch_slot`], [`BytesMap::prefetch_spelling`]) instead
/// of waiting for each in turn.
#[derive(Debug, Clone, Default)]
struct BytesMap {
    arena: Vec<u8>,
    /// A power of two long, at most 7/8 full; empty until the first insert.
    slots: Vec<Slot>,
    len: usize,
}

/// One string of a [`BytesMap`]: 16 bytes, four to a cache line.
#[derive(Debug, Clone, Copy)]
struct Slot {
    /// The hash's low half, checked before the bytes are.
    tag: u32,
    /// [`Slot::EMPTY`] in an empty slot.
    number: u32,
    start: u32,
    end: u32,
}

impl Slot {
    const EMPTY: Slot = Slot {
        tag: 0,
        number: u32::MAX,
        start: 0,
        end: 0,
    };

    fn is_empty(&self) -> bool {
        self.number == u32::MAX
    }
}

impl BytesMap {
    fn hash(bytes: &[u8]) -> u64 {
        rustc_hash::FxBuildHasher.hash_one(bytes)
    }

    /// Where the probe for `hash` starts: the hash's high bits.
    fn home(&self, hash: u64) -> usize {
        // At least 4 bits whenever there are slots; with none, 64 bits and
        // an index past the end.
        let bits = self.slots.len().trailing_zeros();
        (hash >> (64 - bits)) as usize
    }

    fn at(&self, slot: &Slot) -> &[u8] {
        &self.arena[slot.start as usize..slot.end as usize]
    }

    /// Asks for the cache line where the probe for `hash` starts; the
    /// answer comes while other work goes on.
    fn prefetch_slot(&self, hash: u64) {
        if let Some(slot) = self.slots.get(self.home(hash)) {
            prefetch(slot);
        }
    }

    /// Asks for the start of the spelling in the first slot of `hash`'s
    /// probe whose tag is the hash's (read from a slot asked for before).
    fn prefetch_spelling(&self, hash: u64) {
        if self.slots.is_empty() {
            return;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.home(hash);
        while let Some(slot) = self.slots.get(i).filter(|s| !s.is_empty()) {
            if slot.tag == hash as u32 {
                // A unit's name is about 80 bytes: two or three lines.
                let (start, end) = (slot.start as usize, slot.end as usize);
                for at in (start..end).step_by(64).chain([end.saturating_sub(1)]) {
                    if let Some(byte) = self.arena.get(at) {
                        prefetch(byte);
                    }
                }
                return;
            }
            i = (i + 1) & mask;
        }
    }

    fn get(&self, bytes: &[u8]) -> Option<u32> {
        self.get_hashed(Self::hash(bytes), bytes)
    }

    /// [`get`](Self::get), the hash of `bytes` known.
    fn get_hashed(&self, hash: u64, bytes: &[u8]) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.home(hash);
        loop {
            let slot = &self.slots[i];
            if slot.is_empty() {
                return None;
            }
            if slot.tag == hash as u32 && self.at(slot) == bytes {
                return Some(slot.number);
            }
            i = (i + 1) & mask;
        }
    }

    /// Files `bytes` (not already there) under `number`; false past 4 GiB
    /// of strings, when nothing more is filed.
    fn insert(&mut self, bytes: &[u8], number: u32) -> bool {
        let start = self.arena.len();
        let (Ok(start32), Ok(end32)) = (u32::try_from(start), u32::try_from(start + bytes.len()))
        else {
            return false;
        };
        if (self.len + 1) * 8 > self.slots.len() * 7 {
            self.grow();
        }
        self.arena.extend_from_slice(bytes);
        self.len += 1;
        self.place(Slot {
            tag: 0,
            number,
            start: start32,
            end: end32,
        });
        true
    }

    /// Puts `slot` (its tag aside) in the first empty place of its probe.
    fn place(&mut self, mut slot: Slot) {
        let hash = Self::hash(self.at(&slot));
        slot.tag = hash as u32;
        let mask = self.slots.len() - 1;
        let mut i = self.home(hash);
        while !self.slots[i].is_empty() {
            i = (i + 1) & mask;
        }
        self.slots[i] = slot;
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(16);
        let old = std::mem::replace(&mut self.slots, vec![Slot::EMPTY; size]);
        for slot in old.into_iter().filter(|s| !s.is_empty()) {
            self.place(slot);
        }
    }
}

/// How many lookups ahead [`GroupNumbers::resolve`] asks for spellings.
const SPELLINGS_AHEAD: usize = 8;

/// Asks for the cache line of `at` without waiting for it.
pub(super) fn prefetch<T>(at: &T) {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse"))]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        // SAFETY: a prefetch reads nothing the program sees and never
        // faults; the build enables SSE (the cfg above), as it does for
        // every x86_64 target.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(at).cast()) };
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse")))]
    let _ = at;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::TableReader;
    use crate::semantic::model::{ColumnDef, TableDef, Type, Value};

    fn col(id: &str, default: Option<&str>) -> ColumnDef {
        ColumnDef {
            id: id.into(),
            header: id.into(),
            ty: Type::Text,
            optional: true,
            link: None,
            range: None,
            derived: None,
            default: default.map(|d| Value::Text(d.into())),
            needed: true,
            aliases: Vec::new(),
            absent: None,
            ballot: false,
        }
    }

    /// The group number and the new texts of each row of `csv`, grouped by
    /// its second column.
    fn numbers(csv: &str, default: Option<&str>) -> (Vec<u32>, Vec<String>) {
        let table = TableDef {
            id: "t".into(),
            label: "t".into(),
            key: Some(0),
            year: None,
            columns: vec![col("ma", None), col("don_vi", default)],
        };
        let mut reader = TableReader::from_bytes("t.csv", csv.into(), &table, &[]).unwrap();
        reader.set_eager_texts(&[true, false]);
        let filler = reader.text_filler();
        let (mut row, mut issues) = (Row::default(), Vec::new());
        let (mut groups, mut new) = (GroupNumbers::new(1), Vec::new());
        let mut found = Vec::new();
        while reader.read_row(&mut row, &mut issues).unwrap() {
            // Two rows at a time: a row's group may be new in its batch,
            // or met earlier in it.
            groups.defer(&row, &filler);
            if groups.waiting() == 2 {
                found.extend_from_slice(groups.resolve(&filler, &mut new));
            }
        }
        found.extend_from_slice(groups.resolve(&filler, &mut new));
        (found, new.iter().map(|t| t.to_string()).collect())
    }

    #[test]
    fn bytes_map_finds_what_it_filed_through_every_growth() {
        let mut map = BytesMap::default();
        assert_eq!(map.get(b"a"), None);
        map.prefetch_slot(BytesMap::hash(b"a"));
        map.prefetch_spelling(BytesMap::hash(b"a"));
        let name = |i: u32| format!("Phòng {i}, Sở {}", i * 7).into_bytes();
        for i in 0..5000 {
            assert_eq!(map.get(&name(i)), None);
            assert!(map.insert(&name(i), i));
            map.prefetch_spelling(BytesMap::hash(&name(i)));
        }
        assert_eq!(map.slots.len(), 8192, "at most 7/8 full");
        for i in 0..5000 {
            assert_eq!(map.get(&name(i)), Some(i));
        }
        assert_eq!(map.get(b""), None);
        assert!(map.insert(b"", 5000));
        assert_eq!(map.get(b""), Some(5000));
        assert_eq!(map.get(&name(5000)), None);
    }

    #[test]
    fn spellings_of_one_text_share_its_group() {
        let csv = "ma,don_vi\n1,Pho\u{300}ng A\n2,Phòng A\n3, Phòng A \n4,Phòng B\n5,\"Phòng A\"\n6,\n7,Pho\u{300}ng A\n";
        let (found, new) = numbers(csv, None);
        assert_eq!(found, vec![0, 0, 0, 1, 0, 2, 0]);
        assert_eq!(new, vec!["Phòng A", "Phòng B", ""]);
    }

    #[test]
    fn a_default_that_does_not_read_as_itself_is_one_group() {
        // Blank cells take the default " Chung ", which a cell written
        // " Chung " does not: it reads as "Chung".
        let csv = "ma,don_vi\n1,\n2, Chung \n3,  \n4,Chung\n";
        let (found, new) = numbers(csv, Some(" Chung "));
        assert_eq!(found, vec![0, 1, 0, 1]);
        assert_eq!(new, vec![" Chung ", "Chung"]);
    }
}
