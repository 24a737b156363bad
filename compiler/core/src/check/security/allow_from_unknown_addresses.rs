//! HY6011 allow-from-unknown-addresses: a vm on OpenStack or vSphere admits
//! its `allow-from` workloads by the addresses they connect from
//! (`Topology::source_ranges`; a vm of the same OpenStack cloud by its
//! security group instead), so the program must give those addresses: a
//! Kubernetes cluster its `network`, a vm its network.

use crate::check::prelude::*;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(v) = w.vm() else { return };
    let cluster = t.cluster(v.placement.value);
    // On kubernetes the callers are matched by their pods' labels.
    if cluster.kubernetes().is_some() {
        return;
    }
    for caller in &v.allow_from {
        let from = t.workload(caller.value);
        let same_cloud = cluster.openstack().is_some()
            && from.vm().is_some_and(|c| c.placement.value == v.placement.value && t.vm_network(c).is_some());
        if same_cloud {
            continue;
        }
        if let Err(unknown) = t.source_ranges(from) {
            out.push(allow_from_unknown_addresses(t, w, v, from, caller.span, unknown));
        }
    }
}

/// HY6011
pub fn allow_from_unknown_addresses(
    t: &Topology,
    w: &Workload,
    v: &Vm,
    from: &Workload,
    at: Span,
    unknown: ClusterId,
) -> Diagnostic {
    let cluster = t.cluster(v.placement.value);
    let other = t.cluster(unknown);
    let (why, help) = match other.kubernetes() {
        Some(_) => (
            format!("kubernetes cluster `{}` has no `network`", other.name),
            format!(
                "give `{}` the site network its nodes live on: `network NAME` in `kubernetes {}`",
                other.name, other.name
            ),
        ),
        None => (
            format!("`{}` has no network", from.name),
            format!(
                "attach `{}` to a network of `{}`: `network NAME` in `{} {}`",
                from.name,
                other.name,
                from.kind_word(),
                from.name
            ),
        ),
    };
    Diagnostic::new(
        &codes::ALLOW_FROM_UNKNOWN_ADDRESSES,
        format!(
            "`{}` admits `{}` by address, but the addresses it connects from are unknown: {why}",
            w.name, from.name
        ),
        at,
        format!("admitted by address on {} cluster `{}`", cluster.kind_word(), cluster.name),
    )
    .with_label(from.span, format!("{} declared here", from.kind_word()))
    .with_help(help)
}
