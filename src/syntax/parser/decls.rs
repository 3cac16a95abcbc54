//! Declarations: the header, sources, enums, tables, parameters, awards
//! and their criteria, rates, targets and examples.

use super::expr::cmp_op;
use super::{Builder, Kids, Rule, first, next};
use crate::source::Span;
use crate::syntax::ast::*;
use pest::iterators::{Pair, Pairs};

impl Builder {
    pub(super) fn file(&mut self, mut pairs: Pairs<Rule>) -> File {
        let mut out = File::default();
        let Some(root) = pairs.next() else { return out };
        for p in root.kids() {
            match p.as_rule() {
                Rule::header => {
                    let mut it = p.kids();
                    let name = self.string(next(&mut it));
                    let effective = it.next().map(|d| self.literal(d));
                    let until = it.next().map(|d| self.literal(d));
                    out.header = Some(Header {
                        name,
                        effective,
                        until,
                    });
                }
                Rule::extends_decl => out.extends.push(self.string(first(p))),
                Rule::source_decl => {
                    let mut it = p.kids();
                    let id = self.ident(next(&mut it));
                    let title = self.string(next(&mut it));
                    out.sources.push(SourceDecl { id, title });
                }
                Rule::enum_decl => out.enums.push(self.enum_decl(p)),
                Rule::table_decl => out.tables.push(self.table_decl(p)),
                Rule::param_decl => {
                    let mut it = p.kids();
                    let id = self.ident(next(&mut it));
                    // `param_type` is `rounding` (a keyword) or a name: its text is the type.
                    let ty = self.ident(next(&mut it));
                    let value = self.literal(next(&mut it));
                    let cite = it.next().map(|c| self.cite(c));
                    out.params.push(ParamDecl {
                        id,
                        ty,
                        value,
                        cite,
                    });
                }
                Rule::award_decl => out.awards.push(self.award_decl(p)),
                Rule::rate_decl => out.rates.push(self.rate_decl(p)),
                Rule::target_decl => {
                    let span = self.span(&p);
                    let mut it = p.kids();
                    let table = self.ident(next(&mut it));
                    let candidates = self.ident(next(&mut it));
                    let group = self.ident(next(&mut it));
                    let cite = it.next().map(|c| self.cite(c));
                    out.targets.push(TargetDecl {
                        table,
                        candidates,
                        group,
                        cite,
                        span,
                    });
                }
                Rule::example_decl => out.examples.push(self.example_decl(p)),
                Rule::removal_decl => {
                    let span = self.span(&p);
                    let mut it = p.into_inner().filter(|q| q.as_rule() != Rule::kw_remove);
                    let rate = next(&mut it)
                        .into_inner()
                        .next()
                        .is_some_and(|k| k.as_rule() == Rule::kw_rate);
                    let id = self.ident(next(&mut it));
                    out.removals.push(Removal { rate, id, span });
                }
                _ => {}
            }
        }
        out
    }

    fn enum_decl(&mut self, p: Pair<Rule>) -> EnumDecl {
        let mut it = p.kids();
        let id = self.ident(next(&mut it));
        let mut ordered = false;
        let mut values = Vec::new();
        for v in it {
            match v.as_rule() {
                Rule::ordered => ordered = true,
                Rule::enum_value => {
                    let mut vi = v.kids();
                    let code = self.ident(next(&mut vi));
                    let label = self.string(next(&mut vi));
                    let aliases = vi.map(|a| self.string(a)).collect();
                    values.push(EnumValueDecl {
                        code,
                        label,
                        aliases,
                    });
                }
                _ => {}
            }
        }
        EnumDecl {
            id,
            ordered,
            values,
        }
    }

    fn table_decl(&mut self, p: Pair<Rule>) -> TableDecl {
        let mut it = p.kids();
        let id = self.ident(next(&mut it));
        let label = self.string(next(&mut it));
        let mut it = it.peekable();
        let mut key = None;
        let mut year = None;
        while let Some(q) =
            it.next_if(|q| matches!(q.as_rule(), Rule::table_key | Rule::table_year))
        {
            let slot = if q.as_rule() == Rule::table_key {
                &mut key
            } else {
                &mut year
            };
            *slot = Some(self.ident(first(q)));
        }
        let columns = it
            .map(|c| {
                let mut ci = c.kids();
                let id = self.ident(next(&mut ci));
                let mut ti = next(&mut ci).kids();
                let ty = self.ident(next(&mut ti));
                let optional = ti.next().is_some();
                let mut range = None;
                let mut link = None;
                let mut next_pair = next(&mut ci);
                if next_pair.as_rule() == Rule::link {
                    link = Some(self.ident(first(next_pair)));
                    next_pair = next(&mut ci);
                }
                if next_pair.as_rule() == Rule::range {
                    let mut ri = next_pair.kids();
                    let low = self.literal(next(&mut ri));
                    let high = self.literal(next(&mut ri));
                    range = Some((low, high));
                    next_pair = next(&mut ci);
                }
                let header = self.string(next_pair);
                let mut aliases = Vec::new();
                let mut default = None;
                let mut absent = None;
                let mut derived = None;
                for q in ci {
                    match q.as_rule() {
                        Rule::column_aliases => {
                            aliases = q.kids().map(|a| self.string(a)).collect();
                        }
                        Rule::default_value => default = Some(self.literal(first(q))),
                        Rule::absent_value => absent = Some(self.literal(first(q))),
                        Rule::derived => derived = Some(self.expr(first(q))),
                        _ => {}
                    }
                }
                ColumnDecl {
                    id,
                    ty,
                    optional,
                    link,
                    range,
                    header,
                    aliases,
                    default,
                    absent,
                    derived,
                }
            })
            .collect();
        TableDecl {
            id,
            label,
            key,
            year,
            columns,
        }
    }

    fn award_decl(&mut self, p: Pair<Rule>) -> AwardDecl {
        let span = self.span(&p);
        let mut it = p.kids();
        let id = self.ident(next(&mut it));
        let mut award = AwardDecl {
            id,
            label: None,
            table: None,
            selection: None,
            criteria: Vec::new(),
            removals: Vec::new(),
            span,
        };
        for q in it {
            match q.as_rule() {
                Rule::string => award.label = Some(self.string(q)),
                Rule::ident => award.table = Some(self.ident(q)),
                Rule::expr => award.selection = Some(self.expr(q)),
                Rule::criterion => award.criteria.push(self.criterion(q)),
                Rule::removal => award.removals.push(self.ident(first(q))),
                _ => {}
            }
        }
        award
    }

    fn criterion(&mut self, p: Pair<Rule>) -> Criterion {
        let span = self.span(&p);
        let mut it = p.kids().peekable();
        let replace = it
            .next()
            .and_then(|m| m.into_inner().next())
            .is_some_and(|k| k.as_rule() == Rule::kw_replace);
        let ballot = it.peek().map(|p| p.as_rule()) == Some(Rule::ballot_mark);
        if ballot {
            it.next();
        }
        let name = match it.peek().map(|p| p.as_rule()) {
            Some(Rule::criterion_name) => it.next().map(|n| self.ident(first(n))),
            _ => None,
        };
        let expr = self.expr(next(&mut it));
        let message = self.string(next(&mut it));
        let cite = it.next().map(|c| self.cite(c));
        Criterion {
            replace,
            ballot,
            name,
            expr,
            message,
            cite,
            span,
        }
    }

    fn rate_decl(&mut self, p: Pair<Rule>) -> RateDecl {
        let mut it = p.kids();
        let id = self.ident(next(&mut it));
        let label = self.string(next(&mut it));
        let mut idents: Vec<Ident> = Vec::new();
        let mut body = None;
        for q in it {
            match q.as_rule() {
                Rule::ident => idents.push(self.ident(q)),
                Rule::rate_body => body = Some(q),
                _ => {}
            }
        }
        let group = idents.pop().unwrap_or_else(|| self.missing());
        let table = idents.pop();
        let mut b = body.map(|b| b.kids()).into_iter().flatten();
        let numerator = self.count(b.next());
        let op = b.next().map_or(CmpOp::Le, |o| cmp_op(o.as_rule()));
        let share_pair = b.next();
        let share = match share_pair {
            Some(s) if s.as_rule() == Rule::ident => Share::Param(self.ident(s)),
            Some(s) => Share::Literal(self.literal(s)),
            None => Share::Param(self.missing()),
        };
        let denominator = self.count(b.next());
        let mut rounding = None;
        let mut cite = None;
        for q in b {
            match q.as_rule() {
                Rule::rounding => {
                    let r = first(q);
                    rounding = Some(if r.as_rule() == Rule::ident {
                        Rounding::Param(self.ident(r))
                    } else {
                        let span = self.span(&r);
                        Rounding::Mode(
                            RoundingMode::parse(r.as_str()).unwrap_or(RoundingMode::Down),
                            span,
                        )
                    });
                }
                Rule::cite => cite = Some(self.cite(q)),
                _ => {}
            }
        }
        RateDecl {
            id,
            label,
            table,
            group,
            numerator,
            op,
            share,
            denominator,
            rounding,
            cite,
        }
    }

    fn count(&mut self, p: Option<Pair<Rule>>) -> Expr {
        match p {
            Some(p) => self.expr(first(p)),
            None => Expr {
                kind: ExprKind::Name(self.missing()),
                span: Span::default(),
            },
        }
    }

    fn example_decl(&mut self, p: Pair<Rule>) -> ExampleDecl {
        let mut it = p.kids();
        let name = self.string(next(&mut it));
        let mut rows = Vec::new();
        let mut expects = Vec::new();
        for q in it {
            let span = self.span(&q);
            match q.as_rule() {
                Rule::example_row => {
                    let mut ri = q.kids();
                    let table = self.ident(next(&mut ri));
                    let fields = ri
                        .map(|f| {
                            let mut fi = f.kids();
                            let col = self.ident(next(&mut fi));
                            let v = self.literal(next(&mut fi));
                            (col, v)
                        })
                        .collect();
                    rows.push(ExampleRow {
                        table,
                        fields,
                        span,
                    });
                }
                Rule::expect => {
                    let e = first(q);
                    let rate = e.as_rule() == Rule::expect_rate;
                    let parts: Vec<Pair<Rule>> = e.kids().collect();
                    let verdict = parts.last().map_or(Verdict::Unknown, verdict_of);
                    if rate {
                        let rate = self.ident(parts[0].clone());
                        let group = self.string(parts[1].clone());
                        expects.push(Expect::Rate {
                            rate,
                            group,
                            verdict,
                            span,
                        });
                    } else {
                        let key = self.key(parts[0].clone());
                        let award = (parts.len() == 3).then(|| self.ident(parts[1].clone()));
                        expects.push(Expect::Candidate {
                            key,
                            award,
                            verdict,
                            span,
                        });
                    }
                }
                _ => {}
            }
        }
        ExampleDecl {
            name,
            rows,
            expects,
        }
    }

    fn key(&mut self, p: Pair<Rule>) -> Str {
        if p.as_rule() == Rule::string {
            self.string(p)
        } else {
            Str {
                value: p.as_str().to_string(),
                span: self.span(&p),
            }
        }
    }

    fn cite(&mut self, p: Pair<Rule>) -> Cite {
        let span = self.span(&p);
        let mut it = p.kids();
        let source = self.ident(next(&mut it));
        let location = self.string(next(&mut it));
        Cite {
            source,
            location,
            span,
        }
    }
}

fn verdict_of(p: &Pair<Rule>) -> Verdict {
    match p.clone().into_inner().next().map(|k| k.as_rule()) {
        Some(Rule::kw_pass) => Verdict::Pass,
        Some(Rule::kw_fail) => Verdict::Fail,
        Some(Rule::kw_pending) => Verdict::Pending,
        _ => Verdict::Unknown,
    }
}
