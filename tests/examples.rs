//! Every example under `examples/` and the language contract's complete
//! example check with no error, and every example passes `--deny warnings`:
//! a warning it means to keep (the failure analysis says what a single-site
//! example loses) is acknowledged, and the acknowledged warnings are
//! snapshotted with their reasons, so a new one is reviewed. Each example is its own test (`per_example!`), so one
//! mismatch never hides another.

use hybrid_core::compile;
use hybrid_diagnostics::render_short;
use hybrid_tests::{per_example, root, LISTED_EXAMPLES};
use hybridc::RealFs;
use std::path::PathBuf;

/// Every folder of `examples/` is listed in `per_example!` (and nothing
/// else is), so no example goes untested.
#[test]
fn every_example_folder_is_listed() {
    let mut folders: Vec<String> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_string_lossy().to_string())
        .collect();
    folders.sort();
    assert_eq!(folders, LISTED_EXAMPLES, "list every folder of examples/ in `per_example!` (tests/lib.rs)");
    for name in LISTED_EXAMPLES {
        assert!(root().join("examples").join(name).join("README.md").is_file(), "examples/{name} has no README.md");
    }
}

/// One example checks without error or warning; its acknowledged warnings
/// are snapshotted.
fn check_clean(name: &str) {
    let rel = PathBuf::from("../examples").join(name);
    let c = compile(&rel, &RealFs).unwrap();
    let errors: Vec<String> =
        c.diagnostics.iter().filter(|d| d.is_error()).map(|d| format!("{} {}", d.code.id, d.message)).collect();
    assert!(errors.is_empty(), "{}: {errors:?}", rel.display());
    assert!(c.topology.is_some());
    let warnings: Vec<String> = c.diagnostics.iter().map(|d| render_short(d, &c.sources)).collect();
    assert!(warnings.is_empty(), "{}: acknowledge an intended warning or fix it: {warnings:#?}", rel.display());
    let warnings: Vec<String> = c
        .acknowledged
        .iter()
        .map(|a| format!("acknowledged ({}): {}", a.reason, render_short(&a.diagnostic, &c.sources)))
        .collect();
    let name = format!("example-{name}");
    insta::with_settings!({ snapshot_path => root().join("tests/snapshots/examples"), prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, warnings.join("\n"));
    });
}

mod check_clean {
    super::per_example!(super::check_clean);
}

#[test]
fn language_contract_example_checks_clean() {
    let c = compile("programs/language-example.hybrid".as_ref(), &RealFs).unwrap();
    let msgs: Vec<String> = c.diagnostics.iter().map(|d| format!("{} {}", d.code.id, d.message)).collect();
    // It compiles with two warnings: its `mode=sync rpo="0s"` between two
    // ceph pools is a promise RBD mirroring (asynchronous) cannot keep, and
    // the vm has one placement.
    assert_eq!(c.errors(), 0, "{msgs:?}");
    assert_eq!(
        msgs,
        vec![
            "HY3011 replication `orders` promises an RPO of 0s, but Ceph RBD mirroring delivers 1m at best".to_string(),
            "HY2101 vm `legacy-erp` has no surviving placement if cluster `shop-a` fails".to_string(),
        ]
    );
    let t = c.topology.unwrap();
    assert_eq!(t.name, "shop");
    assert_eq!(t.sites.len(), 2);
    assert_eq!(t.workloads.len(), 2);
    // Profile defaults are merged: `use ha-critical` gives three replicas.
    let order = t.workloads.iter().find(|w| w.name == "order-service").unwrap();
    assert_eq!(order.profiles, vec!["ha-critical".to_string()]);
    assert_eq!(order.service().unwrap().replicas.value, 3);
}

/// The failure analysis of one example, as JSON (stable) and as the table.
fn simulate(name: &str) {
    let path = root().join("examples").join(name);
    let c = compile(&path, &RealFs).unwrap();
    let t = c.topology.unwrap();
    let a = hybrid_core::simulate::analyse(&t);
    let json = serde_json::to_string_pretty(&hybridc::simulate::json(&t, &a)).unwrap();
    let table = hybridc::simulate::table_text(&t, &a);
    insta::with_settings!({ snapshot_path => root().join("tests/snapshots/simulate"), prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(format!("{name}-json"), json);
        insta::assert_snapshot!(format!("{name}-table"), table);
    });
}

mod simulate {
    super::per_example!(super::simulate);
}

/// The picture of one example, as Graphviz DOT and as Mermaid.
fn graph(name: &str) {
    let path = root().join("examples").join(name);
    let c = compile(&path, &RealFs).unwrap();
    let t = c.topology.unwrap();
    insta::with_settings!({ snapshot_path => root().join("tests/snapshots/graph"), prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(format!("{name}-dot"), hybridc::graph::dot(&t));
        insta::assert_snapshot!(format!("{name}-mermaid"), hybridc::graph::mermaid(&t));
    });
}

mod graph {
    super::per_example!(super::graph);
}
