//! HY7005 address-not-on-network: a vm's `address` must be one it can
//! have. A vm on KubeVirt has none of its own (its pod's address changes;
//! it is reached through its Kubernetes Service); an IP address of a vm on
//! openstack or vsphere lies in its network's CIDR and is none of the
//! addresses the network keeps: its own, its broadcast address, and on
//! openstack its first host, the gateway Neutron gives the subnet.

use crate::check::prelude::*;
use std::net::IpAddr;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for w in &t.workloads {
        let Some(vm) = w.vm() else { continue };
        let Some(address) = &vm.address else { continue };
        let cluster = t.cluster(vm.placement.value);
        if cluster.kubernetes().is_some() {
            let why = format!("vm `{}` runs on KubeVirt in `{}`, where it has its pod's address", w.name, cluster.name);
            let help = format!(
                "remove `address=` from vm `{}`: the mesh reaches it as `{}.{}.svc.cluster.local`, its Kubernetes Service",
                w.name, w.name, t.name
            );
            out.push(address_not_on_network(w, address, None, why, help));
            continue;
        }
        let Address::Ip(ip) = address.value else { continue };
        let Some(net) = t.vm_network(vm).map(|n| t.network(n)) else { continue };
        let why = match kept_address(net.cidr.value, ip, cluster.openstack().is_some()) {
            Some(why) => why,
            None if !net.cidr.value.contains(&ip) => format!("is not in network `{}` ({})", net.name, net.cidr.value),
            None => continue,
        };
        let elsewhere = t
            .site(cluster.site)
            .networks
            .iter()
            .map(|n| t.network(*n))
            .find(|n| n.name != net.name && n.cidr.value.contains(&ip));
        let help = match elsewhere {
            Some(other) => format!(
                "attach vm `{}` to the network its address is on: `network {}`, or give it an address in {} (network `{}`)",
                w.name, other.name, net.cidr.value, net.name
            ),
            None => format!(
                "give vm `{}` its own address in {} (network `{}`): `address=\"…\"`",
                w.name, net.cidr.value, net.name
            ),
        };
        out.push(address_not_on_network(w, address, Some(net), format!("address `{ip}` {why}"), help));
    }
}

/// Why `ip` is an address network `cidr` keeps for itself, if it is one.
fn kept_address(cidr: IpNet, ip: IpAddr, openstack: bool) -> Option<String> {
    if !cidr.contains(&ip) {
        return None;
    }
    let hosts = cidr.prefix_len() + 1 < cidr.max_prefix_len();
    if hosts && ip == cidr.network() && matches!(ip, IpAddr::V4(_)) {
        return Some(format!("is the address of network {cidr} itself"));
    }
    if hosts && ip == cidr.broadcast() && matches!(ip, IpAddr::V4(_)) {
        return Some(format!("is the broadcast address of {cidr}"));
    }
    let first = cidr.hosts().next();
    if openstack && hosts && Some(ip) == first {
        return Some(format!("is the first host of {cidr}, the gateway Neutron gives the subnet"));
    }
    None
}

/// HY7005: `net` is the vm's network when the address is checked against it.
pub fn address_not_on_network(
    w: &Workload,
    address: &Spanned<Address>,
    net: Option<&Network>,
    why: String,
    help: String,
) -> Diagnostic {
    let mut d = Diagnostic::new(
        &codes::ADDRESS_NOT_ON_NETWORK,
        format!("vm `{}` cannot have this address: {why}", w.name),
        address.span,
        "not the vm's address",
    );
    if let Some(n) = net {
        d = d.with_label(n.span, format!("network `{}` declared here", n.name));
    }
    d.with_help(help)
}
