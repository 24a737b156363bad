//! HY7005 address-not-on-network: a vm's `address` must be one it can
//! have. A vm on KubeVirt has none of its own (its pod's address changes;
//! it is reached through its Kubernetes Service); an IP address of a vm on
//! openstack or vsphere lies in its network's CIDR and is none of the
//! addresses the network keeps (`kept_address`).

use crate::check::prelude::*;
use std::net::IpAddr;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(vm) = w.vm() else { return };
    let Some(address) = &vm.address else { return };
    let cluster = t.cluster(vm.placement.value);
    if cluster.kubernetes().is_some() {
        let why = format!("vm `{}` runs on KubeVirt in `{}`, where it has its pod's address", w.name, cluster.name);
        let help = format!(
            "remove `address=` from vm `{}`: the mesh reaches it as `{}.{}.svc.cluster.local`, its Kubernetes Service",
            w.name, w.name, t.name
        );
        out.push(address_not_on_network(w, address, None, why, help));
        return;
    }
    let Address::Ip(ip) = address.value else { return };
    let Some(net) = t.vm_network(vm).map(|n| t.network(n)) else { return };
    let why = match kept_address(net.cidr.value, ip, cluster.openstack().is_some()) {
        Some(why) => why,
        None if !net.cidr.value.contains(&ip) => format!("is not in network `{}` ({})", net.name, net.cidr.value),
        None => return,
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

/// Why `ip` is an address network `cidr` keeps for itself, if it is one:
/// its own address (IPv6's subnet-router anycast), its IPv4 broadcast
/// address, and on openstack the one after its own, the gateway Neutron
/// gives the subnet. Point-to-point networks (`/31`, `/127` and smaller)
/// keep none.
fn kept_address(cidr: IpNet, ip: IpAddr, openstack: bool) -> Option<String> {
    if !cidr.contains(&ip) || cidr.prefix_len() + 1 >= cidr.max_prefix_len() {
        return None;
    }
    let number = |a: IpAddr| match a {
        IpAddr::V4(v4) => u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
    };
    let (ip_n, network) = (number(ip), number(cidr.network()));
    if ip_n == network {
        return Some(format!("is the address of network {cidr} itself"));
    }
    if matches!(ip, IpAddr::V4(_)) && ip == cidr.broadcast() {
        return Some(format!("is the broadcast address of {cidr}"));
    }
    if openstack && ip_n == network.saturating_add(1) {
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

#[cfg(test)]
mod tests {
    use super::kept_address;

    fn kept(cidr: &str, ip: &str, openstack: bool) -> bool {
        kept_address(cidr.parse().unwrap(), ip.parse().unwrap(), openstack).is_some()
    }

    #[test]
    fn networks_keep_their_own_broadcast_and_gateway_addresses() {
        assert!(kept("10.20.0.0/22", "10.20.0.0", false));
        assert!(kept("10.20.0.0/22", "10.20.3.255", false));
        assert!(kept("10.20.0.0/22", "10.20.0.1", true));
        assert!(!kept("10.20.0.0/22", "10.20.0.1", false));
        assert!(!kept("10.20.0.0/22", "10.20.0.2", true));
        assert!(kept("fd00:10::/64", "fd00:10::", false));
        assert!(kept("fd00:10::/64", "fd00:10::1", true));
        assert!(!kept("fd00:10::/64", "fd00:10::ffff:ffff:ffff:ffff", false));
        assert!(!kept("10.20.0.0/31", "10.20.0.0", true));
    }
}
