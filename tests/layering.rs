//! The crate boundaries that keep the compiler honest, read from
//! `cargo metadata`: every workspace crate belongs to a layer, and a crate
//! depends (normal, build or dev) only on the layers its own layer may
//! see — a target on `model`, `emit` and `span`, never on the parser, the
//! checker, the CLI or another target; `span` on nothing; the allocator
//! (`alloc`) on nothing, and only the binary and the tools use it.

use hybrid_tests::root;
use serde_json::Value;
use std::collections::BTreeMap;

/// The layers, lowest first, and the layers each one may depend on. Every
/// allowed layer comes earlier in this table, so the layering has no cycle.
const LAYERS: &[(&str, &[&str])] = &[
    ("span", &[]),
    ("alloc", &[]),
    ("diagnostics", &["span"]),
    ("syntax", &["diagnostics", "span"]),
    ("model", &["span"]),
    ("core", &["syntax", "diagnostics", "model", "span"]),
    ("emit", &["model", "span"]),
    ("target", &["model", "emit", "span"]),
    ("lsp", &["core", "syntax", "diagnostics", "span"]),
    ("cli", &["span", "diagnostics", "syntax", "core", "model", "emit", "target", "lsp", "alloc"]),
    // Tools outside the product: they may use anything, nothing uses them.
    ("tool", &["span", "diagnostics", "syntax", "core", "model", "emit", "target", "lsp", "cli", "alloc"]),
];

/// The layer of a workspace crate; `None` for one this test does not know.
fn layer(package: &str) -> Option<&'static str> {
    Some(match package {
        "hybrid-span" => "span",
        "hybrid-alloc" => "alloc",
        "hybrid-diagnostics" => "diagnostics",
        "hybrid-syntax" => "syntax",
        "hybrid-model" => "model",
        "hybrid-core" => "core",
        "hybrid-emit" => "emit",
        "hybrid-lsp" => "lsp",
        "hybridc" => "cli",
        "hybrid-tests" | "xtask" => "tool",
        p if p.starts_with("hybrid-target-") => "target",
        _ => return None,
    })
}

/// `cargo metadata` of the workspace (its own crates only).
fn metadata() -> Value {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(out.status.success(), "cargo metadata failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Every workspace crate and the workspace crates it depends on, with the
/// kind of dependency (`normal`, `build`, `dev`).
fn workspace_graph() -> BTreeMap<String, Vec<(String, String)>> {
    let meta = metadata();
    let packages = meta["packages"].as_array().unwrap();
    let names: Vec<&str> = packages.iter().map(|p| p["name"].as_str().unwrap()).collect();
    let mut graph = BTreeMap::new();
    for p in packages {
        let deps = p["dependencies"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| names.contains(&d["name"].as_str().unwrap()))
            .map(|d| (d["name"].as_str().unwrap().to_string(), d["kind"].as_str().unwrap_or("normal").to_string()))
            .collect();
        graph.insert(p["name"].as_str().unwrap().to_string(), deps);
    }
    graph
}

#[test]
fn the_layer_table_has_no_cycle() {
    for (i, (name, allowed)) in LAYERS.iter().enumerate() {
        for a in *allowed {
            let j = LAYERS.iter().position(|(n, _)| n == a).unwrap_or_else(|| panic!("`{name}` allows unknown `{a}`"));
            assert!(j < i, "`{name}` may depend on `{a}`, which is not below it");
        }
    }
}

#[test]
fn every_crate_depends_only_on_the_layers_below_it() {
    let graph = workspace_graph();
    let mut wrong = Vec::new();
    for (package, deps) in &graph {
        let Some(from) = layer(package) else {
            wrong.push(format!("`{package}` has no layer: add it to `layer` in tests/layering.rs"));
            continue;
        };
        let allowed = LAYERS.iter().find(|(n, _)| *n == from).map(|(_, a)| *a).unwrap_or_default();
        for (dep, kind) in deps {
            let to = layer(dep).unwrap_or("none");
            if !allowed.contains(&to) {
                wrong.push(format!("{package} ({from}) → {dep} ({to}), a {kind} dependency"));
            }
        }
    }
    assert!(wrong.is_empty(), "dependencies across the layering:\n{}", wrong.join("\n"));
    // The test saw the whole workspace.
    for p in ["hybrid-span", "hybrid-diagnostics", "hybrid-syntax", "hybrid-core", "hybrid-model", "hybrid-emit"] {
        assert!(graph.contains_key(p), "{p} is not a workspace member");
    }
    assert!(graph.keys().filter(|p| p.starts_with("hybrid-target-")).count() >= 4);
    assert!(graph.contains_key("hybridc"));
}

/// What the table means for the targets, said once more plainly.
#[test]
fn targets_see_only_model_emit_and_span() {
    for (package, deps) in workspace_graph().iter().filter(|(p, _)| p.starts_with("hybrid-target-")) {
        for (dep, _) in deps {
            assert!(
                ["hybrid-model", "hybrid-emit", "hybrid-span"].contains(&dep.as_str()),
                "{package} depends on {dep}"
            );
        }
    }
}
