//! Where a vm is attached: the one definition the targets that place a vm
//! on a site network share (the OpenStack port of a vm).
//!
//! A vm on OpenStack or vSphere sits on its `network`, else its cluster's
//! first network.

use crate::{ClusterKind, NetworkId, Topology, Vm};

impl Topology {
    /// The site network a vm on OpenStack or vSphere is attached to: its
    /// own `network`, else its cluster's first. `None` for a vm on
    /// Kubernetes (the pod network) and for one with no network at all.
    pub fn vm_network(&self, v: &Vm) -> Option<NetworkId> {
        let cluster = self.clusters.get(v.placement.value.index())?;
        let first = match &cluster.kind {
            ClusterKind::OpenStack(os) => os.networks.first(),
            ClusterKind::VSphere(vs) => vs.networks.first(),
            ClusterKind::Kubernetes(_) => return None,
        };
        v.network.as_ref().map(|n| n.value).or_else(|| first.copied())
    }
}
