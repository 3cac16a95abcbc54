//! The effective rule set as people read it: every table, column,
//! parameter, award, criterion and rate, each marked with the file it comes
//! from (the base, or an overlay that adds or replaces it). Built once
//! ([`build`]) for `tdkt rules show` and the page's rule set and forms.

mod build;
mod text;

pub use build::build;
pub use text::render_text;

use serde::Serialize;

/// Where a declaration comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Origin {
    /// `base` or `overlay`.
    pub layer: Layer,
    pub file: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    Base,
    Overlay,
}

#[derive(Debug, Serialize)]
pub struct Shown {
    pub name: String,
    /// ISO date, as written.
    pub effective: Option<String>,
    /// ISO date, as written: the last day the rule set applies.
    pub until: Option<String>,
    pub files: Vec<Origin>,
    pub tables: Vec<TableView>,
    pub params: Vec<ParamView>,
    pub awards: Vec<AwardView>,
    pub rates: Vec<RateView>,
    /// Registered targets set against the list (informational).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<TargetView>,
    /// Awards, rates and criteria of a base that an overlay drops.
    pub removed: Vec<RemovedView>,
}

#[derive(Debug, Serialize)]
pub struct TargetView {
    /// The table of targets.
    pub table: String,
    /// The table of candidates.
    pub candidates: String,
    /// The unit column both hold.
    pub group: String,
    pub cite: Option<String>,
    pub origin: Origin,
}

#[derive(Debug, Serialize)]
pub struct TableView {
    pub id: String,
    pub label: String,
    pub key: Option<String>,
    pub year: Option<String>,
    pub origin: Origin,
    pub columns: Vec<ColumnView>,
}

#[derive(Debug, Serialize)]
pub struct ColumnView {
    pub id: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub optional: bool,
    pub header: String,
    /// Other headers councils write for the column.
    pub aliases: Vec<String>,
    pub link: Option<String>,
    pub range: Option<[String; 2]>,
    pub default: Option<String>,
    /// What every row holds when a list lacks the column (as written).
    pub absent: Option<String>,
    pub derived: Option<String>,
    pub origin: Origin,
}

#[derive(Debug, Serialize)]
pub struct ParamView {
    pub id: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub value: String,
    /// Set with `--set`; `written` keeps the rule file's value.
    pub overridden: bool,
    pub written: String,
    pub cite: Option<String>,
    pub origin: Origin,
    /// What reads the parameter, in words: the rates' labels, and
    /// «award: criterion» for criteria (a parameter has no label of its own).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub used_by: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct AwardView {
    pub id: String,
    pub label: String,
    pub table: String,
    pub selection: String,
    pub origin: Origin,
    /// Overlay files that change the award (label, selection or criteria).
    pub amended_in: Vec<String>,
    pub criteria: Vec<CriterionView>,
}

#[derive(Debug, Serialize)]
pub struct CriterionView {
    pub id: String,
    pub condition: String,
    pub message: String,
    pub cite: Option<String>,
    /// Stands in for the base's criterion of the same name.
    pub replace: bool,
    /// Decided by the council's ballot (`require ballot`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ballot: bool,
    pub origin: Origin,
}

#[derive(Debug, Serialize)]
pub struct RateView {
    pub id: String,
    pub label: String,
    pub table: String,
    pub group: String,
    pub formula: String,
    /// The percentage in force, e.g. "15%".
    pub share: String,
    /// `down`, `up`, `half-up` or `exact`.
    pub rounding: String,
    /// The parameter that names the rounding, if any.
    pub rounding_param: Option<String>,
    /// The rule file names no rounding: `down` by default.
    pub rounding_default: bool,
    pub cite: Option<String>,
    pub origin: Origin,
}

#[derive(Debug, Serialize)]
pub struct RemovedView {
    /// `award`, `rate` or `criterion`.
    pub kind: &'static str,
    pub id: String,
    /// The award of a removed criterion.
    pub award: Option<String>,
    pub origin: Origin,
}
