//! Where OUT is and what is in it, looked at without following links:
//! OUT itself checked before anything is written ([`place`],
//! [`refuse_out_holding`]), the links below OUT on the way to generated
//! files ([`links_in_the_way`]), OUT's files read with `O_NOFOLLOW`
//! ([`read_regular`]).

use super::{ancestors, error::io_err, WriteError};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The bytes of the regular file at `path`, read without following a
/// symbolic link (`O_NOFOLLOW`) and without waiting on a FIFO
/// (`O_NONBLOCK`); `None` when there is none, or something else is there.
/// Its folders must have been checked with [`links_in_the_way`].
pub fn read_regular(path: &Path) -> Option<Vec<u8>> {
    use std::os::unix::fs::OpenOptionsExt;
    let flags = rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK;
    let file = fs::OpenOptions::new().read(true).custom_flags(flags.bits() as i32).open(path).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() {
        return None;
    }
    // Room for the whole file and one byte more: one read fills it, the
    // next says it ended (a file that grew meanwhile is read on).
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
    // `Take` reads in the buffer given, without asking the file its size
    // and position again as `File::read_to_end` does.
    file.take(u64::MAX).read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// Every symbolic link below OUT on the way to, or at, one of `paths`
/// (relative, `/`-separated): the path inside OUT and where it points.
/// Each folder is looked at once, from the top down; nothing below a link
/// or below a folder that is not there is looked at (a first build looks
/// at OUT alone).
pub fn links_in_the_way(out: &Path, paths: &[&str]) -> Vec<(String, String)> {
    let mut links: Vec<(String, String)> = Vec::new();
    let below = |links: &[(String, String)], p: &str| {
        links.iter().any(|(l, _)| p.strip_prefix(l.as_str()).is_some_and(|r| r.starts_with('/')))
    };
    // Nothing is below an OUT that is not there (a first build).
    if fs::symlink_metadata(out).is_err() {
        return links;
    }
    // What is not there: nothing is below it.
    let mut absent: std::collections::HashSet<&str> = std::collections::HashSet::new();
    // A folder comes before the folders inside it (sorted), and folders
    // before files.
    let dirs = ancestors(paths.iter().copied());
    for rel in dirs.into_iter().chain(paths.iter().copied()) {
        if absent.contains(parent(rel)) {
            absent.insert(rel);
            continue;
        }
        if below(&links, rel) {
            continue;
        }
        let full = out.join(rel);
        match fs::symlink_metadata(&full) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = fs::read_link(&full).map(|t| t.display().to_string()).unwrap_or_default();
                links.push((rel.to_string(), to));
            }
            Ok(_) => {}
            Err(_) => {
                absent.insert(rel);
            }
        }
    }
    links.sort();
    links
}

/// The folder of a relative path (`""` for OUT itself).
fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// Whether a generated path stays below OUT: relative, `/`-separated
/// names only (no `..`, `.`, empty part, backslash or NUL).
pub(super) fn is_safe_relative(path: &str) -> bool {
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
