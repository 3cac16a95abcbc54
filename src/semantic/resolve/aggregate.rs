//! Aggregates over a linked table: `count`, `years`, `streak`, `last`.

use super::{Resolver, Scope};
use crate::diagnostic::Diagnostic;
use crate::semantic::model::*;
use crate::semantic::suggest::hint;
use crate::syntax::ast::{AggKind, Expr, Ident};

impl Resolver<'_> {
    /// `count(S where C [after Y])`, `years(S where C [after Y])`,
    /// `streak(S where C)`, `last(S where C)`
    /// read from a row of the scope's table: S must link to it, and what
    /// counts years needs the tables' `year` columns.
    pub(super) fn aggregate(
        &mut self,
        kind: AggKind,
        source: &Ident,
        [filter, after, now]: [Option<&Expr>; 3],
        e: &Expr,
        s: &mut Scope,
    ) -> Option<(Operand, Type)> {
        let target = s.table;
        let ids: Vec<&str> = s.plan.tables.iter().map(|t| t.id.as_str()).collect();
        let Some(src) = s.plan.table(&source.name) else {
            self.err(
                Diagnostic::error(
                    "E-unknown-table",
                    source.span,
                    format!("không có bảng `{}`", source.name),
                )
                .label("bảng chưa khai báo")
                .help(hint(&source.name, "bảng", ids.iter().copied())),
            );
            return None;
        };
        let target_id = s.plan.tables[target].id.clone();
        let Some(link) = s.plan.tables[src]
            .columns
            .iter()
            .position(|c| c.link == Some(target))
        else {
            self.err(
                Diagnostic::error(
                    "E-link",
                    source.span,
                    format!(
                        "bảng `{}` không có cột nào tham chiếu `{target_id}`",
                        source.name
                    ),
                )
                .label("không có liên kết")
                .help(format!(
                    "khai báo trong bảng `{}` một cột như `ma text ref {target_id} \"Mã\"`",
                    source.name
                )),
            );
            return None;
        };
        if let (Some(a), false) = (after, matches!(kind, AggKind::Count | AggKind::Years)) {
            self.err(
                Diagnostic::error(
                    "E-type",
                    a.span,
                    "`after` chỉ dùng với `count(…)` và `years(…)`",
                )
                .label("không dùng được ở đây"),
            );
            return None;
        }
        if let (Some(n), false) = (now, matches!(kind, AggKind::Streak | AggKind::Years)) {
            self.err(
                Diagnostic::error(
                    "E-type",
                    n.span,
                    "`now` chỉ dùng với `streak(…)` và `years(…)`",
                )
                .label("không dùng được ở đây"),
            );
            return None;
        }
        let dated: &[TableId] = match (kind, after) {
            (AggKind::Count, None) => &[],
            (AggKind::Last, _) => &[src],
            _ => &[src, target],
        };
        for &t in dated {
            if s.plan.tables[t].year.is_none() {
                let id = s.plan.tables[t].id.clone();
                self.err(
                    Diagnostic::error(
                        "E-link",
                        e.span,
                        format!("cần bảng `{id}` khai báo cột năm (`year COT`)"),
                    )
                    .label("thiếu cột năm")
                    .help(format!("viết `table {id} \"…\" … year nam {{ … }}`")),
                );
                return None;
            }
        }
        // Link and year columns are required of a list only when the other
        // table is given too (checked when the lists are read).
        // The target's year column, read in `after` (`after nam_xet - …`),
        // is required of a list only when the source list is given too,
        // like for any dated aggregate: reading it here needs nothing more.
        let year_col = s.plan.tables[target].year;
        let year_needed = year_col.map(|y| s.plan.tables[target].columns[y].needed);
        let after = match after {
            Some(a) => {
                let read = self.operand(a, Some(Type::Int), s);
                if let (Some(y), Some(was)) = (year_col, year_needed) {
                    s.plan.tables[target].columns[y].needed = was;
                }
                let (o, ty) = read?;
                if ty != Type::Int {
                    self.err(
                        Diagnostic::error("E-type", a.span, "sau `after` cần một năm (số nguyên)")
                            .label("không phải năm"),
                    );
                    return None;
                }
                Some(o)
            }
            None => None,
        };
        // Read on this row, like `after`; its `meets` join this scope's
        // edges, so a standard cannot reach itself through it.
        let now_text = now.map_or(String::new(), |n| self.texts.slice(n.span).to_string());
        let now = match now {
            Some(n) => Some(self.cond(n, s)?),
            None => None,
        };
        let cond = match filter {
            Some(f) => {
                let mut inner = Scope {
                    table: src,
                    plan: &mut *s.plan,
                    awards: s.awards,
                    meets: None,
                };
                self.cond(f, &mut inner)?
            }
            None => Cond::Const(true),
        };
        let label = s.plan.tables[src].label.clone();
        let text = match filter {
            Some(f) => format!("«{label}» có {}", self.texts.slice(f.span)),
            None => format!("«{label}»"),
        };
        s.plan.aggregates.push(AggregateDef {
            kind,
            source: src,
            link,
            target,
            filter: cond,
            after,
            now,
            now_text,
            values_of: None,
            text,
        });
        Some((Operand::Aggregate(s.plan.aggregates.len() - 1), Type::Int))
    }
}
