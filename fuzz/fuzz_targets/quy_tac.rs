//! A rule file from arbitrary text: parse, resolve, lint, render the
//! diagnostics, format, and format the result again (it must not change).
#![no_main]

#[path = "../replay.rs"]
mod replay;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        replay::rule_file(text);
    }
});
