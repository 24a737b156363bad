//! `hybridc build`, in process: a golden snapshot of every example's whole
//! output tree, and determinism (twice, and with the folder's files
//! discovered in another order). The writing guarantees are tested on the
//! real binary in `compiler/cli/tests/build.rs`. Each example is its own
//! test (`per_example!`), so one mismatch never hides another.

use hybrid_core::load::ReadError;
use hybrid_core::{compile, FileSystem};
use hybrid_emit::{EmitOptions, OutputTree};
use hybrid_tests::{examples, per_example, root};
use hybridc::{render, RealFs, TARGETS};
use std::fs;
use std::path::{Path, PathBuf};

fn tree_of(path: &Path, fs: &dyn FileSystem) -> OutputTree {
    let c = compile(path, fs).unwrap();
    let t = c.topology.unwrap_or_else(|| panic!("{} has errors", path.display()));
    render(&t, TARGETS, &EmitOptions::default())
}

fn example(name: &str) -> PathBuf {
    root().join("examples").join(name)
}

fn listing(tree: &OutputTree) -> String {
    let mut s = String::new();
    for (path, bytes) in tree.files() {
        s.push_str(&format!("=== {path}\n{}\n", String::from_utf8_lossy(bytes)));
    }
    s
}

/// The golden snapshot of one example's whole output tree.
fn golden_output(name: &str) {
    let tree = tree_of(&example(name), &RealFs);
    assert!(tree.clashes().is_empty());
    insta::with_settings!({ snapshot_path => root().join("tests/snapshots/build"), prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(format!("build-{name}"), listing(&tree));
    });
}

mod golden_output {
    super::per_example!(super::golden_output);
}

/// Every YAML file of one example, read back by a real YAML parser and
/// written again by `emit::yaml`, gives the same bytes: the writer says
/// exactly what the reader reads.
fn yaml_reads_back(name: &str) {
    let tree = tree_of(&example(name), &RealFs);
    for (path, bytes) in tree.files().filter(|(p, _)| p.ends_with(".yaml")) {
        let text = std::str::from_utf8(bytes).unwrap();
        let docs = hybrid_emit::yaml::read_documents(text).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(!docs.is_empty(), "{path}");
        assert_eq!(hybrid_emit::yaml::documents(&docs), text, "{path}");
    }
}

mod every_yaml_file_reads_back_to_the_same_bytes {
    super::per_example!(super::yaml_reads_back);
}

/// The real filesystem, but a folder's files come back in reverse order.
struct Reversed;
impl FileSystem for Reversed {
    fn read(&self, path: &Path) -> Result<String, ReadError> {
        RealFs.read(path)
    }
    fn is_dir(&self, path: &Path) -> bool {
        RealFs.is_dir(path)
    }
    fn hybrid_files(&self, dir: &Path) -> Result<Vec<PathBuf>, String> {
        RealFs.hybrid_files(dir).map(|mut v| {
            v.reverse();
            v
        })
    }
}

/// One example renders the same tree twice, and with its folder's files
/// discovered in reverse order.
fn deterministic(name: &str) {
    let ex = example(name);
    let a = tree_of(&ex, &RealFs);
    let b = tree_of(&ex, &RealFs);
    let c = tree_of(&ex, &Reversed);
    assert_eq!(a, b, "{}", ex.display());
    assert_eq!(a, c, "{} depends on discovery order", ex.display());
}

mod output_is_deterministic {
    super::per_example!(super::deterministic);
}

/// Small programs, one per construct, and the files each one produces.
#[test]
fn golden_output_per_construct() {
    let dir = root().join("tests/constructs");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 5);
    for f in files {
        let name = f.file_stem().unwrap().to_string_lossy().to_string();
        let tree = tree_of(&f, &RealFs);
        insta::with_settings!({ snapshot_path => root().join("tests/snapshots/constructs"), prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("construct-{name}"), listing(&tree));
        });
    }
}

/// Every file written directly in a `kubernetes/` folder (not a workload
/// file) is registered by a target with its place in the kustomization, and
/// no two targets register one name.
#[test]
fn cluster_wide_files_are_registered() {
    let registered: Vec<&str> = TARGETS.iter().flat_map(|t| t.cluster_files()).map(|f| f.name).collect();
    let mut unique = registered.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), registered.len(), "{registered:?}");
    let mut programs = examples();
    programs.extend(fs::read_dir(root().join("tests/constructs")).unwrap().map(|e| e.unwrap().path()));
    let mut seen = 0;
    for program in programs {
        let tree = tree_of(&program, &RealFs);
        for (path, _) in tree.files() {
            let Some((_, file)) = path.split_once(&format!("/{}/", hybrid_emit::KUBERNETES)) else { continue };
            if !file.contains('/') && file != "kustomization.yaml" {
                assert!(registered.contains(&file), "{path} is not a registered cluster-wide file");
                seen += 1;
            }
        }
    }
    assert!(seen > 0);
}

/// The documents of one generated file, parsed back.
fn docs(tree: &OutputTree, path: &str) -> Vec<serde_json::Value> {
    let text = String::from_utf8(tree.get(path).unwrap_or_else(|| panic!("no {path}")).to_vec()).unwrap();
    text.split("\n---\n").map(|d| yaml_serde::from_str(d).unwrap()).collect()
}

fn of_kind<'a>(docs: &'a [serde_json::Value], kind: &str, name: &str) -> &'a serde_json::Value {
    docs.iter()
        .find(|d| d["kind"] == kind && d["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {name}"))
}

/// A canary of weight 5 with a header match: the header routes to the
/// canary first, the last route splits 95/5, both subsets and the outlier
/// detection are defined, and the canary's Deployment carries the label
/// its subset selects.
#[test]
fn canary_routes_subsets_and_deployments_agree() {
    let tree = tree_of(&root().join("tests/constructs/versions.hybrid"), &RealFs);
    let d = docs(&tree, "dc-a/shop-a/kubernetes/shop/catalog.yaml");
    let vs = of_kind(&d, "VirtualService", "catalog");
    let http = vs["spec"]["http"].as_array().unwrap();
    assert_eq!(http[0]["match"][0]["headers"]["x-canary"]["exact"], "on");
    assert_eq!(http[0]["route"][0]["destination"]["subset"], "v2");
    let last = &http[http.len() - 1]["route"];
    assert_eq!((last[0]["destination"]["subset"].clone(), last[0]["weight"].clone()), ("stable".into(), 95.into()));
    assert_eq!((last[1]["destination"]["subset"].clone(), last[1]["weight"].clone()), ("v2".into(), 5.into()));
    let dr = of_kind(&d, "DestinationRule", "catalog");
    let subsets: Vec<&str> =
        dr["spec"]["subsets"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert!(subsets.contains(&"stable") && subsets.contains(&"v2"), "{subsets:?}");
    assert_eq!(dr["spec"]["trafficPolicy"]["outlierDetection"]["consecutive5xxErrors"], 5);
    let canary = of_kind(&d, "Deployment", "catalog-v2");
    assert_eq!(canary["spec"]["template"]["metadata"]["labels"]["version"], "v2");
    assert_eq!(canary["spec"]["template"]["spec"]["containers"][0]["image"], "registry.example.com/shop/catalog:3.3.0");
}

/// A migrate from a vSphere vm known by a DNS name: a ServiceEntry for that
/// name and a WorkloadEntry at it declare the vm to the mesh of `apps` (the
/// cluster at its site), in the vm's own file, and the cluster's
/// prerequisites list the name's DNS record; the VirtualService on the name
/// sends 20% to the service — 18 to its stable subset, 2 to its canary, as
/// the canary's weight of 10 shares it — and 80% to the vm. `apps-b` runs
/// the service too, but no mesh there reaches the vm: no migration object
/// is written there.
#[test]
fn migrate_from_a_vsphere_vm_declares_it_to_the_mesh() {
    let tree = tree_of(&root().join("tests/constructs/migrate.hybrid"), &RealFs);
    let vm = docs(&tree, "dc-a/apps/kubernetes/erp/billing-vm.yaml");
    let se = of_kind(&vm, "ServiceEntry", "billing-vm");
    assert_eq!(se["spec"]["hosts"][0], "billing.legacy.example.com");
    assert_eq!(se["spec"]["resolution"], "DNS");
    let we = of_kind(&vm, "WorkloadEntry", "billing-vm");
    assert_eq!(we["spec"]["address"], "billing.legacy.example.com");
    assert_eq!(we["spec"]["labels"]["app.kubernetes.io/name"], "billing-vm");
    let prerequisites = String::from_utf8(tree.get("dc-a/apps/prerequisites.yaml").unwrap().to_vec()).unwrap();
    assert!(prerequisites.contains("name: billing.legacy.example.com"), "{prerequisites}");
    let d = docs(&tree, "dc-a/apps/kubernetes/erp/billing.yaml");
    let vs = of_kind(&d, "VirtualService", "migrate-billing-to-containers");
    assert_eq!(vs["spec"]["hosts"][0], "billing.legacy.example.com");
    let route: Vec<(String, String, i64)> = vs["spec"]["http"][0]["route"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let dst = &r["destination"];
            (
                dst["host"].as_str().unwrap().to_string(),
                dst["subset"].as_str().unwrap_or("").to_string(),
                r["weight"].as_i64().unwrap(),
            )
        })
        .collect();
    let want = [
        ("billing.erp.svc.cluster.local", "stable", 18),
        ("billing.erp.svc.cluster.local", "v2", 2),
        ("billing.legacy.example.com", "", 80),
    ];
    assert_eq!(route, want.map(|(h, s, w)| (h.to_string(), s.to_string(), w)));
    for path in ["dc-b/apps-b/kubernetes/erp/billing.yaml", "dc-b/apps-b/kubernetes/erp/reports.yaml"] {
        let d = docs(&tree, path);
        assert!(
            !d.iter().any(|o| o["metadata"]["name"].as_str().is_some_and(|n| n.starts_with("migrate-"))),
            "{path} routes a migration its mesh cannot reach"
        );
    }
    assert!(tree.get("dc-b/apps-b/kubernetes/erp/billing-vm.yaml").is_none());
}

/// A migrate from a vSphere vm known by its IP address: a WorkloadEntry at
/// that address, selected by a Kubernetes Service with the vm's ports, so
/// the mesh reaches the vm as `VM.TOPOLOGY.svc.cluster.local` — no name is
/// made up. The vSphere README tells the operator to give the vm that
/// address.
#[test]
fn migrate_from_a_vm_with_an_ip_address_selects_it_with_a_service() {
    let tree = tree_of(&root().join("tests/constructs/migrate.hybrid"), &RealFs);
    let vm = docs(&tree, "dc-a/apps/kubernetes/erp/ledger-vm.yaml");
    let svc = of_kind(&vm, "Service", "ledger-vm");
    assert_eq!(svc["spec"]["selector"]["app.kubernetes.io/name"], "ledger-vm");
    let ports: Vec<i64> =
        svc["spec"]["ports"].as_array().unwrap().iter().map(|p| p["port"].as_i64().unwrap()).collect();
    assert_eq!(ports, [7000, 7001]);
    let we = of_kind(&vm, "WorkloadEntry", "ledger-vm");
    assert_eq!(we["spec"]["address"], "10.10.40.21");
    assert_eq!(we["spec"]["ports"]["grpc-7000"], 7000);
    let d = docs(&tree, "dc-a/apps/kubernetes/erp/ledger.yaml");
    let vs = of_kind(&d, "VirtualService", "migrate-ledger-to-containers");
    assert_eq!(vs["spec"]["hosts"][0], "ledger-vm.erp.svc.cluster.local");
    let readme = String::from_utf8(tree.get("dc-a/legacy/vsphere/README.md").unwrap().to_vec()).unwrap();
    assert!(readme.contains("`10.10.40.21`"), "{readme}");
    for (path, bytes) in tree.files() {
        assert!(!String::from_utf8_lossy(bytes).contains(".internal"), "{path} has a made-up host name");
    }
}

/// An exposed service with `allow-from`: the ingress gateway serves its
/// host, so the AuthorizationPolicy admits the gateway's identity and the
/// NetworkPolicy the gateway's pods, beside the listed callers; a service
/// that is not exposed admits its callers only.
#[test]
fn an_exposed_service_admits_the_ingress_gateway() {
    let tree = tree_of(&root().join("tests/constructs/expose.hybrid"), &RealFs);
    let d = docs(&tree, "dc-a/shop-a/kubernetes/web/storefront.yaml");
    let ap = of_kind(&d, "AuthorizationPolicy", "storefront");
    let principals = &ap["spec"]["rules"][0]["from"][0]["source"]["principals"];
    assert_eq!(
        principals,
        &serde_json::json!([
            "cluster.local/ns/shop/sa/monitor",
            "cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account"
        ])
    );
    let np = of_kind(&d, "NetworkPolicy", "storefront");
    let from = np["spec"]["ingress"][0]["from"].as_array().unwrap();
    assert!(
        from.iter()
            .any(|peer| peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"] == "istio-system"
                && peer["podSelector"]["matchLabels"]["istio"] == "ingressgateway"),
        "{from:?}"
    );
    let gateway = of_kind(&docs(&tree, "dc-a/shop-a/kubernetes/web/storefront.yaml"), "Gateway", "storefront-gateway")
        ["spec"]["selector"]
        .clone();
    assert_eq!(gateway, serde_json::json!({ "istio": "ingressgateway" }));
}

/// `allow-from` a KubeVirt vm admitted the whole namespace (its `default`
/// ServiceAccount). The vm now runs as its own ServiceAccount — named in a
/// `serviceAccount` volume, with the disk KubeVirt needs for it — and the
/// AuthorizationPolicy admits exactly that identity.
#[test]
fn a_kubevirt_vm_caller_is_admitted_by_its_own_identity() {
    let tree = tree_of(&example("shop"), &RealFs);
    let d = docs(&tree, "dc-a/shop-a/kubernetes/shop/orders-db.yaml");
    let ap = of_kind(&d, "AuthorizationPolicy", "orders-db");
    let principals = &ap["spec"]["rules"][0]["from"][0]["source"]["principals"];
    assert_eq!(
        principals,
        &serde_json::json!(["cluster.local/ns/shop/sa/order-service", "cluster.local/ns/shop/sa/legacy-erp"])
    );
    let vm = docs(&tree, "dc-a/shop-a/kubernetes/shop/legacy-erp.yaml");
    of_kind(&vm, "ServiceAccount", "legacy-erp");
    let template = &of_kind(&vm, "VirtualMachine", "legacy-erp")["spec"]["template"]["spec"];
    let volumes = template["volumes"].as_array().unwrap();
    let sa = volumes.iter().find(|v| v.get("serviceAccount").is_some()).expect("a serviceAccount volume");
    assert_eq!(sa["serviceAccount"]["serviceAccountName"], "legacy-erp");
    let disks = template["domain"]["devices"]["disks"].as_array().unwrap();
    assert!(disks.iter().any(|d| d["name"] == sa["name"]), "every volume needs its disk");
}

/// Vms on vSphere that join the mesh (`mesh istio`) are admitted by the
/// ServiceAccount their WorkloadEntry names, generated beside it; the
/// cluster's prerequisites list the Istio agent each must run. The
/// NetworkPolicy admits a vm outside Kubernetes by its IP address, or by
/// its network's CIDR when it has none (a DNS name, no address).
#[test]
fn vm_callers_outside_kubernetes_have_identities_and_addresses() {
    let tree = tree_of(&root().join("tests/constructs/vm-callers.hybrid"), &RealFs);
    let orders = docs(&tree, "dc-a/apps/kubernetes/erp/orders.yaml");
    let principals =
        &of_kind(&orders, "AuthorizationPolicy", "orders")["spec"]["rules"][0]["from"][0]["source"]["principals"];
    assert_eq!(
        principals,
        &serde_json::json!([
            "cluster.local/ns/erp/sa/erp-vm",
            "cluster.local/ns/erp/sa/ledger-vm",
            "cluster.local/ns/erp/sa/archive-vm"
        ])
    );
    for vm in ["ledger-vm", "archive-vm"] {
        let d = docs(&tree, &format!("dc-a/apps/kubernetes/erp/{vm}.yaml"));
        of_kind(&d, "ServiceAccount", vm);
        assert_eq!(of_kind(&d, "WorkloadEntry", vm)["spec"]["serviceAccount"], vm);
    }
    let prerequisites = String::from_utf8(tree.get("dc-a/apps/prerequisites.yaml").unwrap().to_vec()).unwrap();
    assert!(
        prerequisites.contains("meshVms:") && prerequisites.contains("serviceAccount: ledger-vm"),
        "{prerequisites}"
    );
    let blocks = |path: &str, name: &str| -> Vec<String> {
        let d = docs(&tree, path);
        of_kind(&d, "NetworkPolicy", name)["spec"]["ingress"][0]["from"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["ipBlock"]["cidr"].as_str().map(str::to_string))
            .collect()
    };
    assert_eq!(blocks("dc-a/apps/kubernetes/erp/orders.yaml", "orders"), ["10.10.40.21/32", "10.10.0.0/16"]);
    assert_eq!(blocks("dc-a/batch/kubernetes/erp/faxes.yaml", "faxes"), ["10.10.0.0/16", "10.10.40.21/32"]);
}
