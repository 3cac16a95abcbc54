//! The partials of a list merged in the list's order.

use super::{
    COUNTS_AHEAD, GroupEvent, Judge, JudgeGroups, Partial, RateTally, Tally, link_maps, pack,
};
use crate::data::DataIssue;
use crate::eval::groups::prefetch;
use crate::eval::keyset::KeyLog;
use crate::eval::rate::Counts;
use crate::eval::{Outcome, Tri, linked, suspicious};
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

impl<'p> Tally<'p> {
    pub(super) fn new(judge: &Judge<'p>) -> Tally<'p> {
        let n = judge.rates.len();
        Tally {
            first_rows: HashMap::default(),
            plan: judge.plan,
            tdef: judge.tdef,
            proposal_col: judge.proposal_col,
            counts_proposals: judge.counts_proposals.clone(),
            rates: judge.rates.clone(),
            keep: judge.keep,
            out: Outcome {
                linked: linked::fed_by(judge.plan, judge.table),
                links: link_maps(judge.tdef, judge.people_by),
                ..Outcome::default()
            },
            keys: KeyLog::default(),
            tallies: (0..n).map(|_| RateTally::default()).collect(),
            judges: Vec::new(),
            group_of_rate: judge.group_of_rate.clone(),
        }
    }

    /// Makes room for the keys of `rows` rows in all, guessing their size
    /// from the keys seen so far.
    pub fn expect_rows(&mut self, rows: u64) {
        let keys = &mut self.keys;
        let seen = keys.len().max(1);
        let more = usize::try_from(rows)
            .unwrap_or(0)
            .saturating_sub(keys.len());
        keys.reserve(more, keys.bytes() / seen * more);
    }

    /// Problems found while reading the list, numbered as in the file.
    pub fn issues(&mut self) -> &mut Vec<DataIssue> {
        &mut self.out.issues
    }

    /// Takes the next piece's partial; `base` is the row number before the
    /// piece's first row.
    pub fn absorb(&mut self, part: Partial, base: u64) {
        let shift = |r: u64| r + base;
        let out = &mut self.out;
        out.rows += part.rows;
        out.passed += part.passed;
        out.passed_rows
            .extend(part.passed_rows.into_iter().map(|(r, a)| (shift(r), a)));
        out.candidates
            .extend(part.candidates.into_iter().map(|mut c| {
                c.row = shift(c.row);
                c
            }));
        out.unchecked
            .extend(part.unchecked.into_iter().map(|mut u| {
                u.row = shift(u.row);
                u
            }));
        out.issues.extend(part.issues.into_iter().map(|mut i| {
            i.row = shift(i.row);
            i
        }));
        out.warnings.extend(part.warnings.into_iter().map(|mut i| {
            i.row = shift(i.row);
            i
        }));
        for (print, row) in part.fingerprints {
            let row = shift(row);
            match self.first_rows.get(&print) {
                Some(&first) => out.warnings.push(suspicious::duplicate_row(row, first)),
                None => {
                    self.first_rows.insert(print, row);
                }
            }
        }
        let mut start = 0;
        for &(end, hash, row) in &part.keys {
            let key = part.key_text.get(start..end as usize).unwrap_or("");
            start = end as usize;
            self.keys.push(key, hash, shift(row));
        }
        for ((_, mine), (_, found)) in out.links.iter_mut().zip(part.links) {
            for (value, rows) in found {
                mine.entry(value)
                    .or_default()
                    .extend(rows.into_iter().map(shift));
            }
        }
        for ((_, mine), (_, found)) in out.linked.iter_mut().zip(part.linked) {
            for (key, acc) in found {
                mine.entry(key).or_default().absorb(acc, base);
            }
        }
        self.absorb_groups(part.judge, part.new_groups, part.events, base);
    }

    fn absorb_groups(
        &mut self,
        judge: usize,
        new_groups: Vec<Vec<Arc<str>>>,
        events: Vec<Vec<GroupEvent>>,
        base: u64,
    ) {
        if self.judges.len() <= judge {
            self.judges.resize_with(judge + 1, JudgeGroups::default);
        }
        let known = &mut self.judges[judge];
        known.names.resize_with(new_groups.len(), Vec::new);
        known.slots.resize_with(self.rates.len(), Vec::new);
        for (names, new) in known.names.iter_mut().zip(new_groups) {
            names.extend(new);
        }
        for (i, events) in events.into_iter().enumerate() {
            let names = &known.names[self.group_of_rate[i]];
            let slots = &mut known.slots[i];
            slots.resize(names.len(), None);
            let tally = &mut self.tallies[i];
            tally.log.reserve(events.len());
            for (k, &e) in events.iter().enumerate() {
                // A national list's groups do not fit in the cache: ask for
                // the slots and counts of the events a little ahead.
                let slot_of = |k: usize| events.get(k).and_then(|a| slots.get(a.group as usize));
                if let Some(slot) = slot_of(k + COUNTS_AHEAD) {
                    prefetch(slot);
                }
                if let Some(counts) =
                    slot_of(k + COUNTS_AHEAD / 2).and_then(|s| s.and_then(|s| tally.groups.get(s)))
                {
                    prefetch(counts);
                }
                let g = e.group as usize;
                let slot = *slots[g].get_or_insert_with(|| {
                    let text = &names[g];
                    *tally.index.entry(text.clone()).or_insert_with(|| {
                        tally.groups.push((text.clone(), Counts::default()));
                        tally.groups.len() - 1
                    })
                });
                let c = &mut tally.groups[slot].1;
                count(e.num, &mut c.num_true, &mut c.num_unknown);
                count(e.den, &mut c.den_true, &mut c.den_unknown);
                // Rows past u32 are counted, not listed.
                if let (Some(word), Ok(row)) =
                    (pack(slot, e.num, e.den), u32::try_from(e.row + base))
                {
                    tally.log.push((word, row));
                }
            }
        }
    }
}

/// Counts one side (numerator or denominator) of a rate for a row.
fn count(t: Tri, sure: &mut u64, unknown: &mut u64) {
    match t {
        Tri::True => *sure += 1,
        Tri::Unknown => *unknown += 1,
        Tri::False => {}
    }
}
