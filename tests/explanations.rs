//! Every code's explanation (`compiler/diagnostics/codes/HYxxxx.md`) has
//! the four sections, a wrong example that reports the code and a right
//! example that reports no error — both compiled here, so the examples in
//! `hybridc explain` and the book cannot rot. A code about a path as a
//! whole (HY8xxx, HY9xxx) shows a command printing it instead; the CLI's
//! `tests/codes.rs` produces each on the real binary.

use hybrid_core::MemoryFs;
use hybrid_diagnostics::CODES;
use hybrid_tests::fenced_blocks;
use hybridc::compile;

#[test]
fn explanations_have_sections_and_tested_examples() {
    let mut problems = Vec::new();
    for code in CODES.iter().filter(|c| !c.retired) {
        let md = code.explanation;
        let title = format!("# {}: {}", code.id, code.name);
        if !md.starts_with(&title) {
            problems.push(format!("{}: must start with `{title}`", code.id));
        }
        for section in ["## What it checks", "## Why", "## Example", "## Fix"] {
            if !md.contains(section) {
                problems.push(format!("{}: missing `{section}`", code.id));
            }
        }
        let blocks = fenced_blocks(md);
        if code.about_paths() {
            // A command and what it prints: the code must be there.
            let shown = blocks
                .iter()
                .any(|(info, body)| info == "console" && body.contains(&format!("{}[{}]: ", code.severity, code.id)));
            if !shown {
                problems
                    .push(format!("{}: needs a ```console example showing `{}[{}]`", code.id, code.severity, code.id));
            }
            continue;
        }
        let wrong: Vec<&String> =
            blocks.iter().filter(|(i, _)| *i == format!("hybrid fails={}", code.id)).map(|(_, b)| b).collect();
        let right: Vec<&String> = blocks.iter().filter(|(i, _)| i == "hybrid").map(|(_, b)| b).collect();
        if wrong.is_empty() || right.is_empty() {
            problems.push(format!("{}: needs a wrong and a right example", code.id));
        }
        for body in wrong {
            let c = compile("example.hybrid".as_ref(), &MemoryFs::new().with("example.hybrid", body.as_str())).unwrap();
            if !c.diagnostics.iter().any(|d| d.code.id == code.id) {
                let got: Vec<&str> = c.diagnostics.iter().map(|d| d.code.id).collect();
                problems.push(format!("{}: wrong example does not report it (got {got:?})", code.id));
            }
        }
        for body in right {
            let c = compile("example.hybrid".as_ref(), &MemoryFs::new().with("example.hybrid", body.as_str())).unwrap();
            let errs: Vec<String> =
                c.diagnostics.iter().filter(|d| d.is_error()).map(|d| format!("{} {}", d.code.id, d.message)).collect();
            if !errs.is_empty() {
                problems.push(format!("{}: right example has errors: {errs:?}", code.id));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
