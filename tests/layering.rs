//! The crate boundaries that keep the compiler honest: a target crate
//! depends only on `hybrid-model` and `hybrid-emit` among the workspace's
//! crates (it cannot reach the parser, the checker or another target), and
//! the pure compiler crates do not depend on the CLI.

use hybrid_tests::root;

/// The workspace crates named in a manifest's `[dependencies]` table.
fn workspace_deps(manifest: &str) -> Vec<String> {
    let mut in_deps = false;
    let mut out = Vec::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line == "[dependencies]";
            continue;
        }
        if in_deps {
            if let Some((name, _)) = line.split_once('=') {
                let name = name.trim().trim_end_matches(".workspace").to_string();
                if name.starts_with("hybrid") {
                    out.push(name);
                }
            }
        }
    }
    out
}

#[test]
fn targets_see_only_model_and_emit() {
    let mut checked = 0;
    for entry in std::fs::read_dir(root().join("targets")).unwrap() {
        let dir = entry.unwrap().path();
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        for dep in workspace_deps(&manifest) {
            assert!(dep == "hybrid-model" || dep == "hybrid-emit", "{} depends on {dep}", dir.display());
        }
        checked += 1;
    }
    assert!(checked >= 4);
}

#[test]
fn compiler_crates_do_not_depend_on_the_cli() {
    for krate in ["diagnostics", "syntax", "core", "model", "emit"] {
        let manifest = std::fs::read_to_string(root().join("compiler").join(krate).join("Cargo.toml")).unwrap();
        let deps = workspace_deps(&manifest);
        assert!(!deps.iter().any(|d| d == "hybridc"), "compiler/{krate} depends on the CLI");
        assert!(!deps.iter().any(|d| d.starts_with("hybrid-target")), "compiler/{krate} depends on a target");
    }
}

#[test]
fn reads_dependency_tables() {
    let m = "[package]\nname = \"x\"\n[dependencies]\nhybrid-model.workspace = true\nserde = \"1\"\n[dev-dependencies]\nhybrid-core.workspace = true\n";
    assert_eq!(workspace_deps(m), vec!["hybrid-model".to_string()]);
}
