//! The report's candidates and groups written as JSON by hand, byte for
//! byte as serde_json writes them with the report's pretty formatter: they
//! are nearly all of a national report's bytes (tests below hold each
//! writer to serde's output).

use crate::report::model::{Candidate, Group, Remedy};
use crate::syntax::ast::RoundingMode;

/// Writes a candidate as an item of the report's `candidates`, as serde
/// writes it with [`Pretty`], without going through serde: most of a
/// national report's bytes are candidates.
pub(super) fn candidate(buf: &mut Vec<u8>, c: &Candidate) {
    buf.extend_from_slice(b"{\n      \"row\": ");
    number(buf, c.row);
    buf.extend_from_slice(b",\n      \"key\": ");
    string(buf, &c.key);
    if let Some(name) = &c.name {
        buf.extend_from_slice(b",\n      \"name\": ");
        string(buf, name);
    }
    if let Some(unit) = &c.unit {
        buf.extend_from_slice(b",\n      \"unit\": ");
        string(buf, unit);
    }
    buf.extend_from_slice(b",\n      \"award\": ");
    string(buf, &c.award);
    buf.extend_from_slice(b",\n      \"award_label\": ");
    string(buf, &c.award_label);
    buf.extend_from_slice(b",\n      \"verdict\": ");
    string(buf, c.verdict.word());
    if c.awaiting_vote {
        buf.extend_from_slice(b",\n      \"awaiting_vote\": true");
    }
    buf.extend_from_slice(b",\n      \"reasons\": [");
    for (i, r) in c.reasons.iter().enumerate() {
        let [clause, message, cite] = r.texts.json();
        buf.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        buf.extend_from_slice(b"        {\n          \"clause\": ");
        buf.extend_from_slice(clause.as_bytes());
        buf.extend_from_slice(b",\n          \"verdict\": ");
        string(buf, r.verdict.word());
        buf.extend_from_slice(b",\n          \"message\": ");
        buf.extend_from_slice(message.as_bytes());
        buf.extend_from_slice(b",\n          \"cite\": ");
        buf.extend_from_slice(cite.as_bytes());
        if let Some(observed) = &r.observed {
            buf.extend_from_slice(b",\n          \"observed\": ");
            string(buf, observed);
        }
        if r.pending {
            buf.extend_from_slice(b",\n          \"pending\": true");
        }
        buf.extend_from_slice(b"\n        }");
    }
    if !c.reasons.is_empty() {
        buf.extend_from_slice(b"\n      ");
    }
    buf.extend_from_slice(b"]\n    }");
}

/// `s` as a JSON string, escaped as serde_json escapes it (which it does
/// when any byte needs it: a quote, a backslash or a control character).
fn string(buf: &mut Vec<u8>, s: &str) {
    // No early exit: the loop runs over whole strings and vectorises.
    let needs_escape = s.bytes().fold(false, |any, b| {
        any | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    if needs_escape {
        // Writing into a Vec does not fail.
        let _ = serde_json::to_writer(&mut *buf, s);
    } else {
        buf.push(b'"');
        buf.extend_from_slice(s.as_bytes());
        buf.push(b'"');
    }
}

/// Writes a group as an item of the report's `groups`, as serde writes it
/// with the report's formatter: a national list has tens of thousands of
/// failing groups, each with its rows and its remedy.
pub(super) fn group(buf: &mut Vec<u8>, g: &Group) {
    buf.extend_from_slice(b"{\n      \"rule\": ");
    string(buf, &g.rule);
    buf.extend_from_slice(b",\n      \"rule_label\": ");
    string(buf, &g.rule_label);
    buf.extend_from_slice(b",\n      \"group\": ");
    string(buf, &g.group);
    buf.extend_from_slice(b",\n      \"verdict\": ");
    string(buf, g.verdict.word());
    buf.extend_from_slice(b",\n      \"numerator\": ");
    number(buf, g.numerator);
    buf.extend_from_slice(b",\n      \"denominator\": ");
    number(buf, g.denominator);
    buf.extend_from_slice(b",\n      \"unknown_rows\": ");
    numbers(buf, &g.unknown_rows, 3);
    buf.extend_from_slice(b",\n      \"share\": ");
    string(buf, &g.share);
    buf.extend_from_slice(b",\n      \"rounding\": ");
    string(buf, rounding(g.rounding));
    buf.extend_from_slice(b",\n      \"limit\": ");
    string(buf, &g.limit);
    buf.extend_from_slice(b",\n      \"limit_value\": ");
    string(buf, &g.limit_value);
    buf.extend_from_slice(b",\n      \"rows\": ");
    numbers(buf, &g.rows, 3);
    buf.extend_from_slice(b",\n      \"denominator_rows\": ");
    numbers(buf, &g.denominator_rows, 3);
    buf.extend_from_slice(b",\n      \"message\": ");
    string(buf, &g.message);
    buf.extend_from_slice(b",\n      \"cite\": ");
    match &g.cite {
        Some(cite) => string(buf, cite),
        None => buf.extend_from_slice(b"null"),
    }
    if let Some(b) = &g.borderline {
        buf.extend_from_slice(b",\n      \"borderline\": ");
        string(buf, b);
    }
    if let Some(r) = &g.remedy {
        buf.extend_from_slice(b",\n      \"remedy\": ");
        remedy(buf, r);
    }
    buf.extend_from_slice(b"\n    }");
}

/// A group's remedy, the value of its member `remedy`.
fn remedy(buf: &mut Vec<u8>, r: &Remedy) {
    buf.extend_from_slice(b"{");
    if let Some(k) = r.withdraw {
        buf.extend_from_slice(b"\n        \"withdraw\": ");
        number(buf, k);
        buf.push(b',');
    }
    buf.extend_from_slice(b"\n        \"awards\": ");
    if r.awards.is_empty() {
        buf.extend_from_slice(b"[]");
    } else {
        buf.push(b'[');
        for (i, a) in r.awards.iter().enumerate() {
            buf.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
            buf.extend_from_slice(b"          ");
            string(buf, a);
        }
        buf.extend_from_slice(b"\n        ]");
    }
    buf.extend_from_slice(b",\n        \"failing_first\": ");
    numbers(buf, &r.failing_first, 4);
    if let Some(k) = r.add {
        buf.extend_from_slice(b",\n        \"add\": ");
        number(buf, k);
    }
    if let Some(n) = &r.needed {
        buf.extend_from_slice(b",\n        \"needed\": ");
        string(buf, n);
    }
    if let Some(k) = r.withdraw_others {
        buf.extend_from_slice(b",\n        \"withdraw_others\": ");
        number(buf, k);
    }
    buf.extend_from_slice(b",\n        \"text\": ");
    string(buf, &r.text);
    buf.extend_from_slice(b"\n      }");
}

/// A rounding mode as serde names it.
fn rounding(m: RoundingMode) -> &'static str {
    match m {
        RoundingMode::Down => "down",
        RoundingMode::Up => "up",
        RoundingMode::HalfUp => "half-up",
        RoundingMode::Exact => "exact",
    }
}

/// `n` in decimal digits, without an allocation.
fn number(buf: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[at..]);
}

/// An array of numbers as the value of a member whose object is `level`
/// brackets deep: one number a line, as the pretty formatter writes it.
fn numbers(buf: &mut Vec<u8>, list: &[u64], level: usize) {
    if list.is_empty() {
        buf.extend_from_slice(b"[]");
        return;
    }
    const SPACES: &[u8; 64] = &[b' '; 64];
    let indent = |buf: &mut Vec<u8>, n: usize| {
        for chunk in std::iter::repeat_n(SPACES.as_slice(), n / 64) {
            buf.extend_from_slice(chunk);
        }
        buf.extend_from_slice(&SPACES[..n % 64]);
    };
    buf.push(b'[');
    for (i, &n) in list.iter().enumerate() {
        buf.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        indent(buf, 2 * (level + 1));
        number(buf, n);
    }
    buf.push(b'\n');
    indent(buf, 2 * level);
    buf.push(b']');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::json::value;

    #[test]
    fn candidates_written_by_hand_are_what_serde_json_writes() {
        use crate::eval::Tri;
        use crate::report::model::{ClauseTexts, Reason};
        use std::sync::Arc;
        let texts = Arc::new(ClauseTexts::new(
            "A.\"b\"".into(),
            "Tab\there, \\ and «ngoặc»".into(),
            None,
        ));
        let reason = |verdict, observed: Option<&str>| Reason {
            texts: texts.clone(),
            verdict,
            observed: observed.map(str::to_string),
            pending: false,
        };
        let with = |name: Option<&str>, reasons: Vec<Reason>| Candidate {
            row: 18_446_744_073_709_551_615,
            key: "CB\"1\"\u{7}".into(),
            name: name.map(str::to_string),
            unit: name.map(|_| "Phòng \"A\"".to_string()),
            award: "A".into(),
            award_label: "Giấy khen\n".into(),
            verdict: Tri::Unknown,
            awaiting_vote: false,
            reasons,
        };
        let candidates = [
            with(None, Vec::new()),
            with(
                Some("Lê \"Văn\" A"),
                vec![
                    reason(Tri::True, None),
                    reason(Tri::False, Some("x = «1»\r")),
                ],
            ),
            Candidate {
                awaiting_vote: true,
                verdict: Tri::True,
                ..with(
                    None,
                    vec![Reason {
                        pending: true,
                        ..reason(Tri::Unknown, Some("chờ"))
                    }],
                )
            },
        ];
        for c in &candidates {
            let mut ours = Vec::new();
            candidate(&mut ours, c);
            let mut theirs = Vec::new();
            value(&mut theirs, 2, c).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(theirs).unwrap()
            );
        }
    }

    #[test]
    fn groups_written_by_hand_are_what_serde_json_writes() {
        use crate::eval::Tri;
        let remedy = Remedy {
            withdraw: Some(2),
            awards: vec!["CSTDCS".into(), "A\"b\"".into()],
            failing_first: vec![7, 18_446_744_073_709_551_615],
            add: Some(0),
            needed: Some("«x»\t".into()),
            withdraw_others: Some(3),
            text: "cần rút 2 đề nghị\n".into(),
        };
        let plain = Group {
            rule: "U1".into(),
            rule_label: "CSTĐCS \"không quá\" 15%".into(),
            group: "Phòng A\u{1}".into(),
            verdict: Tri::False,
            numerator: 0,
            denominator: 10,
            unknown_rows: Vec::new(),
            share: "15%".into(),
            rounding: RoundingMode::Down,
            limit: "15% × 10 = 1,5 → làm tròn xuống 1".into(),
            limit_value: "1".into(),
            rows: Vec::new(),
            denominator_rows: Vec::new(),
            message: "đếm được 0".into(),
            cite: None,
            borderline: None,
            remedy: None,
        };
        let mut groups = vec![plain.clone()];
        for (k, mode) in [RoundingMode::Up, RoundingMode::HalfUp, RoundingMode::Exact]
            .into_iter()
            .enumerate()
        {
            groups.push(Group {
                verdict: [Tri::True, Tri::Unknown, Tri::False][k],
                rounding: mode,
                unknown_rows: vec![3; k],
                rows: (1..=k as u64 + 1).collect(),
                denominator_rows: vec![1, 10, 100, 1000, 0],
                cite: Some("Điều 9".into()),
                borderline: (k != 1).then(|| "sát ngưỡng".into()),
                remedy: Some(Remedy {
                    withdraw: (k != 0).then_some(1),
                    awards: if k == 2 {
                        Vec::new()
                    } else {
                        remedy.awards.clone()
                    },
                    failing_first: if k == 1 {
                        Vec::new()
                    } else {
                        remedy.failing_first.clone()
                    },
                    add: (k != 1).then_some(4),
                    needed: (k == 0).then(|| remedy.needed.clone().unwrap_or_default()),
                    withdraw_others: (k == 2).then_some(5),
                    ..remedy.clone()
                }),
                ..plain.clone()
            });
        }
        for g in &groups {
            let mut ours = Vec::new();
            group(&mut ours, g);
            let mut theirs = Vec::new();
            value(&mut theirs, 2, g).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(theirs).unwrap()
            );
        }
    }
}
