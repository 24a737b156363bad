//! Properties of `hybrid_syntax::format` over every project `.hybrid` file
//! and seeded whitespace mutations of them: formatting is idempotent, keeps
//! the tree (names, literals, children), and the examples and stdlib are
//! kept formatted.

use hybrid_diagnostics::FileId;
use hybrid_syntax::{format, parse, FormatError, Node};
use hybrid_tests::{root, Rng};
use std::path::PathBuf;

const DIRS: [&str; 5] = ["examples", "stdlib", "tests/diagnostics", "tests/programs", "tests/constructs"];

fn files(dirs: &[&str]) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for dir in dirs {
        for entry in walkdir::WalkDir::new(root().join(dir)).sort_by_file_name() {
            let entry = entry.unwrap();
            if entry.path().extension().is_some_and(|e| e == "hybrid") {
                out.push((entry.path().to_path_buf(), std::fs::read_to_string(entry.path()).unwrap()));
            }
        }
    }
    assert!(out.len() > 5);
    out
}

/// Names, type annotations, literals and blocks, without spans.
fn shape(nodes: &[Node], text: &str, out: &mut String) {
    for n in nodes {
        let ty = n.type_annotation.map(|s| &text[s.range()]).unwrap_or("");
        out.push_str(&format!("{ty}{:?}[", n.name.text));
        for e in &n.entries {
            let ty = e.type_annotation.map(|s| &text[s.range()]).unwrap_or("");
            out.push_str(&format!(" {:?}={ty}{}", e.name.as_ref().map(|k| &k.text), e.raw));
        }
        out.push(']');
        if let Some(children) = &n.children {
            out.push('{');
            shape(children, text, out);
            out.push('}');
        }
        out.push('\n');
    }
}

fn tree(text: &str) -> String {
    let (doc, diags) = parse(FileId(0), text);
    assert!(diags.is_empty(), "does not parse:\n{text}");
    let mut out = String::new();
    shape(&doc.nodes, text, &mut out);
    out
}

/// format(format(x)) == format(x), and the same tree as x.
fn check_one(name: &str, text: &str) -> Option<String> {
    match format(text) {
        Ok(once) => {
            assert_eq!(format(&once).as_deref(), Ok(once.as_str()), "{name}: not idempotent");
            assert_eq!(tree(text), tree(&once), "{name}: the tree changed");
            assert!(!once.lines().any(|l| l.ends_with([' ', '\t'])), "{name}: trailing whitespace");
            Some(once)
        }
        Err(FormatError::Syntax { .. }) => {
            assert!(!parse(FileId(0), text).1.is_empty(), "{name}: refused a file that parses");
            None
        }
        Err(e) => panic!("{name}: {e}"),
    }
}

#[test]
fn every_project_file_formats_idempotently_to_the_same_tree() {
    let mut formatted = 0;
    for (path, text) in files(&DIRS) {
        if check_one(&path.display().to_string(), &text).is_some() {
            formatted += 1;
        }
    }
    assert!(formatted > 100, "{formatted}");
}

#[test]
fn examples_and_stdlib_are_formatted() {
    for (path, text) in files(&["examples", "stdlib"]) {
        assert_eq!(format(&text).as_deref(), Ok(text.as_str()), "run `hybridc fmt {}`", path.display());
    }
}

/// Re-indents lines at random, adds blank lines and trailing spaces, and
/// doubles spaces between words: the same program, laid out badly.
fn mess_up(text: &str, seed: u64) -> String {
    let mut rng = Rng(seed | 1);
    let mut out = String::new();
    for line in text.lines() {
        let body = line.trim_start();
        out.push_str(&" \t   "[..rng.below(5)]);
        if rng.below(4) == 0 && !body.contains(['"', '/']) {
            out.push_str(&body.replacen(' ', "   ", 1 + rng.below(3)));
        } else {
            out.push_str(body);
        }
        if rng.below(5) == 0 {
            out.push_str("  ");
        }
        out.push('\n');
        if rng.below(8) == 0 {
            out.push_str("\n\n");
        }
    }
    out
}

#[test]
fn badly_laid_out_programs_format_to_the_same_text() {
    let mut checked = 0;
    for (path, text) in files(&DIRS) {
        let Some(canonical) = check_one(&path.display().to_string(), &text) else { continue };
        // Only files without multi-line strings and block comments: their
        // lines are text.
        if text.contains("\"\"\"") || text.contains("/*") {
            continue;
        }
        for seed in 0..8u64 {
            let messy = mess_up(&canonical, seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) + 1);
            let name = format!("{} (seed {seed})", path.display());
            let Some(again) = check_one(&name, &messy) else { continue };
            assert_eq!(tree(&messy), tree(&canonical), "{name}");
            assert_eq!(blankless(&again), blankless(&canonical), "{name}");
            checked += 1;
        }
    }
    assert!(checked > 500, "{checked}");
}

/// The text without its blank lines (the messing up adds some on purpose).
fn blankless(text: &str) -> String {
    text.lines().filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
}
