//! One `allow-from` graph, every platform: `tests/constructs/zero-trust.hybrid`
//! spans a Kubernetes cluster with Istio, an OpenStack cloud and a vSphere
//! cluster with NSX-T, with `allow-from` edges between all three. The
//! model's edge set (`Topology::allowed_edges`) is derived once; each
//! target's output is parsed back — the NetworkPolicies, the Istio
//! AuthorizationPolicies, the Heat security group rules, the NSX-T security
//! policies — and each must admit exactly the model's edges whose callee it
//! protects, no more and no fewer.

use hybrid_core::compile;
use hybrid_emit::{EmitOptions, OutputTree};
use hybrid_model::{IpNet, Topology, WorkloadId};
use hybrid_tests::root;
use hybridc::{render, RealFs, TARGETS};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// `(caller, callee, port)` by workload name; port `None`: every TCP port.
type Edge = (String, String, Option<u16>);

struct Built {
    t: Topology,
    tree: OutputTree,
}

fn build() -> Built {
    let path = root().join("tests/constructs/zero-trust.hybrid");
    let c = compile(&path, &RealFs).unwrap();
    let t = c.topology.unwrap_or_else(|| panic!("zero-trust.hybrid has errors: {:?}", c.diagnostics));
    let tree = render(&t, TARGETS, &EmitOptions::default());
    Built { t, tree }
}

impl Built {
    fn name(&self, id: WorkloadId) -> String {
        self.t.workload(id).name.clone()
    }

    /// The model's edges whose callee `keep` accepts.
    fn model_edges(&self, keep: impl Fn(&hybrid_model::Workload) -> bool) -> BTreeSet<Edge> {
        self.t
            .allowed_edges()
            .into_iter()
            .filter(|e| keep(self.t.workload(e.callee)))
            .map(|e| (self.name(e.caller), self.name(e.callee), e.port))
            .collect()
    }

    /// The caller a source address range stands for: the one caller of the
    /// program whose ranges hold it (the program gives each its own).
    fn caller_of(&self, cidr: &str) -> String {
        let net: IpNet = cidr.parse().unwrap_or_else(|e| panic!("{cidr}: {e}"));
        let callers: BTreeSet<WorkloadId> = self.t.allowed_edges().iter().map(|e| e.caller).collect();
        let holders: Vec<String> = callers
            .into_iter()
            .filter(|c| self.t.source_ranges(self.t.workload(*c)).unwrap().iter().any(|r| r.contains(&net)))
            .map(|c| self.name(c))
            .collect();
        assert_eq!(holders.len(), 1, "{cidr} stands for {holders:?}");
        holders.into_iter().next().unwrap()
    }

    fn files(&self, keep: impl Fn(&str) -> bool) -> Vec<(String, String)> {
        self.tree
            .files()
            .filter(|(p, _)| keep(p))
            .map(|(p, b)| (p.to_string(), String::from_utf8(b.to_vec()).unwrap()))
            .collect()
    }

    fn documents(&self, kind: &str) -> Vec<Value> {
        self.files(|p| p.contains("/kubernetes/") && p.ends_with(".yaml"))
            .iter()
            .flat_map(|(_, text)| {
                text.split("\n---\n").map(|d| yaml_serde::from_str::<Value>(d).unwrap()).collect::<Vec<_>>()
            })
            .filter(|d| d["kind"] == kind)
            .collect()
    }
}

fn ports_of(list: &Value, field: &str) -> Vec<Option<u16>> {
    match list.as_array() {
        None => vec![None],
        Some(ports) => ports
            .iter()
            .map(|p| {
                let v = &p[field];
                Some(v.as_u64().map(|n| n as u16).unwrap_or_else(|| v.as_str().unwrap().parse().unwrap()))
            })
            .collect(),
    }
}

fn edges(callers: &[String], callee: &str, ports: &[Option<u16>]) -> Vec<Edge> {
    callers.iter().flat_map(|c| ports.iter().map(move |p| (c.clone(), callee.to_string(), *p))).collect()
}

/// The NetworkPolicies: each peer (a pod selector by name, or an address
/// block) × each port of the rule.
#[test]
fn network_policies_admit_the_model_edges() {
    let b = build();
    let mut got = BTreeSet::new();
    for np in b.documents("NetworkPolicy") {
        let callee = np["spec"]["podSelector"]["matchLabels"]["app.kubernetes.io/name"].as_str().unwrap();
        for rule in np["spec"]["ingress"].as_array().unwrap() {
            let callers: Vec<String> = rule["from"]
                .as_array()
                .unwrap()
                .iter()
                .map(|peer| match peer["ipBlock"]["cidr"].as_str() {
                    Some(cidr) => b.caller_of(cidr),
                    None => peer["podSelector"]["matchLabels"]["app.kubernetes.io/name"].as_str().unwrap().to_string(),
                })
                .collect();
            got.extend(edges(&callers, callee, &ports_of(&rule["ports"], "port")));
        }
    }
    let want = b.model_edges(|w| w.placement().any(|c| b.t.cluster(c).kubernetes().is_some()));
    assert!(!want.is_empty());
    assert_eq!(got, want);
}

/// The AuthorizationPolicies: each principal (`…/sa/ACCOUNT`, every caller
/// here has an account of its own name) × each port of the rule.
#[test]
fn authorization_policies_admit_the_model_edges() {
    let b = build();
    let mut got = BTreeSet::new();
    for ap in b.documents("AuthorizationPolicy") {
        let callee = ap["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"].as_str().unwrap();
        for rule in ap["spec"]["rules"].as_array().unwrap() {
            let callers: Vec<String> = rule["from"][0]["source"]["principals"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap().rsplit("/sa/").next().unwrap().to_string())
                .collect();
            let ports: Vec<Option<u16>> = match rule["to"][0]["operation"]["ports"].as_array() {
                None => vec![None],
                Some(ports) => ports.iter().map(|p| Some(p.as_str().unwrap().parse().unwrap())).collect(),
            };
            got.extend(edges(&callers, callee, &ports));
        }
    }
    let want = b.model_edges(|w| w.service().is_some());
    assert!(!want.is_empty());
    assert_eq!(got, want);
}

/// The Heat security group rules: the group's vm (its Neutron name is
/// `TOPOLOGY-VM`), the remote group's vm or the remote prefix's caller,
/// the port range.
#[test]
fn openstack_rules_admit_the_model_edges() {
    let b = build();
    let mut got = BTreeSet::new();
    for (_, text) in b.files(|p| p.ends_with("/heat/stack.yaml")) {
        let stack: Value = yaml_serde::from_str(&text).unwrap();
        let resources = stack["resources"].as_object().unwrap();
        let vm_of_group = |g: &Value| {
            let name = resources[g["get_resource"].as_str().unwrap()]["properties"]["name"].as_str().unwrap();
            name.strip_prefix(&format!("{}-", b.t.name)).unwrap().to_string()
        };
        for r in resources.values().filter(|r| r["type"] == "OS::Neutron::SecurityGroupRule") {
            let p = &r["properties"];
            let callee = vm_of_group(&p["security_group"]);
            let caller = match p["remote_ip_prefix"].as_str() {
                Some(cidr) => b.caller_of(cidr),
                None => vm_of_group(&p["remote_group"]),
            };
            let port = match (p["port_range_min"].as_u64(), p["port_range_max"].as_u64()) {
                (Some(min), Some(max)) if min == max => Some(min as u16),
                (None, None) => None,
                other => panic!("a rule of a port range {other:?}"),
            };
            got.insert((caller, callee, port));
        }
    }
    let want = b.model_edges(|w| w.vm().is_some_and(|v| b.t.cluster(v.placement.value).openstack().is_some()));
    assert!(!want.is_empty());
    assert_eq!(got, want);
}

/// The NSX-T security policies: each ALLOW rule's sources (a group, whose
/// vm is named by its Tag condition, or an address range) × its service's
/// port; every policy ends with the drop to its own group.
#[test]
fn nsx_rules_admit_the_model_edges() {
    let b = build();
    let mut got = BTreeSet::new();
    for (path, text) in b.files(|p| p.ends_with("/vsphere/nsx.tf")) {
        let body: hcl::Value = hcl::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let body = serde_json::to_value(body).unwrap();
        let resources = &body["resource"];
        // `${nsxt_policy_group.LABEL.path}` → the vm its Tag condition names.
        let group_vm = |r: &Value| -> String {
            let label = r.as_str().unwrap().trim_start_matches("${nsxt_policy_group.").trim_end_matches(".path}");
            let conditions = &resources["nsxt_policy_group"][label]["criteria"]["condition"];
            let values: Vec<&str> =
                conditions.as_array().unwrap().iter().map(|c| c["value"].as_str().unwrap()).collect();
            assert!(values.contains(&format!("hybrid.dev/topology|{}", b.t.name).as_str()), "{values:?}");
            let app = values.iter().find_map(|v| v.strip_prefix("app.kubernetes.io/name|")).unwrap();
            app.to_string()
        };
        // `${nsxt_policy_service.LABEL.path}` → its one port (`1-65535`: every port).
        let service_port = |r: &Value| -> Option<u16> {
            let label = r.as_str().unwrap().trim_start_matches("${nsxt_policy_service.").trim_end_matches(".path}");
            let entry = &resources["nsxt_policy_service"][label]["l4_port_set_entry"];
            assert_eq!(entry["protocol"], "TCP");
            let ports = entry["destination_ports"].as_array().unwrap();
            assert_eq!(ports.len(), 1);
            match ports[0].as_str().unwrap() {
                "1-65535" => None,
                p => Some(p.parse().unwrap()),
            }
        };
        for (label, policy) in resources["nsxt_policy_security_policy"].as_object().unwrap() {
            let rules: Vec<Value> = match &policy["rule"] {
                Value::Array(rules) => rules.clone(),
                one => vec![one.clone()],
            };
            let me = format!("${{nsxt_policy_group.{label}.path}}");
            assert_eq!(policy["scope"], serde_json::json!([me]), "{label}: applied to its own group only");
            let (last, allows) = rules.split_last().unwrap();
            assert_eq!(last["action"], "DROP", "{label}: ends with the default deny");
            assert_eq!(last["destination_groups"], serde_json::json!([me]));
            assert!(last.get("source_groups").is_none() && last.get("services").is_none(), "{label}: drops everything");
            for rule in allows {
                assert_eq!(rule["action"], "ALLOW");
                assert_eq!(rule["destination_groups"], serde_json::json!([me]));
                let callee = group_vm(&rule["destination_groups"][0]);
                let sources: BTreeSet<String> = rule["source_groups"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| {
                        if s.as_str().unwrap().starts_with("${") {
                            group_vm(s)
                        } else {
                            b.caller_of(s.as_str().unwrap())
                        }
                    })
                    .collect();
                assert_eq!(sources.len(), 1, "one caller per rule: {sources:?}");
                for service in rule["services"].as_array().unwrap() {
                    got.insert((sources.iter().next().unwrap().clone(), callee.clone(), service_port(service)));
                }
            }
        }
        // Every vm of a policy carries the tags its group matches.
        let tags: BTreeMap<String, Vec<String>> = resources["nsxt_policy_vm_tags"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(label, r)| {
                let tags = match &r["tag"] {
                    Value::Array(ts) => ts.clone(),
                    one => vec![one.clone()],
                };
                (
                    label.clone(),
                    tags.iter()
                        .map(|t| format!("{}|{}", t["scope"].as_str().unwrap(), t["tag"].as_str().unwrap()))
                        .collect(),
                )
            })
            .collect();
        for (label, group) in resources["nsxt_policy_group"].as_object().unwrap() {
            let want: Vec<String> = group["criteria"]["condition"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["value"].as_str().unwrap().to_string())
                .collect();
            assert_eq!(tags.get(label), Some(&want), "vm {label} carries its group's tags");
        }
    }
    let want = b.model_edges(|w| w.vm().is_some_and(|v| b.t.cluster(v.placement.value).vsphere().is_some()));
    assert!(!want.is_empty());
    assert_eq!(got, want);
}

/// The program has a callee on each platform, and a vm naming itself in
/// `allow-from` is not its own caller (so no view may admit that edge).
#[test]
fn the_program_spans_every_platform_and_a_vm_is_not_its_own_caller() {
    let b = build();
    let all = b.model_edges(|_| true);
    // Services (Kubernetes), OpenStack vms and vSphere vms are callees here.
    let callees: BTreeSet<&str> = all.iter().map(|(_, callee, _)| callee.as_str()).collect();
    assert_eq!(callees, BTreeSet::from(["archive", "ledger", "orders", "orders-db"]));
    // A vm naming itself is not its own caller.
    assert!(!all.iter().any(|(caller, callee, _)| caller == "ledger" && callee == "ledger"));
}
