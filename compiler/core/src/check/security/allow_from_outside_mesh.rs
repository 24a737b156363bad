//! HY6006 allow-from-outside-mesh: a service in a mesh admits its
//! `allow-from` callers by their mesh identity (the AuthorizationPolicy's
//! principals), and with strict mTLS its sidecar refuses plain connections
//! outright. A vm outside the mesh has neither an identity nor mutual TLS,
//! so naming it there can never let it in: the vm must join the mesh — a
//! vm on openstack or vsphere with `mesh istio` (the Istio agent runs on
//! it, a prerequisite the output lists), a vm on KubeVirt by its cluster's
//! mesh. A vm that says `mesh istio` but has no mesh to join is HY6007.

use crate::check::prelude::*;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(s) = w.service().filter(|s| !s.allow_from.is_empty()) else { return };
    let meshes: Vec<(&Cluster, &Mesh)> = s
        .placement
        .iter()
        .map(|p| t.cluster(p.value))
        .filter_map(|c| Some((c, c.kubernetes()?.mesh.as_ref()?)))
        .collect();
    let Some((cluster, _)) = meshes.first() else { return };
    let strict = meshes.iter().find(|(_, m)| m.mtls.value == Mtls::Strict).map(|(c, _)| *c);
    for caller in &s.allow_from {
        let cw = t.workload(caller.value);
        let Some(vm) = cw.vm() else { continue };
        let outside = t.cluster(vm.placement.value).kubernetes().is_none();
        if t.vm_in_mesh(vm) || (outside && vm.mesh.is_some()) {
            continue;
        }
        out.push(allow_from_outside_mesh(t, w, caller.span, cw, vm, strict.unwrap_or(cluster)));
    }
}

/// HY6006: `cluster` is a mesh cluster of the service (one with strict
/// mTLS when it has one).
pub fn allow_from_outside_mesh(
    t: &Topology,
    w: &Workload,
    caller: Span,
    vm_w: &Workload,
    vm: &Vm,
    cluster: &Cluster,
) -> Diagnostic {
    let strict = cluster.kubernetes().and_then(|k| k.mesh.as_ref()).is_some_and(|m| m.mtls.value == Mtls::Strict);
    let refusal = if strict {
        format!("strict mTLS on `{}` refuses its plain connections", cluster.name)
    } else {
        format!("the AuthorizationPolicy on `{}` admits mesh identities only", cluster.name)
    };
    let home = t.cluster(vm.placement.value);
    let d = Diagnostic::new(
        &codes::ALLOW_FROM_OUTSIDE_MESH,
        format!("`{}` admits vm `{}`, which is outside the mesh: {refusal}", w.name, vm_w.name),
        caller,
        "outside the mesh",
    );
    match home.kubernetes() {
        Some(_) => d
            .with_label(vm.placement.span, format!("on `{}`, which has no service mesh", home.name))
            .with_help(format!(
                "add `mesh istio` to `kubernetes {}`, where vm `{}` runs, or remove `{}` from `allow-from`",
                home.name, vm_w.name, vm_w.name
            )),
        None => d.with_label(vm_w.span, "declared here, without `mesh istio`").with_help(format!(
            "add `mesh istio` to vm `{}`: it then runs the Istio agent with an identity of its own, or remove `{}` from `allow-from`",
            vm_w.name, vm_w.name
        )),
    }
}
