//! HY4011 vm-larger-than-host: a vm with more cpu or memory than one host
//! (vSphere), compute node (OpenStack) or node (KubeVirt) of its cluster.

use crate::check::prelude::*;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(vm) = w.vm() else { return };
    let cluster = t.cluster(vm.placement.value);
    let need = request(w);
    let hosts: Vec<Request> = match &cluster.kind {
        ClusterKind::VSphere(v) => v.hosts.iter().map(|h| Request { cpu: h.cpu.0, memory: h.memory.0 }).collect(),
        ClusterKind::OpenStack(o) => o.compute.iter().map(|h| Request { cpu: h.cpu.0, memory: h.memory.0 }).collect(),
        ClusterKind::Kubernetes(k) => {
            eligible_pools(w, vm.placement.value, k).map(|p| Request { cpu: p.cpu.0, memory: p.memory.0 }).collect()
        }
    };
    // It fits if one kind of host holds both its cpu and its memory.
    if hosts.is_empty() || hosts.iter().any(|h| need.fits_in(*h)) {
        return;
    }
    let cpu_ok: Vec<&Request> = hosts.iter().filter(|h| need.cpu <= h.cpu).collect();
    let host = match cpu_ok.iter().max_by_key(|h| h.memory) {
        Some(h) => **h,
        None => hosts.iter().copied().max_by_key(|h| (h.cpu, h.memory)).unwrap_or_default(),
    };
    if need.cpu > host.cpu {
        out.push(vm_larger_than_host(
            w,
            vm.cpu.span,
            &cluster.name,
            format!("{} vCPU", vm.cpu.value),
            MilliCpu(host.cpu).to_string() + " cpu",
        ));
    } else if need.memory > host.memory {
        out.push(vm_larger_than_host(
            w,
            vm.memory.span,
            &cluster.name,
            vm.memory.value.to_string(),
            Bytes(host.memory).to_string(),
        ));
    }
}

/// HY4011
pub fn vm_larger_than_host(w: &Workload, span: Span, cluster: &str, want: String, host: String) -> Diagnostic {
    Diagnostic::new(
        &codes::VM_LARGER_THAN_HOST,
        format!("vm `{}` needs {want} but one host of `{cluster}` has {host}", w.name),
        span,
        "larger than a host",
    )
    .with_help("size the vm within one host, or place it on a cluster with larger hosts")
}
