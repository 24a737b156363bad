//! HY4013 no-covering-flavor: an OpenStack vm boots the smallest declared
//! flavor that covers its cpu and memory; when none does, it cannot boot.

use crate::check::prelude::*;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(vm) = w.vm() else { return };
    let cluster = t.cluster(vm.placement.value);
    let Some(os) = cluster.openstack() else { return };
    if os.flavor_for(vm.cpu.value, vm.memory.value).is_none() {
        out.push(no_covering_flavor(w, vm, &cluster.name, os));
    }
}

/// HY4013
pub fn no_covering_flavor(w: &Workload, vm: &Vm, cluster: &str, os: &OpenStack) -> Diagnostic {
    // Point at memory when some flavor has the cpus but none the memory.
    let cpu_covered = os.flavors.iter().any(|f| f.cpu.0 >= u64::from(vm.cpu.value) * 1000);
    let (span, label) = if cpu_covered {
        (vm.memory.span, "no flavor has this much memory")
    } else {
        (vm.cpu.span, "no flavor has this many vCPU")
    };
    let d = Diagnostic::new(
        &codes::NO_COVERING_FLAVOR,
        format!("no flavor of `{cluster}` covers vm `{}` ({} vCPU, {})", w.name, vm.cpu.value, vm.memory.value),
        span,
        label,
    );
    match os.flavors.iter().max_by_key(|f| (f.cpu, f.memory)) {
        Some(f) => d.with_help(format!(
            "the largest flavor is `{}` ({} vCPU, {}): declare `flavor NAME cpu={} memory=\"{}\" disk=…` or shrink the vm",
            f.name, f.cpu, f.memory, vm.cpu.value, vm.memory.value
        )),
        None => d.with_help(format!("declare a flavor: `flavor NAME cpu={} memory=\"{}\" disk=\"40Gi\"`", vm.cpu.value, vm.memory.value)),
    }
}
