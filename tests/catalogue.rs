//! A catalogue of malformed inputs (rule files, lists, arguments), each run
//! through the built binary as a user runs it: the message and exit code
//! are snapshotted. A case is a folder of `tests/catalogue/` holding `cmd`
//! (the arguments, one a line) and its input files; the command runs in
//! that folder. Workbooks and rule files not in UTF-8 are generated here
//! (other tests read every rule file under `tests/` as text).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::path::{Path, PathBuf};
mod spawned;

/// 2026-05-28 UTC: the "now" of every case (the year after next is 2027).
const NOW: &str = "1780000000";

/// Runs `tdkt ARGS` in `dir`: what a user sees, as one text.
fn run(dir: &Path, args: &[String]) -> String {
    let spawned::Outcome {
        code,
        stdout,
        stderr,
    } = spawned::tdkt(dir, args, &[("SOURCE_DATE_EPOCH", NOW), ("NO_COLOR", "1")]);
    // Every case is malformed: never a crash, and a pass (exit code 0)
    // only with a data warning.
    let warned = stdout.contains("CẢNH BÁO DỮ LIỆU");
    assert!(
        matches!(code, Some(1 | 2)) || (code == Some(0) && warned),
        "tdkt {args:?}: exit {code:?}\n{stdout}{stderr}"
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{stderr}"
    );
    format!(
        "$ tdkt {}\nmã thoát: {}\n--- stdout\n{stdout}--- stderr\n{stderr}",
        args.join(" "),
        code.unwrap_or(-1)
    )
}

#[test]
fn catalogue() {
    let mut cases = 0;
    insta::glob!("catalogue/*/cmd", |path| {
        let args: Vec<String> = std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        let dir = path.parent().unwrap();
        insta::assert_snapshot!(run(dir, &args));
        cases += 1;
    });
    assert!(cases >= 40, "{cases} cases");
}

/// A fresh folder under the target directory.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("catalogue")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The shared rule set, as an absolute path.
fn rules() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/catalogue/chung/quy-tac.tdkt")
        .display()
        .to_string()
}

/// A workbook with one sheet `sheet` holding `rows` (all text but the
/// cells that parse as whole numbers).
fn workbook(path: &Path, sheet: &str, rows: &[&[&str]]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet).unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell.parse::<f64>() {
                Ok(n) => ws.write_number(r, c, n).unwrap(),
                Err(_) => ws.write_string(r, c, *cell).unwrap(),
            };
        }
    }
    book.save(path).unwrap();
}

const HEAD: &[&str] = &[
    "Mã",
    "Họ và tên",
    "Năm xét",
    "Số tháng công tác",
    "Xếp loại",
    "Hình thức đề nghị",
];

/// A rule file's bytes, written at `path`.
fn bytes(data: &'static [u8]) -> Box<dyn Fn(&Path)> {
    Box::new(move |p| std::fs::write(p, data).unwrap())
}

/// A small rule file saved in UTF-16 (little-endian, with its mark).
fn utf16(path: &Path) {
    let text = "\u{feff}table t \"T\" key a {\n  a text \"A\"\n}\n";
    let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    std::fs::write(path, bytes).unwrap();
}

type Make = Box<dyn Fn(&Path)>;

#[test]
fn catalogue_of_generated_files() {
    let cases: Vec<(&str, &str, Make, Vec<&str>)> = vec![
        (
            "quy-tac-utf8-hong",
            "r.tdkt",
            bytes(b"table t \"T\" key a {\n  a text \"A\"\n}\n# \xff sai\n"),
            vec!["lint", "r.tdkt"],
        ),
        (
            "quy-tac-utf16",
            "r.tdkt",
            Box::new(utf16),
            vec!["lint", "r.tdkt"],
        ),
        (
            "xlsx-so-sai",
            "ds.xlsx",
            Box::new(|p| {
                workbook(
                    p,
                    "Danh sách",
                    &[
                        HEAD,
                        &[
                            "CB1",
                            "Nguyễn Văn An",
                            "2025",
                            "mười hai",
                            "Hoàn thành tốt nhiệm vụ",
                            "Lao động tiên tiến",
                        ],
                    ],
                )
            }),
            vec!["check", "--rules", "{rules}", "ds.xlsx"],
        ),
        (
            "xlsx-nam-tuong-lai",
            "ds.xlsx",
            Box::new(|p| {
                workbook(
                    p,
                    "Danh sách",
                    &[
                        HEAD,
                        &[
                            "CB1",
                            "Nguyễn Văn An",
                            "2099",
                            "12",
                            "Hoàn thành tốt nhiệm vụ",
                            "Lao động tiên tiến",
                        ],
                    ],
                )
            }),
            vec!["check", "--rules", "{rules}", "ds.xlsx"],
        ),
        (
            "xlsx-trang-khong-co",
            "ds.xlsx",
            Box::new(|p| workbook(p, "Danh sách", &[HEAD])),
            vec![
                "check", "--rules", "{rules}", "--sheet", "Trang 9", "ds.xlsx",
            ],
        ),
        (
            "xlsx-khong-trang-nao-khop",
            "ds.xlsx",
            Box::new(|p| workbook(p, "Ghi chú", &[&["Nội dung", "Người ghi"], &["x", "y"]])),
            vec!["check", "--rules", "{rules}", "ds.xlsx"],
        ),
        (
            "xlsx-hong",
            "ds.xlsx",
            bytes(b"PK\x03\x04 not really a workbook"),
            vec!["check", "--rules", "{rules}", "ds.xlsx"],
        ),
    ];
    for (name, file, make, args) in cases {
        let dir = scratch(name);
        make(&dir.join(file));
        let args: Vec<String> = args
            .iter()
            .map(|a| a.replace("{rules}", &rules()))
            .collect();
        let text = run(&dir, &args).replace(&rules(), "…/chung/quy-tac.tdkt");
        insta::assert_snapshot!(name, text);
    }
}
