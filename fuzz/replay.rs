//! What each fuzz target does with one input, shared by the targets and by
//! `tests/fuzz_regressions.rs`, which replays every input they stopped on.

use tdkt::source::SourceMap;
use tdkt::{Check, ListSource, Rules};

/// A rule file: parse, resolve, lint, render the diagnostics, format, and
/// format the result again (it must not change).
pub fn rule_file(text: &str) {
    match tdkt::semantic::load_text("quy-tac.tdkt", text, &[]) {
        Ok(rules) => {
            let _ = tdkt::lint::lint(&rules);
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
    match tdkt::syntax::format::format(text) {
        Ok(once) => {
            let twice = tdkt::syntax::format::format(&once)
                .unwrap_or_else(|_| panic!("the formatted text does not parse:\n{once}"));
            assert_eq!(once, twice, "formatting twice changed the text");
        }
        Err(diags) => {
            let mut sources = SourceMap::default();
            sources.add("quy-tac.tdkt", text);
            let _ = tdkt::diagnostic::render_all(&diags, &sources);
        }
    }
}

/// A list (CSV, or a workbook when the bytes are one) and optionally a
/// history, checked and rendered as text and JSON.
pub fn check(rules: &Rules, list: &[u8], history: Option<&[u8]>, threads: usize) {
    let name = if tdkt::data::is_workbook_bytes(list) {
        "ds.xlsx"
    } else {
        "ds.csv"
    };
    let Ok(mut check) = Check::new(rules).list(ListSource::bytes(name, list.to_vec())) else {
        return;
    };
    if let Some(h) = history {
        let Ok(c) = check.table("lich_su", ListSource::bytes("ls.csv", h.to_vec())) else {
            return;
        };
        check = c;
    }
    let piece = std::num::NonZeroUsize::new(64);
    if let Ok(checked) = check.threads(threads).piece_size(piece).run() {
        let _ = tdkt::report::text::render(&checked.report);
        let mut json = Vec::new();
        tdkt::report::json::write_report(&mut json, &checked.report, threads)
            .expect("JSON to memory");
    }
}

/// The small rule set of the `kiem_tra` target, with a linked history.
pub fn small_rules() -> Rules {
    Rules::from_text("kiem-tra.tdkt", include_str!("kiem-tra.tdkt"), &[]).expect("the rules load")
}

/// The `kiem_tra` target's input: the list and the history, split at the
/// first 0xFF byte.
pub fn split(data: &[u8]) -> (&[u8], Option<&[u8]>) {
    match data.iter().position(|&b| b == 0xff) {
        Some(at) => (&data[..at], Some(&data[at + 1..])),
        None => (data, None),
    }
}
