//! Data that reads well but is likely wrong: a row dated later than next
//! year, a history row repeated cell for cell. Each is a warning (the row
//! is still judged as written), not a data error.

use crate::data::{Cell, DataIssue, Row};
use crate::semantic::model::{ColIdx, TableDef};
use std::hash::{BuildHasher as _, Hasher as _};

/// The latest year a row may carry without a warning: the year after
/// `current` (lists are drawn up for the coming review at the end of a
/// year; a later year is a typing slip, such as 2099 for 2024).
pub fn latest_year(current: i32) -> i64 {
    i64::from(current) + 1
}

/// A warning when `row`'s year column `col` holds a year after `latest`.
pub fn future_year(tdef: &TableDef, col: ColIdx, latest: i64, row: &Row) -> Option<DataIssue> {
    let Some(Cell::Int(year)) = row.cells.get(col) else {
        return None;
    };
    if *year <= latest {
        return None;
    }
    let def = tdef.columns.get(col)?;
    Some(DataIssue {
        table: String::new(),
        row: row.line,
        column: def.id.clone(),
        header: def.header.clone(),
        letter: String::new(),
        value: year.to_string(),
        message: format!("năm {year} muộn hơn năm sau ({latest}): có thể gõ nhầm"),
        expected: format!("một năm đến {latest}"),
    })
}

/// A fingerprint of every cell of `row` as the file holds it (128 bits:
/// two rows with the same fingerprint are taken for equal).
pub fn fingerprint(row: &Row) -> u128 {
    let mut a = rustc_hash::FxBuildHasher.build_hasher();
    let mut b = std::hash::DefaultHasher::new();
    // Trailing blank cells are no difference (one file may pad rows).
    let filled = row
        .raw
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.is_empty())
        .last()
        .map_or(0, |(i, _)| i + 1);
    for field in row.raw.iter().take(filled) {
        for h in [&mut a as &mut dyn std::hash::Hasher, &mut b] {
            h.write_usize(field.len());
            h.write(field);
        }
    }
    (u128::from(a.finish()) << 64) | u128::from(b.finish())
}

/// The warning for history row `row`, equal cell for cell to row `first`.
pub fn duplicate_row(row: u64, first: u64) -> DataIssue {
    DataIssue {
        table: String::new(),
        row,
        column: String::new(),
        header: String::new(),
        letter: String::new(),
        value: String::new(),
        message: format!("trùng hoàn toàn với dòng {first} (mọi ô giống nhau)"),
        expected: "mỗi lần thi đua, khen thưởng ghi một dòng; xóa dòng trùng".to_string(),
    }
}
