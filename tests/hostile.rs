//! Inputs that once crashed or hung tdkt. Each runs the real binary in a
//! child process, so a stack overflow or a hang fails the test instead of
//! taking the test runner down; every one must end with a named error.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod spawned;

use spawned::Outcome;
use std::path::{Path, PathBuf};

/// Runs `tdkt ARGS` in `dir`, killing it after a minute.
fn tdkt(dir: &Path, args: &[&str]) -> Outcome {
    spawned::tdkt(dir, args, &[])
}

/// A fresh directory under the target directory holding `files`.
fn scratch(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("hostile")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (file, text) in files {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

const TABLE: &str = "table t \"T\" key a {\n  a text \"A\"\n  b bool \"B\"\n}\n";

fn criterion(expr: &str) -> String {
    format!("{TABLE}award A \"x\" for t where b {{\n  require r: {expr} \"m\"\n}}\n")
}

/// An error, exit code 2, named by its code, no panic.
fn assert_named_error(o: &Outcome, code: &str) {
    let all = format!("{}{}", o.stdout, o.stderr);
    assert_eq!(o.code, Some(2), "{all}");
    assert!(all.contains(code), "{all}");
    assert!(!all.contains("panicked"), "{all}");
}

#[test]
fn an_error_past_column_65535_is_drawn() {
    let long = format!("{TABLE}source s = \"{}\" junk\n", "a".repeat(70_000));
    let dir = scratch("long-line", &[("dai.tdkt", &long)]);
    for args in [
        &["lint", "dai.tdkt"][..],
        &["fmt", "--check", "dai.tdkt"],
        &["check", "--rules", "dai.tdkt", "ds.csv"],
    ] {
        let o = tdkt(&dir, args);
        assert_named_error(&o, "E-syntax");
        let all = format!("{}{}", o.stdout, o.stderr);
        // The column counts characters; the line is cut around the caret.
        assert!(all.contains("dai.tdkt:5:70015"), "{all}");
        assert!(all.contains("…aaa"), "{all}");
        assert!(all.lines().all(|l| l.chars().count() < 400), "{all}");
    }
}

#[test]
fn a_rule_set_without_a_table_is_an_error() {
    for (name, text) in [
        ("chi-danh-hieu", "award A \"x\" for t where a = B {\n}\n"),
        ("khong-bang", "award A \"x\" { require a \"m\" }\n"),
        (
            "ty-le",
            "rate R \"x\" per d { count(proposed A) <= 5% of count(proposed A) }\n",
        ),
    ] {
        let dir = scratch(name, &[("r.tdkt", text)]);
        let o = tdkt(&dir, &["lint", "r.tdkt"]);
        assert_eq!(o.code, Some(2), "{}{}", o.stdout, o.stderr);
        assert!(!o.stderr.contains("panicked"), "{}", o.stderr);
    }
}

#[test]
fn an_emptied_rule_file_of_a_regime_is_an_error() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = scratch("emptied", &[]);
    for regime in ["luat-2022", "nd-91-2017"] {
        let to = dir.join("rules").join(regime);
        std::fs::create_dir_all(&to).unwrap();
        for entry in std::fs::read_dir(root.join("rules").join(regime)).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(dir.join("rules/nd-91-2017/ca-nhan.tdkt"), "").unwrap();
    let list = root.join("examples/danh-sach-mau.csv");
    let o = tdkt(
        &dir,
        &[
            "check",
            "--rules",
            "rules/nd-91-2017",
            list.to_str().unwrap(),
        ],
    );
    assert_eq!(o.code, Some(2), "{}{}", o.stdout, o.stderr);
    assert!(!o.stderr.contains("panicked"), "{}", o.stderr);
    assert!(o.stderr.contains("rules/nd-91-2017/"), "{}", o.stderr);
}

#[test]
fn deep_nesting_is_a_named_error_not_a_stack_overflow() {
    let cases = [
        ("not-3000", criterion(&format!("{}b", "not ".repeat(3000)))),
        (
            "ngoac-1500",
            criterion(&format!("{}b{}", "(".repeat(1500), ")".repeat(1500))),
        ),
        (
            "ngoac-20000",
            criterion(&format!("{}b{}", "(".repeat(20_000), ")".repeat(20_000))),
        ),
        (
            "and-20000",
            criterion(&format!("b{}", " and b".repeat(20_000))),
        ),
        (
            "implies-5000",
            criterion(&format!("b{}", " implies b".repeat(5_000))),
        ),
        (
            "is-none-5000",
            criterion(&format!("b{}", " is none".repeat(5_000))),
        ),
    ];
    for (name, text) in &cases {
        let dir = scratch(name, &[("sau.tdkt", text)]);
        for args in [
            &["lint", "sau.tdkt"][..],
            &["fmt", "--check", "sau.tdkt"],
            &["test", "sau.tdkt"],
        ] {
            let o = tdkt(&dir, args);
            let all = format!("{}{}", o.stdout, o.stderr);
            assert!(
                o.code == Some(2) || o.code == Some(1),
                "{name} {args:?}: {all}"
            );
            assert!(all.contains("E-too-deep"), "{name} {args:?}: {all}");
            assert!(all.contains("quá 100 mức"), "{name} {args:?}: {all}");
        }
    }
}

#[test]
fn nesting_up_to_the_limit_still_checks() {
    let text = criterion(&format!("{}b{}", "(".repeat(90), ")".repeat(90)));
    let dir = scratch(
        "sau-vua",
        &[("sau.tdkt", &text), ("ds.csv", "A,B\n1,true\n")],
    );
    let o = tdkt(&dir, &["check", "--rules", "sau.tdkt", "ds.csv"]);
    assert_eq!(o.code, Some(0), "{}{}", o.stdout, o.stderr);
}

#[test]
fn test_with_a_lao_message_finishes() {
    // A library warns on stderr from a worker thread when it wraps Lao text.
    let text = format!(
        "{TABLE}award A \"ສະບາຍດີ\" for t where b {{\n  require r: ສະບາຍດີ \"ສະບາຍດີ ທົດສອບ ການທົດສອບ\"\n}}\n\
         example \"x\" {{\n  t {{ a: \"1\", b: true }}\n  expect \"1\" pass\n}}\n"
    );
    let dir = scratch("lao", &[("lao.tdkt", &text)]);
    let o = tdkt(&dir, &["test", "lao.tdkt"]);
    assert_named_error(&o, "E-unknown-name");
}

#[test]
fn control_characters_in_a_rule_file_are_drawn_visibly() {
    let text = criterion("b and \u{1b}[31mkhong_co\u{202e}");
    let dir = scratch("dieu-khien", &[("r.tdkt", &text)]);
    let o = tdkt(&dir, &["lint", "r.tdkt"]);
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    let all = format!("{}{}", o.stdout, o.stderr);
    assert!(
        !all.contains('\u{1b}') && !all.contains('\u{202e}'),
        "{all:?}"
    );
    assert!(all.contains("␛[31m"), "{all}");
}

#[test]
fn a_rule_file_not_in_utf8_says_where_or_why() {
    let dir = scratch("ma-hoa", &[]);
    std::fs::write(
        dir.join("sai.tdkt"),
        b"table t \"T\" { a int \"A\" }\n# \xff bad\n",
    )
    .unwrap();
    std::fs::write(dir.join("u16.tdkt"), b"\xff\xfet\x00a\x00").unwrap();
    let o = tdkt(&dir, &["lint", "sai.tdkt", "u16.tdkt"]);
    let all = format!("{}{}", o.stdout, o.stderr);
    assert_eq!(o.code, Some(2), "{all}");
    assert!(
        all.contains("byte 0xFF không hợp lệ ở dòng 2, cột 3"),
        "{all}"
    );
    assert!(all.contains("lưu dạng UTF-16"), "{all}");
}

#[test]
fn a_missing_list_is_named_in_vietnamese() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let list = root.join("examples/danh-sach-mau.csv");
    let dir = scratch("thieu-tep", &[]);
    let o = tdkt(
        &dir,
        &[
            "check",
            list.to_str().unwrap(),
            "--table",
            "tap_the=khong-co.csv",
        ],
    );
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(
        o.stderr
            .contains("Không đọc được tệp «khong-co.csv»: không có tệp này"),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("os error"), "{}", o.stderr);
}

#[test]
fn a_parameter_set_out_of_its_range_is_refused_with_the_range() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let list = root.join("examples/danh-sach-mau.csv");
    let dir = scratch("tham-so", &[]);
    for value in ["-5%", "150%", "99999999999999999999999%"] {
        let set = format!("ty_le_ldtt_ttldtt={value}");
        let o = tdkt(&dir, &["check", list.to_str().unwrap(), "--set", &set]);
        assert_eq!(o.code, Some(2), "{value}: {}", o.stderr);
        assert!(
            o.stderr
                .contains("ngoài khoảng cho phép, cần từ 0% đến 100%"),
            "{value}: {}",
            o.stderr
        );
    }
}

#[test]
fn a_shipped_regime_is_extended_by_name_from_any_folder() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let list = root.join("examples/danh-sach-mau.csv");
    let overlay = "extends \"luat-2022\"\n\nsource qd = \"Quyết định của tỉnh\"\n\n\
                   param thang_cong_tac_toi_thieu: int = 8 cite qd \"Điều 1\"\n";
    let dir = scratch("mo-rong", &[("tinh.tdkt", overlay)]);
    let o = tdkt(&dir, &["lint", "--deny", "warnings", "tinh.tdkt"]);
    assert_eq!(o.code, Some(0), "{}{}", o.stdout, o.stderr);
    let o = tdkt(
        &dir,
        &["check", "--rules", "tinh.tdkt", list.to_str().unwrap()],
    );
    assert_ne!(o.code, Some(2), "{}{}", o.stdout, o.stderr);
    assert!(
        o.stdout.contains("Luật Thi đua, khen thưởng"),
        "{}",
        o.stdout
    );
}
