//! A loaded rule set, as the engine takes it.

use super::EngineError;
use super::period::{self, Chosen, REGIMES};
use crate::data::{ListSource, TableReader};
use crate::semantic::{self, Origin, Override, RuleSet};
use std::path::PathBuf;
use std::sync::Arc;

/// A rule set ready to check lists: loaded, merged over its bases,
/// resolved and with its parameters overridden.
#[derive(Debug, Clone)]
pub struct Rules {
    /// Shared: a rule set loaded once (see [`Shipped`]) is handed to many
    /// checks without copying.
    set: Arc<RuleSet>,
    /// How an embedded regime was chosen (None: named by the caller).
    chosen: Option<Chosen>,
}

impl Rules {
    /// The rule set shipped with the engine (Luật Thi đua, khen thưởng 2022).
    /// Named: no warning is given for a list outside its period, as it is
    /// not chosen for one (see [`Rules::embedded_for_year`]).
    pub fn embedded(overrides: &[Override]) -> Result<Rules, EngineError> {
        Ok(semantic::load_default(overrides)?.into())
    }

    /// The shipped regime whose period (`effective … until …`) holds the
    /// review year `year`; the default (Luật 2022) when `year` is None or
    /// no shipped regime holds it. The report says which and why.
    pub fn embedded_for_year(
        year: Option<i32>,
        overrides: &[Override],
    ) -> Result<Rules, EngineError> {
        let mut sets = Vec::with_capacity(REGIMES.len());
        for dir in REGIMES {
            sets.push(Rules::from(semantic::load(
                &[PathBuf::from(dir)],
                Origin::Embedded,
                overrides,
            )?));
        }
        match for_year_among(&sets, year) {
            Some(r) => Ok(r),
            None => Ok(Rules {
                chosen: Some(Chosen {
                    year,
                    by_year: false,
                }),
                ..Rules::embedded(overrides)?
            }),
        }
    }

    /// The review year of `list` as the main table of the shipped default
    /// rule set reads it (see [`Rules::review_year`]): what to give
    /// [`Rules::embedded_for_year`].
    pub fn list_year(list: &ListSource) -> Result<Option<i32>, EngineError> {
        Rules::embedded(&[])?.review_year(list)
    }

    /// The review year of `list` read as table `table` of the shipped default
    /// rule set (a collective list given as `--table tap_the=…`, say): None
    /// when there is no such table, or it has no year column, or the list no
    /// year.
    pub fn table_year(table: &str, list: &ListSource) -> Result<Option<i32>, EngineError> {
        let rules = Rules::embedded(&[])?;
        let plan = &rules.set.plan;
        match plan.table(table) {
            Some(t) => period::review_year(plan, t, list),
            None => Ok(None),
        }
    }

    /// The review year of `list` read as this rule set's main table: the
    /// year most of its first rows carry in the table's year column (such
    /// as «Năm xét»); None when there is no such column or year.
    pub fn review_year(&self, list: &ListSource) -> Result<Option<i32>, EngineError> {
        let plan = &self.set.plan;
        match super::main_table(plan) {
            Some(t) => period::review_year(plan, t, list),
            None => Ok(None),
        }
    }

    fn from_regime_dir(dir: &str) -> Result<Rules, EngineError> {
        Ok(semantic::load(&[PathBuf::from(dir)], Origin::Embedded, &[])?.into())
    }

    /// How an embedded regime was chosen (None: named by the caller).
    pub fn chosen(&self) -> Option<Chosen> {
        self.chosen
    }

    /// Rule files and directories on disk (a directory's `*.tdkt` files
    /// form one layer), following `extends`.
    pub fn load(paths: &[PathBuf], overrides: &[Override]) -> Result<Rules, EngineError> {
        Ok(semantic::load(paths, Origin::Disk, overrides)?.into())
    }

    /// Rule text held in memory, as one layer; `name` is shown in messages.
    pub fn from_text(name: &str, text: &str, overrides: &[Override]) -> Result<Rules, EngineError> {
        Ok(semantic::load_text(name, text, overrides)?.into())
    }

    /// Rule files held in memory (name, text), such as files uploaded to a
    /// page: one layer over the shipped rule sets their `extends` name.
    /// Nothing is read from the disk, whatever the names say.
    pub fn from_memory(
        files: &[(String, String)],
        overrides: &[Override],
    ) -> Result<Rules, EngineError> {
        Ok(semantic::load_memory(files, overrides)?.into())
    }

    /// A shipped rule set or overlay by its name in [`Rules::shipped_names`]
    /// (`luat-2022`, `dia-phuong/cstdcs-15-luat-2022`); None for another name.
    pub fn shipped(name: &str, overrides: &[Override]) -> Option<Result<Rules, EngineError>> {
        if !Rules::shipped_names().iter().any(|n| n == name) {
            return None;
        }
        let path = PathBuf::from("rules").join(name);
        Some(
            semantic::load(&[path], Origin::Embedded, overrides)
                .map(Rules::from)
                .map_err(EngineError::from),
        )
    }

    /// The names of the shipped rule sets and overlays, as `extends` and
    /// [`Rules::shipped`] take them.
    pub fn shipped_names() -> Vec<String> {
        semantic::shipped_regimes()
    }

    /// The table whose columns `list`'s headers match best: the one with the
    /// most columns found among those the list opens as; None when it opens
    /// as none (the check will then say why).
    pub fn guess_table(&self, list: &ListSource) -> Option<String> {
        let plan = &self.set.plan;
        plan.tables
            .iter()
            .filter_map(|t| {
                let reader = TableReader::open_source(list, t, &plan.enums).ok()?;
                let found = (0..t.columns.len())
                    .filter(|&c| reader.has_column(c))
                    .count();
                Some((found, t))
            })
            .filter(|(found, _)| *found > 0)
            // The first table wins a tie: the main table comes first.
            .rev()
            .max_by_key(|(found, _)| *found)
            .map(|(_, t)| t.id.clone())
    }

    /// The rule set: its plan, files and sources.
    pub fn rule_set(&self) -> &RuleSet {
        &self.set
    }

    /// The rule set, owned.
    pub fn into_rule_set(self) -> RuleSet {
        Arc::try_unwrap(self.set).unwrap_or_else(|shared| (*shared).clone())
    }
}

impl From<RuleSet> for Rules {
    fn from(set: RuleSet) -> Rules {
        Rules {
            set: Arc::new(set),
            chosen: None,
        }
    }
}

/// The regime of `sets` (loaded from [`REGIMES`], in its order) whose
/// period holds `year`, else the default's; None when `sets` lacks both.
fn for_year_among(sets: &[Rules], year: Option<i32>) -> Option<Rules> {
    let plans: Vec<_> = sets.iter().map(|s| &s.set.plan).collect();
    let picked = period::pick(&plans, year);
    let default = REGIMES.iter().position(|d| *d == semantic::DEFAULT_RULES);
    let set = sets.get(picked.or(default)?)?.set.clone();
    Some(Rules {
        set,
        chosen: Some(Chosen {
            year,
            by_year: picked.is_some(),
        }),
    })
}

/// Every shipped rule set and overlay, loaded once without overrides: for
/// a caller that checks many lists under them (a server), which then
/// neither reads nor resolves rule text per check. The rule sets are
/// immutable; a check with changed parameters loads its own.
#[derive(Debug, Clone)]
pub struct Shipped {
    /// By name, as [`Rules::shipped_names`] lists them.
    named: Vec<(String, Rules)>,
    /// [`REGIMES`], in its order.
    regimes: Vec<Rules>,
    default: Rules,
}

impl Shipped {
    pub fn load() -> Result<Shipped, EngineError> {
        let mut named = Vec::new();
        for name in Rules::shipped_names() {
            if let Some(r) = Rules::shipped(&name, &[]) {
                named.push((name, r?));
            }
        }
        let regimes = REGIMES
            .iter()
            .map(|dir| {
                let name = dir.trim_start_matches("rules/");
                match named.iter().find(|(n, _)| n == name) {
                    Some((_, r)) => Ok(r.clone()),
                    None => Rules::from_regime_dir(dir),
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Shipped {
            named,
            regimes,
            default: Rules::embedded(&[])?,
        })
    }

    /// The shipped default (as [`Rules::embedded`] without overrides).
    pub fn default_rules(&self) -> &Rules {
        &self.default
    }

    /// As [`Rules::shipped`] without overrides.
    pub fn named(&self, name: &str) -> Option<&Rules> {
        self.named.iter().find(|(n, _)| n == name).map(|(_, r)| r)
    }

    /// As [`Rules::embedded_for_year`] without overrides.
    pub fn for_year(&self, year: Option<i32>) -> Rules {
        for_year_among(&self.regimes, year).unwrap_or_else(|| Rules {
            chosen: Some(Chosen {
                year,
                by_year: false,
            }),
            ..self.default.clone()
        })
    }
}
