//! HY4018 sriov-without-memory-reservation: a vm with an SR-IOV network
//! interface (`nic … sriov=#true`) that does not reserve all its memory.
//! An SR-IOV adapter gives the guest direct memory access, so vSphere
//! powers such a vm on only with its memory fully reserved.

use crate::check::prelude::*;

pub fn check(_: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(vm) = w.vm() else { return };
    let reserved = vm.reserve.as_ref().and_then(|r| r.memory).map(|p| p.0).unwrap_or(0.0);
    if reserved >= 100.0 {
        return;
    }
    if let Some(span) = vm.nics.iter().find_map(|n| n.sriov) {
        out.push(sriov_without_memory_reservation(w, span, reserved));
    }
}

/// HY4018
pub fn sriov_without_memory_reservation(w: &Workload, span: Span, reserved: f64) -> Diagnostic {
    Diagnostic::new(
        &codes::SRIOV_WITHOUT_MEMORY_RESERVATION,
        format!("vm `{}` has an SR-IOV network interface but reserves {reserved}% of its memory", w.name),
        span,
        "needs all memory reserved",
    )
    .with_help("reserve all of the vm's memory: `reserve memory=\"100%\"`")
}
