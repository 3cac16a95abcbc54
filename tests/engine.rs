//! The engine's public API: lists in memory give the reports the command
//! line gives for the same files, usage errors name what is wrong, and the
//! progress hook hears of each list.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::num::NonZeroUsize;
use std::path::PathBuf;
use tdkt::cli::{CheckArgs, Exit, Spread, check, check_format::Format};
use tdkt::{Check, EngineError, ListSource, Rules};

const LINKED_RULES: &str = "tests/fixtures/rules/lien-ket";
const LINKED: &str = "tests/fixtures/lists/lien-ket";

/// `tdkt check … --format json` as the command line writes it.
fn cli_json(list: Option<&str>, tables: &[String], rules: Option<&str>, failing: bool) -> String {
    let args = CheckArgs {
        list: list.map(PathBuf::from),
        sheet: None,
        tables: tables.to_vec(),
        rules: rules.into_iter().map(PathBuf::from).collect(),
        format: Format::Json,
        set: Vec::new(),
        failing,
        output: None,
        spread: Spread::threads(1),
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let exit = check(&args, &mut out, &mut err);
    assert_ne!(exit, Exit::Error, "{}", String::from_utf8_lossy(&err));
    String::from_utf8(out).unwrap()
}

/// The file at `path` as bytes in memory, under the same name.
fn in_memory(path: &str) -> ListSource {
    ListSource::bytes(path, std::fs::read(path).unwrap())
}

/// The report as JSON, as `check` prints it.
fn json(checked: &tdkt::Checked) -> String {
    let mut out = Vec::new();
    tdkt::report::json::write_report(&mut out, &checked.report, 2).unwrap();
    out.push(b'\n');
    String::from_utf8(out).unwrap()
}

fn rules(path: Option<&str>) -> Rules {
    match path {
        Some(p) => Rules::load(&[PathBuf::from(p)], &[]),
        None => Rules::embedded(&[]),
    }
    .unwrap()
}

/// Two threads on pieces of 50 bytes, so that even small lists are cut.
fn in_pieces(check: Check<'_>) -> Check<'_> {
    check.threads(2).piece_size(NonZeroUsize::new(50))
}

#[test]
fn bytes_in_memory_give_the_report_the_command_line_gives_for_the_file() {
    for (list, rule_path) in [
        ("examples/danh-sach-mau.csv", None),
        ("tests/fixtures/lists/co-loi.csv", None),
        (
            "tests/fixtures/lists/ty-le.csv",
            Some("tests/fixtures/rules/tinh-thu.tdkt"),
        ),
    ] {
        // Without `--rules` the command line chooses the shipped regime
        // from the list's review year; so does the library, asked so.
        let rules = match rule_path {
            Some(_) => rules(rule_path),
            None => {
                let year = Rules::list_year(&in_memory(list)).unwrap();
                Rules::embedded_for_year(year, &[]).unwrap()
            }
        };
        for failing in [false, true] {
            let cli = cli_json(Some(list), &[], rule_path, failing);
            assert!(cli.contains("\"inputs\": [\n"), "{list}");
            for cut in [false, true] {
                let mut check = Check::new(&rules).failing_only(failing).threads(1);
                if cut {
                    check = in_pieces(check);
                }
                let checked = check.list(in_memory(list)).unwrap().run().unwrap();
                assert_eq!(
                    json(&checked),
                    cli,
                    "{list}, failing only: {failing}, in pieces: {cut}"
                );
                assert!(!checked.all_passed, "{list}");
                assert!(!checked.report.candidates.is_empty() || failing, "{list}");
            }
        }
    }
}

#[test]
fn linked_tables_in_memory_give_the_report_of_the_files() {
    let files = [
        ("ca_nhan", "ca-nhan.csv"),
        ("tap_the", "tap-the.csv"),
        ("lich_su", "lich-su.csv"),
    ];
    let specs: Vec<String> = files
        .iter()
        .map(|(t, f)| format!("{t}={LINKED}/{f}"))
        .collect();
    let cli = cli_json(None, &specs, Some(LINKED_RULES), false);
    let rules = rules(Some(LINKED_RULES));
    let mut check = in_pieces(Check::new(&rules));
    for (table, file) in files {
        check = check
            .table(table, in_memory(&format!("{LINKED}/{file}")))
            .unwrap();
    }
    let checked = check.run().unwrap();
    assert_eq!(checked.report.inputs.len(), 3);
    assert_eq!(json(&checked), cli);
}

#[test]
fn rules_given_as_text_check_like_the_same_file() {
    // One layer: text in memory follows no `extends`.
    let path = "tests/fixtures/rules/tap-the.tdkt";
    let text = std::fs::read_to_string(path).unwrap();
    let from_text = Rules::from_text(path, &text, &[]).unwrap();
    let list = "tests/fixtures/lists/tap-the.csv";
    let checked = Check::new(&from_text)
        .list(ListSource::path(list))
        .unwrap()
        .run()
        .unwrap();
    assert!(!checked.report.candidates.is_empty());
    assert_eq!(json(&checked), cli_json(Some(list), &[], Some(path), false));
}

/// Records what the engine tells a progress display.
#[derive(Default)]
struct Heard {
    events: Vec<String>,
}

impl tdkt::engine::Progress for &mut Heard {
    fn start(&mut self, name: &str, total: u64) {
        self.events.push(format!("start {name} {total}"));
    }

    fn update(&mut self, bytes: u64, _row: u64) {
        if self.events.last().is_none_or(|e| !e.starts_with("update")) {
            self.events.push("update".into());
        }
        assert!(bytes > 0);
    }

    fn done(&mut self) {
        self.events.push("done".into());
    }
}

#[test]
fn progress_hears_each_list_and_bytes_in_memory_are_cut_into_pieces() {
    let rules = rules(Some(LINKED_RULES));
    let ca_nhan = std::fs::read(format!("{LINKED}/ca-nhan.csv")).unwrap();
    let lich_su = std::fs::read(format!("{LINKED}/lich-su.csv")).unwrap();
    let mut heard = Heard::default();
    in_pieces(Check::new(&rules))
        .progress(&mut heard)
        .table("ca_nhan", ListSource::bytes("ca-nhan", ca_nhan.clone()))
        .unwrap()
        .table("lich_su", ListSource::bytes("lich-su", lich_su.clone()))
        .unwrap()
        .run()
        .unwrap();
    // The history is read first: the people's list counts its rows. The
    // history is cut (a small list read in one pass tells of no bytes);
    // the people's list, which has a `unique(…)`, is read in one pass.
    assert_eq!(
        heard.events,
        [
            format!("start lich-su {}", lich_su.len()),
            "update".into(),
            "done".into(),
            format!("start ca-nhan {}", ca_nhan.len()),
            "done".into(),
        ]
    );
    // On one thread nothing is cut.
    let mut heard = Heard::default();
    Check::new(&rules)
        .threads(1)
        .piece_size(NonZeroUsize::new(50))
        .progress(&mut heard)
        .table("lich_su", ListSource::bytes("lich-su", lich_su))
        .unwrap()
        .run()
        .unwrap();
    assert_eq!(heard.events, ["start lich-su 285", "done"]);
}

#[test]
fn usage_errors_say_what_is_wrong() {
    let rules = rules(Some(LINKED_RULES));
    let list = || ListSource::path(format!("{LINKED}/ca-nhan.csv"));
    let unknown = Check::new(&rules).table("ca_nhn", list()).err().unwrap();
    assert!(matches!(unknown, EngineError::UnknownTable { .. }));
    assert_eq!(
        unknown.to_string(),
        "bộ quy tắc không có bảng `ca_nhn`; các bảng: tap_the, ca_nhan, lich_su"
    );
    let twice = Check::new(&rules)
        .table("ca_nhan", list())
        .and_then(|c| c.table("ca_nhan", list()))
        .err()
        .unwrap();
    assert_eq!(twice.to_string(), "bảng `ca_nhan` được cho hai danh sách");
    let several = Check::each(&[&rules, &rules])
        .list(list())
        .unwrap()
        .run()
        .err()
        .unwrap();
    assert!(several.to_string().contains("run_each"), "{several}");
    // A missing list is named when it is given, before any other is read.
    let missing = Check::new(&rules)
        .list(list())
        .and_then(|c| c.table("lich_su", ListSource::path("khong-co.csv")))
        .err()
        .unwrap();
    assert!(matches!(missing, EngineError::Data(_)));
    assert!(
        missing
            .to_string()
            .starts_with("Không đọc được tệp «khong-co.csv»: không có tệp này"),
        "{missing}"
    );
    let bad_rules = Rules::from_text("x.tdkt", "table {", &[]).err().unwrap();
    assert!(matches!(bad_rules, EngineError::Rules(_)));
    assert!(bad_rules.to_string().contains("x.tdkt"), "{bad_rules}");
}

#[test]
fn several_rule_sets_read_the_lists_once_and_report_each() {
    let rules = rules(None);
    let list = "examples/danh-sach-mau.csv";
    let reports = Check::each(&[&rules, &rules])
        .list(in_memory(list))
        .unwrap()
        .threads(1)
        .run_each()
        .unwrap();
    assert_eq!(reports.len(), 2);
    assert_eq!(json(&reports[0]), json(&reports[1]));
    assert_eq!(reports[0].report.inputs[0].path, list);
}

#[test]
fn the_sheet_reaches_the_list() {
    let args = |extra: &[&str]| {
        let mut argv = vec!["tdkt", "check"];
        argv.extend_from_slice(extra);
        <tdkt::cli::Cli as clap::Parser>::try_parse_from(argv)
    };
    // No list, no sheet to read it from.
    assert!(args(&["--sheet", "DS", "--table", "a=b.csv"]).is_err());
    let Ok(tdkt::cli::Cli {
        command: tdkt::cli::Command::Check(parsed),
    }) = args(&["examples/danh-sach-mau.csv", "--sheet", "DS"])
    else {
        panic!("--sheet is not parsed");
    };
    assert_eq!(parsed.sheet.as_deref(), Some("DS"));
    // A sheet of a CSV file: the list is read as a workbook, and is none.
    let (mut out, mut err) = (Vec::new(), Vec::new());
    assert_eq!(check(&parsed, &mut out, &mut err), Exit::Error);
    let err = String::from_utf8(err).unwrap();
    assert!(err.contains("không phải bảng tính"), "{err}");
}
