//! What is analysed: the workspace folder is one program, read as
//! `hybridc check DIR` reads it, and a file opened outside it is a program
//! of its own; open editor buffers replace the disk files they edit
//! ([`Overlay`]). An [`Analysis`] is the compilation of each program.

use hybrid_core::load::{normalize, ReadError};
use hybrid_core::{Compilation, FileSystem, LoadError};
use hybrid_diagnostics::{FileId, SourceFile};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How a program is compiled: the command line's own compile (with the
/// findings of overrides), handed in by the caller.
pub type Compile = fn(&Path, &dyn FileSystem) -> Result<Compilation, LoadError>;

/// The disk, as the command line reads it.
pub type Disk = Arc<dyn FileSystem + Send + Sync>;

/// The open buffers by path.
pub type Buffers = BTreeMap<PathBuf, String>;

/// The editor's version of each open buffer.
pub type Versions = BTreeMap<PathBuf, i32>;

/// The disk with the open buffers laid over it.
pub struct Overlay<'a> {
    pub disk: &'a dyn FileSystem,
    pub buffers: &'a Buffers,
}

impl std::fmt::Debug for Overlay<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Overlay").field("buffers", &self.buffers.keys().collect::<Vec<_>>()).finish()
    }
}

impl FileSystem for Overlay<'_> {
    fn read(&self, path: &Path) -> Result<Arc<str>, ReadError> {
        match self.buffers.get(&normalize(path)) {
            Some(text) => Ok(Arc::from(text.as_str())),
            None => self.disk.read(path),
        }
    }
    fn is_dir(&self, path: &Path) -> bool {
        !self.buffers.contains_key(&normalize(path)) && self.disk.is_dir(path)
    }
    fn hybrid_files(&self, dir: &Path) -> Result<Vec<PathBuf>, String> {
        let mut files = self.disk.hybrid_files(dir)?;
        let dir = normalize(dir);
        let open = self.buffers.keys().filter(|p| p.starts_with(&dir) && p.extension().is_some_and(|e| e == "hybrid"));
        files.extend(open.cloned());
        files.sort();
        files.dedup();
        Ok(files)
    }
    fn identity(&self, path: &Path) -> PathBuf {
        if self.buffers.contains_key(&normalize(path)) {
            normalize(path)
        } else {
            self.disk.identity(path)
        }
    }
}

/// One compiled program.
#[derive(Debug)]
pub struct Program {
    /// The folder or file it was compiled from.
    pub entry: PathBuf,
    pub compilation: Compilation,
}

impl Program {
    /// The file of this program at `path`, with its id.
    pub fn file(&self, path: &Path) -> Option<(FileId, &SourceFile)> {
        self.compilation.sources.files().find(|(_, f)| Path::new(&f.name) == path)
    }
}

/// Every program of the workspace, compiled from one snapshot of the
/// buffers.
#[derive(Debug, Default)]
pub struct Analysis {
    pub programs: Vec<Program>,
    /// The version of each open buffer analysed.
    pub versions: Versions,
}

impl Analysis {
    /// Whether every file parsed: then the name table holds every
    /// declaration (a file that is not valid KDL declares nothing).
    pub fn parsed(&self) -> bool {
        let syntax = hybrid_diagnostics::codes::SYNTAX_ERROR.id;
        self.programs.iter().all(|p| p.compilation.diagnostics.iter().all(|d| d.code.id != syntax))
    }

    /// The version of the buffer analysed for `uri`, when it was open.
    pub fn version(&self, uri: &lsp_types::Url) -> Option<i32> {
        let path = normalize(&uri.to_file_path().ok()?);
        self.versions.get(&path).copied()
    }

    /// The program holding the file at `path`, and that file.
    pub fn find(&self, path: &Path) -> Option<(&Program, FileId, &SourceFile)> {
        self.programs.iter().find_map(|p| p.file(path).map(|(id, f)| (p, id, f)))
    }
}

/// The entries to compile: the root folder (when it has `.hybrid` files or
/// open buffers), then every open file outside it.
pub fn entries(root: Option<&Path>, buffers: &Buffers) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = root.map(Path::to_path_buf).into_iter().collect();
    out.extend(buffers.keys().filter(|p| root.is_none_or(|r| !p.starts_with(r))).cloned());
    out
}

/// Compiles every program of a snapshot. A folder that cannot be read
/// (or holds no `.hybrid` file) is left out; so is a file that cannot.
pub fn analyse(compile: Compile, disk: &dyn FileSystem, root: Option<&Path>, buffers: &Buffers) -> Analysis {
    let fs = Overlay { disk, buffers };
    let programs = entries(root, buffers)
        .into_iter()
        .filter_map(|entry| compile(&entry, &fs).ok().map(|compilation| Program { entry, compilation }))
        .collect();
    Analysis { programs, versions: Versions::new() }
}
