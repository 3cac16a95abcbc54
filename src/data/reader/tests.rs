//! Lists read from bytes: headers, delimiters, cells and their problems.

use super::bounds::out_of_range;
use super::header::{detect_delimiter, first_line};
use super::*;
use crate::semantic::model::Value;
use crate::semantic::model::{ColumnDef, EnumValue, Type};
use rust_decimal::Decimal;
use std::path::Path;
use std::str::FromStr;
use unicode_normalization::UnicodeNormalization;

fn enums() -> Vec<EnumDef> {
    let v = |code: &str, label: &str, aliases: &[&str]| EnumValue {
        code: code.to_string(),
        label: label.to_string(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
    };
    vec![EnumDef {
        id: "xep_loai".to_string(),
        ordered: true,
        values: vec![
            v("KHT", "Không hoàn thành nhiệm vụ", &[]),
            v("HT", "Hoàn thành nhiệm vụ", &[]),
            v("HTT", "Hoàn thành tốt nhiệm vụ", &["Tốt"]),
            v("HTXS", "Hoàn thành xuất sắc nhiệm vụ", &["Xuất sắc"]),
        ],
    }]
}

fn col(id: &str, header: &str, ty: Type, needed: bool, optional: bool) -> ColumnDef {
    ColumnDef {
        range: None,
        link: None,
        derived: None,
        id: id.to_string(),
        header: header.to_string(),
        ty,
        optional,
        default: None,
        needed,
        aliases: Vec::new(),
        absent: None,
        ballot: false,
    }
}

/// 0 ho_ten, 1 xep_loai, 2 diem, 3 ty_le, 4 dang_vien (default false),
/// 5 ngay_sinh, 6 ghi_chu (not needed, default text).
fn table() -> TableDef {
    let mut dang_vien = col("dang_vien", "Đảng viên", Type::Bool, true, false);
    dang_vien.default = Some(Value::Bool(false));
    let mut ghi_chu = col("ghi_chu", "Ghi chú", Type::Text, false, true);
    ghi_chu.default = Some(Value::Text("không có".into()));
    TableDef {
        id: "ca_nhan".to_string(),
        label: "Cá nhân".to_string(),
        key: Some(0),
        year: None,
        columns: vec![
            col("ho_ten", "Họ và tên", Type::Text, true, false),
            col(
                "xep_loai",
                "Xếp loại chất lượng",
                Type::Enum(0),
                true,
                false,
            ),
            col("diem", "Điểm", Type::Decimal, true, true),
            col("ty_le", "Tỷ lệ", Type::Percent, false, false),
            dang_vien,
            col("ngay_sinh", "Ngày sinh", Type::Date, true, true),
            ghi_chu,
        ],
    }
}

fn open(bytes: &[u8]) -> Result<TableReader, DataError> {
    TableReader::from_bytes("ds.csv", bytes.to_vec(), &table(), &enums())
}

/// The same table where only `ho_ten` and `xep_loai` are needed.
fn small() -> TableDef {
    let mut t = table();
    for c in t.columns.iter_mut().skip(2) {
        c.needed = false;
    }
    t
}

fn open_small(bytes: &[u8]) -> Result<TableReader, DataError> {
    TableReader::from_bytes("ds.csv", bytes.to_vec(), &small(), &enums())
}

/// Reads every row: (line, cells, texts) per row, and the issues.
fn read_all(r: &mut TableReader) -> (Vec<Row>, Vec<DataIssue>) {
    let mut rows = Vec::new();
    let mut issues = Vec::new();
    let mut row = Row::default();
    while r.read_row(&mut row, &mut issues).unwrap() {
        rows.push(row.clone());
    }
    (rows, issues)
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

const HEADER: &str = "Họ và tên;Xếp loại chất lượng;Điểm;Tỷ lệ;Đảng viên;Ngày sinh\n";

#[test]
fn bom_and_semicolon() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(HEADER.as_bytes());
    bytes.extend_from_slice("Nguyễn Văn A;HTXS;85,5;15 %;có;01/01/1970\r\n".as_bytes());
    let mut r = open(&bytes).unwrap();
    assert!(r.had_bom());
    assert_eq!(r.delimiter(), Delimiter::Semicolon);
    assert!(r.has_column(0) && r.has_column(5));
    assert!(!r.has_column(6) && !r.has_column(99));
    assert!(r.unused_headers().is_empty());
    let (rows, issues) = read_all(&mut r);
    assert_eq!(issues, vec![]);
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row.line, 2);
    assert_eq!(
        row.cells,
        vec![
            Cell::Text,
            Cell::Enum(3),
            Cell::Decimal(dec("85.5")),
            Cell::Decimal(dec("15")),
            Cell::Bool(true),
            Cell::Date(0),
            Cell::Text,
        ]
    );
    assert_eq!(row.texts[0], "Nguyễn Văn A");
    assert_eq!(row.texts[3], "15 %");
    // Absent column with a text default.
    assert_eq!(row.texts[6], "không có");
}

#[test]
fn comma_and_tab_detection_and_quotes() {
    let csv = "ho_ten,xep_loai,\"Điểm; tổng\",ngay_sinh\n\"Lê, B\",HT,1,2024-01-01\n";
    let mut r = open_small(csv.as_bytes()).unwrap();
    assert_eq!(r.delimiter(), Delimiter::Comma);
    assert!(!r.had_bom());
    assert_eq!(r.unused_headers(), ["Điểm; tổng".to_string()]);
    let (rows, issues) = read_all(&mut r);
    assert_eq!(issues, vec![]);
    assert_eq!(rows[0].texts[0], "Lê, B");
    assert_eq!(rows[0].cells[5], Cell::Date(19723));

    let tsv = "ho_ten\txep_loai\tghi chu, ý kiến\nA\tHT\tx\n";
    let r = open_small(tsv.as_bytes()).unwrap();
    assert_eq!(r.delimiter(), Delimiter::Tab);
}

#[test]
fn header_by_label_case_and_nfd() {
    let header: String = "  XẾP LOẠI   chất lượng ;HỌ VÀ\u{A0}TÊN\n".nfd().collect();
    let mut bytes = header.into_bytes();
    bytes.extend_from_slice("HT;A\n".as_bytes());
    let mut r = open_small(&bytes).unwrap();
    assert_eq!(r.delimiter(), Delimiter::Semicolon);
    let (rows, issues) = read_all(&mut r);
    assert_eq!(issues, vec![]);
    assert_eq!(rows[0].cells[0], Cell::Text);
    assert_eq!(rows[0].cells[1], Cell::Enum(1));
    assert_eq!(rows[0].texts[0], "A");
}

#[test]
fn header_by_id() {
    let mut r = open_small(b"HO_TEN;xep_loai;Cot la\nA;HT;z\n").unwrap();
    assert_eq!(r.unused_headers(), ["Cot la".to_string()]);
    let (rows, _) = read_all(&mut r);
    assert_eq!(rows[0].cells[1], Cell::Enum(1));
}

#[test]
fn absent_columns_listed_and_unknown() {
    let mut r = open("STT;Điểm;Ghi chú\n1;2;3\n".as_bytes()).unwrap();
    let ids: Vec<&str> = r.absent_columns().iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["ho_ten", "xep_loai", "dang_vien", "ngay_sinh"]);
    assert!(r.absent_columns().iter().all(|c| c.assumed.is_none()));
    // STT is recognised: not listed among the headers ignored.
    assert!(r.unused_headers().is_empty(), "{:?}", r.unused_headers());
    let (rows, issues) = read_all(&mut r);
    assert_eq!(issues, vec![]);
    assert_eq!(rows[0].cells[0], Cell::Absent);
    assert_eq!(rows[0].cells[1], Cell::Absent);
    assert_eq!(rows[0].cells[2], Cell::Decimal(dec("2")));
    // Not read by any rule: blank, as before.
    assert_eq!(rows[0].cells[3], Cell::Blank);
}

#[test]
fn absent_value_declared() {
    let mut t = table();
    t.columns[5].absent = Some(Value::Date(0));
    let mut r =
        TableReader::from_bytes("ds.csv", "Họ tên;Điểm\nA;1\n".into(), &t, &enums()).unwrap();
    let absent = r
        .absent_columns()
        .iter()
        .find(|c| c.id == "ngay_sinh")
        .unwrap();
    assert_eq!(absent.assumed.as_deref(), Some("01/01/1970"));
    let (rows, _) = read_all(&mut r);
    assert_eq!(rows[0].cells[5], Cell::Date(0));
}

#[test]
fn no_header_row_says_what_was_looked_for() {
    let err = open("STT;Cột lạ\n1;2\n".as_bytes()).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, DataError::NoHeader { .. }), "{err:?}");
    assert!(text.contains("không tìm thấy dòng tiêu đề"), "{text}");
    assert!(text.contains("«Họ và tên»"), "{text}");
    assert!(text.contains("«STT», «Cột lạ»"), "{text}");
}

#[test]
fn header_found_under_title_rows() {
    let csv = "SỞ TÀI CHÍNH TỈNH HÀ NAM;;;\n\
               DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2025;;;\n\
               (Kèm theo Tờ trình số 15/TTr-STC, ngày 10/12/2025);;;\n\
               ;;;\n\
               STT;Họ và tên;\"Xếp loại\nchất lượng\";Điểm\n\
               1;A;HT;8,5\n";
    let mut r = open(csv.as_bytes()).unwrap();
    assert_eq!(r.header_row(), 5);
    assert_eq!(r.delimiter(), Delimiter::Semicolon);
    let (rows, _) = read_all(&mut r);
    assert_eq!(rows[0].line, 6);
    assert_eq!(rows[0].cells[1], Cell::Enum(1));
    assert_eq!(rows[0].cells[2], Cell::Decimal(dec("8.5")));
}

#[test]
fn header_aliases_match() {
    let mut t = table();
    t.columns[0].aliases = vec!["Họ tên".into()];
    let r = TableReader::from_bytes("ds.csv", "Họ  TÊN,Điểm\nA,1\n".into(), &t, &enums()).unwrap();
    assert!(r.has_column(0));
}

#[test]
fn none_words_in_optional_columns() {
    let mut t = table();
    t.columns[1].optional = true;
    let csv = "Họ và tên;Xếp loại chất lượng\nA;Không\nB;-\nC;không có\nD;0\nE;Khong\n";
    let mut r = TableReader::from_bytes("ds.csv", csv.into(), &t, &enums()).unwrap();
    let (rows, issues) = read_all(&mut r);
    let cells: Vec<&Cell> = rows.iter().map(|r| &r.cells[1]).collect();
    assert_eq!(cells[..4], [&Cell::Blank; 4]);
    // Without its marks it is not a word of the language: a data error.
    assert_eq!(cells[4], &Cell::Invalid);
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].cell(), "B6");
}

#[test]
fn column_letters() {
    assert_eq!(column_letter(0), "A");
    assert_eq!(column_letter(7), "H");
    assert_eq!(column_letter(25), "Z");
    assert_eq!(column_letter(26), "AA");
    assert_eq!(column_letter(701), "ZZ");
    assert_eq!(column_letter(702), "AAA");
}

#[test]
fn ambiguous_header() {
    let err = open_small("Họ và tên;xep_loai;HO_TEN\nA;HT;B\n".as_bytes()).unwrap_err();
    assert_eq!(
        err,
        DataError::AmbiguousHeader {
            path: "ds.csv".to_string(),
            column: "ho_ten".to_string(),
            headers: vec!["Họ và tên".to_string(), "HO_TEN".to_string()],
        }
    );
    assert!(err.to_string().contains("«Họ và tên», «HO_TEN»"));
}

#[test]
fn enum_values_in_rows() {
    let nfd: String = "Hoàn thành tốt nhiệm vụ".nfd().collect();
    let csv = format!(
        "ho_ten;xep_loai\nA;{nfd}\nB;hoàn thành xuất sắc nhiệm vụ\nC;HTXS\nD;tốt\nE;Hoàn thành tôt\n"
    );
    let mut r = open_small(csv.as_bytes()).unwrap();
    let (rows, issues) = read_all(&mut r);
    let got: Vec<&Cell> = rows.iter().map(|r| &r.cells[1]).collect();
    assert_eq!(
        got,
        vec![
            &Cell::Enum(2),
            &Cell::Enum(3),
            &Cell::Enum(3),
            &Cell::Enum(2),
            &Cell::Invalid
        ]
    );
    // NFD text is stored NFC.
    assert_eq!(rows[0].texts[1], "Hoàn thành tốt nhiệm vụ");
    assert_eq!(issues.len(), 1);
    let issue = &issues[0];
    assert_eq!(issue.row, 6);
    assert_eq!(issue.column, "xep_loai");
    assert_eq!(issue.header, "Xếp loại chất lượng");
    assert_eq!(issue.value, "Hoàn thành tôt");
    assert_eq!(
        issue.message,
        "«Hoàn thành tôt» không phải giá trị hợp lệ của cột"
    );
    assert!(
        issue
            .expected
            .starts_with("gần nhất: «Hoàn thành tốt nhiệm vụ»"),
        "{}",
        issue.expected
    );
}

#[test]
fn bad_values_become_invalid_with_issues() {
    let csv = format!("{HEADER}A;HT;1.234,5;mười%;có lẽ;31/02/2024\nB;HT;7;15,5%;x;29/02/2024\n");
    let mut r = open(csv.as_bytes()).unwrap();
    let (rows, issues) = read_all(&mut r);
    assert_eq!(
        rows[0].cells[2..6],
        [Cell::Invalid, Cell::Invalid, Cell::Invalid, Cell::Invalid]
    );
    let columns: Vec<&str> = issues.iter().map(|i| i.column.as_str()).collect();
    assert_eq!(columns, ["diem", "ty_le", "dang_vien", "ngay_sinh"]);
    assert!(issues.iter().all(|i| i.row == 2));
    assert_eq!(issues[0].value, "1.234,5");
    assert_eq!(issues[3].value, "31/02/2024");
    assert_eq!(
        rows[1].cells[2..6],
        [
            Cell::Decimal(dec("7")),
            Cell::Decimal(dec("15.5")),
            Cell::Bool(true),
            Cell::Date(19782)
        ]
    );
}

#[test]
fn blank_required_optional_default() {
    let csv = format!("{HEADER};;;;;\nA; ;\u{A0};;;\n");
    let mut r = open(csv.as_bytes()).unwrap();
    let (rows, issues) = read_all(&mut r);
    // The all-blank record is skipped but still counted.
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row.line, 3);
    assert_eq!(
        row.cells,
        vec![
            Cell::Text,
            Cell::Blank,       // required: reported
            Cell::Blank,       // optional: silent
            Cell::Blank,       // not needed: silent
            Cell::Bool(false), // default
            Cell::Blank,       // optional: silent
            Cell::Text,        // absent, default text
        ]
    );
    assert_eq!(row.texts[1], "");
    assert_eq!(issues.len(), 1);
    let issue = &issues[0];
    assert_eq!(issue.row, 3);
    assert_eq!(issue.column, "xep_loai");
    assert_eq!(issue.value, "");
    assert_eq!(issue.message, "ô bắt buộc bị bỏ trống");
    assert!(
        issue
            .expected
            .starts_with("một trong: «Không hoàn thành nhiệm vụ»"),
        "{}",
        issue.expected
    );
}

#[test]
fn short_and_long_rows() {
    let csv = format!("{HEADER}A;HT\nB;HT;1;2;x;1/1/2000;extra\nC;HT;1;2;x;1/1/2000;;\n");
    let mut r = open(csv.as_bytes()).unwrap();
    let (rows, issues) = read_all(&mut r);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].cells[2], Cell::Blank);
    assert_eq!(rows[0].cells[4], Cell::Bool(false));
    assert_eq!(issues.len(), 2, "{issues:?}");
    assert_eq!(issues[0].row, 2);
    assert_eq!(issues[0].column, "diem");
    assert!(
        issues[0]
            .message
            .starts_with("dòng có 2 ô nhưng dòng tiêu đề có 6 cột")
    );
    assert_eq!(issues[1].row, 3);
    assert_eq!(issues[1].column, "ngay_sinh");
    assert_eq!(issues[1].value, "extra");
    assert!(
        issues[1]
            .message
            .starts_with("dòng có 7 ô nhưng dòng tiêu đề có 6 cột")
    );
    // Extra blank fields are harmless and silent.
    assert_eq!(rows[2].cells[5], Cell::Date(10957));
}

#[test]
fn multiline_cell_counts_as_one_row() {
    let csv = "ho_ten;xep_loai\n\"Nguyễn\nVăn\r\nA\";HT\n\nB;sai\n;;\nC;HT";
    let mut r = open_small(csv.as_bytes()).unwrap();
    let (rows, issues) = read_all(&mut r);
    let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
    // Row 2 spans three lines; the empty line is not a record; row 4
    // (`;;`) is blank.
    assert_eq!(lines, [2, 3, 5]);
    assert_eq!(rows[0].texts[0], "Nguyễn\nVăn\r\nA");
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].row, 3);
}

#[test]
fn row_buffers_are_reused() {
    let csv = format!("{HEADER}Nguyễn Văn A;HT;1;2;x;1/1/2000\nB;HTT;2;3;0;2/1/2000\n");
    let mut r = open(csv.as_bytes()).unwrap();
    let mut row = Row::default();
    let mut issues = Vec::new();
    assert!(r.read_row(&mut row, &mut issues).unwrap());
    let ptr = row.texts[0].as_ptr();
    assert!(r.read_row(&mut row, &mut issues).unwrap());
    assert_eq!(row.texts[0], "B");
    assert_eq!(row.texts[0].as_ptr(), ptr);
    assert!(!r.read_row(&mut row, &mut issues).unwrap());
    assert!(issues.is_empty());
}

#[test]
fn utf16_bom_is_not_utf8() {
    let mut bytes = vec![0xFF, 0xFE];
    for u in "ho_ten;xep_loai\n".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let err = open_small(&bytes).unwrap_err();
    assert_eq!(
        err,
        DataError::NotUtf8 {
            path: "ds.csv".to_string(),
            row: 1
        }
    );
    assert!(err.to_string().contains("CSV UTF-8"));
    let be = open_small(&[0xFE, 0xFF, 0, b'a']).unwrap_err();
    assert!(matches!(be, DataError::NotUtf8 { row: 1, .. }));
    // UTF-16 LE without a BOM.
    let mut bytes = Vec::new();
    for u in "ho_ten;xep_loai\n".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    assert!(matches!(
        open_small(&bytes),
        Err(DataError::NotUtf8 { row: 1, .. })
    ));
}

#[test]
fn invalid_utf8_reports_the_row() {
    // Windows-1258 "Hà" in row 3.
    let mut bytes = b"ho_ten;xep_loai\nA;HT\nH".to_vec();
    bytes.push(0xE0);
    bytes.extend_from_slice(b";HT\n");
    let mut r = open_small(&bytes).unwrap();
    let mut row = Row::default();
    let mut issues = Vec::new();
    assert!(r.read_row(&mut row, &mut issues).unwrap());
    let err = r.read_row(&mut row, &mut issues).unwrap_err();
    assert_eq!(
        err,
        DataError::NotUtf8 {
            path: "ds.csv".to_string(),
            row: 3
        }
    );
    // In the header.
    let err = open_small(b"ho_t\xean;xep_loai\n").unwrap_err();
    assert!(matches!(err, DataError::NotUtf8 { row: 1, .. }), "{err:?}");
}

#[test]
fn empty_inputs() {
    for bytes in [&b""[..], b"\xEF\xBB\xBF", b"\n\n", b";;;\n;;\n"] {
        let err = open_small(bytes).unwrap_err();
        assert_eq!(
            err,
            DataError::Empty {
                path: "ds.csv".to_string()
            }
        );
    }
    assert!(open_small(b"").unwrap_err().to_string().contains("trống"));
    // Header only: no rows.
    let mut r = open_small(b"ho_ten;xep_loai").unwrap();
    assert_eq!(read_all(&mut r).0.len(), 0);
}

#[test]
fn open_file_and_io_error() {
    let err = TableReader::open(Path::new("/nonexistent/ds.csv"), &table(), &enums()).unwrap_err();
    assert!(matches!(err, DataError::Io { .. }));
    let dir = std::env::temp_dir().join(format!("tdkt-data-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ds.csv");
    // A header longer than one read chunk.
    let long = "x".repeat(20_000);
    std::fs::write(&path, format!("ho_ten;xep_loai;{long}\nA;HT;1\n")).unwrap();
    let mut r = TableReader::open(&path, &small(), &enums()).unwrap();
    let (rows, issues) = read_all(&mut r);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(r.delimiter(), Delimiter::Semicolon);
    assert_eq!(rows.len(), 1);
    assert!(issues.is_empty());
}

#[test]
fn garbage_does_not_panic() {
    let inputs: [&[u8]; 6] = [
        b"\"",
        b"ho_ten;xep_loai\n\"unterminated;HT\n",
        b"ho_ten;xep_loai\n\"a\"b;\"\"\"\n",
        b"\r\r\rho_ten;xep_loai\r\rA;HT\r",
        b"\xEF\xBB",
        b"ho_ten;xep_loai\n\x00;\x00\n",
    ];
    for bytes in inputs {
        if let Ok(mut r) = open_small(bytes) {
            let mut row = Row::default();
            let mut issues = Vec::new();
            while let Ok(true) = r.read_row(&mut row, &mut issues) {}
        }
    }
}

#[test]
fn delimiter_detection() {
    assert_eq!(detect_delimiter(b"a;b;c,d"), Delimiter::Semicolon);
    assert_eq!(detect_delimiter(b"a,b,c;d"), Delimiter::Comma);
    assert_eq!(detect_delimiter(b"\"a;b;c\",d"), Delimiter::Comma);
    assert_eq!(detect_delimiter(b"a\tb"), Delimiter::Tab);
    assert_eq!(detect_delimiter(b"abc"), Delimiter::Comma);
    assert_eq!(first_line(b"\n;;\n\"a\nb\";c\nd"), b"\"a\nb\";c");
}

#[test]
fn whole_numbers_against_fractional_and_huge_bounds() {
    let b = Bounds::new((dec("0.5"), dec("10.5")));
    let out = |i: i64| out_of_range(&Cell::Int(i), Some(&b));
    assert!(out(0) && !out(1) && !out(10) && out(11));
    assert!(out_of_range(&Cell::Decimal(dec("10.6")), Some(&b)));
    assert!(!out_of_range(&Cell::Decimal(dec("10.5")), Some(&b)));
    let wide = Bounds::new((Decimal::MIN, Decimal::MAX));
    assert!(!out_of_range(&Cell::Int(i64::MIN), Some(&wide)));
    assert!(!out_of_range(&Cell::Int(i64::MAX), Some(&wide)));
    let above = Bounds::new((dec("1e20"), Decimal::MAX));
    assert!(out_of_range(&Cell::Int(i64::MAX), Some(&above)));
}
