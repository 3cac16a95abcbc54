//! `tdkt fmt [--check] PATH...`: rewrites rule files in the one canonical
//! layout (see `crate::syntax::format`).
//!
//! Exit codes: 0 nothing to do or all rewritten, 1 `--check` found files to
//! rewrite, 2 a file could not be read, parsed or written.

use super::discover::rule_files;
use super::{Exit, emit};
use crate::diagnostic::render_all;
use crate::source::SourceMap;
use crate::syntax::format::format;
use clap::Args;
use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Args)]
pub struct FmtArgs {
    /// Chỉ kiểm tra, không ghi: liệt kê tệp cần trình bày lại (mã thoát 1 nếu có)
    #[arg(long)]
    pub check: bool,
    /// Tệp hoặc thư mục quy tắc (.tdkt); `-`: đọc đầu vào chuẩn, in ra đầu ra chuẩn
    #[arg(required = true, value_name = "ĐƯỜNG_DẪN")]
    pub paths: Vec<PathBuf>,
}

/// Name shown for standard input in messages.
const STDIN: &str = "<stdin>";

pub fn fmt(args: &FmtArgs, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    let mut run = Run {
        check: args.check,
        out,
        err,
        failed: false,
        changed: 0,
    };
    let mut seen = HashSet::new();
    for p in &args.paths {
        if p.as_os_str() == "-" {
            run.stdin();
            continue;
        }
        match rule_files(std::slice::from_ref(p)) {
            Ok(files) if files.is_empty() => run.error(&format!(
                "không có tệp quy tắc .tdkt nào trong `{}`",
                p.display()
            )),
            Ok(files) => {
                for f in files {
                    if seen.insert(f.clone()) {
                        run.file(&f);
                    }
                }
            }
            Err(msg) => run.error(&msg),
        }
    }
    if run.check && run.changed > 0 {
        run.error_line(&format!(
            "{} tệp cần trình bày lại; chạy `tdkt fmt` (không có `--check`) để ghi",
            run.changed
        ));
    }
    if run.failed {
        Exit::Error
    } else if run.check && run.changed > 0 {
        Exit::Fail
    } else {
        Exit::Pass
    }
}

struct Run<'a> {
    check: bool,
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
    failed: bool,
    /// Files (or stdin) whose text is not in the canonical layout.
    changed: usize,
}

impl Run<'_> {
    fn error(&mut self, msg: &str) {
        self.failed = true;
        self.error_line(msg);
    }

    fn error_line(&mut self, msg: &str) {
        let _ = writeln!(self.err, "{msg}");
    }

    fn say(&mut self, text: &str) {
        if !emit(self.out, text) {
            self.failed = true;
        }
    }

    fn stdin(&mut self) {
        let mut bytes = Vec::new();
        if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
            return self.error(&format!(
                "không đọc được đầu vào chuẩn: {}",
                crate::data::io_message(&e)
            ));
        }
        let Some((text, formatted)) = self.format(STDIN, &bytes) else {
            return;
        };
        if self.check {
            if let Some(line) = first_difference(&text, &formatted) {
                self.changed += 1;
                self.say(&format!("{STDIN}: khác từ dòng {line}\n"));
            }
        } else {
            self.say(&formatted);
        }
    }

    fn file(&mut self, path: &Path) {
        let shown = path.display().to_string();
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                return self.error(&format!(
                    "không đọc được `{shown}`: {}",
                    crate::data::io_message(&e)
                ));
            }
        };
        let Some((text, formatted)) = self.format(&shown, &bytes) else {
            return;
        };
        let Some(line) = first_difference(&text, &formatted) else {
            return;
        };
        self.changed += 1;
        if self.check {
            self.say(&format!("{shown}: khác từ dòng {line}\n"));
        } else if let Err(e) = write_atomically(path, &formatted) {
            self.error(&format!(
                "không ghi được `{shown}`: {}",
                crate::data::io_message(&e)
            ));
        } else {
            self.say(&format!("đã trình bày lại: {shown}\n"));
        }
    }

    /// The text as read and as formatted; `None` after reporting why not.
    fn format(&mut self, shown: &str, bytes: &[u8]) -> Option<(String, String)> {
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t.to_string(),
            Err(e) => {
                self.error(&format!(
                    "`{shown}` không phải văn bản UTF-8 (byte sai ở vị trí {}); hãy lưu lại tệp với mã hóa UTF-8",
                    e.valid_up_to()
                ));
                return None;
            }
        };
        match format(&text) {
            Ok(formatted) => Some((text, formatted)),
            Err(diags) => {
                // `format` reports against FileId(0) over the NFC text,
                // which is what a fresh map holds.
                let mut sources = SourceMap::default();
                sources.add(shown, &text);
                self.error_line(&render_all(&diags, &sources));
                self.error(&format!(
                    "`{shown}` có lỗi cú pháp: giữ nguyên, không trình bày lại"
                ));
                None
            }
        }
    }
}

/// 1-based number of the first line (with its line ending) that differs.
fn first_difference(old: &str, new: &str) -> Option<usize> {
    if old == new {
        return None;
    }
    let mut a = old.split_inclusive('\n');
    let mut b = new.split_inclusive('\n');
    let mut line = 1;
    while let (Some(x), Some(y)) = (a.next(), b.next()) {
        if x != y {
            return Some(line);
        }
        line += 1;
    }
    Some(line)
}

/// Writes beside the file, then renames over it: a reader (or a crash)
/// sees the old text or the new one, never half of it.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    // Through a symlink, replace the file it points to, not the link.
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tdkt-fmt", std::process::id()));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        if let Ok(meta) = std::fs::metadata(&target) {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        std::fs::rename(&tmp, &target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_difference_counts_line_endings() {
        assert_eq!(first_difference("a\nb\n", "a\nb\n"), None);
        assert_eq!(first_difference("a\r\nb\n", "a\nb\n"), Some(1));
        assert_eq!(first_difference("a\nb", "a\nb\n"), Some(2));
        assert_eq!(first_difference("a\nb\n\n", "a\nb\n"), Some(3));
    }
}
