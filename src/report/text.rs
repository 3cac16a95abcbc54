//! The Vietnamese text report, for a council secretary.

use super::model::*;
use super::text_council as council;
use super::words::{EXPECTED, WARNINGS_NOTE, WARNINGS_TITLE, warning_place};
use crate::eval::Tri;
use std::collections::HashMap;
use std::fmt::Write;

fn verdict_word(t: Tri) -> &'static str {
    match t {
        Tri::True => "ĐẠT",
        Tri::False => "KHÔNG ĐẠT",
        Tri::Unknown => "CHƯA XÁC ĐỊNH",
    }
}

fn mark(t: Tri) -> &'static str {
    match t {
        Tri::True => "✓",
        Tri::False => "✗",
        Tri::Unknown => "?",
    }
}

/// Renders the report. Writing to a `String` cannot fail. Values from
/// the lists and rule files may hold control characters (an ESC in a
/// cell): the whole text is drawn visibly once, here, so that none reaches
/// a terminal raw.
pub fn render(r: &Report) -> String {
    let mut o = String::new();
    let _ = write_report(&mut o, r);
    crate::data::text::visible_string(o)
}

fn write_report(o: &mut String, r: &Report) -> std::fmt::Result {
    writeln!(o, "KẾT QUẢ KIỂM TRA DANH SÁCH ĐỀ NGHỊ THI ĐUA, KHEN THƯỞNG")?;
    write!(o, "Bộ quy tắc: {}", r.rules.name)?;
    match (&r.rules.effective, &r.rules.until) {
        (Some(e), Some(u)) => write!(o, " (hiệu lực từ {} đến {})", iso_to_vn(e), iso_to_vn(u))?,
        (Some(e), None) => write!(o, " (hiệu lực từ {})", iso_to_vn(e))?,
        (None, Some(u)) => write!(o, " (hiệu lực đến {})", iso_to_vn(u))?,
        (None, None) => {}
    }
    writeln!(o)?;
    if let Some(note) = &r.regime.note {
        writeln!(o, "{note}")?;
    }
    if let Some(warning) = &r.regime.warning {
        writeln!(o, "Cảnh báo: {warning}")?;
    }
    for p in &r.rules.overrides {
        writeln!(o, "Tham số đã đổi: {} = {}", p.name, p.value)?;
    }
    for i in &r.inputs {
        write!(o, "Danh sách: {}", i.path)?;
        if let Some(sheet) = &i.sheet {
            write!(o, ", trang «{sheet}»")?;
        }
        writeln!(o, " ({} dòng)", i.rows)?;
        if i.header_row > 1 {
            writeln!(
                o,
                "  Dòng tiêu đề: dòng {} (các dòng phía trên được bỏ qua)",
                i.header_row
            )?;
        }
        if !i.hidden_rows.is_empty() {
            writeln!(
                o,
                "  Dòng bị ẩn trong bảng tính (vẫn được kiểm tra): {}",
                rows(&i.hidden_rows)
            )?;
        }
        for a in &i.absent_columns {
            if a.key {
                writeln!(
                    o,
                    "  Không có cột «{}»: mỗi đề nghị được nêu theo số dòng và họ tên",
                    a.header
                )?;
                continue;
            }
            if a.ballot {
                council::absent_ballot_column(o, a)?;
                continue;
            }
            match &a.assumed {
                Some(v) => writeln!(
                    o,
                    "  Không có cột «{}»: theo bộ quy tắc, tính là {v}",
                    a.header
                )?,
                None => writeln!(
                    o,
                    "  Không có cột «{}»: các tiêu chí đọc cột này là chưa xác định",
                    a.header
                )?,
            }
        }
        if !i.ignored_headers.is_empty() {
            writeln!(o, "  Cột không dùng đến: {}", i.ignored_headers.join(", "))?;
        }
    }
    let s = &r.summary;
    writeln!(o)?;
    writeln!(
        o,
        "Tổng hợp: {} đề nghị — {} đạt, {} không đạt, {} chưa xác định.",
        s.candidates, s.pass, s.fail, s.unknown
    )?;
    council::summary_line(o, s)?;
    writeln!(
        o,
        "Tỷ lệ theo đơn vị: {} lượt kiểm tra — {} không đạt, {} chưa xác định. Lỗi dữ liệu: {}.",
        s.groups, s.groups_fail, s.groups_unknown, s.data_errors
    )?;
    if s.unchecked > 0 {
        writeln!(
            o,
            "Đề nghị chưa có quy tắc kiểm tra: {} (xem cuối báo cáo).",
            s.unchecked
        )?;
    }

    let unit_name = |u: Option<&str>| u.unwrap_or("(không ghi đơn vị)").to_string();
    // With `--failing` the report lists no passing candidate.
    let passing = r.sections(true);
    if !passing.is_empty() {
        writeln!(o)?;
        writeln!(o, "ĐỀ NGHỊ ĐỦ ĐIỀU KIỆN (theo đơn vị và hình thức)")?;
        let mut unit = None;
        for s in &passing {
            if unit != Some(s.unit) {
                unit = Some(s.unit);
                writeln!(o)?;
                writeln!(o, "{}", unit_name(s.unit))?;
            }
            writeln!(o, "  {} ({}):", s.award_label, s.candidates.len())?;
            for c in &s.candidates {
                writeln!(o, "    {}", who(c.row, &c.key, c.name.as_deref()))?;
            }
        }
    }
    let bad = r.sections(false);
    if !bad.is_empty() {
        writeln!(o)?;
        writeln!(o, "ĐỀ NGHỊ KHÔNG ĐỦ ĐIỀU KIỆN HOẶC CHƯA XÁC ĐỊNH")?;
        let mut unit = None;
        for s in &bad {
            if unit != Some(s.unit) {
                unit = Some(s.unit);
                writeln!(o)?;
                writeln!(o, "── {} ──", unit_name(s.unit))?;
            }
            for c in &s.candidates {
                writeln!(o)?;
                writeln!(
                    o,
                    "[{}{}] {} — đề nghị «{}»",
                    verdict_word(c.verdict),
                    council::verdict_suffix(c),
                    who(c.row, &c.key, c.name.as_deref()),
                    c.award_label
                )?;
                for reason in c.reasons.iter().filter(|x| x.verdict != Tri::True) {
                    let mark = if reason.pending {
                        "…"
                    } else {
                        mark(reason.verdict)
                    };
                    write!(o, "  {mark} {}", reason.message())?;
                    match reason.cite() {
                        Some(cite) => writeln!(o, " — {cite}")?,
                        None => writeln!(o, " — (quy tắc chưa dẫn căn cứ)")?,
                    }
                    if let Some(obs) = &reason.observed {
                        writeln!(o, "      {obs}")?;
                    }
                }
            }
        }
    }

    if !r.higher_titles.is_empty() {
        writeln!(o)?;
        writeln!(
            o,
            "ĐẠT TIÊU CHUẨN DANH HIỆU CAO HƠN HÌNH THỨC ĐƯỢC ĐỀ NGHỊ (để Hội đồng xem xét)"
        )?;
        for h in &r.higher_titles {
            writeln!(o)?;
            writeln!(
                o,
                "{} — {}: đề nghị «{}», đạt tiêu chuẩn «{}»",
                who(h.row, &h.key, h.name.as_deref()),
                unit_name(h.unit.as_deref()),
                h.proposed_label,
                h.award_label
            )?;
            for reason in &h.reasons {
                write!(o, "  ✓ {}", reason.message)?;
                if let Some(d) = &reason.detail {
                    write!(o, ": {d}")?;
                }
                match &reason.cite {
                    Some(cite) => writeln!(o, " — {cite}")?,
                    None => writeln!(o)?,
                }
            }
        }
    }

    council::awaiting_section(o, r)?;

    let groups: Vec<&Group> = r
        .groups
        .iter()
        .filter(|g| g.verdict != Tri::True || g.borderline.is_some())
        .collect();
    // Row → proposals that do not pass, for the remedies (built once).
    let mut not_passing: Option<HashMap<u64, Vec<&Candidate>>> = None;
    if !groups.is_empty() {
        writeln!(o)?;
        writeln!(
            o,
            "TỶ LỆ THEO ĐƠN VỊ KHÔNG ĐẠT, CHƯA XÁC ĐỊNH HOẶC SÁT NGƯỠNG"
        )?;
        for g in groups {
            writeln!(o)?;
            let name = if g.group.is_empty() {
                "(không ghi đơn vị)"
            } else {
                g.group.as_str()
            };
            writeln!(
                o,
                "[{}] {} — {}",
                verdict_word(g.verdict),
                name,
                g.rule_label
            )?;
            writeln!(o, "  {}; {}", g.limit, g.message)?;
            if let Some(b) = &g.borderline {
                writeln!(o, "  Lưu ý {b}")?;
            }
            let cite = g.cite.as_deref().unwrap_or("(quy tắc chưa dẫn căn cứ)");
            writeln!(o, "  Căn cứ: {cite}")?;
            writeln!(o, "  Dòng được đếm: {}", rows(&g.rows))?;
            if !g.unknown_rows.is_empty() {
                writeln!(o, "  Dòng thiếu dữ liệu: {}", rows(&g.unknown_rows))?;
            }
            if let Some(remedy) = &g.remedy {
                writeln!(o, "  Cách khắc phục: {}", remedy.text)?;
                let by_row = not_passing.get_or_insert_with(|| {
                    let mut m: HashMap<u64, Vec<&Candidate>> = HashMap::new();
                    for c in r.candidates.iter().filter(|c| c.verdict != Tri::True) {
                        m.entry(c.row).or_default().push(c);
                    }
                    m
                });
                for &row in &remedy.failing_first {
                    let proposals = by_row.get(&row).into_iter().flatten().filter(|c| {
                        remedy.awards.is_empty() || remedy.awards.iter().any(|a| **a == *c.award)
                    });
                    for c in proposals {
                        writeln!(
                            o,
                            "    [{}] {} — «{}»",
                            verdict_word(c.verdict),
                            who(c.row, &c.key, c.name.as_deref()),
                            c.award_label
                        )?;
                    }
                }
            }
        }
    }

    super::text_targets::section(o, r)?;

    if !r.data_errors.is_empty() {
        writeln!(o)?;
        writeln!(o, "LỖI DỮ LIỆU")?;
        for e in &r.data_errors {
            let value = if e.value.is_empty() {
                String::new()
            } else {
                format!(" «{}»", e.value)
            };
            let table = match r.inputs.iter().find(|i| i.table == e.table) {
                _ if e.table.is_empty() => String::new(),
                Some(i) => format!("Danh sách «{}», ", i.table_label),
                None => format!("Danh sách «{}», ", e.table),
            };
            let sheet = r
                .inputs
                .iter()
                .find(|i| e.table.is_empty() || i.table == e.table)
                .and_then(|i| i.sheet.as_deref());
            let place = match (sheet, e.cell().as_str()) {
                (Some(sheet), "") => format!("Trang «{sheet}», dòng {}", e.row),
                (Some(sheet), cell) => format!("Trang «{sheet}», ô {cell}"),
                (None, "") => format!("Dòng {}", e.row),
                (None, cell) => format!("Dòng {}, ô {cell}", e.row),
            };
            writeln!(
                o,
                "  {table}{place}, cột «{}»{value}: {}",
                e.header, e.message
            )?;
            if !e.expected.is_empty() {
                writeln!(o, "      {EXPECTED}: {}", e.expected)?;
            }
        }
    }
    data_warnings(o, r)?;
    if !r.unchecked.is_empty() {
        writeln!(o)?;
        writeln!(
            o,
            "ĐỀ NGHỊ CHƯA CÓ QUY TẮC KIỂM TRA (bộ quy tắc này không xét)"
        )?;
        for u in &r.unchecked {
            writeln!(o, "  Dòng {} · {} — «{}»", u.row, u.key, u.value)?;
        }
    }
    writeln!(o)?;
    let ok = s.fail == 0
        && s.unknown == 0
        && s.groups_fail == 0
        && s.groups_unknown == 0
        && s.data_errors == 0
        && s.unchecked == 0;
    if s.candidates == 0 && s.unchecked == 0 {
        writeln!(
            o,
            "Kết luận: danh sách không có đề nghị nào để kiểm tra (không dòng nào ghi \
             danh hiệu, hình thức mà bộ quy tắc xét)."
        )?;
    } else if ok && s.awaiting_vote > 0 {
        writeln!(
            o,
            "Kết luận: mọi đề nghị và tỷ lệ đều đạt các tiêu chuẩn; {} đề nghị chờ Hội đồng bỏ phiếu.",
            s.awaiting_vote
        )?;
    } else if ok {
        writeln!(o, "Kết luận: mọi đề nghị và tỷ lệ đều đạt.")?;
    } else {
        writeln!(
            o,
            "Kết luận: danh sách còn đề nghị, tỷ lệ hoặc dữ liệu cần xem lại trước khi Hội đồng bỏ phiếu."
        )?;
    }
    Ok(())
}

/// Suspicious data: each place, what looks wrong and what to do; the
/// rows were judged as written.
fn data_warnings(o: &mut String, r: &Report) -> std::fmt::Result {
    if r.data_warnings.is_empty() {
        return Ok(());
    }
    writeln!(o)?;
    writeln!(o, "{WARNINGS_TITLE} ({WARNINGS_NOTE})")?;
    for w in &r.data_warnings {
        writeln!(o, "  {}: {}", warning_place(r, w), w.message)?;
        if !w.expected.is_empty() {
            writeln!(o, "      {EXPECTED}: {}", w.expected)?;
        }
    }
    Ok(())
}

/// "Dòng 7 · CB006 · Vũ Thị Hà": a list without a key column says who by
/// row and name.
fn who(row: u64, key: &str, name: Option<&str>) -> String {
    let mut s = format!("Dòng {row}");
    if !key.is_empty() {
        s.push_str(" · ");
        s.push_str(key);
    }
    if let Some(n) = name {
        s.push_str(" · ");
        s.push_str(n);
    }
    s
}

pub(crate) fn rows(list: &[u64]) -> String {
    if list.is_empty() {
        return "không có".into();
    }
    const SHOWN: usize = 30;
    let mut s: Vec<String> = list.iter().take(SHOWN).map(|r| r.to_string()).collect();
    if list.len() > SHOWN {
        s.push(format!("… (tất cả {} dòng)", list.len()));
    }
    s.join(", ")
}

/// "2024-01-01" → "01/01/2024".
pub(crate) fn iso_to_vn(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!("{d}/{m}/{y}"),
        _ => iso.to_string(),
    }
}
