//! The council list fixtures under `tests/fixtures/council/`: one list of
//! proposals, as a provincial department sends it, in three files with the
//! same content:
//!
//! * `ds.xlsx`: numbers stored as numbers, the title block merged across the
//!   table, one row hidden;
//! * `ds-utf8.csv`: Excel's «CSV UTF-8» (BOM, `,`);
//! * `ds-vi.csv`: a Vietnamese-locale CSV (BOM, `;`, `,` as decimal mark).
//!
//! `TDKT_WRITE_FIXTURES=1 cargo test --test council_fixtures` writes them
//! again; a normal run checks that the committed files are what the list
//! below makes, and that the workbook reads back to the CSV's grid.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::path::PathBuf;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook};
use tdkt::data::workbook::read_sheet;

const TITLE: [&str; 3] = [
    "SỞ TÀI CHÍNH TỈNH HÀ NAM",
    "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2025",
    "(Kèm theo Tờ trình số 15/TTr-STC ngày 10/12/2025)",
];

/// Row of the header (1-based, as Excel numbers rows): the title, a blank
/// row, then the header.
const HEADER_ROW: usize = 5;

const HEADER: [&str; 11] = [
    "STT",
    "Họ tên",
    "Đơn vị",
    "Chức vụ",
    "Xếp loại\nchất lượng",
    "Số tháng công tác",
    "Điểm đánh giá",
    "Hình thức kỷ luật",
    "Sáng kiến",
    "Hình thức đề nghị",
    "Ghi chú",
];

/// Columns holding numbers: STT, months, score.
const NUMBER_COLS: [usize; 3] = [0, 5, 6];

const SHEET: &str = "Danh sách";

const HTXS: &str = "Hoàn thành xuất sắc nhiệm vụ";
const HTT: &str = "Hoàn thành tốt nhiệm vụ";
const HTNV: &str = "Hoàn thành nhiệm vụ";
const VP: &str = "Văn phòng Sở";
const NS: &str = "Phòng Quản lý ngân sách";
const DN: &str = "Phòng Tài chính doanh nghiệp";
const TT: &str = "Thanh tra Sở";

/// One row of the list: STT ("" on a person's second proposal row), name,
/// unit, post, rating, months worked, score, discipline, initiative,
/// proposal, note.
type Entry = [&'static str; 11];

#[rustfmt::skip]
const LIST: [Entry; 41] = [
    ["1", "Nguyễn Văn Hùng", VP, "Chánh Văn phòng", HTXS, "12", "95", "Không", "Có", "CSTĐCS", ""],
    ["2", "Trần Thị Thu Hà", VP, "Phó Chánh Văn phòng", HTXS, "12", "93.5", "Không", "Không", "Chiến sỹ thi đua cơ sở", ""],
    ["3", "Lê Minh Tuấn", VP, "Chuyên viên", HTT, "12", "88", "Không", "Không", "LĐTT", ""],
    ["4", "Phạm Thị Lan", VP, "Chuyên viên", HTT, "12", "86.5", "Không", "Không", "Lao động tiên tiến", ""],
    ["5", "Đỗ Văn Nam", VP, "Chuyên viên", HTNV, "12", "72", "Không", "Không", "LĐTT", ""],
    ["6", "Hoàng Thị Mai", VP, "Kế toán", HTT, "12", "87", "Không", "Không", "LĐTT", ""],
    ["7", "Vũ Đức Thắng", VP, "Lái xe", HTT, "12", "85", "Không", "Không", "Lao động tiên tiến", ""],
    ["8", "Bùi Thị Hồng", VP, "Văn thư", HTT, "4", "80", "Không", "Không", "LĐTT", "Tuyển dụng tháng 9/2025"],
    ["9", "Ngô Quang Huy", VP, "Chuyên viên", HTXS, "12", "91", "Không", "Có", "CSTĐCS; Giấy khen", ""],
    ["10", "Đinh Thị Ngọc Ánh", VP, "Chuyên viên", HTT, "12", "84", "Không", "Không", "", ""],
    ["11", "Trịnh Văn Long", NS, "Trưởng phòng", HTXS, "12", "96", "Không", "Có", "CSTĐCS", ""],
    ["", "Trịnh Văn Long", NS, "Trưởng phòng", HTXS, "12", "96", "Không", "Có", "Giấy khen", ""],
    ["12", "Nguyễn Thị Thanh Hương", NS, "Phó Trưởng phòng", HTT, "12", "89", "Không", "Không", "CSTĐCS", ""],
    ["13", "Lý Văn Đức", NS, "Chuyên viên chính", HTT, "12", "87.5", "Khiển trách", "Không", "LĐTT", "Quyết định kỷ luật tháng 6/2025"],
    ["14", "Phan Thị Thu Trang", NS, "Chuyên viên", "", "12", "", "Không", "Không", "LĐTT", "Chưa có kết quả xếp loại"],
    ["15", "Cao Minh Khôi", NS, "Chuyên viên", HTT, "12", "85.5", "Không", "Không", "LĐTT", ""],
    ["16", "Đặng Thị Yến", NS, "Chuyên viên", HTT, "12", "86", "Không", "Không", "Lao động tiên tiến", ""],
    ["17", "Mai Xuân Trường", NS, "Chuyên viên", HTT, "12", "88", "Không", "Không", "Giấy khen", ""],
    ["18", "Tạ Thị Bích Ngọc", NS, "Chuyên viên", HTXS, "12", "92", "Không", "Không", "Chiến sỹ thi đua cơ sở", ""],
    ["19", "Lương Văn Thành", NS, "Chuyên viên", HTT, "12", "84.5", "Không", "Không", "LĐTT", ""],
    ["20", "Hà Thị Phương", NS, "Chuyên viên", HTT, "12", "85", "Không", "Không", "LĐTT", ""],
    ["21", "Nguyễn Đức Mạnh", DN, "Trưởng phòng", HTXS, "12", "94", "Không", "Có", "CSTĐCS", ""],
    ["22", "Võ Thị Kim Oanh", DN, "Phó Trưởng phòng", HTT, "12", "88.5", "Không", "Có", "CSTĐCS", ""],
    ["23", "Trần Quốc Bảo", DN, "Chuyên viên", HTT, "12", "86", "Không", "Không", "LĐTT", ""],
    ["24", "Đoàn Thị Hải Yến", DN, "Chuyên viên", "", "12", "", "Không", "Không", "Lao động tiên tiến", ""],
    ["25", "Kiều Văn Sơn", DN, "Chuyên viên", HTT, "12", "85", "Không", "Không", "LĐTT", ""],
    ["26", "Lại Thị Thảo", DN, "Chuyên viên", "Hoàn thành tốt", "12", "87", "Không", "Không", "LĐTT", ""],
    ["27", "Nghiêm Văn Dũng", DN, "Chuyên viên", HTT, "12", "83.5", "Không", "Không", "Giấy khen", ""],
    ["28", "Tô Thị Minh Châu", DN, "Chuyên viên", HTT, "12", "86", "Không", "Không", "LĐTT", ""],
    ["29", "Hồ Văn Tài", DN, "Chuyên viên", HTT, "12", "85", "Không", "Không", "LĐTT", ""],
    ["30", "Chu Thị Loan", DN, "Chuyên viên", HTT, "9", "85", "Không", "Không", "LĐTT", "Tiếp nhận tháng 4/2025"],
    ["31", "Phùng Văn Quyết", TT, "Chánh Thanh tra", HTXS, "12", "95.5", "Không", "Không", "CSTĐCS", ""],
    ["32", "Đàm Thị Hạnh", TT, "Phó Chánh Thanh tra", HTT, "12", "89", "Không", "Không", "LĐTT", ""],
    ["33", "Triệu Văn Hải", TT, "Thanh tra viên", HTT, "12", "87", "Không", "Không", "LĐTT", ""],
    ["34", "Khúc Thị Nhung", TT, "Thanh tra viên", HTT, "12", "86", "Không", "Không", "Lao động tiên tiến", ""],
    ["35", "Mạc Đăng Khoa", TT, "Thanh tra viên", HTT, "12", "85", "Không", "Không", "LĐTT", "Chuyển công tác tháng 11/2025"],
    ["36", "Âu Thị Thủy", TT, "Thanh tra viên", HTT, "12", "86", "Không", "Không", "LĐTT", ""],
    ["37", "Giang Văn Phúc", TT, "Thanh tra viên", HTT, "12", "84", "Không", "Không", "CSTĐCS", ""],
    ["38", "Quách Thị Diệu Linh", TT, "Chuyên viên", HTT, "12", "86.5", "Không", "Không", "LĐTT", ""],
    ["39", "Thân Văn Lộc", TT, "Chuyên viên", HTT, "12", "85", "Không", "Không", "Giấy khen", ""],
    ["40", "La Thị Tuyết", TT, "Chuyên viên", "Hoàn thành xuất sắc", "12", "90", "Không", "Có", "LĐTT", ""],
];

/// The person whose row the workbook hides (moved away; still on the list).
const HIDDEN: &str = "Mạc Đăng Khoa";

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/council")
}

/// The sheet as Excel rows from row 1: the title, a blank row, the header,
/// the list; every row as wide as the header.
fn grid() -> Vec<Vec<String>> {
    let width = HEADER.len();
    let row = |cells: &[&str]| -> Vec<String> {
        let mut r: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
        r.resize(width, String::new());
        r
    };
    let mut rows: Vec<Vec<String>> = TITLE.iter().map(|t| row(&[t])).collect();
    rows.push(row(&[]));
    rows.push(row(&HEADER));
    rows.extend(LIST.iter().map(|e| row(e)));
    rows
}

/// Excel row number (1-based) of the hidden person.
fn hidden_row() -> u64 {
    let i = LIST.iter().position(|e| e[1] == HIDDEN).unwrap();
    (HEADER_ROW + 1 + i) as u64
}

fn csv_file(rows: &[Vec<String>], delimiter: u8) -> Vec<u8> {
    let mut out = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    for r in rows {
        out.write_record(r).unwrap();
    }
    out.into_inner().unwrap()
}

fn csv_utf8() -> Vec<u8> {
    csv_file(&grid(), b',')
}

/// Semicolons, and a comma as the decimal mark in the number columns.
fn csv_vi() -> Vec<u8> {
    let mut rows = grid();
    for r in rows.iter_mut().skip(HEADER_ROW) {
        for c in NUMBER_COLS {
            r[c] = r[c].replace('.', ",");
        }
    }
    csv_file(&rows, b';')
}

fn xlsx() -> Vec<u8> {
    let mut book = Workbook::new();
    // A fixed date, so that writing the file again changes nothing.
    let made = ExcelDateTime::parse_from_str("2025-12-10T08:00:00Z").unwrap();
    book.set_properties(
        &DocProperties::new()
            .set_author("Sở Tài chính tỉnh Hà Nam")
            .set_creation_datetime(&made),
    );
    let ws = book.add_worksheet();
    ws.set_name(SHEET).unwrap();
    let last_col = (HEADER.len() - 1) as u16;
    let title = Format::new().set_bold().set_align(FormatAlign::Center);
    for (r, t) in TITLE.iter().enumerate() {
        let f = if r == 2 {
            Format::new().set_italic().set_align(FormatAlign::Center)
        } else {
            title.clone()
        };
        ws.merge_range(r as u32, 0, r as u32, last_col, t, &f)
            .unwrap();
    }
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_border(FormatBorder::Thin);
    let cell = Format::new().set_border(FormatBorder::Thin);
    let header = (HEADER_ROW - 1) as u32;
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string_with_format(header, c as u16, *h, &head)
            .unwrap();
    }
    for (i, entry) in LIST.iter().enumerate() {
        let r = header + 1 + i as u32;
        for (c, v) in entry.iter().enumerate() {
            let c16 = c as u16;
            if v.is_empty() {
                ws.write_blank(r, c16, &cell).unwrap();
            } else if NUMBER_COLS.contains(&c) {
                let n: f64 = v.parse().unwrap();
                ws.write_number_with_format(r, c16, n, &cell).unwrap();
            } else {
                ws.write_string_with_format(r, c16, *v, &cell).unwrap();
            }
        }
    }
    for (c, w) in [5, 24, 28, 20, 26, 10, 10, 12, 10, 22, 30]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *w).unwrap();
    }
    ws.set_row_height(header, 32).unwrap();
    ws.set_row_hidden((hidden_row() - 1) as u32).unwrap();
    book.save_to_buffer().unwrap()
}

fn parse(bytes: &[u8], delimiter: u8) -> Vec<Vec<String>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The three files, as the list makes them.
fn files() -> [(&'static str, Vec<u8>); 3] {
    [
        ("ds-utf8.csv", csv_utf8()),
        ("ds-vi.csv", csv_vi()),
        ("ds.xlsx", xlsx()),
    ]
}

/// With `TDKT_WRITE_FIXTURES` set, writes the files, once, before any test
/// reads them.
fn write_if_asked() {
    static WRITTEN: std::sync::Once = std::sync::Once::new();
    WRITTEN.call_once(|| {
        if std::env::var_os("TDKT_WRITE_FIXTURES").is_some() {
            std::fs::create_dir_all(dir()).unwrap();
            for (name, bytes) in files() {
                std::fs::write(dir().join(name), bytes).unwrap();
            }
        }
    });
}

fn committed(name: &str) -> Vec<u8> {
    write_if_asked();
    let path = dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; TDKT_WRITE_FIXTURES=1 cargo test --test council_fixtures",
            path.display()
        )
    })
}

#[test]
fn fixtures_are_what_the_list_makes() {
    // The workbook's bytes hold the zip's and the writer's own choices; it
    // is checked by what it reads back to (below).
    for (name, bytes) in &files()[..2] {
        assert!(
            committed(name) == *bytes,
            "{name} differs from what the list makes; \
             TDKT_WRITE_FIXTURES=1 cargo test --test council_fixtures"
        );
    }
}

/// The committed workbook reads, through the reader of workbooks, to the
/// CSV's grid: the same rows at the same numbers, the title's merged cells
/// repeating the title where the CSV leaves them blank.
#[test]
fn the_workbook_reads_back_to_the_csv() {
    let sheet = read_sheet("ds.xlsx", &committed("ds.xlsx"), None, &|_| false).unwrap();
    assert_eq!(sheet.sheet, SHEET);
    assert_eq!(sheet.hidden_rows, vec![hidden_row()]);
    let book = parse(&sheet.csv, b',');
    let csv = parse(&committed("ds-utf8.csv"), b',');
    assert_eq!(book.len(), csv.len());
    for (r, (b, c)) in book.iter().zip(&csv).enumerate() {
        if r < TITLE.len() {
            assert_eq!(c[0], TITLE[r]);
            assert!(c[1..].iter().all(String::is_empty), "row {}", r + 1);
            assert!(b.iter().all(|v| v == TITLE[r]), "row {}: {b:?}", r + 1);
        } else {
            assert_eq!(b, c, "row {}", r + 1);
        }
    }
    assert_eq!(csv[HEADER_ROW - 1][4], "Xếp loại\nchất lượng");
    assert_eq!(csv[HEADER_ROW][6], "95");
    assert_eq!(csv[HEADER_ROW + 1][6], "93.5");
}

#[test]
fn the_vietnamese_csv_is_the_same_list() {
    let vi = parse(&committed("ds-vi.csv"), b';');
    let utf8 = parse(&committed("ds-utf8.csv"), b',');
    assert_eq!(vi.len(), utf8.len());
    let mut decimals = 0;
    for (v, u) in vi.iter().zip(&utf8) {
        for (c, (a, b)) in v.iter().zip(u).enumerate() {
            if a != b {
                assert!(NUMBER_COLS.contains(&c) && *a == b.replace('.', ","));
                decimals += 1;
            }
        }
        assert_eq!(v.len(), u.len());
    }
    assert!(decimals > 5, "{decimals}");
    let text = String::from_utf8(committed("ds-vi.csv")).unwrap();
    assert!(text.starts_with('\u{FEFF}') && text.contains("\r\n6;Hoàng Thị Mai;"));
}

/// What the list is meant to hold, so that an edit keeps it a fixture worth
/// having.
#[test]
fn the_list_is_as_councils_send_it() {
    let mut people: Vec<(&str, &str)> = LIST.iter().map(|e| (e[1], e[2])).collect();
    people.sort();
    people.dedup();
    assert_eq!(people.len(), 40);
    let mut units: Vec<&str> = LIST.iter().map(|e| e[2]).collect();
    units.sort();
    units.dedup();
    assert_eq!(units.len(), 4);
    assert!(!HEADER.iter().any(|h| h.contains("Mã")));
    let proposals: Vec<&str> = LIST.iter().map(|e| e[9]).collect();
    for spelling in [
        "LĐTT",
        "Lao động tiên tiến",
        "CSTĐCS",
        "Chiến sỹ thi đua cơ sở",
        "Giấy khen",
        "CSTĐCS; Giấy khen",
    ] {
        assert!(proposals.contains(&spelling), "{spelling}");
    }
    assert_eq!(proposals.iter().filter(|p| p.is_empty()).count(), 1);
    // One person on two rows: CSTĐCS, then Giấy khen.
    let two: Vec<&Entry> = LIST.iter().filter(|e| e[0].is_empty()).collect();
    assert_eq!(two.len(), 1);
    let first = LIST.iter().find(|e| e[1] == two[0][1]).unwrap();
    assert_eq!((first[9], two[0][9]), ("CSTĐCS", "Giấy khen"));
    assert_eq!(LIST.iter().filter(|e| e[7] == "Khiển trách").count(), 1);
    assert!(LIST.iter().filter(|e| e[4].is_empty()).count() >= 2);
    assert!(LIST.iter().any(|e| e[4] == HTNV && e[9] == "LĐTT"));
    assert!(LIST.iter().any(|e| e[5].parse::<u32>().unwrap() < 6));
    assert!(LIST.iter().all(|e| {
        e.iter()
            .all(|v| unicode_normalization::is_nfc(v) && v.trim() == *v)
    }));
}
