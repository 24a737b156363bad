//! HY2001 even-control-plane: a control plane whose replica count is even or
//! below 3 on a cluster that needs a real quorum (more than one pool, or an
//! `ha-critical` workload). etcd needs a majority: 2 members survive no
//! loss, 4 survive the same one loss as 3.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for id in t.cluster_ids() {
        let c = t.cluster(id);
        let Some(k) = c.kubernetes() else { continue };
        let n = k.control_plane_replicas.value;
        let ha = t.placed_on(id).find(|w| is_ha(w));
        if (n % 2 == 0 || n < MIN_CONTROL_PLANE) && (k.pools.len() > 1 || ha.is_some()) {
            let why = match ha {
                Some(w) => format!("`{}` runs the highly available `{}`", c.name, w.name),
                None => format!("`{}` has {} node pools", c.name, k.pools.len()),
            };
            out.push(even_control_plane(c, &k.control_plane_replicas, &why));
        }
    }
}

/// HY2001
pub fn even_control_plane(c: &Cluster, replicas: &Spanned<u32>, why: &str) -> Diagnostic {
    let n = replicas.value;
    let fix = if n < MIN_CONTROL_PLANE { MIN_CONTROL_PLANE } else { n + 1 };
    Diagnostic::new(
        &codes::EVEN_CONTROL_PLANE,
        format!(
            "control plane of `{}` has {n} {}; etcd needs an odd quorum of at least {MIN_CONTROL_PLANE}",
            c.name,
            if n == 1 { "replica" } else { "replicas" }
        ),
        replicas.span,
        format!("{n} control-plane {}", if n == 1 { "replica" } else { "replicas" }),
    )
    .with_help(format!("{why}: write `control-plane replicas={fix}`"))
}
