//! The commit `hybridc --version` names: sets `HYBRIDC_COMMIT` to
//! ` (abc1234def56 2026-12-04)` — the short hash and the commit date —
//! when the crate is built from a git checkout, and to nothing otherwise
//! (a source tarball, no `git` on the PATH). It never fails the build, and
//! reads no clock: the same commit gives the same version.
//!
//! Cargo runs it again only when `HEAD` or the branch it names moves (a
//! checkout, a commit), not on every build. In a worktree `.git` is a
//! file, so the paths come from `git rev-parse --git-path`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let commit = commit(&dir).map(|(hash, date)| format!(" ({hash} {date})")).unwrap_or_default();
    for path in watched(&dir) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    println!("cargo:rustc-env=HYBRIDC_COMMIT={commit}");
}

/// `git ARGS` in `dir`: its trimmed output, or `None` when git is missing
/// or fails.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git").current_dir(dir).args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (out.status.success() && !text.is_empty()).then(|| text.to_string())
}

/// The short hash and the date of the commit checked out, when this crate
/// is part of it (not a tarball unpacked inside some other repository).
fn commit(dir: &Path) -> Option<(String, String)> {
    git(dir, &["ls-files", "--error-unmatch", "Cargo.toml"])?;
    let hash = git(dir, &["rev-parse", "--short=12", "HEAD"])?;
    let date = git(dir, &["log", "-1", "--format=%cs", "HEAD"])?;
    let plain = |s: &str, extra: char| s.chars().all(|c| c.is_ascii_alphanumeric() || c == extra);
    (plain(&hash, '0') && plain(&date, '-')).then_some((hash, date))
}

/// The files whose change moves the commit: `HEAD`, the ref it points to
/// (or, while that ref is packed or absent, its folder) and `packed-refs`.
/// A path that does not exist is never named: cargo would run this script
/// on every build.
fn watched(dir: &Path) -> Vec<PathBuf> {
    let git_path = |p: &str| git(dir, &["rev-parse", "--path-format=absolute", "--git-path", p]).map(PathBuf::from);
    let mut paths = Vec::new();
    paths.extend(git_path("HEAD"));
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        if let Some(file) = git_path(&branch) {
            let mut nearest = Some(file.as_path());
            while let Some(p) = nearest.filter(|p| !p.exists()) {
                nearest = p.parent();
            }
            paths.extend(nearest.map(Path::to_path_buf));
        }
    }
    paths.extend(git_path("packed-refs"));
    paths.retain(|p| p.exists());
    paths
}
