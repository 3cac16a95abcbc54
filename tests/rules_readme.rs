//! `rules/README.md` is the coverage table of the shipped rule sets: for
//! every regime and overlay, each award's criteria with their message,
//! citation and honesty tag, and the parameters and rates. It is rendered
//! from the loaded rule sets (the semantic model, and the tag convention of
//! `tdkt::lint::honesty`), never written by hand:
//! `TDKT_UPDATE_README=1 cargo test --test rules_readme` rewrites it; the
//! test fails when the file is stale.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod shipped;

use shipped::{ROOTS, value_text};
use std::fmt::Write as _;
use std::path::Path;
use tdkt::lint::honesty::{self, Honesty};

use tdkt::semantic::RuleSet;

const OUT: &str = "rules/README.md";

/// A regime is a rule set directly under `rules/`: it is listed whole. An
/// overlay (a local rule, a draft) lists what its own files declare.
fn is_regime(dir: &Path) -> bool {
    dir.parent() == Some(Path::new(ROOTS[0]))
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn tag(t: Option<Honesty>) -> String {
    t.map_or_else(|| "**chưa ghi**".to_string(), |t| format!("[{}]", t.code()))
}

/// Criteria without a tag, as `set: AWARD.criterion`.
struct Rendered {
    text: String,
    untagged: Vec<String>,
}

fn render_set(out: &mut Rendered, dir: &Path, rules: &RuleSet) {
    let plan = &rules.plan;
    let whole = is_regime(dir);
    let own = |file| whole || rules.top_files.contains(&file);
    let period = match (&plan.effective, &plan.until) {
        (Some(a), Some(b)) => format!("áp dụng từ {a} đến {b}"),
        (Some(a), None) => format!("áp dụng từ {a}"),
        _ => "không ghi thời gian áp dụng".to_string(),
    };
    let o = &mut out.text;
    let _ = writeln!(o, "## `{}` — {}\n", dir.display(), plan.name);
    let _ = writeln!(
        o,
        "{period}; {}.\n",
        if whole {
            "chế độ: liệt kê mọi danh hiệu, tiêu chí"
        } else {
            "lớp mở rộng: chỉ liệt kê những gì tệp của lớp này khai báo, còn lại như bộ gốc"
        }
    );
    let mut counts = [0usize; 4];
    for (award, def) in rules.ast.awards.iter().zip(&plan.awards) {
        assert_eq!(award.id.name, def.id);
        let rows: Vec<_> = award
            .criteria
            .iter()
            .zip(&def.criteria)
            .filter(|(c, _)| own(c.span.file))
            .collect();
        if rows.is_empty() {
            continue;
        }
        let table = &plan.tables[def.table].id;
        let _ = writeln!(o, "### `{}` — {} (bảng `{table}`)\n", def.id, def.label);
        o.push_str("| Tiêu chí | Nội dung | Căn cứ | Trạng thái |\n|---|---|---|---|\n");
        for (c, d) in rows {
            let t = honesty::criterion_tag(rules, c);
            counts[t.map_or(3, |t| t as usize)] += 1;
            if t.is_none() {
                out.untagged
                    .push(format!("{}: {}.{}", dir.display(), def.id, d.id));
            }
            let cite = d.cite.as_ref().map_or("—".to_string(), |c| c.text());
            let _ = writeln!(
                o,
                "| `{}` | {} | {} | {} |",
                d.id,
                cell(&d.message),
                cell(&cite),
                tag(t)
            );
        }
        o.push('\n');
    }
    let params: Vec<_> = rules
        .ast
        .params
        .iter()
        .filter(|p| own(p.id.span.file))
        .collect();
    if !params.is_empty() {
        o.push_str("Tham số:\n\n| Tham số | Giá trị | Căn cứ | Trạng thái |\n|---|---|---|---|\n");
        for p in params {
            let d = plan.params.iter().find(|d| d.id == p.id.name).unwrap();
            let cite = d.cite.as_ref().map_or("—".to_string(), |c| c.text());
            let _ = writeln!(
                o,
                "| `{}` | `{}` | {} | {} |",
                d.id,
                value_text(plan, &d.value, d.ty),
                cell(&cite),
                tag(honesty::tag_above(rules, p.id.span))
            );
        }
        o.push('\n');
    }
    let rates: Vec<_> = rules
        .ast
        .rates
        .iter()
        .filter(|r| own(r.id.span.file))
        .collect();
    if !rates.is_empty() {
        o.push_str(
            "Tỷ lệ:\n\n| Tỷ lệ | Nội dung | Theo nhóm | Ngưỡng | Làm tròn | Căn cứ | Trạng thái |\n|---|---|---|---|---|---|---|\n",
        );
        for r in rates {
            let d = plan.rates.iter().find(|d| d.id == r.id.name).unwrap();
            let table = &plan.tables[d.table];
            let share = match &d.share_param {
                Some(p) => format!("`{p}` = {}%", d.share.normalize()),
                None => format!("{}%", d.share.normalize()),
            };
            let rounding = match &d.rounding_param {
                Some(p) => format!("`{p}` = {}", d.rounding.keyword()),
                None => d.rounding.keyword().to_string(),
            };
            let cite = d.cite.as_ref().map_or("—".to_string(), |c| c.text());
            let _ = writeln!(
                o,
                "| `{}` | {} | `{}` | {} {share} | {rounding} | {} | {} |",
                d.id,
                cell(&d.label),
                table.columns[d.group].id,
                d.op.symbol(),
                cell(&cite),
                tag(honesty::tag_above(rules, r.id.span))
            );
        }
        o.push('\n');
    }
    let _ = writeln!(
        o,
        "Trạng thái các tiêu chí trên: [V] {}, [V2] {}, [M] {}, chưa ghi {}.\n",
        counts[0], counts[1], counts[2], counts[3]
    );
}

fn render() -> Rendered {
    let mut loaded = shipped::load_all();
    // Regimes first (newest first), then overlays, then drafts.
    loaded.sort_by_key(|(dir, r)| {
        let draft = !dir.starts_with(ROOTS[0]);
        (
            draft,
            !is_regime(dir),
            std::cmp::Reverse(r.plan.effective.clone()),
            dir.clone(),
        )
    });
    let mut out = Rendered {
        text: String::new(),
        untagged: Vec::new(),
    };
    out.text.push_str(
        "# Bộ quy tắc: danh hiệu, tiêu chí, căn cứ và trạng thái căn cứ\n\n\
         <!-- Tệp sinh tự động từ các tệp quy tắc: đừng sửa tay. \
         Sinh lại: `TDKT_UPDATE_README=1 cargo test --test rules_readme`. -->\n\n\
         Bảng này được sinh từ các tệp `.tdkt` (mô hình ngữ nghĩa của bộ quy tắc \
         đã nạp), nên luôn khớp với điều tdkt kiểm tra. Nội dung là lời của tiêu chí \
         như báo cáo in ra; căn cứ là điều, khoản mà báo cáo dẫn.\n\n\
         **Trạng thái căn cứ** (theo `legal.md`): [V] đã thấy trong nguồn công khai; \
         [V2] chỉ thấy trong nguồn thứ cấp, độ tin cậy thấp; [M] chưa kiểm chứng với \
         văn bản chính thức.\n\n\
         **Quy ước ghi nhãn.** Nhãn của một tiêu chí (`require`, `replace`) là nhãn \
         `[V…]`, `[V2…]` hay `[M…]` **cuối cùng** trong các dòng chú thích ngay trên \
         nó (không cách dòng trống); nếu các dòng đó không có nhãn, lấy nhãn cuối \
         cùng trong chú thích ngay trên dòng `award` chứa nó. Tham số (`param`) và tỷ \
         lệ (`rate`) theo cùng quy ước. `tdkt lint` ghi chú (`L-missing-honesty-tag`) \
         mọi tiêu chí chưa có nhãn; bảng dưới ghi **chưa ghi**.\n\n",
    );
    for (dir, rules) in &loaded {
        render_set(&mut out, dir, rules);
    }
    out
}

#[test]
fn rules_readme_is_the_coverage_table_of_the_rule_files() {
    let want = render().text;
    if std::env::var_os("TDKT_UPDATE_README").is_some() {
        std::fs::write(OUT, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(OUT).unwrap_or_default();
    if have != want {
        let line = have
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| have.lines().count().min(want.lines().count()));
        panic!(
            "{OUT} is out of date (first difference at line {}); \
             run `TDKT_UPDATE_README=1 cargo test --test rules_readme`",
            line + 1
        );
    }
}

#[test]
fn the_table_shows_each_regime_with_its_own_citations_and_tags() {
    let r = render();
    let old = r
        .text
        .split("## `rules/nd-91-2017`")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .unwrap();
    // The old discipline clause of TTLĐXS, seen in the 2003 law.
    assert!(
        old.contains(
            "| `ky_luat_thanh_vien` | Không có cá nhân bị kỷ luật từ hình thức cảnh cáo trở lên \
             | Điều 27 khoản 1 điểm d Luật Thi đua, khen thưởng năm 2003 (sửa đổi, bổ sung năm 2013) | [V] |"
        ),
        "{old}"
    );
    assert!(
        !old.contains("06/2022"),
        "a 2022 citation in the 2017 regime"
    );
    // The rate with its parameters.
    assert!(
        old.contains("| `CSTDCS_15` |") && old.contains("≤ `ty_le_cstdcs` = 15%"),
        "{old}"
    );
    // Every criterion of the 2017 regime carries a tag.
    let untagged: Vec<&String> = r
        .untagged
        .iter()
        .filter(|u| u.starts_with("rules/nd-91-2017"))
        .collect();
    assert!(untagged.is_empty(), "{untagged:#?}");
    // The draft says it is one, and every line of it is unverified.
    let draft = r
        .text
        .split("## `examples/du-thao/cstdcs-htxs-va-sang-kien`")
        .nth(1)
        .unwrap();
    assert!(draft.contains("DỰ THẢO"), "{draft}");
    assert!(
        draft.contains("| [M] |") && !draft.contains("| [V] |"),
        "{draft}"
    );
}
