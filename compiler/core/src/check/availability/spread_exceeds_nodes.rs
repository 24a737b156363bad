//! HY2004 spread-exceeds-nodes: `spread hostname required=#true` with more
//! replicas (or autoscale max) than nodes that can run the service in a
//! placement cluster (a passive one included: it runs them after a
//! failover): the extra replicas stay Pending forever.

use crate::check::prelude::*;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(s) = w.service() else { return };
    let Some(sp) = &s.spread else { return };
    if !sp.required || sp.over != SpreadOver::Hostname {
        return;
    }
    let want = service_replicas(s, Scale::Max);
    for p in &s.placement {
        let Some(k) = t.cluster(p.value).kubernetes() else { continue };
        // Passive clusters too: after a failover they run every replica.
        let nodes = eligible_nodes(w, p.value, k);
        if want > nodes {
            out.push(spread_exceeds_nodes(w, sp, p, &t.cluster(p.value).name, want, nodes));
        }
    }
}

/// HY2004
pub fn spread_exceeds_nodes(
    w: &Workload,
    sp: &Spread,
    placement: &Spanned<ClusterId>,
    cluster: &str,
    want: u32,
    nodes: u32,
) -> Diagnostic {
    Diagnostic::new(
        &codes::SPREAD_EXCEEDS_NODES,
        format!(
            "`{}` needs {want} replicas on distinct hosts but `{cluster}` has {nodes} nodes that can run it",
            w.name
        ),
        sp.span,
        "one replica per host required",
    )
    .with_label(placement.span, format!("placed on `{cluster}`"))
    .with_help(format!(
        "lower the replicas (or autoscale max) to {nodes}, add nodes, or write `spread hostname required=#false`"
    ))
}
