//! A judge's numbers for the groups of one column (a rate's `per`), found
//! by the bytes of a row's cell: one lookup a row, and the text is made
//! only the first time a spelling is met. Spellings of one text (NFD,
//! spaces around) share the group of that text.

use crate::data::{Row, TextFiller};
use crate::semantic::model::ColIdx;
use hashbrown::HashTable;
use rustc_hash::FxHashMap as HashMap;
use std::hash::BuildHasher;
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct GroupNumbers {
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
}

impl GroupNumbers {
    /// The number of the group of `row` in column `col`; the text of a new
    /// group goes to `new`.
    pub fn of(
        &mut self,
        col: ColIdx,
        row: &Row,
        filler: &TextFiller,
        new: &mut Vec<Arc<str>>,
    ) -> u32 {
        let bytes = filler.raw(row, col);
        if let Some(g) = bytes.and_then(|b| self.by_bytes.get(b)) {
            return g;
        }
        filler.text_of(col, bytes, &mut self.text);
        // The text is a function of the bytes: a cell whose text is its
        // own bytes (the usual case) reads as itself without a second look.
        let itself = bytes == Some(self.text.as_bytes()) || {
            filler.text_of(col, Some(self.text.as_bytes()), &mut self.again);
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
    }
}

/// Byte strings → numbers. The strings lie one after the other in one
/// arena, the table holds where: a national list's units are read on every
/// row in no order, and tens of thousands of small allocations spread over
/// the heap cost a cache (and TLB) miss a row more than one arena does.
#[derive(Debug, Clone, Default)]
struct BytesMap {
    arena: Vec<u8>,
    /// Start and end in `arena`, and the number.
    table: HashTable<(u32, u32, u32)>,
}

impl BytesMap {
    fn hash(bytes: &[u8]) -> u64 {
        rustc_hash::FxBuildHasher.hash_one(bytes)
    }

    fn at(arena: &[u8], (start, end, _): (u32, u32, u32)) -> &[u8] {
        &arena[start as usize..end as usize]
    }

    fn get(&self, bytes: &[u8]) -> Option<u32> {
        self.table
            .find(Self::hash(bytes), |&e| Self::at(&self.arena, e) == bytes)
            .map(|e| e.2)
    }

    /// Files `bytes` (not already there) under `number`; false past 4 GiB
    /// of strings, when nothing more is filed.
    fn insert(&mut self, bytes: &[u8], number: u32) -> bool {
        let start = self.arena.len();
        let (Ok(start32), Ok(end32)) = (u32::try_from(start), u32::try_from(start + bytes.len()))
        else {
            return false;
        };
        self.arena.extend_from_slice(bytes);
        let arena = &self.arena;
        self.table
            .insert_unique(Self::hash(bytes), (start32, end32, number), |&e| {
                Self::hash(Self::at(arena, e))
            });
        true
    }
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
        let (mut groups, mut new) = (GroupNumbers::default(), Vec::new());
        let mut found = Vec::new();
        while reader.read_row(&mut row, &mut issues).unwrap() {
            found.push(groups.of(1, &row, &filler, &mut new));
        }
        (found, new.iter().map(|t| t.to_string()).collect())
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
