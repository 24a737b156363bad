//! The [`Picture`] as Graphviz DOT: sites as clusters (subgraphs), the
//! workloads of a cluster in a nested one, invisible anchors that keep a
//! site in one column; every string escaped for DOT.

use super::{EdgeKind, Node, Shape};
use hybrid_model::Topology;
use std::fmt::Write;

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
    let p = super::picture(t);
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
