//! The checked rule set: names resolved, types known, column indexes and
//! enum codes interned. This is what the data reader and evaluator use.

use crate::syntax::ast::{CmpOp, RoundingMode};
use rust_decimal::Decimal;

pub type EnumId = usize;
pub type TableId = usize;
/// Index of a column in its table's declaration order.
pub type ColIdx = usize;
pub type AwardId = usize;

/// The type of a column, a parameter or an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Text,
    Int,
    Decimal,
    Percent,
    Bool,
    /// Days since 1970-01-01.
    Date,
    Enum(EnumId),
    Rounding,
}

impl Type {
    pub fn is_numeric(self) -> bool {
        matches!(self, Type::Int | Type::Decimal | Type::Percent)
    }
}

/// A typed constant. Enum values are the index of the value in its enum
/// (its rank, for ordered enums).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(i64),
    Decimal(Decimal),
    Bool(bool),
    Date(i32),
    Enum(u16),
    Text(Box<str>),
    Rounding(RoundingMode),
}

#[derive(Debug, Clone)]
pub struct EnumDef {
    pub id: String,
    pub ordered: bool,
    pub values: Vec<EnumValue>,
}

#[derive(Debug, Clone)]
pub struct EnumValue {
    pub code: String,
    pub label: String,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct TableDef {
    pub id: String,
    pub label: String,
    /// None on tables of history rows.
    pub key: Option<ColIdx>,
    /// The column that dates a row.
    pub year: Option<ColIdx>,
    pub columns: Vec<ColumnDef>,
}

#[derive(Debug, Clone)]
pub struct ColumnDef {
    pub id: String,
    /// Vietnamese header, e.g. "Xếp loại chất lượng".
    pub header: String,
    pub ty: Type,
    /// Blank means "none" (`is none`), not missing data.
    pub optional: bool,
    /// `ref T`: the value is a key of table T.
    pub link: Option<TableId>,
    /// Declared bounds of a numeric column (inclusive).
    pub range: Option<(Decimal, Decimal)>,
    /// `= EXPR`: the value counted from linked lists, when they are given.
    pub derived: Option<Operand>,
    /// Value used when the cell is blank.
    pub default: Option<Value>,
    /// Some rule, the key or a rate reads it: the list must carry it.
    pub needed: bool,
    /// Other headers councils write for this column (`alias "Xếp loại"`).
    pub aliases: Vec<String>,
    /// `absent VALUE`: what the column holds on every row of a list that
    /// lacks it (else such a column reads as unknown).
    pub absent: Option<Value>,
    /// A ballot criterion reads it: blank until the council votes, which
    /// is no missing cell.
    pub ballot: bool,
}

/// A citation, ready to print.
#[derive(Debug, Clone, PartialEq)]
pub struct Citation {
    pub source: String,
    pub title: String,
    pub location: String,
}

impl Citation {
    /// "Điều 23 khoản 2 Luật Thi đua, khen thưởng số 06/2022/QH15"
    pub fn text(&self) -> String {
        format!("{} {}", self.location, self.title)
    }
}

#[derive(Debug, Clone)]
pub struct ParamDef {
    pub id: String,
    pub ty: Type,
    pub value: Value,
    pub cite: Option<Citation>,
    /// Set on the command line rather than in the rule file.
    pub overridden: bool,
}

/// A three-valued condition over one row, lowered for evaluation.
#[derive(Debug, Clone)]
pub enum Cond {
    Const(bool),
    /// A bool column.
    Column(ColIdx),
    Not(Box<Cond>),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
    Implies(Box<Cond>, Box<Cond>),
    Compare {
        op: CmpOp,
        lhs: Operand,
        rhs: Operand,
    },
    In {
        operand: Operand,
        set: Vec<Value>,
    },
    IsNone {
        column: ColIdx,
        negated: bool,
    },
    Meets(AwardId),
    Proposed(AwardId),
    /// No other row of the list holds this column's value.
    Unique(ColIdx),
    /// The column's value is among those an aggregate (`values_of`)
    /// gathered from the linked rows.
    InLinked {
        column: ColIdx,
        aggregate: usize,
    },
    AnyOf(Vec<(Cond, String)>),
}

/// A value-producing expression.
#[derive(Debug, Clone)]
pub enum Operand {
    Column(ColIdx),
    Const(Value),
    Add(Box<Operand>, Box<Operand>),
    Sub(Box<Operand>, Box<Operand>),
    /// `P% of X` = P × X / 100, exact.
    ShareOf(Box<Operand>, Box<Operand>),
    /// An aggregate over linked rows of another table (`Plan::aggregates`).
    Aggregate(usize),
    /// `months_from(c)`: the whole months of the row's year from the date
    /// in column `c` to 31 December, 0 to 12.
    MonthsFrom(ColIdx),
}

impl Operand {
    /// Whether it reads an aggregate over linked rows.
    pub fn counts_linked(&self) -> bool {
        match self {
            Operand::Aggregate(_) => true,
            Operand::Add(a, b) | Operand::Sub(a, b) | Operand::ShareOf(a, b) => {
                a.counts_linked() || b.counts_linked()
            }
            Operand::Column(_) | Operand::Const(_) | Operand::MonthsFrom(_) => false,
        }
    }

    /// The date columns it counts months from (`months_from`).
    pub fn month_sources(&self, out: &mut Vec<ColIdx>) {
        match self {
            Operand::MonthsFrom(c) => out.push(*c),
            Operand::Add(a, b) | Operand::Sub(a, b) | Operand::ShareOf(a, b) => {
                a.month_sources(out);
                b.month_sources(out);
            }
            Operand::Column(_) | Operand::Const(_) | Operand::Aggregate(_) => {}
        }
    }
}

pub use crate::syntax::ast::AggKind;

/// `count(S where C)` or `streak(S where C)` read from a row of `target`:
/// over the rows of `source` whose `link` column holds the row's key.
#[derive(Debug, Clone)]
pub struct AggregateDef {
    pub kind: AggKind,
    pub source: TableId,
    pub link: ColIdx,
    pub target: TableId,
    /// Evaluated on the source rows; `Const(true)` when no `where`.
    pub filter: Cond,
    /// `after YEAR`, read on the target row: only rows dated later count.
    pub after: Option<Operand>,
    /// `now C`, read on the target row: its year counts as one with such a
    /// row when the source list has no row of that year and C holds.
    pub now: Option<Cond>,
    /// The condition after `now` as written, for reasons ("" without one).
    pub now_text: String,
    /// For `x in S.c`: the source column whose values are gathered.
    pub values_of: Option<ColIdx>,
    /// How the report names it, e.g. "Danh sách cá nhân: meets LDTT".
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct CriterionDef {
    /// Stable id within the award, e.g. `xep_loai` or `3`.
    pub id: String,
    pub cond: Cond,
    pub message: String,
    pub cite: Option<Citation>,
    /// `require ballot`: decided by the council's vote; not part of the
    /// award's standard (`meets`), waiting while no vote is recorded.
    pub ballot: bool,
}

#[derive(Debug, Clone)]
pub struct AwardDef {
    pub id: String,
    pub label: String,
    pub table: TableId,
    /// True on the rows proposed for this award.
    pub selection: Cond,
    pub criteria: Vec<CriterionDef>,
}

#[derive(Debug, Clone)]
pub struct RateDef {
    pub id: String,
    pub label: String,
    pub table: TableId,
    pub group: ColIdx,
    pub numerator: Cond,
    pub op: CmpOp,
    /// The percentage, e.g. 15 for 15 %.
    pub share: Decimal,
    pub share_param: Option<String>,
    pub denominator: Cond,
    pub rounding: RoundingMode,
    /// The rule file (or a parameter) names the rounding.
    pub rounding_stated: bool,
    pub rounding_param: Option<String>,
    pub cite: Option<Citation>,
}

/// `target T for C per G`: the targets units registered (rows of table
/// `table`) set against the candidates of table `candidates` grouped by
/// their column `group`. Informational: it fails no candidate.
#[derive(Debug, Clone)]
pub struct TargetDef {
    pub table: TableId,
    pub candidates: TableId,
    /// The unit column of the candidates.
    pub group: ColIdx,
    /// The unit column of the targets (same id as `group`).
    pub unit: ColIdx,
    /// `danh_hieu`: an enum whose values name awards of `candidates`.
    pub title: ColIdx,
    /// Per value of the title's enum, the award of that id.
    pub awards: Vec<Option<AwardId>>,
    /// `loai`: the values `SO_LUONG` (a count) and `TY_LE` (a share).
    pub kind: ColIdx,
    pub kind_values: [u16; 2],
    /// `so_sanh`: the values `TREN` («trên», >) and `TU` («từ … trở
    /// lên», ≥).
    pub comparison: ColIdx,
    pub comparison_values: [u16; 2],
    /// `muc`: the registered number (or percentage).
    pub level: ColIdx,
    pub cite: Option<Citation>,
}

/// A checked rule set, ready to read lists and evaluate them.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub name: String,
    /// The first day the rule set applies (ISO date), if stated.
    pub effective: Option<String>,
    /// The last day the rule set applies (ISO date), if stated.
    pub until: Option<String>,
    pub enums: Vec<EnumDef>,
    pub tables: Vec<TableDef>,
    pub params: Vec<ParamDef>,
    pub awards: Vec<AwardDef>,
    pub rates: Vec<RateDef>,
    pub targets: Vec<TargetDef>,
    pub aggregates: Vec<AggregateDef>,
}

impl Plan {
    pub fn award(&self, id: &str) -> Option<AwardId> {
        self.awards.iter().position(|a| a.id == id)
    }

    pub fn table(&self, id: &str) -> Option<TableId> {
        self.tables.iter().position(|t| t.id == id)
    }
}

impl TableDef {
    pub fn column(&self, id: &str) -> Option<ColIdx> {
        self.columns.iter().position(|c| c.id == id)
    }
}
