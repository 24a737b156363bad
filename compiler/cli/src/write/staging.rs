//! The staging folders beside OUT (`.OUT.hybridc-new-PID`,
//! `.OUT.hybridc-old-PID`): their names, and the removal of what a killed
//! build, or one that could not remove its previous tree, left behind.

use super::{place, remove_tree};
use std::fs;
use std::path::{Path, PathBuf};

/// The name of a staging folder beside OUT: `.NAME.hybridc-new-PID` (the
/// tree being built, then the previous one being removed) or
/// `.NAME.hybridc-old-PID` (the previous tree, without an atomic exchange).
pub(super) fn staging_name(name: &str, what: &str, pid: u32) -> String {
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
pub(super) fn clean_stale_staging(out: &Path, parent: &Path, name: &str) -> Option<(PathBuf, String)> {
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
