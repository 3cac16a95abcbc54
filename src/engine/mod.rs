//! The check engine: the one way into a check for the command line, a page
//! or an integrator. Load a rule set ([`Rules`]), give a list per table
//! ([`ListSource`]), run ([`Check`]), get a [`Report`] to render.
//!
//! ```
//! use tdkt::{Check, ListSource, Rules};
//! use tdkt::eval::Tri;
//!
//! let csv = "Mã cán bộ,Họ và tên,Đơn vị,Xếp loại chất lượng,\
//!            Số tháng công tác trong năm,Số tháng nghỉ thai sản,\
//!            Hình thức kỷ luật (trong năm),Đang xem xét kỷ luật/thanh tra,\
//!            Có sáng kiến được công nhận,Có đề tài KH đã nghiệm thu,Hình thức đề nghị\n\
//!            CB001,Nguyễn Văn An,Phòng Tổ chức,Hoàn thành tốt nhiệm vụ,12,,,Không,Không,Không,Lao động tiên tiến\n\
//!            CB002,Bùi Thanh Hương,Phòng Tổ chức,Hoàn thành nhiệm vụ,12,,,Không,Không,Không,Lao động tiên tiến\n";
//! let rules = Rules::embedded(&[])?;
//! let checked = Check::new(&rules)
//!     .list(ListSource::bytes("ds.csv", csv.as_bytes()))?
//!     .threads(1)
//!     .run()?;
//! let hương = checked.report.candidates.iter().find(|c| c.key == "CB002").unwrap();
//! assert_eq!(hương.verdict, Tri::False);
//! let an = checked.report.candidates.iter().find(|c| c.key == "CB001").unwrap();
//! assert_eq!(an.verdict, Tri::True);
//! assert!(!checked.all_passed);
//! # Ok::<(), tdkt::EngineError>(())
//! ```

mod error;
mod period;
mod rules;
mod run;
mod spread;

pub use crate::data::ListSource;
pub use crate::eval::Keep;
pub use crate::report::Report;
pub use crate::semantic::Override;
pub use error::EngineError;
pub use period::{Chosen, REGIMES};
pub use rules::{Rules, Shipped};

use crate::report::diff::{ListDiff, compare};
use crate::semantic::model::{Plan, TableId};
use std::num::NonZeroUsize;

/// All cores of the machine: the threads a check uses unless told.
pub fn default_threads() -> NonZeroUsize {
    std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN)
}

/// Hears how far the reading of each list is; the engine itself prints
/// nothing. Every method does nothing unless implemented.
pub trait Progress {
    /// A list named `name` starts, `total` bytes long (0: not known).
    fn start(&mut self, name: &str, total: u64) {
        let _ = (name, total);
    }

    /// `bytes` of the list read, up to row `row` (as a spreadsheet
    /// numbers it). Called every few thousand rows.
    fn update(&mut self, bytes: u64, row: u64) {
        let _ = (bytes, row);
    }

    /// The list is read (or its reading stopped).
    fn done(&mut self) {}
}

/// Progress nobody hears.
struct Silent;

impl Progress for Silent {}

/// The outcome of a check.
#[derive(Debug)]
pub struct Checked {
    pub report: Report,
    /// Every candidate and group passes, with no data error or unchecked
    /// proposal.
    pub all_passed: bool,
}

/// A check being set up: the rule set (or several, for a comparison), a
/// list per table, and how to read them. Nothing is read before
/// [`run`](Check::run).
pub struct Check<'a> {
    sets: Vec<&'a Rules>,
    /// The lists of each rule set, in the order given.
    lists: Vec<Vec<(TableId, ListSource)>>,
    keep: Keep,
    spread: spread::Spread,
    progress: Box<dyn Progress + 'a>,
    /// The year the check runs in; None: the clock's.
    current_year: Option<i32>,
}

impl<'a> Check<'a> {
    /// A check under `rules`.
    pub fn new(rules: &'a Rules) -> Check<'a> {
        Check::each(&[rules])
    }

    /// The same lists under each rule set of `rules`, for a comparison.
    /// When the rule sets read the lists alike (same tables, columns,
    /// types, enums and order), each list is read and parsed once and its
    /// rows go to every rule set; otherwise each reads on its own.
    pub fn each(rules: &[&'a Rules]) -> Check<'a> {
        Check {
            sets: rules.to_vec(),
            lists: vec![Vec::new(); rules.len()],
            keep: Keep::All,
            spread: spread::Spread {
                threads: default_threads(),
                piece_size: None,
            },
            progress: Box::new(Silent),
            current_year: None,
        }
    }

    /// The year the check runs in (default: the clock's): a row whose year
    /// column holds a year after the next one gets a data warning.
    pub fn current_year(mut self, year: i32) -> Check<'a> {
        self.current_year = Some(year);
        self
    }

    /// The list of the main table: the first table with awards (or the
    /// first table when none has any).
    pub fn list(mut self, source: ListSource) -> Result<Check<'a>, EngineError> {
        for (rules, lists) in self.sets.iter().zip(&mut self.lists) {
            let plan = &rules.rule_set().plan;
            let main = main_table(plan).ok_or_else(|| EngineError::NoTables {
                files: rules
                    .rule_set()
                    .files
                    .iter()
                    .map(|f| f.path.clone())
                    .collect(),
            })?;
            add(lists, main, &plan.tables[main].id, source.clone())?;
        }
        Ok(self)
    }

    /// The list of table `name`.
    pub fn table(mut self, name: &str, source: ListSource) -> Result<Check<'a>, EngineError> {
        for (rules, lists) in self.sets.iter().zip(&mut self.lists) {
            let plan = &rules.rule_set().plan;
            let t = plan.table(name).ok_or_else(|| EngineError::UnknownTable {
                name: name.to_string(),
                tables: plan.tables.iter().map(|t| t.id.clone()).collect(),
            })?;
            add(lists, t, name, source.clone())?;
        }
        Ok(self)
    }

    /// Only failing and unknown candidates and groups are listed; passing
    /// ones are counted (`false`, the default: all are listed).
    pub fn failing_only(self, failing_only: bool) -> Check<'a> {
        self.keep(if failing_only {
            Keep::NotPassing
        } else {
            Keep::All
        })
    }

    /// Which candidates the reports list ([`Keep::Rows`] for a comparison).
    pub fn keep(mut self, keep: Keep) -> Check<'a> {
        self.keep = keep;
        self
    }

    /// Threads that read and judge (0 counts as 1); from 2 on, a large
    /// list is cut into pieces judged at once. Default: all cores.
    pub fn threads(mut self, threads: usize) -> Check<'a> {
        self.spread.threads = NonZeroUsize::new(threads).unwrap_or(NonZeroUsize::MIN);
        self
    }

    /// Bytes a piece when a list is cut; `None` (the default): chosen from
    /// the list's size, and a list under 1 MiB is not cut.
    pub fn piece_size(mut self, bytes: Option<NonZeroUsize>) -> Check<'a> {
        self.spread.piece_size = bytes;
        self
    }

    /// Tells `progress` how far each list's reading is.
    pub fn progress(mut self, progress: impl Progress + 'a) -> Check<'a> {
        self.progress = Box::new(progress);
        self
    }

    /// Reads and judges the lists, and builds the report.
    pub fn run(self) -> Result<Checked, EngineError> {
        if self.sets.len() != 1 {
            return Err(EngineError::SeveralRuleSets(self.sets.len()));
        }
        let mut out = self.run_each()?;
        out.pop().ok_or(EngineError::SeveralRuleSets(0))
    }

    /// Reads and judges the lists under every rule set, and builds a report
    /// for each, in the order of [`Check::each`]. Each report says how its
    /// rule set was chosen, and warns when the main list's review year lies
    /// outside the rule set's period.
    pub fn run_each(mut self) -> Result<Vec<Checked>, EngineError> {
        let mut regimes = Vec::with_capacity(self.sets.len());
        for (rules, lists) in self.sets.iter().zip(&self.lists) {
            let plan = &rules.rule_set().plan;
            let main = main_table(plan);
            let year = match (rules.chosen(), lists.iter().find(|(t, _)| Some(*t) == main)) {
                // Chosen by the list's year: it was read then, not again.
                (Some(chosen), _) => chosen.year,
                (None, Some((t, source))) => period::review_year(plan, *t, source)?,
                (None, None) => None,
            };
            regimes.push(period::regime(plan, rules.chosen(), year));
        }
        let sets: Vec<(&crate::semantic::RuleSet, &[(TableId, ListSource)])> = self
            .sets
            .iter()
            .zip(&self.lists)
            .map(|(r, l)| (r.rule_set(), &l[..]))
            .collect();
        let current_year = self
            .current_year
            .unwrap_or_else(|| i32::from(jiff::ZonedDateTime::now().year()));
        let mut checked = run::check_each(
            &sets,
            self.keep,
            self.spread,
            current_year,
            &mut *self.progress,
        )?;
        for (c, regime) in checked.iter_mut().zip(regimes) {
            // Targets registered for another year than the list's are not
            // its targets.
            if let Some(year) = regime.review_year {
                c.report
                    .targets
                    .retain(|t| t.year.is_none_or(|y| y == year));
            }
            c.report.regime = regime;
        }
        Ok(checked)
    }
}

impl Check<'_> {
    /// Runs a comparison set up with [`Check::each`] over two rule sets,
    /// the base then the new, and compares their reports
    /// ([`crate::report::diff::compare`]); `name` names the lists in it.
    /// Passing candidates are kept by row only ([`Keep::Rows`]).
    pub fn run_diff(self, name: &str) -> Result<ListDiff, EngineError> {
        if self.sets.len() != 2 {
            return Err(EngineError::NotTwoRuleSets(self.sets.len()));
        }
        let mut reports = self.keep(Keep::Rows).run_each()?.into_iter();
        match (reports.next(), reports.next()) {
            (Some(base), Some(new)) => Ok(compare(name, &base.report, &new.report)),
            _ => Err(EngineError::NotTwoRuleSets(0)),
        }
    }
}

/// The main table of `plan`: the first with awards, or the first.
fn main_table(plan: &Plan) -> Option<TableId> {
    (0..plan.tables.len())
        .find(|&t| plan.awards.iter().any(|a| a.table == t))
        .or((!plan.tables.is_empty()).then_some(0))
}

/// Adds the list of table `t` (called `name`), which must not have one yet.
fn add(
    lists: &mut Vec<(TableId, ListSource)>,
    t: TableId,
    name: &str,
    source: ListSource,
) -> Result<(), EngineError> {
    if lists.iter().any(|(g, _)| *g == t) {
        return Err(EngineError::TableTwice {
            table: name.to_string(),
        });
    }
    // A list that is not there is named before anything is read from the
    // others (a missing join column would otherwise hide it).
    if let Some(path) = source.file()
        && let Err(e) = std::fs::metadata(path).and_then(|m| {
            if m.is_dir() {
                Err(std::io::Error::from(std::io::ErrorKind::IsADirectory))
            } else {
                Ok(())
            }
        })
    {
        return Err(EngineError::Data(crate::data::DataError::Io {
            path: source.name.clone(),
            message: crate::data::io_message(&e),
        }));
    }
    lists.push((t, source));
    Ok(())
}
