//! What the server holds: its configuration and the last results, in memory.

use super::pages::{FormChoices, TableChoice};
use crate::engine::{Rules, Shipped};
use crate::report::Report;
use crate::report::diff::ListDiff;
use crate::report::listing::Listing;
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Results kept for their downloads; the oldest is dropped past this.
pub const KEPT_RESULTS: usize = 20;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    /// Rule files or directories on the server's disk, named by whoever
    /// started it (never by a request); empty: the shipped regimes.
    pub rules: Vec<PathBuf>,
    /// The shared secret asked once by the page; required off loopback.
    pub token: Option<String>,
    /// Bytes a request may carry.
    pub max_upload: usize,
    /// Files a check may upload (lists and rule files together).
    pub max_files: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            rules: Vec::new(),
            token: None,
            max_upload: 50 << 20,
            max_files: 16,
        }
    }
}

/// A finished check, kept for its page and downloads.
pub struct Done {
    pub report: Report,
    pub listing: Listing,
    pub rules: Rules,
    /// How the rule set was chosen, in words.
    pub regime: String,
}

/// A finished simulation (base regime against a new standard), kept for
/// its page and download.
pub struct Simulated {
    pub diff: ListDiff,
    pub base_name: String,
    /// How the base rule set was chosen, in words.
    pub base_regime: String,
    /// The new rule set's name, with the parameters changed.
    pub new_name: String,
    pub new_regime: String,
}

/// The last results of one kind, each under a random id.
struct Kept<T>(Mutex<VecDeque<(String, Arc<T>)>>);

impl<T> Kept<T> {
    fn new() -> Kept<T> {
        Kept(Mutex::new(VecDeque::new()))
    }

    /// Keeps `item` under a new random id, dropping the oldest past
    /// [`KEPT_RESULTS`].
    fn keep(&self, item: T) -> Result<String, String> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes)
            .map_err(|e| format!("Không tạo được mã kết quả ngẫu nhiên: {e}"))?;
        let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        kept.push_back((id.clone(), Arc::new(item)));
        while kept.len() > KEPT_RESULTS {
            kept.pop_front();
        }
        Ok(id)
    }

    fn get(&self, id: &str) -> Option<Arc<T>> {
        let kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        kept.iter().find(|(k, _)| k == id).map(|(_, d)| d.clone())
    }
}

/// The server's state.
pub struct State {
    pub config: Config,
    /// The shipped rule sets, loaded once: a check without changed
    /// parameters neither reads nor resolves rule text.
    pub shipped: Shipped,
    /// What the form offers, from the shipped default rule set (or the
    /// server's own).
    pub choices: FormChoices,
    results: Kept<Done>,
    simulations: Kept<Simulated>,
}

impl State {
    /// The state of a server; the rule set of `--rules`, when given, must
    /// load (its error is the command line's).
    pub fn new(config: Config) -> Result<State, String> {
        let shipped = Shipped::load().map_err(|e| e.to_string())?;
        let rules = if config.rules.is_empty() {
            shipped.default_rules().clone()
        } else {
            Rules::load(&config.rules, &[]).map_err(|e| e.to_string())?
        };
        let plan = &rules.rule_set().plan;
        let mut choices = FormChoices {
            tables: plan
                .tables
                .iter()
                .map(|t| TableChoice {
                    id: t.id.clone(),
                    label: t.label.clone(),
                })
                .collect(),
            shipped: Rules::shipped_names(),
            server_rules: !config.rules.is_empty(),
            params: crate::report::rules_view::build(rules.rule_set()),
            other_params: Vec::new(),
        };
        for name in &choices.shipped {
            let Some(r) = shipped.named(name) else {
                continue;
            };
            for p in crate::report::rules_view::build(r.rule_set()).params {
                let known = choices.params.params.iter().any(|q| q.id == p.id)
                    || choices.other_params.iter().any(|(_, q)| q.id == p.id);
                if !known {
                    choices.other_params.push((name.clone(), p));
                }
            }
        }
        Ok(State {
            config,
            shipped,
            choices,
            results: Kept::new(),
            simulations: Kept::new(),
        })
    }

    /// Keeps `done` under a new random id, dropping the oldest result past
    /// [`KEPT_RESULTS`].
    pub fn keep(&self, done: Done) -> Result<String, String> {
        self.results.keep(done)
    }

    /// The result kept under `id`.
    pub fn result(&self, id: &str) -> Option<Arc<Done>> {
        self.results.get(id)
    }

    /// Keeps a simulation, as [`State::keep`] a result.
    pub fn keep_simulation(&self, s: Simulated) -> Result<String, String> {
        self.simulations.keep(s)
    }

    /// The simulation kept under `id`.
    pub fn simulation(&self, id: &str) -> Option<Arc<Simulated>> {
        self.simulations.get(id)
    }
}

/// Whether `a` equals `b`, in a time that does not depend on where they
/// differ (a guessed token learns nothing from the answer's delay).
pub fn same_secret(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
