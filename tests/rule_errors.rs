//! Every broken rule file under `tests/rules-err/` gives diagnostics with
//! file, line, a caret under the span and a hint, never a panic.

use tdkt::semantic::{self, LoadError, Origin};

#[test]
fn broken_rule_files() {
    insta::glob!("rules-err/*.tdkt", |path| {
        let rel = path
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap_or(path);
        let err = match semantic::load(&[rel.to_path_buf()], Origin::Disk, &[]) {
            Ok(_) => panic!("{} loaded without error", rel.display()),
            Err(e) => e,
        };
        assert!(matches!(err, LoadError::Rules { .. }), "{err}");
        insta::assert_snapshot!(err.to_string());
    });
}
