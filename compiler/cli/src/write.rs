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
//! program or the current folder ([`refuse_out_holding`]). A build killed
//! midway leaves its staging folder (`.OUT.hybridc-new-PID`) beside OUT;
//! the next build removes it once that process is gone.

use hybrid_emit::manifest::{listed_files, listed_paths, recorded_input, sha256_hex, MANIFEST};
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
    /// OUT cannot be written where it is: a link, read-only, the root, a
    /// folder holding the program (the whole sentence).
    Refused(String),
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
            WriteError::Refused(why) => f.write_str(why),
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

/// The number of files in OUT when its manifest records the build input
/// `input` and every file it lists is on disk with the listed sha256 (read
/// and hashed on every thread): then OUT is exactly what this input builds
/// and nothing needs rendering or writing. `None` otherwise.
pub fn up_to_date(out: &Path, input: &str) -> Option<usize> {
    let manifest = fs::read_to_string(out.join(MANIFEST)).ok()?;
    if recorded_input(&manifest).as_deref() != Some(input) {
        return None;
    }
    let files = listed_files(&manifest);
    let same = hybrid_emit::par_map(&files, |(path, sha)| {
        fs::symlink_metadata(out.join(path)).is_ok_and(|m| m.is_file())
            && fs::read(out.join(path)).is_ok_and(|b| sha256_hex(&b) == *sha)
    });
    same.iter().all(|s| *s).then_some(files.len())
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
    write_planned(out, tree, changes)
}

/// [`write`] with the comparison already made (by [`plan`], or from a
/// [`crate::diff::Report`] of the same tree): OUT is read once per build.
pub fn write_planned(out: &Path, tree: &OutputTree, changes: Changes) -> Result<Changes, WriteError> {
    if out.exists() && !out.is_dir() {
        return Err(WriteError::NotADirectory(out.to_path_buf()));
    }
    if let Some(bad) = tree.files().map(|(p, _)| p).find(|p| !is_safe_relative(p)) {
        return Err(WriteError::Refused(format!("internal error: a target produced the unsafe path `{bad}`")));
    }
    let (parent, name) = place(out)?;
    clean_stale_staging(out, &parent, &name);
    let manifest_same = fs::read(out.join(MANIFEST)).ok().as_deref() == tree.get(MANIFEST);
    if changes.is_empty() && manifest_same && out.is_dir() {
        return Ok(changes);
    }
    fs::create_dir_all(&parent).map_err(io_err(&parent))?;
    let tmp = parent.join(staging_name(&name, "new", std::process::id()));
    if tmp.exists() {
        fs::remove_dir_all(&tmp).map_err(io_err(&tmp))?;
    }
    let result = build_beside(out, &tmp, tree, &changes).and_then(|_| swap(&parent.join(&name), &tmp, &parent, &name));
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
    // Folders first (once each, in order), then the files on every thread.
    let mut dirs = BTreeSet::new();
    for (path, _) in tree.files() {
        if let Some((dir, _)) = path.rsplit_once('/') {
            if dirs.insert(dir) {
                let d = tmp.join(dir);
                fs::create_dir_all(&d).map_err(io_err(&d))?;
            }
        }
    }
    let files: Vec<(&str, &[u8])> = tree.files().collect();
    let results = hybrid_emit::par_map(&files, |&(path, bytes)| {
        let dest = tmp.join(path);
        if path != MANIFEST && !changed.contains(path) {
            // Unchanged: the same bytes are already in OUT.
            link_or_copy(&out.join(path), &dest)
        } else {
            fs::write(&dest, bytes).map_err(io_err(&dest))
        }
    });
    results.into_iter().collect()
}

fn link_or_copy(from: &Path, to: &Path) -> Result<(), WriteError> {
    if let Some(d) = to.parent().filter(|d| !d.is_dir()) {
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
        // `tmp` now holds the previous tree. OUT is complete: a failure to
        // remove the old tree is not a failed build (the next build removes
        // what is left, see `clean_stale_staging`).
        let _ = fs::remove_dir_all(tmp);
        return Ok(());
    }
    // No atomic exchange on this filesystem: two renames.
    let old = parent.join(staging_name(name, "old", std::process::id()));
    fs::rename(out, &old).map_err(io_err(out))?;
    if let Err(e) = fs::rename(tmp, out) {
        let _ = fs::rename(&old, out);
        return Err(WriteError::Io(out.to_path_buf(), e));
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

/// The name of a staging folder beside OUT: `.NAME.hybridc-new-PID` (the
/// tree being built, then the previous one being removed) or
/// `.NAME.hybridc-old-PID` (the previous tree, without an atomic exchange).
fn staging_name(name: &str, what: &str, pid: u32) -> String {
    format!(".{name}.hybridc-{what}-{pid}")
}

/// Whether a file name is one of hybridc's staging folders (of any OUT):
/// `Some((OUT's name, "new" or "old", pid))`.
fn parse_staging_name(file: &str) -> Option<(&str, &str, u32)> {
    let rest = file.strip_prefix('.')?;
    let (name, tail) = rest.rsplit_once(".hybridc-")?;
    let (what, pid) = tail.split_once('-')?;
    let pid = pid.parse().ok().filter(|_| pid.bytes().all(|b| b.is_ascii_digit()))?;
    (matches!(what, "new" | "old") && !name.is_empty()).then_some((name, what, pid))
}

/// Whether a folder name is a staging folder (never read as program input).
pub fn is_staging_name(file: &str) -> bool {
    parse_staging_name(file).is_some()
}

/// Whether process `pid` is running (on Linux, `/proc/PID`; without a
/// `/proc`, every process counts as running and nothing is removed).
fn running(pid: u32) -> bool {
    pid == std::process::id() || !Path::new("/proc/self").exists() || Path::new("/proc").join(pid.to_string()).exists()
}

/// [`clean_stale_staging`] for a build that writes nothing.
pub fn clean_stale(out: &Path) {
    if let Ok((parent, name)) = place(out) {
        clean_stale_staging(out, &parent, &name);
    }
}

/// Removes what a build of OUT that was killed left beside it: a staging
/// folder of a process that no longer runs. Such a `-new-` folder holds a
/// partial new tree, or the previous tree after the exchange: OUT is
/// complete either way. An `-old-` folder holds the previous tree when the
/// build died between the two renames that replace the exchange: it goes
/// back to OUT if OUT is missing. Only real folders (not links) with
/// exactly that name are touched; errors are ignored (it is cleaning up).
fn clean_stale_staging(out: &Path, parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some((n, what, pid)) = file.to_str().and_then(parse_staging_name) else { continue };
        if n != name || running(pid) || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let path = entry.path();
        if what == "old" && fs::symlink_metadata(out).is_err() {
            let _ = fs::rename(&path, out);
        } else {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

/// Whether a generated path stays below OUT: relative, `/`-separated
/// names only (no `..`, `.`, empty part, backslash or NUL).
fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && path.split('/').all(|part| !part.is_empty() && part != "." && part != ".." && !part.contains(['\\', '\0']))
}

/// OUT's folder and name, checked before anything is written. OUT may be
/// a path that does not exist yet; it may not be a symbolic link (a build
/// replaces OUT whole, which would replace the link, not the folder it
/// points to, so it is refused rather than guessed), nor the root, nor
/// read-only.
pub fn place(out: &Path) -> Result<(PathBuf, String), WriteError> {
    if let Ok(meta) = fs::symlink_metadata(out) {
        if meta.file_type().is_symlink() {
            let to = fs::read_link(out).map(|t| t.display().to_string()).unwrap_or_default();
            return Err(WriteError::Refused(format!(
                "`{}` is a symbolic link (to `{to}`); pass the folder itself as OUT",
                out.display()
            )));
        }
        if !meta.is_dir() {
            return Err(WriteError::NotADirectory(out.to_path_buf()));
        }
        // Read-only by its mode (even for root, whom `access` lets write),
        // or for this user.
        if meta.permissions().readonly() || rustix::fs::access(out, rustix::fs::Access::WRITE_OK).is_err() {
            return Err(WriteError::Refused(format!(
                "`{}` is read-only; make it writable (`chmod u+w`) to build into it",
                out.display()
            )));
        }
    }
    // `.`, `..`, `a/..`: the folder they name, by its real path.
    let named = match out.file_name() {
        Some(_) if !out.ends_with("..") => out.to_path_buf(),
        _ => fs::canonicalize(out).map_err(io_err(out))?,
    };
    let Some(name) = named.file_name().map(|n| n.to_string_lossy().to_string()) else {
        return Err(WriteError::Refused(format!("`{}` is the root folder; pass a folder below it", out.display())));
    };
    let parent = match named.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name))
}

/// Refuses an OUT that is the program's folder or holds it, or holds the
/// current folder (`.`, `..`, `/`): each build replaces OUT whole.
pub fn refuse_out_holding(out: &Path, program: &Path) -> Result<(), WriteError> {
    let Ok(out_real) = fs::canonicalize(out) else { return Ok(()) };
    let holds = |p: &Path| fs::canonicalize(p).is_ok_and(|p| p.starts_with(&out_real));
    let what = if holds(program) {
        format!("the program `{}`", program.display())
    } else if std::env::current_dir().is_ok_and(|cwd| holds(&cwd)) {
        "the current folder".to_string()
    } else {
        return Ok(());
    };
    Err(WriteError::Refused(format!(
        "`{}` holds {what}, and each build replaces OUT whole: choose a folder of its own, e.g. `{}`",
        out.display(),
        out.join("out").display()
    )))
}
