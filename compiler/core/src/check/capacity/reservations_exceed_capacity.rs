//! HY4012 reservations-exceed-capacity: on a vSphere cluster, the vms'
//! reserved cpu or memory (`reserve`) summed beyond what the hosts have
//! after the HA admission reserve: vSphere refuses to power them on. A vm
//! with Fault Tolerance counts twice (its secondary reserves as much).

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for id in t.cluster_ids() {
        let c = t.cluster(id);
        let Some(v) = c.vsphere() else { continue };
        let Some(hosts) = &v.hosts else { continue };
        let reserve = v.ha.as_ref().and_then(|h| h.admission_reserve.as_ref()).map(|r| r.value.0).unwrap_or(0.0);
        let usable = |total: u64| (total as f64 * (100.0 - reserve) / 100.0) as u64;
        let cap = Request {
            cpu: usable(hosts.cpu.0.saturating_mul(u64::from(hosts.count))),
            memory: usable(hosts.memory.0.saturating_mul(u64::from(hosts.count))),
        };
        let mut need = Request::default();
        for w in t.placed_on(id).filter(|w| w.vm().is_some()) {
            let Some(r) = w.vm().and_then(|vm| vm.reserve.as_ref()) else { continue };
            let full = request(w);
            let pct = |p: Option<Percent>, x: u64| (x as f64 * p.map(|p| p.0).unwrap_or(0.0) / 100.0) as u64;
            // A Fault Tolerance secondary on another host reserves as much again.
            let copies = if w.vm().and_then(|v| v.fault_tolerance.as_ref()).is_some_and(|f| f.value) { 2 } else { 1 };
            need = need.plus(Request { cpu: pct(r.cpu, full.cpu), memory: pct(r.memory, full.memory) }.times(copies));
        }
        if !need.fits_in(cap) {
            out.push(reservations_exceed_capacity(c, need, cap, reserve));
        }
    }
}

/// HY4012
pub fn reservations_exceed_capacity(c: &Cluster, need: Request, cap: Request, reserve: f64) -> Diagnostic {
    Diagnostic::new(
        &codes::RESERVATIONS_EXCEED_CAPACITY,
        format!(
            "vms on `{}` reserve {} cpu and {}, but after the {reserve}% HA reserve it has {} cpu and {}",
            c.name,
            MilliCpu(need.cpu),
            Bytes(need.memory),
            MilliCpu(cap.cpu),
            Bytes(cap.memory)
        ),
        c.span,
        "reservations do not fit",
    )
    .with_help("lower the vms' `reserve`, add hosts, or move vms to another cluster")
}
