//! `hybridc graph`: a picture of the topology, as Graphviz DOT or Mermaid.
//!
//! Sites are groups; inside each, its clusters (boxes with kind and
//! version) and storage pools (cylinders); the workloads placed on a
//! cluster sit in a nested group with the cluster: services as boxes, vms as
//! 3-D boxes (Mermaid: subroutine shapes), jobs as parallelograms. A service
//! placed on several clusters appears once per cluster. Links join sites
//! (labelled `latency · bandwidth`), replications join pools (sync solid,
//! async dashed, labelled with the RPO) and a migration is a dotted arrow
//! from the vm to the service, labelled with its weight.
//!
//! Both renderers read one [`Picture`] built from the model, so the two
//! formats always show the same thing. Everything is in declaration order
//! and every id is derived from names, so the output is deterministic.

use hybrid_model::{
    ClusterId, ClusterKind, FailureDomain, Media, ReplicationMode, SiteKind, StorageKind, Topology, WorkloadId,
    WorkloadKind,
};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// The shape a node is drawn with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Cluster,
    Pool,
    Service,
    Vm,
    Job,
    /// A site with nothing in it still needs one node to be drawn.
    Empty,
}

#[derive(Debug)]
struct Node {
    id: String,
    lines: Vec<String>,
    shape: Shape,
    critical: bool,
}

/// A cluster with the workloads placed on it.
#[derive(Debug)]
struct ClusterGroup {
    id: String,
    node: Node,
    workloads: Vec<Node>,
}

#[derive(Debug)]
struct SiteGroup {
    id: String,
    label: String,
    /// An invisible node (DOT) that links attach to and that keeps the
    /// site's contents in one column.
    anchor: String,
    clusters: Vec<ClusterGroup>,
    pools: Vec<Node>,
    empty: Option<Node>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum EdgeKind {
    Link,
    Sync,
    Async,
    Migrate,
}

#[derive(Debug)]
struct Edge {
    kind: EdgeKind,
    /// Node ids (DOT) …
    from: String,
    to: String,
    /// … and, for a link, the site groups it joins (Mermaid draws it
    /// between the groups themselves).
    groups: Option<(String, String)>,
    label: String,
}

#[derive(Debug)]
struct Picture {
    title: String,
    sites: Vec<SiteGroup>,
    edges: Vec<Edge>,
}

/// Unique ids from names: `-` becomes `_`; a clash (names are DNS labels,
/// so `a-b`+`c` and `a`+`b-c` meet) gets a numeric suffix, in declaration
/// order, so the result is still deterministic.
#[derive(Debug, Default)]
struct Ids(BTreeSet<String>);

impl Ids {
    fn take(&mut self, parts: &[&str]) -> String {
        let base: String = parts.join("_").chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
        if self.0.insert(base.clone()) {
            return base;
        }
        let mut n = 2u32;
        loop {
            let candidate = format!("{base}_{n}");
            if self.0.insert(candidate.clone()) {
                return candidate;
            }
            n = n.saturating_add(1);
        }
    }
}

fn dur(d: std::time::Duration) -> String {
    hybrid_core::check::facts::fmt_duration(d)
}

fn site_kind(k: SiteKind) -> &'static str {
    match k {
        SiteKind::OnPrem => "on-prem",
        SiteKind::PublicCloud => "public-cloud",
        SiteKind::Edge => "edge",
    }
}

fn media(m: Media) -> &'static str {
    match m {
        Media::Ssd => "ssd",
        Media::Hdd => "hdd",
        Media::Nvme => "nvme",
    }
}

fn failure_domain(f: FailureDomain) -> &'static str {
    match f {
        FailureDomain::Host => "host",
        FailureDomain::Rack => "rack",
        FailureDomain::Zone => "zone",
    }
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
        WorkloadKind::Service(s) => (Shape::Service, format!("service ×{}", s.replicas.value)),
        WorkloadKind::Vm(v) => (Shape::Vm, format!("vm · {} cpu · {}", v.cpu.value, v.memory.value)),
        WorkloadKind::Job(j) => (Shape::Job, format!("job ×{}", j.workers.value)),
    };
    if w.critical {
        detail.push_str(" · critical");
    }
    Node { id, lines: vec![w.name.clone(), detail], shape, critical: w.critical }
}

fn picture(t: &Topology) -> Picture {
    let mut ids = Ids::default();
    let mut placed: BTreeMap<(ClusterId, WorkloadId), String> = BTreeMap::new();
    let mut pool_ids = BTreeMap::new();
    let mut site_groups = BTreeMap::new();
    let mut site_anchors = BTreeMap::new();
    let mut sites = Vec::new();
    for (si, site) in t.sites.iter().enumerate() {
        let group_id = ids.take(&["cluster", &site.name]);
        let anchor = ids.take(&["site", &site.name]);
        let label = match site.kind {
            Some(k) => format!("{} ({}, {})", site.name, site.region, site_kind(k)),
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
                if !w.placement().contains(&cid) {
                    continue;
                }
                let id = ids.take(&["w", &c.name, &w.name]);
                placed.insert((cid, wid), id.clone());
                workloads.push(workload_node(t, id, wid));
            }
            clusters.push(ClusterGroup { id: group, node, workloads });
        }
        let mut pools = Vec::new();
        for &pid in &site.storage {
            let s = t.storage(pid);
            let (id, detail) = match &s.kind {
                StorageKind::Ceph(c) => {
                    let mut d = format!("ceph · {} ×{}", media(c.media), c.replicas);
                    if let Some(f) = c.failure_domain {
                        let _ = write!(d, " per {}", failure_domain(f));
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
            pool_ids.insert(pid, id.clone());
            pools.push(Node { id, lines: vec![s.name.clone(), detail], shape: Shape::Pool, critical: false });
        }
        let empty = (clusters.is_empty() && pools.is_empty()).then(|| Node {
            id: ids.take(&["s", &site.name]),
            lines: vec!["(nothing declared)".into()],
            shape: Shape::Empty,
            critical: false,
        });
        site_groups.insert(si, group_id.clone());
        site_anchors.insert(si, anchor.clone());
        sites.push(SiteGroup { id: group_id, label, anchor, clusters, pools, empty });
    }

    let mut edges = Vec::new();
    for l in &t.links {
        let (a, b) = (l.a.value.index(), l.b.value.index());
        let (Some(from), Some(to), Some(ga), Some(gb)) =
            (site_anchors.get(&a), site_anchors.get(&b), site_groups.get(&a), site_groups.get(&b))
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
    for r in &t.replications {
        let (Some(from), Some(to)) = (pool_ids.get(&r.from.value), pool_ids.get(&r.to.value)) else {
            continue;
        };
        let (kind, word) = match r.mode.value {
            ReplicationMode::Sync => (EdgeKind::Sync, "sync"),
            ReplicationMode::Async => (EdgeKind::Async, "async"),
        };
        edges.push(Edge {
            kind,
            from: from.clone(),
            to: to.clone(),
            groups: None,
            label: format!("{word} · rpo {}", dur(r.rpo.value)),
        });
    }
    for m in &t.migrations {
        let from_w = t.workload(m.from.value);
        let to_w = t.workload(m.to.value);
        for from_c in from_w.placement() {
            let Some(from) = placed.get(&(from_c, m.from.value)) else {
                continue;
            };
            // To the service's copy nearest the vm: on its cluster, else in
            // its site, else every copy.
            let copies: Vec<ClusterId> = to_w.placement();
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
                let Some(to) = placed.get(&(c, m.to.value)) else {
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
    Picture { title: t.name.clone(), sites, edges }
}

/// A DOT double-quoted string: `"` and `\` escaped, line breaks as `\n`.
fn dot_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A DOT label of several lines.
fn dot_label(lines: &[String]) -> String {
    let escaped: Vec<String> = lines.iter().map(|l| dot_str(l)).collect();
    // Join the quoted pieces: drop the inner quotes, keep a `\n` between.
    let inner: Vec<&str> =
        escaped.iter().map(|e| e.strip_prefix('"').and_then(|e| e.strip_suffix('"')).unwrap_or(e)).collect();
    format!("\"{}\"", inner.join("\\n"))
}

fn dot_node(n: &Node, indent: &str, out: &mut String) {
    let attrs = match n.shape {
        Shape::Cluster => "shape=box, style=\"filled,bold\", fillcolor=\"#dbe6f6\"",
        Shape::Pool => "shape=cylinder, style=filled, fillcolor=\"#fbefc9\"",
        Shape::Service => "shape=box, style=\"filled,rounded\", fillcolor=white",
        Shape::Vm => "shape=box3d, style=filled, fillcolor=\"#e3f1df\"",
        // A parallelogram: dot's own `parallelogram` grows tall with the label.
        Shape::Job => "shape=polygon, sides=4, skew=0.3, margin=\"0.05,0.03\", style=filled, fillcolor=\"#f6e3d6\"",
        Shape::Empty => "shape=plaintext",
    };
    let bold = if n.critical { ", penwidth=2" } else { "" };
    let _ = writeln!(out, "{indent}{} [{attrs}{bold}, label={}];", n.id, dot_label(&n.lines));
}

/// The topology as a Graphviz digraph (`dot -Tsvg`).
pub fn dot(t: &Topology) -> String {
    let p = picture(t);
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", dot_str(&p.title));
    let _ = writeln!(
        out,
        "  graph [label={}, labelloc=t, fontsize=16, fontname=\"Helvetica\", rankdir=LR, ordering=out, compound=true, \
         nodesep=0.2, ranksep=0.5];",
        dot_str(&format!("topology {}", p.title))
    );
    let _ = writeln!(out, "  node [fontname=\"Helvetica\", fontsize=10, margin=\"0.15,0.05\"];");
    let _ = writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=9];");
    for s in &p.sites {
        let _ = writeln!(out);
        let _ = writeln!(out, "  subgraph {} {{", s.id);
        let _ = writeln!(
            out,
            "    label={}; style=\"rounded,filled\"; fillcolor=\"#f3f4f7\"; color=\"#7a8499\"; fontsize=12;",
            dot_str(&s.label)
        );
        let _ = writeln!(out, "    {} [shape=point, style=invis, width=0, height=0, label=\"\"];", s.anchor);
        for c in &s.clusters {
            let _ = writeln!(out, "    subgraph {} {{", c.id);
            let _ = writeln!(out, "      label=\"\"; style=\"dashed,rounded\"; color=\"#9aa3b5\"; fillcolor=white;");
            dot_node(&c.node, "      ", &mut out);
            for w in &c.workloads {
                dot_node(w, "      ", &mut out);
            }
            // Reversed: with `rankdir=LR` dot stacks a rank bottom-up, and
            // the workloads should read top-down in declaration order.
            for w in c.workloads.iter().rev() {
                let _ = writeln!(out, "      {} -> {} [style=invis];", c.node.id, w.id);
            }
            let _ = writeln!(out, "    }}");
        }
        for n in &s.pools {
            dot_node(n, "    ", &mut out);
        }
        if let Some(n) = &s.empty {
            dot_node(n, "    ", &mut out);
        }
        // Everything of the site starts in the anchor's column.
        let members = s.clusters.iter().map(|c| &c.node).chain(&s.pools).chain(&s.empty);
        for n in members {
            let _ = writeln!(out, "    {} -> {} [style=invis, minlen=0];", s.anchor, n.id);
        }
        let _ = writeln!(out, "  }}");
    }
    if !p.edges.is_empty() {
        let _ = writeln!(out);
    }
    for e in &p.edges {
        let attrs = match (&e.kind, &e.groups) {
            (EdgeKind::Link, Some((a, b))) if a != b => format!(
                "dir=none, penwidth=2, color=\"#4a5568\", minlen=3, ltail={a}, lhead={b}, label={}",
                dot_str(&e.label)
            ),
            (EdgeKind::Link, _) => format!("dir=none, penwidth=2, color=\"#4a5568\", label={}", dot_str(&e.label)),
            (EdgeKind::Sync, _) => {
                format!("color=\"#1f5fbf\", fontcolor=\"#1f5fbf\", constraint=false, label={}", dot_str(&e.label))
            }
            (EdgeKind::Async, _) => format!(
                "style=dashed, color=\"#1f5fbf\", fontcolor=\"#1f5fbf\", constraint=false, label={}",
                dot_str(&e.label)
            ),
            (EdgeKind::Migrate, _) => format!(
                "style=dotted, penwidth=1.5, color=\"#a0522d\", fontcolor=\"#a0522d\", constraint=false, label={}",
                dot_str(&e.label)
            ),
        };
        let _ = writeln!(out, "  {} -> {} [{attrs}];", e.from, e.to);
    }
    let _ = writeln!(out, "}}");
    out
}

/// Mermaid-safe text for inside `"…"`: `"` as `#quot;`, and `#`, `<`, `>`
/// as entities too so nothing is read as markup.
fn mermaid_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '#' => out.push_str("#35;"),
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn mermaid_label(lines: &[String]) -> String {
    let parts: Vec<String> = lines.iter().map(|l| mermaid_text(l)).collect();
    format!("\"{}\"", parts.join("<br/>"))
}

fn mermaid_node(n: &Node, indent: &str, out: &mut String) {
    let label = mermaid_label(&n.lines);
    let shaped = match n.shape {
        Shape::Cluster => format!("[{label}]"),
        Shape::Pool => format!("[({label})]"),
        Shape::Service => format!("({label})"),
        Shape::Vm => format!("[[{label}]]"),
        Shape::Job => format!("[/{label}/]"),
        Shape::Empty => format!("[{label}]"),
    };
    let _ = writeln!(out, "{indent}{}{shaped}", n.id);
}

/// The topology as a Mermaid flowchart.
pub fn mermaid(t: &Topology) -> String {
    let p = picture(t);
    let mut out = String::new();
    let _ = writeln!(out, "---");
    let _ = writeln!(out, "title: {}", mermaid_label(&[format!("topology {}", p.title)]));
    let _ = writeln!(out, "---");
    let _ = writeln!(out, "flowchart LR");
    let mut critical = Vec::new();
    let mut classes: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for s in &p.sites {
        let _ = writeln!(out, "  subgraph {} [{}]", s.id, mermaid_label(std::slice::from_ref(&s.label)));
        for c in &s.clusters {
            let _ = writeln!(out, "    subgraph {} [\" \"]", c.id);
            mermaid_node(&c.node, "      ", &mut out);
            classes.entry("cluster").or_default().push(&c.node.id);
            for w in &c.workloads {
                mermaid_node(w, "      ", &mut out);
                let class = match w.shape {
                    Shape::Vm => "vm",
                    Shape::Job => "job",
                    _ => "service",
                };
                classes.entry(class).or_default().push(&w.id);
                if w.critical {
                    critical.push(w.id.as_str());
                }
            }
            let _ = writeln!(out, "    end");
        }
        for n in s.pools.iter().chain(&s.empty) {
            mermaid_node(n, "    ", &mut out);
            if n.shape == Shape::Pool {
                classes.entry("pool").or_default().push(&n.id);
            }
        }
        let _ = writeln!(out, "  end");
    }
    let mut dashed = Vec::new();
    let mut dotted = Vec::new();
    for (i, e) in p.edges.iter().enumerate() {
        let label = mermaid_label(std::slice::from_ref(&e.label));
        let line = match (&e.kind, &e.groups) {
            (EdgeKind::Link, Some((a, b))) => format!("{a} ---|{label}| {b}"),
            (EdgeKind::Link, None) => format!("{} ---|{label}| {}", e.from, e.to),
            (EdgeKind::Sync, _) => format!("{} ==>|{label}| {}", e.from, e.to),
            (EdgeKind::Async, _) => {
                dashed.push(i.to_string());
                format!("{} -.->|{label}| {}", e.from, e.to)
            }
            (EdgeKind::Migrate, _) => {
                dotted.push(i.to_string());
                format!("{} -.->|{label}| {}", e.from, e.to)
            }
        };
        let _ = writeln!(out, "  {line}");
    }
    if !dashed.is_empty() {
        let _ = writeln!(out, "  linkStyle {} stroke:#1f5fbf,stroke-dasharray:6 4", dashed.join(","));
    }
    if !dotted.is_empty() {
        let _ = writeln!(out, "  linkStyle {} stroke:#a0522d,stroke-dasharray:2 3", dotted.join(","));
    }
    let fills = [
        ("cluster", "fill:#dbe6f6,stroke:#4a5568,stroke-width:2px"),
        ("pool", "fill:#fbefc9"),
        ("service", "fill:#ffffff"),
        ("vm", "fill:#e3f1df"),
        ("job", "fill:#f6e3d6"),
    ];
    for (class, style) in fills {
        if let Some(members) = classes.get(class) {
            let _ = writeln!(out, "  classDef {class} {style}");
            let _ = writeln!(out, "  class {} {class}", members.join(","));
        }
    }
    if !critical.is_empty() {
        let _ = writeln!(out, "  classDef critical stroke-width:3px");
        let _ = writeln!(out, "  class {} critical", critical.join(","));
    }
    out
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
