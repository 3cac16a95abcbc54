//! `tdkt fmt`: the canonical layout of a messy file, idempotence and
//! meaning kept on every rule file in the repository, comments kept, and
//! the command's exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use tdkt::cli::discover::rule_files;
use tdkt::cli::{Exit, FmtArgs, fmt};
use tdkt::source::FileId;
use tdkt::syntax::{format::format, parse};
use unicode_normalization::{UnicodeNormalization, is_nfc};

const MESSY: &str = "tests/fmt/messy.tdkt";
const FORMATTED: &str = "tests/fmt/formatted.tdkt";

fn nfc(text: &str) -> String {
    text.nfc().collect()
}

/// The AST of `text` as a Debug dump without spans (`@file:start..end`).
fn shape(text: &str) -> Option<String> {
    let ast = parse(FileId(0), &nfc(text)).ok()?;
    let dump = format!("{ast:#?}");
    let mut out = String::with_capacity(dump.len());
    let mut rest = dump.as_str();
    while let Some(at) = rest.find('@') {
        out.push_str(&rest[..at]);
        rest =
            rest[at + 1..].trim_start_matches(|c: char| c.is_ascii_digit() || c == ':' || c == '.');
    }
    out.push_str(rest);
    Some(out)
}

/// Comment texts, found independently of the formatter: `#` outside a
/// string up to the end of the line, trailing blanks left out.
fn comments(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.split(['\n', '\r']) {
        let mut in_string = false;
        let mut escaped = false;
        for (i, c) in line.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                '#' if !in_string => {
                    out.push(line[i..].trim_end().to_string());
                    break;
                }
                _ => {}
            }
        }
    }
    out.sort();
    out
}

fn first_diff(a: &str, b: &str) -> String {
    let line = a
        .lines()
        .zip(b.lines())
        .position(|(x, y)| x != y)
        .unwrap_or_else(|| a.lines().count().min(b.lines().count()));
    format!(
        "line {}:\n  {:?}\n  {:?}",
        line + 1,
        a.lines().nth(line),
        b.lines().nth(line)
    )
}

/// Every rule file of the repository that parses, found at run time.
fn parsing_rule_files() -> Vec<(PathBuf, String)> {
    let files = rule_files(&[PathBuf::from("rules"), PathBuf::from("tests")]).unwrap();
    let mut out = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        if parse(FileId(0), &nfc(&text)).is_err() {
            // Broken on purpose (tests/rules-err); shipped rules never are.
            assert!(
                path.starts_with("tests"),
                "{} does not parse",
                path.display()
            );
            continue;
        }
        out.push((path, text));
    }
    assert!(out.len() >= 10, "too few rule files found: {}", out.len());
    out
}

#[test]
fn formatting_is_idempotent_and_keeps_meaning_and_comments() {
    for (path, text) in parsing_rule_files() {
        let shown = path.display();
        let once = format(&text).unwrap_or_else(|d| panic!("{shown}: {d:?}"));
        let twice = format(&once).unwrap_or_else(|d| panic!("{shown}, formatted: {d:?}"));
        assert!(
            once == twice,
            "{shown}: not idempotent, {}",
            first_diff(&once, &twice)
        );
        assert!(
            shape(&text) == shape(&once),
            "{shown}: the formatted file means something else"
        );
        assert_eq!(
            comments(&nfc(&text)),
            comments(&once),
            "{shown}: comments lost or duplicated"
        );
    }
}

#[test]
fn output_is_nfc_lf_without_trailing_blanks_or_stray_blank_lines() {
    for (path, text) in parsing_rule_files() {
        let shown = path.display();
        let out = format(&text).unwrap();
        assert!(is_nfc(&out), "{shown}: not NFC");
        assert!(!out.contains('\r'), "{shown}: CR left");
        assert!(
            out.is_empty() || (out.ends_with('\n') && !out.ends_with("\n\n")),
            "{shown}: end of file"
        );
        assert!(!out.starts_with('\n'), "{shown}: blank first line");
        let lines: Vec<&str> = out.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            assert_eq!(*line, line.trim_end(), "{shown}:{}: trailing blanks", i + 1);
            assert!(!line.starts_with('\t'), "{shown}:{}: tab indent", i + 1);
            let indent = line.len() - line.trim_start().len();
            assert_eq!(indent % 2, 0, "{shown}:{}: odd indent", i + 1);
            if line.is_empty() {
                let before = lines[i - 1];
                let after = lines[i + 1];
                assert!(!after.is_empty(), "{shown}:{}: two blank lines", i + 1);
                assert!(!before.ends_with('{'), "{shown}:{}: blank after {{", i + 1);
                assert!(after.trim() != "}", "{shown}:{}: blank before }}", i + 1);
            }
        }
    }
}

#[test]
fn messy_file() {
    let text = std::fs::read_to_string(MESSY).unwrap();
    // The fixture must stay messy: a CRLF line and an NFD string.
    assert!(text.contains("\r\n"));
    assert!(!is_nfc(&text));
    insta::assert_snapshot!("messy", format(&text).unwrap());
}

#[test]
fn a_formatted_file_is_left_as_it_is() {
    let text = std::fs::read_to_string(FORMATTED).unwrap();
    let out = format(&text).unwrap();
    assert!(out == text, "{}", first_diff(&text, &out));
}

// ---------------------------------------------------------------- CLI

fn run(check: bool, paths: &[&Path]) -> (Exit, String, String) {
    let args = FmtArgs {
        check,
        paths: paths.iter().map(|p| p.to_path_buf()).collect(),
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let exit = fmt(&args, &mut out, &mut err);
    (
        exit,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

/// A fresh, empty directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("fmt")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn check_passes_on_a_formatted_file() {
    let (exit, out, err) = run(true, &[Path::new(FORMATTED)]);
    assert_eq!((exit, out.as_str(), err.as_str()), (Exit::Pass, "", ""));
}

#[test]
fn check_lists_a_messy_file_and_writes_nothing() {
    let before = std::fs::read(MESSY).unwrap();
    let (exit, out, err) = run(true, &[Path::new("tests/fmt")]);
    assert_eq!(exit, Exit::Fail);
    assert_eq!(out, "tests/fmt/messy.tdkt: khác từ dòng 1\n");
    assert!(err.contains("1 tệp cần trình bày lại"), "{err}");
    assert_eq!(std::fs::read(MESSY).unwrap(), before);
}

#[test]
fn fmt_rewrites_a_messy_copy_once() {
    let dir = scratch("rewrite");
    let file = dir.join("messy.tdkt");
    let text = std::fs::read_to_string(MESSY).unwrap();
    std::fs::write(&file, &text).unwrap();
    let (exit, out, err) = run(false, &[&dir]);
    assert_eq!((exit, err.as_str()), (Exit::Pass, ""));
    assert_eq!(out, format!("đã trình bày lại: {}\n", file.display()));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        format(&text).unwrap()
    );
    // Nothing left behind but the file itself.
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["messy.tdkt"]);

    let (exit, out, _) = run(false, &[&dir]);
    assert_eq!((exit, out.as_str()), (Exit::Pass, ""));
    let (exit, out, _) = run(true, &[&file]);
    assert_eq!((exit, out.as_str()), (Exit::Pass, ""));
}

#[test]
fn a_file_with_a_syntax_error_is_reported_and_left_untouched() {
    let dir = scratch("syntax-error");
    let bad = dir.join("hong.tdkt");
    let good = dir.join("tot.tdkt");
    let broken = "source luat = \"Luật\"\r\naward A \"chưa đóng chuỗi {\n}\n".as_bytes();
    std::fs::write(&bad, broken).unwrap();
    std::fs::write(&good, "source   luat = \"Luật\"\n").unwrap();
    let (exit, out, err) = run(false, &[&dir]);
    assert_eq!(exit, Exit::Error);
    assert_eq!(std::fs::read(&bad).unwrap(), broken);
    assert!(err.contains("hong.tdkt:2:9"), "{err}");
    assert!(err.contains("E-syntax"), "{err}");
    assert!(err.contains("có lỗi cú pháp"), "{err}");
    // The other file is still formatted.
    assert_eq!(out, format!("đã trình bày lại: {}\n", good.display()));
    assert_eq!(
        std::fs::read_to_string(&good).unwrap(),
        "source luat = \"Luật\"\n"
    );
}

#[test]
fn a_file_that_is_not_utf8_is_an_error() {
    let dir = scratch("not-utf8");
    let file = dir.join("latin1.tdkt");
    std::fs::write(&file, b"source a = \"Lu\xe2t\"\n").unwrap();
    let (exit, out, err) = run(true, &[&file]);
    assert_eq!((exit, out.as_str()), (Exit::Error, ""));
    assert!(err.contains("không phải văn bản UTF-8"), "{err}");
}

#[test]
fn a_missing_path_is_an_error() {
    let (exit, _, err) = run(true, &[Path::new("khong-co.tdkt")]);
    assert_eq!(exit, Exit::Error);
    assert!(err.contains("không tìm thấy"), "{err}");
}

#[test]
fn dash_formats_stdin_to_stdout() {
    let text = std::fs::read(MESSY).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tdkt"))
        .args(["fmt", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let expected = format(std::str::from_utf8(&text).unwrap()).unwrap();
    assert_eq!(String::from_utf8(output.stdout).unwrap(), expected);
}
