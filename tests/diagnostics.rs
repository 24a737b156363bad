//! Diagnostics fixtures: `tests/diagnostics/HYxxxx-name.hybrid` must report
//! exactly the annotated diagnostics, on the annotated tokens;
//! `HYxxxx-name.ok.hybrid` must report no error and not that code. The
//! rendered human output of every failing fixture is snapshotted with a
//! fixed theme and width. Every registered code has both fixtures — or,
//! for a code about a path as a whole (HY8xxx, HY9xxx), its test on the
//! real binary in `compiler/cli/tests/codes.rs`.

use hybrid_diagnostics::{aggregate, render_human, HumanOptions, CODES};
use hybrid_tests::{annotations, root, Expected};
use hybridc::compile;
use hybridc::RealFs;
use std::path::PathBuf;

fn fixtures() -> Vec<PathBuf> {
    // Relative to the package root (the tests' working directory), so that
    // file names in rendered output do not depend on the machine.
    let dir = PathBuf::from("diagnostics");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "hybrid"))
        .collect();
    files.sort();
    files
}

fn code_of(path: &std::path::Path) -> String {
    path.file_name().and_then(|n| n.to_str()).unwrap_or("").chars().take(6).collect()
}

fn is_ok_fixture(path: &std::path::Path) -> bool {
    path.to_string_lossy().ends_with(".ok.hybrid")
}

#[test]
fn failing_fixtures_report_exactly_the_annotated_diagnostics() {
    let mut failures = Vec::new();
    for path in fixtures().iter().filter(|p| !is_ok_fixture(p)) {
        let text = std::fs::read_to_string(path).unwrap();
        let expected = annotations(&text);
        assert!(!expected.is_empty(), "{} has no annotation", path.display());
        // Other codes may be annotated too (a vm always warns HY2101, say),
        // but the fixture must show its own.
        assert!(expected.iter().any(|e| e.code == code_of(path)), "{} does not annotate its own code", path.display());
        let c = compile(path, &RealFs).unwrap();
        let mut got: Vec<Expected> = Vec::new();
        for d in &c.diagnostics {
            let span = d.span();
            let file = c.sources.get(span.file).unwrap();
            let lc = file.line_col(span.start as usize);
            let len = file.slice(span).chars().count();
            got.push(Expected { code: d.code.id.to_string(), line: lc.line, column: lc.column, len: Some(len) });
        }
        got.sort();
        let matches = expected.len() == got.len()
            && expected.iter().zip(&got).all(|(e, g)| {
                e.code == g.code && e.line == g.line && e.column == g.column && (e.len.is_none() || e.len == g.len)
            });
        if !matches {
            failures.push(format!("{}:\n  expected {expected:?}\n  got      {got:?}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn ok_fixtures_report_no_error_and_not_their_code() {
    for path in fixtures().iter().filter(|p| is_ok_fixture(p)) {
        let code = code_of(path);
        let c = compile(path, &RealFs).unwrap();
        let bad: Vec<String> = c
            .diagnostics
            .iter()
            .filter(|d| d.is_error() || d.code.id == code)
            .map(|d| format!("{} {}", d.code.id, d.message))
            .collect();
        assert!(bad.is_empty(), "{}: {bad:?}", path.display());
    }
}

#[test]
fn every_code_has_a_failing_and_a_passing_fixture() {
    let files: Vec<String> =
        fixtures().iter().filter_map(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_string)).collect();
    let mut missing = Vec::new();
    // Codes about a path as a whole have no `.hybrid` fixture: each has a
    // test named after it in the CLI's `tests/codes.rs`, with a failing
    // and a passing case.
    let cli = std::fs::read_to_string(root().join("compiler/cli/tests/codes.rs")).unwrap();
    for code in CODES.iter().filter(|c| !c.retired && c.about_paths()) {
        let test = format!("fn {}_{}()", code.id.to_lowercase(), code.name.replace('-', "_"));
        if !cli.contains(&test) {
            missing.push(format!("compiler/cli/tests/codes.rs: {test}"));
        }
    }
    for code in CODES.iter().filter(|c| !c.retired && !c.about_paths()) {
        let stem = format!("{}-{}", code.id, code.name);
        for suffix in [".hybrid", ".ok.hybrid"] {
            let name = format!("{stem}{suffix}");
            if !files.contains(&name) {
                missing.push(name);
            }
        }
    }
    assert!(missing.is_empty(), "missing fixtures: {missing:?}");
    for f in &files {
        assert!(
            CODES.iter().any(|c| f.starts_with(&format!("{}-{}.", c.id, c.name))),
            "fixture {f} is not named after a registered code"
        );
    }
}

#[test]
fn rendered_diagnostics_snapshot() {
    for path in fixtures().iter().filter(|p| !is_ok_fixture(p)) {
        let c = compile(path, &RealFs).unwrap();
        let opts = HumanOptions { color: false, unicode: true, width: 100 };
        // As printed: same-cause warnings aggregated.
        let rendered: Vec<String> =
            aggregate(&c.diagnostics).iter().map(|d| render_human(d, &c.sources, opts)).collect();
        let name = path.file_stem().and_then(|n| n.to_str()).unwrap_or("fixture").to_string();
        insta::with_settings!({ snapshot_path => root().join("tests/snapshots/diagnostics"), prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(name, rendered.join("\n"));
        });
    }
}
