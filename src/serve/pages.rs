//! The page's HTML. No script: the filters are a form, the parameters a
//! `<details>`. Every value goes through maud, which escapes it.

use super::run::SERVER_RULES;
use super::state::Done;
use crate::eval::Tri;
use crate::report::Report;
use crate::report::html;
use crate::report::rules_view::{ParamView, Shown};
use maud::{DOCTYPE, Markup, PreEscaped, html};

/// Lists a check may upload at once.
pub const LIST_SLOTS: usize = 4;

const CSS: &str = r#"
body.trang { font-family: system-ui, "Segoe UI", "Noto Sans", "DejaVu Sans", sans-serif; max-width: 1100px; padding: 0 16px 32px; font-size: 15px; }
body.trang nav.chinh { display: flex; gap: 20px; border-bottom: 2px solid #1d4e89; padding: 12px 0; margin-bottom: 16px; }
body.trang nav.chinh a { color: #1d4e89; font-weight: 600; text-decoration: none; }
body.trang fieldset { border: 1px solid #bbb; border-radius: 6px; margin: 0 0 14px; padding: 10px 14px; }
body.trang legend { font-weight: 600; padding: 0 6px; }
body.trang .tep { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin: 6px 0; }
body.trang button { background: #1d4e89; color: #fff; border: 0; border-radius: 5px; padding: 8px 22px; font-size: 16px; cursor: pointer; }
body.trang .loi { border: 2px solid #9b1c1c; background: #fdf0f0; border-radius: 6px; padding: 8px 14px; margin-bottom: 14px; }
body.trang .loi pre, body.trang pre { white-space: pre-wrap; font-size: 13px; }
body.trang .tai a { display: inline-block; margin: 0 12px 8px 0; padding: 6px 12px; border: 1px solid #1d4e89; border-radius: 5px; color: #1d4e89; text-decoration: none; }
body.trang form.loc { display: flex; flex-wrap: wrap; gap: 10px; align-items: end; background: #f3f6fa; padding: 8px 12px; border-radius: 6px; }
body.trang form.loc label { display: flex; flex-direction: column; font-size: 13px; }
body.trang .bao-cao { border: 1px solid #ccc; padding: 12px 20px; margin-top: 12px; font-family: "Times New Roman", "Liberation Serif", "DejaVu Serif", serif; }
body.trang .goi-y { color: #555; font-size: 13px; }
body.trang td, body.trang th { font-size: 13px; }
"#;

pub(super) fn layout(title: &str, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="vi" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — tdkt" }
                style { (PreEscaped(html::CSS)) (PreEscaped(CSS)) }
            }
            body.trang {
                nav.chinh {
                    a href="/" { "Kiểm tra danh sách" }
                    a href="/mo-phong" { "Mô phỏng tiêu chuẩn mới" }
                    a href="/quy-tac" { "Bộ quy tắc" }
                }
                main { (content) }
            }
        }
    }
}

/// A table the page offers for a list: its id and label.
pub struct TableChoice {
    pub id: String,
    pub label: String,
}

/// What the form offers.
pub struct FormChoices {
    pub tables: Vec<TableChoice>,
    pub shipped: Vec<String>,
    /// `tdkt serve --rules …` was given: the server's rule set is the default.
    pub server_rules: bool,
    pub params: Shown,
    /// Parameters of other shipped rule sets, each with the first that has
    /// it (by name): offered too, as a parameter the rule set chosen lacks
    /// is refused by name.
    pub other_params: Vec<(String, ParamView)>,
}

/// The lists to upload, each with its table: the check's and the
/// simulation's first fieldset.
pub(super) fn lists_fieldset(c: &FormChoices) -> Markup {
    html! {
        fieldset {
            legend { "1. Danh sách đề nghị" }
            p.goi-y { "Tệp Excel (.xlsx, .xls), OpenDocument (.ods) hoặc CSV. Bảng của mỗi tệp được nhận biết theo dòng tiêu đề; có thể chọn lại. Tệp chỉ được đọc trong bộ nhớ, không lưu lại." }
            @for i in 1..=LIST_SLOTS {
                div.tep {
                    label { "Tệp " (i) ": " input type="file" name=(format!("tep-{i}")) accept=".xlsx,.xls,.ods,.csv"; }
                    label { "Bảng: "
                        select name=(format!("bang-{i}")) {
                            option value="" { "Tự nhận biết theo tiêu đề cột" }
                            @for t in &c.tables { option value=(t.id) { (t.label) " (" (t.id) ")" } }
                        }
                    }
                }
            }
        }
    }
}

/// The regime to choose (`che-do`).
pub(super) fn regime_select(c: &FormChoices) -> Markup {
    html! {
        select name="che-do" {
            @if c.server_rules { option value=(SERVER_RULES) selected { "Bộ quy tắc của máy chủ (--rules)" } }
            option value="" { "Theo năm xét của danh sách (như tdkt check)" }
            @for n in &c.shipped { option value=(n) { (n) } }
        }
    }
}

/// The rule files to upload (`quy-tac`).
pub(super) fn rule_files_input(lead: &str) -> Markup {
    html! {
        p { label { (lead) input type="file" name="quy-tac" multiple accept=".tdkt"; } }
        p.goi-y { "Tệp tải lên chỉ được kế thừa (extends) một bộ quy tắc kèm theo, ví dụ extends \"luat-2022\"." }
    }
}

fn param_row(p: &ParamView, regime: Option<&str>) -> Markup {
    html! {
        tr {
            td { code { (p.id) }
                @if let Some(r) = regime { br; span.goi-y { "(bộ " (r) ")" } }
                @for u in &p.used_by { br; span.goi-y { (u) } } }
            td { (p.value) }
            td { @if let Some(cite) = &p.cite { (cite) } }
            td { input type="text" name=(format!("dat-{}", p.id)) placeholder=(p.value) aria-label=(p.id); }
        }
    }
}

/// The parameters, each with what reads it, its value in force and its
/// citation, and a field for a new value (`dat-…`, as `--set`); then those
/// only other shipped rule sets have.
pub(super) fn params_table(c: &FormChoices) -> Markup {
    html! {
        p.goi-y { "Để trống: giữ giá trị của bộ quy tắc. Giá trị hiện hành là của " (c.params.name) "." }
        table {
            tr { th { "Tham số" } th { "Giá trị hiện hành" } th { "Căn cứ" } th { "Giá trị mới" } }
            @for p in &c.params.params { (param_row(p, None)) }
            @if !c.other_params.is_empty() {
                tr { th colspan="4" { "Tham số chỉ có ở bộ quy tắc khác (dùng khi chọn bộ đó)" } }
                @for (regime, p) in &c.other_params { (param_row(p, Some(regime))) }
            }
        }
    }
}

/// The form; `error` is shown above it.
pub fn form(c: &FormChoices, error: Option<&str>) -> Markup {
    layout(
        "Kiểm tra danh sách",
        html! {
            h1 { "Kiểm tra danh sách đề nghị thi đua, khen thưởng" }
            @if let Some(e) = error {
                div.loi role="alert" { h2 { "Không kiểm tra được" } pre { (e) } }
            }
            p.goi-y { "Muốn xem một tiêu chuẩn mới (dự thảo, tham số khác) sẽ đổi kết quả ra sao? "
                a href="/mo-phong" { "Mô phỏng tiêu chuẩn mới" } "." }
            form method="post" action="/kiem-tra" enctype="multipart/form-data" {
                (lists_fieldset(c))
                fieldset {
                    legend { "2. Bộ quy tắc" }
                    label { "Chế độ: " (regime_select(c)) }
                    (rule_files_input("Tệp quy tắc địa phương (.tdkt, tùy chọn, thay cho chế độ trên): "))
                }
                fieldset {
                    legend { "3. Tham số (tùy chọn)" }
                    details {
                        summary { "Đổi tham số (như --set của dòng lệnh)" }
                        (params_table(c))
                    }
                }
                button type="submit" { "Kiểm tra" }
            }
        },
    )
}

/// The filters of a result page, as its query string gives them.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Filter {
    #[serde(default)]
    pub don_vi: String,
    #[serde(default)]
    pub hinh_thuc: String,
    #[serde(default)]
    pub ket_qua: String,
}

fn verdict_code(t: Tri) -> &'static str {
    match t {
        Tri::True => "dat",
        Tri::False => "khong-dat",
        Tri::Unknown => "chua-ro",
    }
}

/// The report of `done` with only the candidates `f` keeps (the counts of
/// section I stay those of the whole list).
fn filtered(done: &Done, f: &Filter) -> Report {
    let mut r = done.report.clone();
    r.candidates.retain(|c| {
        (f.don_vi.is_empty() || done.listing.unit(c) == Some(f.don_vi.as_str()))
            && (f.hinh_thuc.is_empty() || *c.award_label == *f.hinh_thuc)
            && (f.ket_qua.is_empty() || verdict_code(c.verdict) == f.ket_qua)
    });
    r
}

/// The result of a check, with its filters and downloads.
pub fn result(id: &str, done: &Done, f: &Filter) -> Markup {
    let r = &done.report;
    let mut units: Vec<&str> = r
        .candidates
        .iter()
        .filter_map(|c| done.listing.unit(c))
        .collect();
    units.sort_unstable();
    units.dedup();
    let mut awards: Vec<&str> = r.candidates.iter().map(|c| &*c.award_label).collect();
    awards.sort_unstable();
    awards.dedup();
    let shown = filtered(done, f);
    let any = !(f.don_vi.is_empty() && f.hinh_thuc.is_empty() && f.ket_qua.is_empty());
    let verdicts = [
        ("dat", "Đủ điều kiện"),
        ("khong-dat", "Không đủ điều kiện"),
        ("chua-ro", "Chưa xác định"),
    ];
    layout(
        "Kết quả kiểm tra",
        html! {
            h1 { "Kết quả kiểm tra" }
            p { "Bộ quy tắc: " b { (r.rules.name) } " (" (done.regime) "). "
                "Đủ điều kiện: " b.dat { (r.summary.pass) } "; không đủ điều kiện: " b.khong-dat { (r.summary.fail) }
                "; chưa xác định: " b.chua-ro { (r.summary.unknown) } "; lỗi dữ liệu: " (r.summary.data_errors) "." }
            div.tai {
                a href=(format!("/tai/{id}/bao-cao.html")) download="bao-cao.html" { "Tải báo cáo để in (HTML; in ra PDF bằng lệnh In của trình duyệt)" }
                a href=(format!("/tai/{id}/ket-qua.xlsx")) download="ket-qua.xlsx" { "Tải danh sách kèm kết quả (Excel)" }
                a href=(format!("/tai/{id}/mau.xlsx")) download="danh-sach-mau.xlsx" { "Tải danh sách mẫu của bộ quy tắc (Excel)" }
                a href="/" { "Kiểm tra danh sách khác" }
                a href="/mo-phong" { "Mô phỏng tiêu chuẩn mới" }
            }
            form.loc method="get" action=(format!("/ket-qua/{id}")) {
                label { "Đơn vị" select name="don_vi" { option value="" { "Tất cả" }
                    @for u in &units { option value=(u) selected[*u == f.don_vi] { (u) } } } }
                label { "Hình thức" select name="hinh_thuc" { option value="" { "Tất cả" }
                    @for a in &awards { option value=(a) selected[*a == f.hinh_thuc] { (a) } } } }
                label { "Kết quả" select name="ket_qua" { option value="" { "Tất cả" }
                    @for (code, words) in verdicts { option value=(code) selected[code == f.ket_qua] { (words) } } } }
                button type="submit" { "Lọc" }
                @if any { a href=(format!("/ket-qua/{id}")) { "Bỏ lọc" } }
            }
            @if any { p.goi-y { "Đang lọc: " (shown.candidates.len()) " đề nghị được liệt kê; số liệu ở mục I là của cả danh sách." } }
            div.bao-cao { (html::body(&shown, &done.listing)) }
        },
    )
}

/// The effective rule set, as a council member reads it before trusting a
/// verdict.
pub fn rules(s: &Shown, shipped: &[String], chosen: &str, server_rules: bool) -> Markup {
    let vn = crate::report::text::iso_to_vn;
    let period = match (&s.effective, &s.until) {
        (Some(e), Some(u)) => format!("hiệu lực từ {} đến {}", vn(e), vn(u)),
        (Some(e), None) => format!("hiệu lực từ {}", vn(e)),
        (None, Some(u)) => format!("hiệu lực đến {}", vn(u)),
        (None, None) => String::new(),
    };
    layout(
        "Bộ quy tắc",
        html! {
            h1 { "Bộ quy tắc: " (s.name) }
            form.loc method="get" action="/quy-tac" {
                label { "Xem bộ quy tắc" select name="che_do" {
                    @if server_rules { option value=(SERVER_RULES) selected[chosen == SERVER_RULES] { "Bộ quy tắc của máy chủ (--rules)" } }
                    @for n in shipped { option value=(n) selected[n == chosen] { (n) } } } }
                button type="submit" { "Xem" }
            }
            @if !period.is_empty() { p { (period) } }
            h2 { "Các hình thức khen thưởng và tiêu chuẩn" }
            @for a in &s.awards {
                h3 { (a.label) " " span.goi-y { "(" (a.id) ", bảng " (a.table) ")" } }
                @if !a.selection.is_empty() { p.goi-y { "Đề nghị khi: " code { (a.selection) } } }
                table {
                    tr { th { "Tiêu chuẩn" } th { "Điều kiện" } th { "Căn cứ" } }
                    @for c in &a.criteria {
                        tr {
                            td { (c.message) @if c.ballot { br; span.ghi-chu { "(do Hội đồng bỏ phiếu)" } } }
                            td { code { (c.condition) } }
                            td { @if let Some(cite) = &c.cite { (cite) } }
                        }
                    }
                }
            }
            h2 { "Tỷ lệ" }
            table {
                tr { th { "Quy định" } th { "Theo" } th { "Tỷ lệ" } th { "Làm tròn" } th { "Căn cứ" } }
                @for r in &s.rates {
                    tr { td { (r.label) } td { (r.group) } td { (r.share) br; code { (r.formula) } } td { (r.rounding) } td { @if let Some(c) = &r.cite { (c) } } }
                }
            }
            h2 { "Tham số" }
            table {
                tr { th { "Tham số" } th { "Giá trị" } th { "Căn cứ" } }
                @for p in &s.params { tr { td { code { (p.id) } @for u in &p.used_by { br; span.goi-y { (u) } } } td { (p.value) } td { @if let Some(c) = &p.cite { (c) } } } }
            }
            h2 { "Tệp quy tắc" }
            ul { @for f in &s.files { li { (f.file) } } }
        },
    )
}

/// Asks for the shared secret (`tdkt serve --token`), once.
pub fn token(wrong: bool) -> Markup {
    layout(
        "Mã truy cập",
        html! {
            h1 { "Nhập mã truy cập" }
            p { "Máy chủ này cần mã truy cập do người khởi động " code { "tdkt serve --token" } " cung cấp. Trình duyệt sẽ nhớ mã cho các lần sau." }
            @if wrong { div.loi role="alert" { "Mã không đúng." } }
            form method="post" action="/ma-truy-cap" {
                label { "Mã: " input type="password" name="ma" autofocus; }
                " " button type="submit" { "Vào" }
            }
        },
    )
}

/// A short page saying what went wrong.
pub fn message(title: &str, text: &str) -> Markup {
    layout(
        title,
        html! {
            h1 { (title) }
            div.loi role="alert" { pre { (text) } }
            p { a href="/" { "Quay lại trang kiểm tra" } }
        },
    )
}
