//! HY7007 cluster-placed-twice: a service names one cluster twice in its
//! `placement` (`placement shop-a shop-a`, or two pools of one cluster,
//! `placement train.a100 train.h100`). A service runs once per cluster,
//! pinned to at most one pool there; the second mention would be dropped
//! or double-counted.

use crate::check::prelude::*;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(s) = w.service() else { return };
    for (i, p) in s.placement.iter().enumerate() {
        if let Some(first) = s.placement.iter().take(i).find(|q| q.value == p.value) {
            out.push(cluster_placed_twice(w, t.cluster(p.value), first.span, p.span, &fixed(t, s)));
        }
    }
}

/// The placement with each cluster once, as it would be written: the first
/// mention of each (with its pool), then the mode when it is not the
/// default.
fn fixed(t: &Topology, s: &Service) -> String {
    let mut seen: Vec<ClusterId> = Vec::new();
    let mut parts = vec!["placement".to_string()];
    for p in &s.placement {
        if seen.contains(&p.value) {
            continue;
        }
        seen.push(p.value);
        let name = &t.cluster(p.value).name;
        parts.push(match s.pinned_pool(p.value) {
            Some(pool) => format!("{name}.{}", pool.value),
            None => name.clone(),
        });
    }
    if s.mode != PlacementMode::ActiveActive {
        parts.push(format!("mode={}", s.mode.as_str()));
    }
    parts.join(" ")
}

/// HY7007
pub fn cluster_placed_twice(w: &Workload, c: &Cluster, first: Span, again: Span, fixed: &str) -> Diagnostic {
    Diagnostic::new(
        &codes::CLUSTER_PLACED_TWICE,
        format!("service `{}` names cluster `{}` twice in its placement", w.name, c.name),
        again,
        "named again",
    )
    .with_label(first, "first named here")
    .with_help(format!("name each cluster once, pinned to at most one pool: `{fixed}`"))
}
