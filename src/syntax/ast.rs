//! The syntax tree of a rule file. Every node keeps its span.

use crate::source::Span;

/// A name as written, with its place in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A string literal, unescaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Str {
    pub value: String,
    pub span: Span,
}

#[derive(Debug, Clone, Default)]
pub struct File {
    pub header: Option<Header>,
    pub extends: Vec<Str>,
    pub sources: Vec<SourceDecl>,
    pub enums: Vec<EnumDecl>,
    pub tables: Vec<TableDecl>,
    pub params: Vec<ParamDecl>,
    pub awards: Vec<AwardDecl>,
    pub rates: Vec<RateDecl>,
    pub targets: Vec<TargetDecl>,
    pub examples: Vec<ExampleDecl>,
    /// `remove award X` / `remove rate X`.
    pub removals: Vec<Removal>,
}

#[derive(Debug, Clone)]
pub struct Removal {
    pub rate: bool,
    pub id: Ident,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Header {
    pub name: Str,
    pub effective: Option<Literal>,
    /// The last day the rule set applies (`until`).
    pub until: Option<Literal>,
}

#[derive(Debug, Clone)]
pub struct SourceDecl {
    pub id: Ident,
    pub title: Str,
}

#[derive(Debug, Clone)]
pub struct EnumDecl {
    pub id: Ident,
    pub ordered: bool,
    pub values: Vec<EnumValueDecl>,
}

#[derive(Debug, Clone)]
pub struct EnumValueDecl {
    pub code: Ident,
    pub label: Str,
    pub aliases: Vec<Str>,
}

#[derive(Debug, Clone)]
pub struct TableDecl {
    pub id: Ident,
    pub label: Str,
    /// Absent on tables of history rows (several rows per subject).
    pub key: Option<Ident>,
    /// The column that dates a row (`year nam_xet`).
    pub year: Option<Ident>,
    pub columns: Vec<ColumnDecl>,
}

#[derive(Debug, Clone)]
pub struct ColumnDecl {
    pub id: Ident,
    pub ty: Ident,
    pub optional: bool,
    /// `ref TABLE`: the value is a key of that table.
    pub link: Option<Ident>,
    /// `in LOW..HIGH`: the values a list may hold (numeric columns).
    pub range: Option<(Literal, Literal)>,
    pub header: Str,
    /// `alias "…", "…"`: other headers councils write for the column.
    pub aliases: Vec<Str>,
    pub default: Option<Literal>,
    /// `absent V`: what every row holds when a list lacks the column.
    pub absent: Option<Literal>,
    /// `= EXPR`: the value when the lists it counts are given.
    pub derived: Option<Expr>,
}

#[derive(Debug, Clone)]
pub struct Cite {
    pub source: Ident,
    pub location: Str,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct ParamDecl {
    pub id: Ident,
    pub ty: Ident,
    pub value: Literal,
    pub cite: Option<Cite>,
}

#[derive(Debug, Clone)]
pub struct AwardDecl {
    pub id: Ident,
    /// Label, table and selection may be left out when the award amends
    /// one of a base rule set.
    pub label: Option<Str>,
    pub table: Option<Ident>,
    pub selection: Option<Expr>,
    pub criteria: Vec<Criterion>,
    /// `remove name`: criteria of the base dropped by this overlay.
    pub removals: Vec<Ident>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Criterion {
    /// Written `replace`: stands in for the base's criterion of that name.
    pub replace: bool,
    /// Written `ballot`: decided by the council's ballot (`require ballot …`).
    pub ballot: bool,
    pub name: Option<Ident>,
    pub expr: Expr,
    pub message: Str,
    pub cite: Option<Cite>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "≠",
            CmpOp::Lt => "<",
            CmpOp::Le => "≤",
            CmpOp::Gt => ">",
            CmpOp::Ge => "≥",
        }
    }

    /// Whether the comparison holds between two values that compare as
    /// `ord`.
    pub fn holds(self, ord: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering;
        match self {
            CmpOp::Eq => ord == Ordering::Equal,
            CmpOp::Ne => ord != Ordering::Equal,
            CmpOp::Lt => ord == Ordering::Less,
            CmpOp::Le => ord != Ordering::Greater,
            CmpOp::Gt => ord == Ordering::Greater,
            CmpOp::Ge => ord != Ordering::Less,
        }
    }
}

#[derive(Debug, Clone)]
pub struct RateDecl {
    pub id: Ident,
    pub label: Str,
    pub table: Option<Ident>,
    pub group: Ident,
    pub numerator: Expr,
    pub op: CmpOp,
    pub share: Share,
    pub denominator: Expr,
    pub rounding: Option<Rounding>,
    pub cite: Option<Cite>,
}

/// `target chi_tieu for ca_nhan per don_vi cite …`: the registered targets
/// of each unit set against the candidates (informational).
#[derive(Debug, Clone)]
pub struct TargetDecl {
    /// The table of registered targets.
    pub table: Ident,
    /// The table of candidates.
    pub candidates: Ident,
    /// The candidates' unit column (the target table has one of that name).
    pub group: Ident,
    pub cite: Option<Cite>,
    pub span: Span,
}

/// The percentage of a rate: a literal or a parameter.
#[derive(Debug, Clone)]
pub enum Share {
    Literal(Literal),
    Param(Ident),
}

#[derive(Debug, Clone)]
pub enum Rounding {
    Mode(RoundingMode, Span),
    Param(Ident),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RoundingMode {
    Down,
    Up,
    HalfUp,
    Exact,
}

impl RoundingMode {
    pub fn parse(s: &str) -> Option<RoundingMode> {
        match s {
            "down" => Some(RoundingMode::Down),
            "up" => Some(RoundingMode::Up),
            "half-up" => Some(RoundingMode::HalfUp),
            "exact" => Some(RoundingMode::Exact),
            _ => None,
        }
    }

    pub fn keyword(self) -> &'static str {
        match self {
            RoundingMode::Down => "down",
            RoundingMode::Up => "up",
            RoundingMode::HalfUp => "half-up",
            RoundingMode::Exact => "exact",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ExampleDecl {
    pub name: Str,
    pub rows: Vec<ExampleRow>,
    pub expects: Vec<Expect>,
}

#[derive(Debug, Clone)]
pub struct ExampleRow {
    pub table: Ident,
    pub fields: Vec<(Ident, Literal)>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Fail,
    Unknown,
    /// Passes on everything but a ballot not yet held.
    Pending,
}

#[derive(Debug, Clone)]
pub enum Expect {
    Candidate {
        key: Str,
        award: Option<Ident>,
        verdict: Verdict,
        span: Span,
    },
    Rate {
        rate: Ident,
        group: Str,
        verdict: Verdict,
        span: Span,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum LiteralKind {
    Int(i64),
    Decimal(rust_decimal::Decimal),
    Percent(rust_decimal::Decimal),
    Date(String),
    Text(String),
    Bool(bool),
    /// A bare name where a value stands (an enum code in examples).
    Name(String),
    Rounding(RoundingMode),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Literal {
    pub kind: LiteralKind,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Implies,
    Or,
    And,
    Cmp(CmpOp),
    Add,
    Sub,
    /// `P% of X`: the share P of X.
    Of,
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    /// A column, a parameter or an enum code, resolved by the semantic pass.
    Name(Ident),
    Literal(Literal),
    Meets(Ident),
    Proposed(Ident),
    Not(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    In(Box<Expr>, Vec<Expr>),
    IsNone {
        operand: Box<Expr>,
        negated: bool,
    },
    AnyOf(Vec<Branch>),
    /// `x in T.c`: the value of `x` is among column `c` of the rows of `T`
    /// linked to the current row.
    InLinked {
        operand: Box<Expr>,
        table: Ident,
        column: Ident,
    },
    /// `unique(column)`: no other row of the list holds the same value.
    Unique(Ident),
    /// `months_from(column)`: whole months of the row's year from the date
    /// in `column`.
    MonthsFrom(Ident),
    /// `count(T where C)`, `streak(T where C)`, `years(T where C)` over the rows of `T` that
    /// link to the current row.
    Aggregate {
        kind: AggKind,
        table: Ident,
        filter: Option<Box<Expr>>,
        /// `after YEAR`, read on the current row: only later rows count.
        after: Option<Box<Expr>>,
        /// `now C`, read on the current row: the current row's year counts
        /// when the source list has no row of that year and C holds.
        now: Option<Box<Expr>>,
        /// How reasons name the `now` condition, when the rule says.
        now_label: Option<Str>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggKind {
    Count,
    Streak,
    /// The latest year with such a row.
    Last,
    /// The number of distinct years with such a row.
    Years,
}

#[derive(Debug, Clone)]
pub struct Branch {
    pub expr: Expr,
    pub label: Str,
}
