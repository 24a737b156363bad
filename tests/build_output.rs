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
use std::collections::BTreeSet;
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
        let docs = hybrid_emit::yaml::read_values(text).unwrap_or_else(|e| panic!("{path}: {e}"));
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
    fn read(&self, path: &Path) -> Result<std::sync::Arc<str>, ReadError> {
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
        &serde_json::json!(["shop.example.com/ns/shop/sa/order-service", "shop.example.com/ns/shop/sa/legacy-erp"])
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

/// The objects of one job's (or service's) pods: its pod templates, one
/// per task of a Volcano Job, else the one of a batch Job or Deployment.
fn pod_templates(doc: &serde_json::Value) -> Vec<&serde_json::Value> {
    match doc["spec"]["tasks"].as_array() {
        Some(tasks) => tasks.iter().map(|t| &t["template"]).collect(),
        None => vec![&doc["spec"]["template"]],
    }
}

/// The `nodeLabels` entries of a cluster's prerequisites as
/// `(nodeSelector, labels)` pairs.
fn node_labels(tree: &OutputTree, cluster: &str) -> Vec<(serde_json::Value, serde_json::Value)> {
    let pre = &docs(tree, &format!("{cluster}/prerequisites.yaml"))[0];
    pre["prerequisites"]["nodeLabels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e.get("nodeSelector").cloned().unwrap_or_default(), e["labels"].clone()))
        .collect()
}

/// Each sharing pool's config is selected for that pool's nodes alone: the
/// prerequisites label the nodes of `hybrid.dev/pool=POOL` with
/// `nvidia.com/mig.config=POOL` (MIG) or `nvidia.com/device-plugin.config=POOL`
/// (time-slicing), the ClusterPolicy names both ConfigMaps, and the only
/// default is the MIG manager's `all-disabled`, right for every other node.
#[test]
fn gpu_sharing_configs_are_selected_for_their_pools_nodes() {
    let tree = tree_of(&root().join("tests/constructs/gpu.hybrid"), &RealFs);
    let labels = node_labels(&tree, "dc-a/train");
    let selected = |pool: &str, key: &str| {
        labels.iter().any(|(sel, l)| sel == &serde_json::json!({ "hybrid.dev/pool": pool }) && l[key] == pool)
    };
    assert!(selected("mig", "nvidia.com/mig.config"), "{labels:?}");
    assert!(selected("media", "nvidia.com/mig.config"), "{labels:?}");
    assert!(selected("shared", "nvidia.com/device-plugin.config"), "{labels:?}");
    assert!(!selected("ib", "nvidia.com/mig.config") && !selected("ib", "nvidia.com/device-plugin.config"));
    // The pools' nodes carry the pool label the selectors above use.
    for pool in ["mig", "media", "shared"] {
        assert!(labels.iter().any(|(sel, l)| sel.is_null() && l["hybrid.dev/pool"] == pool), "{pool}: {labels:?}");
    }
    let gpu = docs(&tree, "dc-a/train/kubernetes/gpu.yaml");
    let cp = of_kind(&gpu, "ClusterPolicy", "cluster-policy");
    assert_eq!(cp["spec"]["devicePlugin"]["config"], serde_json::json!({ "name": "time-slicing-config" }));
    assert_eq!(
        cp["spec"]["migManager"]["config"],
        serde_json::json!({ "name": "mig-parted-config", "default": "all-disabled" })
    );
    let ts = of_kind(&gpu, "ConfigMap", "time-slicing-config");
    assert!(ts["data"]["shared"].is_string());
}

/// A `+me` MIG profile is requested as the device plugin advertises it,
/// `nvidia.com/mig-1g.10gb.me` (a `+` is no valid resource name), while the
/// mig-parted config keeps NVIDIA's profile name `1g.10gb+me`.
#[test]
fn a_me_mig_profile_is_requested_by_its_advertised_name() {
    let tree = tree_of(&root().join("tests/constructs/gpu.hybrid"), &RealFs);
    let d = docs(&tree, "dc-a/train/kubernetes/ml/transcode.yaml");
    let limits =
        &of_kind(&d, "Deployment", "transcode")["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"];
    assert_eq!(limits["nvidia.com/mig-1g.10gb.me"], 1, "{limits}");
    assert!(limits.get("nvidia.com/mig-1g.10gb+me").is_none());
    let gpu = docs(&tree, "dc-a/train/kubernetes/gpu.yaml");
    let config = of_kind(&gpu, "ConfigMap", "mig-parted-config")["data"]["config.yaml"].as_str().unwrap();
    assert!(config.contains("1g.10gb+me"), "{config}");
}

/// `rdma #true` reaches the cluster and the workloads that run only on RDMA
/// pools: GPUDirect RDMA in the ClusterPolicy, the Network Operator's shared
/// RDMA device, `IPC_LOCK` added back and a memory-backed `/dev/shm`; a job
/// that may also land on a pool without RDMA gets none of it.
#[test]
fn rdma_pools_give_their_workloads_rdma() {
    let tree = tree_of(&root().join("tests/constructs/gpu.hybrid"), &RealFs);
    let gpu = docs(&tree, "dc-a/train/kubernetes/gpu.yaml");
    let cp = of_kind(&gpu, "ClusterPolicy", "cluster-policy");
    assert_eq!(cp["spec"]["driver"]["rdma"]["enabled"], true);
    let job = &docs(&tree, "dc-a/train/kubernetes/ml/allreduce.yaml")[0];
    for pod in pod_templates(job) {
        let spec = &pod["spec"];
        let c = &spec["containers"][0];
        assert_eq!(c["resources"]["limits"]["rdma/rdma_shared_device_a"], 1, "{c}");
        assert_eq!(c["securityContext"]["capabilities"], serde_json::json!({ "drop": ["ALL"], "add": ["IPC_LOCK"] }));
        assert!(c["volumeMounts"].as_array().unwrap().iter().any(|m| m["mountPath"] == "/dev/shm"), "{c}");
        let shm = spec["volumes"].as_array().unwrap().iter().find(|v| v["name"] == "dshm").unwrap();
        assert_eq!(shm["emptyDir"]["medium"], "Memory");
    }
    let eval = &docs(&tree, "dc-a/train/kubernetes/ml/nightly-eval.yaml")[0];
    for pod in pod_templates(eval) {
        let c = &pod["spec"]["containers"][0];
        assert!(c["resources"]["limits"].get("rdma/rdma_shared_device_a").is_none(), "{c}");
        assert_eq!(c["securityContext"]["capabilities"], serde_json::json!({ "drop": ["ALL"] }));
    }
    let pre = &docs(&tree, "dc-a/train/prerequisites.yaml")[0];
    let ops = pre["prerequisites"]["operators"].as_array().unwrap();
    assert!(ops.iter().any(|o| o["name"] == "NVIDIA Network Operator"), "{ops:?}");
}

/// A service pinned to an RDMA pool gets what a job there gets, in the
/// Deployment it is written as: the device, `IPC_LOCK` added back and the
/// memory-backed `/dev/shm`, and checkov told why on the Deployment.
#[test]
fn a_service_on_an_rdma_pool_gets_rdma() {
    let path = root().join("tests/constructs/gpu.hybrid");
    let mut text = fs::read_to_string(&path).unwrap();
    text.push_str(
        "\nservice feeder {\n  placement train.ib\n  image \"registry.example.com/ml/feeder:1.0.0\"\n  port 7000\n  resources cpu=2 memory=\"4Gi\"\n}\n",
    );
    let tree = tree_of(Path::new("gpu.hybrid"), &hybrid_core::MemoryFs::new().with("gpu.hybrid", text));
    let files = docs(&tree, "dc-a/train/kubernetes/ml/feeder.yaml");
    let deployment = of_kind(&files, "Deployment", "feeder");
    let skip = deployment["metadata"]["annotations"]["checkov.io/skip1"].as_str().unwrap();
    assert!(skip.starts_with("CKV_K8S_25="), "{skip}");
    let spec = &deployment["spec"]["template"]["spec"];
    let c = &spec["containers"][0];
    assert_eq!(c["resources"]["limits"]["rdma/rdma_shared_device_a"], 1, "{c}");
    assert!(c["resources"]["requests"].get("rdma/rdma_shared_device_a").is_none(), "{c}");
    assert_eq!(c["securityContext"]["capabilities"], serde_json::json!({ "add": ["IPC_LOCK"], "drop": ["ALL"] }));
    let mounts: Vec<&str> =
        c["volumeMounts"].as_array().unwrap().iter().filter_map(|m| m["mountPath"].as_str()).collect();
    assert_eq!(mounts, ["/tmp", "/dev/shm"]);
    let volumes: Vec<&str> = spec["volumes"].as_array().unwrap().iter().filter_map(|v| v["name"].as_str()).collect();
    assert_eq!(volumes, ["tmp", "dshm"]);
    // A service off the RDMA pool gets none of it.
    let embed = of_kind(&docs(&tree, "dc-a/train/kubernetes/ml/embed.yaml"), "Deployment", "embed").clone();
    assert!(embed["metadata"].get("annotations").is_none(), "{embed}");
    let c = &embed["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(c["securityContext"]["capabilities"], serde_json::json!({ "drop": ["ALL"] }));
}

/// Volcano Jobs of several workers can rendezvous: a PyTorch launch gets
/// the `pytorch` plugin with a `master` task (rank 0) beside the workers,
/// any other job the `svc` and `env` plugins; a single worker needs none.
#[test]
fn multi_worker_volcano_jobs_get_the_plugins_to_rendezvous() {
    let tree = tree_of(&root().join("tests/constructs/gpu.hybrid"), &RealFs);
    let allreduce = &docs(&tree, "dc-a/train/kubernetes/ml/allreduce.yaml")[0];
    assert_eq!(
        allreduce["spec"]["plugins"],
        serde_json::json!({ "pytorch": ["--master=master", "--worker=worker", "--port=23456"] })
    );
    let tasks: Vec<(&str, u64)> = allreduce["spec"]["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["name"].as_str().unwrap(), t["replicas"].as_u64().unwrap()))
        .collect();
    assert_eq!(tasks, [("master", 1), ("worker", 3)]);
    assert_eq!(allreduce["spec"]["minAvailable"], 4);
    let pretrain = &docs(&tree, "dc-a/train/kubernetes/ml/pretrain.yaml")[0];
    assert_eq!(pretrain["spec"]["plugins"], serde_json::json!({ "env": [], "svc": [] }));
    let eval = &docs(&tree, "dc-a/train/kubernetes/ml/nightly-eval.yaml")[0];
    assert!(eval["spec"].get("plugins").is_none());

    let tree = tree_of(&root().join("tests/constructs/jobs.hybrid"), &RealFs);
    let ddp = &docs(&tree, "dc-a/gangs/kubernetes/lab/ddp.yaml")[0];
    assert!(ddp["spec"]["plugins"].get("pytorch").is_some(), "{}", ddp["spec"]);
    // `framework plain` overrides the launcher: PyTorch's, yet svc and env.
    let elastic = &docs(&tree, "dc-a/gangs/kubernetes/lab/elastic.yaml")[0];
    assert_eq!(elastic["spec"]["plugins"], serde_json::json!({ "env": [], "svc": [] }));
}

/// A job volume is one ReadWriteMany claim, mounted in every worker.
#[test]
fn job_volumes_are_one_shared_claim_in_every_worker() {
    let tree = tree_of(&root().join("tests/constructs/jobs.hybrid"), &RealFs);
    let docs = docs(&tree, "dc-a/gangs/kubernetes/lab/ddp.yaml");
    let claim = &docs[1];
    assert_eq!(claim["kind"], "PersistentVolumeClaim");
    assert_eq!(claim["metadata"]["name"], "ddp-imagenet");
    assert_eq!(claim["spec"]["accessModes"], serde_json::json!(["ReadWriteMany"]));
    for pod in pod_templates(&docs[0]) {
        let volumes = pod["spec"]["volumes"].as_array().unwrap();
        assert!(volumes.iter().any(|v| v["persistentVolumeClaim"]["claimName"] == "ddp-imagenet"));
    }
}

/// In a namespace with Istio sidecar injection, every job's pods opt out
/// of the sidecar, which would keep them running after the work is done;
/// without a mesh nothing is written.
#[test]
fn job_pods_keep_the_istio_sidecar_out() {
    let tree = tree_of(&root().join("tests/constructs/jobs.hybrid"), &RealFs);
    for path in [
        "dc-a/gangs/kubernetes/lab/ddp.yaml",
        "dc-a/gangs/kubernetes/lab/sweep.yaml",
        "dc-a/plain/kubernetes/lab/report.yaml",
    ] {
        let job = &docs(&tree, path)[0];
        for pod in pod_templates(job) {
            assert_eq!(pod["metadata"]["labels"]["sidecar.istio.io/inject"], "false", "{path}");
        }
    }
    let tree = tree_of(&root().join("tests/constructs/gpu.hybrid"), &RealFs);
    let job = &docs(&tree, "dc-a/train/kubernetes/ml/pretrain.yaml")[0];
    for pod in pod_templates(job) {
        assert!(pod["metadata"]["labels"].get("sidecar.istio.io/inject").is_none());
    }
}

/// A ceph-rbd storage class names Rook's driver (`rook-ceph.` is the
/// operator's namespace) and carries what Rook's example StorageClass
/// carries: the CephCluster's namespace as cluster id, the pool, and a
/// Secret for every CSI step that needs credentials — without the
/// controller-expand one, volume expansion fails. The CephCluster's
/// namespace and the Secrets Rook writes there are prerequisites.
#[test]
fn ceph_storage_classes_name_rooks_driver_and_secrets() {
    let tree = tree_of(&root().join("tests/constructs/ceph.hybrid"), &RealFs);
    let d = docs(&tree, "dc-a/apps-a/kubernetes/storage.yaml");
    let sc = of_kind(&d, "StorageClass", "fast");
    assert_eq!(sc["provisioner"], "rook-ceph.rbd.csi.ceph.com");
    assert_eq!(sc["allowVolumeExpansion"], true);
    let p = &sc["parameters"];
    assert_eq!(p["clusterID"], "rook-ceph");
    assert_eq!(p["pool"], "ssd");
    assert_eq!(p["imageFormat"], "2");
    assert_eq!(p["imageFeatures"], "layering");
    assert_eq!(p["csi.storage.k8s.io/fstype"], "ext4");
    for (step, secret) in [
        ("provisioner", "rook-csi-rbd-provisioner"),
        ("controller-expand", "rook-csi-rbd-provisioner"),
        ("node-stage", "rook-csi-rbd-node"),
    ] {
        assert_eq!(p[format!("csi.storage.k8s.io/{step}-secret-name")], secret, "{step}");
        assert_eq!(p[format!("csi.storage.k8s.io/{step}-secret-namespace")], "rook-ceph", "{step}");
    }
    let pre = docs(&tree, "dc-a/apps-a/prerequisites.yaml");
    let pre = &pre[0]["prerequisites"];
    assert!(pre["namespaces"].as_array().unwrap().iter().any(|n| n["name"] == "rook-ceph"), "{pre}");
    let secrets: Vec<(&str, &str)> = pre["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["namespace"].as_str().unwrap(), s["name"].as_str().unwrap()))
        .collect();
    assert!(secrets.contains(&("rook-ceph", "rook-csi-rbd-provisioner")), "{secrets:?}");
    assert!(secrets.contains(&("rook-ceph", "rook-csi-rbd-node")), "{secrets:?}");
}

/// The `prerequisites` map of a cluster (or site) folder.
fn prerequisites(tree: &OutputTree, dir: &str) -> serde_json::Value {
    docs(tree, &format!("{dir}/prerequisites.yaml")).remove(0)["prerequisites"].take()
}

/// The source of a required Secret, or `null` when none is required.
fn secret_source(pre: &serde_json::Value, name: &str) -> serde_json::Value {
    let secrets = pre["secrets"].as_array().cloned().unwrap_or_default();
    secrets.into_iter().find(|s| s["name"] == name).map(|s| s["source"].clone()).unwrap_or_default()
}

/// Mirroring between two sites that run Rook is wired at both ends: each
/// holds the pool (of one name) with mirroring, the Secret of the other's
/// bootstrap token in `peers.secretNames` (a prerequisite, with where its
/// token comes from) and an rbd-mirror daemon; only the source takes
/// mirror snapshots. A pool whose peer's site runs no Rook names that
/// peer's Secret too, and is no source: no schedule.
#[test]
fn ceph_mirroring_is_wired_on_both_ends() {
    let tree = tree_of(&root().join("tests/constructs/ceph.hybrid"), &RealFs);
    let a = docs(&tree, "dc-a/apps-a/kubernetes/replication.yaml");
    let b = docs(&tree, "dc-b/apps-b/kubernetes/replication.yaml");
    let source = &of_kind(&a, "CephBlockPool", "ssd")["spec"]["mirroring"];
    let replica = &of_kind(&b, "CephBlockPool", "ssd")["spec"]["mirroring"];
    assert_eq!((source["enabled"].clone(), replica["enabled"].clone()), (true.into(), true.into()));
    assert_eq!(source["peers"]["secretNames"], serde_json::json!(["rbd-mirror-peer-ssd-dc-b"]));
    assert_eq!(replica["peers"]["secretNames"], serde_json::json!(["rbd-mirror-peer-ssd-dc-a"]));
    assert_eq!(source["snapshotSchedules"], serde_json::json!([{ "interval": "15m" }]));
    assert!(replica.get("snapshotSchedules").is_none(), "{replica}");
    let from_by_hand = &of_kind(&a, "CephBlockPool", "hdd")["spec"]["mirroring"];
    assert_eq!(from_by_hand["peers"]["secretNames"], serde_json::json!(["rbd-mirror-peer-hdd-dc-c"]));
    assert!(from_by_hand.get("snapshotSchedules").is_none(), "{from_by_hand}");
    of_kind(&a, "CephRBDMirror", "rbd-mirror");
    of_kind(&b, "CephRBDMirror", "rbd-mirror");
    let pa = prerequisites(&tree, "dc-a/apps-a");
    let pb = prerequisites(&tree, "dc-b/apps-b");
    assert!(secret_source(&pa, "rbd-mirror-peer-ssd-dc-b").to_string().contains("pool-peer-token-ssd"), "{pa}");
    assert!(secret_source(&pb, "rbd-mirror-peer-ssd-dc-a").to_string().contains("pool-peer-token-ssd"), "{pb}");
    let by_hand = secret_source(&pa, "rbd-mirror-peer-hdd-dc-c").to_string();
    assert!(by_hand.contains("rbd mirror pool peer bootstrap create --site-name dc-c hdd"), "{by_hand}");
}

/// A mirrored pool whose site runs no Rook gets the operator's steps: in
/// the folder of the cloud whose volume type uses it, and, for a pool no
/// cluster uses, in its site's folder. The source's steps schedule its
/// snapshots; the replica's do not.
#[test]
fn ceph_pools_without_rook_get_the_operators_steps() {
    let tree = tree_of(&root().join("tests/constructs/ceph.hybrid"), &RealFs);
    let steps = |dir: &str, title: &str| {
        let pre = prerequisites(&tree, dir);
        let procedures = pre["procedures"].as_array().cloned().unwrap_or_default();
        let p = procedures.into_iter().find(|p| p["title"] == title).unwrap_or_else(|| panic!("{dir}: {pre}"));
        p["steps"].to_string()
    };
    let hdd = steps("dc-c/cloud-c", "Mirroring of ceph pool `dc-c.hdd`");
    assert!(hdd.contains("rbd mirror pool enable hdd image"), "{hdd}");
    assert!(hdd.contains("pool-peer-token-hdd"), "{hdd}");
    assert!(hdd.contains("rbd mirror snapshot schedule add --pool hdd 1h"), "{hdd}");
    let nvme = steps("dc-d", "Mirroring of ceph pool `dc-d.nvme`");
    assert!(nvme.contains("rbd mirror pool peer bootstrap import --site-name dc-d nvme"), "{nvme}");
    assert!(!nvme.contains("snapshot schedule"), "{nvme}");
}

/// Two replications in opposite directions between one pair of pools:
/// each side holds primary images of its own, so each takes snapshots at
/// the rpo of the replication it is the source of.
#[test]
fn two_way_ceph_mirroring_snapshots_on_both_sources() {
    let text = r#"
topology shop { owner platform-team }
site dc-a region=r1 {
  kubernetes a version="1.31" {
    pool general nodes=3 cpu=8 memory="32Gi"
    storage-class fast backend=ceph-rbd pool=ssd
  }
  ceph ssd nodes=3 media=ssd
}
site dc-b region=r2 {
  kubernetes b version="1.31" {
    pool general nodes=3 cpu=8 memory="32Gi"
    storage-class fast backend=ceph-rbd pool=ssd
  }
  ceph ssd nodes=3 media=ssd
}
link dc-a dc-b latency="20ms" bandwidth="10Gbps" kind=wan encrypted=#true
replication a-to-b from=dc-a.ssd to=dc-b.ssd mode=async rpo="10m"
replication b-to-a from=dc-b.ssd to=dc-a.ssd mode=async rpo="1h"
"#;
    let tree = tree_of(Path::new("two-way.hybrid"), &hybrid_core::MemoryFs::new().with("two-way.hybrid", text));
    for (dir, interval) in [("dc-a/a", "10m"), ("dc-b/b", "1h")] {
        let d = docs(&tree, &format!("{dir}/kubernetes/replication.yaml"));
        let m = &of_kind(&d, "CephBlockPool", "ssd")["spec"]["mirroring"];
        assert_eq!(m["snapshotSchedules"], serde_json::json!([{ "interval": interval }]), "{dir}");
    }
}

/// One OpenStack ingress rule, the same in both formats: the vm whose
/// group it belongs to, its port (`None`: every port) and its remote — a
/// CIDR, `group VM`, or `any` when it names none (Neutron: every source).
type IngressRule = (String, Option<i64>, String);

/// The ingress rules of a cloud's Heat template, and the vms whose group
/// sits on a port with a floating IP.
fn heat_ingress(tree: &OutputTree, dir: &str) -> (BTreeSet<IngressRule>, BTreeSet<String>) {
    let stack = docs(tree, &format!("{dir}/heat/stack.yaml")).remove(0);
    let res = stack["resources"].as_object().unwrap();
    let group = |v: &serde_json::Value| v["get_resource"].as_str().unwrap().trim_start_matches("secgroup_").to_string();
    let mut rules = BTreeSet::new();
    let mut published = BTreeSet::new();
    // A rule of `group`: its remote is a range, a group (`remote_group` of a
    // rule resource, `remote_group_id` of an inline rule) or none at all.
    let mut add = |group_name: String, rule: &serde_json::Value| {
        if rule["direction"].as_str().unwrap_or("ingress") != "ingress" {
            return;
        }
        let remote = match (&rule["remote_ip_prefix"], &rule["remote_group"], &rule["remote_group_id"]) {
            (serde_json::Value::String(cidr), _, _) => cidr.clone(),
            (_, g, _) if !g.is_null() => format!("group {}", group(g)),
            (_, _, g) if !g.is_null() => format!("group {}", group(g)),
            _ => "any".to_string(),
        };
        rules.insert((group_name, rule["port_range_min"].as_i64(), remote));
    };
    for (name, r) in res {
        let p = &r["properties"];
        match r["type"].as_str().unwrap() {
            "OS::Neutron::SecurityGroupRule" => add(group(&p["security_group"]), p),
            "OS::Neutron::SecurityGroup" => {
                for rule in p["rules"].as_array().into_iter().flatten() {
                    add(name.trim_start_matches("secgroup_").to_string(), rule);
                }
            }
            "OS::Neutron::FloatingIP" => {
                let port = &res[p["port_id"]["get_resource"].as_str().unwrap()];
                published.extend(port["properties"]["security_groups"].as_array().unwrap().iter().map(group));
            }
            _ => {}
        }
    }
    (rules, published)
}

/// The same, from a cloud's Terraform.
fn terraform_ingress(tree: &OutputTree, dir: &str) -> (BTreeSet<IngressRule>, BTreeSet<String>) {
    let mut resources: Vec<(String, String, serde_json::Value)> = Vec::new();
    for (path, bytes) in tree.files().filter(|(p, _)| p.starts_with(&format!("{dir}/terraform/")) && p.ends_with(".tf"))
    {
        let body: hcl::Value =
            hcl::from_str(std::str::from_utf8(bytes).unwrap()).unwrap_or_else(|e| panic!("{path}: {e}"));
        let body = serde_json::to_value(body).unwrap();
        for (kind, named) in body["resource"].as_object().into_iter().flatten() {
            for (name, attrs) in named.as_object().unwrap() {
                resources.push((kind.clone(), name.clone(), attrs.clone()));
            }
        }
    }
    // `${openstack_networking_secgroup_v2.VM.id}` → `VM`.
    let group = |v: &serde_json::Value| {
        let r = v.as_str().unwrap().trim_start_matches("${").trim_end_matches('}');
        r.strip_prefix("openstack_networking_secgroup_v2.").unwrap().trim_end_matches(".id").to_string()
    };
    let mut rules = BTreeSet::new();
    let mut published = BTreeSet::new();
    for (kind, _, a) in &resources {
        match kind.as_str() {
            "openstack_networking_secgroup_rule_v2" => {
                assert_eq!(a["direction"], "ingress");
                let remote = match (&a["remote_ip_prefix"], &a["remote_group_id"]) {
                    (serde_json::Value::String(cidr), _) => cidr.clone(),
                    (_, g) if !g.is_null() => format!("group {}", group(g)),
                    _ => "any".to_string(),
                };
                rules.insert((group(&a["security_group_id"]), a["port_range_min"].as_i64(), remote));
            }
            "openstack_networking_floatingip_v2" => {
                let port = a["port_id"].as_str().unwrap().trim_start_matches("${").trim_end_matches('}');
                let port = port.strip_prefix("openstack_networking_port_v2.").unwrap().trim_end_matches(".id");
                let (_, _, attrs) =
                    resources.iter().find(|(k, n, _)| k == "openstack_networking_port_v2" && n == port).unwrap();
                published.extend(attrs["security_group_ids"].as_array().unwrap().iter().map(group));
            }
            _ => {}
        }
    }
    (rules, published)
}

/// The folders of the OpenStack clouds of a tree.
fn openstack_clouds(tree: &OutputTree) -> Vec<String> {
    tree.files().filter_map(|(p, _)| p.strip_suffix("/heat/stack.yaml").map(str::to_string)).collect()
}

/// No OpenStack security group admits the whole internet (or any source)
/// on a port that nothing publishes: only a `public` port, on a vm whose
/// port carries a floating IP. Heat and Terraform admit exactly the same
/// sources. Over every example and construct.
#[test]
fn openstack_admits_the_internet_only_on_published_ports() {
    let mut programs = examples();
    programs.extend(fs::read_dir(root().join("tests/constructs")).unwrap().map(|e| e.unwrap().path()));
    let mut clouds = 0;
    for program in programs {
        let tree = tree_of(&program, &RealFs);
        for dir in openstack_clouds(&tree) {
            clouds += 1;
            let heat = heat_ingress(&tree, &dir);
            let tf = terraform_ingress(&tree, &dir);
            for (format, (rules, published)) in [("Heat", &heat), ("Terraform", &tf)] {
                for (vm, port, remote) in rules {
                    if ["0.0.0.0/0", "::/0", "any"].contains(&remote.as_str()) {
                        assert!(
                            published.contains(vm) && port.is_some(),
                            "{dir} ({format}): port {port:?} of {vm} is open to {remote} but nothing publishes it"
                        );
                    }
                }
            }
            assert_eq!(heat, tf, "{dir}: Heat and Terraform disagree");
        }
    }
    assert!(clouds >= 3, "{clouds}");
}

/// Each vm of the construct admits what its program says: the internet on
/// its public port only, its `allow-from` callers (a vm of the cloud by its
/// security group, a service by its cluster's network, never itself), and
/// without `allow-from` its own network.
#[test]
fn openstack_vms_admit_their_callers() {
    let tree = tree_of(&root().join("tests/constructs/openstack.hybrid"), &RealFs);
    let (rules, published) = heat_ingress(&tree, "dc-a/cloud-a");
    let of = |vm: &str| -> Vec<(Option<i64>, String)> {
        rules.iter().filter(|(g, _, _)| g == vm).map(|(_, p, r)| (*p, r.clone())).collect()
    };
    let rule = |port: Option<i64>, remote: &str| (port, remote.to_string());
    assert_eq!(of("storefront"), [rule(Some(443), "0.0.0.0/0"), rule(Some(9100), "10.20.16.0/24")]);
    assert_eq!(
        of("orders_db_1"),
        [rule(Some(5432), "10.20.0.0/20"), rule(Some(5432), "group orders_db_2"), rule(Some(5432), "group storefront")]
    );
    assert_eq!(
        of("orders_db_2"),
        [rule(Some(5432), "10.20.0.0/20"), rule(Some(5432), "group orders_db_1"), rule(Some(5432), "group storefront")]
    );
    assert_eq!(of("reporting"), [rule(None, "10.20.0.0/20")]);
    assert_eq!(of("backoffice"), [rule(Some(8443), "10.20.16.0/24")]);
    assert_eq!(published, BTreeSet::from(["storefront".to_string()]));
    // An instance's own groups would not apply to the port it boots on.
    let compute = String::from_utf8(tree.get("dc-a/cloud-a/terraform/compute.tf").unwrap().to_vec()).unwrap();
    assert!(!compute.contains("security_groups"), "{compute}");
}

/// Every program the golden tests build: the examples and the constructs.
fn all_trees() -> Vec<(PathBuf, OutputTree)> {
    let mut programs = examples();
    let mut constructs: Vec<PathBuf> =
        fs::read_dir(root().join("tests/constructs")).unwrap().map(|e| e.unwrap().path()).collect();
    constructs.sort();
    programs.extend(constructs);
    programs.into_iter().map(|p| (p.clone(), tree_of(&p, &RealFs))).collect()
}

/// Every YAML document of each cluster's `kubernetes/` folder, by folder.
fn cluster_docs(tree: &OutputTree) -> std::collections::BTreeMap<String, Vec<serde_json::Value>> {
    let mut out: std::collections::BTreeMap<String, Vec<serde_json::Value>> = Default::default();
    for (path, _) in tree.files().filter(|(p, _)| p.ends_with(".yaml")) {
        let Some((dir, _)) = path.split_once(&format!("/{}/", hybrid_emit::KUBERNETES)) else { continue };
        out.entry(format!("{dir}/{}", hybrid_emit::KUBERNETES)).or_default().extend(docs(tree, path));
    }
    out
}

/// Every StatefulSet is governed by a headless Service (`clusterIP: None`)
/// of its namespace, as Kubernetes requires for its pods' DNS names; the
/// Service clients call keeps the service's name and its cluster IP.
#[test]
fn stateful_sets_are_governed_by_a_headless_service() {
    let mut seen = 0;
    for (program, tree) in all_trees() {
        for (dir, docs) in cluster_docs(&tree) {
            for set in docs.iter().filter(|d| d["kind"] == "StatefulSet") {
                let (ns, governing) = (&set["metadata"]["namespace"], &set["spec"]["serviceName"]);
                let service = docs
                    .iter()
                    .find(|d| {
                        d["kind"] == "Service"
                            && d["metadata"]["name"] == *governing
                            && d["metadata"]["namespace"] == *ns
                    })
                    .unwrap_or_else(|| panic!("{}: {dir}: no Service {governing}", program.display()));
                assert_eq!(service["spec"]["clusterIP"], "None", "{}: {dir}: {governing}", program.display());
                seen += 1;
            }
        }
    }
    assert!(seen > 0);
    let tree = tree_of(&root().join("tests/constructs/stateful.hybrid"), &RealFs);
    let d = docs(&tree, "dc-a/shop-a/kubernetes/shop/orders-db.yaml");
    assert_eq!(of_kind(&d, "StatefulSet", "orders-db")["spec"]["serviceName"], "orders-db-headless");
    let clients = of_kind(&d, "Service", "orders-db");
    assert_eq!(clients["spec"]["type"], "ClusterIP");
    let headless = of_kind(&d, "Service", "orders-db-headless");
    assert_eq!(headless["spec"]["ports"], clients["spec"]["ports"]);
    assert_eq!(headless["spec"]["selector"], clients["spec"]["selector"]);
}

/// Every autoscaler's target exists beside it and starts within the
/// autoscaler's range, so the autoscaler does not override it at once; an
/// autoscaled service without `replicas` starts at its `min`.
#[test]
fn autoscaled_pod_sets_start_within_their_autoscaler() {
    let mut seen = 0;
    for (program, tree) in all_trees() {
        for (dir, docs) in cluster_docs(&tree) {
            for hpa in docs.iter().filter(|d| d["kind"] == "HorizontalPodAutoscaler") {
                let target = &hpa["spec"]["scaleTargetRef"];
                let set = docs
                    .iter()
                    .find(|d| d["kind"] == target["kind"] && d["metadata"]["name"] == target["name"])
                    .unwrap_or_else(|| panic!("{}: {dir}: no target {target}", program.display()));
                let replicas = set["spec"]["replicas"].as_u64().unwrap();
                let (min, max) =
                    (hpa["spec"]["minReplicas"].as_u64().unwrap(), hpa["spec"]["maxReplicas"].as_u64().unwrap());
                assert!(
                    (min..=max).contains(&replicas),
                    "{}: {dir}: {target} starts at {replicas}, not in {min}..{max}",
                    program.display()
                );
                seen += 1;
            }
        }
    }
    assert!(seen > 0);
    let tree = tree_of(&root().join("tests/constructs/service.hybrid"), &RealFs);
    let d = docs(&tree, "dc-a/shop-a/kubernetes/shop/search.yaml");
    assert_eq!(of_kind(&d, "Deployment", "search")["spec"]["replicas"], 2);
}

/// Every Argo CD Application syncs the folder the build writes for its
/// cluster (inside OUT's folder of the repository), and leaves alone the
/// replica counts it does not own: every autoscaler's target and every pod
/// set of a passive copy (zero replicas until an operator fails over), kept
/// on sync too.
#[test]
fn argo_cd_syncs_the_folder_written_and_leaves_owned_replicas_alone() {
    let mut seen = 0;
    for (program, tree) in all_trees() {
        for (dir, docs) in cluster_docs(&tree) {
            let Some(app) = docs.iter().find(|d| d["kind"] == "Application") else { continue };
            let path = app["spec"]["source"]["path"].as_str().unwrap();
            assert!(path == dir || path.ends_with(&format!("/{dir}")), "{}: {dir}: syncs {path}", program.display());
            assert!(tree.get(&format!("{dir}/kustomization.yaml")).is_some());
            let ignored = app["spec"]["ignoreDifferences"].as_array().cloned().unwrap_or_default();
            let ignores = |kind: &serde_json::Value, name: &serde_json::Value, ns: &serde_json::Value| {
                ignored.iter().any(|e| {
                    e["group"] == "apps"
                        && e["kind"] == *kind
                        && e["name"] == *name
                        && e["namespace"] == *ns
                        && e["jsonPointers"].as_array().is_some_and(|p| p.contains(&"/spec/replicas".into()))
                })
            };
            let mut owned = Vec::new();
            for hpa in docs.iter().filter(|d| d["kind"] == "HorizontalPodAutoscaler") {
                let t = &hpa["spec"]["scaleTargetRef"];
                owned.push((t["kind"].clone(), t["name"].clone(), hpa["metadata"]["namespace"].clone()));
            }
            for set in docs
                .iter()
                .filter(|d| (d["kind"] == "Deployment" || d["kind"] == "StatefulSet") && d["spec"]["replicas"] == 0)
            {
                owned.push((
                    set["kind"].clone(),
                    set["metadata"]["name"].clone(),
                    set["metadata"]["namespace"].clone(),
                ));
            }
            for (kind, name, ns) in &owned {
                assert!(ignores(kind, name, ns), "{}: {dir}: {kind} {ns}/{name} is not ignored", program.display());
                seen += 1;
            }
            if !owned.is_empty() {
                let options = app["spec"]["syncPolicy"]["syncOptions"].as_array().unwrap();
                assert!(options.contains(&"RespectIgnoreDifferences=true".into()), "{}: {dir}", program.display());
            }
        }
    }
    assert!(seen > 0);
    let tree = tree_of(&root().join("tests/constructs/stateful.hybrid"), &RealFs);
    for (cluster, kind) in [("dc-a/shop-a", "StatefulSet"), ("dc-b/shop-b", "StatefulSet")] {
        let d = docs(&tree, &format!("{cluster}/kubernetes/gitops.yaml"));
        let app = of_kind(&d, "Application", cluster.rsplit('/').next().unwrap());
        assert_eq!(app["spec"]["source"]["path"], format!("deploy/{cluster}/kubernetes"));
        assert_eq!(app["spec"]["ignoreDifferences"][0]["kind"], kind);
        assert_eq!(app["spec"]["ignoreDifferences"][0]["name"], "orders-db");
    }
}

/// A service pinned to a pool in each of its clusters runs on that pool
/// only and tolerates its taints only; a job asking for whole GPUs without
/// a pin may use (and tolerates) every pool that gives them, the reserved
/// H100s included.
#[test]
fn a_pinned_service_tolerates_only_its_pools() {
    let tree = tree_of(&root().join("tests/constructs/gpu.hybrid"), &RealFs);
    let pod = |path: &str, kind: &str, name: &str| -> serde_json::Value {
        let d = docs(&tree, path);
        let o = of_kind(&d, kind, name);
        let spec = &o["spec"]["template"]["spec"];
        if spec.is_null() {
            o["spec"]["tasks"][0]["template"]["spec"].clone()
        } else {
            spec.clone()
        }
    };
    let pools = |spec: &serde_json::Value| -> Vec<String> {
        spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"][0]
            ["matchExpressions"][0]["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    let tolerated = |spec: &serde_json::Value| -> Vec<String> {
        spec["tolerations"].as_array().unwrap().iter().map(|t| format!("{}={}", t["key"], t["value"])).collect()
    };
    let train = pod("dc-a/train/kubernetes/ml/rerank.yaml", "Deployment", "rerank");
    assert_eq!(pools(&train), ["shared"]);
    assert_eq!(tolerated(&train), [r#""nvidia.com/gpu"="shared""#]);
    let serve = pod("dc-b/serve/kubernetes/ml/rerank.yaml", "Deployment", "rerank");
    assert_eq!(pools(&serve), ["l40s"]);
    assert_eq!(tolerated(&serve), [r#""nvidia.com/gpu"=null"#]);
    let eval = pod("dc-a/train/kubernetes/ml/nightly-eval.yaml", "Job", "nightly-eval");
    assert_eq!(pools(&eval), ["shared", "ib", "h100"]);
    assert!(tolerated(&eval).iter().any(|t| t.contains("example.com/reserved")), "{:?}", tolerated(&eval));
}

/// An OpenStack cloud whose volume type sits on a replicated ceph pool
/// creates that volume type with Cinder's replication extra spec, in both
/// formats, and its volumes name it by reference; the other volume type
/// stays a name. The vm's backup, which OpenStack cannot declare, is a cron
/// job in the cloud's runbook, which says which promise is kept how; the
/// replica's cloud writes no runbook.
#[test]
fn an_openstack_cloud_replicates_by_volume_type_and_backs_up_by_runbook() {
    let tree = tree_of(&root().join("tests/constructs/openstack-dr.hybrid"), &RealFs);
    let text = |path: &str| String::from_utf8(tree.get(path).unwrap_or_else(|| panic!("no {path}")).to_vec()).unwrap();
    let heat: serde_json::Value = yaml_serde::from_str(&text("dc-a/cloud-a/heat/stack.yaml")).unwrap();
    let res = &heat["resources"];
    assert_eq!(res["volume_type_ssd"]["type"], "OS::Cinder::VolumeType");
    let specs = &res["volume_type_ssd"]["properties"]["metadata"];
    assert_eq!(specs["replication_enabled"], "<is> True");
    assert_eq!(specs["volume_backend_name"], "ssd");
    assert!(res["volume_type_hdd"].is_null());
    assert_eq!(res["volume_records_db_data"]["properties"]["volume_type"]["get_resource"], "volume_type_ssd");
    assert_eq!(res["volume_records_db_archive"]["properties"]["volume_type"], "hdd");
    let bdm = &res["server_records_db"]["properties"]["block_device_mapping_v2"][0];
    assert_eq!(bdm["volume_type"]["get_resource"], "volume_type_ssd");
    let storage = text("dc-a/cloud-a/terraform/storage.tf");
    assert!(storage.contains(r#"resource "openstack_blockstorage_volume_type_v3" "ssd""#), "{storage}");
    assert!(storage.contains(r#"replication_enabled = "<is> True""#), "{storage}");
    assert!(storage.contains("volume_type = openstack_blockstorage_volume_type_v3.ssd.name"), "{storage}");
    assert!(storage.contains(r#"volume_type = "hdd""#), "{storage}");
    let runbook = text("dc-a/cloud-a/RUNBOOK.md");
    for needle in [
        "| replication `records-dr` (async, RPO 15m) | declarative |",
        "| backup `records-nightly` of vm `records-db` | runbook |",
        "cinder failover-host HOST@ssd --backend_id dc-b",
        "cinder failover-host HOST@ssd --backend_id default",
        "(`dc-b/cloud-b`)",
        "openstack volume backup create --force --name \"records-nightly-$stamp\"",
        "date -u -d '-2592000 seconds'",
        "0 1 * * * OS_CLOUD=cloud-a sh /PATH/TO/records-nightly.sh",
    ] {
        assert!(runbook.contains(needle), "{needle}: {runbook}");
    }
    let pre = text("dc-a/cloud-a/PREREQUISITES.md");
    assert!(pre.contains("## Cinder replication of volume type `ssd`"), "{pre}");
    assert!(pre.contains("replication_device = backend_id:dc-b,conf:/etc/ceph/dc-b.conf,user:cinder"), "{pre}");
    assert!(pre.contains("## Cinder backups"), "{pre}");
    assert!(tree.get("dc-b/cloud-b/RUNBOOK.md").is_none());
}

/// An override edits exactly its objects: the same program without its
/// `override` nodes renders every other file byte for byte, and the edited
/// files differ by the overridden lines alone.
#[test]
fn overrides_change_only_the_fields_they_name() {
    let path = root().join("tests/constructs/override.hybrid");
    let text = fs::read_to_string(&path).unwrap();
    let mut plain = String::new();
    let mut depth = 0;
    for line in text.lines() {
        if line.trim_start().starts_with("override ") {
            depth = 1;
        } else if depth > 0 {
            depth += line.matches('{').count();
            depth -= line.matches('}').count();
        } else {
            plain.push_str(line);
            plain.push('\n');
        }
    }
    let fs_plain = hybrid_core::MemoryFs::new().with("override.hybrid", plain.as_str());
    let before = tree_of(Path::new("override.hybrid"), &fs_plain);
    let after = tree_of(&path, &RealFs);
    let changed: Vec<&str> = after
        .files()
        .filter(|(p, b)| before.get(p) != Some(*b))
        .map(|(p, _)| p)
        .filter(|p| *p != "hybrid-manifest.json")
        .collect();
    assert_eq!(
        changed,
        [
            "dc-a/apps-a/kubernetes/shop/checkout.yaml",
            "dc-a/cloud-a/heat/stack.yaml",
            "dc-a/cloud-a/terraform/compute.tf"
        ]
    );
    let text = |t: &OutputTree, p: &str| String::from_utf8_lossy(t.get(p).unwrap()).into_owned();
    let k8s = "dc-a/apps-a/kubernetes/shop/checkout.yaml";
    let (b, a) = (text(&before, k8s), text(&after, k8s));
    let added: Vec<&str> = a.lines().filter(|l| !b.lines().any(|x| x == *l)).collect();
    let limit = "            cpu: '500m'";
    assert_eq!(b.lines().filter(|l| *l == limit).count(), a.lines().filter(|l| *l == limit).count() + 1);
    assert_eq!(
        added,
        [
            "    example.com/owner: team-checkout",
            "      terminationGracePeriodSeconds: 60",
            "  sessionAffinity: ClientIP"
        ]
    );
    assert_eq!(a.lines().count(), b.lines().count() + 2);
    assert!(text(&after, "dc-a/cloud-a/heat/stack.yaml").contains("        backup-tier: gold\n"));
    let tf = text(&after, "dc-a/cloud-a/terraform/compute.tf");
    assert!(tf.contains(", backup-tier = \"gold\" }\n  stop_before_destroy = true\n"), "{tf}");
}

/// In a mesh that spans clusters, the callers' cluster holds a copy of the
/// routing of each service they reach in another member (multi-primary:
/// each control plane reads its own cluster's rules), with locality
/// failover to the nearest region the service runs in: from `front-us`
/// (`us-east4`) to Ashburn, 2ms away, not Frankfurt.
#[test]
fn callers_in_another_member_get_the_routing_and_the_nearest_failover() {
    let tree = tree_of(&example("multi-region"), &RealFs);
    let d = docs(&tree, "gcp-us/front-us/kubernetes/front/checkout-api.middle.yaml");
    let vs = of_kind(&d, "VirtualService", "checkout-api.middle");
    assert_eq!(vs["spec"]["http"][0]["route"][0]["destination"]["subset"], "stable");
    let dr = of_kind(&d, "DestinationRule", "checkout-api.middle");
    assert_eq!(dr["spec"]["host"], "checkout-api.middle.svc.cluster.local");
    assert_eq!(
        dr["spec"]["trafficPolicy"]["loadBalancer"]["localityLbSetting"]["failover"],
        serde_json::json!([{ "from": "us-east4", "to": "us-east-1" }])
    );
    let middle = docs(&tree, "dc-fra/middle-fra/kubernetes/middle/checkout-api.yaml");
    let ap = of_kind(&middle, "AuthorizationPolicy", "checkout-api");
    let principals = &ap["spec"]["rules"][0]["from"][0]["source"]["principals"];
    assert_eq!(principals, &serde_json::json!(["commerce.example.com/ns/front/sa/storefront"]));
}
