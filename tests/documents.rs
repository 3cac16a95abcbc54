//! The documents the council takes into the meeting: the printable report
//! (HTML, and PDF through headless Chromium), the list back as xlsx and csv.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{args, run};
use std::io::Read;
use std::path::{Path, PathBuf};
use tdkt::cli::{Exit, check_format::Format};
use tdkt::report::listing::Listing;
use tdkt::{Check, ListSource, Rules};

const LIST: &str = "examples/ca-nhan-tap-the-mau.csv";
const GROUPS: &str = "tap_the=examples/tap-the-mau.csv";
const OVERLAY: &str = "rules/dia-phuong/cstdcs-15-luat-2022";
const AT: &str = "16:00 ngày 07/12/2026";

/// The HTML report of the sample lists (persons and collectives, a rate),
/// checked at a fixed time.
fn sample_html() -> String {
    let rules = Rules::load(&[PathBuf::from(OVERLAY)], &[]).unwrap();
    let checked = Check::new(&rules)
        .list(ListSource::path(LIST))
        .unwrap()
        .table("tap_the", ListSource::path("examples/tap-the-mau.csv"))
        .unwrap()
        .threads(1)
        .run()
        .unwrap();
    let listing = Listing::new(&checked.report, &rules.rule_set().plan, &[], AT).unwrap();
    tdkt::report::html::render(&checked.report, &listing)
}

/// `text` with each SHA-256 (64 hex digits) shown as `[sha256]`: the
/// rule files' hashes change with every edit of their comments.
fn without_hashes(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(|c: char| c.is_ascii_hexdigit()) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let n = rest
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(rest.len());
        out.push_str(if n == 64 { "[sha256]" } else { &rest[..n] });
        rest = &rest[n..];
    }
    out.push_str(rest);
    out
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tdkt-documents-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_printable_report() {
    let html = sample_html();
    // One element a line, so that a change reads as a change of lines.
    let mut lines = without_hashes(&html);
    for end in [
        "</tr>", "</h1>", "</h2>", "</h3>", "</p>", "</li>", "</table>", "</style>",
    ] {
        lines = lines.replace(end, &format!("{end}\n"));
    }
    insta::assert_snapshot!(lines);
}

#[test]
fn the_printable_report_is_self_contained_and_shaped_like_a_council_document() {
    let html = sample_html();
    for part in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "KẾT QUẢ KIỂM TRA DANH SÁCH ĐỀ NGHỊ",
        "I. TỔNG HỢP",
        "II. DANH SÁCH ĐỦ ĐIỀU KIỆN",
        "I. Cá nhân",
        "II. Tập thể",
        "Số phiếu đồng ý / Tỷ lệ",
        "III. KHÔNG ĐỦ ĐIỀU KIỆN HOẶC CHƯA XÁC ĐỊNH",
        "IV. ĐẠT TIÊU CHUẨN DANH HIỆU CAO HƠN HÌNH THỨC ĐƯỢC ĐỀ NGHỊ",
        "V. TỶ LỆ THEO ĐƠN VỊ",
        "VI. LỖI DỮ LIỆU",
        "NGƯỜI KIỂM TRA",
        "THƯ KÝ HỘI ĐỒNG",
        "@page",
        AT,
    ] {
        assert!(html.contains(part), "{part}");
    }
    // Nothing to run and nothing to fetch.
    for absent in ["<script", "src=", "href=", "http://", "https://", "@import"] {
        assert!(!html.contains(absent), "{absent}");
    }
}

/// The sample list with one row's name, note and post changed to what a
/// careless or hostile sender might write.
fn hostile_list(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string("examples/danh-sach-mau.csv").unwrap();
    let text = text
        .replacen("Nguyễn Văn An", "<script>alert(1)</script>", 1)
        .replacen("Trưởng phòng,Có", "\"=HYPERLINK(\"\"http://x\"\")\",Có", 1);
    let path = dir.join("ds.csv");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_name_from_the_list_is_shown_as_text() {
    let dir = scratch("escape");
    let list = hostile_list(&dir);
    let mut a = args(list.to_str(), Vec::new(), &[], Format::Html);
    a.output = Some(dir.join("bao-cao.html"));
    let (_, err, exit) = run(&a);
    assert_eq!(exit, Exit::Fail, "{err}");
    let html = std::fs::read_to_string(dir.join("bao-cao.html")).unwrap();
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<script"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Headless Chromium, if installed.
fn chromium() -> Option<PathBuf> {
    tdkt::cli::documents::chromium()
}

#[test]
fn the_report_prints_to_pdf_with_its_sections_and_names() {
    if chromium().is_none() {
        eprintln!("BỎ QUA: không có Chromium (apt-get install chromium) — không thử in PDF");
        return;
    }
    if std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_err()
    {
        eprintln!(
            "BỎ QUA: không có pdftotext (apt-get install poppler-utils) — không đọc được PDF"
        );
        return;
    }
    let dir = scratch("pdf");
    let pdf = dir.join("bao-cao.pdf");
    let mut a = args(Some(LIST), vec![GROUPS.into()], &[OVERLAY], Format::Pdf);
    a.output = Some(pdf.clone());
    let (_, err, exit) = run(&a);
    assert_eq!(exit, Exit::Fail, "{err}");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for part in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "I. TỔNG HỢP",
        "II. DANH SÁCH ĐỦ ĐIỀU KIỆN",
        "III. KHÔNG ĐỦ ĐIỀU KIỆN HOẶC CHƯA XÁC ĐỊNH",
        "IV. ĐẠT TIÊU CHUẨN DANH HIỆU CAO HƠN HÌNH THỨC ĐƯỢC ĐỀ NGHỊ",
        "V. TỶ LỆ THEO ĐƠN VỊ",
        "VI. LỖI DỮ LIỆU",
        "THƯ KÝ HỘI ĐỒNG",
        "Nguyễn Thị Lan",
    ] {
        assert!(text.contains(part), "«{part}» not in the PDF:\n{text}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

#[test]
fn the_list_comes_back_in_excel_with_its_results() {
    let dir = scratch("xlsx");
    let list = hostile_list(&dir);
    let out = dir.join("ket-qua.xlsx");
    let mut a = args(list.to_str(), Vec::new(), &[], Format::Xlsx);
    a.output = Some(out.clone());
    let (_, err, exit) = run(&a);
    assert_eq!(exit, Exit::Fail, "{err}");
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    let names = book.sheet_names();
    assert_eq!(names[1..], ["Tổng hợp", "Tỷ lệ theo đơn vị", "Lỗi dữ liệu"]);
    let sheet = book.worksheet_range(&names[0]).unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    let header = &rows[0];
    // The sample list's 18 columns, the last «Ghi chú».
    let width = 18;
    assert_eq!(header[width - 1], "Ghi chú");
    assert_eq!(header[0], "Mã cán bộ");
    assert_eq!(header[width..], ["Kết quả", "Lý do", "Căn cứ"]);
    // Row 2: the first proposal, its name kept as sent, its post neutralised.
    assert_eq!(rows[1][1], "<script>alert(1)</script>");
    assert_eq!(rows[1][3], "'=HYPERLINK(\"http://x\")");
    assert_eq!(rows[1][width], "Đạt, chờ bỏ phiếu");
    // A failing row says why, with the law.
    let failing = rows.iter().find(|r| r[1] == "Bùi Thanh Hương").unwrap();
    assert_eq!(failing[width], "Không đủ điều kiện");
    assert!(
        failing[width + 1].contains("Xếp loại chất lượng"),
        "{failing:?}"
    );
    assert!(
        failing[width + 2].contains("Luật Thi đua, khen thưởng"),
        "{failing:?}"
    );
    // Numbers stay numbers.
    assert_eq!(sheet.get_value((1, 7)), Some(&Data::Float(12.0)));
    // The verdicts' colours are in the workbook's styles.
    let mut styles = String::new();
    zip::ZipArchive::new(std::fs::File::open(&out).unwrap())
        .unwrap()
        .by_name("xl/styles.xml")
        .unwrap()
        .read_to_string(&mut styles)
        .unwrap();
    for rgb in ["FFC6EFCE", "FFFFC7CE", "FFFFEB9C"] {
        assert!(styles.contains(rgb), "{rgb}");
    }
    let summary = book.worksheet_range("Tổng hợp").unwrap();
    let total = summary
        .rows()
        .find(|r| cell_text(&r[0]) == "Cộng")
        .unwrap()
        .iter()
        .map(cell_text)
        .collect::<Vec<_>>();
    assert_eq!(total[1..], ["28", "20", "5", "3", "4"]);
    let errors = book.worksheet_range("Lỗi dữ liệu").unwrap();
    assert!(
        errors
            .rows()
            .any(|r| cell_text(&r[2]) == "Xếp loại chất lượng")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_workbook_comes_back_with_its_title_rows_and_hidden_row() {
    let dir = scratch("xlsx-title");
    let out = dir.join("ket-qua.xlsx");
    let mut a = args(
        Some("tests/fixtures/council/ds.xlsx"),
        Vec::new(),
        &[],
        Format::Xlsx,
    );
    a.output = Some(out.clone());
    let (_, err, exit) = run(&a);
    assert_ne!(exit, Exit::Error, "{err}");
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(book.sheet_names()[0], "Danh sách");
    let sheet = book.worksheet_range("Danh sách").unwrap();
    assert_eq!(
        cell_text(sheet.get_value((0, 0)).unwrap()),
        "SỞ TÀI CHÍNH TỈNH HÀ NAM"
    );
    assert_eq!(cell_text(sheet.get_value((4, 1)).unwrap()), "Họ tên");
    assert_eq!(cell_text(sheet.get_value((4, 11)).unwrap()), "Kết quả");
    assert_eq!(
        cell_text(sheet.get_value((5, 1)).unwrap()),
        "Nguyễn Văn Hùng"
    );
    // A person proposed twice on one row: one cell lists both results.
    let row = sheet
        .rows()
        .find(|r| cell_text(&r[1]) == "Ngô Quang Huy")
        .unwrap();
    let result = cell_text(&row[11]);
    assert!(
        result.contains("Chiến sĩ thi đua cơ sở: ") && result.contains("Giấy khen: "),
        "{result}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_list_comes_back_as_csv_for_excel() {
    let dir = scratch("csv");
    let out = dir.join("ket-qua.csv");
    let mut a = args(
        Some("tests/fixtures/council/ds-vi.csv"),
        Vec::new(),
        &[],
        Format::Csv,
    );
    a.output = Some(out.clone());
    let (_, err, exit) = run(&a);
    assert_ne!(exit, Exit::Error, "{err}");
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "no BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(&rows[0][0], "SỞ TÀI CHÍNH TỈNH HÀ NAM");
    let header: Vec<&str> = rows[4].iter().collect();
    assert_eq!(header[11..], ["Kết quả", "Lý do", "Căn cứ"]);
    // Award names as the list wrote them and the results in words.
    assert_eq!(&rows[5][1], "Nguyễn Văn Hùng");
    assert_eq!(&rows[5][9], "CSTĐCS");
    assert!(["Đủ điều kiện", "Không đủ điều kiện", "Chưa xác định"].contains(&&rows[5][11]));

    let list = hostile_list(&dir);
    let out = dir.join("ket-qua-2.csv");
    let mut a = args(list.to_str(), Vec::new(), &[], Format::Csv);
    a.output = Some(out.clone());
    run(&a);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains(",\"'=HYPERLINK(\"\"http://x\"\")\","),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_list_is_never_written_over() {
    let dir = scratch("overwrite");
    let list = hostile_list(&dir);
    let before = std::fs::read(&list).unwrap();
    // The same file spelled another way.
    let other = dir.join(".").join("ds.csv");
    for format in [Format::Xlsx, Format::Csv, Format::Html] {
        let mut a = args(list.to_str(), Vec::new(), &[], format);
        a.output = Some(other.clone());
        let (_, err, exit) = run(&a);
        assert_eq!(exit, Exit::Error);
        assert!(err.contains("không ghi đè"), "{err}");
    }
    // Through a link, and for the text report too.
    let link = dir.join("lien-ket.csv");
    std::os::unix::fs::symlink(&list, &link).unwrap();
    for format in [Format::Text, Format::Json, Format::Csv] {
        let mut a = args(list.to_str(), Vec::new(), &[], format);
        a.output = Some(link.clone());
        let (_, err, exit) = run(&a);
        assert_eq!(exit, Exit::Error, "{err}");
    }
    assert_eq!(std::fs::read(&list).unwrap(), before);
    // `-o` takes the JSON report to a file of its own.
    let mut a = args(list.to_str(), Vec::new(), &[], Format::Json);
    a.output = Some(dir.join("ket-qua.json"));
    let (out, _, exit) = run(&a);
    assert_eq!(exit, Exit::Fail);
    assert!(out.is_empty());
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("ket-qua.json")).unwrap()).unwrap();
    assert_eq!(json["summary"]["candidates"], 28);
    let mut a = args(list.to_str(), Vec::new(), &[], Format::Xlsx);
    a.output = None;
    let (_, err, exit) = run(&a);
    assert_eq!(exit, Exit::Error);
    assert!(err.contains("-o ket-qua.xlsx"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The texts of a .docx, paragraph by paragraph (tables' cells included).
fn docx_texts(path: &Path) -> Vec<String> {
    let mut xml = String::new();
    zip::ZipArchive::new(std::fs::File::open(path).unwrap())
        .unwrap()
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    doc.descendants()
        .filter(|n| n.tag_name().name() == "p")
        .map(|p| {
            p.descendants()
                .filter(|n| n.tag_name().name() == "t")
                .filter_map(|n| n.text())
                .collect::<String>()
        })
        .filter(|t| !t.is_empty())
        .collect()
}

#[test]
fn the_passing_list_as_the_annex_of_a_to_trinh() {
    let dir = scratch("docx");
    let out = dir.join("danh-sach.docx");
    let mut a = args(Some(LIST), vec![GROUPS.into()], &[OVERLAY], Format::Docx);
    a.output = Some(out.clone());
    let (_, err, exit) = run(&a);
    assert_eq!(exit, Exit::Fail, "{err}");
    let texts = docx_texts(&out);
    let at = |t: &str| {
        texts
            .iter()
            .position(|x| x == t)
            .unwrap_or_else(|| panic!("{t}: {texts:?}"))
    };
    assert_eq!(texts[0], "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG");
    assert!(texts[1].starts_with("(Kèm theo Tờ trình số …/TTr-…"));
    let (persons, groups) = (at("I. CÁ NHÂN"), at("II. TẬP THỂ"));
    assert_eq!(
        texts[persons + 1..persons + 5],
        ["STT", "Họ và tên", "Chức vụ, đơn vị", "Hình thức đề nghị"]
    );
    // Only those who pass: Trần Văn Minh (CSTĐCS, waiting only for the
    // council's ballot: the council votes on him) is listed, Nguyễn Thị Lan
    // (unknown) is not.
    let minh = at("Trần Văn Minh");
    assert!(persons < minh && minh < groups);
    // In the order of the printable report's section II: by unit, then
    // award (Phòng Kế hoạch – Tài chính's CSTĐCS before Trung tâm Công
    // nghệ thông tin's LĐTT).
    assert!(minh < at("Mai Thị Ánh"));
    assert_eq!(texts[minh + 2], "Chiến sĩ thi đua cơ sở");
    assert!(!texts.iter().any(|t| t == "Nguyễn Thị Lan"));
    assert!(at("Tập thể lao động xuất sắc") > groups);

    // A name from the list stays text.
    let list = hostile_list(&dir);
    let mut a = args(list.to_str(), Vec::new(), &[], Format::Docx);
    a.output = Some(out.clone());
    run(&a);
    assert!(
        docx_texts(&out)
            .iter()
            .any(|t| t == "<script>alert(1)</script>")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_list_whose_rows_cannot_be_met_again_is_refused_not_misaligned() {
    let dir = scratch("stray");
    // A quote opened in row 5's «Chức vụ» and never closed: the check reads
    // the lines it swallows as rows; a plain CSV reading would not.
    let text = std::fs::read_to_string("examples/danh-sach-mau.csv").unwrap();
    let text = text.replacen(
        "CB004,Phạm Thu Dung,Phòng Tổ chức cán bộ,Chuyên viên,",
        "CB004,Phạm Thu Dung,Phòng Tổ chức cán bộ,\"Chuyên viên,",
        1,
    );
    assert!(text.contains("\"Chuyên viên,"));
    let list = dir.join("ds.csv");
    std::fs::write(&list, text).unwrap();
    let mut a = args(list.to_str(), Vec::new(), &[], Format::Xlsx);
    a.output = Some(dir.join("ket-qua.xlsx"));
    let (_, err, exit) = run(&a);
    assert_eq!(exit, Exit::Error);
    assert!(
        err.contains("đúng từng dòng") && err.contains("ngoặc kép"),
        "{err}"
    );
    assert!(!dir.join("ket-qua.xlsx").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
