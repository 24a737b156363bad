//! House rules over the workspace's source files: every `.rs` file opens
//! with its `//!` doc saying what it owns (CONTRIBUTING.md, Style).

use hybrid_tests::root;
use std::path::PathBuf;

/// Every `.rs` file of the repository (the fuzz crate included), outside
/// build output (`target/`) and hidden folders.
fn rust_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let walk = walkdir::WalkDir::new(root()).sort_by_file_name().into_iter().filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        e.depth() == 0 || !(e.file_type().is_dir() && (name == "target" || name.starts_with('.')))
    });
    for entry in walk {
        let entry = entry.unwrap();
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "rs") {
            out.push(entry.into_path());
        }
    }
    out
}

/// The first line is a `//!` doc with text: no attribute, `use` or blank
/// line before what the file is for.
#[test]
fn every_rust_file_opens_with_its_doc() {
    let files = rust_files();
    assert!(files.len() > 100, "found only {} .rs files", files.len());
    let mut missing = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let first = text.lines().next().unwrap_or("");
        let doc = first.strip_prefix("//! ").map(str::trim).unwrap_or("");
        if doc.is_empty() {
            missing.push(format!("{}: {first:?}", path.strip_prefix(root()).unwrap_or(path).display()));
        }
    }
    assert!(missing.is_empty(), "these files do not open with a `//! ` doc line:\n{}", missing.join("\n"));
}
