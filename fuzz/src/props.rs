//! The properties the fuzz targets check, one function per target. This
//! file is also compiled into the `tests` crate (`tests/fuzz_regressions.rs`
//! includes it with `#[path]`), so a fuzz finding and its regression test
//! check exactly the same thing. It may therefore only use crates both have:
//! the compiler crates, `serde_json` and `yaml_serde`; the Terraform parser
//! (`hcl-rs` in both) is passed in by the caller.
//!
//! Every property panics (with the offending input in the message where it
//! helps) when it does not hold; "never panics" is the property itself.

#![allow(dead_code)]

use hybrid_core::{Compilation, MemoryFs};
use hybrid_diagnostics::{
    render_human, render_json_acknowledged, render_json_line, render_short, summary_line, Code, HumanOptions, SourceMap,
};
use hybrid_emit::{EmitOptions, OutputTree};
use std::path::PathBuf;

/// Where the fuzzed program lives in the in-memory filesystem.
const DIR: &str = "/fuzz";

/// The names the second, third, … NUL-separated parts of an input get (so
/// `import "a.hybrid"` and `import "../a.hybrid"` from `lib/` resolve).
const PART_NAMES: &[&str] = &["a.hybrid", "lib/b.hybrid", "lib/c.hybrid"];

/// The program an input stands for: the in-memory files and the entry.
///
/// Files are read as the CLI reads them: bytes that are not UTF-8 make the
/// file unreadable (`RealFs::read` fails with "not valid UTF-8"), so nothing
/// is compiled and `None` is returned. The text is split on NUL bytes (which
/// KDL forbids anyway): the first part is `main.hybrid`, the others are
/// `a.hybrid`, `lib/b.hybrid`, `lib/c.hybrid`, `f4.hybrid`, … so imports
/// and multi-file programs are fuzzed too. An input that starts with a NUL
/// byte is compiled as a folder program; otherwise `main.hybrid` is the
/// entry and the other files are reached only through `import`.
pub fn program(data: &[u8]) -> Option<(MemoryFs, PathBuf)> {
    let text = std::str::from_utf8(data).ok()?;
    let mut fs = MemoryFs::new();
    let mut parts = text.split('\0');
    let main = parts.next().unwrap_or("");
    let folder = main.is_empty() && text.contains('\0');
    if !folder {
        fs = fs.with(format!("{DIR}/main.hybrid"), main);
    }
    for (i, part) in parts.enumerate() {
        let name = PART_NAMES.get(i).map(|s| s.to_string()).unwrap_or_else(|| format!("f{}.hybrid", i + 1));
        fs = fs.with(format!("{DIR}/{name}"), part);
    }
    let entry = if folder { PathBuf::from(DIR) } else { PathBuf::from(format!("{DIR}/main.hybrid")) };
    Some((fs, entry))
}

/// Compiles an input the way `hybridc check` does; `None` when it is not
/// UTF-8 or cannot be loaded at all (a usage error, not a diagnostic).
pub fn compile(data: &[u8]) -> Option<Compilation> {
    let (fs, entry) = program(data)?;
    hybrid_core::compile(&entry, &fs).ok()
}

/// `parse_check`: load, parse, resolve, check and simulate; every
/// diagnostic obeys the invariants of ARCHITECTURE.md and renders in every
/// format; an error-free program's failure analysis, tables and graphs
/// render.
pub fn parse_check(data: &[u8]) {
    let Some(c) = compile(data) else { return };
    check_diagnostics(&c);
    assert_eq!(c.topology.is_some(), c.errors() == 0, "a topology exactly when there is no error");
    let Some(t) = &c.topology else { return };
    let analysis = hybrid_core::simulate::analyse(t);
    let _ = hybridc::simulate::table_text(t, &analysis);
    let _ = hybridc::simulate::json(t, &analysis).to_string();
    for name in t.sites.iter().map(|s| &s.name).chain(t.clusters.iter().map(|c| &c.name)) {
        let one = hybrid_core::simulate::analyse_one(t, name);
        assert!(one.is_some(), "`{name}` is a site or cluster, so it can fail");
        if let Some(a) = one {
            let _ = hybridc::simulate::table_text(t, &a);
        }
    }
    let _ = hybridc::graph::dot(t);
    let _ = hybridc::graph::mermaid(t);
}

/// Every diagnostic: a registered code, exactly one primary label, every
/// label inside its file on character boundaries, and it renders as human
/// (with and without colour/unicode), short and JSON lines (valid JSON).
pub fn check_diagnostics(c: &Compilation) {
    let map: &SourceMap = &c.sources;
    for d in &c.diagnostics {
        assert!(Code::find(d.code.id).is_some(), "unregistered code {}", d.code.id);
        assert_eq!(d.labels.iter().filter(|l| l.primary).count(), 1, "one primary label: {d:?}");
        for l in &d.labels {
            let file = map.get(l.span.file);
            assert!(file.is_some(), "label in an unknown file: {d:?}");
            if let Some(f) = file {
                assert!(
                    l.span.start <= l.span.end && f.text.get(l.span.range()).is_some(),
                    "label {:?} outside `{}` ({} bytes) or not on character boundaries: {d:?}",
                    l.span,
                    f.name,
                    f.text.len()
                );
            }
        }
        for opts in [
            HumanOptions::default(),
            HumanOptions { color: true, unicode: true, width: 80 },
            HumanOptions { color: false, unicode: false, width: 20 },
        ] {
            let _ = render_human(d, map, opts);
        }
        let _ = render_short(d, map);
        let line = render_json_line(d, map);
        assert!(!line.contains('\n'), "a JSON diagnostic is one line: {line}");
        if let Err(e) = serde_json::from_str::<serde_json::Value>(&line) {
            panic!("JSON diagnostic does not parse ({e}): {line}");
        }
    }
    for a in &c.acknowledged {
        let line = render_json_acknowledged(&a.diagnostic, &a.reason, map);
        if let Err(e) = serde_json::from_str::<serde_json::Value>(&line) {
            panic!("JSON acknowledged warning does not parse ({e}): {line}");
        }
    }
    let _ = summary_line("fuzz", c.errors(), c.warnings(), c.acknowledged.len());
}

/// The options of `hybridc build` (both OpenStack formats).
fn emit_options() -> EmitOptions {
    EmitOptions { openstack: vec!["heat".into(), "terraform".into()] }
}

/// Renders every target, as `hybridc build` does.
fn render(c: &Compilation) -> Option<OutputTree> {
    c.topology.as_ref().map(|t| hybridc::render(t, hybridc::TARGETS, &emit_options()))
}

/// `build`: an error-free program renders with every target into a tree
/// with no clash and only safe relative paths; every `.yaml` document,
/// `.json` file and `.tf` file (checked by `parse_tf`) parses; rendering is
/// deterministic (two compilations, two renders, equal trees).
pub fn build(data: &[u8], parse_tf: &dyn Fn(&str) -> Result<(), String>) {
    let Some(c) = compile(data) else { return };
    let Some(tree) = render(&c) else { return };
    assert!(tree.clashes().is_empty(), "two targets wrote {:?}", tree.clashes());
    for (path, bytes) in tree.files() {
        check_path(path);
        let Ok(text) = std::str::from_utf8(bytes) else { panic!("`{path}` is not UTF-8") };
        if path.ends_with(".yaml") {
            for (i, doc) in yaml_serde::Deserializer::from_str(text).enumerate() {
                // `Value::deserialize(doc)` without naming `serde`, which the
                // tests crate does not depend on (the adapter only changes
                // how enums are read; a `Value` is read as is).
                if let Err(e) = yaml_serde::with::singleton_map::deserialize::<yaml_serde::Value, _>(doc) {
                    panic!("`{path}` document {i} is not YAML ({e}):\n{text}");
                }
            }
        } else if path.ends_with(".json") {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
                panic!("`{path}` is not JSON ({e}):\n{text}");
            }
        } else if path.ends_with(".tf") {
            if let Err(e) = parse_tf(text) {
                panic!("`{path}` is not HCL ({e}):\n{text}");
            }
        }
    }
    let again = compile(data).as_ref().and_then(render);
    assert!(again.as_ref() == Some(&tree), "two builds of one program differ");
    assert!(render(&c).as_ref() == Some(&tree), "two renders of one topology differ");
}

/// A path of the output tree stays inside OUT: relative, `/`-separated,
/// no empty, `.` or `..` component, no backslash or control character.
fn check_path(path: &str) {
    assert!(
        !path.starts_with('/')
            && !path.contains('\\')
            && !path.chars().any(char::is_control)
            && path.split('/').all(|c| !c.is_empty() && c != "." && c != ".."),
        "unsafe output path `{path}`"
    );
}

/// `fmt`: when `format` succeeds, its result parses to the same tree as the
/// input (names, values, literals, type annotations) and formatting it again
/// changes nothing.
pub fn fmt(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(once) = hybrid_syntax::format(text) else { return };
    let file = hybrid_diagnostics::FileId(0);
    let (before, d1) = hybrid_syntax::parse(file, text);
    let (after, d2) = hybrid_syntax::parse(file, &once);
    assert!(d1.is_empty(), "format accepted a text that does not parse: {d1:?}\n{text:?}");
    assert!(d2.is_empty(), "the formatted text does not parse: {d2:?}\ninput: {text:?}\noutput: {once:?}");
    assert!(
        hybrid_syntax::same_nodes(&before, &after),
        "formatting changed the tree\ninput: {text:?}\noutput: {once:?}"
    );
    match hybrid_syntax::format(&once) {
        Ok(twice) => assert!(twice == once, "not idempotent\ninput: {text:?}\nonce: {once:?}\ntwice: {twice:?}"),
        Err(e) => panic!("the formatted text cannot be formatted again ({e})\ninput: {text:?}\nonce: {once:?}"),
    }
}
