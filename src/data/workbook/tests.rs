//! Workbooks built in memory with rust_xlsxwriter, read back.

use super::*;
use crate::data::{Cell, ListSource, Row, TableReader};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook, Worksheet};

fn any(_: &[Vec<String>]) -> bool {
    false
}

fn xlsx(build: impl FnOnce(&mut Workbook)) -> Vec<u8> {
    let mut book = Workbook::new();
    build(&mut book);
    book.save_to_buffer().unwrap()
}

fn sheet<'a>(book: &'a mut Workbook, name: &str) -> &'a mut Worksheet {
    let ws = book.add_worksheet();
    ws.set_name(name).unwrap();
    ws
}

fn grid(csv: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn read(bytes: &[u8], sheet: Option<&str>) -> Result<SheetCsv, DataError> {
    read_sheet("ds.xlsx", bytes, sheet, &any)
}

#[test]
fn values_as_the_sheet_shows_them() {
    let bytes = xlsx(|b| {
        let ws = sheet(b, "DS");
        let date = Format::new().set_num_format("dd/mm/yyyy");
        let rows: [(u16, &str); 8] = [
            (0, "số"),
            (1, "nguyên"),
            (2, "công thức"),
            (3, "nhỏ"),
            (4, "ngày"),
            (5, "đúng sai"),
            (6, "lỗi"),
            (7, "xuống dòng"),
        ];
        for (c, h) in rows {
            ws.write_string(0, c, h).unwrap();
        }
        ws.write_number(1, 0, 92.5).unwrap();
        ws.write_number(1, 1, 3.0).unwrap();
        // Excel stores the IEEE sum as the formula's cached value.
        ws.write_formula(
            1,
            2,
            Formula::new("=0.1+0.2").set_result("0.30000000000000004"),
        )
        .unwrap();
        ws.write_number(1, 3, 1e-7).unwrap();
        let day = ExcelDateTime::from_ymd(2025, 12, 10).unwrap();
        ws.write_datetime_with_format(1, 4, &day, &date).unwrap();
        ws.write_boolean(1, 5, true).unwrap();
        ws.write_formula(1, 6, Formula::new("=NA()").set_result("#N/A"))
            .unwrap();
        ws.write_string(1, 7, "dòng một\ndòng hai").unwrap();
        ws.write_formula(2, 0, Formula::new("=A2*2").set_result("185"))
            .unwrap();
        ws.write_number(2, 1, 1e21).unwrap();
    });
    let out = read(&bytes, None).unwrap();
    assert_eq!(out.sheet, "DS");
    assert!(out.hidden_rows.is_empty());
    let text = String::from_utf8(out.csv.clone()).unwrap();
    assert_eq!(
        text,
        "số,nguyên,công thức,nhỏ,ngày,đúng sai,lỗi,xuống dòng\n\
         92.5,3,0.3,0.0000001,2025-12-10,true,#N/A,\"dòng một\ndòng hai\"\n\
         185,1000000000000000000000,,,,,,\n"
    );
}

#[test]
fn rows_and_columns_before_the_used_range_are_kept_blank() {
    let bytes = xlsx(|b| {
        let ws = sheet(b, "DS");
        ws.write_string(2, 1, "Họ tên").unwrap();
        ws.write_string(2, 2, "Xếp loại").unwrap();
        ws.write_string(3, 1, "An").unwrap();
        // Row 5 blank, row 6 has data.
        ws.write_string(5, 1, "Bình").unwrap();
    });
    let out = read(&bytes, None).unwrap();
    assert_eq!(
        String::from_utf8(out.csv.clone()).unwrap(),
        ",,\n,,\n,Họ tên,Xếp loại\n,An,\n,,\n,Bình,\n"
    );
    // The CSV reader keeps the blank records: row N is Excel row N.
    let rows = grid(&out.csv);
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[5][1], "Bình");
}

#[test]
fn one_column_blank_rows_are_records_not_empty_lines() {
    let bytes = xlsx(|b| {
        let ws = sheet(b, "DS");
        ws.write_string(0, 0, "Họ tên").unwrap();
        ws.write_string(3, 0, "An").unwrap();
    });
    let out = read(&bytes, None).unwrap();
    let rows = grid(&out.csv);
    assert_eq!(rows.len(), 4, "{:?}", String::from_utf8_lossy(&out.csv));
    assert_eq!(rows[3], vec!["An".to_string()]);
}

#[test]
fn merged_cells_repeat_their_value() {
    let bytes = xlsx(|b| {
        let ws = sheet(b, "DS");
        let f = Format::new();
        ws.merge_range(0, 0, 0, 3, "DANH SÁCH ĐỀ NGHỊ", &f).unwrap();
        // «Họ tên» merged over rows 2–3; «Xếp loại» splits over two columns.
        ws.merge_range(1, 0, 2, 0, "Họ tên", &f).unwrap();
        ws.merge_range(1, 1, 2, 1, "Đơn vị", &f).unwrap();
        ws.merge_range(1, 2, 1, 3, "Xếp loại", &f).unwrap();
        ws.write_string(2, 2, "2024").unwrap();
        ws.write_string(2, 3, "2025").unwrap();
        // A unit's name merged down its three members' rows.
        ws.merge_range(3, 1, 5, 1, "Phòng Kế toán", &f).unwrap();
        for (r, name) in [(3, "An"), (4, "Bình"), (5, "Chi")] {
            ws.write_string(r, 0, name).unwrap();
        }
        ws.write_string(6, 0, "Dũng").unwrap();
    });
    let rows = grid(&read(&bytes, None).unwrap().csv);
    let row = |r: usize| rows[r].join("|");
    assert_eq!(
        row(0),
        "DANH SÁCH ĐỀ NGHỊ|DANH SÁCH ĐỀ NGHỊ|DANH SÁCH ĐỀ NGHỊ|DANH SÁCH ĐỀ NGHỊ"
    );
    assert_eq!(row(1), "Họ tên|Đơn vị|Xếp loại|Xếp loại");
    assert_eq!(row(2), "Họ tên|Đơn vị|2024|2025");
    assert_eq!(row(3), "An|Phòng Kế toán||");
    assert_eq!(row(5), "Chi|Phòng Kế toán||");
    assert_eq!(row(6), "Dũng|||");
}

#[test]
fn hidden_rows_are_read_and_reported() {
    let bytes = xlsx(|b| {
        let ws = sheet(b, "DS");
        ws.write_string(0, 0, "Họ tên").unwrap();
        for r in 1..5 {
            ws.write_string(r, 0, format!("Người {r}")).unwrap();
        }
        ws.set_row_hidden(2).unwrap();
        ws.set_row_hidden(4).unwrap();
        // A hidden row past the list is no row of it.
        ws.set_row_hidden(40).unwrap();
    });
    let out = read(&bytes, None).unwrap();
    assert_eq!(out.hidden_rows, vec![3, 5]);
    assert_eq!(grid(&out.csv)[2][0], "Người 2");
}

#[test]
fn the_sheet_whose_header_matches_is_chosen() {
    let bytes = xlsx(|b| {
        sheet(b, "Tờ trình").write_string(0, 0, "Kính gửi").unwrap();
        let hidden = sheet(b, "Ẩn");
        hidden.write_string(0, 0, "Họ tên").unwrap();
        hidden.set_hidden(true);
        let ws = sheet(b, "DS");
        ws.write_string(0, 0, "SỞ TÀI CHÍNH").unwrap();
        ws.write_string(4, 0, "Họ tên").unwrap();
    });
    let header = |rows: &[Vec<String>]| rows.iter().any(|r| r.iter().any(|c| c == "Họ tên"));
    let out = read_sheet("ds.xlsx", &bytes, None, &header).unwrap();
    assert_eq!(out.sheet, "DS");
    // Nothing matches: the first visible sheet.
    assert_eq!(read(&bytes, None).unwrap().sheet, "Tờ trình");
    // The first rows given are at most MATCH_ROWS, as in the CSV.
    let seen = |rows: &[Vec<String>]| {
        assert!(rows.len() <= MATCH_ROWS);
        rows.len() == 5 && rows[4] == ["Họ tên"]
    };
    assert_eq!(
        read_sheet("ds.xlsx", &bytes, None, &seen).unwrap().sheet,
        "DS"
    );
}

#[test]
fn a_sheet_named_is_read_whatever_matches() {
    let bytes = xlsx(|b| {
        sheet(b, "Cá nhân").write_string(0, 0, "Họ tên").unwrap();
        sheet(b, "Tập thể")
            .write_string(0, 0, "Tên tập thể")
            .unwrap();
    });
    // NFD, other case, spaces around: still the sheet.
    let asked: String = unicode_normalization::UnicodeNormalization::nfd(" TẬP THỂ ").collect();
    let out = read_sheet("ds.xlsx", &bytes, Some(&asked), &|_| true).unwrap();
    assert_eq!(out.sheet, "Tập thể");
    assert_eq!(grid(&out.csv)[0][0], "Tên tập thể");
}

#[test]
fn a_missing_sheet_lists_the_sheets() {
    let bytes = xlsx(|b| {
        sheet(b, "Cá nhân").write_string(0, 0, "x").unwrap();
        sheet(b, "Tập thể").write_string(0, 0, "x").unwrap();
    });
    let err = read(&bytes, Some("Khen thưởng")).unwrap_err();
    assert_eq!(
        err,
        DataError::NoSheet {
            path: "ds.xlsx".into(),
            sheet: "Khen thưởng".into(),
            sheets: vec!["Cá nhân".into(), "Tập thể".into()],
        }
    );
    insta::assert_snapshot!(err.to_string(), @r"
    Bảng tính «ds.xlsx» không có trang tính «Khen thưởng».
    Các trang tính có trong tệp: «Cá nhân», «Tập thể».
    Gợi ý: viết đúng tên một trang tính (không phân biệt chữ hoa, chữ thường).
    ");
}

#[test]
fn a_damaged_workbook_is_an_error_naming_the_file() {
    let good = xlsx(|b| {
        sheet(b, "DS").write_string(0, 0, "x").unwrap();
    });
    let cut = &good[..good.len() / 2];
    let mut scrambled = good.clone();
    for b in scrambled.iter_mut().skip(40).step_by(7) {
        *b ^= 0x5A;
    }
    let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0];
    for bytes in [cut, &scrambled[..], &b"PK\x03\x04 not a zip"[..], &ole[..]] {
        let err = read(bytes, None).unwrap_err();
        assert!(
            matches!(&err, DataError::Workbook { path, .. } if path == "ds.xlsx"),
            "{err:?}"
        );
    }
    insta::assert_snapshot!(read(cut, None).unwrap_err().to_string(), @r"
    Không đọc được bảng tính «ds.xlsx»: tệp bị hỏng, có mật khẩu, hoặc không phải bảng tính Excel (.xlsx, .xlsm, .xlsb, .xls) hay OpenDocument (.ods).
    Gợi ý: mở tệp bằng Excel hoặc LibreOffice; nếu mở được, chọn «Lưu thành» (Save As) kiểu «Excel Workbook (.xlsx)» rồi dùng tệp mới.
    ");
}

#[test]
fn an_empty_sheet_is_an_empty_csv() {
    let bytes = xlsx(|b| {
        sheet(b, "DS");
    });
    let out = read(&bytes, None).unwrap();
    assert!(out.csv.is_empty());
}

#[test]
fn the_reader_types_cells_and_numbers_rows_as_excel_does() {
    let rules = crate::semantic::load_text(
        "thu.tdkt",
        r#"rules "Thử" effective 2024-01-01
enum XepLoai ordered {
  HT  = "Hoàn thành nhiệm vụ"
  HTT = "Hoàn thành tốt nhiệm vụ"
}
enum DeNghi { A = "Lao động tiên tiến" }
table ds "Danh sách" {
  ho_ten   text                "Họ tên"
  xep_loai XepLoai             "Xếp loại"
  so_thang int       in 0..12  "Số tháng"
  de_nghi  DeNghi?             "Đề nghị"
}
award A "Lao động tiên tiến" for ds where de_nghi = A {
  require xl: xep_loai >= HTT and so_thang >= 6 "Đủ"
}
"#,
        &[],
    )
    .unwrap();
    let table = &rules.plan.tables[0];
    let bytes = xlsx(|b| {
        let ws = sheet(b, "DS");
        // Rows 1–2 blank; header on row 3.
        for (c, h) in ["Họ tên", "Xếp loại", "Số tháng", "Đề nghị"]
            .into_iter()
            .enumerate()
        {
            ws.write_string(2, c as u16, h).unwrap();
        }
        ws.write_string(3, 0, "An").unwrap();
        ws.write_string(3, 1, "Hoàn thành tốt nhiệm vụ").unwrap();
        ws.write_number(3, 2, 12.0).unwrap();
        ws.write_string(5, 0, "Bình").unwrap();
        ws.write_string(5, 1, "Hoàn thành nhiệm vụ").unwrap();
        ws.write_formula(5, 2, Formula::new("=1/0").set_result("#DIV/0!"))
            .unwrap();
    });
    let source = ListSource::bytes("ds.xlsx", bytes);
    let mut reader = TableReader::open_source(&source, table, &rules.plan.enums).unwrap();
    assert_eq!(reader.sheet(), Some("DS"));
    let mut row = Row::default();
    let mut issues = Vec::new();
    let mut rows = Vec::new();
    while reader.read_row(&mut row, &mut issues).unwrap() {
        rows.push(row.clone());
    }
    let an = rows.iter().find(|r| r.texts[0] == "An").unwrap();
    assert_eq!(an.line, 4);
    assert_eq!(an.cells[2], Cell::Int(12));
    assert_eq!(an.cells[1], Cell::Enum(1));
    let issue = issues.iter().find(|i| i.column == "so_thang").unwrap();
    assert_eq!(issue.row, 6);
    assert_eq!(issue.value, "#DIV/0!");
}

/// An .ods written by hand: calamine reads its dates as ISO text and its
/// repeated blank rows as blank rows.
fn ods(content_rows: &str) -> Vec<u8> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let parts = [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet".to_string()),
        (
            "META-INF/manifest.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>"#
                .to_string(),
        ),
        (
            "content.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>{content_rows}</office:spreadsheet></office:body></office:document-content>"#
            ),
        ),
    ];
    for (name, text) in parts {
        zip.start_file(name, stored).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn an_ods_sheet_keeps_its_row_numbers() {
    let s = |t: &str| {
        format!(
            r#"<table:table-cell office:value-type="string"><text:p>{t}</text:p></table:table-cell>"#
        )
    };
    let blank = r#"<table:table-cell table:number-columns-repeated="3"/>"#;
    let bytes = ods(&format!(
        r#"<table:table table:name="Ghi chú"><table:table-row>{}</table:table-row></table:table>
<table:table table:name="Tập thể">
<table:table-row table:number-rows-repeated="2">{blank}</table:table-row>
<table:table-row>{}{}{}</table:table-row>
<table:table-row>{}<table:table-cell office:value-type="float" office:value="92.5"><text:p>92,5</text:p></table:table-cell><table:table-cell office:value-type="date" office:date-value="2025-12-10T08:30:00"><text:p>10/12/2025</text:p></table:table-cell></table:table-row>
<table:table-row table:number-rows-repeated="2">{blank}</table:table-row>
<table:table-row>{}<table:table-cell office:value-type="float" office:value="3"/><table:table-cell office:value-type="boolean" office:boolean-value="true"/></table:table-row>
</table:table>"#,
        s("x"),
        s("Tên tập thể"),
        s("Điểm"),
        s("Ngày"),
        s("Phòng A"),
        s("Phòng B"),
    ));
    let header = |rows: &[Vec<String>]| rows.iter().flatten().any(|c| c == "Tên tập thể");
    let out = read_sheet("ds.ods", &bytes, None, &header).unwrap();
    assert_eq!(out.sheet, "Tập thể");
    assert!(out.hidden_rows.is_empty());
    assert_eq!(
        String::from_utf8(out.csv).unwrap(),
        ",,\n,,\nTên tập thể,Điểm,Ngày\nPhòng A,92.5,2025-12-10\n,,\n,,\nPhòng B,3,true\n"
    );
    let named = read_sheet("ds.ods", &bytes, Some("ghi chú"), &header).unwrap();
    assert_eq!(named.sheet, "Ghi chú");
}
