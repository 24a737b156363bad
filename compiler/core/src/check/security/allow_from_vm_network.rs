//! HY6008 allow-from-vm-network: a NetworkPolicy admits a caller by its
//! pods or by an `ipBlock`. A vm on openstack or vsphere has no pods, so it
//! is admitted by its `address` — and when that is a DNS name, or there is
//! none, by its whole network's CIDR: every machine there reaches the
//! service's ports. Warned, so that the wider rule is never silent; an IP
//! address admits the vm alone.

use crate::check::prelude::*;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(s) = w.service() else { return };
    for caller in &s.allow_from {
        let cw = t.workload(caller.value);
        let Some(vm) = cw.vm() else { continue };
        if t.cluster(vm.placement.value).kubernetes().is_some() {
            continue;
        }
        if matches!(vm.address.as_ref().map(|a| &a.value), Some(Address::Ip(_))) {
            continue;
        }
        let Some(net) = t.vm_network(vm).map(|n| t.network(n)) else { continue };
        out.push(allow_from_vm_network(w, caller.span, cw, vm, net));
    }
}

/// HY6008
pub fn allow_from_vm_network(w: &Workload, caller: Span, vm_w: &Workload, vm: &Vm, net: &Network) -> Diagnostic {
    let (label, why) = match &vm.address {
        Some(a) => (a.span, format!("its address `{}` is a DNS name", a.value)),
        None => (vm_w.span, "it has no address".to_string()),
    };
    Diagnostic::new(
        &codes::ALLOW_FROM_VM_NETWORK,
        format!(
            "the NetworkPolicy of `{}` admits all of network `{}` ({}) for vm `{}`: {why}",
            w.name, net.name, net.cidr.value, vm_w.name
        ),
        caller,
        format!("admitted as {}", net.cidr.value),
    )
    .with_label(label, "no IP address here")
    .with_help(format!(
        "give vm `{}` its IP address in {} so that the policy admits it alone: `vm {} address=\"…\"`",
        vm_w.name, net.cidr.value, vm_w.name
    ))
}
