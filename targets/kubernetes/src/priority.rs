//! `priorities.yaml`: a `scheduling.k8s.io/v1` PriorityClass for each
//! restart priority (`ha restart-priority=`) a vm of this cluster asks for,
//! lowest first; the VirtualMachine names it in
//! `spec.template.spec.priorityClassName`, so its virt-launcher pod carries
//! that priority.
//!
//! vSphere HA's restart priority orders which vms come back first after a
//! host fails; it never stops a running vm to make room. The classes say
//! the same: a pending pod of a higher class is scheduled before one of a
//! lower class, and `preemptionPolicy: Never` keeps it from evicting
//! running pods — preemption would kill other vms (and services) instead of
//! migrating them, turning one failed node into a cascade. None is the
//! cluster's global default.

use crate::meta::cluster_meta;
use crate::Ctx;
use hybrid_emit::{json, Value};
use hybrid_model::Priority;

/// Each priority's class: its name and value, the one table both the class
/// and the VirtualMachine read. Values stay far below the system classes
/// (two billion) and apart, so an operator's own classes fit between them.
const CLASSES: &[(Priority, &str, i64)] = &[
    (Priority::Low, "hybrid-vm-restart-low", 1_000),
    (Priority::Medium, "hybrid-vm-restart-medium", 10_000),
    (Priority::High, "hybrid-vm-restart-high", 100_000),
];

/// Pending pods of a class wait their turn ahead of lower ones; they never
/// preempt running pods.
const PREEMPTION_POLICY: &str = "Never";

/// The PriorityClass of a restart priority.
pub fn class_name(p: Priority) -> &'static str {
    CLASSES.iter().find(|(q, _, _)| *q == p).map(|(_, name, _)| *name).unwrap_or("hybrid-vm-restart-medium")
}

/// The classes the vms of this cluster name, lowest first.
pub fn objects(ctx: &Ctx<'_>) -> Vec<Value> {
    let used: Vec<Priority> =
        ctx.t.placed_on(ctx.id).filter_map(|w| w.vm().and_then(|v| v.ha.as_ref()).map(|h| h.value)).collect();
    CLASSES
        .iter()
        .filter(|(p, _, _)| used.contains(p))
        .map(|(p, name, value)| {
            json!({
                "apiVersion": "scheduling.k8s.io/v1",
                "kind": "PriorityClass",
                "metadata": cluster_meta(ctx.t, name, &[]),
                "value": value,
                "globalDefault": false,
                "preemptionPolicy": PREEMPTION_POLICY,
                "description": format!("vms with `ha restart-priority={}`: scheduled ahead of lower priorities, never preempting", p.as_str()),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_priority_has_one_class_and_values_rise() {
        assert_eq!(CLASSES.iter().map(|(p, _, _)| *p).collect::<Vec<_>>(), Priority::ALL);
        assert!(CLASSES.windows(2).all(|w| w[0].2 < w[1].2));
        assert!(CLASSES.iter().all(|(_, _, v)| *v > 0 && *v <= 1_000_000_000));
        for p in Priority::ALL {
            assert!(class_name(*p).ends_with(p.as_str()));
        }
    }
}
