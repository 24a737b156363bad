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
//! be removed is reported ([`Written::left_behind`]), never ignored. A
//! build killed midway leaves its staging folder (`.OUT.hybridc-new-PID`)
//! beside OUT; the next build removes it once that process is gone.

use hybrid_diagnostics::{codes, PathDiagnostic};
use hybrid_emit::manifest::{listed_files, listed_paths, recorded_input, sha256_hex, MANIFEST};
use hybrid_emit::OutputTree;
use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Read, Write};
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

/// Why OUT could not be written. Each is one registered code
/// ([`WriteError::diagnostic`]); nothing was written in any case.
#[derive(Debug)]
pub enum WriteError {
    /// OUT cannot be replaced where it is: not a folder, a link,
    /// read-only, the root, a folder holding the program (HY8002).
    Unusable { message: String, help: String },
    /// Files hybridc did not generate at generated paths (HY8003).
    Unmanaged(Vec<String>),
    /// Symbolic links below OUT where generated files go: the path inside
    /// OUT and what it points to (HY8004).
    Links(Vec<(String, String)>),
    /// Another build holds OUT's lock, by its process id when known (HY8005).
    Locked(Option<u32>),
    /// A write, link or rename failed (HY8006).
    Io(PathBuf, io::Error),
    /// A target produced a path that is not relative and plain (HY9001).
    UnsafePath(String),
}

impl WriteError {
    fn not_a_folder(out: &Path) -> WriteError {
        WriteError::Unusable {
            message: format!("`{}` exists and is not a folder", out.display()),
            help: "pass a folder (it is created when missing), or move the file away".to_string(),
        }
    }

    /// The diagnostic for OUT, closing with "nothing was written".
    pub fn diagnostic(&self, out: &Path) -> PathDiagnostic {
        let at = out.display().to_string();
        match self {
            WriteError::Unusable { message, help } => {
                PathDiagnostic::new(&codes::OUT_UNUSABLE, format!("{message}; nothing was written"), at).with_help(help)
            }
            WriteError::Unmanaged(paths) => PathDiagnostic::new(
                &codes::UNMANAGED_FILE_IN_THE_WAY,
                format!(
                    "files hybridc did not generate are in the way: {}; nothing was written",
                    hybrid_diagnostics::join_quoted(&shown(paths))
                ),
                at,
            )
            .with_help("move them out of OUT, or remove them if they are stale, then build again"),
            WriteError::Links(links) => {
                let (first, to) = links.first().map(|(p, t)| (p.as_str(), t.as_str())).unwrap_or_default();
                let link = out.join(first).display().to_string();
                let others: Vec<String> = links.iter().skip(1).map(|l| l.0.clone()).collect();
                let more = match others.len() {
                    0 => String::new(),
                    n => format!(" (and {n} more: {})", hybrid_diagnostics::join_quoted(&shown(&others))),
                };
                PathDiagnostic::new(
                    &codes::LINK_BELOW_OUT,
                    format!("`{link}` is a symbolic link (to `{to}`) where hybridc writes generated files{more}; nothing was written"),
                    link.clone(),
                )
                .with_help(format!(
                    "remove the link (`rm {link}` removes the link, not what it points to) and build again; to write the output elsewhere, pass that folder as OUT"
                ))
            }
            WriteError::Locked(pid) => {
                let by = pid.map(|p| format!(" (process {p})")).unwrap_or_default();
                PathDiagnostic::new(
                    &codes::OUT_LOCKED,
                    format!("`{at}` is being written by another build{by}; nothing was written"),
                    at,
                )
                .with_help("wait for that build to finish, or build without `--no-wait` to wait for it")
            }
            WriteError::Io(p, e) => PathDiagnostic::new(
                &codes::WRITE_FAILED,
                format!("cannot write `{}`: {e}; nothing was written", p.display()),
                at,
            )
            .with_help("free space or fix the permission named above, then build again"),
            WriteError::UnsafePath(p) => PathDiagnostic::new(
                &codes::INTERNAL_ERROR,
                format!("internal error: a target produced the unsafe path `{p}`; nothing was written"),
                at,
            )
            .with_help("this is a bug in hybridc; please report it with the program that triggers it"),
        }
    }
}

/// At most the first 20 paths of a list, then how many more.
fn shown(paths: &[String]) -> Vec<String> {
    let mut v: Vec<String> = paths.iter().take(20).cloned().collect();
    if paths.len() > 20 {
        v.push(format!("{} more", paths.len() - 20));
    }
    v
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.diagnostic(Path::new("OUT")).message)
    }
}

fn io_err(p: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |e| WriteError::Io(p.to_path_buf(), e)
}

/// The bytes of the regular file at `path`, read without following a
/// symbolic link (`O_NOFOLLOW`) and without waiting on a FIFO
/// (`O_NONBLOCK`); `None` when there is none, or something else is there.
/// Its folders must have been checked with [`links_in_the_way`].
pub fn read_regular(path: &Path) -> Option<Vec<u8>> {
    use std::os::unix::fs::OpenOptionsExt;
    let flags = rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK;
    let mut file = fs::OpenOptions::new().read(true).custom_flags(flags.bits() as i32).open(path).ok()?;
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// Every symbolic link below OUT on the way to, or at, one of `paths`
/// (relative, `/`-separated): the path inside OUT and where it points.
/// Each folder is looked at once, from the top down; nothing below a link
/// is looked at.
pub fn links_in_the_way(out: &Path, paths: &[&str]) -> Vec<(String, String)> {
    let mut links: Vec<(String, String)> = Vec::new();
    let below = |links: &[(String, String)], p: &str| {
        links.iter().any(|(l, _)| p.strip_prefix(l.as_str()).is_some_and(|r| r.starts_with('/')))
    };
    // A folder comes before the folders inside it (sorted), and folders
    // before files.
    let dirs = ancestors(paths.iter().copied());
    for rel in dirs.into_iter().chain(paths.iter().copied()) {
        if below(&links, rel) {
            continue;
        }
        let full = out.join(rel);
        if fs::symlink_metadata(&full).is_ok_and(|m| m.file_type().is_symlink()) {
            let to = fs::read_link(&full).map(|t| t.display().to_string()).unwrap_or_default();
            links.push((rel.to_string(), to));
        }
    }
    links.sort();
    links
}

/// The paths the previous build generated (from its manifest).
pub fn managed(out: &Path) -> BTreeSet<String> {
    read_regular(&out.join(MANIFEST))
        .and_then(|m| String::from_utf8(m).ok())
        .map(|m| listed_paths(&m).into_iter().collect())
        .unwrap_or_default()
}

/// The number of files in OUT when its manifest records the build input
/// `input` and every file it lists is on disk with the listed sha256 (read
/// and hashed on every thread, never through a link): then OUT is exactly
/// what this input builds and nothing needs rendering or writing. `None`
/// otherwise.
pub fn up_to_date(out: &Path, input: &str) -> Option<usize> {
    let manifest = String::from_utf8(read_regular(&out.join(MANIFEST))?).ok()?;
    if recorded_input(&manifest).as_deref() != Some(input) {
        return None;
    }
    let files = listed_files(&manifest);
    let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    if !links_in_the_way(out, &paths).is_empty() {
        return None;
    }
    let same = hybrid_emit::par_map(&files, |(path, sha)| {
        read_regular(&out.join(path)).is_some_and(|b| sha256_hex(&b) == *sha)
    });
    same.iter().all(|s| *s).then_some(files.len())
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
    let result = build_beside(out, &tmp, tree, &changes).and_then(|_| swap(&parent.join(&name), &tmp, &parent, &name));
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
fn ancestors<'a>(paths: impl IntoIterator<Item = &'a str>) -> BTreeSet<&'a str> {
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
        let dir = root.join(rel.get(..end).unwrap_or(rel));
        match fs::create_dir(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                if !fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
                    return Err(WriteError::Io(dir, e));
                }
            }
            Err(e) => return Err(WriteError::Io(dir, e)),
        }
        if end >= rel.len() {
            return Ok(());
        }
        at = end + 1;
    }
}

fn build_beside(out: &Path, tmp: &Path, tree: &OutputTree, changes: &Changes) -> Result<(), WriteError> {
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
    // Folders first (once each, in order), then the files on every thread.
    let mut dirs = BTreeSet::new();
    for (path, _) in tree.files() {
        if let Some((dir, _)) = path.rsplit_once('/') {
            if dirs.insert(dir) {
                make_dirs(tmp, dir)?;
            }
        }
    }
    let files: Vec<(&str, &[u8])> = tree.files().collect();
    let results = hybrid_emit::par_map(&files, |&(path, bytes)| {
        let dest = tmp.join(path);
        if path != MANIFEST && !changed.contains(path) {
            // Unchanged: the same bytes are already in OUT (a regular file,
            // checked by the comparison and `links_in_the_way`).
            link_or_copy(&out.join(path), &dest)
        } else {
            // A new file: never one that is already there, nor a link.
            let mut f = fs::OpenOptions::new().write(true).create_new(true).open(&dest).map_err(io_err(&dest))?;
            f.write_all(bytes).map_err(io_err(&dest))
        }
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
fn remove_tree(dir: &Path) -> Option<(PathBuf, String)> {
    match fs::remove_dir_all(dir) {
        Ok(()) => None,
        Err(e) => Some((dir.to_path_buf(), e.to_string())),
    }
}

/// The HY8007 warning for a previous tree left beside OUT.
pub fn left_behind_warning(dir: &Path, why: &str) -> PathDiagnostic {
    let at = dir.display().to_string();
    PathDiagnostic::new(
        &codes::PREVIOUS_OUTPUT_LEFT_BEHIND,
        format!("the previous output could not be removed from `{at}`: {why}"),
        at.clone(),
    )
    .with_help(format!("OUT is complete; remove `{at}` by hand (after `chattr -i` on immutable files)"))
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
pub fn clean_stale(out: &Path) -> Option<(PathBuf, String)> {
    let (parent, name) = place(out).ok()?;
    clean_stale_staging(out, &parent, &name)
}

/// Removes what a build of OUT that was killed, or could not remove its
/// previous tree, left beside it: a staging folder of a process that no
/// longer runs. Such a `-new-` folder holds a partial new tree, or the
/// previous tree after the exchange: OUT is complete either way. An `-old-`
/// folder holds the previous tree when the build died between the two
/// renames that replace the exchange: it goes back to OUT if OUT is
/// missing. Only real folders (not links) with exactly that name are
/// touched. Returns a folder that could not be removed, and why.
fn clean_stale_staging(out: &Path, parent: &Path, name: &str) -> Option<(PathBuf, String)> {
    let Ok(entries) = fs::read_dir(parent) else { return None };
    let mut left = None;
    let mut stale: Vec<(PathBuf, bool)> = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some((n, what, pid)) = file.to_str().and_then(parse_staging_name) else { continue };
        if n != name || running(pid) || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        stale.push((entry.path(), what == "old"));
    }
    stale.sort();
    for (path, old) in stale {
        if old && fs::symlink_metadata(out).is_err() {
            let _ = fs::rename(&path, out);
        } else if let Some(l) = remove_tree(&path) {
            left.get_or_insert(l);
        }
    }
    left
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
            return Err(WriteError::Unusable {
                message: format!("`{}` is a symbolic link (to `{to}`)", out.display()),
                help: format!("pass the folder itself as OUT: `--out {to}`"),
            });
        }
        if !meta.is_dir() {
            return Err(WriteError::not_a_folder(out));
        }
        // Read-only by its mode (even for root, whom `access` lets write),
        // or for this user.
        if meta.permissions().readonly() || rustix::fs::access(out, rustix::fs::Access::WRITE_OK).is_err() {
            return Err(WriteError::Unusable {
                message: format!("`{}` is read-only", out.display()),
                help: format!("make it writable (`chmod u+w {}`) to build into it", out.display()),
            });
        }
    }
    // `.`, `..`, `a/..`: the folder they name, by its real path.
    let named = match out.file_name() {
        Some(_) if !out.ends_with("..") => out.to_path_buf(),
        _ => fs::canonicalize(out).map_err(io_err(out))?,
    };
    let Some(name) = named.file_name().map(|n| n.to_string_lossy().to_string()) else {
        return Err(WriteError::Unusable {
            message: format!("`{}` is the root folder", out.display()),
            help: "pass a folder below it, e.g. `--out out`".to_string(),
        });
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
    Err(WriteError::Unusable {
        message: format!("`{}` holds {what}, and each build replaces OUT whole", out.display()),
        help: format!("choose a folder of its own, e.g. `--out {}`", out.join("out").display()),
    })
}

/// OUT's advisory lock, held from the moment a build reads OUT until OUT
/// is replaced: the file `.OUT.hybridc-lock` beside OUT, locked with
/// `flock` and holding the builder's process id. Dropping it removes the
/// file, then the lock goes with the file handle (and with the process, if
/// it is killed: a stale lock file never blocks anyone).
#[derive(Debug)]
pub struct OutLock {
    path: PathBuf,
    _file: fs::File,
}

impl Drop for OutLock {
    fn drop(&mut self) {
        // Removed while still locked: a build waiting on this file sees
        // that it is gone once it gets the lock, and locks the new one.
        let _ = fs::remove_file(&self.path);
    }
}

/// The lock file of OUT: `.NAME.hybridc-lock` beside it.
fn lock_path(out: &Path) -> Result<PathBuf, WriteError> {
    let (parent, name) = place(out)?;
    Ok(parent.join(format!(".{name}.hybridc-lock")))
}

/// Takes OUT's lock. When another build holds it: with `wait`, calls
/// `waiting` once with that build's process id (when known) and waits for
/// it; without, fails with [`WriteError::Locked`].
pub fn lock(out: &Path, wait: bool, waiting: &mut dyn FnMut(Option<u32>)) -> Result<OutLock, WriteError> {
    use rustix::fs::{FlockOperation, Mode, OFlags};
    let path = lock_path(out)?;
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    let mut told = false;
    loop {
        let flags = OFlags::CREATE | OFlags::RDWR | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = rustix::fs::open(&path, flags, Mode::from_raw_mode(0o644)).map_err(|e| {
            if e == rustix::io::Errno::LOOP {
                WriteError::Unusable {
                    message: format!("the lock file `{}` beside OUT is a symbolic link", path.display()),
                    help: format!("remove the link (`rm {}`) and build again", path.display()),
                }
            } else {
                WriteError::Io(path.clone(), e.into())
            }
        })?;
        let mut file = fs::File::from(fd);
        match rustix::fs::flock(&file, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => {}
            Err(e) if e == rustix::io::Errno::WOULDBLOCK => {
                let holder = holder_pid(&mut file);
                if !wait {
                    return Err(WriteError::Locked(holder));
                }
                if !told {
                    waiting(holder);
                    told = true;
                }
                rustix::fs::flock(&file, FlockOperation::LockExclusive)
                    .map_err(|e| WriteError::Io(path.clone(), e.into()))?;
            }
            Err(e) => return Err(WriteError::Io(path.clone(), e.into())),
        }
        // The build that held it may have removed the file meanwhile: only
        // a lock on the file that is at `path` now counts.
        let ours = rustix::fs::fstat(&file).ok();
        let there = rustix::fs::lstat(&path).ok();
        if ours.zip(there).is_some_and(|(a, b)| a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
            let _ = file.set_len(0);
            let _ = file.write_all(std::process::id().to_string().as_bytes());
            return Ok(OutLock { path, _file: file });
        }
    }
}

/// The process id written in a lock file by the build holding it.
fn holder_pid(file: &mut fs::File) -> Option<u32> {
    let mut text = String::new();
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}
