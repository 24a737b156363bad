//! Project chores, run as `cargo xtask COMMAND`:
//!
//! * `bless` — run the test suite with insta allowed to write snapshots,
//!   then again to prove it passes.
//! * `reference` — regenerate the book's pages that come from the compiler
//!   (the language reference and the error index).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The generated book pages: `(path under the root, contents)`.
fn generated() -> Vec<(&'static str, String)> {
    vec![
        ("book/src/reference/language.md", hybrid_core::reference::language_reference()),
        ("book/src/reference/errors.md", hybrid_diagnostics::codes::error_index()),
    ]
}

fn main() -> ExitCode {
    let cmd = std::env::args().nth(1).unwrap_or_default();
    match cmd.as_str() {
        "bless" => {
            let run = |update: bool| {
                let mut c = Command::new(env!("CARGO"));
                c.current_dir(root()).args(["test", "--workspace"]);
                if update {
                    c.env("INSTA_UPDATE", "always").env("INSTA_FORCE_PASS", "1").env_remove("CI");
                }
                c.status().map(|s| s.success()).unwrap_or(false)
            };
            if run(true) && run(false) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        "reference" => {
            for (path, text) in generated() {
                let p = root().join(path);
                if let Some(dir) = p.parent() {
                    if let Err(e) = std::fs::create_dir_all(dir) {
                        eprintln!("error: {}: {e}", dir.display());
                        return ExitCode::FAILURE;
                    }
                }
                if let Err(e) = std::fs::write(&p, text) {
                    eprintln!("error: {}: {e}", p.display());
                    return ExitCode::FAILURE;
                }
                println!("wrote {path}");
            }
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("usage: cargo xtask bless | reference");
            ExitCode::from(2)
        }
    }
}
