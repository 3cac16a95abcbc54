//! The report of one check: what the JSON output holds and what the text
//! renderer reads. Field names follow the contract in DESIGN.md.

use crate::eval::Tri;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub engine: Engine,
    pub rules: RulesInfo,
    /// How the rule set was chosen and whether the list's year is in its
    /// period.
    pub regime: Regime,
    pub inputs: Vec<Input>,
    pub summary: Summary,
    pub candidates: Vec<Candidate>,
    pub groups: Vec<Group>,
    /// Cell problems, as the data reader found them.
    pub data_errors: Vec<crate::data::DataIssue>,
    /// Suspicious data (a year after next year, a repeated history row):
    /// the rows are judged as written, the result does not change.
    pub data_warnings: Vec<crate::data::DataIssue>,
    /// Proposals no award of the rule set checks.
    pub unchecked: Vec<Unchecked>,
    /// Passing candidates who also meet the standard of a higher title
    /// they were not proposed for (empty with `--failing`).
    pub higher_titles: Vec<HigherTitle>,
    /// Each unit's registered targets against the list (empty unless a
    /// target table is given). Informational: a target never fails a
    /// candidate and never changes the exit code.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<Target>,
    /// Passing candidates left out of `candidates`, by row and award index
    /// (for `diff`).
    #[serde(skip)]
    pub passed: Vec<(u64, u32)>,
    /// (id, label) of every award, by index.
    #[serde(skip)]
    pub awards: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Unchecked {
    pub row: u64,
    pub key: String,
    pub column: String,
    pub header: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Engine {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct RulesInfo {
    pub name: String,
    pub effective: Option<String>,
    /// The last day the rule set applies (ISO date), if stated.
    pub until: Option<String>,
    pub files: Vec<crate::semantic::RuleFile>,
    /// Parameters set with `--set`.
    pub overrides: Vec<Param>,
}

/// How the rule set of a check was chosen, from the list's review year.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Regime {
    /// The list's review year: the year most of the first rows of the main
    /// list carry in the table's year column («Năm xét»); null when the
    /// list has no such column or no year in it.
    pub review_year: Option<i32>,
    /// How the rule set was chosen.
    pub chosen_by: ChosenBy,
    /// Why this rule set, as the text report says it (null when named).
    pub note: Option<String>,
    /// The review year lies outside the rule set's period (null otherwise).
    pub warning: Option<String>,
}

/// How the rule set of a check was chosen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChosenBy {
    /// Named by the caller (`--rules`, a path or a text).
    #[default]
    Named,
    /// The shipped regime whose period holds the review year.
    ReviewYear,
    /// The shipped default: no review year was found, or no shipped
    /// regime's period holds it.
    Default,
}

#[derive(Debug, Clone, Serialize)]
pub struct Param {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Input {
    pub path: String,
    pub sha256: String,
    pub rows: u64,
    pub table: String,
    /// The table's name as the rule set labels it («Danh sách cá nhân đề
    /// nghị»).
    pub table_label: String,
    pub delimiter: String,
    pub bom: bool,
    pub ignored_headers: Vec<String>,
    /// The sheet read, for a workbook.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Rows hidden in the sheet (read like the others).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hidden_rows: Vec<u64>,
    /// The row taken as the header (1 unless title rows stand above it).
    pub header_row: u64,
    /// Columns the rules read that the list lacks, and what each is taken
    /// to hold.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub absent_columns: Vec<crate::data::AbsentColumn>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub candidates: u64,
    pub pass: u64,
    pub fail: u64,
    pub unknown: u64,
    pub groups: u64,
    pub groups_fail: u64,
    pub groups_unknown: u64,
    pub data_errors: u64,
    pub data_warnings: u64,
    pub unchecked: u64,
    /// Candidates whose council vote is not recorded yet (whatever their
    /// verdict on the rest; absent when none).
    #[serde(skip_serializing_if = "is_zero")]
    pub awaiting_vote: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub row: u64,
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The unit the row belongs to (the column rates group by, else
    /// «Đơn vị»), when the list says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    pub award: Arc<str>,
    pub award_label: Arc<str>,
    /// The verdict on every criterion but a ballot not yet held.
    pub verdict: Tri,
    /// A ballot criterion waits for the council's vote ("chờ bỏ phiếu");
    /// absent when false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub awaiting_vote: bool,
    pub reasons: Vec<Reason>,
}

/// Someone who meets a higher title than the one proposed.
#[derive(Debug, Clone, Serialize)]
pub struct HigherTitle {
    pub row: u64,
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The award proposed (id and label).
    pub proposed: String,
    pub proposed_label: String,
    /// The higher award met (id and label).
    pub award: String,
    pub award_label: String,
    /// The higher award's criteria, all met.
    pub reasons: Vec<HigherReason>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HigherReason {
    pub message: String,
    pub cite: Option<String>,
    /// For a criterion with alternatives, the ones that hold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// One unit and award of [`Report::sections`].
#[derive(Debug)]
pub struct Section<'r> {
    /// None for rows whose unit is blank.
    pub unit: Option<&'r str>,
    pub award: &'r str,
    pub award_label: &'r str,
    pub candidates: Vec<&'r Candidate>,
}

impl Report {
    /// The listed candidates that pass (`passing`) or not, by unit, then
    /// award in the rule set's order, then row: the tables a council
    /// reads.
    pub fn sections(&self, passing: bool) -> Vec<Section<'_>> {
        let order = |c: &Candidate| {
            self.awards
                .iter()
                .position(|(id, _)| **id == *c.award)
                .unwrap_or(usize::MAX)
        };
        let mut list: Vec<&Candidate> = self
            .candidates
            .iter()
            .filter(|c| (c.verdict == Tri::True) == passing)
            .collect();
        // Units in the order the list first names them (as the summary
        // counts them): a council's list is laid out in its own order,
        // which sorting names by their bytes would scramble («Đội …»
        // after «Trung tâm …»).
        let mut first: HashMap<Option<&str>, u64> = HashMap::new();
        for c in &self.candidates {
            let row = first.entry(c.unit.as_deref()).or_insert(c.row);
            *row = (*row).min(c.row);
        }
        let unit_rank = |c: &Candidate| first.get(&c.unit.as_deref()).copied().unwrap_or(u64::MAX);
        list.sort_by(|a, b| {
            (unit_rank(a), a.unit.as_deref(), order(a), a.row).cmp(&(
                unit_rank(b),
                b.unit.as_deref(),
                order(b),
                b.row,
            ))
        });
        let mut out: Vec<Section> = Vec::new();
        for c in list {
            match out.last_mut() {
                Some(s) if s.unit == c.unit.as_deref() && s.award == &*c.award => {
                    s.candidates.push(c)
                }
                _ => out.push(Section {
                    unit: c.unit.as_deref(),
                    award: &c.award,
                    award_label: &c.award_label,
                    candidates: vec![c],
                }),
            }
        }
        out
    }
}

/// What every reason citing one criterion shows alike.
#[derive(Debug, Clone)]
pub struct ClauseTexts {
    /// `AWARD.criterion`, stable across runs.
    pub clause: String,
    pub message: String,
    pub cite: Option<String>,
    /// The three as JSON, escaped once for all the reasons that cite the
    /// criterion (a national report writes them hundreds of thousands of
    /// times).
    json: [Box<serde_json::value::RawValue>; 3],
}

impl ClauseTexts {
    pub fn new(clause: String, message: String, cite: Option<String>) -> ClauseTexts {
        let json = [fragment(&clause), fragment(&message), fragment(&cite)];
        ClauseTexts {
            clause,
            message,
            cite,
            json,
        }
    }

    /// The clause, message and cite as JSON (strings, or null for no cite).
    pub(crate) fn json(&self) -> [&str; 3] {
        self.json.each_ref().map(|raw| raw.get())
    }
}

/// `v` as a JSON fragment (a string or null: it always serialises; the
/// default, `null`, only keeps this free of panics).
fn fragment<T: Serialize + ?Sized>(v: &T) -> Box<serde_json::value::RawValue> {
    serde_json::value::to_raw_value(v).unwrap_or_default()
}

/// One criterion of a candidate's award: its verdict and, when it is not
/// true, what was read. The criterion's texts are shared by all the
/// reasons that cite it (a national list has hundreds of thousands).
#[derive(Debug, Clone)]
pub struct Reason {
    pub texts: Arc<ClauseTexts>,
    /// Unknown for a ballot not yet held (`pending`).
    pub verdict: Tri,
    pub observed: Option<String>,
    /// A ballot criterion waiting for the vote (verdict unknown, left out
    /// of the candidate's): JSON adds `"pending": true`.
    pub pending: bool,
}

impl Reason {
    pub fn clause(&self) -> &str {
        &self.texts.clause
    }

    pub fn message(&self) -> &str {
        &self.texts.message
    }

    pub fn cite(&self) -> Option<&str> {
        self.texts.cite.as_deref()
    }
}

impl Serialize for Reason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let fields = 4 + usize::from(self.observed.is_some()) + usize::from(self.pending);
        let mut st = s.serialize_struct("Reason", fields)?;
        let [clause, message, cite] = &self.texts.json;
        st.serialize_field("clause", clause)?;
        st.serialize_field("verdict", &self.verdict)?;
        st.serialize_field("message", message)?;
        st.serialize_field("cite", cite)?;
        if let Some(observed) = &self.observed {
            st.serialize_field("observed", observed)?;
        }
        if self.pending {
            st.serialize_field("pending", &true)?;
        }
        st.end()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub rule: String,
    pub rule_label: String,
    pub group: String,
    pub verdict: Tri,
    pub numerator: u64,
    pub denominator: u64,
    /// Rows whose side could not be decided (blank or invalid cells).
    pub unknown_rows: Vec<u64>,
    pub share: String,
    pub rounding: crate::syntax::ast::RoundingMode,
    /// The limit as computed, e.g. "15% × 33 = 4,95 → làm tròn xuống 4".
    pub limit: String,
    pub limit_value: String,
    /// Rows counted in the numerator.
    pub rows: Vec<u64>,
    pub denominator_rows: Vec<u64>,
    pub message: String,
    pub cite: Option<String>,
    /// Set when rounding down and half-up give different verdicts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub borderline: Option<String>,
    /// What brings a failing group within the rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remedy: Option<Remedy>,
}

/// What a unit breaking a rate can do, counted on the rows known.
#[derive(Debug, Clone, Serialize)]
pub struct Remedy {
    /// A cap: the fewest numerator proposals to withdraw.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdraw: Option<u64>,
    /// The awards whose proposals the rate counts (empty: any proposal).
    pub awards: Vec<String>,
    /// Rows of counted proposals that fail or are unknown on their own
    /// criteria (fails first, then unknown, each by row): the first to
    /// withdraw. Each is a candidate of `candidates` with one of `awards`.
    pub failing_first: Vec<u64>,
    /// A floor: the fewest proposals of `needed` to add.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub add: Option<u64>,
    /// A floor: what the added proposals must be (the numerator, in words).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub needed: Option<String>,
    /// A floor: or the fewest proposals counted only in the base to
    /// withdraw.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdraw_others: Option<u64>,
    /// The whole remedy as the text report says it.
    pub text: String,
}

/// A registered target: a count or a share of a unit's people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// «số lượng»: a number of people.
    Count,
    /// «tỷ lệ»: a percentage of the unit's people in the list.
    Share,
}

/// The direction of a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// «trên N»: more than N.
    Above,
    /// «từ N trở lên»: N or more.
    AtLeast,
}

/// A target against the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetResult {
    /// Met, above the registered number («vượt N»).
    Exceeded,
    /// Met, exactly at the registered number («đạt»).
    Met,
    /// «không đạt».
    NotMet,
    /// «chưa xác định»: rows not decided yet could change it, or the
    /// target could not be read.
    Unknown,
}

/// One row of the target table against the list.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    /// The row in the target table.
    pub row: u64,
    pub unit: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// The award's id (empty when the rule set has none for the title).
    pub award: String,
    pub award_label: String,
    /// The target in words («Trên 02 cá nhân đạt …»).
    pub registered: String,
    pub kind: Option<TargetKind>,
    pub comparison: Option<Comparison>,
    /// The registered number (or percentage), as written.
    pub level: Option<String>,
    /// People of the unit who certainly reach the title, and at most.
    pub achieved: u64,
    pub achieved_high: u64,
    /// People of the unit in the list, and at most (rows without a unit).
    pub people: u64,
    pub people_high: u64,
    /// For a share: the lowest and highest share the list allows, in
    /// percent, rounded to two decimals for display (the result is
    /// decided on exact values).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_high: Option<String>,
    pub result: TargetResult,
    /// How far above the registered level (people, or percentage points),
    /// at least; absent unless exceeded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub surplus: Option<String>,
    /// The result as the text report says it.
    pub text: String,
    /// Rows of candidates counted, and rows that may count.
    pub rows: Vec<u64>,
    pub unknown_rows: Vec<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub cite: Option<String>,
}
