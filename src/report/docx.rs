//! The passing list as the annex of a tờ trình (NĐ 152/2025, Mẫu 01):
//! "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG (Kèm theo Tờ trình số …/TTr-…)", I. Cá
//! nhân, II. Tập thể, a table STT | Họ và tên | Chức vụ, đơn vị | Hình thức
//! đề nghị. The numbers of the tờ trình are left for the secretariat.

use super::listing::{Listing, passing_sections};
use super::model::{Candidate, Report};
use docx_rs::{
    AlignmentType, Docx, PageMargin, Paragraph, Run, RunFonts, Table, TableCell, TableRow,
    WidthType,
};

/// Column widths in twentieths of a point: the A4 text width (16 cm).
const WIDTHS: [usize; 4] = [700, 3000, 3300, 2600];

fn text(t: &str) -> Run {
    Run::new().add_text(t)
}

fn para(run: Run) -> Paragraph {
    Paragraph::new().add_run(run)
}

fn centred(run: Run) -> Paragraph {
    para(run).align(AlignmentType::Center)
}

fn cell(p: Paragraph, w: usize) -> TableCell {
    TableCell::new().add_paragraph(p).width(w, WidthType::Dxa)
}

fn table(rows: &[&Candidate], l: &Listing, who: &str) -> Table {
    let heads = ["STT", who, "Chức vụ, đơn vị", "Hình thức đề nghị"];
    let mut out = vec![TableRow::new(
        heads
            .iter()
            .zip(WIDTHS)
            .map(|(h, w)| cell(centred(text(h).bold()), w))
            .collect(),
    )];
    for (i, c) in rows.iter().enumerate() {
        let post_unit = l.post_unit(c);
        let texts = [
            (i + 1).to_string(),
            l.name(c).to_string(),
            post_unit,
            c.award_label.to_string(),
        ];
        out.push(TableRow::new(
            texts
                .iter()
                .zip(WIDTHS)
                .enumerate()
                .map(|(k, (t, w))| {
                    let p = para(text(t));
                    cell(
                        if k == 0 {
                            p.align(AlignmentType::Center)
                        } else {
                            p
                        },
                        w,
                    )
                })
                .collect(),
        ));
    }
    Table::new(out).set_grid(WIDTHS.to_vec())
}

/// The annex's bytes.
pub fn render(r: &Report, l: &Listing) -> Result<Vec<u8>, String> {
    // The list «đủ điều kiện» of the printable report (section II), in
    // its order: those waiting only for the ballot are in it, since the
    // council votes on them.
    let [persons, groups] = passing_sections(r, l).map(|sections| {
        sections
            .into_iter()
            .flat_map(|s| s.candidates)
            .collect::<Vec<&Candidate>>()
    });
    let font = RunFonts::new()
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
        .cs("Times New Roman");
    let mut doc = Docx::new()
        // A4; margins of NĐ 30/2020 (top, bottom 20 mm, left 30 mm, right 15 mm).
        .page_size(11906, 16838)
        .page_margin(
            PageMargin::new()
                .top(1134)
                .bottom(1134)
                .left(1701)
                .right(850),
        )
        .default_fonts(font)
        .default_size(26)
        .add_paragraph(centred(text("DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG").bold()))
        .add_paragraph(centred(
            text("(Kèm theo Tờ trình số …/TTr-… ngày … tháng … năm … của …)").italic(),
        ))
        .add_paragraph(Paragraph::new())
        .add_paragraph(para(text("I. CÁ NHÂN").bold()));
    doc = if persons.is_empty() {
        doc.add_paragraph(para(text("Không có.").italic()))
    } else {
        doc.add_table(table(&persons, l, "Họ và tên"))
    };
    doc = doc
        .add_paragraph(Paragraph::new())
        .add_paragraph(para(text("II. TẬP THỂ").bold()));
    doc = if groups.is_empty() {
        doc.add_paragraph(para(text("Không có.").italic()))
    } else {
        doc.add_table(table(&groups, l, "Tên tập thể"))
    };
    if r.candidates.len() as u64 != r.summary.candidates {
        doc = doc.add_paragraph(para(
            text("Danh sách kiểm tra với --failing: các đề nghị đủ điều kiện không được liệt kê.")
                .italic(),
        ));
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| format!("Không tạo được tệp Word: {e}"))?;
    Ok(out.into_inner())
}
