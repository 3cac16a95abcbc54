//! Semantic pass: load rule files (with `extends`), merge them, resolve
//! names and types, and lower everything to a [`Plan`].

mod columns;
mod describe;
mod merge;
pub mod model;
mod resolve;
mod suggest;

pub use describe::cond as describe_cond;
pub use resolve::{Override, date_days, type_name};

use crate::diagnostic::{Diagnostic, render_all};
use crate::source::{FileId, SourceMap};
use crate::syntax::{self, ast};
use merge::LayeredFile;
use model::Plan;
use sha2::{Digest, Sha256};
use std::fmt;
use std::path::{Component, Path, PathBuf};

/// The rule set shipped in `rules/`, embedded in the binary.
pub const DEFAULT_RULES: &str = "rules/luat-2022";

include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// A loaded, checked rule set.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub plan: Plan,
    pub sources: SourceMap,
    pub files: Vec<RuleFile>,
    pub examples: Vec<ast::ExampleDecl>,
    /// The merged declarations (examples moved to `examples`), for the linter.
    pub ast: ast::File,
    /// Files of the top layer: the rule set named, not its bases.
    pub top_files: Vec<FileId>,
    /// Findings of the merge that are not errors (overlay lints).
    pub notes: Vec<Diagnostic>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct RuleFile {
    pub path: String,
    pub sha256: String,
}

#[derive(Debug)]
pub enum LoadError {
    Io {
        path: String,
        message: String,
    },
    Rules {
        sources: SourceMap,
        diagnostics: Vec<Diagnostic>,
    },
    Overrides(Vec<String>),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Io { path, message } => {
                write!(f, "không đọc được tệp quy tắc `{path}`: {message}")
            }
            LoadError::Rules {
                sources,
                diagnostics,
            } => {
                write!(f, "{}", render_all(diagnostics, sources))?;
                let n = diagnostics.len();
                write!(f, "\nbộ quy tắc có {n} lỗi; chưa kiểm tra danh sách nào")
            }
            LoadError::Overrides(list) => write!(f, "{}", list.join("\n")),
        }
    }
}

impl std::error::Error for LoadError {}

/// Where rule files come from: the disk, or the copy embedded in the binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Disk,
    Embedded,
    /// Uploaded text: never read from the disk; its `extends` may name only
    /// a shipped rule set.
    Memory,
}

/// Loads rule files and directories (a directory's `*.tdkt` files form one
/// layer), following `extends`.
pub fn load(
    paths: &[PathBuf],
    origin: Origin,
    overrides: &[Override],
) -> Result<RuleSet, LoadError> {
    let mut loader = Loader {
        origin,
        sources: SourceMap::default(),
        files: Vec::new(),
        loaded: Vec::new(),
        errors: Vec::new(),
    };
    for p in paths {
        loader.layer(&normalize(p), &mut Vec::new())?;
    }
    finish(loader, overrides)
}

/// The default rule set, from the binary.
pub fn load_default(overrides: &[Override]) -> Result<RuleSet, LoadError> {
    load(&[PathBuf::from(DEFAULT_RULES)], Origin::Embedded, overrides)
}

/// Loads rule text given in memory, as one layer (for tests and tools).
pub fn load_text(path: &str, text: &str, overrides: &[Override]) -> Result<RuleSet, LoadError> {
    let mut loader = Loader {
        origin: Origin::Disk,
        sources: SourceMap::default(),
        files: Vec::new(),
        loaded: Vec::new(),
        errors: Vec::new(),
    };
    loader.parse_file(path, text, 0);
    finish(loader, overrides)
}

/// Loads rule files given in memory (uploaded to a page) as one layer over
/// the shipped rule sets their `extends` name. Nothing is read from the
/// disk, whatever the names or the `extends` say.
pub fn load_memory(
    files: &[(String, String)],
    overrides: &[Override],
) -> Result<RuleSet, LoadError> {
    let mut loader = Loader {
        origin: Origin::Memory,
        sources: SourceMap::default(),
        files: Vec::new(),
        loaded: Vec::new(),
        errors: Vec::new(),
    };
    loader.layer_texts(
        Path::new("tai-len"),
        files.to_vec(),
        Origin::Memory,
        &mut Vec::new(),
    )?;
    finish(loader, overrides)
}

fn finish(loader: Loader, overrides: &[Override]) -> Result<RuleSet, LoadError> {
    let Loader {
        sources,
        files,
        mut errors,
        ..
    } = loader;
    let infos = files.iter().map(|(info, _)| info.clone()).collect();
    if !errors.is_empty() {
        // Syntax errors: resolving a partial rule set would only add noise.
        return Err(LoadError::Rules {
            sources,
            diagnostics: errors,
        });
    }
    let top = files.iter().map(|(_, f)| f.layer).max().unwrap_or(0);
    let top_files = files
        .iter()
        .filter(|(_, f)| f.layer == top)
        .map(|(_, f)| f.file)
        .collect();
    let mut notes = Vec::new();
    let mut merged = merge::merge(
        files.into_iter().map(|(_, f)| f).collect(),
        &mut errors,
        &mut notes,
    );
    let (plan, override_errors) = resolve::resolve(&merged, &sources, overrides, &mut errors);
    if !errors.is_empty() {
        errors.sort_by_key(|d| (d.span.file.0, d.span.start));
        errors.dedup();
        return Err(LoadError::Rules {
            sources,
            diagnostics: errors,
        });
    }
    if !override_errors.is_empty() {
        return Err(LoadError::Overrides(override_errors));
    }
    let examples = std::mem::take(&mut merged.examples);
    Ok(RuleSet {
        plan,
        sources,
        files: infos,
        examples,
        ast: merged,
        top_files,
        notes,
    })
}

struct Loader {
    origin: Origin,
    sources: SourceMap,
    files: Vec<(RuleFile, LayeredFile)>,
    /// Paths already loaded and their layer.
    loaded: Vec<(PathBuf, usize)>,
    errors: Vec<Diagnostic>,
}

impl Loader {
    /// Loads one path (file or directory) and its bases; returns its layer.
    fn layer(&mut self, path: &Path, visiting: &mut Vec<PathBuf>) -> Result<usize, LoadError> {
        let origin = self.origin;
        self.layer_from(path, origin, visiting)
    }

    fn layer_from(
        &mut self,
        path: &Path,
        origin: Origin,
        visiting: &mut Vec<PathBuf>,
    ) -> Result<usize, LoadError> {
        if let Some((_, layer)) = self.loaded.iter().find(|(p, _)| p == path) {
            return Ok(*layer);
        }
        if visiting.iter().any(|p| p == path) {
            return Err(LoadError::Io {
                path: path.display().to_string(),
                message: "các tệp `extends` lẫn nhau thành vòng tròn".into(),
            });
        }
        let texts = read(path, origin)?;
        self.layer_texts(path, texts, origin, visiting)
    }

    /// Parses `texts`, the files of the layer at `path`, after their bases.
    fn layer_texts(
        &mut self,
        path: &Path,
        texts: Vec<(String, String)>,
        origin: Origin,
        visiting: &mut Vec<PathBuf>,
    ) -> Result<usize, LoadError> {
        visiting.push(path.to_path_buf());
        let mut parsed = Vec::new();
        let mut base_layer = None;
        for (file_path, text) in texts {
            let Some((info, id, file)) = self.parse_only(&file_path, &text) else {
                continue;
            };
            for ext in &file.extends {
                let dir = Path::new(&file_path).parent().unwrap_or(Path::new(""));
                let (base, base_origin) = base_of(dir, &ext.value, origin);
                match self.layer_from(&base, base_origin, visiting) {
                    Ok(l) => base_layer = Some(base_layer.map_or(l, |b: usize| b.max(l))),
                    // The base is named where the `extends` names it.
                    Err(LoadError::Io { path, message }) => self.errors.push(
                        Diagnostic::error(
                            "E-extends",
                            ext.span,
                            format!("không đọc được bộ quy tắc gốc `{path}`: {message}"),
                        )
                        .label("bộ quy tắc gốc")
                        .help(format!(
                            "`extends` nhận đường dẫn tương đối tới tệp này, hoặc tên một bộ quy tắc kèm theo: {}",
                            shipped_regimes().join(", ")
                        )),
                    ),
                    Err(e) => return Err(e),
                }
            }
            parsed.push((info, id, file));
        }
        let layer = base_layer.map_or(0, |b| b + 1);
        for (info, file, ast) in parsed {
            self.files.push((info, LayeredFile { layer, file, ast }));
        }
        visiting.pop();
        self.loaded.push((path.to_path_buf(), layer));
        Ok(layer)
    }

    fn parse_file(&mut self, path: &str, text: &str, layer: usize) {
        if let Some((info, file, ast)) = self.parse_only(path, text) {
            self.files.push((info, LayeredFile { layer, file, ast }));
        }
    }

    fn parse_only(&mut self, path: &str, text: &str) -> Option<(RuleFile, FileId, ast::File)> {
        let id = self.sources.add(path, text);
        let info = RuleFile {
            path: path.to_string(),
            sha256: sha256_hex(text.as_bytes()),
        };
        match syntax::parse(id, &self.sources.get(id).text.clone()) {
            Ok(ast) => Some((info, id, ast)),
            Err(diags) => {
                self.errors.extend(diags);
                None
            }
        }
    }
}

/// Where the base named by `extends NAME` in a file of directory `dir` is:
/// a path relative to the file; from a file on disk, a shipped regime's
/// name (`extends "luat-2022"`) when no such path exists on disk.
fn base_of(dir: &Path, name: &str, origin: Origin) -> (PathBuf, Origin) {
    if origin == Origin::Memory {
        return (shipped_base(name), Origin::Embedded);
    }
    let relative = normalize(&dir.join(name));
    if origin == Origin::Embedded || relative.exists() || name.starts_with('.') {
        return (relative, origin);
    }
    let shipped = PathBuf::from("rules").join(name);
    let shown = shipped.to_string_lossy().replace('\\', "/");
    if EMBEDDED
        .iter()
        .any(|(p, _)| Path::new(p).parent() == Some(Path::new(&shown)))
    {
        return (PathBuf::from(shown), Origin::Embedded);
    }
    (relative, origin)
}

/// The shipped rule set an uploaded file's `extends NAME` means: NAME
/// without its leading `..`, `.` and `rules/` (`"../../luat-2022"`, as a
/// shipped overlay writes it, is `rules/luat-2022`). One that is not shipped
/// is not found among the embedded files, and named as such.
fn shipped_base(name: &str) -> PathBuf {
    let mut rest: Vec<&str> = name
        .split(['/', '\\'])
        .filter(|c| !c.is_empty() && *c != "." && *c != "..")
        .collect();
    if rest.first() == Some(&"rules") {
        rest.remove(0);
    }
    PathBuf::from("rules").join(rest.join("/"))
}

/// The names of the shipped regimes and overlays, as `extends` takes them.
pub fn shipped_regimes() -> Vec<String> {
    let mut names: Vec<String> = EMBEDDED
        .iter()
        .filter_map(|(p, _)| {
            Some(
                Path::new(p)
                    .parent()?
                    .strip_prefix("rules")
                    .ok()?
                    .to_string_lossy()
                    .replace('\\', "/"),
            )
        })
        .collect();
    names.dedup();
    names
}

/// The `(path, text)` of a rule file, or of every `*.tdkt` in a directory.
fn read(path: &Path, origin: Origin) -> Result<Vec<(String, String)>, LoadError> {
    match origin {
        Origin::Embedded => {
            let shown = path.to_string_lossy().replace('\\', "/");
            let found: Vec<(String, String)> = EMBEDDED
                .iter()
                .filter(|(p, _)| *p == shown || Path::new(p).parent() == Some(path))
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect();
            if found.is_empty() {
                return Err(LoadError::Io {
                    path: shown,
                    message: "không có trong bộ quy tắc kèm theo".into(),
                });
            }
            Ok(found)
        }
        Origin::Disk => read_disk(path),
        // Uploaded files are given, never read; this is not reached.
        Origin::Memory => Err(LoadError::Io {
            path: path.to_string_lossy().into_owned(),
            message: "tệp tải lên chỉ được kế thừa (`extends`) một bộ quy tắc kèm theo".into(),
        }),
    }
}

fn read_disk(path: &Path) -> Result<Vec<(String, String)>, LoadError> {
    let io = |e: std::io::Error| LoadError::Io {
        path: path.display().to_string(),
        message: crate::data::io_message(&e),
    };
    let mut paths = if path.is_dir() {
        let mut v: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "tdkt") && p.is_file())
            .collect();
        if v.is_empty() {
            return Err(LoadError::Io {
                path: path.display().to_string(),
                message: "thư mục không có tệp .tdkt nào".into(),
            });
        }
        v.sort();
        v
    } else {
        vec![path.to_path_buf()]
    };
    paths
        .drain(..)
        .map(|p| {
            let bytes = std::fs::read(&p).map_err(|e| LoadError::Io {
                path: p.display().to_string(),
                message: crate::data::io_message(&e),
            })?;
            let text = String::from_utf8(bytes).map_err(|e| LoadError::Io {
                path: p.display().to_string(),
                message: not_utf8(e.as_bytes(), e.utf8_error().valid_up_to()),
            })?;
            Ok((p.to_string_lossy().replace('\\', "/"), text))
        })
        .collect()
}

/// Why a rule file is not UTF-8, and where.
fn not_utf8(bytes: &[u8], valid_up_to: usize) -> String {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return "tệp được lưu dạng UTF-16 (Unicode), không phải UTF-8; \
                hãy lưu lại với bảng mã UTF-8"
            .into();
    }
    // The prefix up to the bad byte is valid UTF-8 by definition.
    let before = std::str::from_utf8(&bytes[..valid_up_to]).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let byte = bytes.get(valid_up_to).copied().unwrap_or_default();
    format!(
        "tệp không phải UTF-8: byte 0x{byte:02X} không hợp lệ ở dòng {line}, cột {column}; \
         hãy lưu lại với bảng mã UTF-8"
    )
}

/// Removes `.` and resolves `..` lexically, so that two spellings of one
/// path compare equal.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
