//! A list from arbitrary bytes (CSV, or a workbook when the bytes are one),
//! checked with the shipped rule set and rendered as text and JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;
use tdkt::{Check, ListSource, Rules};

static RULES: LazyLock<Rules> =
    LazyLock::new(|| Rules::embedded(&[]).expect("the shipped rules load"));

fuzz_target!(|data: &[u8]| {
    let name = if tdkt::data::is_workbook_bytes(data) {
        "ds.xlsx"
    } else {
        "ds.csv"
    };
    let Ok(check) = Check::new(&RULES).list(ListSource::bytes(name, data.to_vec())) else {
        return;
    };
    if let Ok(checked) = check.threads(1).run() {
        let _ = tdkt::report::text::render(&checked.report);
        let mut json = Vec::new();
        tdkt::report::json::write_report(&mut json, &checked.report, 1).expect("JSON to memory");
    }
});
