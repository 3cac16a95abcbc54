//! What a row gives besides its awards: suspicious and derived values,
//! other tables' aggregates, and the rows that cannot be judged.

use super::Judge;
use crate::data::{Cell, DataIssue, Row, TextFiller};
use crate::eval::linked::AggAcc;
use crate::eval::{Tri, Unchecked, row, suspicious};
use crate::semantic::model::AggKind;

impl<'p> Judge<'p> {
    /// A year after next year; for a history table, the row's fingerprint
    /// (a repeated row is found when the pieces come together).
    pub(super) fn check_suspicious(&mut self, row: &Row) {
        if let Some((col, latest)) = self.latest_year
            && let Some(w) = suspicious::future_year(self.tdef, col, latest, row)
        {
            self.part.warnings.push(w);
        }
        if self.tdef.key.is_none() {
            self.part
                .fingerprints
                .push((suspicious::fingerprint(row), row.line));
        }
    }

    /// What the row gives the aggregates of other tables that count it.
    pub(super) fn feed_aggregates(&mut self, row: &Row) {
        for (i, found) in &mut self.part.linked {
            let def = &self.plan.aggregates[*i];
            let Some(to) = row.texts.get(def.link).filter(|v| !v.is_empty()) else {
                continue;
            };
            // Look up before inserting: most rows hit a key already seen.
            if !found.contains_key(to.as_str()) {
                found.insert(to.clone(), AggAcc::default());
            }
            let Some(acc) = found.get_mut(to.as_str()) else {
                continue;
            };
            acc.total += 1;
            let year = self.tdef.year.and_then(|y| match row.cells.get(y) {
                Some(Cell::Int(y)) => Some(*y),
                _ => None,
            });
            // The years the list covers matter only to what counts years.
            if let Some(y) = year.filter(|_| def.kind != AggKind::Count || def.after.is_some()) {
                acc.dated.insert(y);
            }
            // A person is counted once, on the first of the rows a cell
            // naming several proposals gives: the filter holds when it
            // holds for one of them («LĐTT; CSTĐCS» is proposed CSTĐCS).
            let holds = if row.several.is_some() {
                self.ev.cond_person(&def.filter, row)
            } else {
                self.ev.cond(&def.filter, row, &mut self.memo)
            };
            match holds {
                Tri::True if def.kind != AggKind::Count && year.is_none() => {
                    acc.unknown_rows.push(row.line)
                }
                Tri::True => {
                    if let Some(v) = def.values_of.and_then(|c| row.texts.get(c)) {
                        for code in crate::eval::codes::codes(v) {
                            if !acc.values.contains(code) {
                                acc.values.insert(code.to_string());
                            }
                        }
                    }
                    acc.rows.push(row.line);
                    if let Some(y) = year {
                        *acc.years.entry(y).or_default() += 1;
                    }
                }
                Tri::Unknown => {
                    acc.unknown_rows.push(row.line);
                    if let Some(y) = year {
                        *acc.unknown_years.entry(y).or_default() += 1;
                    }
                }
                Tri::False => {}
            }
        }
    }

    /// A count written in the list must agree with the one counted from
    /// the linked list.
    pub(super) fn check_derived(&mut self, row: &Row) {
        for &c in &self.derived_cols {
            let written = match row.cells.get(c) {
                Some(Cell::Int(i)) => Some(rust_decimal::Decimal::from(*i)),
                Some(Cell::Decimal(d)) => Some(*d),
                _ => None,
            };
            let counted = match self.ev.derived(c, row) {
                Some(row::Val::Int(i)) => Some(rust_decimal::Decimal::from(i)),
                Some(row::Val::Decimal(d)) => Some(d),
                _ => None,
            };
            if let (Some(w), Some(n)) = (written, counted)
                && w != n
            {
                let def = &self.tdef.columns[c];
                let mut issue = DataIssue {
                    letter: String::new(),
                    table: String::new(),
                    row: row.line,
                    column: def.id.clone(),
                    header: def.header.clone(),
                    value: row.texts.get(c).cloned().unwrap_or_default(),
                    message: format!("cột ghi {w}, nhưng đếm từ danh sách liên kết được {n}"),
                    expected: format!("{n} (số đếm được; báo cáo dùng số này)"),
                };
                match &def.derived {
                    // Worked out from a date on the row: the written number
                    // may count something else (months actually worked), so
                    // a warning, not an error.
                    Some(op) if !op.counts_linked() => {
                        let mut how = String::new();
                        self.ev.write_operand(&mut how, op, row);
                        issue.message = format!("cột ghi {w}, nhưng {how}");
                        issue.expected = format!("{n} (số tính được; báo cáo dùng số này)");
                        self.part.warnings.push(issue);
                    }
                    _ => self.part.issues.push(issue),
                }
            }
        }
    }

    /// A row whose proposal cannot be read (its `where` is unknown for
    /// some award, true for none): still a candidate, of an unknown award.
    pub(super) fn note_unreadable(&mut self, row: &mut Row, filler: &TextFiller) {
        // A list without the proposal column proposes nothing.
        let column = self
            .proposal_cols
            .iter()
            .copied()
            .find(|&c| matches!(row.cells.get(c), Some(Cell::Invalid)));
        let Some(column) = column else { return };
        let mut cols = vec![column];
        cols.extend(self.name_col);
        cols.extend(self.unit_col);
        filler.fill_columns(row, cols);
        let text = row.texts.get(column).map_or("", |s| s.as_str());
        self.part.unchecked.push(Unchecked {
            row: row.line,
            key: self.key(row).to_string(),
            table: self.table,
            column,
            value: 0,
            unreadable: Some(text.into()),
            name: Self::filled(self.name_col, row),
            unit: Self::filled(self.unit_col, row),
        });
    }

    /// A row with a proposal that no award selects.
    pub(super) fn note_unchecked(&mut self, row: &Row) {
        let proposed = self
            .proposal_cols
            .iter()
            .find_map(|&c| match row.cells.get(c) {
                Some(Cell::Enum(v)) => Some((c, *v)),
                _ => None,
            });
        if let Some((column, value)) = proposed {
            self.part.unchecked.push(Unchecked {
                row: row.line,
                key: self.key(row).to_string(),
                table: self.table,
                column,
                value,
                unreadable: None,
                name: None,
                unit: None,
            });
        }
    }
}
