//! HY4016 cpu-reserve-without-clock: a vm on a vSphere cluster reserves a
//! percentage of its cpu (`reserve cpu=`), but the cluster's `hosts` do not
//! say their `clock`. vSphere reserves cpu in MHz, and a percentage of a
//! vCPU is only a number of MHz on a known clock: any assumed clock either
//! reserves less than asked (faster hosts) or more than a core can give.

use crate::check::prelude::*;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(vm) = w.vm() else { return };
    let cluster = t.cluster(vm.placement.value);
    let Some(vs) = cluster.vsphere() else { return };
    if vs.host_clock.is_some() {
        return;
    }
    let Some(reserve) = &vm.reserve else { return };
    if reserve.cpu.is_some_and(|p| p.0 > 0.0) {
        let hosts = vs.hosts.as_ref().map(|h| h.span);
        out.push(cpu_reserve_without_clock(w, reserve.cpu_span.unwrap_or(reserve.span), &cluster.name, hosts));
    }
}

/// HY4016
pub fn cpu_reserve_without_clock(w: &Workload, span: Span, cluster: &str, hosts: Option<Span>) -> Diagnostic {
    let mut d = Diagnostic::new(
        &codes::CPU_RESERVE_WITHOUT_CLOCK,
        format!("vm `{}` reserves cpu, but the hosts of `{cluster}` state no `clock`", w.name),
        span,
        "a share of a vCPU in MHz needs the hosts' clock",
    );
    if let Some(h) = hosts {
        d = d.with_label(h, "these hosts have no `clock`");
    }
    d.with_help("state the hosts' base clock, e.g. `hosts count=4 cpu=48 memory=\"1Ti\" clock=\"3.0GHz\"`")
}
