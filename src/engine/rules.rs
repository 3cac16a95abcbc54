//! A loaded rule set, as the engine takes it.

use super::EngineError;
use crate::semantic::{self, Origin, Override, RuleSet};
use std::path::PathBuf;

/// A rule set ready to check lists: loaded, merged over its bases,
/// resolved and with its parameters overridden.
#[derive(Debug, Clone)]
pub struct Rules {
    set: RuleSet,
}

impl Rules {
    /// The rule set shipped with the engine (Luật Thi đua, khen thưởng 2022).
    pub fn embedded(overrides: &[Override]) -> Result<Rules, EngineError> {
        Ok(Rules {
            set: semantic::load_default(overrides)?,
        })
    }

    /// Rule files and directories on disk (a directory's `*.tdkt` files
    /// form one layer), following `extends`.
    pub fn load(paths: &[PathBuf], overrides: &[Override]) -> Result<Rules, EngineError> {
        Ok(Rules {
            set: semantic::load(paths, Origin::Disk, overrides)?,
        })
    }

    /// Rule text held in memory, as one layer; `name` is shown in messages.
    pub fn from_text(name: &str, text: &str, overrides: &[Override]) -> Result<Rules, EngineError> {
        Ok(Rules {
            set: semantic::load_text(name, text, overrides)?,
        })
    }

    /// The rule set: its plan, files and sources.
    pub fn rule_set(&self) -> &RuleSet {
        &self.set
    }

    /// The rule set, owned.
    pub fn into_rule_set(self) -> RuleSet {
        self.set
    }
}

impl From<RuleSet> for Rules {
    fn from(set: RuleSet) -> Rules {
        Rules { set }
    }
}
