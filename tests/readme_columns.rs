//! The README lists the columns of every shipped table (id, header, type,
//! aliases, what absence means), rendered from the rule files so that it is
//! written once. `TDKT_UPDATE_README=1 cargo test --test readme_columns`
//! rewrites the section between the markers.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod shipped;

use shipped::{ROOTS, value_text};
use std::fmt::Write as _;
use std::path::Path;

use tdkt::semantic::RuleSet;

const README: &str = "README.md";
const BEGIN: &str = "<!-- cột:bắt đầu -->";
const END: &str = "<!-- cột:kết thúc -->";

/// One Markdown table per table a rule set declares: all its columns for a
/// base, the columns its own files add or redefine for an overlay.
fn render_set(out: &mut String, dir: &Path, rules: &RuleSet) {
    let layered = !rules.ast.extends.is_empty();
    let _ = writeln!(out, "### `{}` — {}\n", dir.display(), rules.plan.name);
    let mut any = false;
    for t in &rules.ast.tables {
        let own: Vec<_> = t
            .columns
            .iter()
            .filter(|c| !layered || rules.top_files.contains(&c.id.span.file))
            .collect();
        if own.is_empty() {
            continue;
        }
        any = true;
        let def = rules
            .plan
            .tables
            .iter()
            .find(|d| d.id == t.id.name)
            .unwrap();
        let _ = write!(out, "Bảng `{}` «{}»", t.id.name, t.label.value);
        if layered && own.len() < t.columns.len() {
            out.push_str(" — cột lớp này thêm hoặc thay; các cột khác như bộ gốc");
        }
        out.push_str(":\n\n");
        out.push_str("| Mã cột | Tiêu đề | Kiểu | Tên gọi khác | Khi danh sách thiếu cột |\n");
        out.push_str("|---|---|---|---|---|\n");
        for c in own {
            let col = def.columns.iter().find(|d| d.id == c.id.name).unwrap();
            let mut ty = format!("`{}{}`", c.ty.name, if c.optional { "?" } else { "" });
            if let Some(l) = &c.link {
                let _ = write!(ty, " → `{}`", l.name);
            }
            let aliases: Vec<String> = col.aliases.iter().map(|a| format!("«{a}»")).collect();
            let header = |i: usize| format!("«{}»", def.columns[i].header);
            let mut dates = Vec::new();
            if let Some(op) = &col.derived {
                op.month_sources(&mut dates);
            }
            // The written column a date stands in for.
            let stands_for = def.columns.iter().position(|d| {
                let mut from = Vec::new();
                if let Some(op) = &d.derived {
                    op.month_sources(&mut from);
                }
                from.iter().any(|&f| def.columns[f].id == col.id)
            });
            let absent = match (&col.absent, stands_for) {
                (Some(v), _) => format!("coi là `{}`", value_text(&rules.plan, v, col.ty)),
                (None, _) if col.ballot => "chờ bỏ phiếu".to_string(),
                (None, Some(w)) => format!("đọc cột {}", header(w)),
                (None, None) if !dates.is_empty() => {
                    let from: Vec<String> = dates.iter().map(|&d| header(d)).collect();
                    format!(
                        "tính từ {}; không có cả hai: chưa xác định",
                        from.join(", ")
                    )
                }
                (None, None) => "chưa xác định".to_string(),
            };
            let _ = writeln!(
                out,
                "| `{}` | «{}» | {ty} | {} | {absent} |",
                col.id,
                col.header,
                aliases.join(", ")
            );
        }
        out.push('\n');
    }
    if !any {
        out.push_str("Không khai báo bảng riêng: dùng các bảng của bộ gốc.\n\n");
    }
}

fn render() -> String {
    let mut loaded = shipped::load_all();
    // Base rule sets first, then overlays; drafts after the shipped rules.
    loaded.sort_by_key(|(dir, r)| {
        let draft = !dir.starts_with(ROOTS[0]);
        (!r.ast.extends.is_empty(), draft, dir.clone())
    });
    let mut out = String::new();
    for (dir, rules) in &loaded {
        render_set(&mut out, dir, rules);
    }
    out
}

#[test]
fn readme_lists_the_columns_of_the_shipped_tables() {
    let readme = std::fs::read_to_string(README).unwrap();
    let start = readme.find(BEGIN).expect("README lacks the start marker") + BEGIN.len();
    let end = readme.find(END).expect("README lacks the end marker");
    assert!(start <= end, "markers out of order");
    let want = format!("\n{}", render());
    if std::env::var_os("TDKT_UPDATE_README").is_some() {
        let updated = format!("{}{want}{}", &readme[..start], &readme[end..]);
        std::fs::write(README, updated).unwrap();
        return;
    }
    let have = &readme[start..end];
    if have != want {
        let line = have
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| have.lines().count().min(want.lines().count()));
        panic!(
            "the README's column section is out of date (first difference at its line {}); \
             run `TDKT_UPDATE_README=1 cargo test --test readme_columns`\n{want}",
            line + 1
        );
    }
}

#[test]
fn the_rendering_shows_aliases_and_absence() {
    let text = render();
    assert!(text.contains(
        "| `xep_loai` | «Xếp loại chất lượng» | `XepLoai` | «Xếp loại», «Kết quả xếp loại»"
    ));
    assert!(text.contains("| `so_thang_nghi_thai_san` |"));
    assert!(text.contains("| coi là `0` |"));
    assert!(text.contains("| `ma_can_bo` | «Mã cán bộ» | `text` | «Mã CB»"));
    // An overlay lists only the columns its own files declare.
    let overlay = text
        .split("### `rules/dia-phuong/sang-kien-mot-lan`")
        .nth(1)
        .and_then(|s| s.split("\n### ").next())
        .unwrap();
    assert!(
        overlay.contains("| `ma_sang_kien` | «Mã sáng kiến» | `text?` |"),
        "{overlay}"
    );
    assert!(!overlay.contains("| `danh_hieu` |"), "{overlay}");
}
