//! The printable report: one self-contained HTML page (inline CSS, no
//! script, nothing fetched), A4, in the shape of the documents a council
//! works from (a national heading, numbered sections, a signature block).
//! Every text from a list or a rule file goes through maud, which escapes it.

use super::html_notes as notes;
use super::listing::{
    Counts, Listing, NO_UNIT, awaits_ballot, passing_sections, tallies, verdict_words,
};
use super::model::{Candidate, Group, Remedy, Report, Section};
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
tr.nhom td { background: #f6f6f6; }
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
        (higher(r))
        (rates(r))
        (notes::targets(r, 6))
        @let errors_n = if r.targets.is_empty() { 6 } else { 7 };
        (errors(r, errors_n))
        (notes::warnings(r, errors_n + 1))
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

fn summary(r: &Report, l: &Listing) -> Markup {
    let t = tallies(r, l);
    // The ballot's column only when some proposal waits for it.
    let ballot = t.total[4] > 0;
    let shown = if ballot { 5 } else { 4 };
    let head = html! { tr { th {} th { "Đề nghị" } th { "Đủ điều kiện" } th { "Không đủ điều kiện" } th { "Chưa xác định" }
    @if ballot { th { "Trong đó chờ bỏ phiếu" } } } };
    let row = |label: &str, c: &Counts| html! { tr { td { (label) } @for n in &c[..shown] { td.so { (n) } } } };
    html! {
        h2 { "I. TỔNG HỢP" }
        p {
            "Tổng số đề nghị: " (r.summary.candidates) "; đủ điều kiện: " (r.summary.pass)
            @if ballot { " (trong đó " (t.total[4]) " chờ bỏ phiếu)" }
            "; không đủ điều kiện: " (r.summary.fail) "; chưa xác định: " (r.summary.unknown)
            ". Tỷ lệ theo đơn vị: " (r.summary.groups) " lượt kiểm tra, " (r.summary.groups_fail)
            " không đạt, " (r.summary.groups_unknown) " chưa xác định. Lỗi dữ liệu: " (r.summary.data_errors) "."
        }
        @if r.summary.awaiting_vote > 0 {
            p { "Chờ Hội đồng bỏ phiếu: " (r.summary.awaiting_vote) " đề nghị (kết quả trên chưa tính tiêu chí bỏ phiếu của các đề nghị này)." }
        }
        @if r.candidates.len() as u64 != r.summary.candidates {
            p.ghi-chu { "Báo cáo này chỉ liệt kê đề nghị không đủ điều kiện hoặc chưa xác định (--failing)." }
        }
        h3 { "1. Theo hình thức đề nghị" }
        table { (head) @for (a, c) in &t.by_award { (row(a, c)) } (row("Cộng", &t.total)) }
        h3 { "2. Theo đơn vị" }
        table { (head) @for (u, c) in &t.by_unit { (row(u, c)) } (row("Cộng", &t.total)) }
    }
}

/// The number (STT) of each section's first candidate less one: numbers
/// run on across the sections of a table.
fn starts(sections: &[Section]) -> Vec<usize> {
    sections
        .iter()
        .scan(0, |n, s| {
            let start = *n;
            *n += s.candidates.len();
            Some(start)
        })
        .collect()
}

/// The heading row of a unit and award within a table of `width` columns.
fn section_row(s: &Section, width: u32) -> Markup {
    html! {
        tr.nhom { td colspan=(width) {
            b { (s.unit.unwrap_or(NO_UNIT)) } " — " (s.award_label) " (" (s.candidates.len()) ")"
        } }
    }
}

fn passing(r: &Report, l: &Listing) -> Markup {
    let [persons, groups] = passing_sections(r, l);
    let ballot = r.candidates.iter().any(awaits_ballot);
    html! {
        h2 { "II. DANH SÁCH ĐỦ ĐIỀU KIỆN" }
        @if ballot {
            p.ghi-chu { "Đề nghị ghi «đủ điều kiện, chờ bỏ phiếu» đạt mọi tiêu chuẩn khác: Hội đồng bỏ phiếu và ghi kết quả vào cột «Số phiếu đồng ý / Tỷ lệ»." }
        }
        h3 { "I. Cá nhân" }
        (pass_table(&persons, l, "Họ và tên"))
        h3 { "II. Tập thể" }
        (pass_table(&groups, l, "Tên tập thể"))
    }
}

fn pass_table(sections: &[Section], l: &Listing, who: &str) -> Markup {
    html! {
        @if sections.is_empty() {
            p.ghi-chu { "Không có." }
        } @else {
            table {
                tr { th.stt { "STT" } th.ten { (who) } th { "Chức vụ, đơn vị" } th.hinh-thuc { "Hình thức đề nghị" } th.stt { "Dòng" } th.phieu { "Số phiếu đồng ý / Tỷ lệ" } }
                @for (s, start) in sections.iter().zip(starts(sections)) {
                    (section_row(s, 6))
                    @for (k, c) in s.candidates.iter().enumerate() {
                        tr {
                            td.giua { (start + k + 1) }
                            td { (l.name(c)) }
                            td { (l.post_unit(c)) }
                            td { (c.award_label) @if awaits_ballot(c) { br; span.chua-ro { "đủ điều kiện, chờ bỏ phiếu" } } }
                            td.giua { (c.row) }
                            td { }
                        }
                    }
                }
            }
        }
    }
}

/// A candidate's result: ", chờ bỏ phiếu" when its vote waits too (not
/// after a fail: the vote would not change it).
fn result(c: &Candidate) -> String {
    let words = verdict_words(c.verdict);
    if c.awaiting_vote && c.verdict == Tri::Unknown {
        format!("{words}, chờ bỏ phiếu")
    } else {
        words.to_string()
    }
}

fn failing(r: &Report, l: &Listing) -> Markup {
    let sections = r.sections(false);
    html! {
        h2 { "III. KHÔNG ĐỦ ĐIỀU KIỆN HOẶC CHƯA XÁC ĐỊNH" }
        @if sections.is_empty() {
            p.ghi-chu { "Không có." }
        } @else {
            table {
                tr { th.stt { "STT" } th.ten { "Họ và tên / Tên tập thể" } th.hinh-thuc { "Hình thức đề nghị" } th.ket-qua { "Kết quả" } th { "Lý do" } th.can-cu { "Căn cứ" } }
                @for (s, start) in sections.iter().zip(starts(&sections)) {
                    (section_row(s, 6))
                    @for (k, c) in s.candidates.iter().enumerate() {
                        @let reasons: Vec<_> = c.reasons.iter().filter(|x| x.verdict != Tri::True).collect();
                        tr {
                            td.giua { (start + k + 1) }
                            td { (l.name(c)) @let pu = l.post_unit(c); @if !pu.is_empty() { br; (pu) } br; span.ghi-chu { "dòng " (c.row) } }
                            td { (c.award_label) }
                            td class=(class(c.verdict)) { (result(c)) }
                            td { @for x in &reasons {
                                div { (x.message()) @if let Some(o) = &x.observed { ": " (o) }
                                    @if x.pending { @if x.observed.is_none() { " (chờ bỏ phiếu)" } } @else if x.verdict == Tri::Unknown { " (chưa xác định)" } }
                            } }
                            td { @for x in &reasons { @if let Some(cite) = x.cite() { div { (cite) } } } }
                        }
                    }
                }
            }
        }
    }
}

/// Passing candidates who meet the standard of a higher title than the
/// one proposed: the council is asked to find them ("phát hiện nhân tố
/// mới").
fn higher(r: &Report) -> Markup {
    let failing_only = r.candidates.len() as u64 != r.summary.candidates;
    html! {
        h2 { "IV. ĐẠT TIÊU CHUẨN DANH HIỆU CAO HƠN HÌNH THỨC ĐƯỢC ĐỀ NGHỊ" }
        p.ghi-chu { "Để Hội đồng xem xét, phát hiện nhân tố mới." }
        @if failing_only {
            p.ghi-chu { "Không xét khi chỉ liệt kê đề nghị không đủ điều kiện (--failing)." }
        } @else if r.higher_titles.is_empty() {
            p.ghi-chu { "Không có." }
        } @else {
            table {
                tr { th.stt { "STT" } th.ten { "Họ và tên / Tên tập thể" } th.hinh-thuc { "Hình thức đề nghị" } th.hinh-thuc { "Đạt tiêu chuẩn" } th { "Lý do" } th.can-cu { "Căn cứ" } }
                @for (i, h) in r.higher_titles.iter().enumerate() {
                    tr {
                        td.giua { (i + 1) }
                        td { (h.name.as_deref().unwrap_or(&h.key))
                            br; (h.unit.as_deref().unwrap_or(NO_UNIT))
                            br; span.ghi-chu { "dòng " (h.row) } }
                        td { (h.proposed_label) }
                        td.dat { (h.award_label) }
                        td { @for x in &h.reasons { div { (x.message) @if let Some(d) = &x.detail { ": " (d) } } } }
                        td { @for x in &h.reasons { @if let Some(cite) = &x.cite { div { (cite) } } } }
                    }
                }
            }
        }
    }
}

fn rates(r: &Report) -> Markup {
    html! {
        h2 { "V. TỶ LỆ THEO ĐƠN VỊ" }
        @if r.groups.is_empty() {
            p.ghi-chu { "Không có tỷ lệ nào phải kiểm tra." }
        } @else {
            table {
                tr { th { "Quy định" } th { "Đơn vị" } th { "Đếm được" } th { "Trên tổng" } th { "Cách tính" } th { "Kết quả" } th { "Căn cứ" } }
                @for g in &r.groups { (rate_row(g)) }
            }
            (remedies(r))
        }
    }
}

/// What each unit breaking a rate can do, as the report computed it: how
/// many proposals to withdraw, those failing anyway listed first; or how
/// many more are needed.
fn remedies(r: &Report) -> Markup {
    let with: Vec<(&Group, &Remedy)> = r
        .groups
        .iter()
        .filter_map(|g| Some((g, g.remedy.as_ref()?)))
        .collect();
    html! {
        @if !with.is_empty() {
            h3 { "Cách khắc phục" }
            @for (g, remedy) in with {
                @let first = failing_first(r, remedy);
                p { b { (if g.group.is_empty() { NO_UNIT } else { &g.group }) } " — " (g.rule_label) ": " (remedy.text) }
                @if !first.is_empty() {
                    ul { @for c in first {
                        li { span class=(class(c.verdict)) { (verdict_words(c.verdict)) } " — dòng " (c.row) ", "
                            (c.name.as_deref().unwrap_or(&c.key)) ", «" (c.award_label) "»" }
                    } }
                }
            }
        }
    }
}

/// The proposals a remedy withdraws first: its rows' proposals of the
/// awards it counts that do not pass, in the remedy's order.
fn failing_first<'r>(r: &'r Report, remedy: &Remedy) -> Vec<&'r Candidate> {
    remedy
        .failing_first
        .iter()
        .flat_map(|&row| {
            r.candidates.iter().filter(move |c| {
                c.row == row
                    && c.verdict != Tri::True
                    && (remedy.awards.is_empty() || remedy.awards.iter().any(|a| **a == *c.award))
            })
        })
        .collect()
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

fn errors(r: &Report, n: usize) -> Markup {
    // With several lists, a row number says which list it is in.
    let several = r.inputs.len() > 1;
    html! {
        h2 { (notes::roman(n)) ". LỖI DỮ LIỆU" }
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
