//! HY6007 vm-mesh-without-cluster: a vm that says `mesh istio` joins the
//! mesh of one kubernetes cluster (`Topology::vm_mesh_cluster`): its own
//! KubeVirt cluster, or for a vm on openstack or vsphere the first
//! kubernetes cluster with `mesh istio` at its site. Without one there is
//! no mesh to join, and the vm would get no identity.

use crate::check::prelude::*;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(vm) = w.vm() else { return };
    let Some(span) = vm.mesh else { return };
    if t.vm_mesh_cluster(vm).is_none() {
        out.push(vm_mesh_without_cluster(t, w, vm, span));
    }
}

/// HY6007: `span` is the vm's `mesh` node.
pub fn vm_mesh_without_cluster(t: &Topology, w: &Workload, vm: &Vm, span: Span) -> Diagnostic {
    let home = t.cluster(vm.placement.value);
    let (why, help) = match home.kubernetes() {
        Some(_) => (
            format!("its cluster `{}` has no service mesh", home.name),
            format!("add `mesh istio` to `kubernetes {}`, or remove `mesh istio` from vm `{}`", home.name, w.name),
        ),
        None => {
            let site = &t.site(home.site).name;
            (
                format!("no kubernetes cluster with `mesh istio` is at its site `{site}`"),
                format!(
                    "add `mesh istio` to a kubernetes cluster of site `{site}`, or remove `mesh istio` from vm `{}`",
                    w.name
                ),
            )
        }
    };
    Diagnostic::new(
        &codes::VM_MESH_WITHOUT_CLUSTER,
        format!("vm `{}` joins the mesh, but {why}", w.name),
        span,
        "no mesh to join",
    )
    .with_label(vm.placement.span, format!("placed on `{}`", home.name))
    .with_help(help)
}
