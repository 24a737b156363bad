//! Every example under `examples/` and the language contract's complete
//! example check with no error; their warnings (the failure analysis says
//! what a single-site example loses) are snapshotted, so a new one is
//! reviewed.

use hybrid_core::compile;
use hybrid_diagnostics::render_short;
use hybrid_tests::{examples, root};
use hybridc::RealFs;
use std::path::PathBuf;

#[test]
fn examples_check_clean() {
    let mut checked = 0;
    for path in &examples() {
        let rel = PathBuf::from("../examples").join(path.file_name().unwrap());
        let c = compile(&rel, &RealFs).unwrap();
        let errors: Vec<String> =
            c.diagnostics.iter().filter(|d| d.is_error()).map(|d| format!("{} {}", d.code.id, d.message)).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        assert!(c.topology.is_some());
        let warnings: Vec<String> = c.diagnostics.iter().map(|d| render_short(d, &c.sources)).collect();
        let name = format!("example-{}", path.file_name().unwrap().to_string_lossy());
        insta::with_settings!({ snapshot_path => root().join("tests/snapshots/examples"), prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(name, warnings.join("\n"));
        });
        checked += 1;
    }
    assert!(checked >= 2, "expected at least two examples, found {checked}");
}

#[test]
fn language_contract_example_checks_clean() {
    let c = compile("programs/language-example.hybrid".as_ref(), &RealFs).unwrap();
    let msgs: Vec<String> = c.diagnostics.iter().map(|d| format!("{} {}", d.code.id, d.message)).collect();
    // The vm has one placement: the failure analysis warns, nothing more.
    assert_eq!(msgs, vec!["HY2101 vm `legacy-erp` has no surviving placement if cluster `shop-a` fails".to_string()]);
    let t = c.topology.unwrap();
    assert_eq!(t.name, "shop");
    assert_eq!(t.sites.len(), 2);
    assert_eq!(t.workloads.len(), 2);
    // Profile defaults are merged: `use ha-critical` gives three replicas.
    let order = t.workloads.iter().find(|w| w.name == "order-service").unwrap();
    assert_eq!(order.profiles, vec!["ha-critical".to_string()]);
    assert_eq!(order.service().unwrap().replicas.value, 3);
}

/// The failure analysis of every example, as JSON (stable) and as the table.
#[test]
fn simulate_snapshots() {
    for path in &examples() {
        let c = compile(path, &RealFs).unwrap();
        let t = c.topology.unwrap();
        let a = hybrid_core::simulate::analyse(&t);
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let json = serde_json::to_string_pretty(&hybridc::simulate::json(&t, &a)).unwrap();
        let table = hybridc::simulate::table_text(&t, &a);
        insta::with_settings!({ snapshot_path => root().join("tests/snapshots/simulate"), prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("{name}-json"), json);
            insta::assert_snapshot!(format!("{name}-table"), table);
        });
    }
}

/// The picture of every example, as Graphviz DOT and as Mermaid.
#[test]
fn graph_snapshots() {
    for path in &examples() {
        let c = compile(path, &RealFs).unwrap();
        let t = c.topology.unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        insta::with_settings!({ snapshot_path => root().join("tests/snapshots/graph"), prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("{name}-dot"), hybridc::graph::dot(&t));
            insta::assert_snapshot!(format!("{name}-mermaid"), hybridc::graph::mermaid(&t));
        });
    }
}
