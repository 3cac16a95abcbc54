//! The printable report: one self-contained HTML page (inline CSS, no
//! script, nothing fetched), A4, in the shape of the documents a council
//! works from (a national heading, numbered sections, a signature block).
//! Every text from a list or a rule file goes through maud, which escapes it.

use super::listing::{Counts, Listing, award_rank, tallies, verdict_words};
use super::model::{Candidate, Group, Report};
use crate::eval::Tri;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use std::collections::BTreeSet;

/// The report's style, for the standalone document and the page.
pub const CSS: &str = r#"
@page { size: A4; margin: 18mm 15mm 18mm 20mm; }
body { font-family: "Times New Roman", "Liberation Serif", "DejaVu Serif", serif; font-size: 12pt; color: #000; max-width: 190mm; margin: 0 auto; }
.quoc-hieu { display: flex; justify-content: space-between; text-align: center; margin-bottom: 8mm; }
.quoc-hieu > div:first-child { width: 40%; }
.quoc-hieu > div:last-child { width: 60%; }
.quoc-hieu .dong-1 { white-space: nowrap; }
.quoc-hieu .dong-1 { font-weight: bold; }
.quoc-hieu .gach { font-weight: bold; text-decoration: underline; }
h1 { font-size: 14pt; text-align: center; margin: 4mm 0 1mm; }
.phu-de { text-align: center; font-style: italic; margin-bottom: 6mm; }
h2 { font-size: 13pt; margin: 6mm 0 2mm; page-break-after: avoid; }
h3 { font-size: 12pt; margin: 4mm 0 2mm; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin-bottom: 3mm; }
th, td { border: 0.6pt solid #000; padding: 1mm 1.5mm; vertical-align: top; font-size: 11pt; }
th { background: #eee; text-align: center; }
th.stt { width: 8mm; } th.ten { width: 24%; } th.hinh-thuc { width: 16%; } th.ket-qua { width: 12%; } th.can-cu { width: 18%; } th.phieu { width: 22%; }
table.tep td { font-size: 9pt; }
tr { page-break-inside: avoid; }
td.so { text-align: right; white-space: nowrap; }
td.giua { text-align: center; }
table.thong-tin td { border: none; padding: 0.5mm 1mm; }
.dat { color: #05612b; } .khong-dat { color: #9b1c1c; font-weight: bold; } .chua-ro { color: #8a5a00; font-weight: bold; }
.ma { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; word-break: break-all; }
.ghi-chu { font-style: italic; }
.chu-ky { display: flex; justify-content: space-around; text-align: center; margin-top: 10mm; page-break-inside: avoid; }
.chu-ky > div { width: 45%; min-height: 35mm; }
.chu-ky .ky { font-style: italic; }
h3.phu-luc { page-break-before: always; }
@media screen { body { padding: 10mm 0; } }
"#;

/// The report as an HTML page.
pub fn render(r: &Report, l: &Listing) -> String {
    page(r, l).into_string()
}

fn class(t: Tri) -> &'static str {
    match t {
        Tri::True => "dat",
        Tri::False => "khong-dat",
        Tri::Unknown => "chua-ro",
    }
}

fn page(r: &Report, l: &Listing) -> Markup {
    html! {
        (DOCTYPE)
        html lang="vi" {
            head {
                meta charset="utf-8";
                title { "Kết quả kiểm tra danh sách đề nghị khen thưởng" }
                style { (PreEscaped(CSS)) }
            }
            body { (body(r, l)) }
        }
    }
}

/// The report's content, without the page around it: the standalone
/// document and the council's page (`tdkt serve`) show the same sections.
/// Its classes are styled by [`CSS`].
pub fn body(r: &Report, l: &Listing) -> Markup {
    let title = match r.regime.review_year {
        Some(y) => format!("Năm xét {y}"),
        None => String::new(),
    };
    html! {
        div.quoc-hieu {
            div {
                div.dong-1 { "HỘI ĐỒNG THI ĐUA, KHEN THƯỞNG" }
                div { "…………………………" }
            }
            div {
                div.dong-1 { "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" }
                div.gach { "Độc lập - Tự do - Hạnh phúc" }
                div.ghi-chu { "……, ngày …… tháng …… năm ……" }
            }
        }
        h1 { "KẾT QUẢ KIỂM TRA DANH SÁCH ĐỀ NGHỊ THI ĐUA, KHEN THƯỞNG" }
        div.phu-de {
            @if !title.is_empty() { (title) "; " }
            "kiểm tra lúc " (l.checked_at)
        }
        (basis(r, l))
        (summary(r, l))
        (passing(r, l))
        (failing(r, l))
        (rates(r))
        (errors(r))
        div.chu-ky {
            div { b { "NGƯỜI KIỂM TRA" } br; span.ky { "(Ký, ghi rõ họ tên)" } }
            div { b { "THƯ KÝ HỘI ĐỒNG" } br; span.ky { "(Ký, ghi rõ họ tên)" } }
        }
        (rule_files(r))
    }
}

fn period(r: &Report) -> Option<String> {
    let vn = super::text::iso_to_vn;
    match (&r.rules.effective, &r.rules.until) {
        (Some(e), Some(u)) => Some(format!("hiệu lực từ {} đến {}", vn(e), vn(u))),
        (Some(e), None) => Some(format!("hiệu lực từ {}", vn(e))),
        (None, Some(u)) => Some(format!("hiệu lực đến {}", vn(u))),
        (None, None) => None,
    }
}

/// Every citation the report's reasons and rates name, once, in the order
/// of their numbers (Điều 4 before Điều 23).
fn citations(r: &Report) -> Vec<&str> {
    let mut set = BTreeSet::new();
    for c in &r.candidates {
        set.extend(c.reasons.iter().filter_map(|x| x.cite()));
    }
    set.extend(r.groups.iter().filter_map(|g| g.cite.as_deref()));
    set.remove("xem mục «Lỗi dữ liệu»");
    let mut v: Vec<&str> = set.into_iter().collect();
    v.sort_by_cached_key(|c| natural(c));
    v
}

/// A key ordering numbers within a text by their value.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Piece {
    Number(u64),
    Text(String),
}

fn natural(s: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits > 0 {
            out.push(Piece::Number(rest[..digits].parse().unwrap_or(u64::MAX)));
            rest = &rest[digits..];
        } else {
            let text = rest
                .find(|c: char| c.is_ascii_digit())
                .unwrap_or(rest.len());
            out.push(Piece::Text(rest[..text].to_string()));
            rest = &rest[text..];
        }
    }
    out
}

fn basis(r: &Report, l: &Listing) -> Markup {
    html! {
        table.thong-tin {
            tr { td { b { "Bộ quy tắc:" } } td { (r.rules.name) @if let Some(p) = period(r) { " (" (p) ")" } } }
            @if let Some(note) = &r.regime.note { tr { td {} td.ghi-chu { (note) } } }
            @if let Some(w) = &r.regime.warning { tr { td { b { "Cảnh báo:" } } td.khong-dat { (w) } } }
            @for p in &r.rules.overrides { tr { td { "Tham số đã đổi:" } td { (p.name) " = " (p.value) } } }
            tr { td { b { "Phần mềm:" } } td { (r.engine.name) " " (r.engine.version) ", kiểm tra lúc " (l.checked_at) } }
        }
        @let cites = citations(r);
        @if !cites.is_empty() {
            p { b { "Căn cứ:" } }
            ul { @for c in cites { li { (c) } } }
        }
        table.tep {
            tr { th { "Danh sách" } th { "Số dòng" } th { "Mã SHA-256 của tệp" } }
            @for i in &r.inputs {
                tr {
                    td { (i.path) @if let Some(s) = &i.sheet { ", trang «" (s) "»" }
                        @if i.header_row > 1 { br; span.ghi-chu { "dòng tiêu đề: dòng " (i.header_row) } }
                        @for a in &i.absent_columns { br; span.ghi-chu { "không có cột «" (a.header) "»" @if let Some(v) = &a.assumed { ": tính là " (v) } } }
                    }
                    td.so { (i.rows) }
                    td.ma { (i.sha256) }
                }
            }
        }
    }
}

/// The rule files read, with their hashes: what makes the check repeatable.
fn rule_files(r: &Report) -> Markup {
    html! {
        h3.phu-luc { "Phụ lục: các tệp quy tắc đã dùng" }
        table.tep {
            tr { th { "Tệp quy tắc" } th { "Mã SHA-256" } }
            @for f in &r.rules.files { tr { td { (f.path) } td.ma { (f.sha256) } } }
        }
    }
}

fn count_row(label: &str, c: &Counts) -> Markup {
    html! { tr { td { (label) } @for n in c { td.so { (n) } } } }
}

fn summary(r: &Report, l: &Listing) -> Markup {
    let t = tallies(r, l);
    let head = html! { tr { th {} th { "Đề nghị" } th { "Đủ điều kiện" } th { "Không đủ điều kiện" } th { "Chưa xác định" } } };
    html! {
        h2 { "I. TỔNG HỢP" }
        p {
            "Tổng số đề nghị: " (r.summary.candidates) "; đủ điều kiện: " (r.summary.pass)
            "; không đủ điều kiện: " (r.summary.fail) "; chưa xác định: " (r.summary.unknown)
            ". Tỷ lệ theo đơn vị: " (r.summary.groups) " lượt kiểm tra, " (r.summary.groups_fail)
            " không đạt, " (r.summary.groups_unknown) " chưa xác định. Lỗi dữ liệu: " (r.summary.data_errors) "."
        }
        @if r.candidates.len() as u64 != r.summary.candidates {
            p.ghi-chu { "Báo cáo này chỉ liệt kê đề nghị không đủ điều kiện hoặc chưa xác định (--failing)." }
        }
        h3 { "1. Theo hình thức đề nghị" }
        table { (head) @for (a, c) in &t.by_award { (count_row(a, c)) } (count_row("Cộng", &t.total)) }
        h3 { "2. Theo đơn vị" }
        table { (head) @for (u, c) in &t.by_unit { (count_row(u, c)) } (count_row("Cộng", &t.total)) }
    }
}

/// Candidates by award, then unit, then row: the order a council reads.
fn sorted<'a>(
    r: &'a Report,
    l: &'a Listing,
    keep: impl Fn(&Candidate) -> bool,
) -> Vec<&'a Candidate> {
    let mut v: Vec<&Candidate> = r.candidates.iter().filter(|c| keep(c)).collect();
    v.sort_by_cached_key(|c| (award_rank(r, &c.award_label), l.unit(c), c.row));
    v
}

fn passing(r: &Report, l: &Listing) -> Markup {
    let all = sorted(r, l, |c| c.verdict == Tri::True);
    let (groups, persons): (Vec<&Candidate>, Vec<&Candidate>) =
        all.into_iter().partition(|c| l.is_collective(c));
    html! {
        h2 { "II. DANH SÁCH ĐỦ ĐIỀU KIỆN" }
        h3 { "I. Cá nhân" }
        (pass_table(&persons, l, "Họ và tên"))
        h3 { "II. Tập thể" }
        (pass_table(&groups, l, "Tên tập thể"))
    }
}

fn pass_table(list: &[&Candidate], l: &Listing, who: &str) -> Markup {
    html! {
        @if list.is_empty() {
            p.ghi-chu { "Không có." }
        } @else {
            table {
                tr { th.stt { "STT" } th.ten { (who) } th { "Chức vụ, đơn vị" } th.hinh-thuc { "Hình thức đề nghị" } th.stt { "Dòng" } th.phieu { "Số phiếu đồng ý / Tỷ lệ" } }
                @for (i, c) in list.iter().enumerate() {
                    tr {
                        td.giua { (i + 1) }
                        td { (l.name(c)) }
                        td { (post_unit(l, c)) }
                        td { (c.award_label) }
                        td.giua { (c.row) }
                        td { }
                    }
                }
            }
        }
    }
}

fn post_unit(l: &Listing, c: &Candidate) -> String {
    match (l.post(c), l.unit(c)) {
        (Some(p), Some(u)) => format!("{p}, {u}"),
        (Some(x), None) | (None, Some(x)) => x.to_string(),
        (None, None) => String::new(),
    }
}

fn failing(r: &Report, l: &Listing) -> Markup {
    let list = sorted(r, l, |c| c.verdict != Tri::True);
    html! {
        h2 { "III. KHÔNG ĐỦ ĐIỀU KIỆN HOẶC CHƯA XÁC ĐỊNH" }
        @if list.is_empty() {
            p.ghi-chu { "Không có." }
        } @else {
            table {
                tr { th.stt { "STT" } th.ten { "Họ và tên / Tên tập thể" } th.hinh-thuc { "Hình thức đề nghị" } th.ket-qua { "Kết quả" } th { "Lý do" } th.can-cu { "Căn cứ" } }
                @for (i, c) in list.iter().enumerate() {
                    @let reasons: Vec<_> = c.reasons.iter().filter(|x| x.verdict != Tri::True).collect();
                    tr {
                        td.giua { (i + 1) }
                        td { (l.name(c)) @let pu = post_unit(l, c); @if !pu.is_empty() { br; (pu) } br; span.ghi-chu { "dòng " (c.row) } }
                        td { (c.award_label) }
                        td class=(class(c.verdict)) { (verdict_words(c.verdict)) }
                        td { @for x in &reasons {
                            div { (x.message()) @if let Some(o) = &x.observed { ": " (o) }
                                @if x.verdict == Tri::Unknown { " (chưa xác định)" } }
                        } }
                        td { @for x in &reasons { @if let Some(cite) = x.cite() { div { (cite) } } } }
                    }
                }
            }
        }
    }
}

fn rates(r: &Report) -> Markup {
    html! {
        h2 { "IV. TỶ LỆ THEO ĐƠN VỊ" }
        @if r.groups.is_empty() {
            p.ghi-chu { "Không có tỷ lệ nào phải kiểm tra." }
        } @else {
            table {
                tr { th { "Quy định" } th { "Đơn vị" } th { "Đếm được" } th { "Trên tổng" } th { "Cách tính" } th { "Kết quả" } th { "Căn cứ" } }
                @for g in &r.groups { (rate_row(g)) }
            }
        }
    }
}

fn rate_row(g: &Group) -> Markup {
    html! {
        tr {
            td { (g.rule_label) }
            td { (g.group) }
            td.so { (g.numerator) }
            td.so { (g.denominator) }
            td { (g.limit) @if let Some(b) = &g.borderline { br; span.ghi-chu { (b) } } }
            td class=(class(g.verdict)) { (g.message) }
            td { @if let Some(c) = &g.cite { (c) } }
        }
    }
}

fn errors(r: &Report) -> Markup {
    // With several lists, a row number says which list it is in.
    let several = r.inputs.len() > 1;
    html! {
        h2 { "V. LỖI DỮ LIỆU" }
        @if r.data_errors.is_empty() && r.unchecked.is_empty() {
            p.ghi-chu { "Không có." }
        } @else {
            table {
                tr { th { "Dòng" } th { "Cột" } th { "Giá trị" } th { "Lỗi" } th { "Cần" } }
                @for e in &r.data_errors {
                    tr {
                        td.giua { (e.row) @if several && !e.table.is_empty() { br; span.ghi-chu { (e.table) } } }
                        td { (e.header) } td { (e.value) } td { (e.message) } td { (e.expected) }
                    }
                }
                @for u in &r.unchecked {
                    tr { td.giua { (u.row) } td { (u.header) } td { (u.value) } td { "đề nghị chưa có quy tắc kiểm tra" } td {} }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations_are_ordered_by_their_numbers() {
        let mut v = vec![
            "Điều 23 khoản 2 Luật",
            "Điều 4 Nghị định",
            "Điều 23 khoản 1 Luật",
            "Điều 1 khoản 5",
        ];
        v.sort_by_cached_key(|c| natural(c));
        assert_eq!(
            v,
            [
                "Điều 1 khoản 5",
                "Điều 4 Nghị định",
                "Điều 23 khoản 1 Luật",
                "Điều 23 khoản 2 Luật"
            ]
        );
    }
}
