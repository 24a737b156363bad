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
use std::sync::Arc;

/// What the loader needs from a filesystem.
pub trait FileSystem {
    /// The text of a regular file, or why it cannot be read. Anything that
    /// is not a regular file (a folder, a FIFO, a socket, a device) is
    /// refused before it is read: reading a FIFO would wait forever. The
    /// text is shared: the loader keeps it as it is for the source map.
    fn read(&self, path: &Path) -> Result<Arc<str>, ReadError>;
    fn is_dir(&self, path: &Path) -> bool;
    /// Every `*.hybrid` file below `dir`, in any order.
    fn hybrid_files(&self, dir: &Path) -> Result<Vec<PathBuf>, String>;
    /// What identifies the file at `path`, so that a file reached by two
    /// paths (a link, `a/../b`) is loaded once: the lexically normalised
    /// path unless the filesystem knows better (the real one resolves links).
    fn identity(&self, path: &Path) -> PathBuf {
        normalize(path)
    }
}

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Nothing at that path.
    NotFound,
    /// Something other than a regular file: what it is (`a folder`, `a FIFO`).
    NotAFile(&'static str),
    /// The bytes are not UTF-8: the text with U+FFFD for each bad sequence,
    /// and the byte offset of the first one (the same in both).
    NotUtf8 { lossy: String, at: usize },
    /// Anything else (permission, a link loop, too large, IO), for a person.
    Other(String),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotFound => f.write_str("no such file"),
            ReadError::NotAFile(what) => write!(f, "it is {what}, not a file"),
            ReadError::NotUtf8 { at, .. } => write!(f, "not valid UTF-8 (byte {at})"),
            ReadError::Other(reason) => f.write_str(reason),
        }
    }
}

impl ReadError {
    /// The error for bytes that are not UTF-8.
    pub fn not_utf8(bytes: Vec<u8>) -> ReadError {
        match String::from_utf8(bytes) {
            Ok(text) => ReadError::NotUtf8 { at: text.len(), lossy: text },
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                ReadError::NotUtf8 { lossy: String::from_utf8_lossy(e.as_bytes()).into_owned(), at }
            }
        }
    }
}

/// An in-memory filesystem for tests and tools. A file read is shared
/// with the program that reads it, not copied.
#[derive(Debug, Default, Clone)]
pub struct MemoryFs {
    pub files: BTreeMap<PathBuf, Arc<str>>,
}

impl MemoryFs {
    pub fn new() -> Self {
        MemoryFs::default()
    }
    pub fn with(mut self, path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> Self {
        self.files.insert(path.into(), text.into());
        self
    }
}

impl FileSystem for MemoryFs {
    fn read(&self, path: &Path) -> Result<Arc<str>, ReadError> {
        match self.files.get(&normalize(path)) {
            Some(text) => Ok(Arc::clone(text)),
            None if self.is_dir(path) => Err(ReadError::NotAFile("a folder")),
            None => Err(ReadError::NotFound),
        }
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
    /// The imports that failed (each reported as HY0015).
    pub failed: FailedImports,
}

/// What the imports that failed would have declared: a name the program
/// then lacks is a consequence of the failed import, reported once as
/// HY0015 and not again as an unknown reference or profile.
#[derive(Debug, Default, Clone)]
pub struct FailedImports {
    /// The standard modules meant by failed `std/…` imports (`std/profile`
    /// → `std/profiles`).
    pub std_modules: Vec<&'static str>,
    /// A file import failed: any name may have been declared by it.
    pub any_file: bool,
}

impl FailedImports {
    fn record(&mut self, target: &str) {
        if target.starts_with("std/") {
            let names = stdlib::MODULES.iter().map(|(n, _)| *n);
            let meant =
                names.clone().find(|n| *n == target).or_else(|| hybrid_diagnostics::did_you_mean(target, names));
            self.std_modules.extend(meant);
        } else {
            self.any_file = true;
        }
    }

    /// Whether a failed import may have declared a name that the standard
    /// module `module` (if any) declares.
    pub fn may_declare(&self, module: Option<&str>) -> bool {
        self.any_file || module.is_some_and(|m| self.std_modules.contains(&m))
    }
}

/// Removes `.` and resolves `..` lexically (no filesystem access).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                // `/..` is `/`.
                Some(Component::RootDir | Component::Prefix(_)) => {}
                // Above the start of a relative path.
                _ => out.push(".."),
            },
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A file read and waiting to be parsed.
struct Pending {
    name: String,
    text: Arc<str>,
    /// The folder its relative imports start from (`None`: the stdlib).
    dir: Option<PathBuf>,
    /// The offset of the first byte that is not UTF-8, if any.
    not_utf8: Option<usize>,
}

/// Reads a file of the program itself (the entry or a file of the entry
/// folder): a file that cannot be read at all stops the load.
fn read_entry(path: &Path, fs: &dyn FileSystem) -> Result<Pending, LoadError> {
    let dir = Some(path.parent().map(Path::to_path_buf).unwrap_or_default());
    let name = path.display().to_string();
    match fs.read(path) {
        Ok(text) => Ok(Pending { name, text, dir, not_utf8: None }),
        Err(ReadError::NotUtf8 { lossy, at }) => Ok(Pending { name, text: lossy.into(), dir, not_utf8: Some(at) }),
        Err(e) => Err(LoadError::Unreadable { path: path.to_path_buf(), reason: e.to_string() }),
    }
}

pub fn load(entry: &Path, fs: &dyn FileSystem) -> Result<Loaded, LoadError> {
    // Every file is read once: `seen` holds the identity of each file read
    // or queued (and `std/NAME` for the stdlib), so an import cycle, a file
    // imported twice or reached through a link ends there.
    let mut seen: BTreeSet<PathBuf> = BTreeSet::new();
    let mut queue: VecDeque<Pending> = VecDeque::new();
    if fs.is_dir(entry) {
        let mut files =
            fs.hybrid_files(entry).map_err(|reason| LoadError::Unreadable { path: entry.to_path_buf(), reason })?;
        files.sort();
        if files.is_empty() {
            return Err(LoadError::NoFiles { dir: entry.to_path_buf() });
        }
        for f in files {
            let path = normalize(&f);
            if seen.insert(fs.identity(&path)) {
                queue.push_back(read_entry(&path, fs)?);
            }
        }
    } else {
        let path = normalize(entry);
        seen.insert(fs.identity(&path));
        queue.push_back(read_entry(&path, fs)?);
    }
    let mut loaded = Loaded::default();
    while let Some(Pending { name, text, dir, not_utf8 }) = queue.pop_front() {
        let file = loaded.sources.add(name, text);
        let text = loaded.sources.get(file).map(|f| f.text.clone()).unwrap_or_else(|| "".into());
        if let Some(at) = not_utf8 {
            // KDL is UTF-8: the file is reported where it stops being UTF-8
            // (its text holds U+FFFD there) and not parsed further.
            let end = text.get(at..).and_then(|rest| rest.chars().next()).map_or(at, |c| at + c.len_utf8());
            loaded.diagnostics.push(hybrid_syntax::not_utf8(Span::new(file, at, end)));
            loaded.documents.push(Document::empty(file));
            continue;
        }
        let (doc, mut d) = hybrid_syntax::parse(file, text);
        loaded.diagnostics.append(&mut d);
        for node in doc.nodes().filter(|n| n.name() == "import") {
            let Some(arg) = node.args().next() else { continue };
            let Value::String(target) = arg.value() else { continue };
            match resolve_import(target, dir.as_deref(), arg.value_span(), fs, &mut seen) {
                Ok(Some(p)) => queue.push_back(p),
                Ok(None) => {}
                Err(d) => {
                    loaded.failed.record(target);
                    loaded.diagnostics.push(d);
                }
            }
        }
        loaded.documents.push(doc);
    }
    Ok(loaded)
}

/// The file an import names, read; `Ok(None)` when it is already loaded
/// or queued.
fn resolve_import(
    target: &str,
    dir: Option<&Path>,
    span: Span,
    fs: &dyn FileSystem,
    seen: &mut BTreeSet<PathBuf>,
) -> Result<Option<Pending>, Diagnostic> {
    if let Some(module) = target.strip_prefix("std/") {
        let Some((name, text)) = stdlib::module(module) else {
            let names: Vec<&str> = stdlib::MODULES.iter().map(|(n, _)| *n).collect();
            return Err(diags::import_not_found(target, span, hybrid_diagnostics::did_you_mean(target, names)));
        };
        if !seen.insert(PathBuf::from(name)) {
            return Ok(None);
        }
        return Ok(Some(Pending { name: name.to_string(), text: text.into(), dir: None, not_utf8: None }));
    }
    let Some(dir) = dir else {
        // The standard library imports only its own modules.
        return Err(diags::import_not_found(target, span, None));
    };
    let path = normalize(&dir.join(target));
    if fs.is_dir(&path) {
        return Err(diags::import_not_a_file(target, span, "a folder"));
    }
    let identity = fs.identity(&path);
    if seen.contains(&identity) {
        return Ok(None);
    }
    let (text, not_utf8) = match fs.read(&path) {
        Ok(text) => (text, None),
        Err(ReadError::NotUtf8 { lossy, at }) => (lossy.into(), Some(at)),
        Err(ReadError::NotFound) => {
            return Err(diags::import_not_found(target, span, None)
                .with_help(format!("`{}`: no such file; paths are relative to the importing file", path.display())))
        }
        Err(ReadError::NotAFile(what)) => return Err(diags::import_not_a_file(target, span, what)),
        Err(ReadError::Other(reason)) => return Err(diags::import_unreadable(target, span, &path, &reason)),
    };
    seen.insert(identity);
    let dir = Some(path.parent().map(Path::to_path_buf).unwrap_or_default());
    Ok(Some(Pending { name: path.display().to_string(), text, dir, not_utf8 }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_is_lexical() {
        let n = |p: &str| normalize(Path::new(p)).display().to_string();
        assert_eq!(n("a/../b"), "b");
        assert_eq!(n("./sub/../x.hybrid"), "x.hybrid");
        assert_eq!(n("a/b/../../c"), "c");
        assert_eq!(n("../x"), "../x");
        assert_eq!(n("a/../../x"), "../x");
        assert_eq!(n("../../x"), "../../x");
        assert_eq!(n("/a/../../x"), "/x");
        assert_eq!(n("/.."), "/");
        assert_eq!(n("a/./b/."), "a/b");
    }

    /// The source map keeps the very text the filesystem handed out: a
    /// program is held once, however it was read.
    #[test]
    fn a_file_read_is_shared_with_the_source_map_not_copied() {
        let fs = MemoryFs::new().with("main.hybrid", "topology t { owner team }\n");
        let loaded = load(Path::new("main.hybrid"), &fs).unwrap();
        let (_, file) = loaded.sources.files().next().unwrap();
        assert!(Arc::ptr_eq(&file.text, &fs.files[Path::new("main.hybrid")]));
    }

    #[test]
    fn each_file_is_loaded_once_and_cycles_end() {
        let fs = MemoryFs::new()
            .with("main.hybrid", "import \"a.hybrid\"\nimport \"./x/../a.hybrid\"\nimport \"std/gpu\"\n")
            .with("a.hybrid", "import \"main.hybrid\"\nimport \"std/gpu\"\n");
        let loaded = load(Path::new("main.hybrid"), &fs).unwrap();
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        assert_eq!(loaded.documents.len(), 3);
    }

    #[test]
    fn an_import_of_a_folder_or_a_missing_file_is_hy0015() {
        let fs =
            MemoryFs::new().with("main.hybrid", "import \"dir\"\nimport \"nope.hybrid\"\n").with("dir/x.hybrid", "");
        let loaded = load(Path::new("main.hybrid"), &fs).unwrap();
        let messages: Vec<&str> = loaded.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            ["cannot import `dir`: it is a folder, not a file", "cannot find `nope.hybrid` to import"]
        );
        assert!(loaded.diagnostics.iter().all(|d| d.code.id == "HY0015"));
    }

    #[test]
    fn bytes_that_are_not_utf8_are_found() {
        let ReadError::NotUtf8 { lossy, at } = ReadError::not_utf8(b"ab\xffc".to_vec()) else { panic!() };
        assert_eq!((lossy.as_str(), at), ("ab\u{FFFD}c", 2));
    }
}
