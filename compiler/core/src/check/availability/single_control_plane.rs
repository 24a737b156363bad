//! HY2002 single-control-plane: a control plane of one node is a single
//! point of failure (reported when HY2001 does not already apply).

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for id in t.cluster_ids() {
        let c = t.cluster(id);
        let Some(k) = c.kubernetes() else { continue };
        let needs_quorum = k.pools.len() > 1 || t.placed_on(id).any(is_ha);
        if k.control_plane_replicas.value == 1 && !needs_quorum {
            out.push(single_control_plane(c, &k.control_plane_replicas));
        }
    }
}

/// HY2002
pub fn single_control_plane(c: &Cluster, replicas: &Spanned<u32>) -> Diagnostic {
    Diagnostic::new(
        &codes::SINGLE_CONTROL_PLANE,
        format!("the control plane of `{}` is a single node", c.name),
        replicas.span,
        "one control-plane node",
    )
    .with_help("losing it stops the cluster's API: use `control-plane replicas=3`")
}
