//! A list from arbitrary bytes (CSV, or a workbook when the bytes are one),
//! checked with the shipped rule set and rendered as text and JSON.
#![no_main]

#[path = "../replay.rs"]
mod replay;

use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;
use tdkt::Rules;

static RULES: LazyLock<Rules> =
    LazyLock::new(|| Rules::embedded(&[]).expect("the shipped rules load"));

fuzz_target!(|data: &[u8]| {
    replay::check(&RULES, data, None, 1);
});
