//! HY7002 vm-without-kubevirt: a vm on a kubernetes cluster needs KubeVirt.

use crate::check::prelude::*;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(vm) = w.vm() else { return };
    let c = t.cluster(vm.placement.value);
    if c.kubernetes().is_some_and(|k| !k.kubevirt) {
        out.push(vm_without_kubevirt(w, &vm.placement, c));
    }
}

/// HY7002
pub fn vm_without_kubevirt(w: &Workload, p: &Spanned<ClusterId>, c: &Cluster) -> Diagnostic {
    Diagnostic::new(
        &codes::VM_WITHOUT_KUBEVIRT,
        format!("vm `{}` is placed on `{}`, which does not run KubeVirt", w.name, c.name),
        p.span,
        "no kubevirt here",
    )
    .with_label(c.span, "cluster declared here")
    .with_help(format!("add `kubevirt` to `kubernetes {}`, or place the vm on openstack or vsphere", c.name))
}
