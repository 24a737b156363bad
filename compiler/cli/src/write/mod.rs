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
//!
//! Before anything is written OUT is checked ([`place`]): a symbolic link,
//! a read-only folder or the root is refused, and so is an OUT holding the
//! program or the current folder ([`refuse_out_holding`]). Nothing below
//! OUT is ever followed out of it: a symbolic link where a generated file
//! or folder goes is refused ([`links_in_the_way`]), OUT's files are read
//! without following links ([`read_regular`]), and the staging folder is
//! filled only with folders and files it creates itself.
//!
//! One build writes OUT at a time: [`lock`] takes an advisory lock on the
//! file `.OUT.hybridc-lock` beside OUT (removed when the build ends). After
//! the exchange, OUT holds exactly the manifest's files, the folders they
//! need and the user's own files and folders; a previous tree that cannot
//! be removed is reported ([`Changes::left_behind`]), never ignored. A
//! build killed midway leaves its staging folder (`.OUT.hybridc-new-PID`)
//! beside OUT; the next build removes it once that process is gone.
//!
//! `error.rs` says why a write failed (one code each), `place.rs` checks
//! OUT and reads it without following links, `staging.rs` names and cleans
//! up the staging folders, `lock.rs` holds OUT's lock, `verify.rs` checks
//! OUT against its manifest (on another thread, while the program compiles).

mod error;
mod lock;
mod place;
mod staging;
mod verify;

pub use error::{left_behind_warning, WriteError};
pub use lock::{lock, OutLock};
pub use place::{links_in_the_way, place, read_regular, refuse_out_holding};
pub use staging::{clean_stale, is_staging_name};
pub use verify::{up_to_date, Verifying};

use error::io_err;
use hybrid_emit::manifest::{listed_paths, MANIFEST};
use hybrid_emit::OutputTree;
use place::is_safe_relative;
use staging::{clean_stale_staging, staging_name};
use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
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
    /// A previous tree that could not be removed from beside OUT (OUT
    /// itself is complete): the folder and why.
    pub left_behind: Option<(PathBuf, String)>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

/// The paths the previous build generated (from its manifest).
pub fn managed(out: &Path) -> BTreeSet<String> {
    read_regular(&out.join(MANIFEST))
        .and_then(|m| String::from_utf8(m).ok())
        .map(|m| listed_paths(&m).into_iter().collect())
        .unwrap_or_default()
}

/// Compares the tree with OUT without writing anything.
pub fn plan(out: &Path, tree: &OutputTree) -> Result<Changes, WriteError> {
    if out.exists() && !out.is_dir() {
        return Err(WriteError::not_a_folder(out));
    }
    let links = links_in_the_way(out, &tree.files().map(|(p, _)| p).collect::<Vec<_>>());
    if !links.is_empty() {
        return Err(WriteError::Links(links));
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
            match read_regular(&on_disk) {
                Some(old) if old == bytes => changes.unchanged += 1,
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
    write_planned(out, tree, changes)
}

/// [`write`] with the comparison already made (by [`plan`], or from a
/// [`crate::diff::Report`] of the same tree): OUT is read once per build.
/// The caller holds OUT's [`lock`] (or is alone, as in a benchmark).
pub fn write_planned(out: &Path, tree: &OutputTree, changes: Changes) -> Result<Changes, WriteError> {
    write_planned_telling(out, tree, changes, &|| {})
}

/// [`write_planned`], calling `on_file` (from any thread) as each file of
/// `tree` is in the staging folder (the progress line).
pub fn write_planned_telling(
    out: &Path,
    tree: &OutputTree,
    changes: Changes,
    on_file: &(dyn Fn() + Sync),
) -> Result<Changes, WriteError> {
    if out.exists() && !out.is_dir() {
        return Err(WriteError::not_a_folder(out));
    }
    if let Some(bad) = tree.files().map(|(p, _)| p).find(|p| !is_safe_relative(p)) {
        return Err(WriteError::UnsafePath(bad.to_string()));
    }
    let links = links_in_the_way(out, &tree.files().map(|(p, _)| p).collect::<Vec<_>>());
    if !links.is_empty() {
        return Err(WriteError::Links(links));
    }
    let (parent, name) = place(out)?;
    let mut left_behind = clean_stale_staging(out, &parent, &name);
    let manifest_same = read_regular(&out.join(MANIFEST)).as_deref() == tree.get(MANIFEST);
    if changes.is_empty() && manifest_same && out.is_dir() {
        return Ok(Changes { left_behind, ..changes });
    }
    fs::create_dir_all(&parent).map_err(io_err(&parent))?;
    let tmp = parent.join(staging_name(&name, "new", std::process::id()));
    if fs::symlink_metadata(&tmp).is_ok() {
        // Our own pid's name: a folder from an earlier process with this
        // pid. `remove_dir_all` never follows links.
        fs::remove_dir_all(&tmp).or_else(|_| fs::remove_file(&tmp)).map_err(io_err(&tmp))?;
    }
    let result =
        build_beside(out, &tmp, tree, &changes, on_file).and_then(|_| swap(&parent.join(&name), &tmp, &parent, &name));
    match result {
        Ok(left) => {
            left_behind = left.or(left_behind);
            Ok(Changes { written: true, left_behind, ..changes })
        }
        Err(e) => {
            let _ = fs::remove_dir_all(&tmp);
            Err(e)
        }
    }
}

/// The folders on the way to each path (`a`, `a/b` for `a/b/c.yaml`).
pub(super) fn ancestors<'a>(paths: impl IntoIterator<Item = &'a str>) -> BTreeSet<&'a str> {
    let mut dirs = BTreeSet::new();
    for path in paths {
        let mut at = 0;
        while let Some(i) = path.get(at..).and_then(|rest| rest.find('/')) {
            dirs.insert(path.get(..at + i).unwrap_or(path));
            at += i + 1;
        }
    }
    dirs
}

/// Creates the folder `rel` below `root` (a staging folder this build
/// created) and the folders on the way, each with `create_dir`: anything
/// already there must be a real folder, never a link.
fn make_dirs(root: &Path, rel: &str) -> Result<(), WriteError> {
    let mut at = 0;
    loop {
        let end = rel.get(at..).and_then(|rest| rest.find('/')).map_or(rel.len(), |i| at + i);
        make_dir(root, rel.get(..end).unwrap_or(rel))?;
        if end >= rel.len() {
            return Ok(());
        }
        at = end + 1;
    }
}

/// Creates the folder `rel` below `root`, whose parent is there: anything
/// already there must be a real folder, never a link.
fn make_dir(root: &Path, rel: &str) -> Result<(), WriteError> {
    let dir = root.join(rel);
    match fs::create_dir(&dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            if fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
                Ok(())
            } else {
                Err(WriteError::Io(dir, e))
            }
        }
        Err(e) => Err(WriteError::Io(dir, e)),
    }
}

fn build_beside(
    out: &Path,
    tmp: &Path,
    tree: &OutputTree,
    changes: &Changes,
    on_file: &(dyn Fn() + Sync),
) -> Result<(), WriteError> {
    fs::create_dir(tmp).map_err(io_err(tmp))?;
    let managed = managed(out);
    // Folders that held generated files: carried over only when something
    // still needs them, so that a folder of removed output goes with it.
    let generated_dirs = ancestors(managed.iter().map(String::as_str));
    // Carry over what hybridc did not generate, untouched.
    if out.is_dir() {
        for entry in walkdir::WalkDir::new(out).min_depth(1).follow_links(false).sort_by_file_name() {
            let entry = entry.map_err(|e| WriteError::Io(out.to_path_buf(), io::Error::other(e.to_string())))?;
            let rel = entry.path().strip_prefix(out).unwrap_or(entry.path());
            let key = rel.to_string_lossy().replace('\\', "/");
            if managed.contains(&key) || key == MANIFEST {
                continue;
            }
            let ft = entry.file_type();
            if ft.is_dir() {
                if !generated_dirs.contains(key.as_str()) {
                    make_dirs(tmp, &key)?;
                }
                continue;
            }
            if let Some((dir, _)) = key.rsplit_once('/') {
                make_dirs(tmp, dir)?;
            }
            let dest = tmp.join(rel);
            if ft.is_symlink() {
                let target = fs::read_link(entry.path()).map_err(io_err(entry.path()))?;
                std::os::unix::fs::symlink(target, &dest).map_err(io_err(&dest))?;
            } else {
                link_or_copy(entry.path(), &dest)?;
            }
        }
    }
    let changed: BTreeSet<&str> = changes.changed.iter().chain(&changes.added).map(String::as_str).collect();
    // Folders first (once each, a folder before those inside it), then the
    // files on every thread.
    for dir in ancestors(tree.files().map(|(p, _)| p)) {
        make_dir(tmp, dir)?;
    }
    let files: Vec<(&str, &[u8])> = tree.files().collect();
    let results = hybrid_emit::par_map(&files, |&(path, bytes)| {
        let dest = tmp.join(path);
        if path != MANIFEST && !changed.contains(path) {
            // Unchanged: the same bytes are already in OUT (a regular file,
            // checked by the comparison and `links_in_the_way`).
            link_or_copy(&out.join(path), &dest)?;
        } else {
            // A new file: never one that is already there, nor a link.
            let mut f = fs::OpenOptions::new().write(true).create_new(true).open(&dest).map_err(io_err(&dest))?;
            f.write_all(bytes).map_err(io_err(&dest))?;
        }
        on_file();
        Ok(())
    });
    results.into_iter().collect()
}

/// Hard-links `from` (a regular file of OUT) to `to` in the staging
/// folder, or copies it where a hard link is not possible. Neither ever
/// replaces what is at `to`.
fn link_or_copy(from: &Path, to: &Path) -> Result<(), WriteError> {
    if fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    let bytes = read_regular(from)
        .ok_or_else(|| WriteError::Io(from.to_path_buf(), io::Error::other("not a regular file any more")))?;
    let mut f = fs::OpenOptions::new().write(true).create_new(true).open(to).map_err(io_err(to))?;
    f.write_all(&bytes).map_err(io_err(to))?;
    if let Ok(meta) = fs::metadata(from) {
        let _ = f.set_permissions(meta.permissions());
    }
    Ok(())
}

/// Puts `tmp` in place of `out`: one atomic exchange when OUT exists.
/// Returns the previous tree when it could not be removed afterwards (OUT
/// is complete then): its folder and why.
fn swap(out: &Path, tmp: &Path, parent: &Path, name: &str) -> Result<Option<(PathBuf, String)>, WriteError> {
    if fs::symlink_metadata(out).is_err() {
        return fs::rename(tmp, out).map(|_| None).map_err(io_err(out));
    }
    let exchanged =
        rustix::fs::renameat_with(rustix::fs::CWD, tmp, rustix::fs::CWD, out, rustix::fs::RenameFlags::EXCHANGE);
    if exchanged.is_ok() {
        // `tmp` now holds the previous tree.
        return Ok(remove_tree(tmp));
    }
    // No atomic exchange on this filesystem: two renames.
    let old = parent.join(staging_name(name, "old", std::process::id()));
    fs::rename(out, &old).map_err(io_err(out))?;
    if let Err(e) = fs::rename(tmp, out) {
        let _ = fs::rename(&old, out);
        return Err(WriteError::Io(out.to_path_buf(), e));
    }
    Ok(remove_tree(&old))
}

/// Removes a previous tree (never following links); `Some` with the
/// folder and the reason when it could not.
pub(super) fn remove_tree(dir: &Path) -> Option<(PathBuf, String)> {
    match fs::remove_dir_all(dir) {
        Ok(()) => None,
        Err(e) => Some((dir.to_path_buf(), e.to_string())),
    }
}
