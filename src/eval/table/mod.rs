//! The evaluation of one list: a [`Judge`] evaluates rows into a
//! [`Partial`] (on any thread, a piece of the list at a time), a [`Tally`]
//! takes the partials in the list's order and keeps what the report needs.
//! Taken in order, the pieces give exactly what one pass over the list
//! gives: the same first row for a duplicate key, the same group order.
//!
//! The types live here; the children add to them: `judge` (rows into
//! partials), `checks` (derived and suspicious values, aggregates fed,
//! rows that cannot be judged), `awards` (which awards a row is proposed
//! for and judged on), `tally` (partials merged in order) and `outcome`
//! (the report's outcome assembled).

mod awards;
mod checks;
mod judge;
mod outcome;
mod tally;
#[cfg(test)]
mod tests;

use super::groups::GroupNumbers;
use super::keyset::KeyLog;
use super::linked::{AggAcc, Linked};
use super::rate::Counts;
use super::row::{Memo, RowEval};
use super::suspicious;
use super::{CandidateResult, Keep, Outcome, Tri, Unchecked};
use crate::data::{DataError, DataIssue, Row, TableReader, TextFiller};
use crate::semantic::model::{AwardId, ColIdx, Plan, TableDef, TableId};
use judge::eager_texts;
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

/// The groups of one rate: their counts, and the rows that counted, kept
/// as a log in row order. Only the groups the report lists get their rows
/// sorted out, at the end: a national list has tens of thousands of
/// groups, and adding to a list of rows per group on every row costs a
/// cache miss a row.
#[derive(Default)]
struct RateTally {
    /// Group text → slot, in order of first appearance.
    index: HashMap<Arc<str>, usize>,
    groups: Vec<(Arc<str>, Counts)>,
    /// Per counting row: its slot and sides (see [`pack`]), and its row.
    log: Vec<(u32, u32)>,
}

/// Slots from here on are counted but not logged: their rows are not
/// listed (four bits of the packed word hold the two sides).
const UNLOGGED_SLOT: usize = 1 << 28;

/// A slot and a row's numerator and denominator in one word.
fn pack(slot: usize, num: Tri, den: Tri) -> Option<u32> {
    let bits = |t: Tri| match t {
        Tri::False => 0,
        Tri::True => 1,
        Tri::Unknown => 2,
    };
    (slot < UNLOGGED_SLOT).then(|| (slot as u32) << 4 | bits(num) << 2 | bits(den))
}

/// The slot and sides [`pack`] put in a word.
fn unpack(word: u32) -> (usize, Tri, Tri) {
    let tri = |b: u32| match b & 3 {
        1 => Tri::True,
        2 => Tri::Unknown,
        _ => Tri::False,
    };
    ((word >> 4) as usize, tri(word >> 2), tri(word))
}

/// A row that counts in a rate's group.
#[derive(Debug, Clone, Copy)]
struct GroupEvent {
    /// The group, by the judge's own number for it; until the judge
    /// looks its row's cell up, the cell's place among those waiting.
    group: u32,
    row: u64,
    num: Tri,
    den: Tri,
}

/// What the rows of one piece of a list gave; rows are numbered from the
/// piece's start until [`Tally::absorb`] shifts them.
#[derive(Debug, Clone, Default)]
pub struct Partial {
    /// The judge that wrote it.
    judge: usize,
    rows: u64,
    candidates: Vec<CandidateResult>,
    passed: u64,
    passed_rows: Vec<(u64, AwardId)>,
    unchecked: Vec<Unchecked>,
    issues: Vec<DataIssue>,
    /// Suspicious data (see [`super::suspicious`]).
    warnings: Vec<DataIssue>,
    /// A history table's rows: fingerprint and row.
    fingerprints: Vec<(u128, u64)>,
    /// Keys one after the other, and per key: its end in `key_text`, its
    /// hash and its row.
    key_text: String,
    keys: Vec<(u32, u64, u64)>,
    /// Per rate: the rows that count in a group.
    events: Vec<Vec<GroupEvent>>,
    /// Per group column: the groups the judge met for the first time in
    /// this piece, in the order of their numbers.
    new_groups: Vec<Vec<Arc<str>>>,
    links: Vec<(ColIdx, HashMap<String, Vec<u64>>)>,
    linked: Vec<(usize, HashMap<String, AggAcc>)>,
}

/// Evaluates rows into a [`Partial`]; one per thread.
#[derive(Clone)]
pub struct Judge<'p> {
    id: usize,
    ev: RowEval<'p>,
    plan: &'p Plan,
    table: TableId,
    keep: Keep,
    /// Awards whose passing candidates are kept whole whatever `keep` says.
    whole: Vec<bool>,
    /// A column whose rows are listed per value though it links nowhere
    /// (the unit column, for registered targets).
    people_by: Option<ColIdx>,
    awards: Vec<AwardId>,
    rates: Vec<usize>,
    tdef: &'p TableDef,
    /// The name shown beside the key: a person's or a collective's.
    name_col: Option<ColIdx>,
    unit_col: Option<ColIdx>,
    /// Per award, the titles above it ([`super::higher::above`]).
    above: Vec<Vec<AwardId>>,
    /// Per award: the columns whose texts its explanations may show.
    explained: Vec<Vec<ColIdx>>,
    proposal_cols: Vec<ColIdx>,
    derived_cols: Vec<ColIdx>,
    memo: Memo,
    /// Per group column: the judge's numbers for its groups.
    groups: Vec<GroupNumbers>,
    /// Per rate: which of `groups` (rates grouped by one column share
    /// their numbers).
    group_of_rate: Vec<usize>,
    /// Per rate: its first event whose group is still a place among the
    /// cells waiting in `groups` (see [`Judge::resolve_groups`]).
    unresolved: Vec<usize>,
    /// Per group column, this row's place among the cells waiting to be
    /// looked up, once filed (reused).
    seen: Vec<Option<u32>>,
    /// When every award selects its rows by one enum column's value
    /// (`where de_nghi = LDTT`, the usual shape): that column, and each
    /// award with its value.
    by_proposal: Option<(ColIdx, Vec<(AwardId, u16)>)>,
    /// The column holding a row's proposal (see [`Judge::proposal_column`]).
    proposal_col: Option<ColIdx>,
    /// Per rate: whether its numerator, its denominator counts proposals
    /// (names `proposed` or the proposal column) rather than people.
    counts_proposals: Vec<(bool, bool)>,
    part: Partial,
    /// The year column and the latest year a row may carry without a
    /// warning (see [`TableEval::set_current_year`]).
    latest_year: Option<(ColIdx, i64)>,
}

/// Whether a row is proposed for an award of its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Selected {
    /// For none: its proposal, if any, is unchecked.
    None,
    /// For none surely, but the proposal could not be read.
    Unreadable,
    /// For at least one.
    Some,
}

/// How many events ahead [`Tally::absorb`] asks for a group's slot (and
/// half as many for its counts).
const COUNTS_AHEAD: usize = 16;

/// Rows whose groups a judge looks up together: enough for their cache
/// misses to overlap, few enough for their cells to stay in the cache.
const GROUPS_LOOKED_UP_AT_ONCE: usize = 64;

/// An empty map of values to rows for each link column of `tdef`.
fn link_maps(
    tdef: &TableDef,
    people_by: Option<ColIdx>,
) -> Vec<(ColIdx, HashMap<String, Vec<u64>>)> {
    (0..tdef.columns.len())
        .filter(|&c| tdef.columns[c].link.is_some() || people_by == Some(c))
        .map(|c| (c, HashMap::default()))
        .collect()
}

/// A judge's groups as the tally knows them.
#[derive(Default)]
struct JudgeGroups {
    /// Per group column: the text of each of the judge's groups.
    names: Vec<Vec<Arc<str>>>,
    /// Per rate: the tally's slot of each, once seen.
    slots: Vec<Vec<Option<usize>>>,
}

/// Takes the partials of a list in order; keeps what the report needs.
pub struct Tally<'p> {
    /// A history table's rows by fingerprint: the first row of each.
    first_rows: HashMap<u128, u64>,
    plan: &'p Plan,
    tdef: &'p TableDef,
    proposal_col: Option<ColIdx>,
    /// Per rate, as the judges have it.
    counts_proposals: Vec<(bool, bool)>,
    rates: Vec<usize>,
    keep: Keep,
    out: Outcome,
    keys: KeyLog,
    /// Per rate.
    tallies: Vec<RateTally>,
    judges: Vec<JudgeGroups>,
    group_of_rate: Vec<usize>,
}

/// Keys from which [`Tally::finish`] sorts them on a thread of their own.
const SEAL_APART: usize = 1 << 16;

/// Rows a [`TableEval`] evaluates before it hands them to its tally.
const FLUSH: u64 = 4096;

/// Evaluates the rows of one list of `table` on one thread, as they are
/// read.
pub struct TableEval<'p> {
    judge: Judge<'p>,
    tally: Tally<'p>,
}

impl<'p> TableEval<'p> {
    pub fn new(plan: &'p Plan, table: TableId, linked: &'p Linked, keep: Keep) -> TableEval<'p> {
        let judge = Judge::new(plan, table, linked, keep);
        let tally = Tally::new(&judge);
        TableEval { judge, tally }
    }

    /// Columns whose text is read on every row (see [`TableReader::set_eager_texts`]).
    pub fn eager_texts(&self) -> Vec<bool> {
        let mut eager = eager_texts(self.judge.plan, self.judge.table);
        if let Some(e) = self.judge.people_by.and_then(|c| eager.get_mut(c)) {
            *e = true;
        }
        eager
    }

    /// Lists the rows (people) per value of column `col` in the outcome's
    /// `links`, though the column links nowhere: the people of each unit,
    /// for registered targets. Call before any row.
    pub fn count_people_by(&mut self, col: ColIdx) {
        if self
            .judge
            .tdef
            .columns
            .get(col)
            .is_none_or(|c| c.link.is_some())
        {
            return;
        }
        self.judge.people_by = Some(col);
        self.judge.part = self.judge.empty_partial();
        self.tally.out.links = link_maps(self.judge.tdef, Some(col));
    }

    /// The column holding a row's proposal, if the table's awards select
    /// rows by one: a cell there may name several proposals (see
    /// [`TableReader::set_split_column`]).
    pub fn proposal_column(&self) -> Option<ColIdx> {
        self.judge.proposal_col
    }

    /// Tells the evaluation which columns its list lacks (by ColIdx): the
    /// explanations of criteria reading them say so.
    pub fn set_absent_columns(&mut self, cols: &[ColIdx]) {
        let n = self.judge.tdef.columns.len();
        let absent: Vec<bool> = (0..n).map(|c| cols.contains(&c)).collect();
        self.judge.ev.absent = absent.into();
    }

    /// The year the check runs in: a row dated after the next year gets a
    /// warning (set before [`judge`](Self::judge) makes other judges).
    pub fn set_current_year(&mut self, year: i32) {
        self.judge.latest_year = self
            .judge
            .tdef
            .year
            .map(|c| (c, suspicious::latest_year(year)));
    }

    /// Keeps every candidate of `award` whole, passing or not.
    pub fn keep_whole(&mut self, award: AwardId) {
        if let Some(w) = self.judge.whole.get_mut(award) {
            *w = true;
        }
    }

    /// Problems found while reading the list (they belong to the outcome).
    pub fn issues(&mut self) -> &mut Vec<DataIssue> {
        self.tally.issues()
    }

    /// Evaluates a row; `filler` writes the texts its reader left out.
    pub fn row(&mut self, row: &mut Row, filler: &TextFiller) {
        self.judge.row(row, filler);
        if self.judge.part.rows >= FLUSH {
            self.tally.absorb(self.judge.take(filler), 0);
        }
    }

    /// A judge for another thread, numbered `id` (from 1: 0 is this
    /// one's); what it gives goes to [`absorb`](Self::absorb).
    pub fn judge(&self, id: usize) -> Judge<'p> {
        self.judge.another(id)
    }

    /// Makes room for `rows` rows in all (a guess from the file's size).
    pub fn expect_rows(&mut self, rows: u64) {
        self.tally.expect_rows(rows);
    }

    /// Takes, in the list's order, what the judges gave; `base` is the row
    /// number before the piece's first row.
    pub fn absorb(&mut self, part: Partial, base: u64) {
        self.tally.absorb(part, base);
    }

    /// The outcome; `threads` may share the last sorting out. `filler` is
    /// the one the rows were judged with.
    pub fn finish(self, threads: usize, filler: &TextFiller) -> Outcome {
        let TableEval {
            mut judge,
            mut tally,
        } = self;
        tally.absorb(judge.take(filler), 0);
        drop(judge);
        tally.finish(threads)
    }
}

/// Reads every row of `reader` (a list of `table`) and evaluates it.
pub fn evaluate(
    plan: &Plan,
    table: TableId,
    reader: &mut TableReader,
    linked: &Linked,
    keep: Keep,
) -> Result<Outcome, DataError> {
    let mut te = TableEval::new(plan, table, linked, keep);
    reader.set_eager_texts(&te.eager_texts());
    // A cell naming several proposals is read as `tdkt check` reads it.
    reader.set_split_column(te.proposal_column());
    let filler = reader.text_filler();
    let mut row = Row::default();
    while reader.read_row(&mut row, te.issues())? {
        te.row(&mut row, &filler);
    }
    Ok(te.finish(1, &filler))
}
