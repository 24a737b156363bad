//! HY5012 migrate-out-of-reach: a `migrate` is routed by the mesh that
//! reaches its vm (`Topology::vm_mesh_cluster`: a KubeVirt vm's own cluster,
//! or for a vm on openstack or vsphere the first kubernetes cluster with
//! `mesh istio` at its site), so the service that takes the traffic must run
//! in that cluster; a vm that no mesh reaches cannot be migrated at all.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for m in &t.migrations {
        let from = t.workload(m.from.value);
        let to = t.workload(m.to.value);
        let (Some(vm), Some(s)) = (from.vm(), to.service()) else { continue };
        match t.vm_mesh_cluster(vm) {
            None => out.push(migrate_out_of_reach(t, m, from, vm, to, None)),
            Some(c) if !s.placement.iter().any(|p| p.value == c) => {
                out.push(migrate_out_of_reach(t, m, from, vm, to, Some(c)))
            }
            Some(_) => {}
        }
    }
}

/// HY5012: `mesh` is the cluster whose mesh reaches the vm, when one does
/// (the service then does not run there).
pub fn migrate_out_of_reach(
    t: &Topology,
    m: &Migration,
    from: &Workload,
    vm: &Vm,
    to: &Workload,
    mesh: Option<ClusterId>,
) -> Diagnostic {
    let home = t.cluster(vm.placement.value);
    match mesh {
        Some(c) => {
            let cluster = &t.cluster(c).name;
            let mut placed: Vec<String> = to.placement().map(|p| t.cluster(p).name.clone()).collect();
            placed.push(cluster.clone());
            Diagnostic::new(
                &codes::MIGRATE_OUT_OF_REACH,
                format!(
                    "`migrate {}` cannot route: `{}` does not run in `{cluster}`, the cluster whose mesh reaches vm `{}`",
                    m.name, to.name, from.name
                ),
                m.to.span,
                format!("not placed on `{cluster}`"),
            )
            .with_label(to.placement_span(), "placed here")
            .with_label(from.span, format!("reached through the mesh of `{cluster}`"))
            .with_help(format!("place `{}` on `{cluster}` too: `placement {}`", to.name, placed.join(" ")))
        }
        None => {
            let (why, help) = match home.kubernetes() {
                Some(_) => (
                    format!("its cluster `{}` has no service mesh", home.name),
                    format!("add `mesh istio` to `kubernetes {}`", home.name),
                ),
                None => {
                    let site = &t.site(home.site).name;
                    (
                        format!("no kubernetes cluster with `mesh istio` is at its site `{site}`"),
                        format!(
                            "add `mesh istio` to a kubernetes cluster of site `{site}` and place `{}` on it",
                            to.name
                        ),
                    )
                }
            };
            Diagnostic::new(
                &codes::MIGRATE_OUT_OF_REACH,
                format!("`migrate {}` cannot route: no mesh reaches vm `{}`, {why}", m.name, from.name),
                m.from.span,
                "no mesh reaches this vm",
            )
            .with_label(vm.placement.span, format!("placed on `{}`", home.name))
            .with_help(help)
        }
    }
}
