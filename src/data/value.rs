//! Cell parsing: turns one cell's text into a typed [`Cell`].

use rustc_hash::FxHashMap as HashMap;

use rust_decimal::Decimal;

use super::Cell;
use super::text::{eq_lowercase, fold, fold_into, nfc_trim, quote, quote_list, strip_marks, trim};
use crate::semantic::model::{EnumDef, Type};

/// Spellings accepted for a true Bool (compared lowercase).
const TRUE_WORDS: [&str; 7] = ["có", "co", "x", "true", "1", "yes", "đúng"];
/// Spellings accepted for a false Bool (compared lowercase).
const FALSE_WORDS: [&str; 6] = ["không", "khong", "false", "0", "no", "sai"];

/// How many valid values an enum message lists before `…`.
const MAX_LISTED: usize = 12;

/// Parses one cell's text (already NFC and trimmed) as the column type.
/// Err(DataIssue fields message+expected) on a bad value.
///
/// An empty text gives `Cell::Blank` (blank handling, defaults and required
/// cells are the reader's business). For enums this builds the lookup tables
/// on every call; [`super::TableReader`] builds them once per column.
pub fn parse_cell(text: &str, ty: Type, enums: &[EnumDef]) -> Result<Cell, (String, String)> {
    let kind = Kind::new(ty, enums);
    let mut scratch = String::new();
    kind.parse(trim(text), &mut scratch)
}

/// A column type, ready to parse (enum lookups precomputed).
#[derive(Debug, Clone)]
pub(crate) enum Kind {
    Text,
    Int,
    Decimal,
    Percent,
    Bool,
    Date,
    Enum(Box<EnumLookup>),
    /// `Type::Enum(id)` with no such enum: a schema bug, every value is bad.
    UnknownEnum(usize),
}

impl Kind {
    pub(crate) fn new(ty: Type, enums: &[EnumDef]) -> Kind {
        match ty {
            Type::Text | Type::Rounding => Kind::Text,
            Type::Int => Kind::Int,
            Type::Decimal => Kind::Decimal,
            Type::Percent => Kind::Percent,
            Type::Bool => Kind::Bool,
            Type::Date => Kind::Date,
            Type::Enum(id) => match enums.get(id) {
                Some(def) => Kind::Enum(Box::new(EnumLookup::new(def))),
                None => Kind::UnknownEnum(id),
            },
        }
    }

    /// What a valid value looks like, in Vietnamese (the `expected` field).
    pub(crate) fn describe(&self) -> String {
        match self {
            Kind::Text => "một nội dung bất kỳ".to_string(),
            Kind::Int => "một số nguyên, ví dụ 12".to_string(),
            Kind::Decimal => "một số, dấu thập phân là «,» hoặc «.», ví dụ 8,5".to_string(),
            Kind::Percent => "một tỷ lệ phần trăm, ví dụ 15% hoặc 15,5".to_string(),
            Kind::Bool => bool_expected(),
            Kind::Date => "một ngày dạng dd/mm/yyyy hoặc yyyy-mm-dd, ví dụ 31/12/2024".to_string(),
            Kind::Enum(lookup) => format!("một trong: {}", lookup.listing()),
            Kind::UnknownEnum(id) => format!("một giá trị của kiểu liệt kê số {id}"),
        }
    }

    /// The cell of `raw` when its bytes settle it at once: an exact enum
    /// label, a usual yes/no spelling, a plain ASCII number. `None` sends
    /// the cell to [`Kind::parse`] (trimming, NFC, folding, messages).
    pub(crate) fn quick(&self, raw: &[u8]) -> Option<Cell> {
        match self {
            Kind::Enum(lookup) => lookup.exact_bytes(raw).map(Cell::Enum),
            Kind::Bool => quick_bool(raw).map(Cell::Bool),
            Kind::Int | Kind::Decimal
                if raw.first().is_some_and(u8::is_ascii_digit)
                    && raw.last().is_some_and(u8::is_ascii_digit) =>
            {
                if let Some((mantissa, scale)) = plain_number(raw) {
                    return match self {
                        Kind::Int if scale == 0 => i64::try_from(mantissa).ok().map(Cell::Int),
                        Kind::Int => None,
                        _ => Decimal::try_from_i128_with_scale(i128::from(mantissa), scale)
                            .ok()
                            .map(Cell::Decimal),
                    };
                }
                let text = std::str::from_utf8(raw).ok()?;
                match self {
                    Kind::Int => parse_int(text).ok().map(Cell::Int),
                    _ => parse_decimal(text).ok().map(Cell::Decimal),
                }
            }
            _ => None,
        }
    }

    /// Parses a trimmed NFC text. `scratch` is reused for folding.
    pub(crate) fn parse(&self, text: &str, scratch: &mut String) -> Result<Cell, (String, String)> {
        if text.is_empty() {
            return Ok(Cell::Blank);
        }
        match self {
            Kind::Text => Ok(Cell::Text),
            Kind::Int => parse_int(text).map(Cell::Int),
            Kind::Decimal => parse_decimal(text).map(Cell::Decimal).map_err(|e| {
                (
                    e.message(text),
                    "một số, dấu thập phân là «,» hoặc «.», ví dụ 8,5".to_string(),
                )
            }),
            Kind::Percent => parse_percent(text).map(Cell::Decimal),
            Kind::Bool => parse_bool(text).map(Cell::Bool),
            Kind::Date => parse_date(text).map(Cell::Date),
            Kind::Enum(lookup) => lookup.find(text, scratch).map(Cell::Enum).ok_or_else(|| {
                (
                    format!("{} không phải giá trị hợp lệ của cột", quote(text)),
                    lookup.expected(scratch),
                )
            }),
            Kind::UnknownEnum(id) => Err((
                format!(
                    "không kiểm tra được {}: kiểu liệt kê số {id} không có trong bộ quy tắc",
                    quote(text)
                ),
                self.describe(),
            )),
        }
    }
}

// ---------------------------------------------------------------- enums

/// A few keys, found by their length first.
#[derive(Debug, Clone)]
struct ByLength {
    /// Keys and values, by length.
    keys: Vec<(Box<[u8]>, u16)>,
    /// Per length: where its keys start in `keys`, and how many there are.
    at: Vec<(u8, u8)>,
}

impl ByLength {
    /// `None` past 255 keys or bytes (never for the short enums it is for).
    fn new(exact: &HashMap<Box<[u8]>, u16>) -> Option<ByLength> {
        let mut keys: Vec<(Box<[u8]>, u16)> = exact.iter().map(|(k, &v)| (k.clone(), v)).collect();
        keys.sort_by_key(|(k, _)| k.len());
        let longest = keys.last().map_or(0, |(k, _)| k.len());
        let mut at = vec![(0u8, 0u8); longest + 1];
        for (k, _) in &keys {
            let slot = at.get_mut(k.len())?;
            slot.1 = slot.1.checked_add(1)?;
        }
        let mut start = 0u8;
        for slot in &mut at {
            slot.0 = start;
            start = start.checked_add(slot.1)?;
        }
        Some(ByLength { keys, at })
    }

    fn get(&self, raw: &[u8]) -> Option<u16> {
        let &(start, count) = self.at.get(raw.len())?;
        let start = usize::from(start);
        self.keys
            .get(start..start + usize::from(count))?
            .iter()
            .find(|(k, _)| **k == *raw)
            .map(|&(_, v)| v)
    }
}

/// Lookup tables of one enum.
#[derive(Debug, Clone)]
pub(crate) struct EnumLookup {
    /// NFC codes, labels and aliases, exact (codes win over labels, labels
    /// over aliases, earlier values over later ones), by their bytes.
    exact: HashMap<Box<[u8]>, u16>,
    /// The same by length when the enum is short (the usual one): finding
    /// the one or two keys of a cell's length is cheaper than hashing a
    /// long label on every row, and than trying keys one by one (which key
    /// a row holds is random, so the tries were mispredicted).
    short: Option<ByLength>,
    /// The same, folded.
    folded: HashMap<Box<str>, u16>,
    /// Display labels, in value order.
    labels: Vec<String>,
    /// Per value: folded label, code and aliases (for suggestions).
    keys: Vec<Vec<String>>,
}

impl EnumLookup {
    pub(crate) fn new(def: &EnumDef) -> EnumLookup {
        let mut exact = HashMap::default();
        let mut folded = HashMap::default();
        let mut labels = Vec::new();
        let mut keys = Vec::new();
        let values = || {
            def.values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| u16::try_from(i).ok().map(|i| (i, v)))
        };
        // Codes first, then labels, then aliases: the first entry wins.
        for (i, v) in values() {
            add_key(&mut exact, &mut folded, &v.code, i);
        }
        for (i, v) in values() {
            add_key(&mut exact, &mut folded, &v.label, i);
        }
        for (i, v) in values() {
            for alias in &v.aliases {
                add_key(&mut exact, &mut folded, alias, i);
            }
        }
        for (_, v) in values() {
            let label = nfc_trim(&v.label);
            let mut k = vec![fold(&label), fold(&v.code)];
            k.extend(v.aliases.iter().map(|a| fold(a)));
            k.retain(|s| !s.is_empty());
            labels.push(if label.is_empty() {
                nfc_trim(&v.code)
            } else {
                label
            });
            keys.push(k);
        }
        let short = (exact.len() <= 16).then(|| ByLength::new(&exact)).flatten();
        EnumLookup {
            exact,
            short,
            folded,
            labels,
            keys,
        }
    }

    /// The value index of `text` (trimmed NFC): exact match first (no
    /// allocation), then folded (writes the folded text into `scratch`).
    pub(crate) fn find(&self, text: &str, scratch: &mut String) -> Option<u16> {
        if let Some(i) = self.exact_bytes(text.as_bytes()) {
            return Some(i);
        }
        fold_into(text, scratch);
        self.folded.get(scratch.as_str()).copied()
    }

    /// The values of a cell naming several, separated by `;`, line breaks
    /// or `,` («CSTĐCS; Giấy khen»): `None` unless there are two or more
    /// and every part is a value. Labels may hold commas («Bằng khen (cấp
    /// bộ, ngành, tỉnh)»): the longest run of comma-separated parts that is
    /// a value is taken first.
    pub(crate) fn find_several(&self, text: &str, scratch: &mut String) -> Option<Vec<u16>> {
        let mut out = Vec::new();
        for part in text.split([';', '\n', '\r']) {
            let part = trim(part);
            if part.is_empty() {
                continue;
            }
            let pieces: Vec<&str> = part.split(',').collect();
            let mut i = 0;
            while i < pieces.len() {
                let found = (i + 1..=pieces.len()).rev().find_map(|j| {
                    let joined = pieces.get(i..j)?.join(",");
                    let v = self.find(trim(&joined), scratch)?;
                    Some((j, v))
                });
                let (j, v) = found?;
                out.push(v);
                i = j;
            }
        }
        (out.len() >= 2).then_some(out)
    }

    /// The value whose code, label or alias is exactly `raw` (so `raw` is
    /// already trimmed NFC text).
    pub(crate) fn exact_bytes(&self, raw: &[u8]) -> Option<u16> {
        match &self.short {
            Some(short) => short.get(raw),
            None => self.exact.get(raw).copied(),
        }
    }

    /// All labels, quoted.
    fn listing(&self) -> String {
        quote_list(self.labels.iter().map(String::as_str), MAX_LISTED)
    }

    /// The `expected` text for an unknown value whose folded form is
    /// `folded`: the closest labels, then all valid labels.
    fn expected(&self, folded: &str) -> String {
        let plain = strip_marks(folded);
        let mut scored: Vec<(f64, usize)> = self
            .keys
            .iter()
            .enumerate()
            .map(|(i, keys)| {
                let score = keys
                    .iter()
                    .map(|k| {
                        let exact = similarity(folded, k);
                        // Typed without diacritics: a close second.
                        let unmarked = 0.95 * similarity(&plain, &strip_marks(k));
                        exact.max(unmarked)
                    })
                    .fold(0.0, f64::max);
                (score, i)
            })
            .collect();
        // Best first; equal scores keep the enum order.
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let best = scored.first().map_or(0.0, |s| s.0);
        let closest: Vec<&str> = scored
            .iter()
            .enumerate()
            .filter(|(rank, (score, _))| *rank == 0 || (*score > 0.0 && *score >= best * 0.85))
            .take(3)
            .filter_map(|(_, (_, i))| self.labels.get(*i).map(String::as_str))
            .collect();
        if closest.is_empty() {
            format!("các giá trị hợp lệ: {}", self.listing())
        } else {
            format!(
                "gần nhất: {}; các giá trị hợp lệ: {}",
                quote_list(closest, 3),
                self.listing()
            )
        }
    }
}

/// How close `input` is to `key`, in [0, 1]: normalized Levenshtein on the
/// whole texts, or (slightly discounted) against the start of `key` as long
/// as `input`, so that a shortened value ("Hoàn thành tôt") is closest to the
/// label it starts ("Hoàn thành tốt nhiệm vụ").
fn similarity(input: &str, key: &str) -> f64 {
    let whole = strsim::normalized_levenshtein(input, key);
    let n = input.chars().count();
    let prefix_end = key.char_indices().nth(n).map_or(key.len(), |(i, _)| i);
    let prefix = key.get(..prefix_end).unwrap_or(key);
    if prefix.len() < key.len() {
        whole.max(0.9 * strsim::normalized_levenshtein(input, prefix))
    } else {
        whole
    }
}

fn add_key(
    exact: &mut HashMap<Box<[u8]>, u16>,
    folded: &mut HashMap<Box<str>, u16>,
    key: &str,
    index: u16,
) {
    let nfc = nfc_trim(key);
    if nfc.is_empty() {
        return;
    }
    let f = fold(&nfc);
    exact
        .entry(nfc.into_boxed_str().into_boxed_bytes())
        .or_insert(index);
    folded.entry(f.into_boxed_str()).or_insert(index);
}

// ---------------------------------------------------------------- numbers

/// Why a text is not a decimal number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumError {
    NotNumber,
    Thousands,
    TooLarge,
}

impl NumError {
    fn message(self, text: &str) -> String {
        match self {
            NumError::NotNumber => format!("{} không phải là số", quote(text)),
            NumError::Thousands => format!(
                "{} có dấu phân cách hàng nghìn: hãy ghi số liền, chỉ một dấu thập phân «,» hoặc «.»",
                quote(text)
            ),
            NumError::TooLarge => format!("{} quá lớn hoặc quá nhiều chữ số", quote(text)),
        }
    }
}

/// Splits an optional leading sign.
fn split_sign(text: &str) -> (bool, &str) {
    if let Some(rest) = text.strip_prefix('-') {
        (true, rest)
    } else if let Some(rest) = text.strip_prefix('+') {
        (false, rest)
    } else {
        (false, text)
    }
}

/// Digits with at most one `.` or `,` between them (`12`, `96.0`, `8,5`)
/// as a mantissa and a scale, read straight from the bytes; `None` for
/// anything else (signs, thousands separators, numbers of more than 19
/// digits), which the full parsers handle. 19 digits fit a `u64`, whose
/// arithmetic is cheaper than `i128`'s.
fn plain_number(raw: &[u8]) -> Option<(u64, u32)> {
    let mut mantissa: u64 = 0;
    let mut digits = 0;
    let mut scale: Option<u32> = None;
    for &b in raw {
        match b {
            b'0'..=b'9' if digits < 19 => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                digits += 1;
                if let Some(s) = &mut scale {
                    *s += 1;
                }
            }
            b'.' | b',' if scale.is_none() => scale = Some(0),
            _ => return None,
        }
    }
    Some((mantissa, scale.unwrap_or(0)))
}

fn parse_int(text: &str) -> Result<i64, (String, String)> {
    let expected = || "một số nguyên (chỉ gồm chữ số), ví dụ 12".to_string();
    let (negative, digits) = split_sign(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err((
            format!("{} không hợp lệ: cần một số nguyên", quote(text)),
            expected(),
        ));
    }
    let mut value: i64 = 0;
    for b in digits.bytes() {
        let d = i64::from(b - b'0');
        let next = value.checked_mul(10).and_then(|v| {
            if negative {
                v.checked_sub(d)
            } else {
                v.checked_add(d)
            }
        });
        match next {
            Some(v) => value = v,
            None => {
                return Err((
                    format!("{} quá lớn: cần một số nguyên", quote(text)),
                    expected(),
                ));
            }
        }
    }
    Ok(value)
}

/// Digits with at most one decimal separator (`.` or `,`), optional sign.
fn parse_decimal(text: &str) -> Result<Decimal, NumError> {
    let (negative, body) = split_sign(text);
    let mut mantissa: i128 = 0;
    let mut int_digits = 0usize;
    let mut frac_digits = 0u32;
    let mut separator: Option<char> = None;
    let mut thousands = false;
    let mut bad = false;
    for c in body.chars() {
        match c {
            '0'..='9' => {
                let d = i128::from(c as u8 - b'0');
                mantissa = mantissa
                    .checked_mul(10)
                    .and_then(|m| m.checked_add(d))
                    .ok_or(NumError::TooLarge)?;
                if separator.is_some() {
                    frac_digits = frac_digits.saturating_add(1);
                } else {
                    int_digits += 1;
                }
            }
            '.' | ',' => {
                if separator.is_some() {
                    // "1.234,5", "1,234.5", "1.234.567".
                    thousands = true;
                }
                separator = Some(c);
            }
            c if c == ' ' || c == '\'' || super::text::is_space(c) => thousands = true,
            _ => bad = true,
        }
    }
    if bad {
        return Err(NumError::NotNumber);
    }
    if thousands {
        return Err(if int_digits + frac_digits as usize > 0 {
            NumError::Thousands
        } else {
            NumError::NotNumber
        });
    }
    if int_digits == 0 || (separator.is_some() && frac_digits == 0) {
        return Err(NumError::NotNumber);
    }
    if negative {
        mantissa = -mantissa;
    }
    Decimal::try_from_i128_with_scale(mantissa, frac_digits).map_err(|_| NumError::TooLarge)
}

fn parse_percent(text: &str) -> Result<Decimal, (String, String)> {
    let expected = || "một tỷ lệ phần trăm, ví dụ 15% hoặc 15,5".to_string();
    let number = match text.strip_suffix('%') {
        Some(rest) => trim(rest),
        None => text,
    };
    parse_decimal(number).map_err(|e| (e.message(text), expected()))
}

// ---------------------------------------------------------------- bool

fn bool_expected() -> String {
    format!(
        "có/không: {} (có) hoặc {} (không)",
        quote_list(TRUE_WORDS, TRUE_WORDS.len()),
        quote_list(FALSE_WORDS, FALSE_WORDS.len())
    )
}

/// The spellings of yes/no a spreadsheet usually holds, as bytes.
fn quick_bool(raw: &[u8]) -> Option<bool> {
    match raw {
        b"1" | b"x" | b"X" | b"TRUE" | b"true" => Some(true),
        b"0" | b"FALSE" | b"false" => Some(false),
        _ if raw == "Có".as_bytes() || raw == "có".as_bytes() => Some(true),
        _ if raw == "Không".as_bytes() || raw == "không".as_bytes() => Some(false),
        _ => None,
    }
}

fn parse_bool(text: &str) -> Result<bool, (String, String)> {
    if TRUE_WORDS.iter().any(|w| eq_lowercase(text, w)) {
        Ok(true)
    } else if FALSE_WORDS.iter().any(|w| eq_lowercase(text, w)) {
        Ok(false)
    } else {
        Err((
            format!("{} không phải giá trị có/không", quote(text)),
            bool_expected(),
        ))
    }
}

// ---------------------------------------------------------------- dates

const DATE_EXPECTED: &str = "một ngày dạng dd/mm/yyyy hoặc yyyy-mm-dd, ví dụ 31/12/2024";

/// Splits `text` into exactly three runs of ASCII digits separated by one
/// and the same separator; returns the parts and the separator.
fn split_date(text: &str) -> Option<([&str; 3], char)> {
    let sep = text.chars().find(|c| !c.is_ascii_digit())?;
    if !matches!(sep, '/' | '-' | '.') {
        return None;
    }
    let mut parts = text.split(sep);
    let a = parts.next()?;
    let b = parts.next()?;
    let c = parts.next()?;
    if parts.next().is_some() {
        return None;
    }
    let ok = |p: &str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit());
    if ok(a) && ok(b) && ok(c) {
        Some(([a, b, c], sep))
    } else {
        None
    }
}

fn parse_date(text: &str) -> Result<i32, (String, String)> {
    let bad = |message: String| Err((message, DATE_EXPECTED.to_string()));
    let Some(([a, b, c], sep)) = split_date(text) else {
        return bad(format!("{} không phải ngày hợp lệ", quote(text)));
    };
    let num = |p: &str| p.parse::<u32>().unwrap_or(0);
    let (year_text, month, day) = if a.len() == 4 && sep == '-' {
        // ISO yyyy-mm-dd.
        if b.len() > 2 || c.len() > 2 {
            return bad(format!("{} không phải ngày hợp lệ", quote(text)));
        }
        (a, num(b), num(c))
    } else if a.len() <= 2 && b.len() <= 2 {
        (c, num(b), num(a))
    } else {
        return bad(format!("{} không phải ngày hợp lệ", quote(text)));
    };
    if year_text.len() != 4 {
        return bad(format!(
            "{}: năm cần ghi đủ 4 chữ số, ví dụ 2024",
            quote(text)
        ));
    }
    let year = num(year_text) as i32;
    if year < 1 {
        return bad(format!("{}: năm {year_text} không hợp lệ", quote(text)));
    }
    if !(1..=12).contains(&month) {
        return bad(format!(
            "{}: tháng {month} không tồn tại (ngày ghi theo thứ tự ngày/tháng/năm)",
            quote(text)
        ));
    }
    let last = days_in_month(year, month);
    if day < 1 || day > last {
        return bad(format!(
            "{}: ngày {day} không tồn tại (tháng {month} năm {year} có {last} ngày)",
            quote(text)
        ));
    }
    Ok(days_from_civil(year, month, day))
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a valid proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`). Years 1..=9999 fit easily in i32.
fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    i32::try_from(days).unwrap_or(if days < 0 { i32::MIN } else { i32::MAX })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::semantic::model::EnumValue;
    use rust_decimal::Decimal;
    use std::str::FromStr;
    use unicode_normalization::UnicodeNormalization;

    fn xep_loai() -> EnumDef {
        let v = |code: &str, label: &str, aliases: &[&str]| EnumValue {
            code: code.to_string(),
            label: label.to_string(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        };
        EnumDef {
            id: "xep_loai".to_string(),
            ordered: true,
            values: vec![
                v("KHT", "Không hoàn thành nhiệm vụ", &[]),
                v("HT", "Hoàn thành nhiệm vụ", &[]),
                v("HTT", "Hoàn thành tốt nhiệm vụ", &["Hoàn thành tốt"]),
                v("HTXS", "Hoàn thành xuất sắc nhiệm vụ", &["Xuất sắc"]),
            ],
        }
    }

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn parse(text: &str, ty: Type) -> Result<Cell, (String, String)> {
        parse_cell(text, ty, &[xep_loai()])
    }

    #[test]
    fn enum_label_exact_lowercase_nfd_code_alias() {
        let e = Type::Enum(0);
        assert_eq!(parse("Hoàn thành tốt nhiệm vụ", e), Ok(Cell::Enum(2)));
        assert_eq!(parse("hoàn thành TỐT  nhiệm vụ", e), Ok(Cell::Enum(2)));
        let nfd: String = "Hoàn thành xuất sắc nhiệm vụ".nfd().collect();
        assert_eq!(parse(&nfd, e), Ok(Cell::Enum(3)));
        assert_eq!(parse("HTXS", e), Ok(Cell::Enum(3)));
        assert_eq!(parse("htxs", e), Ok(Cell::Enum(3)));
        assert_eq!(parse("Xuất sắc", e), Ok(Cell::Enum(3)));
        assert_eq!(parse("hoàn thành tốt", e), Ok(Cell::Enum(2)));
    }

    #[test]
    fn enum_unknown_suggests_closest() {
        let (message, expected) = parse("Hoàn thành tôt", Type::Enum(0)).unwrap_err();
        assert_eq!(
            message,
            "«Hoàn thành tôt» không phải giá trị hợp lệ của cột"
        );
        assert!(
            expected.starts_with("gần nhất: «Hoàn thành tốt nhiệm vụ»"),
            "{expected}"
        );
        assert!(expected.contains("các giá trị hợp lệ: «Không hoàn thành nhiệm vụ»"));
        let (_, expected) = parse("Hoàn thành xuất sác nhiệm vụ", Type::Enum(0)).unwrap_err();
        assert!(
            expected.starts_with("gần nhất: «Hoàn thành xuất sắc nhiệm vụ»"),
            "{expected}"
        );
    }

    #[test]
    fn enum_suggestion_without_diacritics_and_abbreviated() {
        let (_, expected) = parse("hoan thanh xuat sac", Type::Enum(0)).unwrap_err();
        assert!(
            expected.starts_with("gần nhất: «Hoàn thành xuất sắc nhiệm vụ»;"),
            "{expected}"
        );
        let (_, expected) = parse("HTX", Type::Enum(0)).unwrap_err();
        assert!(
            expected.starts_with("gần nhất: «Hoàn thành xuất sắc nhiệm vụ»"),
            "{expected}"
        );
    }

    #[test]
    fn enum_missing_def_is_an_error_not_a_panic() {
        assert!(parse_cell("x", Type::Enum(7), &[]).is_err());
    }

    #[test]
    fn decimals() {
        assert_eq!(parse("85,5", Type::Decimal), Ok(Cell::Decimal(dec("85.5"))));
        assert_eq!(parse("85.5", Type::Decimal), Ok(Cell::Decimal(dec("85.5"))));
        assert_eq!(
            parse("-0,25", Type::Decimal),
            Ok(Cell::Decimal(dec("-0.25")))
        );
        assert_eq!(parse("+7", Type::Decimal), Ok(Cell::Decimal(dec("7"))));
        for bad in ["1.234,5", "1,234.5", "1.234.567", "1 234,5"] {
            let (m, _) = parse(bad, Type::Decimal).unwrap_err();
            assert!(m.contains("hàng nghìn"), "{bad}: {m}");
        }
        for bad in ["abc", ",5", "5,", "-", "8,5đ", "1e5", ".", "+-1"] {
            let (m, _) = parse(bad, Type::Decimal).unwrap_err();
            assert!(m.contains("không phải là số"), "{bad}: {m}");
        }
        let huge = "9".repeat(60);
        assert!(parse(&huge, Type::Decimal).is_err());
        let deep = format!("0,{}", "1".repeat(40));
        assert!(parse(&deep, Type::Decimal).is_err());
    }

    #[test]
    fn percents() {
        for (text, want) in [
            ("15%", "15"),
            ("15 %", "15"),
            ("15\u{A0}%", "15"),
            ("15", "15"),
            ("15,5%", "15.5"),
            ("0.5%", "0.5"),
        ] {
            assert_eq!(
                parse(text, Type::Percent),
                Ok(Cell::Decimal(dec(want))),
                "{text}"
            );
        }
        for bad in ["%", "15%%", "%15", "mười lăm"] {
            assert!(parse(bad, Type::Percent).is_err(), "{bad}");
        }
    }

    #[test]
    fn ints() {
        assert_eq!(parse("12", Type::Int), Ok(Cell::Int(12)));
        assert_eq!(parse("-3", Type::Int), Ok(Cell::Int(-3)));
        assert_eq!(parse("+3", Type::Int), Ok(Cell::Int(3)));
        assert_eq!(
            parse("-9223372036854775808", Type::Int),
            Ok(Cell::Int(i64::MIN))
        );
        for bad in [
            "10.5",
            "10,0",
            "mười",
            "1 000",
            "-",
            "9223372036854775808",
            "١٢",
        ] {
            let (m, _) = parse(bad, Type::Int).unwrap_err();
            assert!(m.contains("số nguyên"), "{bad}: {m}");
        }
    }

    #[test]
    fn bools() {
        for t in [
            "có", "Có", "CO", "x", "X", "true", "TRUE", "1", "yes", "Đúng",
        ] {
            assert_eq!(parse(t, Type::Bool), Ok(Cell::Bool(true)), "{t}");
        }
        for f in ["không", "KHÔNG", "khong", "false", "0", "No", "sai", "Sai"] {
            assert_eq!(parse(f, Type::Bool), Ok(Cell::Bool(false)), "{f}");
        }
        let (m, e) = parse("có lẽ", Type::Bool).unwrap_err();
        assert!(m.contains("«có lẽ»"));
        assert!(e.contains("«đúng»") && e.contains("«sai»"), "{e}");
    }

    #[test]
    fn dates() {
        assert_eq!(parse("01/01/1970", Type::Date), Ok(Cell::Date(0)));
        assert_eq!(parse("1970-01-01", Type::Date), Ok(Cell::Date(0)));
        assert_eq!(parse("01/01/2024", Type::Date), Ok(Cell::Date(19723)));
        assert_eq!(parse("1/1/2024", Type::Date), Ok(Cell::Date(19723)));
        assert_eq!(parse("1-1-2024", Type::Date), Ok(Cell::Date(19723)));
        assert_eq!(parse("1.1.2024", Type::Date), Ok(Cell::Date(19723)));
        assert_eq!(parse("2024-01-01", Type::Date), Ok(Cell::Date(19723)));
        assert_eq!(parse("29/02/2024", Type::Date), Ok(Cell::Date(19782)));
        assert_eq!(parse("31/12/1969", Type::Date), Ok(Cell::Date(-1)));
        assert_eq!(parse("01/03/2000", Type::Date), Ok(Cell::Date(11017)));
        let (m, _) = parse("31/02/2024", Type::Date).unwrap_err();
        assert!(m.contains("ngày 31 không tồn tại"), "{m}");
        assert!(parse("29/02/2023", Type::Date).is_err());
        assert!(parse("29/02/1900", Type::Date).is_err());
        let (m, _) = parse("12/31/2024", Type::Date).unwrap_err();
        assert!(m.contains("tháng 31"), "{m}");
        let (m, _) = parse("1/1/24", Type::Date).unwrap_err();
        assert!(m.contains("4 chữ số"), "{m}");
        for bad in [
            "2024/01/01",
            "2024.01.01",
            "1/1-2024",
            "01/01/2024 00:00",
            "45292",
            "0/1/2024",
            "1/0/2024",
            "1/1/0000",
            "2024-001-01",
            "//",
            "a/b/c",
        ] {
            assert!(parse(bad, Type::Date).is_err(), "{bad}");
        }
    }

    #[test]
    fn odd_inputs_never_panic() {
        let long_zeros = format!("0,{}", "0".repeat(100));
        let odd = [
            "-",
            "+",
            "%",
            "/",
            "-/-/-",
            "1/1/99999",
            "99/99/9999",
            "9999-99-99",
            "0000-01-01",
            "\u{0}",
            "１２",
            "½",
            "٣",
            "1e400",
            "--1",
            "1,",
            ",",
            ",,",
            "ạ",
            "\u{301}",
            &long_zeros,
        ];
        let types = [
            Type::Text,
            Type::Int,
            Type::Decimal,
            Type::Percent,
            Type::Bool,
            Type::Date,
            Type::Enum(0),
            Type::Enum(1),
            Type::Rounding,
        ];
        for text in odd {
            for ty in types {
                let _ = parse(text, ty);
            }
        }
        assert_eq!(parse(&long_zeros, Type::Decimal).ok(), None);
    }

    #[test]
    fn text_and_rounding_and_blank() {
        assert_eq!(parse("bất kỳ", Type::Text), Ok(Cell::Text));
        assert_eq!(parse("down", Type::Rounding), Ok(Cell::Text));
        assert_eq!(parse("", Type::Int), Ok(Cell::Blank));
    }

    #[test]
    fn keys_by_length_find_what_the_map_finds() {
        let words = [
            "HTT",
            "HTXS",
            "Giấy khen",
            "Bằng khen",
            "",
            "x",
            "Hoàn thành tốt nhiệm vụ",
        ];
        let exact: HashMap<Box<[u8]>, u16> = words
            .iter()
            .zip(0..)
            .map(|(w, i)| (w.as_bytes().into(), i))
            .collect();
        let short = ByLength::new(&exact).unwrap();
        for probe in words
            .iter()
            .chain(&["HTX", "Giấy khem", "y", "Hoàn thành tốt nhiệm vụ!"])
        {
            let raw = probe.as_bytes();
            assert_eq!(short.get(raw), exact.get(raw).copied(), "{probe:?}");
        }
    }

    #[test]
    fn quick_numbers_agree_with_the_full_parsers() {
        let inputs = [
            "12",
            "0012",
            "96.0",
            "8,5",
            "1.234,5",
            "1,234.5",
            "1.234.567",
            "12.",
            "1e5",
            "99999999999999999999",
            "9999999999999999999",
            "999999999.9999999999",
            "1234567890.123456789",
            "9223372036854775807",
            "9223372036854775808",
            "123456789012345678901234567890",
            "0",
            "0.000",
        ];
        for raw in inputs {
            let int = Kind::Int.quick(raw.as_bytes());
            if let Some(cell) = &int {
                assert_eq!(
                    Some(cell.clone()),
                    parse_int(raw).ok().map(Cell::Int),
                    "{raw}"
                );
            }
            let dec = Kind::Decimal.quick(raw.as_bytes());
            if let Some(cell) = &dec {
                let full = parse_decimal(raw).ok().map(Cell::Decimal);
                assert_eq!(Some(cell.clone()), full, "{raw}");
                if let (Some(Cell::Decimal(a)), Some(Cell::Decimal(b))) = (&dec, &full) {
                    assert_eq!(a.scale(), b.scale(), "{raw}");
                }
            }
        }
        assert_eq!(Kind::Int.quick(b"12"), Some(Cell::Int(12)));
        assert_eq!(
            Kind::Decimal.quick(b"8,5"),
            Some(Cell::Decimal(Decimal::new(85, 1)))
        );
        assert_eq!(Kind::Int.quick(b"12.0"), None);
    }
}
