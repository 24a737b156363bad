//! HY6014 allow-from-without-firewall: a vm on a vSphere cluster admits
//! only its `allow-from` callers through the NSX-T distributed firewall of
//! its cluster (`nsx manager=…`, written to `nsx.tf`). A cluster without
//! `nsx` has no firewall the output can program: the vSphere provider has
//! none, so the rule is only a step in the cluster's README. Warned at the
//! vm's first caller, so that an unenforced edge is never silent.

use crate::check::prelude::*;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(vm) = w.vm() else { return };
    let Some(first) = vm.allow_from.first() else { return };
    let cluster = t.cluster(vm.placement.value);
    let Some(vs) = cluster.vsphere() else { return };
    if vs.nsx.is_none() {
        out.push(allow_from_without_firewall(w, first.span, cluster));
    }
}

/// HY6014
pub fn allow_from_without_firewall(w: &Workload, caller: Span, cluster: &Cluster) -> Diagnostic {
    Diagnostic::new(
        &codes::ALLOW_FROM_WITHOUT_FIREWALL,
        format!(
            "the `allow-from` of vm `{}` is enforced by nothing: vsphere cluster `{}` has no NSX-T distributed firewall",
            w.name, cluster.name
        ),
        caller,
        "no firewall admits only this caller",
    )
    .with_label(cluster.span, "no `nsx` here")
    .with_help(format!(
        "add `nsx manager=\"nsx.example.com\"` (your NSX-T manager's host name) to vsphere `{}`: `nsx.tf` then \
         writes the vm's security policy",
        cluster.name
    ))
}
