//! HY5011 vm-without-address: a vm on openstack or vsphere that the mesh
//! reaches — it joins the mesh (`mesh istio`) or a `migrate` moves its
//! traffic, so its mesh cluster declares it with a WorkloadEntry — needs an
//! `address`: the WorkloadEntry's address, which hybridc will not invent.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for c in t.cluster_ids() {
        for id in t.vms_declared_in(c) {
            let w = t.workload(id);
            let Some(vm) = w.vm() else { continue };
            if vm.address.is_some() {
                continue;
            }
            let (span, why) = match (vm.mesh, t.migrations.iter().find(|m| m.from.value == id)) {
                (Some(span), _) => (span, format!("joins the mesh of `{}`", t.cluster(c).name)),
                (None, Some(m)) => (m.from.span, format!("`migrate {}` moves its traffic", m.name)),
                (None, None) => continue,
            };
            out.push(vm_without_address(t, w, vm, span, why));
        }
    }
}

/// HY5011: `why` says what makes the mesh reach the vm, at `reached`.
pub fn vm_without_address(t: &Topology, w: &Workload, vm: &Vm, reached: Span, why: String) -> Diagnostic {
    let network = match t.vm_network(vm).map(|n| t.network(n)) {
        Some(n) => format!("its IP address on network `{}` ({})", n.name, n.cidr.value),
        None => "its IP address".to_string(),
    };
    Diagnostic::new(
        &codes::VM_WITHOUT_ADDRESS,
        format!("vm `{}` is reached through the mesh but has no `address`", w.name),
        w.span,
        "no `address`",
    )
    .with_label(reached, why)
    .with_help(format!(
        "write where the vm is reached: `vm {} address=\"…\"`, {network} or a DNS name that resolves to it",
        w.name
    ))
}
