//! What an aggregate over a linked list read, in words.

use super::{rows_text, write_range};
use crate::data::Row;
use crate::eval::row::{RowEval, Val};
use crate::semantic::model::{AggKind, Operand};

impl RowEval<'_> {
    /// "«Danh sách cá nhân» có đạt tiêu chuẩn Lao động tiên tiến = 7 (dòng 2, 3, 5, …)";
    /// "năm liên tục có … đến 2025 = 1 (2025); gián đoạn năm 2024".
    pub(super) fn show_aggregate(&self, i: usize, row: &Row) -> String {
        let def = &self.plan.aggregates[i];
        let source = &self.plan.tables[def.source];
        let acc = match self.linked_acc(i, row) {
            Some(acc) => acc,
            None => {
                return format!("{}: chưa có danh sách «{}» để đếm", def.text, source.label);
            }
        };
        let unknown = acc.map_or(&[][..], |a| &a.unknown_rows[..]);
        let pending = if unknown.is_empty() {
            String::new()
        } else {
            format!("; dòng chưa xác định: {}", rows_text(unknown))
        };
        let none = std::collections::BTreeSet::new();
        let covered = self.linked.covered(i).unwrap_or(&none);
        // Years the list does not reach yet: "năm 2025 chưa có trong lịch sử".
        let open = |from: i64, to: i64| match crate::eval::linked::uncovered_in(covered, from, to) {
            Some(0) => String::new(),
            None => format!(
                "; danh sách «{}» chưa có dòng nào của năm {to} hay các năm trước",
                source.label
            ),
            Some(_) => {
                let first = covered
                    .range(..=to)
                    .next_back()
                    .map_or(from, |t| (t + 1).max(from));
                let years = if first >= to {
                    format!("năm {to}")
                } else {
                    format!("các năm {first}–{to}")
                };
                format!(
                    "; {years} chưa có trong lịch sử (danh sách «{}» không có dòng nào của năm đó)",
                    source.label
                )
            }
        };
        // The year under review counted from this row itself (`now C`).
        let current = |y: i64| {
            format!(
                "; năm {y} chưa có trong lịch sử, tính theo danh sách năm xét: {}",
                def.now_text
            )
        };
        match def.kind {
            AggKind::Count | AggKind::Years
                if def.after.is_some() || def.kind == AggKind::Years =>
            {
                let mut n = String::new();
                write_range(&mut n, self.bounds(&Operand::Aggregate(i), row));
                let years: Vec<String> = self
                    .years_after(i, row)
                    .unwrap_or_default()
                    .iter()
                    .map(i64::to_string)
                    .collect();
                let mut from = String::new();
                if let Some(a) = &def.after {
                    self.write_operand(&mut from, a, row);
                }
                let what = if def.kind == AggKind::Years {
                    "số năm "
                } else {
                    ""
                };
                let since = if def.after.is_some() {
                    format!(" sau năm ({from})")
                } else {
                    String::new()
                };
                let uncovered = match self.row_year(row) {
                    Some(y) if self.counts_now(i, row) => current(y),
                    Some(y) => open(i64::MIN, y),
                    None => String::new(),
                };
                format!(
                    "{what}{}{since} đến năm xét = {n} ({}){uncovered}{pending}",
                    def.text,
                    match years.len() {
                        0 => "không năm nào".to_string(),
                        1 => format!("năm {}", years[0]),
                        _ => format!("các năm {}", years.join(", ")),
                    }
                )
            }
            AggKind::Last => match self.operand(&Operand::Aggregate(i), row) {
                Val::Int(y) => format!("năm gần nhất {} = {y}{pending}", def.text),
                _ => format!("không có năm nào {}{pending}", def.text),
            },
            AggKind::Count | AggKind::Years => {
                let mut n = String::new();
                write_range(&mut n, self.bounds(&Operand::Aggregate(i), row));
                let total = acc.map_or(0, |a| a.total);
                let rows = acc.map_or(&[][..], |a| &a.rows[..]);
                let listed = if rows.is_empty() {
                    String::new()
                } else {
                    format!(" (dòng {})", rows_text(rows))
                };
                format!(
                    "{} = {n}{listed} trên {total} dòng liên kết{pending}",
                    def.text
                )
            }
            AggKind::Streak => match self.row_year(row) {
                Some(y) => {
                    let r = self.streak_of(i, acc, covered, y, row);
                    let top = r.uncovered.map_or(y, |(from, _)| from - 1);
                    let years: Vec<String> = (0..r.known as i64)
                        .rev()
                        .map(|k| (top - k).to_string())
                        .collect();
                    let shown = if years.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", years.join(", "))
                    };
                    let mut n = String::new();
                    write_range(&mut n, self.bounds(&Operand::Aggregate(i), row));
                    let gap = if r.uncovered.is_some_and(|(from, _)| from == i64::MIN) {
                        String::new()
                    } else {
                        format!("; gián đoạn năm {}", r.gap)
                    };
                    let open = if r.current {
                        current(y)
                    } else {
                        open(i64::MIN, y)
                    };
                    format!(
                        "số năm liên tục {} đến năm {y} = {n}{shown}{open}{gap}{pending}",
                        def.text
                    )
                }
                None => format!("{}: dòng này không có năm xét", def.text),
            },
        }
    }
}
