//! Lints: rule files that load without error but are likely wrong or
//! unfinished. Each lint has a stable id (`L-…`), a severity, a span and a
//! hint. Only findings in the files of the rule set named (its top layer)
//! are reported: a base is linted on its own.
//!
//! A finding is silenced by a comment `# tdkt:allow L-id` on its line or
//! on the line above.

mod ballot;
mod checks;
pub mod domain;
mod empty;
pub mod honesty;
mod placeholders;

use crate::diagnostic::Diagnostic;
use crate::semantic::RuleSet;

/// Every lint: id, severity word, what it finds (for `tdkt lint --list`).
pub const LINTS: &[(&str, &str, &str)] = &[
    (
        "L-missing-cite",
        "cảnh báo",
        "tiêu chí, tham số hoặc tỷ lệ không dẫn căn cứ (`cite`)",
    ),
    (
        "L-unused-param",
        "cảnh báo",
        "tham số không được dùng ở đâu",
    ),
    (
        "L-unreachable-award",
        "cảnh báo",
        "danh hiệu mà điều kiện `where` không bao giờ đúng",
    ),
    (
        "L-unhandled-proposal",
        "ghi chú",
        "giá trị đề nghị không danh hiệu nào xét: các dòng đề nghị như vậy không được kiểm tra",
    ),
    (
        "L-never-true-branch",
        "cảnh báo",
        "nhánh `any of` không bao giờ đúng với các giá trị của kiểu và điều kiện `where`",
    ),
    (
        "L-rounding-unstated",
        "cảnh báo",
        "tỷ lệ không ghi cách làm tròn (`rounding`)",
    ),
    (
        "L-duplicate-criterion",
        "cảnh báo",
        "tiêu chí lặp lại một tiêu chí khác (kể cả qua `meets`)",
    ),
    (
        "L-constant-comparison",
        "cảnh báo",
        "so sánh luôn đúng hoặc luôn sai với kiểu, khoảng giá trị đã khai báo",
    ),
    (
        "L-empty-award",
        "cảnh báo",
        "danh hiệu không có tiêu chí nào: mọi đề nghị đều đạt",
    ),
    (
        "L-override-missing",
        "cảnh báo",
        "`replace`/`remove` một tiêu chí mà bộ gốc không có",
    ),
    (
        "L-implicit-replace",
        "cảnh báo",
        "`require` trùng tên tiêu chí của bộ gốc (thay mà không nói rõ)",
    ),
    ("L-unused-source", "ghi chú", "nguồn không được dẫn ở đâu"),
    (
        "L-ballot-default",
        "cảnh báo",
        "tiêu chí bỏ phiếu (`require ballot`) đọc cột có `default`/`absent`: không bao giờ chờ bỏ phiếu",
    ),
    (
        "L-missing-honesty-tag",
        "ghi chú",
        "tiêu chí không có nhãn trạng thái căn cứ ([V], [V2], [M]) trong chú thích ngay trên nó hoặc trên `award`",
    ),
    (
        "L-stated-param",
        "cảnh báo",
        "nội dung tiêu chí hoặc tên tỷ lệ ghi con số mà một tham số giữ (nên viết `{tham_so}`)",
    ),
    (
        "L-empty-file",
        "cảnh báo",
        "tệp quy tắc không khai báo gì (trống hoặc chỉ có chú thích)",
    ),
    (
        "L-no-table",
        "cảnh báo",
        "bộ quy tắc không khai báo bảng nào: không đọc được danh sách nào",
    ),
    (
        "L-unknown-placeholder",
        "cảnh báo",
        "`{…}` trong nội dung không phải tham số nào: báo cáo in nguyên văn",
    ),
];

/// Lints a loaded rule set. Sorted by file and position.
pub fn lint(rules: &RuleSet) -> Vec<Diagnostic> {
    let mut found = checks::run(rules);
    ballot::check(rules, &mut found);
    placeholders::run(rules, &mut found);
    empty::run(rules, &mut found);
    found.extend(rules.notes.iter().cloned());
    found.retain(|d| rules.top_files.contains(&d.span.file) && !allowed(rules, d));
    found.sort_by_key(|d| (d.span.file.0, d.span.start, d.code));
    found.dedup();
    found
}

/// `# tdkt:allow L-id` on the finding's line or the line above.
fn allowed(rules: &RuleSet, d: &Diagnostic) -> bool {
    let file = rules.sources.get(d.span.file);
    let (line, _) = file.line_col(d.span.start);
    let marker = format!("tdkt:allow {}", d.code);
    file.text
        .lines()
        .enumerate()
        .filter(|(i, _)| *i + 1 == line || *i + 2 == line)
        .any(|(_, l)| l.split_once('#').is_some_and(|(_, c)| c.contains(&marker)))
}
