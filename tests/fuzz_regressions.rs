//! Every input a fuzz target once failed on (`tests/fuzz-regressions/TARGET/`)
//! is run through the same property as that target: the properties are the
//! fuzz crate's own `fuzz/src/props.rs`, compiled in here, so a finding
//! fixed once stays fixed. See `fuzz/README.md` for turning a crash into a
//! file here.

#[path = "../fuzz/src/props.rs"]
mod props;

use hybrid_tests::root;
use std::path::PathBuf;

/// The inputs of one target, sorted (none when the folder does not exist,
/// which each target's test refuses).
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = root().join("tests/fuzz-regressions").join(target);
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&dir).map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect()).unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "hybrid"));
    files.sort();
    files.into_iter().map(|p| (p.clone(), std::fs::read(&p).unwrap())).collect()
}

/// Runs `property` on every input of `target`; fails listing each input
/// that panics.
fn run(target: &str, property: impl Fn(&[u8]) + std::panic::RefUnwindSafe) -> usize {
    let inputs = inputs(target);
    let mut failed = Vec::new();
    for (path, data) in &inputs {
        if std::panic::catch_unwind(|| property(data)).is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(failed.is_empty(), "the `{target}` property fails on:\n{}", failed.join("\n"));
    inputs.len()
}

/// A `.tf` file parses as HCL (as in the fuzz crate's `parse_tf`).
fn parse_tf(text: &str) -> Result<(), String> {
    hcl::from_str::<hcl::Body>(text).map(|_| ()).map_err(|e| e.to_string())
}

#[test]
fn parse_check() {
    let n = run("parse_check", props::parse_check);
    assert!(n > 0, "the fixed findings are in tests/fuzz-regressions/parse_check/");
}

#[test]
fn build_output() {
    let n = run("build_output", |data| props::build(data, &parse_tf));
    assert!(n > 0, "the fixed findings are in tests/fuzz-regressions/build_output/");
}

#[test]
fn fmt() {
    let n = run("fmt", props::fmt);
    assert!(n > 0, "the fixed findings are in tests/fuzz-regressions/fmt/");
}
