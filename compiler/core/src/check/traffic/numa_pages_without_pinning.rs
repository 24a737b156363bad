//! HY5014 numa-pages-without-pinning: `numa hugepages=` asks for NUMA node
//! pinning — the guest sees its host's NUMA nodes and its memory stays on
//! the nodes of its cpus — which every target realises only for dedicated,
//! pinned cpus (`pinned=#true`): KubeVirt's guest NUMA mapping needs
//! `dedicatedCpuPlacement`, Nova's NUMA topology `hw:cpu_policy=dedicated`.

use crate::check::prelude::*;

pub fn check(_: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(vm) = w.vm() else { return };
    if let (Some(pages), false) = (&vm.numa_hugepages, vm.numa_pinned) {
        out.push(numa_pages_without_pinning(w, pages));
    }
}

/// HY5014: the page size, at its token, of a vm whose cpus are not pinned.
pub fn numa_pages_without_pinning(w: &Workload, pages: &Spanned<HugePageSize>) -> Diagnostic {
    Diagnostic::new(
        &codes::NUMA_PAGES_WITHOUT_PINNING,
        format!("vm `{}` asks for NUMA node pinning without pinned cpus", w.name),
        pages.span,
        "huge pages for NUMA node pinning",
    )
    .with_help(format!("pin the vm's cpus: `numa pinned=#true hugepages=\"{}\"`, or remove `hugepages`", pages.value))
}
