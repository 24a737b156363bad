//! HY1009 nic-unsupported: a vm with a further network interface (`nic`)
//! placed on a cluster whose target does not attach one. Only the vSphere
//! target writes a vm's `nic`s (a `network_interface` each); on KubeVirt or
//! OpenStack the interface would be silently missing.

use crate::check::prelude::*;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(vm) = w.vm() else { return };
    let cluster = t.cluster(vm.placement.value);
    if cluster.vsphere().is_some() {
        return;
    }
    if let Some(nic) = vm.nics.first() {
        out.push(nic_unsupported(w, nic.span, &cluster.name, cluster.kind_word(), vm.placement.span));
    }
}

/// HY1009
pub fn nic_unsupported(w: &Workload, span: Span, cluster: &str, kind: &str, placement: Span) -> Diagnostic {
    Diagnostic::new(
        &codes::NIC_UNSUPPORTED,
        format!("vm `{}` has a further network interface, which hybridc attaches only on vsphere", w.name),
        span,
        "not attached on this cluster",
    )
    .with_label(placement, format!("placed on {kind} cluster `{cluster}`"))
    .with_help("remove the `nic`, or place the vm on a vsphere cluster")
}
