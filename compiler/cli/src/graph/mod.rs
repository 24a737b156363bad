//! `hybridc graph`: a picture of the topology, as Graphviz DOT or Mermaid.
//!
//! Sites are groups; inside each, its clusters (boxes with kind and
//! version) and storage pools (cylinders); the workloads placed on a
//! cluster sit in a nested group with the cluster: services as boxes, vms as
//! 3-D boxes (Mermaid: subroutine shapes), jobs as parallelograms. A service
//! placed on several clusters appears once per cluster. Links join sites
//! (labelled `latency · bandwidth`), replications join pools (sync solid,
//! async dashed, labelled with the mode and RPO the output delivers, and the
//! promise beside them when it cannot be kept) and a migration is a dotted arrow
//! from the vm to the service, labelled with its weight.
//!
//! This file builds the [`Picture`] from the model; `dot.rs` and
//! `mermaid.rs` draw it, so the two formats always show the same thing.
//! Everything is in declaration order and every id is derived from names,
//! so the output is deterministic.

mod dot;
mod mermaid;

pub use dot::dot;
pub use mermaid::mermaid;

use hybrid_model::{ClusterId, ClusterKind, ReplicationMode, Site, StorageKind, Topology, WorkloadId, WorkloadKind};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// The shape a node is drawn with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    Cluster,
    Pool,
    Service,
    Vm,
    Job,
    /// A site with nothing in it still needs one node to be drawn.
    Empty,
}

#[derive(Debug)]
pub(crate) struct Node {
    pub(crate) id: String,
    pub(crate) lines: Vec<String>,
    pub(crate) shape: Shape,
    pub(crate) critical: bool,
}

/// A cluster with the workloads placed on it.
#[derive(Debug)]
pub(crate) struct ClusterGroup {
    pub(crate) id: String,
    pub(crate) node: Node,
    pub(crate) workloads: Vec<Node>,
}

#[derive(Debug)]
pub(crate) struct SiteGroup {
    pub(crate) id: String,
    pub(crate) label: String,
    /// An invisible node (DOT) that links attach to and that keeps the
    /// site's contents in one column.
    pub(crate) anchor: String,
    pub(crate) clusters: Vec<ClusterGroup>,
    pub(crate) pools: Vec<Node>,
    pub(crate) empty: Option<Node>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EdgeKind {
    Link,
    Sync,
    Async,
    Migrate,
}

#[derive(Debug)]
pub(crate) struct Edge {
    pub(crate) kind: EdgeKind,
    /// Node ids (DOT) …
    pub(crate) from: String,
    pub(crate) to: String,
    /// … and, for a link, the site groups it joins (Mermaid draws it
    /// between the groups themselves).
    pub(crate) groups: Option<(String, String)>,
    pub(crate) label: String,
}

#[derive(Debug)]
pub(crate) struct Picture {
    pub(crate) title: String,
    pub(crate) sites: Vec<SiteGroup>,
    pub(crate) edges: Vec<Edge>,
}

/// Unique ids from names: `-` becomes `_`; a clash (names are DNS labels,
/// so `a-b`+`c` and `a`+`b-c` meet) gets a numeric suffix, in declaration
/// order, so the result is still deterministic.
#[derive(Debug, Default)]
struct Ids(hybrid_emit::hcl::Names);

impl Ids {
    fn take(&mut self, parts: &[&str]) -> String {
        let base: String = parts.join("_").chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
        self.0.take(&base, '_')
    }
}

fn dur(d: std::time::Duration) -> String {
    hybrid_model::format_duration(d)
}

fn cluster_version(kind: &ClusterKind) -> &str {
    match kind {
        ClusterKind::Kubernetes(k) => &k.version,
        ClusterKind::OpenStack(o) => &o.release,
        ClusterKind::VSphere(v) => &v.version,
    }
}

fn workload_node(t: &Topology, id: String, wid: WorkloadId) -> Node {
    let w = t.workload(wid);
    let (shape, mut detail) = match &w.kind {
        WorkloadKind::Service(s) => (Shape::Service, format!("service ×{}", s.starting_replicas())),
        WorkloadKind::Vm(v) => (Shape::Vm, format!("vm · {} cpu · {}", v.cpu.value, v.memory.value)),
        WorkloadKind::Job(j) => (Shape::Job, format!("job ×{}", j.workers.value)),
    };
    if w.critical {
        detail.push_str(" · critical");
    }
    Node { id, lines: vec![w.name.clone(), detail], shape, critical: w.critical }
}

/// What the edges need to know of the nodes: the node id of each workload
/// on each cluster, of each pool, and the group and anchor of each site.
#[derive(Default)]
struct Placed {
    workloads: BTreeMap<(ClusterId, WorkloadId), String>,
    pools: BTreeMap<hybrid_model::StorageId, String>,
    /// By site index: the site's group and its anchor.
    sites: BTreeMap<usize, (String, String)>,
}

fn picture(t: &Topology) -> Picture {
    let mut ids = Ids::default();
    let mut placed = Placed::default();
    let sites = t.sites.iter().enumerate().map(|(si, site)| site_group(t, si, site, &mut ids, &mut placed)).collect();
    let mut edges = link_edges(t, &placed);
    edges.extend(replication_edges(t, &placed));
    edges.extend(migration_edges(t, &placed));
    Picture { title: t.name.clone(), sites, edges }
}

/// A site: its clusters with their workloads, its pools, or a note that
/// it holds nothing.
fn site_group(t: &Topology, si: usize, site: &Site, ids: &mut Ids, placed: &mut Placed) -> SiteGroup {
    let group_id = ids.take(&["cluster", &site.name]);
    let anchor = ids.take(&["site", &site.name]);
    let label = match site.kind {
        Some(k) => format!("{} ({}, {})", site.name, site.region, k),
        None => format!("{} ({})", site.name, site.region),
    };
    let mut clusters = Vec::new();
    for &cid in &site.clusters {
        let c = t.cluster(cid);
        let group = ids.take(&["cluster", &site.name, &c.name]);
        let node = Node {
            id: ids.take(&["c", &c.name]),
            lines: vec![c.name.clone(), format!("{} {}", c.kind_word(), cluster_version(&c.kind))],
            shape: Shape::Cluster,
            critical: false,
        };
        let mut workloads = Vec::new();
        for (wi, w) in t.workloads.iter().enumerate() {
            let wid = WorkloadId::from_index(wi);
            if !w.is_placed_on(cid) {
                continue;
            }
            let id = ids.take(&["w", &c.name, &w.name]);
            placed.workloads.insert((cid, wid), id.clone());
            workloads.push(workload_node(t, id, wid));
        }
        clusters.push(ClusterGroup { id: group, node, workloads });
    }
    let mut pools = Vec::new();
    for &pid in &site.storage {
        let s = t.storage(pid);
        let (id, detail) = match &s.kind {
            StorageKind::Ceph(c) => {
                let mut d = format!("ceph · {} ×{}", c.media, c.replicas);
                if let Some(f) = c.failure_domain {
                    let _ = write!(d, " per {f}");
                }
                if let Some(cap) = c.capacity {
                    let _ = write!(d, " · {cap}");
                }
                (ids.take(&["p", &site.name, &s.name]), d)
            }
            StorageKind::Vsan(v) => {
                let cluster = &t.cluster(v.cluster).name;
                (ids.take(&["p", cluster, &s.name]), format!("vSAN · {cluster}"))
            }
        };
        placed.pools.insert(pid, id.clone());
        pools.push(Node { id, lines: vec![s.name.clone(), detail], shape: Shape::Pool, critical: false });
    }
    let empty = (clusters.is_empty() && pools.is_empty()).then(|| Node {
        id: ids.take(&["s", &site.name]),
        lines: vec!["(nothing declared)".into()],
        shape: Shape::Empty,
        critical: false,
    });
    placed.sites.insert(si, (group_id.clone(), anchor.clone()));
    SiteGroup { id: group_id, label, anchor, clusters, pools, empty }
}

/// Links between sites, labelled `latency · bandwidth`.
fn link_edges(t: &Topology, placed: &Placed) -> Vec<Edge> {
    let mut edges = Vec::new();
    for l in &t.links {
        let (Some((ga, from)), Some((gb, to))) =
            (placed.sites.get(&l.a.value.index()), placed.sites.get(&l.b.value.index()))
        else {
            continue;
        };
        edges.push(Edge {
            kind: EdgeKind::Link,
            from: from.clone(),
            to: to.clone(),
            groups: Some((ga.clone(), gb.clone())),
            label: format!("{} · {}", dur(l.latency.value), l.bandwidth.value),
        });
    }
    edges
}

/// Replications between pools, labelled with the mode and the RPO.
fn replication_edges(t: &Topology, placed: &Placed) -> Vec<Edge> {
    let mut edges = Vec::new();
    for r in &t.replications {
        let (Some(from), Some(to)) = (placed.pools.get(&r.from.value), placed.pools.get(&r.to.value)) else {
            continue;
        };
        let (mode, rpo) = (t.delivered_mode(r), t.delivered_rpo(r));
        let kind = match mode {
            ReplicationMode::Sync => EdgeKind::Sync,
            ReplicationMode::Async => EdgeKind::Async,
        };
        let mut label = format!("{mode} · rpo {}", dur(rpo));
        if (mode, rpo) != (r.mode.value, r.rpo.value) {
            let _ = write!(label, " (promised {} · rpo {})", r.mode.value, dur(r.rpo.value));
        }
        edges.push(Edge { kind, from: from.clone(), to: to.clone(), groups: None, label });
    }
    edges
}

/// Migrations, from each copy of the vm to the service's copy nearest it:
/// on its cluster, else in its site, else every copy.
fn migration_edges(t: &Topology, placed: &Placed) -> Vec<Edge> {
    let mut edges = Vec::new();
    for m in &t.migrations {
        let from_w = t.workload(m.from.value);
        let to_w = t.workload(m.to.value);
        for from_c in from_w.placement() {
            let Some(from) = placed.workloads.get(&(from_c, m.from.value)) else {
                continue;
            };
            let copies: Vec<ClusterId> = to_w.placement().collect();
            let site = t.cluster(from_c).site;
            let same_cluster: Vec<ClusterId> = copies.iter().copied().filter(|c| *c == from_c).collect();
            let same_site: Vec<ClusterId> = copies.iter().copied().filter(|c| t.cluster(*c).site == site).collect();
            let targets = if !same_cluster.is_empty() {
                same_cluster
            } else if !same_site.is_empty() {
                same_site
            } else {
                copies
            };
            let mut seen = BTreeSet::new();
            for c in targets {
                let Some(to) = placed.workloads.get(&(c, m.to.value)) else {
                    continue;
                };
                if seen.insert(to.clone()) {
                    edges.push(Edge {
                        kind: EdgeKind::Migrate,
                        from: from.clone(),
                        to: to.clone(),
                        groups: None,
                        label: format!("migrate · {}%", m.weight.value),
                    });
                }
            }
        }
    }
    edges
}

#[cfg(test)]
mod tests {
    use super::*;
    use hybrid_core::{compile, MemoryFs};

    fn topology(src: &str) -> Topology {
        let c = compile("t.hybrid".as_ref(), &MemoryFs::new().with("t.hybrid", src)).unwrap();
        let codes: Vec<&str> = c.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.code.id).collect();
        assert!(codes.is_empty(), "{codes:?}");
        c.topology.unwrap()
    }

    /// Every `"` of the output is either a delimiter or escaped, so the
    /// delimiters pair up on every line.
    fn quotes_balanced(dot: &str) -> bool {
        dot.lines().all(|line| {
            let mut open = false;
            let mut chars = line.chars();
            while let Some(c) = chars.next() {
                match c {
                    '\\' if open => {
                        chars.next();
                    }
                    '"' => open = !open,
                    _ => {}
                }
            }
            !open
        })
    }

    const QUOTED: &str = r#"
topology q
site dc-a region="eu \"west\" \\ 1\"]; x -> y [\"" kind=on-prem {
  kubernetes k-a version="1.31" pod-cidr="10.1.0.0/16" service-cidr="10.2.0.0/16" {
    pool general nodes=3 cpu=8 memory="32Gi"
  }
}
service web {
  placement k-a
  image "example.com/web:1"
  port 8080 protocol=http
}
"#;

    #[test]
    fn a_quote_in_a_label_cannot_break_the_dot_syntax() {
        let t = topology(QUOTED);
        let out = dot(&t);
        assert!(quotes_balanced(&out), "{out}");
        assert!(out.contains(r#"label="dc-a (eu \"west\" \\ 1\"]; x -> y [\", on-prem)";"#), "{out}");
        // Nothing outside a string came from the program.
        assert!(!out.contains("\n  x -> y"), "{out}");
    }

    #[test]
    fn mermaid_quotes_become_entities() {
        let t = topology(QUOTED);
        let out = mermaid(&t);
        assert!(out.contains("[\"dc-a (eu #quot;west#quot; \\ 1#quot;]; x -#gt; y [#quot;, on-prem)\"]"), "{out}");
        assert!(!out.contains("\\\""), "{out}");
    }

    #[test]
    fn ids_stay_unique_when_names_meet() {
        let mut ids = Ids::default();
        assert_eq!(ids.take(&["w", "a-b", "c"]), "w_a_b_c");
        assert_eq!(ids.take(&["w", "a", "b-c"]), "w_a_b_c_2");
        assert_eq!(ids.take(&["w", "a", "b-c"]), "w_a_b_c_3");
    }

    #[test]
    fn a_service_on_two_clusters_appears_in_each() {
        let src = r#"
topology two
site a region=r1 {
  kubernetes ka version="1.31" pod-cidr="10.1.0.0/16" service-cidr="10.2.0.0/16" {
    pool general nodes=3 cpu=8 memory="32Gi"
  }
}
site b region=r2 {
  kubernetes kb version="1.31" pod-cidr="10.3.0.0/16" service-cidr="10.4.0.0/16" {
    pool general nodes=3 cpu=8 memory="32Gi"
  }
}
link a b latency="2ms" bandwidth="10Gbps"
service web {
  placement ka kb
  replicas 2
  image "example.com/web:1"
  port 8080 protocol=http
}
"#;
        let t = topology(src);
        let out = dot(&t);
        assert!(out.contains("w_ka_web [") && out.contains("w_kb_web ["), "{out}");
        assert!(out.contains("label=\"2ms · 10Gbps\""), "{out}");
        let m = mermaid(&t);
        assert!(m.contains("cluster_a ---|\"2ms · 10Gbps\"| cluster_b"), "{m}");
    }
}
