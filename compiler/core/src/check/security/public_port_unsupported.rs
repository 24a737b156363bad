//! HY6010 public-port-unsupported: a vm's port published to the internet
//! (`public=#true`) needs something that publishes it — an OpenStack
//! floating IP on the port of the vm's network — so the vm must be on an
//! openstack cluster, attached to a network, and that network must be IPv4
//! (floating IPs are IPv4 addresses translated to the vm's own).

use crate::check::prelude::*;

/// Why a port cannot be published.
#[derive(Debug, Clone, Copy)]
pub enum Unpublishable {
    /// The vm is on a kubernetes or vsphere cluster.
    NotOpenStack,
    /// The vm has no network (neither its own nor its cloud's).
    NoNetwork,
    /// The vm's network is IPv6.
    Ipv6(NetworkId),
}

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(v) = w.vm() else { return };
    let reason = match t.cluster(v.placement.value).openstack() {
        None => Some(Unpublishable::NotOpenStack),
        Some(_) => match t.vm_network(v) {
            None => Some(Unpublishable::NoNetwork),
            Some(n) if matches!(t.network(n).cidr.value, IpNet::V6(_)) => Some(Unpublishable::Ipv6(n)),
            Some(_) => None,
        },
    };
    let Some(reason) = reason else { return };
    for p in &v.ports {
        if let Some(public) = p.public {
            out.push(public_port_unsupported(t, w, v, p.number, public, reason));
        }
    }
}

/// HY6010
pub fn public_port_unsupported(
    t: &Topology,
    w: &Workload,
    v: &Vm,
    port: u16,
    public: Span,
    reason: Unpublishable,
) -> Diagnostic {
    let cluster = t.cluster(v.placement.value);
    let (why, help) = match reason {
        Unpublishable::NotOpenStack => (
            format!(
                "`{}` is a {} cluster, and only OpenStack floating IPs publish a vm's port",
                cluster.name,
                cluster.kind_word()
            ),
            format!("remove `public=#true` from `port {port}`, or place `{}` on an openstack cluster", w.name),
        ),
        Unpublishable::NoNetwork => (
            "the vm has no network to put a floating IP on".to_string(),
            format!("attach `{}` to a network of `{}`: `network NAME`", w.name, cluster.name),
        ),
        Unpublishable::Ipv6(n) => (
            format!("floating IPs are IPv4 and network `{}` is IPv6", t.network(n).name),
            format!(
                "attach `{}` to an IPv4 network (`network NAME`), or remove `public=#true` from `port {port}`",
                w.name
            ),
        ),
    };
    Diagnostic::new(
        &codes::PUBLIC_PORT_UNSUPPORTED,
        format!("port {port} of `{}` cannot be published to the internet: {why}", w.name),
        public,
        "published here",
    )
    .with_label(v.placement.span, format!("placed on {} cluster `{}`", cluster.kind_word(), cluster.name))
    .with_help(help)
}
