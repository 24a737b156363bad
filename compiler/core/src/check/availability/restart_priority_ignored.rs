//! HY2012 restart-priority-ignored: `ha restart-priority=` on a vm placed
//! on an openstack cloud. vSphere HA restarts vms by priority (the per-vm
//! override) and a KubeVirt cluster schedules them by their PriorityClass;
//! Nova restarts nothing by priority, so nothing in the output can carry
//! it.

use crate::check::prelude::*;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(vm) = w.vm() else { return };
    let Some(ha) = &vm.ha else { return };
    let cluster = t.cluster(vm.placement.value);
    if cluster.openstack().is_some() {
        out.push(restart_priority_ignored(w, ha, cluster, vm.placement.span));
    }
}

/// HY2012: on the priority as written, with a label on the placement.
pub fn restart_priority_ignored(
    w: &Workload,
    ha: &Spanned<Priority>,
    cluster: &Cluster,
    placement: Span,
) -> Diagnostic {
    Diagnostic::new(
        &codes::RESTART_PRIORITY_IGNORED,
        format!(
            "vm `{}` asks for restart priority `{}`, which openstack cloud `{}` cannot honour",
            w.name,
            ha.value.as_str(),
            cluster.name
        ),
        ha.span,
        "no restart order on openstack",
    )
    .with_label(placement, "placed on openstack")
    .with_help(
        "remove `ha` from the vm, or place it on a vsphere cluster or a kubernetes cluster with `kubevirt`, which restart vms by priority",
    )
}
