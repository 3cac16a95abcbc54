//! `tdkt check LIST.csv [--rules PATH]… [--format text|json] [--set P=V]…`

use super::progress::Progress;
use super::spread::{Spread, read_inline, read_spread};
use super::{Exit, emit, emit_with, json};
use crate::data::{Delimiter, ListSource, TableReader, reading_signature};
use crate::eval::linked::{Linked, check_links, join_columns, order, unique_columns};
use crate::eval::{Keep, Outcome, TableEval, Tri};
use crate::report::{self, Options, model::Input};
use crate::semantic::model::{Plan, TableId};
use crate::semantic::{self, Origin, Override, RuleSet};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Danh sách đề nghị (CSV, UTF-8, phân cách bằng dấu phẩy hoặc chấm phẩy) của bảng chính
    #[arg(required_unless_present = "tables")]
    pub list: Option<PathBuf>,
    /// Danh sách của một bảng khác, ví dụ `--table tap_the=tap-the.csv` (lặp lại được)
    #[arg(long = "table", value_name = "BẢNG=TỆP")]
    pub tables: Vec<String>,
    /// Tệp hoặc thư mục quy tắc (.tdkt); mặc định: bộ quy tắc Luật 2022 kèm theo
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Định dạng kết quả
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Đổi một tham số, ví dụ `--set ty_le_cstdcs=20%`
    #[arg(long = "set", value_name = "THAM_SỐ=GIÁ_TRỊ")]
    pub set: Vec<String>,
    /// Chỉ liệt kê đề nghị và tỷ lệ không đạt hoặc chưa xác định
    #[arg(long)]
    pub failing: bool,
    #[command(flatten)]
    pub spread: Spread,
}

/// All cores of the machine.
pub fn default_threads() -> std::num::NonZeroUsize {
    std::thread::available_parallelism().unwrap_or(std::num::NonZeroUsize::MIN)
}

/// Parses `NAME=VALUE` pairs.
pub fn overrides(set: &[String]) -> Result<Vec<Override>, String> {
    set.iter()
        .map(|s| match s.split_once('=') {
            Some((n, v)) if !n.trim().is_empty() => Ok(Override {
                name: n.trim().to_string(),
                value: v.trim().to_string(),
            }),
            _ => Err(format!(
                "--set `{s}`: cần dạng THAM_SỐ=GIÁ_TRỊ, ví dụ `--set ty_le_cstdcs=20%`"
            )),
        })
        .collect()
}

/// Loads the rule set named on the command line, or the embedded default.
pub fn load_rules(paths: &[PathBuf], set: &[String]) -> Result<RuleSet, String> {
    let overrides = overrides(set)?;
    let loaded = if paths.is_empty() {
        semantic::load_default(&overrides)
    } else {
        semantic::load(paths, Origin::Disk, &overrides)
    };
    loaded.map_err(|e| e.to_string())
}

/// The list of each table: the positional list is the main table's (the
/// first with awards), `--table NAME=PATH` names the others.
pub fn lists(
    list: &Option<PathBuf>,
    tables: &[String],
    plan: &Plan,
) -> Result<Vec<(TableId, PathBuf)>, String> {
    let mut out: Vec<(TableId, PathBuf)> = Vec::new();
    if let Some(list) = list {
        let main = (0..plan.tables.len())
            .find(|&t| plan.awards.iter().any(|a| a.table == t))
            .or((!plan.tables.is_empty()).then_some(0))
            .ok_or("bộ quy tắc không khai báo bảng nào (`table`)")?;
        out.push((main, list.clone()));
    }
    for spec in tables {
        let names: Vec<&str> = plan.tables.iter().map(|t| t.id.as_str()).collect();
        let (name, path) = spec.split_once('=').ok_or_else(|| {
            format!("--table `{spec}`: cần dạng BẢNG=TỆP, ví dụ `--table tap_the=tap-the.csv`; các bảng: {}", names.join(", "))
        })?;
        let t = plan.table(name.trim()).ok_or_else(|| {
            format!(
                "--table `{spec}`: bộ quy tắc không có bảng `{}`; các bảng: {}",
                name.trim(),
                names.join(", ")
            )
        })?;
        if out.iter().any(|(g, _)| *g == t) {
            return Err(format!("bảng `{}` được cho hai danh sách", name.trim()));
        }
        out.push((t, PathBuf::from(path.trim())));
    }
    Ok(out)
}

/// Runs `check`: the report goes to `out`, a failure to run goes to `err`.
pub fn check(args: &CheckArgs, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> Exit {
    match run(args) {
        Ok((report, exit)) => {
            let written = match args.format {
                Format::Text => emit(out, &report::text::render(&report)),
                // Written as it is serialised: a large report is never a
                // second copy in memory.
                Format::Json => emit_with(out, |w| {
                    json::write_report(w, &report, args.spread.threads.get(), json::CHUNK)
                }),
            };
            // The process ends after this: freeing a national list's
            // candidates one by one takes longer than the system takes to
            // reclaim the memory at exit.
            std::mem::forget(report);
            if written { exit } else { Exit::Error }
        }
        Err(msg) => {
            let _ = writeln!(err, "{msg}");
            Exit::Error
        }
    }
}

pub(super) fn run(args: &CheckArgs) -> Result<(report::model::Report, Exit), String> {
    let rules = load_rules(&args.rules, &args.set)?;
    let lists = lists(&args.list, &args.tables, &rules.plan)?;
    let (report, all_pass) = check_lists(&rules, &lists, args.failing, args.spread)?;
    Ok((report, if all_pass { Exit::Pass } else { Exit::Fail }))
}

/// Reads and evaluates the lists of one check (a list per table), and
/// builds the report; `true` when every candidate and group passes, with
/// no data error or unchecked proposal.
pub fn check_lists(
    rules: &RuleSet,
    lists: &[(TableId, PathBuf)],
    failing: bool,
    spread: Spread,
) -> Result<(report::model::Report, bool), String> {
    let keep = if failing { Keep::NotPassing } else { Keep::All };
    let mut out = check_each(&[(rules, lists)], keep, spread)?;
    out.pop()
        .ok_or_else(|| "không có bộ quy tắc nào".to_string())
}

/// One rule set's check in progress.
struct Run<'r> {
    rules: &'r RuleSet,
    lists: &'r [(TableId, PathBuf)],
    /// Tables in the order they are read (a linked list before the lists
    /// that count its rows).
    steps: Vec<TableId>,
    linked: Linked,
    outcomes: Vec<(TableId, Outcome)>,
    inputs: Vec<Input>,
}

impl<'r> Run<'r> {
    fn new(rules: &'r RuleSet, lists: &'r [(TableId, PathBuf)]) -> Run<'r> {
        let given: Vec<TableId> = lists.iter().map(|(t, _)| *t).collect();
        Run {
            steps: order(&rules.plan, &given)
                .into_iter()
                .filter(|t| given.contains(t))
                .collect(),
            linked: Linked::new(&rules.plan),
            outcomes: Vec::new(),
            inputs: Vec::new(),
            rules,
            lists,
        }
    }

    /// The list of the `k`th table read.
    fn file(&self, k: usize) -> Option<&'r PathBuf> {
        let t = *self.steps.get(k)?;
        self.lists.iter().find(|(g, _)| *g == t).map(|(_, p)| p)
    }

    /// How the `k`th list is read: runs with the same can share one read.
    fn reading(&self, k: usize) -> Option<(&'r PathBuf, String)> {
        let plan = &self.rules.plan;
        let t = *self.steps.get(k)?;
        Some((
            self.file(k)?,
            reading_signature(&plan.tables[t], &plan.enums),
        ))
    }
}

/// Checks the same lists under several rule sets (for `diff`). When the
/// rule sets read the lists alike (same tables, columns, types, enums and
/// order), each list is read and parsed once and its rows go to every rule
/// set; otherwise each rule set reads on its own.
pub fn check_each(
    sets: &[(&RuleSet, &[(TableId, PathBuf)])],
    keep: Keep,
    spread: Spread,
) -> Result<Vec<(report::model::Report, bool)>, String> {
    let mut runs: Vec<Run> = sets.iter().map(|(r, l)| Run::new(r, l)).collect();
    let steps = runs.first().map_or(0, |r| r.steps.len());
    let alike = runs
        .iter()
        .all(|r| r.steps.len() == steps && (0..steps).all(|k| r.reading(k) == runs[0].reading(k)));
    if alike {
        for k in 0..steps {
            read_step(&mut runs, k, keep, spread)?;
        }
    } else {
        for run in &mut runs {
            for k in 0..run.steps.len() {
                read_step(std::slice::from_mut(run), k, keep, spread)?;
            }
        }
    }
    let threads = spread.threads.get();
    Ok(runs.into_iter().map(|r| finish(r, keep, threads)).collect())
}

/// Reads the `k`th list of every run (which read it alike) once, and
/// evaluates its rows under each.
fn read_step(runs: &mut [Run], k: usize, keep: Keep, spread: Spread) -> Result<(), String> {
    let Some(first) = runs.first() else {
        return Ok(());
    };
    let (Some(file), Some(&t0)) = (first.file(k), first.steps.get(k)) else {
        return Ok(());
    };
    let rules0: &RuleSet = first.rules;
    let path = file.display().to_string();
    for run in runs.iter_mut() {
        let plan = &run.rules.plan;
        let t = run.steps[k];
        if !unique_columns(plan, t).is_empty() {
            let mut counting =
                TableReader::open_source(&ListSource::path(file), &plan.tables[t], &plan.enums)
                    .map_err(|e| e.to_string())?;
            run.linked
                .count_values(plan, t, &mut counting)
                .map_err(|e| e.to_string())?;
        }
    }
    let plan0 = &rules0.plan;
    let mut reader =
        TableReader::open_source(&ListSource::path(file), &plan0.tables[t0], &plan0.enums)
            .map_err(|e| e.to_string())?;
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
            return Err(format!(
                "danh sách `{path}` thiếu cột {} để nối với các danh sách khác đã cho",
                missing.join(", ")
            ));
        }
    }
    let mut evals = new_evals(runs, k, keep);
    absent_columns(&mut evals, runs, k, &reader);
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
    // Only a regular file is cut into pieces: a list that is read again
    // (after a cut inside quotes) must be the same the second time.
    let len = std::fs::metadata(file)
        .ok()
        .filter(|m| m.is_file())
        .map_or(0, |m| m.len());
    let mut progress = Progress::new(&path, len);
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
            &mut progress,
            len,
        )
        .map_err(|e| e.to_string())?,
        None => None,
    };
    let read_issues = match spread_out {
        Some(issues) => issues,
        None => {
            if piece.is_some() {
                // Cut inside a quoted cell: start again, in one pass.
                evals = new_evals(runs, k, keep);
                absent_columns(&mut evals, runs, k, &reader);
                reader = TableReader::open_source(
                    &ListSource::path(file),
                    &plan0.tables[t0],
                    &plan0.enums,
                )
                .map_err(|e| e.to_string())?;
                reader.set_eager_texts(&eager);
            }
            read_inline(&mut reader, &mut evals, &mut progress, len).map_err(|e| e.to_string())?
        }
    };
    let threads = spread.threads.get();
    let filler = reader.text_filler();
    let outcomes: Vec<Outcome> = evals
        .into_iter()
        .map(|e| e.finish(threads, &filler))
        .collect();
    for (run, mut outcome) in runs.iter_mut().zip(outcomes) {
        // Reading problems first, then the run's own, row by row.
        let mut issues = read_issues.clone();
        issues.append(&mut outcome.issues);
        issues.sort_by_key(|i| i.row);
        outcome.issues = issues;
        let t = run.steps[k];
        run.linked.absorb(&mut outcome);
        run.inputs.push(Input {
            path: path.clone(),
            sha256: reader.sha256().unwrap_or_default(),
            rows: outcome.rows,
            table: run.rules.plan.tables[t].id.clone(),
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
        });
        run.outcomes.push((t, outcome));
    }
    Ok(())
}

/// Tells each evaluation which columns its list lacks.
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
        .map(|r| TableEval::new(&r.rules.plan, r.steps[k], &r.linked, keep))
        .collect();
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

/// The report of one run, and whether everything passed.
fn finish(run: Run, keep: Keep, threads: usize) -> (report::model::Report, bool) {
    let Run {
        rules,
        outcomes,
        inputs,
        ..
    } = run;
    let plan = &rules.plan;
    let broken_links = check_links(plan, &outcomes);
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
            for i in &mut o.issues {
                i.table = plan.tables[t].id.clone();
            }
        }
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
    let report = report::build(
        rules,
        outcome,
        inputs,
        &Options {
            failing_only: keep != Keep::All,
            all_groups: keep == Keep::Rows,
            threads,
        },
    );
    (report, all_pass)
}
