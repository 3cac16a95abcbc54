//! Rule files that declare nothing, and rule sets that read no list: they
//! load without error, so a file emptied by a bad merge would pass CI.

use crate::diagnostic::Diagnostic;
use crate::semantic::RuleSet;
use crate::source::Span;

pub fn run(rules: &RuleSet, out: &mut Vec<Diagnostic>) {
    for &file in &rules.top_files {
        let text = &rules.sources.get(file).text;
        let declares = text.lines().any(|l| {
            let l = l.trim_start_matches('\u{FEFF}').trim();
            !l.is_empty() && !l.starts_with('#')
        });
        if !declares {
            out.push(
                Diagnostic::warning(
                    "L-empty-file",
                    Span::new(file, 0, 0),
                    "tệp quy tắc không khai báo gì (chỉ có chú thích hoặc để trống)",
                )
                .label("tệp trống")
                .help("xóa tệp, hoặc viết lại các khai báo (tệp có thể đã bị xóa nhầm khi gộp)"),
            );
        }
    }
    if rules.plan.tables.is_empty()
        && let Some(&first) = rules.top_files.first()
    {
        out.push(
            Diagnostic::warning(
                "L-no-table",
                Span::new(first, 0, 0),
                "bộ quy tắc không khai báo bảng nào (`table`): không đọc được danh sách nào",
            )
            .label("không có bảng")
            .help("khai báo bảng danh sách, hoặc mở rộng một bộ có bảng: `extends \"luat-2022\"`"),
        );
    }
}
