//! `tdkt template`: the empty list of a rule set, filled in and checked,
//! reads with no header or value error.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod common;

use calamine::{Reader, Xlsx, open_workbook};
use common::{args, run};
use std::io::Read;
use std::path::{Path, PathBuf};
use tdkt::Rules;
use tdkt::cli::Exit;
use tdkt::cli::check_format::Format;
use tdkt::cli::template::{TemplateArgs, TemplateFormat, template};
use tdkt::semantic::model::{ColumnDef, Plan, Type};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tdkt-template-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn make(output: &Path, format: TemplateFormat, table: Option<&str>) {
    let a = TemplateArgs {
        rules: Vec::new(),
        table: table.map(String::from),
        format,
        output: output.to_path_buf(),
    };
    let mut err = Vec::new();
    assert_eq!(
        template(&a, &mut err),
        Exit::Pass,
        "{}",
        String::from_utf8_lossy(&err)
    );
}

/// A value a council would write in column `c`, as text.
fn filled(plan: &Plan, c: &ColumnDef) -> String {
    if c.link.is_some() {
        return String::new();
    }
    match c.ty {
        Type::Text => match c.id.as_str() {
            "ma_can_bo" => "CB001".into(),
            _ => "Nguyễn Thị Ánh".into(),
        },
        Type::Int => match c.range {
            Some((_, hi)) => hi.to_string(),
            None => "2025".into(),
        },
        Type::Decimal => "90".into(),
        Type::Percent => "10%".into(),
        Type::Bool => "Không".into(),
        Type::Date => "01/12/2025".into(),
        Type::Enum(e) => plan.enums[e].values.last().unwrap().label.clone(),
        Type::Rounding => String::new(),
    }
}

/// The JSON report of checking `list`.
fn checked(list: &Path) -> serde_json::Value {
    let (out, err, exit) = run(&args(list.to_str(), Vec::new(), &[], Format::Json));
    assert_ne!(exit, Exit::Error, "{err}");
    serde_json::from_str(&out).unwrap()
}

fn assert_clean(report: &serde_json::Value) {
    assert_eq!(report["data_errors"], serde_json::json!([]), "{report:#}");
    let input = &report["inputs"][0];
    assert_eq!(input["ignored_headers"], serde_json::json!([]));
    assert!(input.get("absent_columns").is_none(), "{input:#}");
    assert_eq!(report["summary"]["candidates"], 1);
}

#[test]
fn a_filled_in_workbook_template_reads_without_errors() {
    let dir = scratch("xlsx");
    let mau = dir.join("mau.xlsx");
    make(&mau, TemplateFormat::Xlsx, None);
    let rules = Rules::embedded(&[]).unwrap();
    let plan = &rules.rule_set().plan;
    let mut book: Xlsx<_> = open_workbook(&mau).unwrap();
    let names = book.sheet_names();
    assert_eq!(names.len(), plan.tables.len() + 1);
    assert_eq!(names[0], "Danh sách cá nhân đề nghị");
    let sheet = book.worksheet_range(&names[0]).unwrap();
    let headers: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|d| d.to_string())
        .collect();
    let table = &plan.tables[0];
    assert_eq!(
        headers,
        table
            .columns
            .iter()
            .map(|c| c.header.clone())
            .collect::<Vec<_>>()
    );

    // A note on every header; drop-downs for enums and Có/Không.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&mau).unwrap()).unwrap();
    let mut notes = String::new();
    zip.by_name("xl/comments1.xml")
        .unwrap()
        .read_to_string(&mut notes)
        .unwrap();
    assert_eq!(notes.matches("<comment ").count(), table.columns.len());
    assert!(notes.contains(
        "Xếp loại chất lượng: một trong: Không hoàn thành nhiệm vụ; Hoàn thành nhiệm vụ"
    ));
    assert!(
        notes.split("Dùng để xét: ").skip(1).any(|readers| readers
            .split('.')
            .next()
            .unwrap_or("")
            .contains("Lao động tiên tiến")),
        "{notes}"
    );
    assert!(notes.contains("Từ 0 đến 12."));
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains("type=\"list\""));
    assert!(xml.contains("type=\"whole\""));

    // Filled in as a council would, and checked.
    let mut out = rust_xlsxwriter::Workbook::new();
    let ws = out.add_worksheet();
    ws.set_name(&names[0]).unwrap();
    for (c, col) in table.columns.iter().enumerate() {
        ws.write_string(0, c as u16, &headers[c]).unwrap();
        let v = filled(plan, col);
        if !v.is_empty() {
            ws.write_string(1, c as u16, &v).unwrap();
        }
    }
    let list = dir.join("ds.xlsx");
    out.save(&list).unwrap();
    assert_clean(&checked(&list));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_filled_in_csv_template_reads_without_errors() {
    let dir = scratch("csv");
    let mau = dir.join("mau.csv");
    make(&mau, TemplateFormat::Csv, Some("ca_nhan"));
    let bytes = std::fs::read(&mau).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let rules = Rules::embedded(&[]).unwrap();
    let plan = &rules.rule_set().plan;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(plan.tables[0].columns.iter().map(|c| filled(plan, c)))
        .unwrap();
    let mut text = bytes.clone();
    text.extend(w.into_inner().unwrap());
    let list = dir.join("ds.csv");
    std::fs::write(&list, text).unwrap();
    assert_clean(&checked(&list));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_table_the_rules_lack_is_named_with_the_tables_they_have() {
    let dir = scratch("bad");
    let a = TemplateArgs {
        rules: Vec::new(),
        table: Some("xyz".into()),
        format: TemplateFormat::Xlsx,
        output: dir.join("mau.xlsx"),
    };
    let mut err = Vec::new();
    assert_eq!(template(&a, &mut err), Exit::Error);
    let err = String::from_utf8(err).unwrap();
    assert!(err.contains("các bảng: ca_nhan"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
