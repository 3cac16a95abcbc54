//! «Số tháng công tác trong năm» worked out from «Ngày tuyển dụng» under
//! the shipped 2022 rules: from the date when the row has it, from the
//! written cell when not, a data warning when both are given and differ, and
//! unknown (never a pass) when neither is.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod common;

use serde_json::Value;
use tdkt::cli::check_format::Format as ReportFormat;

const DIR: &str = "tests/fixtures/lists/ngay-tuyen-dung";

/// The JSON report of a list, with the minimum months of service raised
/// to 13 so that every reason on it is a fail or unknown and says the
/// months it counted (a passing reason shows no value).
fn check(list: &str) -> Value {
    let path = format!("{DIR}/{list}");
    let mut args = common::args(Some(&path), Vec::new(), &[], ReportFormat::Json);
    args.set = vec!["thang_cong_tac_toi_thieu=13".to_string()];
    let (out, err, _) = common::run(&args);
    assert_eq!(err, "");
    serde_json::from_str(&out).unwrap()
}

/// The candidate's verdict on the LĐTT length-of-service criterion, and
/// what the reason says of it.
fn service(v: &Value, key: &str) -> (String, String) {
    let c = v["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == key)
        .unwrap_or_else(|| panic!("no candidate {key}"));
    let r = c["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["clause"] == "LDTT.thoi_gian")
        .unwrap_or_else(|| panic!("{key}: no LDTT.thoi_gian in {c}"));
    (
        r["verdict"].as_str().unwrap().to_string(),
        r["observed"].as_str().unwrap_or_default().to_string(),
    )
}

fn absent(v: &Value) -> Vec<String> {
    v["inputs"][0]["absent_columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_list_with_dates_only_is_read_from_the_dates() {
    let v = check("ca-nhan-chi-ngay.csv");
    // 01/07/2025: six whole months to 31/12; 02/07/2025: five and 30 days.
    let (verdict, said) = service(&v, "N1");
    assert_eq!(verdict, "fail", "{said}");
    assert!(
        said.contains("số tháng từ Ngày tuyển dụng 01/07/2025 đến hết năm 2025 = 6"),
        "{said}"
    );
    let (verdict, said) = service(&v, "N2");
    assert_eq!(verdict, "fail", "{said}");
    assert!(said.contains("= 5 (tháng chưa trọn không tính)"), "{said}");
    // Recruited before the review year: a whole year.
    let (verdict, said) = service(&v, "N3");
    assert_eq!(verdict, "fail", "{said}");
    assert!(said.contains("đến hết năm 2025 = 12"), "{said}");
    // No date, no written months: unknown, and the reason says both.
    let (verdict, said) = service(&v, "N4");
    assert_eq!(verdict, "unknown", "{said}");
    assert!(
        said.contains("Số tháng công tác trong năm: ô trống, và Ngày tuyển dụng"),
        "{said}"
    );
    // The written column is not missing when the dates stand for it.
    assert!(!absent(&v).contains(&"so_thang_cong_tac".to_string()));
    assert_eq!(
        v["data_errors"].as_array().unwrap().len(),
        0,
        "{}",
        v["data_errors"]
    );
}

#[test]
fn a_written_count_that_disagrees_with_the_date_is_a_data_warning() {
    let v = check("ca-nhan-hai-cot.csv");
    // A1: date, blank count → from the date (9 whole months from 15/03).
    let (verdict, said) = service(&v, "A1");
    assert_eq!(verdict, "fail", "{said}");
    assert!(said.contains("15/03/2025 đến hết năm 2025 = 9"), "{said}");
    // A3 writes 12 but was recruited 15/08/2025: the date decides.
    let (verdict, said) = service(&v, "A3");
    assert_eq!(verdict, "fail", "{said}");
    let warnings = v["data_warnings"].as_array().unwrap();
    let a3 = warnings
        .iter()
        .find(|e| e["row"] == 4 && e["column"] == "so_thang_cong_tac")
        .unwrap_or_else(|| panic!("no data warning on row 4: {warnings:?}"));
    let message = a3["message"].as_str().unwrap();
    assert!(
        message.starts_with("cột ghi 12, nhưng số tháng từ Ngày tuyển dụng 15/08/2025"),
        "{message}"
    );
    // A5: no date → the written 8 months.
    let (verdict, said) = service(&v, "A5");
    assert_eq!(verdict, "fail", "{said}");
    assert!(said.contains("Số tháng công tác trong năm = 8"), "{said}");
    // A6: an impossible date is a data error and leaves the criterion
    // unknown, whatever the written cell says.
    let errors = v["data_errors"].as_array().unwrap();
    let (verdict, _) = service(&v, "A6");
    assert_eq!(verdict, "unknown");
    assert!(
        errors
            .iter()
            .any(|e| e["row"] == 7 && e["column"] == "ngay_tuyen_dung")
    );
    // A blank count beside a date is no gap to report.
    assert!(!errors.iter().any(|e| e["row"] == 2), "{errors:?}");
    assert!(!warnings.iter().any(|e| e["row"] == 2), "{warnings:?}");
}

#[test]
fn a_list_with_neither_column_is_unknown_and_says_which_column_is_missing() {
    let v = check("ca-nhan-khong-cot.csv");
    let (verdict, said) = service(&v, "K1");
    assert_eq!(verdict, "unknown", "{said}");
    let missing = absent(&v);
    assert!(
        missing.contains(&"so_thang_cong_tac".to_string()),
        "{missing:?}"
    );
    assert!(
        !missing.contains(&"ngay_tuyen_dung".to_string()),
        "{missing:?}"
    );
}

fn refused(r: Result<tdkt::engine::Rules, tdkt::engine::EngineError>) -> tdkt::engine::EngineError {
    match r {
        Ok(_) => panic!("the rule set should be refused"),
        Err(e) => e,
    }
}

#[test]
fn months_from_needs_a_date_column_of_the_same_table() {
    let base = "rules \"t\"\ntable ca_nhan \"Danh sách\" key ma year nam {\n  ma text \"Mã\"\n  nam int? \"Năm\"\n  xep_loai text \"Xếp loại\"\n  ngay date? \"Ngày tuyển dụng\"\n  thang int in 0..12 \"Số tháng\" = months_from(COL)\n}\n";
    let not_date = tdkt::engine::Rules::from_text("t.tdkt", &base.replace("COL", "xep_loai"), &[]);
    let e = format!("{}", refused(not_date));
    assert!(e.contains("`months_from` cần một cột ngày"), "{e}");
    let unknown = tdkt::engine::Rules::from_text("t.tdkt", &base.replace("COL", "ngay_vao"), &[]);
    let e = format!("{}", refused(unknown));
    assert!(e.contains("không có cột `ngay_vao`"), "{e}");
    assert!(tdkt::engine::Rules::from_text("t.tdkt", &base.replace("COL", "ngay"), &[]).is_ok());
}

/// A workbook whose recruitment dates are Excel dates (numbers shown as
/// dd/mm/yyyy), as a council's sheet holds them.
#[test]
fn excel_dates_count_like_written_ones() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = std::env::temp_dir().join(format!("tdkt-months-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ca-nhan.xlsx");
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    let headers = [
        "Mã cán bộ",
        "Họ và tên",
        "Đơn vị",
        "Giữ chức vụ lãnh đạo, quản lý",
        "Năm xét",
        "Xếp loại chất lượng",
        "Ngày tuyển dụng",
        "Hình thức đề nghị",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let shown = Format::new().set_num_format("dd/mm/yyyy");
    for (r, (key, date)) in [("X1", "2025-07-01"), ("X2", "2025-07-02")]
        .iter()
        .enumerate()
    {
        let row = r as u32 + 1;
        for (c, v) in [*key, "Người thử", "P", "Không"].iter().enumerate() {
            sheet.write_string(row, c as u16, *v).unwrap();
        }
        sheet.write_number(row, 4, 2025).unwrap();
        sheet
            .write_string(row, 5, "Hoàn thành tốt nhiệm vụ")
            .unwrap();
        let d = ExcelDateTime::parse_from_str(date).unwrap();
        sheet
            .write_datetime_with_format(row, 6, &d, &shown)
            .unwrap();
        sheet.write_string(row, 7, "Lao động tiên tiến").unwrap();
    }
    wb.save(&path).unwrap();
    let mut args = common::args(path.to_str(), Vec::new(), &[], ReportFormat::Json);
    args.set = vec!["thang_cong_tac_toi_thieu=6".to_string()];
    let (out, err, _) = common::run(&args);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(err, "");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(service(&v, "X1").0, "pass");
    let (verdict, said) = service(&v, "X2");
    assert_eq!(verdict, "fail", "{said}");
    assert!(said.contains("02/07/2025 đến hết năm 2025 = 5"), "{said}");
}
