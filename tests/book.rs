//! The book's generated pages match what the compiler generates now, and
//! every `hybrid` code block in the book checks (or, when marked
//! `hybrid fails=HYxxxx`, reports that code).

use hybrid_core::MemoryFs;
use hybrid_tests::{fenced_blocks, root};
use hybridc::compile;

#[test]
fn generated_pages_are_up_to_date() {
    let pages = [
        ("book/src/reference/language.md", hybrid_core::reference::language_reference()),
        ("book/src/reference/errors.md", hybrid_diagnostics::codes::error_index()),
    ];
    for (path, want) in pages {
        let have = std::fs::read_to_string(root().join(path)).unwrap_or_default();
        assert!(have == want, "{path} is stale: run `cargo xtask reference`");
    }
}

#[test]
fn hybrid_blocks_in_the_book_check() {
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(root().join("book/src")).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "md") || path.ends_with("errors.md") {
            continue;
        }
        let md = std::fs::read_to_string(path).unwrap();
        for (info, body) in fenced_blocks(&md) {
            if info != "hybrid" && !info.starts_with("hybrid fails=") {
                continue;
            }
            let c = compile("example.hybrid".as_ref(), &MemoryFs::new().with("example.hybrid", body)).unwrap();
            let codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code.id).collect();
            match info.strip_prefix("hybrid fails=") {
                Some(code) => {
                    assert!(codes.contains(&code), "{}: block should fail with {code}: {codes:?}", path.display())
                }
                None => assert!(c.errors() == 0, "{}: block has errors: {codes:?}", path.display()),
            }
            checked += 1;
        }
    }
    assert!(checked > 0, "the book has no hybrid blocks");
}

/// Every `text` block of the book that shows `$ hybridc simulate
/// examples/NAME --fail FAILURE` shows what that command prints today.
#[test]
fn simulate_samples_in_the_book_are_true() {
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(root().join("book/src")).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let md = std::fs::read_to_string(entry.path()).unwrap();
        for (info, body) in fenced_blocks(&md) {
            let Some((command, shown)) = body.split_once('\n') else { continue };
            let Some(args) = command.strip_prefix("$ hybridc simulate ") else { continue };
            if info != "text" {
                continue; // an error's transcript (`console`), shown by its code's page
            }
            let args: Vec<&str> = args.split_whitespace().collect();
            let [example, "--fail", failure] = args[..] else {
                panic!(
                    "{}: write a simulate sample as `$ hybridc simulate examples/NAME --fail NAME`",
                    entry.path().display()
                )
            };
            let t = compile(&root().join(example), &hybridc::RealFs).unwrap().topology.unwrap();
            let analysis = hybrid_core::simulate::analyse_one(&t, failure).unwrap();
            let printed = hybridc::simulate::table_text(&t, &analysis);
            assert_eq!(
                shown.trim_end(),
                printed.trim_end(),
                "{}: the simulate sample is stale",
                entry.path().display()
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "the book shows no simulate sample");
}
