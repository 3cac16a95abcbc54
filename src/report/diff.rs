//! Two reports on the same list, side by side: what a new standard would
//! change. Candidates are matched by row and award, groups by rate and
//! group value.

use super::listing::neutral;
use super::model::{Candidate, Group, Reason, Report};
use crate::eval::Tri;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

/// Counts of one side.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Totals {
    pub candidates: u64,
    pub pass: u64,
    pub fail: u64,
    pub unknown: u64,
    pub groups_fail: u64,
    /// Per award: (pass, fail, unknown).
    pub awards: BTreeMap<String, [u64; 3]>,
}

/// A candidate whose verdict differs; `None` when that side has no such
/// award (the rule set does not check it).
#[derive(Debug, Clone, Serialize)]
pub struct Flip {
    pub row: u64,
    pub key: String,
    pub name: Option<String>,
    /// The candidate's unit, when the list says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    pub award: Arc<str>,
    pub award_label: Arc<str>,
    pub base_verdict: Option<Tri>,
    pub new_verdict: Option<Tri>,
    pub base_reasons: Vec<Reason>,
    pub new_reasons: Vec<Reason>,
}

/// A group whose verdict or limit differs.
#[derive(Debug, Clone, Serialize)]
pub struct GroupChange {
    pub rule: String,
    pub rule_label: String,
    pub group: String,
    pub base_verdict: Option<Tri>,
    pub new_verdict: Option<Tri>,
    pub base_limit: Option<String>,
    pub new_limit: Option<String>,
    pub base_numerator: Option<u64>,
    pub new_numerator: Option<u64>,
    /// "Phòng A: hạn mức 4 → 6; đếm được 5: từ không đạt thành đạt".
    pub summary: String,
}

/// A column a rule set reads that the list lacks, and what it is taken to
/// hold.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MissingColumn {
    pub table: String,
    pub id: String,
    pub header: String,
    /// The column's `absent` value, as text; `None`: unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assumed: Option<String>,
    /// A ballot criterion reads it (the list was made before the vote).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ballot: bool,
}

/// The columns the list lacks, under each rule set.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AbsentColumns {
    pub base: Vec<MissingColumn>,
    pub new: Vec<MissingColumn>,
}

/// The comparison on one list (one year).
#[derive(Debug, Clone, Serialize)]
pub struct ListDiff {
    pub path: String,
    pub rows: u64,
    /// Why criteria may be unknown on a whole side: columns the list lacks.
    pub absent_columns: AbsentColumns,
    pub base: Totals,
    pub new: Totals,
    pub flips: Vec<Flip>,
    pub groups: Vec<GroupChange>,
}

impl ListDiff {
    /// Some candidate or group changes its verdict (or a group its limit).
    pub fn changed(&self) -> bool {
        !self.flips.is_empty() || !self.groups.is_empty()
    }
}

/// The comparison of two reports on the same lists (`path` names them):
/// the base's, then the new rule set's.
pub fn compare(path: &str, base: &Report, new: &Report) -> ListDiff {
    let (b, n) = (side(base), side(new));
    let mut flips = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < b.len() || j < n.len() {
        let order = match (b.get(i), n.get(j)) {
            (Some(x), Some(y)) => x.0.cmp(&y.0),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        let (x, y) = match order {
            std::cmp::Ordering::Less => (b.get(i).map(|e| e.1), None),
            std::cmp::Ordering::Greater => (None, n.get(j).map(|e| e.1)),
            std::cmp::Ordering::Equal => (b.get(i).map(|e| e.1), n.get(j).map(|e| e.1)),
        };
        i += usize::from(order != std::cmp::Ordering::Greater);
        j += usize::from(order != std::cmp::Ordering::Less);
        if x.map(Entry::verdict) == y.map(Entry::verdict) {
            continue;
        }
        // A passing candidate is listed by row only when the other side
        // checks its award too, so a flip always has a whole side.
        let Some(any) = y.and_then(Entry::whole).or(x.and_then(Entry::whole)) else {
            continue;
        };
        flips.push(Flip {
            row: any.row,
            key: any.key.clone(),
            name: any.name.clone(),
            unit: any.unit.clone(),
            award: any.award.clone(),
            award_label: any.award_label.clone(),
            base_verdict: x.map(Entry::verdict),
            new_verdict: y.map(Entry::verdict),
            base_reasons: x.and_then(Entry::whole).map(reasons).unwrap_or_default(),
            new_reasons: y.and_then(Entry::whole).map(reasons).unwrap_or_default(),
        });
    }
    fn groups(r: &Report) -> BTreeMap<(&str, &str), &Group> {
        r.groups
            .iter()
            .map(|g| ((g.rule.as_str(), g.group.as_str()), g))
            .collect()
    }
    let (gb, gn) = (groups(base), groups(new));
    let mut gkeys: Vec<&(&str, &str)> = gb.keys().chain(gn.keys()).collect();
    gkeys.sort();
    gkeys.dedup();
    let mut changes = Vec::new();
    for k in gkeys {
        let (x, y) = (gb.get(k).copied(), gn.get(k).copied());
        let same = x.map(|g| (g.verdict, &g.limit_value)) == y.map(|g| (g.verdict, &g.limit_value));
        if same {
            continue;
        }
        let Some(any) = y.or(x) else { continue };
        changes.push(GroupChange {
            rule: any.rule.clone(),
            rule_label: any.rule_label.clone(),
            group: any.group.clone(),
            base_verdict: x.map(|g| g.verdict),
            new_verdict: y.map(|g| g.verdict),
            base_limit: x.map(|g| g.limit_value.clone()),
            new_limit: y.map(|g| g.limit_value.clone()),
            base_numerator: x.map(|g| g.numerator),
            new_numerator: y.map(|g| g.numerator),
            summary: group_summary(x, y),
        });
    }
    ListDiff {
        path: path.to_string(),
        rows: base.inputs.iter().map(|i| i.rows).sum(),
        absent_columns: AbsentColumns {
            base: missing(base),
            new: missing(new),
        },
        base: totals(base),
        new: totals(new),
        flips,
        groups: changes,
    }
}

/// The columns the rules of a report read that its lists lack.
fn missing(r: &Report) -> Vec<MissingColumn> {
    r.inputs
        .iter()
        .flat_map(|i| {
            i.absent_columns.iter().map(|a| MissingColumn {
                table: i.table.clone(),
                id: a.id.clone(),
                header: a.header.clone(),
                assumed: a.assumed.clone(),
                ballot: a.ballot,
            })
        })
        .collect()
}

/// What a missing column is taken to hold, under the rule set `side`
/// ("mới", "gốc").
fn taken_as(c: &MissingColumn, side: &str) -> String {
    match &c.assumed {
        Some(v) => format!("theo bộ quy tắc {side}, tính là {v}"),
        None if c.ballot => "chưa bỏ phiếu, tiêu chí bỏ phiếu chờ Hội đồng".to_string(),
        None => "các tiêu chí đọc cột này là chưa xác định".to_string(),
    }
}

/// The lines saying which columns the list lacks: one line for each that
/// the new rules read differently from the base (the reason criteria turn
/// unknown on every row), one line for those both read alike.
pub fn absent_lines(a: &AbsentColumns) -> Vec<String> {
    let mut o = Vec::new();
    let same = |c: &&MissingColumn, other: &[MissingColumn]| other.contains(c);
    for c in a.new.iter().filter(|c| !same(c, &a.base)) {
        o.push(format!(
            "Danh sách thiếu cột mà bộ quy tắc mới đọc: «{}» — {}",
            c.header,
            taken_as(c, "mới")
        ));
    }
    for c in a.base.iter().filter(|c| !same(c, &a.new)) {
        o.push(format!(
            "Danh sách thiếu cột mà bộ quy tắc gốc đọc: «{}» — {}",
            c.header,
            taken_as(c, "gốc")
        ));
    }
    let both: Vec<String> = a
        .new
        .iter()
        .filter(|c| same(c, &a.base))
        .map(|c| match &c.assumed {
            Some(v) => format!("«{}» (tính là {v})", c.header),
            None => format!("«{}»", c.header),
        })
        .collect();
    if !both.is_empty() {
        o.push(format!(
            "Danh sách thiếu cột mà cả hai bộ quy tắc đọc như nhau: {}",
            both.join(", ")
        ));
    }
    o
}

/// The totals side by side: (label, base, new) for the verdicts, each
/// award's passes and the failing rates.
pub fn total_lines(d: &ListDiff) -> Vec<(String, u64, u64)> {
    let mut o = vec![
        ("Đề nghị đạt".to_string(), d.base.pass, d.new.pass),
        ("Đề nghị không đạt".to_string(), d.base.fail, d.new.fail),
        (
            "Đề nghị chưa xác định".to_string(),
            d.base.unknown,
            d.new.unknown,
        ),
    ];
    let mut awards: Vec<&String> = d.base.awards.keys().chain(d.new.awards.keys()).collect();
    awards.sort();
    awards.dedup();
    for a in awards {
        let get = |t: &Totals| t.awards.get(a).map_or(0, |v| v[0]);
        o.push((format!("  đạt «{a}»"), get(&d.base), get(&d.new)));
    }
    o.push((
        "Tỷ lệ theo đơn vị không đạt".to_string(),
        d.base.groups_fail,
        d.new.groups_fail,
    ));
    o
}

/// One candidate of one side: listed whole, or passing and known by row.
#[derive(Clone, Copy)]
enum Entry<'r> {
    Whole(&'r Candidate),
    Passed,
}

impl<'r> Entry<'r> {
    fn verdict(self) -> Tri {
        match self {
            Entry::Whole(c) => c.verdict,
            Entry::Passed => Tri::True,
        }
    }

    fn whole(self) -> Option<&'r Candidate> {
        match self {
            Entry::Whole(c) => Some(c),
            Entry::Passed => None,
        }
    }
}

/// Every candidate of a report by (row, award id), sorted.
fn side(r: &Report) -> Vec<((u64, &str), Entry<'_>)> {
    let mut out: Vec<((u64, &str), Entry)> = r
        .candidates
        .iter()
        .map(|c| ((c.row, &*c.award), Entry::Whole(c)))
        .collect();
    out.extend(r.passed.iter().filter_map(|&(row, a)| {
        let (id, _) = r.awards.get(a as usize)?;
        Some(((row, id.as_str()), Entry::Passed))
    }));
    out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The reasons that are not true: the ones a reader needs to compare (a
/// ballot not yet held is the same under both rule sets).
fn reasons(c: &Candidate) -> Vec<Reason> {
    c.reasons
        .iter()
        .filter(|r| r.verdict != Tri::True && !r.pending)
        .cloned()
        .collect()
}

fn totals(r: &Report) -> Totals {
    let mut t = Totals {
        candidates: r.summary.candidates,
        pass: r.summary.pass,
        fail: r.summary.fail,
        unknown: r.summary.unknown,
        groups_fail: r.summary.groups_fail,
        ..Totals::default()
    };
    for c in &r.candidates {
        let slot = t.awards.entry(c.award_label.to_string()).or_default();
        slot[match c.verdict {
            Tri::True => 0,
            Tri::False => 1,
            Tri::Unknown => 2,
        }] += 1;
    }
    let mut passed = vec![0u64; r.awards.len()];
    for &(_, a) in &r.passed {
        if let Some(n) = passed.get_mut(a as usize) {
            *n += 1;
        }
    }
    for ((_, label), n) in r.awards.iter().zip(passed) {
        if n > 0 {
            t.awards.entry(label.clone()).or_default()[0] += n;
        }
    }
    t
}

/// "đạt", "không đạt", "chưa xác định", or "không xét" for a side without it.
pub fn word(v: Option<Tri>) -> &'static str {
    match v {
        Some(Tri::True) => "đạt",
        Some(Tri::False) => "không đạt",
        Some(Tri::Unknown) => "chưa xác định",
        None => "không xét",
    }
}

fn group_summary(x: Option<&Group>, y: Option<&Group>) -> String {
    let any = y.or(x);
    let name = any.map_or("", |g| g.group.as_str());
    let name = if name.is_empty() {
        "(không ghi đơn vị)"
    } else {
        name
    };
    let limit = |g: Option<&Group>| g.map_or_else(|| "—".to_string(), |g| g.limit_value.clone());
    let count = any.map_or(0, |g| g.numerator);
    format!(
        "{name}: hạn mức {} → {}; đếm được {count}: từ {} thành {}",
        limit(x),
        limit(y),
        word(x.map(|g| g.verdict)),
        word(y.map(|g| g.verdict))
    )
}

/// The Vietnamese text of a comparison over one or more lists.
pub fn render(base_name: &str, new_name: &str, lists: &[ListDiff]) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "SO SÁNH HAI BỘ QUY TẮC TRÊN CÙNG DANH SÁCH");
    let _ = writeln!(o, "Gốc: {base_name}");
    let _ = writeln!(o, "Mới: {new_name}");
    for d in lists {
        let _ = writeln!(o);
        let _ = writeln!(o, "Danh sách: {} ({} dòng)", d.path, d.rows);
        for l in absent_lines(&d.absent_columns) {
            let _ = writeln!(o, "  {l}");
        }
        let _ = writeln!(o, "  {:<44} {:>6} {:>6}", "", "gốc", "mới");
        for (label, a, b) in total_lines(d) {
            let _ = writeln!(o, "  {label:<44} {a:>6} {b:>6}");
        }
        if d.flips.is_empty() && d.groups.is_empty() {
            let _ = writeln!(o, "  Không đề nghị, tỷ lệ nào đổi kết quả.");
            continue;
        }
        if !d.flips.is_empty() {
            let _ = writeln!(o);
            let _ = writeln!(o, "  ĐỀ NGHỊ ĐỔI KẾT QUẢ ({})", d.flips.len());
            for f in &d.flips {
                let name = f.name.as_ref().map_or(String::new(), |n| format!(" · {n}"));
                let unit = f.unit.as_ref().map_or(String::new(), |u| format!(" ({u})"));
                let _ = writeln!(
                    o,
                    "  [{} → {}] Dòng {} · {}{name}{unit} — «{}»",
                    word(f.base_verdict).to_uppercase(),
                    word(f.new_verdict).to_uppercase(),
                    f.row,
                    f.key,
                    f.award_label
                );
                for (side, rs) in [("gốc", &f.base_reasons), ("mới", &f.new_reasons)] {
                    if rs.is_empty() {
                        continue;
                    }
                    for r in rs {
                        let cite = r.cite().unwrap_or("(quy tắc chưa dẫn căn cứ)");
                        let _ = writeln!(o, "      {side}: {} — {cite}", r.message());
                        if let Some(obs) = &r.observed {
                            let _ = writeln!(o, "            {obs}");
                        }
                    }
                }
            }
        }
        if !d.groups.is_empty() {
            let _ = writeln!(o);
            let _ = writeln!(o, "  TỶ LỆ THEO ĐƠN VỊ ĐỔI ({})", d.groups.len());
            for g in &d.groups {
                let _ = writeln!(o, "  {} — {}", g.summary, g.rule_label);
            }
        }
    }
    if lists.len() > 1 {
        let flips: usize = lists.iter().map(|d| d.flips.len()).sum();
        let groups: usize = lists.iter().map(|d| d.groups.len()).sum();
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "Tổng cộng {} danh sách: {flips} đề nghị đổi kết quả, {groups} tỷ lệ đổi.",
            lists.len()
        );
    }
    // Values from the lists and rule files never reach a terminal raw.
    crate::data::text::visible_string(o)
}

/// One CSV row per flip, for Excel: UTF-8 with a byte-order mark (so
/// that Vietnamese reads right), names shown, awards by their names, and
/// each cell neutralised against formulas ([`neutral`]).
pub fn csv(lists: &[ListDiff]) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let _ = w.write_record([
        "Danh sách",
        "Dòng",
        "Mã",
        "Họ và tên",
        "Đơn vị",
        "Hình thức đề nghị",
        "Kết quả theo bộ quy tắc gốc",
        "Kết quả theo bộ quy tắc mới",
        "Lý do (bộ quy tắc gốc)",
        "Lý do (bộ quy tắc mới)",
        "Cột danh sách thiếu (bộ quy tắc mới)",
    ]);
    let join = |rs: &[Reason]| {
        rs.iter()
            .map(|r| match &r.observed {
                Some(obs) => format!("{} ({obs})", r.message()),
                None => r.message().to_string(),
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    for d in lists {
        // The columns the list lacks under the new rules: why a criterion
        // is unknown on every row.
        let absent = d
            .absent_columns
            .new
            .iter()
            .map(|c| format!("«{}»: {}", c.header, taken_as(c, "mới")))
            .collect::<Vec<_>>()
            .join("; ");
        for f in &d.flips {
            let cells = [
                d.path.clone(),
                f.row.to_string(),
                f.key.clone(),
                f.name.clone().unwrap_or_default(),
                f.unit.clone().unwrap_or_default(),
                f.award_label.to_string(),
                word(f.base_verdict).to_string(),
                word(f.new_verdict).to_string(),
                join(&f.base_reasons),
                join(&f.new_reasons),
                absent.clone(),
            ];
            let _ = w.write_record(cells.iter().map(|c| neutral(c).into_owned()));
        }
    }
    let body = String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default();
    format!("\u{feff}{body}")
}
