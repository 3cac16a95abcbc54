//! Texts a reader leaves out, written later for the rows that need them.

use super::ColPlan;
use crate::data::Row;
use crate::data::records::{Record, RecordText};
use crate::data::text::nfc_trim_into;
use std::sync::Arc;

/// Writes, for a row already read, the texts its reader left out (see
/// [`TableReader::set_eager_texts`](super::TableReader::set_eager_texts)).
/// Shared by the threads of one check.
#[derive(Debug, Clone)]
pub struct TextFiller(pub(super) Arc<Vec<ColPlan>>);

impl TextFiller {
    /// Writes the text of every column.
    pub fn fill(&self, row: &mut Row) {
        self.fill_columns(row, 0..self.0.len());
    }

    /// Writes the texts of columns `cols` only.
    pub fn fill_columns(&self, row: &mut Row, cols: impl IntoIterator<Item = usize>) {
        let mut whole = None;
        for c in cols {
            if let (Some(plan), Some(text)) = (self.0.get(c), row.texts.get_mut(c))
                && !plan.eager
                && text.is_empty()
            {
                plan.write_text(&row.raw, &mut whole, text);
            }
        }
    }

    /// The bytes of column `col`'s cell in the file, if the row has them.
    /// The column's text is a function of these bytes alone.
    pub fn raw<'r>(&self, row: &'r Row, col: usize) -> Option<&'r [u8]> {
        self.0.get(col)?.field.and_then(|f| row.raw.get(f))
    }

    /// The text of column `col` for a cell holding `bytes` (`None`: the
    /// row has no such cell), as the reader writes it, into `out`.
    pub fn text_of(&self, col: usize, bytes: Option<&[u8]>, out: &mut String) {
        out.clear();
        if let Some(b) = bytes {
            // A unit's name is long and mostly not ASCII: checked with SIMD.
            nfc_trim_into(simdutf8::basic::from_utf8(b).unwrap_or_default(), out);
        }
        if let Some(plan) = self.0.get(col) {
            plan.default_if_blank(out);
        }
    }
}

impl ColPlan {
    /// Writes the text of this column's cell of `record` into the empty
    /// `text`: NFC and trimmed, or the default's text for a blank.
    fn write_text<'r>(
        &self,
        record: &'r Record,
        whole: &mut Option<Option<RecordText<'r>>>,
        text: &mut String,
    ) {
        if let Some(f) = self.field {
            nfc_trim_into(field_text(record, whole, f), text);
        }
        self.default_if_blank(text);
    }

    /// A blank `text` becomes the default's text, if there is one.
    fn default_if_blank(&self, text: &mut String) {
        if text.is_empty()
            && let Some((_, default_text)) = &self.default
        {
            text.push_str(default_text);
        }
    }
}

/// `raw` as text when it is ASCII and visible at both ends: then it is
/// already trimmed NFC text.
pub(super) fn plain_ascii(raw: &[u8]) -> Option<&str> {
    let visible = |b: &u8| b.is_ascii_graphic();
    (raw.first().is_some_and(visible) && raw.last().is_some_and(visible) && raw.is_ascii())
        .then(|| std::str::from_utf8(raw).ok())
        .flatten()
}

/// Field `f` of `record` as text ("" when it is not UTF-8); `whole` keeps
/// the record's one UTF-8 check from field to field.
pub(super) fn field_text<'r>(
    record: &'r Record,
    whole: &mut Option<Option<RecordText<'r>>>,
    f: usize,
) -> &'r str {
    // An ASCII field (a code) is checked alone: the whole record is long.
    if let Some(raw) = record.get(f).filter(|raw| raw.is_ascii()) {
        return std::str::from_utf8(raw).unwrap_or_default();
    }
    match whole.get_or_insert_with(|| record.as_text()) {
        Some(text) => text.get(f),
        // Some field is not UTF-8: check this one alone.
        None => record
            .get(f)
            .and_then(|raw| simdutf8::basic::from_utf8(raw).ok()),
    }
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_ascii_cell_is_the_text_the_long_way_gives() {
        for raw in [
            "CB0000001",
            "a b",
            " CB01",
            "CB01 ",
            "\tx",
            "Mã",
            "x\u{300}",
            "",
            "-",
        ] {
            let mut long = String::new();
            nfc_trim_into(raw, &mut long);
            match plain_ascii(raw.as_bytes()) {
                Some(text) => assert_eq!(text, long, "{raw:?}"),
                None => assert!(
                    !raw.is_ascii() || raw.trim() != raw || raw.is_empty(),
                    "{raw:?}"
                ),
            }
        }
        assert_eq!(plain_ascii(b"CB0000001"), Some("CB0000001"));
        assert_eq!(plain_ascii(b" CB01"), None);
    }
}
