//! The Vietnamese text report, for a council secretary.

use super::model::*;
use crate::eval::Tri;
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

/// Renders the report. Writing to a `String` cannot fail.
pub fn render(r: &Report) -> String {
    let mut o = String::new();
    let _ = write_report(&mut o, r);
    o
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

    let bad: Vec<&Candidate> = r
        .candidates
        .iter()
        .filter(|c| c.verdict != Tri::True)
        .collect();
    if !bad.is_empty() {
        writeln!(o)?;
        writeln!(o, "ĐỀ NGHỊ KHÔNG ĐẠT HOẶC CHƯA XÁC ĐỊNH")?;
        for c in bad {
            writeln!(o)?;
            write!(o, "[{}] Dòng {}", verdict_word(c.verdict), c.row)?;
            // A list without a key column: the row and the name say who.
            if !c.key.is_empty() {
                write!(o, " · {}", c.key)?;
            }
            if let Some(n) = &c.name {
                write!(o, " · {n}")?;
            }
            writeln!(o, " — đề nghị «{}»", c.award_label)?;
            for reason in c.reasons.iter().filter(|x| x.verdict != Tri::True) {
                write!(o, "  {} {}", mark(reason.verdict), reason.message())?;
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

    let groups: Vec<&Group> = r
        .groups
        .iter()
        .filter(|g| g.verdict != Tri::True || g.borderline.is_some())
        .collect();
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
        }
    }

    if !r.data_errors.is_empty() {
        writeln!(o)?;
        writeln!(o, "LỖI DỮ LIỆU")?;
        for e in &r.data_errors {
            let value = if e.value.is_empty() {
                String::new()
            } else {
                format!(" «{}»", e.value)
            };
            let table = if e.table.is_empty() {
                String::new()
            } else {
                format!("Bảng {}, ", e.table)
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
                "  {table}{place}, cột «{}» ({}){value}: {}",
                e.header, e.column, e.message
            )?;
            if !e.expected.is_empty() {
                writeln!(o, "      cần: {}", e.expected)?;
            }
        }
    }
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
