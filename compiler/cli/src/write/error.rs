//! Why a write failed: one registered code per reason (HY8002–HY8006,
//! HY9001), as a `PathDiagnostic` on OUT; and the HY8007 warning for a
//! previous tree left beside OUT.

use hybrid_diagnostics::{codes, PathDiagnostic};
use std::io;
use std::path::{Path, PathBuf};

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
    pub(super) fn not_a_folder(out: &Path) -> WriteError {
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

pub(super) fn io_err(p: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |e| WriteError::Io(p.to_path_buf(), e)
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
