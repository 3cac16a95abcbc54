//! The shipped rule sets as the generated documentation reads them: every
//! rule-set directory under `rules/` and `examples/du-thao/`, loaded.

use std::path::{Path, PathBuf};
use tdkt::semantic::model::{Plan, Type, Value};
use tdkt::semantic::{self, Origin, RuleSet};

/// Where the shipped rule sets live.
pub const ROOTS: [&str; 2] = ["rules", "examples/du-thao"];

/// Rule-set directories under `root`: those holding `.tdkt` files, sorted.
fn rule_sets(root: &Path, out: &mut Vec<PathBuf>) {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let has_rules = std::fs::read_dir(&dir)
            .unwrap()
            .any(|e| e.unwrap().path().extension().is_some_and(|x| x == "tdkt"));
        if has_rules {
            out.push(dir);
        } else {
            rule_sets(&dir, out);
        }
    }
}

/// Every shipped rule set, loaded, with its directory.
pub fn load_all() -> Vec<(PathBuf, RuleSet)> {
    let mut sets = Vec::new();
    for root in ROOTS {
        rule_sets(Path::new(root), &mut sets);
    }
    assert!(sets.len() >= 3, "shipped rule sets not found: {sets:?}");
    sets.into_iter()
        .map(|dir| {
            let rules = semantic::load(std::slice::from_ref(&dir), Origin::Disk, &[])
                .unwrap_or_else(|e| panic!("{e}"));
            (dir, rules)
        })
        .collect()
}

/// A value of a parameter or a default as the rule file writes it.
pub fn value_text(plan: &Plan, v: &Value, ty: Type) -> String {
    match (v, ty) {
        (Value::Enum(i), Type::Enum(e)) => plan.enums[e].values[*i as usize].code.clone(),
        (Value::Int(i), _) => i.to_string(),
        (Value::Decimal(d), Type::Percent) => format!("{}%", d.normalize()),
        (Value::Decimal(d), _) => d.normalize().to_string(),
        (Value::Bool(b), _) => b.to_string(),
        (Value::Text(t), _) => format!("\"{t}\""),
        (Value::Rounding(r), _) => r.keyword().to_string(),
        (other, _) => format!("{other:?}"),
    }
}
