//! The simulation's HTML: its form (the check form's pieces) and the
//! comparison, in the words of `tdkt diff`'s text. Every value goes through
//! maud, which escapes it.

use super::pages::{
    FormChoices, layout, lists_fieldset, params_table, regime_select, rule_files_input,
};
use super::state::Simulated;
use crate::report::diff::{self, Flip, word};
use crate::report::model::Reason;
use maud::{Markup, html};

/// The name of the comparison's download.
pub const CSV_FILE: &str = "so-sanh.csv";

/// The form; `error` is shown above it.
pub fn form(c: &FormChoices, error: Option<&str>) -> Markup {
    layout(
        "Mô phỏng tiêu chuẩn mới",
        html! {
            h1 { "Mô phỏng tiêu chuẩn mới trên cùng danh sách" }
            p.goi-y { "Cùng danh sách được xét theo bộ quy tắc hiện hành (gốc) và theo tiêu chuẩn mới: tệp quy tắc dự thảo và/hoặc tham số khác (như tdkt diff). Trang cho biết ai đổi kết quả và vì sao, đơn vị nào đổi tỷ lệ." }
            @if let Some(e) = error {
                div.loi role="alert" { h2 { "Không mô phỏng được" } pre { (e) } }
            }
            form method="post" action="/mo-phong" enctype="multipart/form-data" {
                (lists_fieldset(c))
                fieldset {
                    legend { "2. Bộ quy tắc hiện hành (gốc)" }
                    label { "Chế độ: " (regime_select(c)) }
                }
                fieldset {
                    legend { "3. Tiêu chuẩn mới" }
                    (rule_files_input("Tệp quy tắc dự thảo (.tdkt, tùy chọn; thay cho chế độ gốc ở bộ mới): "))
                    details open {
                        summary { "Đổi tham số ở bộ mới (như --set của dòng lệnh)" }
                        (params_table(c))
                    }
                }
                button type="submit" { "Mô phỏng" }
            }
        },
    )
}

fn reasons(side: &str, rs: &[Reason]) -> Markup {
    html! {
        @for r in rs {
            div { b { (side) ": " } (r.message()) " — "
                (r.cite().unwrap_or("(quy tắc chưa dẫn căn cứ)"))
                @if let Some(obs) = &r.observed { br; span.goi-y { (obs) } } }
        }
    }
}

fn flip_row(f: &Flip) -> Markup {
    html! {
        tr.doi {
            td { (f.row) }
            td { (f.key) }
            td { (f.name.as_deref().unwrap_or("")) }
            td { (f.unit.as_deref().unwrap_or("")) }
            td { (f.award_label) }
            td { (word(f.base_verdict)) " → " b { (word(f.new_verdict)) } }
            td { (reasons("gốc", &f.base_reasons)) (reasons("mới", &f.new_reasons)) }
        }
    }
}

/// The comparison: totals before and after, who flips and why, which
/// units' rates change, which columns the lists lack.
pub fn result(id: &str, s: &Simulated) -> Markup {
    let d = &s.diff;
    layout(
        "Kết quả mô phỏng",
        html! {
            h1 { "Kết quả mô phỏng" }
            p { "Gốc: " b { (s.base_name) } " (" (s.base_regime) ")." br;
                "Mới: " b { (s.new_name) } " (" (s.new_regime) ")." br;
                "Danh sách: " (d.path) " (" (d.rows) " dòng)." }
            div.tai {
                a href=(format!("/mo-phong/{id}/{CSV_FILE}")) download=(CSV_FILE) { "Tải danh sách đổi kết quả (CSV cho Excel)" }
                a href="/mo-phong" { "Mô phỏng khác" }
            }
            @let absent = diff::absent_lines(&d.absent_columns);
            @if !absent.is_empty() {
                ul.thieu { @for l in &absent { li { (l) } } }
            }
            h2 { "Tổng hợp" }
            table.tong {
                tr { th { "" } th { "Gốc" } th { "Mới" } }
                @for (label, a, b) in diff::total_lines(d) {
                    tr { td { (label) } td { (a) } td { (b) } }
                }
            }
            @if !d.changed() {
                p { "Không đề nghị, tỷ lệ nào đổi kết quả." }
            }
            @if !d.flips.is_empty() {
                h2 { "Đề nghị đổi kết quả (" (d.flips.len()) ")" }
                table.doi-ket-qua {
                    tr { th { "Dòng" } th { "Mã" } th { "Họ và tên" } th { "Đơn vị" } th { "Hình thức" } th { "Gốc → mới" } th { "Lý do và căn cứ" } }
                    @for f in &d.flips { (flip_row(f)) }
                }
            }
            @if !d.groups.is_empty() {
                h2 { "Tỷ lệ theo đơn vị đổi (" (d.groups.len()) ")" }
                table.ty-le {
                    tr { th { "Quy định" } th { "Đơn vị" } th { "Hạn mức gốc → mới" } th { "Đếm được" } th { "Kết quả gốc → mới" } }
                    @for g in &d.groups {
                        tr {
                            td { (g.rule_label) }
                            td { @if g.group.is_empty() { "(không ghi đơn vị)" } @else { (g.group) } }
                            td { (g.base_limit.as_deref().unwrap_or("—")) " → " (g.new_limit.as_deref().unwrap_or("—")) }
                            td { (g.new_numerator.or(g.base_numerator).unwrap_or(0)) }
                            td { (word(g.base_verdict)) " → " b { (word(g.new_verdict)) } }
                        }
                    }
                }
            }
        },
    )
}
