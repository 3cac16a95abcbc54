//! The run over tables: lists read in link order (a linked list before
//! the lists that count its rows), one read shared by rule sets that read
//! alike, the tables' outcomes linked and built into reports.

use super::spread::{Spread, read_inline, read_spread};
use super::{Checked, EngineError, Progress};
use crate::data::{Cell, Delimiter, ListSource, Place, Row, TableReader, reading_signature};
use crate::eval::linked::{Linked, check_links, join_columns, order, unique_columns};
use crate::eval::{Keep, Outcome, TableEval, Tri};
use crate::report::model::{Comparison, Input, TargetKind};
use crate::report::targets::{People, TargetRow};
use crate::report::{self, Options};
use crate::semantic::RuleSet;
use crate::semantic::model::{TableDef, TableId, TargetDef};

/// One rule set's check in progress.
struct Run<'r> {
    rules: &'r RuleSet,
    lists: &'r [(TableId, ListSource)],
    /// Tables in the order they are read (a linked list before the lists
    /// that count its rows).
    steps: Vec<TableId>,
    linked: Linked,
    outcomes: Vec<(TableId, Outcome)>,
    inputs: Vec<Input>,
    /// The rows of each target table given (read apart: a target never
    /// fails anything).
    targets: Vec<(TableId, Vec<TargetRow>)>,
    /// The year the check runs in (see [`TableEval::set_current_year`]).
    current_year: i32,
}

impl<'r> Run<'r> {
    fn new(rules: &'r RuleSet, lists: &'r [(TableId, ListSource)], current_year: i32) -> Run<'r> {
        let given: Vec<TableId> = lists.iter().map(|(t, _)| *t).collect();
        let is_target = |t: &TableId| rules.plan.targets.iter().any(|d| d.table == *t);
        Run {
            steps: order(&rules.plan, &given)
                .into_iter()
                .filter(|t| given.contains(t) && !is_target(t))
                .collect(),
            linked: Linked::new(&rules.plan),
            outcomes: Vec::new(),
            inputs: Vec::new(),
            targets: Vec::new(),
            rules,
            lists,
            current_year,
        }
    }

    /// The list of the `k`th table read.
    fn source(&self, k: usize) -> Option<&'r ListSource> {
        let t = *self.steps.get(k)?;
        self.lists.iter().find(|(g, _)| *g == t).map(|(_, p)| p)
    }

    /// The targets whose table is given (and so are set against the list).
    fn given_targets(&self) -> impl Iterator<Item = &'r TargetDef> + '_ {
        self.rules
            .plan
            .targets
            .iter()
            .filter(|d| self.lists.iter().any(|(t, _)| *t == d.table))
    }

    /// How the `k`th list is read: runs with the same can share one read.
    fn reading(&self, k: usize) -> Option<(&'r ListSource, String)> {
        let plan = &self.rules.plan;
        let t = *self.steps.get(k)?;
        Some((
            self.source(k)?,
            reading_signature(&plan.tables[t], &plan.enums),
        ))
    }
}

/// Checks the same lists under several rule sets (for `diff`). When the
/// rule sets read the lists alike (same tables, columns, types, enums and
/// order), each list is read and parsed once and its rows go to every rule
/// set; otherwise each rule set reads on its own.
pub(super) fn check_each(
    sets: &[(&RuleSet, &[(TableId, ListSource)])],
    keep: Keep,
    spread: Spread,
    current_year: i32,
    progress: &mut dyn Progress,
) -> Result<Vec<Checked>, EngineError> {
    let mut runs: Vec<Run> = sets
        .iter()
        .map(|(r, l)| Run::new(r, l, current_year))
        .collect();
    let steps = runs.first().map_or(0, |r| r.steps.len());
    let alike = runs
        .iter()
        .all(|r| r.steps.len() == steps && (0..steps).all(|k| r.reading(k) == runs[0].reading(k)));
    if alike {
        for k in 0..steps {
            read_step(&mut runs, k, keep, spread, progress)?;
        }
    } else {
        for run in &mut runs {
            for k in 0..run.steps.len() {
                read_step(std::slice::from_mut(run), k, keep, spread, progress)?;
            }
        }
    }
    for run in &mut runs {
        read_targets(run)?;
    }
    let threads = spread.threads.get();
    Ok(runs.into_iter().map(|r| finish(r, keep, threads)).collect())
}

/// Reads the target tables given: each row's unit, title, kind, direction
/// and level. A cell that cannot be read makes that target undecided (it
/// is not a data error of the check: targets are informational).
fn read_targets(run: &mut Run) -> Result<(), EngineError> {
    let plan = &run.rules.plan;
    let defs: Vec<&TargetDef> = run.given_targets().collect();
    for def in defs {
        let Some((_, source)) = run.lists.iter().find(|(t, _)| *t == def.table) else {
            continue;
        };
        let tdef = &plan.tables[def.table];
        let mut reader = TableReader::open_source(source, tdef, &plan.enums)?;
        reader.set_eager_texts(&vec![true; tdef.columns.len()]);
        let filler = reader.text_filler();
        let mut row = Row::default();
        let mut issues = Vec::new();
        let mut rows = Vec::new();
        while reader.read_row(&mut row, &mut issues)? {
            filler.fill(&mut row);
            let text = |c: usize| row.texts.get(c).cloned().unwrap_or_default();
            let value = |c: usize| match row.cells.get(c) {
                Some(Cell::Enum(v)) => Some(*v),
                _ => None,
            };
            let kind = value(def.kind).and_then(|v| {
                let [count, share] = def.kind_values;
                (v == count)
                    .then_some(TargetKind::Count)
                    .or((v == share).then_some(TargetKind::Share))
            });
            let comparison = value(def.comparison).and_then(|v| {
                let [above, at_least] = def.comparison_values;
                (v == above)
                    .then_some(Comparison::Above)
                    .or((v == at_least).then_some(Comparison::AtLeast))
            });
            let level = match row.cells.get(def.level) {
                Some(Cell::Int(i)) => Some(rust_decimal::Decimal::from(*i)),
                Some(Cell::Decimal(d)) => Some(*d),
                _ => None,
            };
            let year = tdef.year.and_then(|c| match row.cells.get(c) {
                Some(Cell::Int(y)) => i32::try_from(*y).ok(),
                _ => None,
            });
            let problems = issues
                .drain(..)
                .filter(|i| i.row == row.line)
                .map(|i| format!("cột «{}»: {}", i.header, i.message))
                .collect();
            rows.push(TargetRow {
                row: row.line,
                unit: text(def.unit),
                year,
                title: value(def.title),
                kind,
                comparison,
                level,
                problems,
            });
            issues.clear();
        }
        run.inputs
            .push(input(source, &reader, tdef, rows.len() as u64));
        run.targets.push((def.table, rows));
    }
    Ok(())
}

/// Reads the `k`th list of every run (which read it alike) once, and
/// evaluates its rows under each; `progress` hears of the reading.
fn read_step(
    runs: &mut [Run],
    k: usize,
    keep: Keep,
    spread: Spread,
    progress: &mut dyn Progress,
) -> Result<(), EngineError> {
    let Some(first) = runs.first() else {
        return Ok(());
    };
    let (Some(source), Some(&t0)) = (first.source(k), first.steps.get(k)) else {
        return Ok(());
    };
    // Only a regular file is cut into pieces: a list that is read again
    // (after a cut inside quotes) must be the same the second time, as
    // bytes in memory are.
    let len = match &source.place {
        Place::File(path) => std::fs::metadata(path)
            .ok()
            .filter(|m| m.is_file())
            .map_or(0, |m| m.len()),
        Place::Memory(bytes) => bytes.len() as u64,
    };
    progress.start(&source.name, len);
    let read = read_list(runs, k, keep, spread, progress, source, t0, len);
    progress.done();
    read
}

/// [`read_step`] once the list is known: `source`, of `len` bytes, read
/// as table `t0` of the first run.
#[allow(clippy::too_many_arguments)]
fn read_list(
    runs: &mut [Run],
    k: usize,
    keep: Keep,
    spread: Spread,
    progress: &mut dyn Progress,
    source: &ListSource,
    t0: TableId,
    len: u64,
) -> Result<(), EngineError> {
    let rules0: &RuleSet = runs[0].rules;
    for run in runs.iter_mut() {
        let plan = &run.rules.plan;
        let t = run.steps[k];
        if !unique_columns(plan, t).is_empty() {
            let mut counting = TableReader::open_source(source, &plan.tables[t], &plan.enums)?;
            run.linked.count_values(plan, t, &mut counting)?;
        }
    }
    let plan0 = &rules0.plan;
    let mut reader = TableReader::open_source(source, &plan0.tables[t0], &plan0.enums)?;
    for run in runs.iter() {
        let plan = &run.rules.plan;
        let t = run.steps[k];
        let given: Vec<TableId> = run.lists.iter().map(|(t, _)| *t).collect();
        let missing: Vec<String> = join_columns(plan, t, &given)
            .into_iter()
            .filter(|&c| !reader.has_column(c))
            .map(|c| {
                let col = &plan.tables[t].columns[c];
                format!("«{}» ({})", col.header, col.id)
            })
            .collect();
        if !missing.is_empty() {
            return Err(EngineError::JoinColumns {
                list: source.name.clone(),
                columns: missing,
            });
        }
    }
    let mut evals = new_evals(runs, k, keep);
    absent_columns(&mut evals, runs, k, &reader);
    reader.set_split_column(evals.first().and_then(TableEval::proposal_column));
    let mut eager: Vec<bool> = Vec::new();
    for e in &evals {
        let mine = e.eager_texts();
        eager.resize(eager.len().max(mine.len()), false);
        eager.iter_mut().zip(mine).for_each(|(a, b)| *a |= b);
    }
    reader.set_eager_texts(&eager);
    // `unique(…)` compares a row with the other rows by row number, which
    // a piece only knows at the end: such lists are read in one pass.
    let row_numbers_matter = runs
        .iter()
        .any(|r| !unique_columns(&r.rules.plan, r.steps[k]).is_empty());
    let piece = if row_numbers_matter {
        None
    } else {
        spread.piece(len)
    };
    let spread_out = match piece {
        Some(piece) => read_spread(
            &mut reader,
            &mut evals,
            spread.threads.get(),
            piece,
            progress,
            len,
        )?,
        None => None,
    };
    let read_issues = match spread_out {
        Some(issues) => issues,
        None => {
            if piece.is_some() {
                // Cut inside a quoted cell: start again, in one pass.
                evals = new_evals(runs, k, keep);
                absent_columns(&mut evals, runs, k, &reader);
                reader = TableReader::open_source(source, &plan0.tables[t0], &plan0.enums)?;
                reader.set_eager_texts(&eager);
                reader.set_split_column(evals.first().and_then(TableEval::proposal_column));
            }
            read_inline(&mut reader, &mut evals, progress, len)?
        }
    };
    let threads = spread.threads.get();
    let filler = reader.text_filler();
    let outcomes: Vec<Outcome> = evals
        .into_iter()
        .map(|e| e.finish(threads, &filler))
        .collect();
    for (run, mut outcome) in runs.iter_mut().zip(outcomes) {
        let table = &run.rules.plan.tables[run.steps[k]];
        for w in &mut outcome.warnings {
            if let Some(letter) = table.column(&w.column).and_then(|c| reader.letter(c)) {
                w.letter = letter.to_string();
            }
        }
        // Reading problems first, then the run's own, row by row.
        let mut issues = read_issues.clone();
        issues.append(&mut outcome.issues);
        issues.sort_by_key(|i| i.row);
        outcome.issues = issues;
        let t = run.steps[k];
        run.linked.absorb(&mut outcome);
        run.inputs.push(input(
            source,
            &reader,
            &run.rules.plan.tables[t],
            outcome.rows,
        ));
        run.outcomes.push((t, outcome));
    }
    Ok(())
}

/// Tells each evaluation which columns its list lacks.
/// What the report says of a list read for table `tdef`.
fn input(source: &ListSource, reader: &TableReader, tdef: &TableDef, rows: u64) -> Input {
    Input {
        path: source.name.clone(),
        sha256: reader.sha256().unwrap_or_default(),
        rows,
        table: tdef.id.clone(),
        table_label: tdef.label.clone(),
        delimiter: match reader.delimiter() {
            Delimiter::Comma => ",",
            Delimiter::Semicolon => ";",
            Delimiter::Tab => "\t",
        }
        .to_string(),
        bom: reader.had_bom(),
        ignored_headers: reader.unused_headers().to_vec(),
        sheet: reader.sheet().map(str::to_string),
        hidden_rows: reader.hidden_rows().to_vec(),
        header_row: reader.header_row(),
        absent_columns: reader.absent_columns().to_vec(),
    }
}

fn absent_columns(evals: &mut [TableEval], runs: &[Run], k: usize, reader: &TableReader) {
    for (e, run) in evals.iter_mut().zip(runs) {
        let table = &run.rules.plan.tables[run.steps[k]];
        let cols: Vec<usize> = reader
            .absent_columns()
            .iter()
            .filter_map(|a| table.column(&a.id))
            .collect();
        e.set_absent_columns(&cols);
    }
}

/// One evaluation of the `k`th list per run.
fn new_evals<'r>(runs: &'r [Run], k: usize, keep: Keep) -> Vec<TableEval<'r>> {
    let mut evals: Vec<TableEval> = runs
        .iter()
        .map(|r| {
            let mut e = TableEval::new(&r.rules.plan, r.steps[k], &r.linked, keep);
            e.set_current_year(r.current_year);
            e
        })
        .collect();
    // A list set against registered targets keeps every candidate of its
    // awards and its people per unit (only then: the check alone counts
    // passing candidates without keeping them).
    for (e, run) in evals.iter_mut().zip(runs.iter()) {
        let t = run.steps[k];
        for def in run.given_targets().filter(|d| d.candidates == t) {
            let plan = &run.rules.plan;
            (0..plan.awards.len())
                .filter(|&a| plan.awards[a].table == t)
                .for_each(|a| e.keep_whole(a));
            e.count_people_by(def.group);
        }
    }
    if keep == Keep::Rows {
        // A candidate of an award another rule set lacks is shown whole
        // even when it passes: nothing on the other side names it.
        for (e, run) in evals.iter_mut().zip(runs.iter()) {
            for (a, award) in run.rules.plan.awards.iter().enumerate() {
                let everywhere = runs.iter().all(|r| r.rules.plan.award(&award.id).is_some());
                if !everywhere {
                    e.keep_whole(a);
                }
            }
        }
    }
    evals
}

/// The report of one run, and whether everything passed: every candidate
/// and group passes, with no data error or unchecked proposal.
fn finish(run: Run, keep: Keep, threads: usize) -> Checked {
    let Run {
        rules,
        outcomes,
        inputs,
        targets: target_rows,
        ..
    } = run;
    let plan = &rules.plan;
    let broken_links = check_links(plan, &outcomes);
    // The people of each target's unit column, before the outcomes merge.
    let people: Vec<People> = target_rows
        .iter()
        .map(|(table, _)| {
            let def = plan.targets.iter().find(|d| d.table == *table);
            let found = def.and_then(|d| {
                outcomes
                    .iter()
                    .find(|(t, _)| *t == d.candidates)
                    .map(|(_, o)| (d, o))
            });
            match found {
                Some((d, o)) => People {
                    by_unit: o
                        .links
                        .iter()
                        .filter(|(c, _)| *c == d.group)
                        .flat_map(|(_, m)| m.iter().map(|(u, rows)| (u.clone(), rows.len() as u64)))
                        .collect(),
                    total: o.rows,
                },
                None => People::default(),
            }
        })
        .collect();
    let several = outcomes.len() > 1;
    let mut outcome = Outcome::default();
    for (t, mut o) in outcomes {
        o.issues.extend(
            broken_links
                .iter()
                .filter(|(s, _)| *s == t)
                .map(|(_, i)| i.clone()),
        );
        if several {
            for i in o.issues.iter_mut().chain(&mut o.warnings) {
                i.table = plan.tables[t].id.clone();
            }
        }
        outcome.warnings.extend(o.warnings);
        outcome.rows += o.rows;
        outcome.passed += o.passed;
        outcome.passed_rows.extend(o.passed_rows);
        outcome.candidates.extend(o.candidates);
        outcome.groups.extend(o.groups);
        outcome.issues.extend(o.issues);
        outcome.unchecked.extend(o.unchecked);
    }
    // A list with nothing to check is not a pass.
    let proposals = outcome.passed as usize + outcome.candidates.len() + outcome.unchecked.len();
    let all_pass = proposals > 0
        && outcome.candidates.iter().all(|c| c.verdict == Tri::True)
        && outcome.groups.iter().all(|g| g.verdict == Tri::True)
        && outcome.issues.is_empty()
        && outcome.unchecked.is_empty();
    let mut targets = Vec::new();
    for ((table, rows), people) in target_rows.iter().zip(&people) {
        if let Some(def) = plan.targets.iter().find(|d| d.table == *table) {
            targets.extend(report::targets::build(
                plan,
                def,
                rows,
                &outcome.candidates,
                people,
            ));
        }
    }
    let mut report = report::build(
        rules,
        outcome,
        inputs,
        &Options {
            failing_only: keep != Keep::All,
            all_groups: keep == Keep::Rows,
            threads,
        },
    );
    report.targets = targets;
    Checked {
        report,
        all_passed: all_pass,
    }
}
