//! Meshes that span clusters: `mesh NAME trust-domain=… { member CLUSTER
//! network=NET }`, each member a kubernetes cluster looked up by name.

use super::read::arg_string;
use super::Resolver;
use crate::decode::DNode;
use crate::names::Scope;
use crate::schema::DeclKind;
use hybrid_model::*;

impl Resolver<'_> {
    pub(super) fn build_mesh(&mut self, m: &DNode) -> Option<ClusterMesh> {
        let trust_domain = m.prop("trust-domain").and_then(|v| Some(Spanned::new(v.str()?.to_string(), v.span)))?;
        let mut members = Vec::new();
        for member in m.children_named("member") {
            let Some(v) = member.arg(0) else { continue };
            let found = self.lookup(v, &[DeclKind::Kubernetes], Scope::Topology, "kubernetes cluster");
            let Some(cluster) = found.and_then(|(_, name, _)| self.ids.clusters.get(&name).copied()) else {
                continue;
            };
            let Some(network) = member.prop("network").and_then(|n| Some(Spanned::new(n.str()?.to_string(), n.span)))
            else {
                continue;
            };
            members.push(MeshMember { cluster: Spanned::new(cluster, v.span), network });
        }
        Some(ClusterMesh { name: arg_string(m, 0)?, span: m.name_arg_span(), trust_domain, members })
    }
}
