//! The outcome of a list: keys sorted, duplicates found, groups listed.

use super::{RateTally, SEAL_APART, Tally, unpack};
use crate::data::DataIssue;
use crate::eval::{GroupResult, Keep, Outcome, Tri, rate};
use crate::semantic::model::{TableDef, Type};

impl<'p> Tally<'p> {
    /// The outcome, issues in row order (for one row: reading problems,
    /// then the evaluation's, as they were found). With `threads` > 1, a
    /// large list's keys are sorted on a second thread meanwhile.
    pub fn finish(mut self, threads: usize) -> Outcome {
        // The names are shared with the maps: free those first.
        self.judges.clear();
        let keys = std::mem::take(&mut self.keys);
        let unrecorded = keys.unrecorded();
        let (keys, repeats) = if threads > 1 && keys.len() >= SEAL_APART {
            std::thread::scope(|scope| {
                let sealing = scope.spawn(move || keys.seal());
                self.list_groups();
                sealing
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e))
            })
        } else {
            self.list_groups();
            keys.seal()
        };
        self.out.keys = keys;
        let tdef = self.tdef;
        let plan = self.plan;
        let label = |v: u16| {
            let col = self.proposal_col.and_then(|c| tdef.columns.get(c))?;
            match col.ty {
                Type::Enum(e) => plan.enums.get(e)?.values.get(usize::from(v)),
                _ => None,
            }
            .map(|v| v.label.as_str())
        };
        // A person's row for another proposal is no error, but where the
        // rule set counts people, it counts the person once more.
        let fed = self.out.linked.iter().any(|(_, found)| !found.is_empty());
        let counted_in: Vec<&str> = self
            .rates
            .iter()
            .zip(&self.counts_proposals)
            .filter(|(_, (num, den))| !(*num && *den))
            .map(|(&r, _)| self.plan.rates[r].label.as_str())
            .collect();
        self.out.issues.extend(repeats.iter().filter_map(|r| {
            let proposal = r.proposal.and_then(label);
            if r.same_proposal {
                Some(duplicate_key(tdef, &r.key, proposal, r.row, r.first))
            } else if fed || !counted_in.is_empty() {
                Some(counted_twice(
                    tdef,
                    &r.key,
                    r.row,
                    r.first,
                    &counted_in,
                    fed,
                ))
            } else {
                None
            }
        }));
        self.out
            .issues
            .extend(unrecorded.map(|row| keys_unchecked_from(tdef, row)));
        self.out.issues.sort_by_key(|i| i.row);
        self.out.warnings.sort_by_key(|i| i.row);
        crate::eval::ballot::settle(plan, &mut self.out);
        self.out
    }

    /// Each rate's groups as the outcome lists them.
    fn list_groups(&mut self) {
        for (i, &r) in self.rates.iter().enumerate() {
            let rate = &self.plan.rates[r];
            let RateTally { index, groups, log } = std::mem::take(&mut self.tallies[i]);
            drop(index);
            let verdicts: Vec<Tri> = groups
                .iter()
                .map(|(_, c)| rate::verdict(rate.op, rate.share, rate.rounding, *c))
                .collect();
            // What the report lists: every group, or only those that fail,
            // are unknown, or would change with the other rounding.
            let listed: Vec<bool> = groups
                .iter()
                .zip(&verdicts)
                .map(|((_, c), &v)| {
                    self.keep != Keep::NotPassing
                        || v != Tri::True
                        || rate::borderline(rate.op, rate.share, rate.rounding, *c, v).is_some()
                })
                .collect();
            let mut rows = group_rows(&log, &listed);
            drop(log);
            for (slot, ((group, counts), verdict)) in groups.into_iter().zip(verdicts).enumerate() {
                let (numerator_rows, denominator_rows, unknown_rows) =
                    std::mem::take(&mut rows[slot]);
                self.out.groups.push(GroupResult {
                    rate: r,
                    group: group.to_string(),
                    verdict,
                    counts,
                    numerator_rows,
                    denominator_rows,
                    unknown_rows,
                });
            }
        }
    }
}

/// Per group: its numerator, denominator and unknown rows from `log`, for
/// the `listed` groups only (each list made at its size at once).
pub(super) fn group_rows(
    log: &[(u32, u32)],
    listed: &[bool],
) -> Vec<(Vec<u32>, Vec<u32>, Vec<u32>)> {
    let mut sizes = vec![[0usize; 3]; listed.len()];
    let sides = |word: u32| {
        let (slot, num, den) = unpack(word);
        let unknown = num == Tri::Unknown || den == Tri::Unknown;
        (slot, [num == Tri::True, den == Tri::True, unknown])
    };
    for &(word, _) in log {
        let (slot, on) = sides(word);
        if listed[slot] {
            for (n, on) in sizes[slot].iter_mut().zip(on) {
                *n += usize::from(on);
            }
        }
    }
    let mut rows: Vec<(Vec<u32>, Vec<u32>, Vec<u32>)> = sizes
        .iter()
        .map(|&[n, d, u]| {
            (
                Vec::with_capacity(n),
                Vec::with_capacity(d),
                Vec::with_capacity(u),
            )
        })
        .collect();
    for &(word, row) in log {
        let (slot, [num, den, unknown]) = sides(word);
        if listed[slot] {
            let (n, d, u) = &mut rows[slot];
            [(num, n), (den, d), (unknown, u)]
                .into_iter()
                .filter(|(on, _)| *on)
                .for_each(|(_, list)| list.push(row));
        }
    }
    rows
}

/// A key already seen on row `first`.
fn duplicate_key(
    tdef: &TableDef,
    key: &str,
    proposal: Option<&str>,
    row: u64,
    first: u64,
) -> DataIssue {
    match proposal {
        Some(p) => key_issue(
            tdef,
            row,
            key,
            if row == first {
                format!("«{key}» được đề nghị «{p}» hai lần trong cùng một ô")
            } else {
                format!("«{key}» được đề nghị «{p}» hai lần: dòng {first} và dòng này")
            },
            "mỗi người một đề nghị cho mỗi danh hiệu, hình thức",
        ),
        None => key_issue(
            tdef,
            row,
            key,
            format!("mã «{key}» trùng với dòng {first}"),
            "mỗi dòng một mã riêng; một người được đề nghị nhiều danh hiệu, hình thức \
             thì mỗi dòng một đề nghị khác nhau",
        ),
    }
}

/// A person on a second row, for another proposal, where the rule set
/// counts people: the count takes the person twice.
fn counted_twice(
    tdef: &TableDef,
    key: &str,
    row: u64,
    first: u64,
    rates: &[&str],
    members: bool,
) -> DataIssue {
    let mut counts: Vec<String> = rates.iter().map(|r| format!("«{r}»")).collect();
    if members {
        counts.push("số thành viên của tập thể".to_string());
    }
    key_issue(
        tdef,
        row,
        key,
        format!(
            "«{key}» cũng có ở dòng {first} (đề nghị khác): khi đếm số người ({}), \
             người này được đếm hai lần",
            counts.join(", ")
        ),
        "các đề nghị của một người ghi trong cùng một ô, ví dụ «CSTĐCS; Giấy khen»",
    )
}

/// The keys of `row` and after were not checked for repeats: the list is
/// past what one check records (4 GiB of keys or 4 billion rows).
fn keys_unchecked_from(tdef: &TableDef, row: u64) -> DataIssue {
    key_issue(
        tdef,
        row,
        "",
        "từ dòng này, mã không được dò trùng: danh sách vượt quá \
         4 GiB mã hoặc 4 tỷ dòng trong một lần kiểm tra"
            .into(),
        "danh sách nhỏ hơn: chia thành nhiều tệp",
    )
}

/// A problem with the key column's cell `value` on `row`.
fn key_issue(tdef: &TableDef, row: u64, value: &str, message: String, expected: &str) -> DataIssue {
    let col = tdef.key.map(|k| &tdef.columns[k]);
    DataIssue {
        letter: String::new(),
        table: String::new(),
        row,
        column: col.map_or_else(String::new, |c| c.id.clone()),
        header: col.map_or_else(String::new, |c| c.header.clone()),
        value: value.to_string(),
        message,
        expected: expected.into(),
    }
}
