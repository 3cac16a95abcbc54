//! The view as text, for `tdkt rules show`.

use super::*;
use crate::eval::format;
use crate::semantic::date_days;
use std::fmt::Write as _;

fn origin_text(o: &Origin) -> String {
    match o.layer {
        Layer::Base => format!("[gốc: {}]", o.file),
        Layer::Overlay => format!("[lớp: {}]", o.file),
    }
}

/// Writes `text` (possibly several lines) after `lead`, later lines
/// indented to `indent`.
fn block(s: &mut String, lead: &str, text: &str, indent: &str) {
    let mut lines = text.lines();
    let _ = writeln!(s, "{lead}{}", lines.next().unwrap_or(""));
    for l in lines {
        let _ = writeln!(s, "{indent}{l}");
    }
}

pub fn render_text(v: &Shown) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Bộ quy tắc: {}", v.name);
    if let Some(e) = &v.effective {
        let shown = date_days(e).map_or_else(|| e.clone(), format::date);
        let _ = writeln!(s, "Hiệu lực từ: {shown}");
    }
    if let Some(u) = &v.until {
        let shown = date_days(u).map_or_else(|| u.clone(), format::date);
        let _ = writeln!(s, "Hiệu lực đến hết: {shown}");
    }
    let _ = writeln!(s, "\nTệp quy tắc (theo thứ tự lớp, bộ gốc trước):");
    for f in &v.files {
        let tag = match f.layer {
            Layer::Base => "gốc",
            Layer::Overlay => "lớp",
        };
        let _ = writeln!(s, "  [{tag}] {}", f.file);
    }

    let _ = writeln!(s, "\nBảng ({}):", v.tables.len());
    for t in &v.tables {
        let mut head = format!("  {} «{}»", t.id, t.label);
        if let Some(k) = &t.key {
            let _ = write!(head, ", khóa {k}");
        }
        if let Some(y) = &t.year {
            let _ = write!(head, ", năm {y}");
        }
        let _ = writeln!(s, "{head} {}", origin_text(&t.origin));
        for c in &t.columns {
            let mut line = format!("    {} {}{}", c.id, c.ty, if c.optional { "?" } else { "" });
            if let Some(l) = &c.link {
                let _ = write!(line, " ref {l}");
            }
            if let Some([lo, hi]) = &c.range {
                let _ = write!(line, " in {lo}..{hi}");
            }
            let _ = write!(line, " «{}»", c.header);
            if !c.aliases.is_empty() {
                let names: Vec<String> = c.aliases.iter().map(|a| format!("«{a}»")).collect();
                let _ = write!(line, " (hoặc {})", names.join(", "));
            }
            if let Some(d) = &c.default {
                let _ = write!(line, ", mặc định {d}");
            }
            if let Some(a) = &c.absent {
                let _ = write!(line, ", thiếu cột thì coi là {a}");
            }
            if let Some(d) = &c.derived {
                let _ = write!(line, ", = {}", d.replace('\n', " "));
            }
            if c.origin != t.origin {
                let _ = write!(line, " {}", origin_text(&c.origin));
            }
            let _ = writeln!(s, "{line}");
        }
    }

    let _ = writeln!(s, "\nTham số ({}):", v.params.len());
    for p in &v.params {
        let mut line = format!("  {}: {} = {}", p.id, p.ty, p.value);
        if p.overridden {
            let _ = write!(line, " (--set; trong tệp: {})", p.written);
        }
        if let Some(c) = &p.cite {
            let _ = write!(line, " — {c}");
        }
        let _ = writeln!(s, "{line} {}", origin_text(&p.origin));
    }

    let _ = writeln!(s, "\nDanh hiệu ({}):", v.awards.len());
    for a in &v.awards {
        let _ = writeln!(s, "\n  {} «{}» {}", a.id, a.label, origin_text(&a.origin));
        for f in &a.amended_in {
            let _ = writeln!(s, "    sửa đổi ở lớp: {f}");
        }
        let _ = writeln!(s, "    bảng: {}", a.table);
        block(&mut s, "    xét khi: ", &a.selection, "      ");
        for c in &a.criteria {
            block(
                &mut s,
                &format!("    • {}: ", c.id),
                &c.condition,
                "        ",
            );
            let _ = writeln!(s, "        «{}»", c.message);
            if c.ballot {
                let _ = writeln!(
                    s,
                    "        do Hội đồng bỏ phiếu: chưa ghi số phiếu thì chờ bỏ phiếu"
                );
            }
            match &c.cite {
                Some(cite) => {
                    let _ = writeln!(s, "        căn cứ: {cite}");
                }
                None => {
                    let _ = writeln!(s, "        căn cứ: quy tắc chưa dẫn căn cứ");
                }
            }
            let replaced = if c.replace {
                " (thay tiêu chí gốc)"
            } else {
                ""
            };
            let _ = writeln!(s, "        {}{replaced}", origin_text(&c.origin));
        }
    }

    let _ = writeln!(s, "\nTỷ lệ ({}):", v.rates.len());
    for r in &v.rates {
        let _ = writeln!(s, "\n  {} «{}» {}", r.id, r.label, origin_text(&r.origin));
        let _ = writeln!(s, "    bảng: {}, theo nhóm: {}", r.table, r.group);
        block(&mut s, "    công thức: ", &r.formula, "      ");
        if !r.formula.contains(&format!(" {} of ", r.share)) {
            let _ = writeln!(s, "    tỷ lệ áp dụng: {}", r.share);
        }
        let how = match r.rounding.as_str() {
            "down" => "làm tròn xuống",
            "up" => "làm tròn lên",
            "half-up" => "làm tròn nửa lên",
            _ => "không làm tròn",
        };
        let mut line = format!("    làm tròn: {} ({how})", r.rounding);
        if let Some(p) = &r.rounding_param {
            let _ = write!(line, ", theo tham số {p}");
        } else if r.rounding_default {
            line.push_str(", mặc định");
        }
        let _ = writeln!(s, "{line}");
        let _ = writeln!(
            s,
            "    căn cứ: {}",
            r.cite.as_deref().unwrap_or("quy tắc chưa dẫn căn cứ")
        );
    }

    if !v.targets.is_empty() {
        let _ = writeln!(
            s,
            "\nChỉ tiêu đăng ký thi đua ({}, để tham khảo, không phải tiêu chí xét):",
            v.targets.len()
        );
        for t in &v.targets {
            let _ = writeln!(
                s,
                "\n  bảng chỉ tiêu: {} {}",
                t.table,
                origin_text(&t.origin)
            );
            let _ = writeln!(
                s,
                "    đối chiếu với: {}, theo đơn vị: {}",
                t.candidates, t.group
            );
            let _ = writeln!(
                s,
                "    căn cứ: {}",
                t.cite.as_deref().unwrap_or("quy tắc chưa dẫn căn cứ")
            );
        }
    }

    if !v.removed.is_empty() {
        let _ = writeln!(s, "\nĐã bỏ khỏi bộ gốc ({}):", v.removed.len());
        for r in &v.removed {
            let what = match (r.kind, &r.award) {
                ("rate", _) => format!("tỷ lệ {}", r.id),
                ("criterion", Some(a)) => format!("tiêu chí {} của {a}", r.id),
                _ => format!("danh hiệu {}", r.id),
            };
            let _ = writeln!(s, "  {what} {}", origin_text(&r.origin));
        }
    }
    s
}
