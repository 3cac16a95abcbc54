//! Text helpers: NFC normalisation, trimming and folding (the
//! case-, whitespace- and NFC-insensitive form used to match headers and
//! enum values).

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Whitespace as spreadsheets produce it: Unicode white space (which
/// includes NBSP U+00A0 and U+202F), plus the zero-width space and a stray
/// byte-order mark.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}'
}

/// Trims [`is_space`] characters at both ends.
pub(crate) fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    // Most cells start and end with a visible ASCII character.
    let visible = |c: &u8| c.is_ascii_graphic();
    if b.first().is_some_and(visible) && b.last().is_some_and(visible) {
        return s;
    }
    s.trim_matches(is_space)
}

/// A character as a terminal may safely show it: controls as their Unicode
/// picture (ESC → `␛`), invisible formatting (direction marks, zero-width
/// characters) as `�`, a tab as a space; one character for one, so columns
/// stay right.
pub(crate) fn visible(c: char) -> char {
    match c {
        '\t' => ' ',
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('�'),
        '\u{7f}' => '␡',
        '\u{80}'..='\u{9f}'
        | '\u{200b}'..='\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2069}'
        | '\u{feff}' => '�',
        c => c,
    }
}

/// Bytes that may begin a character [`visible`] changes (other than a
/// line break): controls, DEL, and the lead bytes of C1 controls (0xC2)
/// and of the invisible characters (0xE2, 0xEF).
const SUSPECT: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = b != b'\n' as usize;
        b += 1;
    }
    t[0x7f] = true;
    t[0xc2] = true;
    t[0xe2] = true;
    t[0xef] = true;
    t
};

/// Whether `text` holds a character [`visible`] changes, other than a line
/// break: a scan of bytes (a report of tens of megabytes is mostly plain
/// letters, `—` and `«»`, which share lead bytes with what it looks for).
fn may_hide(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|&x| SUSPECT[x as usize]) {
        let at = i + off;
        let (next, third) = (b.get(at + 1).copied(), b.get(at + 2).copied());
        let hides = match b[at] {
            0xc2 => matches!(next, Some(0x80..=0x9f)),
            0xe2 => matches!(
                (next, third),
                (Some(0x80), Some(0x8b..=0x8f | 0xaa..=0xae)) | (Some(0x81), Some(0xa0..=0xa9))
            ),
            0xef => next == Some(0xbb) && third == Some(0xbf),
            _ => true,
        };
        if hides {
            return true;
        }
        i = at + 1;
    }
    false
}

/// Text shown on a terminal (a message, a report): line breaks kept, every
/// other control or invisible character drawn visibly (see [`visible`]).
pub(crate) fn visible_text(text: &str) -> std::borrow::Cow<'_, str> {
    if !may_hide(text) {
        return text.into();
    }
    text.chars()
        .map(|c| if c == '\n' { c } else { visible(c) })
        .collect::<String>()
        .into()
}

/// [`visible_text`] of an owned text, kept as it is when nothing changes.
pub(crate) fn visible_string(text: String) -> String {
    match visible_text(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(shown) => shown,
    }
}

/// Whether `s` is certainly in NFC (the quick check says Yes).
pub(crate) fn is_nfc(s: &str) -> bool {
    // ASCII (codes, numbers) settles it fastest: short cells pay for the
    // set-up of `plainly_nfc`'s vectorised loops.
    s.is_ascii() || plainly_nfc(s) || is_nfc_quick(s.chars()) == IsNormalized::Yes
}

/// A cheap sufficient test for NFC that needs no table lookup: every
/// character is below U+0300 or in Latin Extended Additional (U+1E00 to
/// U+1EFF, the precomposed Vietnamese letters). No character there changes
/// under normalisation or combines with a neighbour (quick check Yes,
/// combining class 0), so text made of them is NFC.
fn plainly_nfc(s: &str) -> bool {
    // `s` is UTF-8, so a byte from 0xCC up is a lead byte, and a lead byte
    // from 0xCC up starts a character from U+0300 up. The exception,
    // 0xE1, starts U+1E00 to U+1EFF when the next byte is 0xB8 to 0xBB.
    // No early exit: the loops run over whole cells and vectorise.
    let b = s.as_bytes();
    let high = b
        .iter()
        .fold(false, |bad, &x| bad | ((x >= 0xCC) & (x != 0xE1)));
    let outside = b.iter().zip(b.iter().skip(1)).fold(false, |bad, (&x, &y)| {
        bad | ((x == 0xE1) & !matches!(y, 0xB8..=0xBB))
    });
    !high && !outside
}

/// The NFC form of `s` (a copy when it is NFC already, which the check
/// tells far faster than normalising does).
pub(crate) fn nfc(s: &str) -> String {
    if is_nfc(s) {
        s.to_string()
    } else {
        s.nfc().collect()
    }
}

/// Clears `out` and writes the trimmed NFC form of `s` into it. No
/// allocation when `s` is already NFC and `out` has room.
pub(crate) fn nfc_trim_into(s: &str, out: &mut String) {
    out.clear();
    let t = trim(s);
    if is_nfc(t) {
        out.push_str(t);
    } else {
        out.extend(t.nfc());
        let end = out.trim_end_matches(is_space).len();
        out.truncate(end);
        let start = out.len() - out.trim_start_matches(is_space).len();
        if start > 0 {
            out.replace_range(..start, "");
        }
    }
}

/// The trimmed NFC form of `s`.
pub(crate) fn nfc_trim(s: &str) -> String {
    let mut out = String::new();
    nfc_trim_into(s, &mut out);
    out
}

/// Clears `out` and writes the folded form of `s`: NFC, lowercase, runs of
/// white space (NBSP included) collapsed into one space, trimmed.
pub(crate) fn fold_into(s: &str, out: &mut String) {
    out.clear();
    if is_nfc(s) {
        fold_chars(s.chars(), out);
    } else {
        fold_chars(s.nfc(), out);
    }
    if !is_nfc(out) {
        // Lowercasing may (rarely) leave a non-NFC sequence.
        let renormalised: String = out.nfc().collect();
        *out = renormalised;
    }
    if out.contains(Y_FORMS) {
        spell_i_for_y(out);
    }
}

/// `y` with each tone mark, and the `i` written for it.
const Y_FORMS: [char; 6] = ['y', 'ý', 'ỳ', 'ỷ', 'ỹ', 'ỵ'];
const I_FORMS: [char; 6] = ['i', 'í', 'ì', 'ỉ', 'ĩ', 'ị'];

/// Writes `i` for a lone syllable-final `y` after a consonant, the two
/// spellings Vietnamese allows there (sĩ/sỹ, kĩ/kỹ, lí/lý, mĩ/mỹ): "Chiến
/// sỹ thi đua" matches "Chiến sĩ thi đua". A `y` after a vowel (tuy,
/// thủy, quý) or starting a syllable (yêu) is another sound and stays.
fn spell_i_for_y(out: &mut String) {
    let chars: Vec<char> = out.chars().collect();
    let consonant = |c: Option<&char>| {
        c.is_some_and(|c| {
            c.is_alphabetic() && (c.is_ascii() || *c == 'đ') && !"aeiouy".contains(*c)
        })
    };
    let letter = |c: Option<&char>| c.is_some_and(|c| c.is_alphabetic());
    let mut changed = String::with_capacity(out.len());
    for (i, c) in chars.iter().enumerate() {
        let tone = Y_FORMS.iter().position(|y| y == c);
        let lone_final = i > 0 && consonant(chars.get(i - 1)) && !letter(chars.get(i + 1));
        match tone {
            Some(t) if lone_final => changed.push(I_FORMS[t]),
            _ => changed.push(*c),
        }
    }
    *out = changed;
}

fn fold_chars(chars: impl Iterator<Item = char>, out: &mut String) {
    let mut pending_space = false;
    for c in chars {
        if is_space(c) {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

#[cfg(test)]
mod iy_tests {
    use super::fold;

    #[test]
    fn i_and_y_spellings_fold_alike() {
        assert_eq!(
            fold("Chiến sỹ thi đua cơ sở"),
            fold("Chiến sĩ thi đua cơ sở")
        );
        assert_eq!(fold("Kỹ sư"), fold("kĩ sư"));
        assert_eq!(fold("LÝ LUẬN"), fold("lí luận"));
        assert_eq!(fold("Mỹ"), "mĩ");
        // Another sound: left as written.
        assert_eq!(fold("Thủy"), "thủy");
        assert_eq!(fold("quý"), "quý");
        assert_eq!(fold("yêu"), "yêu");
        assert_eq!(fold("Nguyễn"), "nguyễn");
        assert_ne!(fold("tuy"), fold("tui"));
    }
}

/// The folded form of `s` (see [`fold_into`]).
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::new();
    fold_into(s, &mut out);
    out
}

/// `s` without diacritics (`đ` becomes `d`), for suggestions only:
/// Vietnamese marks carry meaning, so values never match this way.
pub(crate) fn strip_marks(s: &str) -> String {
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            c => c,
        })
        .collect()
}

/// Whether the lowercase form of `s` equals `lower` (which must already be
/// lowercase). No allocation.
pub(crate) fn eq_lowercase(s: &str, lower: &str) -> bool {
    s.chars().flat_map(char::to_lowercase).eq(lower.chars())
}

/// `«s»`, the Vietnamese way of quoting a value.
pub(crate) fn quote(s: &str) -> String {
    format!("«{s}»")
}

/// `«a», «b», «c»`, with at most `max` items followed by `, …`.
pub(crate) fn quote_list<'a>(items: impl IntoIterator<Item = &'a str>, max: usize) -> String {
    let mut out = String::new();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        if i >= max {
            out.push('…');
            break;
        }
        out.push('«');
        out.push_str(item);
        out.push('»');
    }
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_byte_scan_finds_exactly_what_visible_changes() {
        let mut all: Vec<char> = (0u32..0x3000).filter_map(char::from_u32).collect();
        all.extend(['\u{feff}', '\u{fefe}', '\u{ff00}', 'ế', '«', '—']);
        for c in all {
            for text in [format!("{c}"), format!("a{c}b"), format!("«{c}»—")] {
                let changes = text.chars().any(|c| c != '\n' && visible(c) != c);
                assert_eq!(super::may_hide(&text), changes, "{:?}", c);
            }
        }
        assert_eq!(
            visible_text("Trần \u{1b}[31mThị\n\u{202e}B"),
            "Trần ␛[31mThị\n�B"
        );
    }

    use super::*;

    #[test]
    fn trims_nbsp_and_zero_width() {
        assert_eq!(trim("\u{A0} abc\u{200B}\t"), "abc");
        assert_eq!(trim("\u{FEFF}STT"), "STT");
    }

    #[test]
    fn plainly_nfc_agrees_with_the_quick_check() {
        let ranges = ['\u{0}'..='\u{2FF}', '\u{1E00}'..='\u{1EFF}'];
        for c in ranges.into_iter().flatten() {
            let s = c.to_string();
            assert!(plainly_nfc(&s), "{c:?}");
            assert_eq!(is_nfc_quick(s.chars()), IsNormalized::Yes, "{c:?}");
        }
        for s in [
            "\u{300}", "e\u{301}", "\u{1F71}", "\u{2126}", "한", "\u{1DFF}", "\u{1F00}",
        ] {
            assert!(!plainly_nfc(s), "{s:?}");
        }
        assert!(plainly_nfc(
            "Nguyễn Thị Hương, Hoàn thành xuất sắc nhiệm vụ"
        ));
    }

    #[test]
    fn plainly_nfc_looks_at_every_character() {
        // Characters at the edges of the ranges, in every pair and at
        // every place of a longer cell.
        let samples = [
            'a',
            '\u{7F}',
            '\u{80}',
            'ư',
            '\u{2FF}',
            '\u{300}',
            '\u{7FF}',
            '\u{800}',
            '\u{1000}',
            '\u{1DFF}',
            '\u{1E00}',
            'ệ',
            '\u{1EFF}',
            '\u{1F00}',
            '\u{E100}',
            '\u{FFFF}',
            '\u{10000}',
        ];
        let allowed = |c: char| c < '\u{300}' || ('\u{1E00}'..='\u{1EFF}').contains(&c);
        for a in samples {
            for b in samples {
                for at in 0..20 {
                    let s: String = "Phòng Kế toán tài vụ"
                        .chars()
                        .take(at)
                        .chain([a, b])
                        .chain("xã".chars())
                        .collect();
                    assert_eq!(plainly_nfc(&s), allowed(a) && allowed(b), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn nfc_from_nfd() {
        let nfd: String = "Xếp loại".nfd().collect();
        assert_ne!(nfd, "Xếp loại");
        assert_eq!(nfc(&nfd), "Xếp loại");
        assert_eq!(nfc("— ≥ «Xếp loại»"), "— ≥ «Xếp loại»");
        assert_eq!(nfc_trim(&format!("  {nfd}\u{A0}")), "Xếp loại");
    }

    #[test]
    fn nfc_fast_path_keeps_buffer() {
        let mut out = String::with_capacity(32);
        let cap = out.capacity();
        nfc_trim_into(" Hoàn thành ", &mut out);
        assert_eq!(out, "Hoàn thành");
        assert_eq!(out.capacity(), cap);
    }

    #[test]
    fn fold_collapses_and_lowercases() {
        let nfd: String = "XẾP  LOẠI\u{A0}\u{A0}CHẤT lượng ".nfd().collect();
        assert_eq!(fold(&nfd), "xếp loại chất lượng");
        assert_eq!(fold("  Họ và   tên "), "họ và tên");
        assert_eq!(fold(""), "");
        assert_eq!(fold(" \u{A0} "), "");
    }

    #[test]
    fn marks_stripped() {
        assert_eq!(strip_marks("hoàn thành tốt đúng"), "hoan thanh tot dung");
    }

    #[test]
    fn lowercase_compare() {
        assert!(eq_lowercase("ĐÚNG", "đúng"));
        assert!(eq_lowercase("Có", "có"));
        assert!(!eq_lowercase("Co", "có"));
    }

    #[test]
    fn quoting() {
        assert_eq!(quote("a"), "«a»");
        assert_eq!(quote_list(["a", "b"], 5), "«a», «b»");
        assert_eq!(quote_list(["a", "b", "c"], 2), "«a», «b», …");
    }
}
