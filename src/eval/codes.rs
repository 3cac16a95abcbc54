//! Cells naming several codes («SK-D2; SK-D3»): `unique(…)` and `x in S.c`
//! compare each code, not the cell's whole text.

use crate::semantic::model::{ColIdx, Cond};

/// The codes a cell names: split at `;`, `,` and line breaks, trimmed,
/// blanks left out, each once, in the cell's order.
pub fn codes(text: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for c in text.split([';', ',', '\n', '\r']).map(str::trim) {
        if !c.is_empty() && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// One code of a row's cell that another proposal also uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Shared<'r> {
    pub code: &'r str,
    /// Other rows holding the code, in row order, each once.
    pub rows: Vec<u64>,
    /// The row's own cell names other proposals («CSTĐCS; Giấy khen»),
    /// which rest on the same code.
    pub same_row: bool,
}

/// Whether a condition reads `unique(col)`.
pub fn reads_unique(c: &Cond, col: ColIdx) -> bool {
    match c {
        Cond::Unique(x) => *x == col,
        Cond::Not(x) => reads_unique(x, col),
        Cond::And(a, b) | Cond::Or(a, b) | Cond::Implies(a, b) => {
            reads_unique(a, col) || reads_unique(b, col)
        }
        Cond::AnyOf(bs) => bs.iter().any(|(b, _)| reads_unique(b, col)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_is_split_at_semicolons_commas_and_line_breaks() {
        assert_eq!(codes("SK-D2;SK-D3"), ["SK-D2", "SK-D3"]);
        assert_eq!(codes(" SK-1 , SK-2\r\nSK-3 ;"), ["SK-1", "SK-2", "SK-3"]);
        assert_eq!(codes("SK-1; SK-1"), ["SK-1"]);
        assert_eq!(codes("SK 1"), ["SK 1"]);
        assert!(codes(" ; ,\n").is_empty());
        assert!(codes("").is_empty());
    }
}
