//! Loading a program: the entry file or every `*.hybrid` file below a
//! folder (sorted by path, so discovery order never matters), then every
//! import, each file once. `std/…` imports come from the embedded standard
//! library. The filesystem is reached only through [`FileSystem`], which the
//! CLI implements; tests use [`MemoryFs`].

use crate::{diags, stdlib};
use hybrid_diagnostics::{Diagnostic, SourceMap, Span};
use hybrid_syntax::{Document, Value};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Component, Path, PathBuf};

/// What the loader needs from a filesystem.
pub trait FileSystem {
    /// The text of a file, or why it cannot be read.
    fn read(&self, path: &Path) -> Result<String, String>;
    fn is_dir(&self, path: &Path) -> bool;
    /// Every `*.hybrid` file below `dir`, in any order.
    fn hybrid_files(&self, dir: &Path) -> Result<Vec<PathBuf>, String>;
}

/// An in-memory filesystem for tests and tools.
#[derive(Debug, Default, Clone)]
pub struct MemoryFs {
    pub files: BTreeMap<PathBuf, String>,
}

impl MemoryFs {
    pub fn new() -> Self {
        MemoryFs::default()
    }
    pub fn with(mut self, path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        self.files.insert(path.into(), text.into());
        self
    }
}

impl FileSystem for MemoryFs {
    fn read(&self, path: &Path) -> Result<String, String> {
        self.files.get(&normalize(path)).cloned().ok_or_else(|| "no such file".to_string())
    }
    fn is_dir(&self, path: &Path) -> bool {
        let p = normalize(path);
        !self.files.contains_key(&p) && self.files.keys().any(|k| k.starts_with(&p))
    }
    fn hybrid_files(&self, dir: &Path) -> Result<Vec<PathBuf>, String> {
        let d = normalize(dir);
        Ok(self
            .files
            .keys()
            .filter(|k| k.starts_with(&d) && k.extension().is_some_and(|e| e == "hybrid"))
            .cloned()
            .collect())
    }
}

/// A program that could not be read at all (a usage or IO problem, not a
/// diagnostic in a file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    Unreadable { path: PathBuf, reason: String },
    NoFiles { dir: PathBuf },
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Unreadable { path, reason } => write!(f, "cannot read `{}`: {reason}", path.display()),
            LoadError::NoFiles { dir } => write!(f, "no `.hybrid` files in `{}`", dir.display()),
        }
    }
}

/// Every file of a program, parsed.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: SourceMap,
    pub documents: Vec<Document>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Removes `.` and resolves `..` lexically (no filesystem access).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() || out.as_os_str().is_empty() && path.is_relative() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

enum Source {
    File(PathBuf),
    Std(&'static str, &'static str),
}

pub fn load(entry: &Path, fs: &dyn FileSystem) -> Result<Loaded, LoadError> {
    let mut queue: VecDeque<Source> = VecDeque::new();
    if fs.is_dir(entry) {
        let mut files =
            fs.hybrid_files(entry).map_err(|reason| LoadError::Unreadable { path: entry.to_path_buf(), reason })?;
        files.sort();
        if files.is_empty() {
            return Err(LoadError::NoFiles { dir: entry.to_path_buf() });
        }
        queue.extend(files.into_iter().map(|f| Source::File(normalize(&f))));
    } else {
        queue.push_back(Source::File(normalize(entry)));
    }
    let mut loaded = Loaded::default();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut first = true;
    while let Some(src) = queue.pop_front() {
        let (name, text, dir) = match src {
            Source::File(path) => {
                let key = path.display().to_string();
                if !seen.insert(key.clone()) {
                    continue;
                }
                let text = match fs.read(&path) {
                    Ok(t) => t,
                    Err(reason) if first => return Err(LoadError::Unreadable { path, reason }),
                    // Imports are checked before they are queued; a read
                    // failure here is reported at the file level.
                    Err(_) => continue,
                };
                let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                (key, text, Some(dir))
            }
            Source::Std(name, text) => {
                if !seen.insert(name.to_string()) {
                    continue;
                }
                (name.to_string(), text.to_string(), None)
            }
        };
        first = false;
        let file = loaded.sources.add(name, text.clone());
        let (doc, mut d) = hybrid_syntax::parse(file, &text);
        loaded.diagnostics.append(&mut d);
        for node in doc.nodes.iter().filter(|n| n.name.text == "import") {
            let Some(arg) = node.args().next() else { continue };
            let Value::String(target) = &arg.value else { continue };
            match resolve_import(target, dir.as_deref(), arg.value_span, fs) {
                Ok(src) => queue.push_back(src),
                Err(d) => loaded.diagnostics.push(d),
            }
        }
        loaded.documents.push(doc);
    }
    Ok(loaded)
}

fn resolve_import(target: &str, dir: Option<&Path>, span: Span, fs: &dyn FileSystem) -> Result<Source, Diagnostic> {
    if let Some(module) = target.strip_prefix("std/") {
        return stdlib::module(module).map(|(n, t)| Source::Std(n, t)).ok_or_else(|| {
            let names: Vec<&str> = stdlib::MODULES.iter().map(|(n, _)| *n).collect();
            diags::import_not_found(target, span, hybrid_diagnostics::did_you_mean(target, names))
        });
    }
    let Some(dir) = dir else {
        // The standard library imports only its own modules.
        return Err(diags::import_not_found(target, span, None));
    };
    let path = normalize(&dir.join(target));
    if fs.is_dir(&path) {
        return Err(
            diags::import_not_found(target, span, None).with_help("an import names one `.hybrid` file, not a folder")
        );
    }
    match fs.read(&path) {
        Ok(_) => Ok(Source::File(path)),
        Err(reason) => Err(diags::import_not_found(target, span, None)
            .with_help(format!("`{}`: {reason}; paths are relative to the importing file", path.display()))),
    }
}
