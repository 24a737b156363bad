//! Meshes that span clusters (`mesh NAME trust-domain=… { member CLUSTER
//! network=NET }`): which kubernetes clusters share one Istio mesh, the
//! network each sits on, and the facts every consumer derives from them
//! once — whether two clusters' workloads can call each other through a
//! mesh, the trust domain of a cluster's identities, and where a service's
//! traffic fails over to (its other clusters of the mesh, nearest site
//! first by link latency).

use crate::{ClusterId, Service, Span, Spanned, Topology};
use std::time::Duration;

/// A `mesh` declaration: one Istio mesh (multi-primary) over its members.
#[derive(Clone, Debug)]
pub struct ClusterMesh {
    pub name: String,
    pub span: Span,
    /// The trust domain every member's identities are issued in.
    pub trust_domain: Spanned<String>,
    pub members: Vec<MeshMember>,
}

/// A `member` of a [`ClusterMesh`].
#[derive(Clone, Debug)]
pub struct MeshMember {
    pub cluster: Spanned<ClusterId>,
    /// The network the cluster's pods sit on: members on one network reach
    /// each other's pods directly, members on different networks through
    /// their east-west gateways.
    pub network: Spanned<String>,
}

impl ClusterMesh {
    /// The member entry of cluster `c`.
    pub fn member(&self, c: ClusterId) -> Option<&MeshMember> {
        self.members.iter().find(|m| m.cluster.value == c)
    }

    /// Whether its members sit on more than one network (Istio's
    /// multi-network install, with east-west gateways).
    pub fn multi_network(&self) -> bool {
        self.members.iter().any(|m| self.members.first().is_some_and(|f| f.network.value != m.network.value))
    }
}

/// Where a service's traffic goes when its endpoints in one cluster fail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failover {
    pub from: ClusterId,
    pub to: ClusterId,
    /// The round trip between the two sites (zero within one site).
    pub latency: Duration,
}

impl Topology {
    /// The multi-cluster mesh cluster `c` is a member of.
    pub fn mesh_of(&self, c: ClusterId) -> Option<&ClusterMesh> {
        self.meshes.iter().find(|m| m.member(c).is_some())
    }

    /// Whether a workload in cluster `a` can call one in cluster `b`
    /// through a mesh: the same cluster, or two members of one mesh.
    pub fn share_mesh(&self, a: ClusterId, b: ClusterId) -> bool {
        a == b || self.mesh_of(a).is_some_and(|m| m.member(b).is_some())
    }

    /// The round trip between the sites of two clusters: zero within one
    /// site, a direct link's latency, `None` without a link.
    pub fn cluster_latency(&self, a: ClusterId, b: ClusterId) -> Option<Duration> {
        let (sa, sb) = (self.cluster(a).site, self.cluster(b).site);
        if sa == sb {
            return Some(Duration::ZERO);
        }
        self.link_between(sa, sb).map(|l| l.latency.value)
    }

    /// Where service `s`'s traffic in cluster `from` fails over to: its
    /// other placed clusters of `from`'s mesh that a link (or the site)
    /// connects, nearest first (then in placement order). Empty outside a
    /// mesh. With `active-passive`, the passive clusters hold no endpoints
    /// until they are scaled up, so they take traffic only once the
    /// active cluster fails.
    pub fn failover_targets(&self, s: &Service, from: ClusterId) -> Vec<Failover> {
        let Some(mesh) = self.mesh_of(from) else { return Vec::new() };
        let mut targets: Vec<Failover> = s
            .placement
            .iter()
            .map(|p| p.value)
            .filter(|c| *c != from && mesh.member(*c).is_some())
            .filter_map(|to| Some(Failover { from, to, latency: self.cluster_latency(from, to)? }))
            .collect();
        targets.sort_by_key(|f| f.latency);
        targets
    }

    /// The placed clusters of service `s` that share a mesh with another of
    /// its clusters but are linked to none of them: failover between
    /// their sites has no path.
    pub fn failover_unlinked(&self, s: &Service) -> Vec<(ClusterId, ClusterId)> {
        let mut out = Vec::new();
        for (i, a) in s.placement.iter().enumerate() {
            for b in s.placement.iter().skip(i + 1) {
                let (a, b) = (a.value, b.value);
                if a != b && self.share_mesh(a, b) && self.cluster_latency(a, b).is_none() {
                    out.push((a, b));
                }
            }
        }
        out
    }

    /// Whether service `s` fails over between clusters of a mesh: it is
    /// placed in two or more clusters of one mesh.
    pub fn fails_over(&self, s: &Service) -> bool {
        s.placement.iter().any(|a| s.placement.iter().any(|b| a.value != b.value && self.share_mesh(a.value, b.value)))
    }
}
