//! Writing the output tree to OUT without ever leaving it half-written.
//!
//! The new tree is built in a temporary folder beside OUT — files whose
//! bytes did not change and files hybridc did not generate are hard-linked
//! from OUT, new and changed files written — then the two folders are
//! exchanged in one atomic `renameat2(RENAME_EXCHANGE)` (two renames where
//! the filesystem lacks it), and the old tree is removed. At every instant
//! OUT is the complete previous tree or the complete new one.
//!
//! Only files listed in the previous `hybrid-manifest.json` are ever
//! removed or replaced; an unmanaged file where a generated one would go is
//! an error, and nothing is written. A build that changes nothing writes
//! nothing.

use hybrid_emit::manifest::{listed_paths, MANIFEST};
use hybrid_emit::OutputTree;
use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// What a build changed, by path.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
    /// Whether anything was written (a first build writes the manifest
    /// even for an empty tree).
    pub written: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

/// Why OUT could not be written.
#[derive(Debug)]
pub enum WriteError {
    NotADirectory(PathBuf),
    Unmanaged(Vec<String>),
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::NotADirectory(p) => write!(f, "`{}` exists and is not a folder", p.display()),
            WriteError::Unmanaged(paths) => write!(
                f,
                "files hybridc did not generate are in the way: {} (move them, or remove them if they are stale)",
                paths.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
            ),
            WriteError::Io(p, e) => write!(f, "`{}`: {e}", p.display()),
        }
    }
}

fn io_err(p: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |e| WriteError::Io(p.to_path_buf(), e)
}

/// The paths the previous build generated (from its manifest).
pub fn managed(out: &Path) -> BTreeSet<String> {
    fs::read_to_string(out.join(MANIFEST)).map(|m| listed_paths(&m).into_iter().collect()).unwrap_or_default()
}

/// Compares the tree with OUT without writing anything.
pub fn plan(out: &Path, tree: &OutputTree) -> Result<Changes, WriteError> {
    if out.exists() && !out.is_dir() {
        return Err(WriteError::NotADirectory(out.to_path_buf()));
    }
    let managed = managed(out);
    let mut changes = Changes::default();
    let mut unmanaged = Vec::new();
    for (path, bytes) in tree.files() {
        let on_disk = out.join(path);
        if path == MANIFEST {
            continue;
        }
        if managed.contains(path) {
            match fs::read(&on_disk) {
                Ok(old) if old == bytes => changes.unchanged += 1,
                _ => changes.changed.push(path.to_string()),
            }
        } else if on_disk.exists() || on_disk.is_symlink() {
            unmanaged.push(path.to_string());
        } else {
            changes.added.push(path.to_string());
        }
    }
    for path in &managed {
        if tree.get(path).is_none() {
            changes.removed.push(path.clone());
        }
    }
    if !unmanaged.is_empty() {
        return Err(WriteError::Unmanaged(unmanaged));
    }
    Ok(changes)
}

/// Writes `tree` to `out` atomically; returns what changed.
pub fn write(out: &Path, tree: &OutputTree) -> Result<Changes, WriteError> {
    let changes = plan(out, tree)?;
    let manifest_same = fs::read(out.join(MANIFEST)).ok().as_deref() == tree.get(MANIFEST);
    if changes.is_empty() && manifest_same && out.is_dir() {
        return Ok(changes);
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(io_err(&parent))?;
    let name = out.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "out".into());
    let tmp = parent.join(format!(".{name}.hybridc-new-{}", std::process::id()));
    if tmp.exists() {
        fs::remove_dir_all(&tmp).map_err(io_err(&tmp))?;
    }
    let result = build_beside(out, &tmp, tree, &changes).and_then(|_| swap(out, &tmp, &parent, &name));
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result.map(|_| Changes { written: true, ..changes })
}

fn build_beside(out: &Path, tmp: &Path, tree: &OutputTree, changes: &Changes) -> Result<(), WriteError> {
    fs::create_dir_all(tmp).map_err(io_err(tmp))?;
    let managed = managed(out);
    // Carry over what hybridc did not generate, untouched.
    if out.is_dir() {
        for entry in walkdir::WalkDir::new(out).min_depth(1).follow_links(false).sort_by_file_name() {
            let entry = entry.map_err(|e| WriteError::Io(out.to_path_buf(), io::Error::other(e.to_string())))?;
            let rel = entry.path().strip_prefix(out).unwrap_or(entry.path());
            let key = rel.to_string_lossy().replace('\\', "/");
            if managed.contains(&key) || key == MANIFEST {
                continue;
            }
            let dest = tmp.join(rel);
            let ft = entry.file_type();
            if ft.is_dir() {
                fs::create_dir_all(&dest).map_err(io_err(&dest))?;
            } else if ft.is_symlink() {
                let target = fs::read_link(entry.path()).map_err(io_err(entry.path()))?;
                if let Some(d) = dest.parent() {
                    fs::create_dir_all(d).map_err(io_err(d))?;
                }
                std::os::unix::fs::symlink(target, &dest).map_err(io_err(&dest))?;
            } else {
                link_or_copy(entry.path(), &dest)?;
            }
        }
    }
    let changed: BTreeSet<&str> = changes.changed.iter().chain(&changes.added).map(String::as_str).collect();
    for (path, bytes) in tree.files() {
        let dest = tmp.join(path);
        if let Some(d) = dest.parent() {
            fs::create_dir_all(d).map_err(io_err(d))?;
        }
        if path != MANIFEST && !changed.contains(path) {
            // Unchanged: the same bytes are already in OUT.
            link_or_copy(&out.join(path), &dest)?;
        } else {
            fs::write(&dest, bytes).map_err(io_err(&dest))?;
        }
    }
    Ok(())
}

fn link_or_copy(from: &Path, to: &Path) -> Result<(), WriteError> {
    if let Some(d) = to.parent() {
        fs::create_dir_all(d).map_err(io_err(d))?;
    }
    if fs::hard_link(from, to).is_err() {
        fs::copy(from, to).map_err(io_err(to))?;
    }
    Ok(())
}

/// Puts `tmp` in place of `out`: one atomic exchange when OUT exists.
fn swap(out: &Path, tmp: &Path, parent: &Path, name: &str) -> Result<(), WriteError> {
    if !out.exists() {
        return fs::rename(tmp, out).map_err(io_err(out));
    }
    let exchanged =
        rustix::fs::renameat_with(rustix::fs::CWD, tmp, rustix::fs::CWD, out, rustix::fs::RenameFlags::EXCHANGE);
    if exchanged.is_ok() {
        // `tmp` now holds the previous tree.
        return fs::remove_dir_all(tmp).map_err(io_err(tmp));
    }
    // No atomic exchange on this filesystem: two renames.
    let old = parent.join(format!(".{name}.hybridc-old-{}", std::process::id()));
    fs::rename(out, &old).map_err(io_err(out))?;
    if let Err(e) = fs::rename(tmp, out) {
        let _ = fs::rename(&old, out);
        return Err(WriteError::Io(out.to_path_buf(), e));
    }
    fs::remove_dir_all(&old).map_err(io_err(&old))
}
