//! The main list back as CSV for Excel: UTF-8 with a byte-order mark (so
//! that Vietnamese reads right), the list's own delimiter when it was `;`,
//! every original cell in place plus «Kết quả», «Lý do», «Căn cứ», each cell
//! neutralised against formulas.

use super::listing::{ADDED, Listing, neutral, row_results};
use super::model::Report;

/// The CSV's bytes (the first list of the check: a CSV holds one table).
pub fn render(r: &Report, l: &Listing) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    let Some(Some(cells)) = l.lists.first() else {
        return out;
    };
    let delimiter = match r.inputs.first().map(|i| i.delimiter.as_str()) {
        Some(";") => b';',
        _ => b',',
    };
    let results = row_results(r, l, 0);
    let width = cells.original.width();
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for (k, row) in cells.original.rows.iter().enumerate() {
        let n = k as u64 + 1;
        let mut record: Vec<String> = row.iter().map(|c| neutral(c).into_owned()).collect();
        let added = if n == cells.header_row {
            Some(ADDED.map(String::from))
        } else {
            results
                .get(&n)
                .map(|res| [res.result.clone(), res.reasons.clone(), res.cites.clone()])
        };
        if let Some(added) = added {
            record.resize(width, String::new());
            record.extend(added.iter().map(|t| neutral(t).into_owned()));
        }
        // Writing to memory cannot fail.
        let _ = w.write_record(&record);
    }
    out.extend(w.into_inner().unwrap_or_default());
    out
}
