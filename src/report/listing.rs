//! What the council documents (HTML, xlsx, csv, docx) need beyond the
//! [`Report`]: each list's cells as sent, where its name, unit and post
//! columns are, which awards are a collective's, and the time of the check.
//! Built after the check, only for these renderers: the check itself keeps
//! no cell it does not read.

use super::model::{Candidate, Report, Section};
use crate::data::original::{Original, read_original};
use crate::data::text::{fold, strip_marks};
use crate::data::{DataError, ListSource};
use crate::eval::Tri;
use crate::semantic::model::{Plan, TableDef};
use std::collections::HashMap;

/// When the check ran, as the documents print it: now, or the time
/// `SOURCE_DATE_EPOCH` fixes (seconds since 1970, UTC) for reproducible
/// output.
pub fn checked_at() -> String {
    now().strftime("%H:%M ngày %d/%m/%Y").to_string()
}

/// The year the check runs in, as [`checked_at`] reads the time: a list
/// dated after the next year gets a data warning.
pub fn current_year() -> i32 {
    i32::from(now().year())
}

fn now() -> jiff::ZonedDateTime {
    let fixed = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .map(|t| t.to_zoned_datetime(jiff::tz::TimeZone::UTC));
    fixed.unwrap_or_else(jiff::ZonedDateTime::now)
}

/// The council's words for a verdict.
pub fn verdict_words(t: Tri) -> &'static str {
    match t {
        Tri::True => "Đủ điều kiện",
        Tri::False => "Không đủ điều kiện",
        Tri::Unknown => "Chưa xác định",
    }
}

/// One list of the check, as sent.
#[derive(Debug, Clone, Default)]
pub struct ListCells {
    pub original: Original,
    pub header_row: u64,
    /// The table's label, e.g. "Danh sách cá nhân đề nghị".
    pub table_label: String,
    /// A list of collectives (tập thể), not of persons.
    pub collective: bool,
    pub name_col: Option<usize>,
    pub unit_col: Option<usize>,
    pub post_col: Option<usize>,
}

impl ListCells {
    /// The text of column `col` in row `row`, if any.
    pub fn cell(&self, row: u64, col: Option<usize>) -> Option<&str> {
        let text = self.original.row(row).get(col?)?.trim();
        (!text.is_empty()).then_some(text)
    }

    /// The header row's cells.
    pub fn headers(&self) -> &[String] {
        self.original.row(self.header_row)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Listing {
    /// When the check ran, as the documents print it.
    pub checked_at: String,
    /// By the index of `Report::inputs`; `None` when the list could not be
    /// read again (it was in memory).
    pub lists: Vec<Option<ListCells>>,
    /// Award id → index of its table's list in `lists`.
    award_list: HashMap<String, usize>,
    /// Award ids of collectives.
    collective: HashMap<String, bool>,
}

impl Listing {
    /// Reads the lists of `report` again from their files (`sources` names
    /// lists in memory by their path, read from there instead).
    pub fn new(
        report: &Report,
        plan: &Plan,
        sources: &[ListSource],
        checked_at: impl Into<String>,
    ) -> Result<Listing, DataError> {
        let mut lists = Vec::new();
        for input in &report.inputs {
            let source = sources
                .iter()
                .find(|s| s.name == input.path)
                .cloned()
                .unwrap_or_else(|| {
                    let s = ListSource::path(&input.path);
                    match &input.sheet {
                        Some(sheet) => s.sheet(sheet.as_str()),
                        None => s,
                    }
                });
            let delimiter = input.delimiter.bytes().next().unwrap_or(b',');
            let original = read_original(&source, delimiter)?;
            // A stray quote makes the check read lines as rows that a plain
            // CSV reading joins into one cell: rows would no longer meet
            // their results.
            if original.rows.len() as u64 != input.header_row + input.rows {
                return Err(DataError::Io {
                    path: input.path.clone(),
                    message: format!(
                        "không đọc lại được danh sách đúng từng dòng (kiểm tra đọc {} dòng, đọc lại được {}), thường do một ô có dấu ngoặc kép (\") lạc — xem mục «Lỗi dữ liệu» của `tdkt check`, sửa ô đó rồi kiểm tra lại",
                        input.header_row + input.rows,
                        original.rows.len()
                    ),
                });
            }
            let Some(table) = plan.tables.iter().find(|t| t.id == input.table) else {
                lists.push(None);
                continue;
            };
            let headers = original.row(input.header_row).to_vec();
            let unit = plan
                .rates
                .iter()
                .find(|r| plan.tables[r.table].id == table.id)
                .map(|r| &table.columns[r.group])
                .or_else(|| table.columns.iter().find(|c| is_unit(c)));
            let find = |col: Option<&crate::semantic::model::ColumnDef>| {
                col.and_then(|c| column_of(&headers, c))
            };
            let name = table.columns.iter().find(|c| is_name(c));
            let post = table.columns.iter().find(|c| is_post(c));
            lists.push(Some(ListCells {
                header_row: input.header_row,
                table_label: table.label.clone(),
                collective: is_collective(table),
                name_col: find(name),
                unit_col: find(unit),
                post_col: find(post),
                original,
            }));
        }
        let mut award_list = HashMap::new();
        let mut collective = HashMap::new();
        for a in &plan.awards {
            let table = &plan.tables[a.table];
            collective.insert(a.id.clone(), is_collective(table));
            if let Some(i) = report.inputs.iter().position(|i| i.table == table.id) {
                award_list.insert(a.id.clone(), i);
            }
        }
        Ok(Listing {
            checked_at: checked_at.into(),
            lists,
            award_list,
            collective,
        })
    }

    /// The list a candidate's row belongs to.
    pub fn list_of(&self, c: &Candidate) -> Option<&ListCells> {
        let i = self.award_list.get(&*c.award).copied().unwrap_or(0);
        self.lists.get(i)?.as_ref()
    }

    /// The index in `Report::inputs` of the list of award `award`.
    pub fn input_of(&self, award: &str) -> usize {
        self.award_list.get(award).copied().unwrap_or(0)
    }

    pub fn is_collective(&self, c: &Candidate) -> bool {
        match self.collective.get(&*c.award) {
            Some(&k) => k,
            None => self.list_of(c).is_some_and(|l| l.collective),
        }
    }

    /// The candidate's unit: the report's (the column rates group by),
    /// else its row's.
    pub fn unit<'a>(&'a self, c: &'a Candidate) -> Option<&'a str> {
        if let Some(u) = c.unit.as_deref() {
            return Some(u);
        }
        let l = self.list_of(c)?;
        l.cell(c.row, l.unit_col)
    }

    /// «Chức vụ, đơn vị» as the council's lists write it.
    pub fn post_unit(&self, c: &Candidate) -> String {
        match (self.post(c), self.unit(c)) {
            (Some(p), Some(u)) => format!("{p}, {u}"),
            (Some(x), None) | (None, Some(x)) => x.to_string(),
            (None, None) => String::new(),
        }
    }

    pub fn post(&self, c: &Candidate) -> Option<&str> {
        let l = self.list_of(c)?;
        l.cell(c.row, l.post_col)
    }

    /// The candidate's name: the report's, else its row's.
    pub fn name<'a>(&'a self, c: &'a Candidate) -> &'a str {
        if let Some(n) = c.name.as_deref().filter(|n| !n.is_empty()) {
            return n;
        }
        self.list_of(c)
            .and_then(|l| l.cell(c.row, l.name_col))
            .unwrap_or(&c.key)
    }
}

/// The header of `headers` that names column `c` (its header or an alias).
fn column_of(headers: &[String], c: &crate::semantic::model::ColumnDef) -> Option<usize> {
    let names: Vec<String> = std::iter::once(&c.header)
        .chain(&c.aliases)
        .map(|h| fold(h))
        .collect();
    headers.iter().position(|h| names.contains(&fold(h)))
}

fn plain(s: &str) -> String {
    strip_marks(&fold(s)).to_lowercase()
}

/// A list of collectives: its label or id says so ("tập thể").
fn is_collective(t: &TableDef) -> bool {
    plain(&t.label).contains("tap the") || t.id.contains("tap_the")
}

/// The column of a person's or a collective's name.
fn is_name(c: &crate::semantic::model::ColumnDef) -> bool {
    let h = plain(&c.header);
    h.starts_with("ho va ten") || h.starts_with("ho ten") || h.starts_with("ten tap the")
}

/// A unit's column when no rate names one: "Đơn vị", "Đơn vị công tác".
fn is_unit(c: &crate::semantic::model::ColumnDef) -> bool {
    let h = plain(&c.header);
    h == "don vi" || h == "don vi cong tac" || h == "phong, ban"
}

fn is_post(c: &crate::semantic::model::ColumnDef) -> bool {
    let h = plain(&c.header);
    h.starts_with("chuc vu") || h.starts_with("chuc danh")
}

/// The words of a candidate's result in the list sent back: «Đạt, chờ bỏ
/// phiếu» when it meets every criterion but the council's vote.
pub fn result_words(c: &Candidate) -> &'static str {
    if awaits_ballot(c) {
        "Đạt, chờ bỏ phiếu"
    } else {
        verdict_words(c.verdict)
    }
}

/// A candidate that meets every criterion and waits only for the ballot.
pub fn awaits_ballot(c: &Candidate) -> bool {
    c.awaiting_vote && c.verdict == Tri::True
}

/// Counts of proposals: proposed, đủ điều kiện, không đủ, chưa xác định,
/// and of the đủ điều kiện those waiting for the ballot.
pub type Counts = [u64; 5];

fn add(counts: &mut Counts, c: &Candidate) {
    counts[0] += 1;
    counts[match c.verdict {
        Tri::True => 1,
        Tri::False => 2,
        Tri::Unknown => 3,
    }] += 1;
    if awaits_ballot(c) {
        counts[4] += 1;
    }
}

/// The summary a council reads first: counts by award and by unit (in the
/// order first met in the list), and the total.
#[derive(Debug, Clone, Default)]
pub struct Tallies {
    pub by_award: Vec<(String, Counts)>,
    pub by_unit: Vec<(String, Counts)>,
    pub total: Counts,
}

/// Where an award comes in the rule set (as the law lists them).
pub fn award_rank(r: &Report, label: &str) -> usize {
    r.awards
        .iter()
        .position(|(_, l)| l == label)
        .unwrap_or(usize::MAX)
}

pub const NO_UNIT: &str = "(không ghi đơn vị)";

pub fn tallies(r: &Report, l: &Listing) -> Tallies {
    fn slot<'a>(v: &'a mut Vec<(String, Counts)>, key: &str) -> &'a mut Counts {
        let i = match v.iter().position(|(k, _)| k == key) {
            Some(i) => i,
            None => {
                v.push((key.to_string(), Counts::default()));
                v.len() - 1
            }
        };
        &mut v[i].1
    }
    let mut t = Tallies::default();
    let mut by_row: Vec<&Candidate> = r.candidates.iter().collect();
    by_row.sort_by_key(|c| c.row);
    for c in by_row {
        add(slot(&mut t.by_award, &c.award_label), c);
        // The report's unit; a collective with no unit column is a unit
        // itself.
        let unit = c
            .unit
            .as_deref()
            .or_else(|| l.is_collective(c).then(|| l.name(c)));
        add(slot(&mut t.by_unit, unit.unwrap_or(NO_UNIT)), c);
        add(&mut t.total, c);
    }
    // Awards in the rule set's order, as the law lists them.
    t.by_award.sort_by_key(|(label, _)| award_rank(r, label));
    t
}

/// What the added columns of one row say: its proposals' results, the
/// reasons of those that do not pass, their citations.
#[derive(Debug, Clone)]
pub struct RowResult {
    /// The row's worst verdict (không đủ before chưa xác định before đủ).
    pub verdict: Tri,
    pub result: String,
    pub reasons: String,
    pub cites: String,
}

/// The results of the rows of list `input` (an index of `Report::inputs`),
/// by row.
pub fn row_results(r: &Report, l: &Listing, input: usize) -> HashMap<u64, RowResult> {
    let mut rows: HashMap<u64, Vec<&Candidate>> = HashMap::new();
    for c in &r.candidates {
        if l.input_of(&c.award) == input {
            rows.entry(c.row).or_default().push(c);
        }
    }
    rows.into_iter()
        .map(|(row, cs)| (row, row_result(&cs)))
        .collect()
}

fn row_result(cs: &[&Candidate]) -> RowResult {
    let several = cs.len() > 1;
    let verdict = cs
        .iter()
        .map(|c| c.verdict)
        .max_by_key(|t| match t {
            Tri::True => 0,
            Tri::Unknown => 1,
            Tri::False => 2,
        })
        .unwrap_or(Tri::Unknown);
    let result = cs
        .iter()
        .map(|c| {
            if several {
                format!("{}: {}", c.award_label, result_words(c))
            } else {
                result_words(c).to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    let mut reasons = Vec::new();
    let mut cites: Vec<&str> = Vec::new();
    for c in cs {
        for x in c.reasons.iter().filter(|x| x.verdict != Tri::True) {
            let mut text = x.message().to_string();
            if let Some(o) = &x.observed {
                text = format!("{text}: {o}");
            }
            if x.pending {
                // What was read says «chờ bỏ phiếu» already.
                if x.observed.is_none() {
                    text.push_str(" (chờ bỏ phiếu)");
                }
            } else if x.verdict == Tri::Unknown {
                text.push_str(" (chưa xác định)");
            }
            if several {
                text = format!("{}: {text}", c.award_label);
            }
            reasons.push(text);
            if let Some(cite) = x.cite()
                && !cites.contains(&cite)
            {
                cites.push(cite);
            }
        }
    }
    RowResult {
        verdict,
        result,
        reasons: reasons.join("; "),
        cites: cites.join("; "),
    }
}

/// The passing sections of the report (by unit, award and row, as the
/// text report lists them), persons' apart from collectives': the
/// council's list «đủ điều kiện», in the HTML report and the Word annex.
pub fn passing_sections<'r>(r: &'r Report, l: &Listing) -> [Vec<Section<'r>>; 2] {
    let (groups, persons): (Vec<Section>, Vec<Section>) = r
        .sections(true)
        .into_iter()
        .partition(|s| s.candidates.first().is_some_and(|c| l.is_collective(c)));
    [persons, groups]
}

/// A cell that a spreadsheet would take for a formula, made text: a
/// leading `=`, `+`, `-`, `@`, tab or carriage return gets a `'` before it.
pub fn neutral(s: &str) -> std::borrow::Cow<'_, str> {
    match s.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{s}").into(),
        _ => s.into(),
    }
}

/// The headers added after a list's own columns.
pub const ADDED: [&str; 3] = ["Kết quả", "Lý do", "Căn cứ"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_text_is_kept() {
        for s in ["=1+1", "+84", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutral(s), format!("'{s}"));
        }
        for s in ["Nguyễn Văn An", "12", "", "a=b"] {
            assert_eq!(neutral(s), s);
        }
    }
}
