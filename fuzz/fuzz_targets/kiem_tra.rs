//! A whole check of a small rule set with a linked history table: the
//! bytes hold the list and the history, split at the first 0xFF byte;
//! read in 64-byte pieces on two threads.
#![no_main]

#[path = "../replay.rs"]
mod replay;

use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;
use tdkt::Rules;

static RULES: LazyLock<Rules> = LazyLock::new(replay::small_rules);

fuzz_target!(|data: &[u8]| {
    let (list, history) = replay::split(data);
    replay::check(&RULES, list, history, 2);
});
