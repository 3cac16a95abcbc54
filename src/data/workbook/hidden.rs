//! Rows an .xlsx sheet hides (`<row r="7" hidden="1">`), read from the
//! sheet's XML part, which calamine reads for values but not for this.

use std::io::{BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use zip::ZipArchive;

/// The 1-based numbers of the rows hidden in sheet `sheet` of the .xlsx in
/// `bytes`, ascending. Empty when the parts cannot be found or read: hidden
/// rows are reported, never needed to read the sheet.
pub(super) fn hidden_rows(bytes: &[u8], sheet: &str) -> Vec<u64> {
    read(bytes, sheet).unwrap_or_default()
}

fn read(bytes: &[u8], sheet: &str) -> Option<Vec<u64>> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).ok()?;
    let id = sheet_rel_id(&part(&mut zip, "xl/workbook.xml")?, sheet)?;
    let target = rel_target(&part(&mut zip, "xl/_rels/workbook.xml.rels")?, &id)?;
    let path = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    };
    let file = zip.by_name(&path).ok()?;
    Some(rows_hidden(Reader::from_reader(BufReader::new(file))))
}

/// A small part (the workbook, its relationships), whole.
fn part(zip: &mut ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    zip.by_name(name).ok()?.read_to_end(&mut out).ok()?;
    Some(out)
}

/// The value of attribute `key` (by local name) of an element.
fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// The relationship id (`r:id`) of sheet `sheet` in `xl/workbook.xml`.
fn sheet_rel_id(xml: &[u8], sheet: &str) -> Option<String> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e)
                if e.local_name().as_ref() == "sheet"
                    && attr(&e, "name").as_deref() == Some(sheet) =>
            {
                return attr(&e, "id");
            }
            Event::Eof => return None,
            _ => {}
        }
        buf.clear();
    }
}

/// The target of relationship `id` in `xl/_rels/workbook.xml.rels`.
fn rel_target(xml: &[u8], id: &str) -> Option<String> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e)
                if e.local_name().as_ref() == "Relationship"
                    && attr(&e, "Id").as_deref() == Some(id) =>
            {
                return attr(&e, "Target");
            }
            Event::Eof => return None,
            _ => {}
        }
        buf.clear();
    }
}

/// Rows with `hidden="1"` (or `true`) in a sheet part. A `<row>` without
/// `r` is the one after the previous row.
fn rows_hidden<R: std::io::BufRead>(mut reader: Reader<R>) -> Vec<u64> {
    let mut hidden = Vec::new();
    let mut buf = Vec::new();
    let mut last = 0u64;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "row" => {
                let row = attr(&e, "r")
                    .and_then(|r| r.trim().parse().ok())
                    .unwrap_or(last + 1);
                last = row;
                if matches!(attr(&e, "hidden").as_deref(), Some("1" | "true")) {
                    hidden.push(row);
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "sheetData" => break,
            // A part cut short keeps the rows found before the damage.
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    hidden
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_without_a_number_follow_the_previous_one() {
        let xml = br#"<worksheet><sheetData>
            <row r="2" hidden="1"><c r="A2"/></row>
            <row hidden="true"/>
            <row r="7"/>
            <row hidden="0"/>
            <row hidden="1"></row>
        </sheetData><row r="99" hidden="1"/></worksheet>"#;
        assert_eq!(rows_hidden(Reader::from_reader(&xml[..])), vec![2, 3, 9]);
    }

    #[test]
    fn sheet_found_through_its_relationship() {
        let book = r#"<workbook xmlns:r="x"><sheets>
            <sheet name="A &amp; B" sheetId="1" r:id="rId4"/>
            <sheet name="Tập thể" sheetId="2" r:id="rId1"/>
        </sheets></workbook>"#
            .as_bytes();
        assert_eq!(sheet_rel_id(book, "A & B").as_deref(), Some("rId4"));
        assert_eq!(sheet_rel_id(book, "Tập thể").as_deref(), Some("rId1"));
        assert_eq!(sheet_rel_id(book, "C"), None);
        let rels = br#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet2.xml"/>
            <Relationship Id="rId4" Target="/xl/worksheets/sheet9.xml"/></Relationships>"#;
        assert_eq!(
            rel_target(rels, "rId4").as_deref(),
            Some("/xl/worksheets/sheet9.xml")
        );
        assert_eq!(sheet_rel_id(b"<not xml", "A"), None);
    }
}
