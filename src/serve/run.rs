//! A check asked by the page: the rule set chosen as `tdkt check` chooses
//! it, the uploaded lists given to the engine from memory. Blocking: called
//! off the async runtime's threads.

use super::state::{Config, Done, Simulated};
use crate::engine::{Check, ListSource, Override, Rules, Shipped};
use crate::report::listing::{Listing, checked_at};

/// The regime field's value for the rule set named on the server's command
/// line (`tdkt serve --rules …`).
pub const SERVER_RULES: &str = "may-chu";

/// One uploaded list.
pub struct Upload {
    /// The file's name as uploaded, cleaned (see [`clean_name`]).
    pub name: String,
    pub bytes: Vec<u8>,
    /// The table chosen on the page; None: guessed from its headers.
    pub table: Option<String>,
}

/// What the page asks for.
#[derive(Default)]
pub struct Asked {
    pub lists: Vec<Upload>,
    /// "" (by the list's review year), [`SERVER_RULES`], or a shipped
    /// rule set's name.
    pub regime: String,
    /// Uploaded rule files (name, text): used instead of `regime`.
    pub overlays: Vec<(String, String)>,
    pub set: Vec<Override>,
}

/// The last part of an uploaded file's name, without control characters
/// and at most 120 characters: a label, never a path.
pub fn clean_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let name: String = last.chars().filter(|c| !c.is_control()).take(120).collect();
    let name = name.trim();
    if name.is_empty() {
        "danh-sach".to_string()
    } else {
        name.to_string()
    }
}

const LIST_EXTENSIONS: &[&str] = &["xlsx", "xls", "ods", "csv"];

fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_lowercase())
        .unwrap_or_default()
}

/// The rule set the page asked for, and how it was chosen, in words.
/// Without changed parameters, a shipped rule set is the one loaded when
/// the server started ([`Shipped`]).
fn rules_for(
    config: &Config,
    shipped: &Shipped,
    asked: &Asked,
    main: Option<&ListSource>,
) -> Result<(Rules, String), String> {
    if !asked.overlays.is_empty() {
        let names: Vec<&str> = asked.overlays.iter().map(|(n, _)| n.as_str()).collect();
        let rules = Rules::from_memory(&asked.overlays, &asked.set).map_err(|e| e.to_string())?;
        return Ok((rules, format!("tệp quy tắc tải lên: {}", names.join(", "))));
    }
    let fresh = !asked.set.is_empty();
    match asked.regime.as_str() {
        "" => {
            let year = match main {
                // As `Rules::list_year`, with the default already loaded.
                Some(list) => shipped
                    .default_rules()
                    .review_year(list)
                    .map_err(|e| e.to_string())?,
                None => None,
            };
            let rules = if fresh {
                Rules::embedded_for_year(year, &asked.set).map_err(|e| e.to_string())?
            } else {
                shipped.for_year(year)
            };
            Ok((rules, "chọn theo năm xét của danh sách".to_string()))
        }
        SERVER_RULES if !config.rules.is_empty() => {
            let rules = Rules::load(&config.rules, &asked.set).map_err(|e| e.to_string())?;
            Ok((rules, "bộ quy tắc của máy chủ".to_string()))
        }
        name => {
            let rules = match shipped.named(name) {
                Some(_) if fresh => Rules::shipped(name, &asked.set),
                Some(r) => Some(Ok(r.clone())),
                None => None,
            };
            match rules {
                Some(r) => Ok((
                    r.map_err(|e| e.to_string())?,
                    format!("bộ quy tắc kèm theo «{name}»"),
                )),
                None => Err(format!(
                    "Không có bộ quy tắc «{name}». Các bộ kèm theo: {}",
                    Rules::shipped_names().join(", ")
                )),
            }
        }
    }
}

/// The uploaded lists, as the engine reads them from memory: each named
/// once and with a list's extension.
pub(super) fn sources(asked: &mut Asked) -> Result<Vec<ListSource>, String> {
    if asked.lists.is_empty() {
        return Err("Chưa chọn danh sách nào: hãy chọn tệp danh sách đề nghị (.xlsx, .xls, .ods hoặc .csv).".into());
    }
    // Two uploads of one name would be one list to the report: the second
    // is renamed.
    let mut seen: Vec<String> = Vec::new();
    for u in &mut asked.lists {
        if !LIST_EXTENSIONS.contains(&extension(&u.name).as_str()) {
            return Err(format!(
                "Tệp «{}» không phải danh sách: tdkt đọc tệp .xlsx, .xls, .ods hoặc .csv.",
                u.name
            ));
        }
        let mut name = u.name.clone();
        let mut n = 2;
        while seen.contains(&name) {
            name = format!("({n}) {}", u.name);
            n += 1;
        }
        seen.push(name.clone());
        u.name = name;
    }
    Ok(asked
        .lists
        .iter()
        .map(|u| ListSource::bytes(u.name.clone(), u.bytes.clone()))
        .collect())
}

/// The main list, which gives the review year: the first one the shipped
/// default reads as its main table, or the first.
fn main_list<'s>(
    shipped: &Shipped,
    asked: &Asked,
    sources: &'s [ListSource],
) -> Option<&'s ListSource> {
    let default = shipped.default_rules();
    let main_id = default.rule_set().plan.tables.first().map(|t| t.id.clone());
    asked
        .lists
        .iter()
        .zip(sources)
        .find(|(u, s)| {
            let table = u.table.clone().or_else(|| default.guess_table(s));
            table.is_some() && table == main_id
        })
        .map(|(_, s)| s)
        .or(sources.first())
}

/// Gives `check` every upload, as the table chosen on the page or the one
/// `rules` guesses from its headers.
fn with_tables<'a>(
    mut check: Check<'a>,
    rules: &Rules,
    asked: &Asked,
    sources: &[ListSource],
) -> Result<Check<'a>, String> {
    let plan = &rules.rule_set().plan;
    for (u, s) in asked.lists.iter().zip(sources) {
        let table = u
            .table
            .clone()
            .or_else(|| rules.guess_table(s))
            .or_else(|| plan.tables.first().map(|t| t.id.clone()))
            .ok_or("Bộ quy tắc không có bảng nào.")?;
        check = check
            .table(&table, s.clone())
            .map_err(|e| format!("Tệp «{}»: {e}", u.name))?;
    }
    Ok(check)
}

/// Runs the check the page asked for.
pub fn check(config: &Config, shipped: &Shipped, mut asked: Asked) -> Result<Done, String> {
    let sources = sources(&mut asked)?;
    let main = main_list(shipped, &asked, &sources);
    let (rules, regime) = rules_for(config, shipped, &asked, main)?;
    let check = with_tables(Check::new(&rules), &rules, &asked, &sources)?;
    let report = check.run().map_err(|e| e.to_string())?.report;
    // Every list of the report is one of the uploads: the listing reads
    // them again from memory, never from a path.
    if let Some(i) = report
        .inputs
        .iter()
        .find(|i| !sources.iter().any(|s| s.name == i.path))
    {
        return Err(format!("Không tìm thấy danh sách «{}» đã tải lên.", i.path));
    }
    let plan = &rules.rule_set().plan;
    let listing = Listing::new(&report, plan, &sources, checked_at()).map_err(|e| e.to_string())?;
    Ok(Done {
        report,
        listing,
        rules,
        regime,
    })
}

/// Runs the simulation the page asked for: the same lists under the base
/// regime and under the new standard (the uploaded overlay, and/or the
/// base with changed parameters), compared by the library as `tdkt diff`
/// compares them.
pub fn simulate(config: &Config, shipped: &Shipped, mut asked: Asked) -> Result<Simulated, String> {
    if asked.overlays.is_empty() && asked.set.is_empty() {
        return Err("Chưa có tiêu chuẩn mới: hãy tải lên tệp quy tắc dự thảo (.tdkt) hoặc đổi ít nhất một tham số.".into());
    }
    let sources = sources(&mut asked)?;
    let main = main_list(shipped, &asked, &sources);
    let base_asked = Asked {
        regime: asked.regime.clone(),
        ..Asked::default()
    };
    let (base, base_regime) = rules_for(config, shipped, &base_asked, main)?;
    let new_asked = Asked {
        regime: asked.regime.clone(),
        overlays: std::mem::take(&mut asked.overlays),
        set: std::mem::take(&mut asked.set),
        lists: Vec::new(),
    };
    let (new, new_regime) = rules_for(config, shipped, &new_asked, main)?;
    let check = with_tables(Check::each(&[&base, &new]), &base, &asked, &sources)?;
    let names: Vec<&str> = asked.lists.iter().map(|u| u.name.as_str()).collect();
    let diff = check
        .run_diff(&names.join(", "))
        .map_err(|e| e.to_string())?;
    let set: Vec<String> = new_asked
        .set
        .iter()
        .map(|o| format!("{}={}", o.name, o.value))
        .collect();
    let new_name = if set.is_empty() {
        new.rule_set().plan.name.clone()
    } else {
        format!(
            "{} (đổi tham số: {})",
            new.rule_set().plan.name,
            set.join(", ")
        )
    };
    Ok(Simulated {
        diff,
        base_name: base.rule_set().plan.name.clone(),
        base_regime,
        new_name,
        new_regime,
    })
}
