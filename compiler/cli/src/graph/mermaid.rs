//! The [`Picture`] as a Mermaid flowchart: sites and clusters as
//! subgraphs, shapes and styles by class, every string made safe for
//! Mermaid's labels.

use super::{Edge, EdgeKind, Node, Shape, SiteGroup};
use hybrid_model::Topology;
use std::collections::BTreeMap;
use std::fmt::Write;

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
    let p = super::picture(t);
    let mut out = String::new();
    let _ = writeln!(out, "---");
    let _ = writeln!(out, "title: {}", mermaid_label(&[format!("topology {}", p.title)]));
    let _ = writeln!(out, "---");
    let _ = writeln!(out, "flowchart LR");
    let mut styles = Styles::default();
    for s in &p.sites {
        site(s, &mut styles, &mut out);
    }
    edges(&p.edges, &mut out);
    styles.write(&mut out);
    out
}

/// The nodes of each style class, and the critical ones.
#[derive(Default)]
struct Styles<'a> {
    classes: BTreeMap<&'static str, Vec<&'a str>>,
    critical: Vec<&'a str>,
}

impl Styles<'_> {
    fn write(&self, out: &mut String) {
        let fills = [
            ("cluster", "fill:#dbe6f6,stroke:#4a5568,stroke-width:2px"),
            ("pool", "fill:#fbefc9"),
            ("service", "fill:#ffffff"),
            ("vm", "fill:#e3f1df"),
            ("job", "fill:#f6e3d6"),
        ];
        for (class, style) in fills {
            if let Some(members) = self.classes.get(class) {
                let _ = writeln!(out, "  classDef {class} {style}");
                let _ = writeln!(out, "  class {} {class}", members.join(","));
            }
        }
        if !self.critical.is_empty() {
            let _ = writeln!(out, "  classDef critical stroke-width:3px");
            let _ = writeln!(out, "  class {} critical", self.critical.join(","));
        }
    }
}

/// A site: a subgraph per cluster with its workloads, then its pools.
fn site<'a>(s: &'a SiteGroup, styles: &mut Styles<'a>, out: &mut String) {
    let _ = writeln!(out, "  subgraph {} [{}]", s.id, mermaid_label(std::slice::from_ref(&s.label)));
    for c in &s.clusters {
        let _ = writeln!(out, "    subgraph {} [\" \"]", c.id);
        mermaid_node(&c.node, "      ", out);
        styles.classes.entry("cluster").or_default().push(&c.node.id);
        for w in &c.workloads {
            mermaid_node(w, "      ", out);
            let class = match w.shape {
                Shape::Vm => "vm",
                Shape::Job => "job",
                _ => "service",
            };
            styles.classes.entry(class).or_default().push(&w.id);
            if w.critical {
                styles.critical.push(w.id.as_str());
            }
        }
        let _ = writeln!(out, "    end");
    }
    for n in s.pools.iter().chain(&s.empty) {
        mermaid_node(n, "    ", out);
        if n.shape == Shape::Pool {
            styles.classes.entry("pool").or_default().push(&n.id);
        }
    }
    let _ = writeln!(out, "  end");
}

/// The edges, then the styles of the dashed and dotted ones (by index).
fn edges(edges: &[Edge], out: &mut String) {
    let mut dashed = Vec::new();
    let mut dotted = Vec::new();
    for (i, e) in edges.iter().enumerate() {
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
}
