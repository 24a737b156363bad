//! Properties of `hybrid_syntax::format` over every project `.hybrid` file
//! and seeded mutations of them (whitespace; line continuations with
//! comments at entry boundaries): formatting is idempotent, keeps the tree
//! (names, literals, children), and the examples and stdlib are kept
//! formatted.

use hybrid_diagnostics::FileId;
use hybrid_syntax::{format, parse, Children, FormatError};
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
fn shape(nodes: Children, text: &str, out: &mut String) {
    for n in nodes {
        let ty = n.type_annotation().map(|s| &text[s.range()]).unwrap_or("");
        out.push_str(&format!("{ty}{:?}[", n.name()));
        for e in n.entries() {
            let ty = e.type_annotation().map(|s| &text[s.range()]).unwrap_or("");
            out.push_str(&format!(" {:?}={ty}{}", e.key(), e.raw()));
        }
        out.push(']');
        if n.has_block() {
            out.push('{');
            shape(n.children(), text, out);
            out.push('}');
        }
        out.push('\n');
    }
}

fn tree(text: &str) -> String {
    let (doc, diags) = parse(FileId(0), text);
    assert!(diags.is_empty(), "does not parse:\n{text}");
    let mut out = String::new();
    shape(doc.nodes(), text, &mut out);
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

/// Where a line continuation may go in `text`: after each node's name and
/// after each of its entries (`true` for the node's last one when the line
/// ends there, so that the continuation may continue nothing).
fn entry_boundaries(nodes: Children, text: &str, out: &mut Vec<(usize, bool)>) {
    for n in nodes {
        let mut ends: Vec<usize> = vec![n.name_span().end as usize];
        ends.extend(n.entries().map(|e| e.span().end as usize));
        let last = ends.iter().copied().max().unwrap_or(0);
        for end in ends {
            let rest = text[end..].trim_start_matches([' ', '\t']);
            let line_ends = !n.has_block() && end == last && (rest.is_empty() || rest.starts_with('\n'));
            out.push((end, line_ends));
        }
        entry_boundaries(n.children(), text, out);
    }
}

/// A line continuation with comments that continues the node: then the
/// next entry, on a line of its own. The line breaks are LF, CRLF, a lone
/// CR, NEL and U+2028.
const CONTINUATIONS: [&str; 10] = [
    " \\\n",
    " \\ // why\n",
    " \\// why\r\n",
    " \\ /* why */\n",
    " \\ /* why */ // and\n",
    " \\ /* one\n   two */\n",
    " \\ // why\u{2028}",
    " \\\t// why\u{85}",
    " \\ /* a\u{2028}b */ // c\r",
    " \\\n  \\ // twice\n",
];

/// A line continuation that continues nothing, at the end of a node's line:
/// blank lines, comment lines and `;` may follow it.
const ENDINGS: [&str; 8] = [
    " \\ // why\n",
    " \\\n// a comment line\n",
    " \\ // why\n\n// after a blank line\n",
    " \\ // why\n;/* a\n// b */\n",
    " \\ // why\n; /* a\n b */\n",
    " \\ // why\n;/* a\u{2028}// b */\n",
    " \\ // why\n\\ /* a\u{85}b */\n",
    " \\ /* one\n two */ // why\n\\ // again\n",
];

/// `text` with one to four line continuations (with line and block
/// comments, two in a row, or continuing nothing before a blank line, a
/// comment line or `;`) at entry boundaries.
fn continue_lines(text: &str, seed: u64) -> String {
    let (doc, _) = parse(FileId(0), text);
    let mut spots = Vec::new();
    entry_boundaries(doc.nodes(), text, &mut spots);
    let mut rng = Rng(seed | 1);
    let mut chosen: Vec<(usize, String)> = Vec::new();
    for _ in 0..1 + rng.below(4) {
        let (at, line_ends) = spots[rng.below(spots.len())];
        let piece = if line_ends && rng.below(2) == 0 {
            ENDINGS[rng.below(ENDINGS.len())].to_string()
        } else {
            // The continued line's indentation (never none after a lone
            // CR, which would make a CRLF with the break after it).
            let indent = ["  ", "      ", "\t", ""][rng.below(3 + usize::from(!line_ends))];
            format!("{}{indent}", CONTINUATIONS[rng.below(CONTINUATIONS.len())])
        };
        if !chosen.iter().any(|(a, _)| *a == at) {
            chosen.push((at, piece));
        }
    }
    chosen.sort();
    let mut out = text.to_string();
    for (at, piece) in chosen.iter().rev() {
        out.insert_str(*at, piece);
    }
    out
}

#[test]
fn line_continuations_with_comments_format_in_one_pass_to_the_same_tree() {
    let mut checked = 0;
    for (path, text) in files(&DIRS) {
        if !parse(FileId(0), &text).1.is_empty() {
            continue;
        }
        for seed in 0..12u64 {
            let mutated = continue_lines(&text, seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) + 7);
            let name = format!("{} (continuations, seed {seed})", path.display());
            assert_eq!(tree(&mutated), tree(&text), "{name}: the mutation changed the program:\n{mutated}");
            assert!(check_one(&name, &mutated).is_some(), "{name}: refused");
            checked += 1;
        }
    }
    assert!(checked > 1000, "{checked}");
}
