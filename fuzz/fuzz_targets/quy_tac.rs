//! A rule file from arbitrary text: parse, resolve, lint, render the
//! diagnostics, format, and format the result again (it must not change).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tdkt::source::SourceMap;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
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
});
