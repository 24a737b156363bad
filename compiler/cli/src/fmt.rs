//! `hybridc fmt`: lays `.hybrid` files out canonically (`hybrid_syntax::format`),
//! rewriting them in place (a temporary file beside, then a rename) or, with
//! `--check`, only listing those that would change.

use crate::report::{Format, Reporter};
use crate::RealFs;
use hybrid_core::load::ReadError;
use hybrid_core::{Compilation, FileSystem};
use hybrid_diagnostics::{codes, PathDiagnostic, SourceMap};
use hybrid_syntax::FormatError;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Formats the files named and those under the folders named (sorted).
/// Exit code: 0, 1 when a file does not parse or (with `check`) would
/// change, 2 when a file cannot be read or written.
pub fn fmt(paths: &[PathBuf], check: bool, console: &crate::Console) -> u8 {
    let mut reporter = Reporter::stdio(Format::Human, console);
    let (files, mut code) = collect(paths, &mut reporter);
    let (mut changed, mut unchanged) = (0usize, 0usize);
    for file in &files {
        let name = file.display().to_string();
        let text = match RealFs.read(file) {
            Ok(t) => t,
            Err(ReadError::NotUtf8 { lossy, at }) => {
                report_not_utf8(&mut reporter, &name, lossy, at);
                code = code.max(1);
                continue;
            }
            Err(e) => {
                reporter.problem(&cannot_read(&name, &e.to_string()));
                code = 2;
                continue;
            }
        };
        let formatted = match hybrid_syntax::format(&text) {
            Ok(f) => f,
            Err(FormatError::Syntax { .. }) => {
                report_syntax(&mut reporter, &name, text);
                code = code.max(1);
                continue;
            }
            Err(e) => {
                reporter.problem(
                    &PathDiagnostic::new(&codes::NOT_FORMATTABLE, format!("`{name}` {e}"), name.as_str()).with_help(
                        "write the construct the message names plainly (an entry on one line), then run `hybridc fmt` again",
                    ),
                );
                code = code.max(1);
                continue;
            }
        };
        if *formatted == *text {
            unchanged += 1;
            continue;
        }
        changed += 1;
        if check {
            let _ = writeln!(std::io::stdout().lock(), "would reformat: {name}");
            code = code.max(1);
        } else if let Err(e) = replace(file, &formatted) {
            reporter.problem(
                &PathDiagnostic::new(
                    &codes::WRITE_FAILED,
                    format!("cannot write `{name}`: {e}; it is unchanged"),
                    name.as_str(),
                )
                .with_help("fix the permission or free the space named above, then run `hybridc fmt` again"),
            );
            changed -= 1;
            code = 2;
        }
    }
    let summary = match (check, changed) {
        (_, 0) => format!("{} already formatted", files_count(unchanged)),
        (true, n) => format!("{} would be reformatted, {unchanged} already formatted", files_count(n)),
        (false, n) => format!("formatted {}, {unchanged} already formatted", files_count(n)),
    };
    if changed + unchanged > 0 || code == 0 {
        reporter.info(&summary);
    }
    code
}

/// The files named and the `.hybrid` files under the folders named, and
/// the exit code so far (2 when a folder cannot be read).
fn collect(paths: &[PathBuf], reporter: &mut Reporter) -> (Vec<PathBuf>, u8) {
    let mut code = 0u8;
    let mut files = Vec::new();
    for path in paths {
        if RealFs.is_dir(path) {
            match RealFs.hybrid_files(path) {
                Ok(found) => files.extend(found),
                Err(e) => {
                    reporter.problem(&cannot_read(&path.display().to_string(), &e.to_string()));
                    code = 2;
                }
            }
        } else {
            files.push(path.clone());
        }
    }
    (files, code)
}

/// HY8001 for a file or folder `fmt` cannot read.
fn cannot_read(path: &str, why: &str) -> PathDiagnostic {
    PathDiagnostic::new(&codes::PROGRAM_UNREADABLE, format!("cannot read `{path}`: {why}"), path)
        .with_help("pass existing `.hybrid` files or folders holding some")
}

fn files_count(n: usize) -> String {
    if n == 1 {
        "1 file".to_string()
    } else {
        format!("{n} files")
    }
}

/// A file that does not parse: its HY0001 diagnostic, as `check` prints it.
fn report_syntax(reporter: &mut Reporter, name: &str, text: std::sync::Arc<str>) {
    let mut sources = SourceMap::new();
    let file = sources.add(name, std::sync::Arc::clone(&text));
    let (_, diagnostics) = hybrid_syntax::parse(file, text);
    let compilation =
        Compilation { sources, topology: None, diagnostics, acknowledged: Vec::new(), names: Default::default() };
    reporter.diagnostics(&compilation, name, false);
}

/// A file that is not UTF-8: HY0001 on its first bad byte, as `check`
/// prints it.
fn report_not_utf8(reporter: &mut Reporter, name: &str, lossy: String, at: usize) {
    let mut sources = SourceMap::new();
    let end = lossy.get(at..).and_then(|rest| rest.chars().next()).map_or(at, |c| at + c.len_utf8());
    let file = sources.add(name, lossy);
    let diagnostics = vec![hybrid_syntax::not_utf8(hybrid_diagnostics::Span::new(file, at, end))];
    let compilation =
        Compilation { sources, topology: None, diagnostics, acknowledged: Vec::new(), names: Default::default() };
    reporter.diagnostics(&compilation, name, false);
}

/// Replaces a file's content: written to a temporary file beside it (with
/// its permissions), then renamed over it. A link is followed.
fn replace(path: &Path, text: &str) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.hybridc-fmt.tmp"));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        f.set_permissions(std::fs::metadata(&target)?.permissions())?;
        std::fs::rename(&tmp, &target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
