//! Finding rule files and rule sets under the paths given to `lint`, `fmt`
//! and `test`. A directory that holds `.tdkt` files directly is one rule
//! set (one layer); a `.tdkt` file named on the command line is one too.

use std::path::{Path, PathBuf};

/// Every `.tdkt` file under `paths`, sorted, each once.
pub fn rule_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    gather(paths, |f| Some(f.to_path_buf()))
}

/// The rule sets under `paths`: each directory holding `.tdkt` files, and
/// each `.tdkt` file named directly. Sorted, each once.
pub fn rule_sets(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let out = gather(paths, |f| f.parent().map(Path::to_path_buf))?;
    if out.is_empty() {
        return Err("không có tệp quy tắc .tdkt nào trong các đường dẫn đã cho".to_string());
    }
    Ok(out)
}

/// What `pick` makes of each rule file found under a directory, and each
/// file named directly, sorted and deduplicated.
fn gather(paths: &[PathBuf], pick: fn(&Path) -> Option<PathBuf>) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut |f| out.extend(pick(f)))?;
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            return Err(format!(
                "không tìm thấy tệp hay thư mục quy tắc `{}`",
                p.display()
            ));
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn walk(dir: &Path, found: &mut dyn FnMut(&Path)) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        format!(
            "không đọc được `{}`: {}",
            dir.display(),
            crate::data::io_message(&e)
        )
    })?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(&p, found)?;
        } else if p.extension().is_some_and(|x| x == "tdkt") {
            found(&p);
        }
    }
    Ok(())
}

/// Runs `f` on every rule set, on all cores, keeping the sets' order: each
/// set loads and runs on its own; a free thread takes the next set.
pub fn each_set<T: Send>(sets: &[PathBuf], f: impl Fn(&PathBuf) -> T + Sync) -> Vec<T> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, T)>> = Mutex::new(Vec::with_capacity(sets.len()));
    std::thread::scope(|scope| {
        for _ in 0..threads.min(sets.len()) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(set) = sets.get(i) else { break };
                    let out = f(set);
                    if let Ok(mut d) = done.lock() {
                        d.push((i, out));
                    }
                }
            });
        }
    });
    let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, t)| t).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_directory_with_rule_files_is_a_set() {
        let sets = rule_sets(&[PathBuf::from("rules")]).unwrap();
        let shown: Vec<String> = sets.iter().map(|p| p.display().to_string()).collect();
        assert_eq!(
            shown,
            [
                "rules/dia-phuong/co-thi-dua-ttldxs",
                "rules/dia-phuong/cstdcs-15-luat-2022",
                "rules/dia-phuong/dang-ky-thi-dua",
                "rules/dia-phuong/khong-lanh-dao-50",
                "rules/dia-phuong/sang-kien-mot-lan",
                "rules/luat-2022",
                "rules/nd-91-2017"
            ]
        );
    }

    #[test]
    fn a_missing_path_is_an_error() {
        assert!(rule_files(&[PathBuf::from("khong-co")]).is_err());
    }
}
