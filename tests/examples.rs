//! Every example under `examples/` and the language contract's complete
//! example check with no error and no warning.

use hybrid_core::compile;
use hybrid_tests::root;
use hybridc::RealFs;

#[test]
fn examples_check_clean() {
    let dir = root().join("examples");
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for path in entries.iter().filter(|p| p.is_dir() && p.join("README.md").exists()) {
        let c = compile(path, &RealFs).unwrap();
        let msgs: Vec<String> = c.diagnostics.iter().map(|d| format!("{} {}", d.code.id, d.message)).collect();
        assert!(msgs.is_empty(), "{}: {msgs:?}", path.display());
        assert!(c.topology.is_some());
        checked += 1;
    }
    assert!(checked >= 2, "expected at least two examples, found {checked}");
}

#[test]
fn language_contract_example_checks_clean() {
    let c = compile("programs/language-example.hybrid".as_ref(), &RealFs).unwrap();
    let msgs: Vec<String> = c.diagnostics.iter().map(|d| format!("{} {}", d.code.id, d.message)).collect();
    assert!(msgs.is_empty(), "{msgs:?}");
    let t = c.topology.unwrap();
    assert_eq!(t.name, "shop");
    assert_eq!(t.sites.len(), 2);
    assert_eq!(t.workloads.len(), 2);
    // Profile defaults are merged: `use ha-critical` gives three replicas.
    let order = t.workloads.iter().find(|w| w.name == "order-service").unwrap();
    assert_eq!(order.profiles, vec!["ha-critical".to_string()]);
    assert_eq!(order.service().unwrap().replicas.value, 3);
}
