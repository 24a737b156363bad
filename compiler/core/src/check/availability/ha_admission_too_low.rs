//! HY2006 ha-admission-too-low: a vSphere HA admission reserve below one
//! host's share of the cluster (100% / hosts): after one host fails, its
//! VMs cannot all restart.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for c in &t.clusters {
        let Some(v) = c.vsphere() else { continue };
        let (Some(ha), Some(hosts)) = (&v.ha, &v.hosts) else { continue };
        let Some(reserve) = &ha.admission_reserve else { continue };
        if hosts.count == 0 {
            continue;
        }
        let share = 100.0 / f64::from(hosts.count);
        if reserve.value.0 < share {
            out.push(ha_admission_too_low(c, reserve, hosts.count, share));
        }
    }
}

/// HY2006
pub fn ha_admission_too_low(c: &Cluster, reserve: &Spanned<Percent>, hosts: u32, share: f64) -> Diagnostic {
    let fix = share.ceil();
    let (message, help) = if hosts == 1 {
        (
            format!("HA on `{}` reserves {} but the cluster has a single host", c.name, reserve.value),
            "a one-host cluster cannot absorb a host failure: add hosts (`hosts count=2` or more)".to_string(),
        )
    } else {
        (
            format!(
                "HA on `{}` reserves {} but each of its {hosts} hosts is {share:.1}% of the cluster",
                c.name, reserve.value
            ),
            format!("reserve at least one host: `admission-reserve=\"{fix}%\"`"),
        )
    };
    Diagnostic::new(&codes::HA_ADMISSION_TOO_LOW, message, reserve.span, "cannot absorb one host failure")
        .with_help(help)
}
