//! Rows into partials: a judge per thread, its start and its rows.

use super::awards::{counts_proposals, selection_by_value};
use super::{GROUPS_LOOKED_UP_AT_ONCE, GroupEvent, Judge, Partial, Selected, link_maps};
use crate::data::{Cell, Row, TextFiller};
use crate::eval::groups::GroupNumbers;
use crate::eval::keyset::key_hash;
use crate::eval::linked::Linked;
use crate::eval::row::{Memo, RowEval};
use crate::eval::{Keep, Tri, linked};
use crate::semantic::model::{AwardId, ColIdx, Cond, Operand, Plan, TableId, Type};

fn proposal_columns(plan: &Plan, awards: &[AwardId]) -> Vec<ColIdx> {
    fn walk(c: &Cond, plan: &Plan, table: TableId, out: &mut Vec<ColIdx>) {
        let mut operand = |o: &Operand| {
            if let Operand::Column(col) = o
                && matches!(plan.tables[table].columns[*col].ty, Type::Enum(_))
                && !out.contains(col)
            {
                out.push(*col);
            }
        };
        match c {
            Cond::Compare { lhs, rhs, .. } => {
                operand(lhs);
                operand(rhs);
            }
            Cond::In { operand: o, .. } => operand(o),
            Cond::Not(x) => walk(x, plan, table, out),
            Cond::And(a, b) | Cond::Or(a, b) | Cond::Implies(a, b) => {
                walk(a, plan, table, out);
                walk(b, plan, table, out);
            }
            Cond::AnyOf(bs) => bs.iter().for_each(|(b, _)| walk(b, plan, table, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for &a in awards {
        walk(
            &plan.awards[a].selection,
            plan,
            plan.awards[a].table,
            &mut out,
        );
    }
    out
}

pub(super) fn eager_texts(plan: &Plan, table: TableId) -> Vec<bool> {
    let t = &plan.tables[table];
    let read = crate::eval::reads::texts_read(plan, table);
    let mut eager: Vec<bool> = t
        .columns
        .iter()
        .zip(read)
        .map(|(c, read)| read || (c.needed && (c.link.is_some() || c.derived.is_some())))
        .collect();
    let mut mark = |c: ColIdx| {
        if let Some(e) = eager.get_mut(c) {
            *e = true;
        }
    };
    t.key.into_iter().for_each(&mut mark);
    for a in plan.aggregates.iter().filter(|a| a.source == table) {
        mark(a.link);
        a.values_of.into_iter().for_each(&mut mark);
    }
    linked::unique_columns(plan, table)
        .into_iter()
        .for_each(&mut mark);
    for a in plan.aggregates.iter().filter(|a| a.target == table) {
        // `x in T.c` reads x's text on this table's rows.
        if a.values_of.is_some() {
            (0..t.columns.len()).for_each(|c| {
                if t.columns[c].needed {
                    mark(c)
                }
            });
        }
    }
    eager
}

/// Writes the proposal `v` after a key in the key log (see
/// [`keyset::PROPOSAL_MARK`]).
fn push_proposal(text: &mut String, v: u16) {
    text.push(crate::eval::keyset::PROPOSAL_MARK);
    let mut digits = [0u8; 5];
    let mut n = v;
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        text.push(char::from(d));
    }
}

impl<'p> Judge<'p> {
    pub(super) fn new(plan: &'p Plan, table: TableId, linked: &'p Linked, keep: Keep) -> Judge<'p> {
        let awards: Vec<AwardId> = (0..plan.awards.len())
            .filter(|&a| plan.awards[a].table == table)
            .collect();
        let rates: Vec<usize> = (0..plan.rates.len())
            .filter(|&r| plan.rates[r].table == table)
            .collect();
        let tdef = &plan.tables[table];
        let name_col = ["ho_ten", "ten_tap_the", "ten"]
            .iter()
            .find_map(|c| tdef.column(c));
        let unit_col = crate::eval::unit_column(plan, table);
        let proposal_cols = proposal_columns(plan, &awards);
        let derived_cols: Vec<ColIdx> = (0..tdef.columns.len())
            .filter(|&c| tdef.columns[c].derived.is_some())
            .collect();
        let mut group_cols: Vec<ColIdx> = Vec::new();
        let group_of_rate = rates
            .iter()
            .map(|&r| {
                let c = plan.rates[r].group;
                group_cols.iter().position(|&g| g == c).unwrap_or_else(|| {
                    group_cols.push(c);
                    group_cols.len() - 1
                })
            })
            .collect();
        let proposal_col = selection_by_value(plan, tdef, &awards)
            .map(|(c, _)| c)
            .or_else(|| proposal_cols.first().copied());
        let counts_proposals = rates
            .iter()
            .map(|&r| {
                let rate = &plan.rates[r];
                (
                    counts_proposals(&rate.numerator, &proposal_cols),
                    counts_proposals(&rate.denominator, &proposal_cols),
                )
            })
            .collect();
        let mut judge = Judge {
            id: 0,
            proposal_col,
            counts_proposals,
            ev: RowEval::new(plan, table, linked),
            plan,
            table,
            keep,
            // A ballot waits or not according to the other candidates of
            // its award (see `ballot::settle`): they all stay listed.
            whole: plan
                .awards
                .iter()
                .map(|a| a.criteria.iter().any(|c| c.ballot))
                .collect(),
            people_by: None,
            groups: group_cols.iter().map(|&c| GroupNumbers::new(c)).collect(),
            group_of_rate,
            unresolved: vec![0; rates.len()],
            seen: Vec::new(),
            by_proposal: selection_by_value(plan, tdef, &awards),
            awards,
            rates,
            tdef,
            explained: crate::eval::reads::explained_columns(
                plan,
                table,
                &name_col.into_iter().chain(unit_col).collect::<Vec<_>>(),
            ),
            name_col,
            unit_col,
            above: crate::eval::higher::above(plan),
            proposal_cols,
            derived_cols,
            memo: Memo::new(plan.awards.len()),
            part: Partial::default(),
            latest_year: None,
        };
        judge.part = judge.empty_partial();
        judge
    }

    pub(super) fn empty_partial(&self) -> Partial {
        Partial {
            judge: self.id,
            events: vec![Vec::new(); self.rates.len()],
            new_groups: vec![Vec::new(); self.groups.len()],
            links: link_maps(self.tdef, self.people_by),
            linked: linked::fed_by(self.plan, self.table),
            ..Partial::default()
        }
    }

    /// A judge like this one, for another thread, numbered `id`.
    pub fn another(&self, id: usize) -> Judge<'p> {
        let mut judge = self.clone();
        judge.id = id;
        judge.groups.iter_mut().for_each(GroupNumbers::clear);
        judge.part = judge.empty_partial();
        judge
    }

    /// What the rows since the last call gave.
    pub fn take(&mut self, filler: &TextFiller) -> Partial {
        self.resolve_groups(filler);
        self.unresolved.iter_mut().for_each(|u| *u = 0);
        // The next piece is sized like this one: growing its lists from
        // nothing again would copy them over and over.
        let mut fresh = self.empty_partial();
        let part = &self.part;
        fresh.candidates.reserve(part.candidates.len());
        fresh.key_text.reserve(part.key_text.len());
        fresh.keys.reserve(part.keys.len());
        for (mine, before) in fresh.events.iter_mut().zip(&part.events) {
            mine.reserve(before.len());
        }
        std::mem::replace(&mut self.part, fresh)
    }

    /// Evaluates a row; `filler` writes the texts its reader left out. A
    /// row that is another proposal of the row before (one cell naming
    /// several) counts as a proposal, not as a person again: it feeds no
    /// linked list and no side of a rate that counts people.
    pub fn row(&mut self, row: &mut Row, filler: &TextFiller) {
        self.memo.reset();
        if !row.alternative {
            self.person(row);
        }
        let key = self.key(row);
        if !key.is_empty() {
            let text = &mut self.part.key_text;
            text.push_str(key);
            if let Some(Cell::Enum(v)) = self.proposal_col.and_then(|c| row.cells.get(c)) {
                push_proposal(text, *v);
            }
            // Offsets are u32: past 4 GiB of keys in one piece, stop
            // recording (no piece comes near that).
            if let Ok(end) = u32::try_from(text.len()) {
                self.part.keys.push((end, key_hash(key), row.line));
            }
        }
        match self.judge_awards(row, filler) {
            Selected::None => self.note_unchecked(row),
            Selected::Unreadable => self.note_unreadable(row, filler),
            Selected::Some => {}
        }
        self.count_groups(row, filler);
    }

    /// What a row gives once per person: the count of rows, its links and
    /// what it feeds other tables' aggregates.
    fn person(&mut self, row: &Row) {
        self.part.rows += 1;
        for (c, seen) in &mut self.part.links {
            let Some(v) = row.texts.get(*c).filter(|v| !v.is_empty()) else {
                continue;
            };
            match seen.get_mut(v.as_str()) {
                Some(lines) => lines.push(row.line),
                None => {
                    seen.insert(v.clone(), vec![row.line]);
                }
            }
        }
        self.feed_aggregates(row);
        self.check_derived(row);
        self.check_suspicious(row);
    }

    pub(super) fn key<'r>(&self, row: &'r Row) -> &'r str {
        self.tdef
            .key
            .and_then(|k| row.texts.get(k))
            .map_or("", |s| s.as_str())
    }

    /// The row's text in `col` (its name, its unit), when filled.
    pub(super) fn filled(col: Option<usize>, row: &Row) -> Option<Box<str>> {
        col.and_then(|c| row.texts.get(c))
            .filter(|s| !s.is_empty())
            .map(|s| s.as_str().into())
    }

    fn count_groups(&mut self, row: &Row, filler: &TextFiller) {
        // Rates grouped by one column look its value up once a row.
        let mut seen = std::mem::take(&mut self.seen);
        seen.clear();
        seen.resize(self.groups.len(), None);
        for i in 0..self.rates.len() {
            let rate = &self.plan.rates[self.rates[i]];
            let (num_proposals, den_proposals) = self.counts_proposals[i];
            let side = |counts_proposals: bool, cond, ev: &RowEval, memo: &mut Memo| {
                if row.alternative && !counts_proposals {
                    // The person was counted on the row before.
                    Tri::False
                } else {
                    ev.cond(cond, row, memo)
                }
            };
            let num = side(num_proposals, &rate.numerator, &self.ev, &mut self.memo);
            let den = side(den_proposals, &rate.denominator, &self.ev, &mut self.memo);
            if num == Tri::False && den == Tri::False {
                continue;
            }
            let c = self.group_of_rate[i];
            let group = match seen[c] {
                Some(g) => g,
                None => {
                    let g = self.groups[c].defer(row, filler);
                    seen[c] = Some(g);
                    g
                }
            };
            self.part.events[i].push(GroupEvent {
                group,
                row: row.line,
                num,
                den,
            });
        }
        self.seen = seen;
        if self
            .groups
            .iter()
            .any(|g| g.waiting() >= GROUPS_LOOKED_UP_AT_ONCE)
        {
            self.resolve_groups(filler);
        }
    }

    /// Looks up the groups of the cells waiting, and writes them into the
    /// events that held each one's place.
    fn resolve_groups(&mut self, filler: &TextFiller) {
        for (c, numbers) in self.groups.iter_mut().enumerate() {
            let found = numbers.resolve(filler, &mut self.part.new_groups[c]);
            // The events of every rate grouped by this column.
            for (i, events) in self.part.events.iter_mut().enumerate() {
                if self.group_of_rate[i] != c {
                    continue;
                }
                for e in &mut events[self.unresolved[i]..] {
                    e.group = found[e.group as usize];
                }
                self.unresolved[i] = events.len();
            }
        }
    }
}
