//! Evaluation: every row of a list against the awards it is proposed for,
//! and every rate per group.

mod ballot;
mod calendar;
mod codes;
pub mod coverage;
pub mod examples;
mod explain;
pub mod format;
mod groups;
pub mod higher;
pub mod keyset;
pub mod linked;
pub mod rate;
pub(crate) mod reads;
mod row;
pub mod suspicious;
pub mod table;
pub mod tri;

pub use row::{Memo, RowEval};
pub use table::{Judge, Partial, TableEval, evaluate};
pub use tri::Tri;

use crate::data::DataIssue;
use crate::semantic::model::{AwardId, ColIdx, TableId};
use linked::AggAcc;
use rate::Counts;
use rustc_hash::FxHashMap as HashMap;

/// One clause of a candidate's award: its verdict and, when it is not
/// true, what it read.
#[derive(Debug, Clone, PartialEq)]
pub struct ClauseResult {
    pub verdict: Tri,
    pub observed: Option<Box<str>>,
    /// A ballot criterion whose votes are not recorded yet ("chờ bỏ
    /// phiếu"): left out of the candidate's verdict. `verdict` is then
    /// unknown.
    pub pending: bool,
}

/// One (row, award) pair where the row is proposed for the award.
#[derive(Debug, Clone, PartialEq)]
///
/// Boxed texts and slices, not `String`s and `Vec`s: a national list keeps
/// hundreds of thousands of these.
pub struct CandidateResult {
    pub row: u64,
    pub key: Box<str>,
    /// The `ho_ten` (or `ten_tap_the`, `ten`) column, when the table has one.
    pub name: Option<Box<str>>,
    /// The unit the row belongs to (see [`unit_column`]), when it has one.
    pub unit: Option<Box<str>>,
    pub award: AwardId,
    /// The verdict on every criterion but those waiting for the ballot.
    pub verdict: Tri,
    /// Some ballot criterion waits for the council's vote.
    pub awaiting: bool,
    pub clauses: Box<[ClauseResult]>,
    /// Titles above the award whose standard the row meets too (only
    /// when every candidate is kept, and only on passing ones).
    pub higher: Box<[higher::Higher]>,
}

/// The column that says which unit a row of `table` belongs to: the group
/// of the table's first rate (the unit rates are counted in), else a
/// column `don_vi` (or `don_vi_cap_tren`, a collective's superior unit).
pub fn unit_column(plan: &crate::semantic::model::Plan, table: usize) -> Option<usize> {
    plan.rates
        .iter()
        .find(|r| r.table == table)
        .map(|r| r.group)
        .or_else(|| {
            ["don_vi", "don_vi_cap_tren"]
                .iter()
                .find_map(|c| plan.tables[table].column(c))
        })
}

/// One rate in one group.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupResult {
    pub rate: usize,
    pub group: String,
    pub counts: Counts,
    pub verdict: Tri,
    /// Row numbers as u32 (half the memory on national lists; a CSV
    /// with 4 billion rows is out of reach anyway: rows past that are
    /// counted, not listed).
    pub numerator_rows: Vec<u32>,
    pub denominator_rows: Vec<u32>,
    /// Rows whose numerator or denominator is unknown.
    pub unknown_rows: Vec<u32>,
}

/// A row proposed (its proposal column holds a value) that no award of
/// the rule set selects: nothing about it was checked. Or, with
/// `unreadable`, a row whose proposal cell could not be read: it is a
/// candidate whose award is not known (verdict unknown), never dropped.
#[derive(Debug, Clone, PartialEq)]
pub struct Unchecked {
    pub row: u64,
    pub key: String,
    pub table: TableId,
    pub column: ColIdx,
    /// Index of the value in the column's enum.
    pub value: u16,
    /// The cell's text, when it could not be read as a proposal.
    pub unreadable: Option<Box<str>>,
    /// The row's name column, for an unreadable proposal.
    pub name: Option<Box<str>>,
    /// The row's unit, for an unreadable proposal.
    pub unit: Option<Box<str>>,
}

#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub rows: u64,
    pub candidates: Vec<CandidateResult>,
    pub groups: Vec<GroupResult>,
    pub issues: Vec<DataIssue>,
    /// Suspicious data: the rows are judged as written (see
    /// [`suspicious`]).
    pub warnings: Vec<DataIssue>,
    pub unchecked: Vec<Unchecked>,
    /// Keys read (for links from other tables), with the row of each.
    pub keys: keyset::KeySet,
    /// Passing candidates left out of `candidates` (see [`Keep`]).
    pub passed: u64,
    /// Their row and award, with [`Keep::Rows`].
    pub passed_rows: Vec<(u64, AwardId)>,
    /// Per link column, each value found and the rows holding it.
    pub links: Vec<(ColIdx, HashMap<String, Vec<u64>>)>,
    /// What this table's rows gave each aggregate they feed, by key.
    pub linked: Vec<(usize, HashMap<String, AggAcc>)>,
}

/// Which candidates an [`Outcome`] lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    All,
    /// Failing and unknown ones; passing ones are only counted.
    NotPassing,
    /// Failing and unknown ones; passing ones by row and award only.
    Rows,
}
