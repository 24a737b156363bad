//! HY6003 permissive-mtls-in-trusted-zone: `mtls=permissive` accepts plain
//! text; on a cluster whose network is in a `trusted` zone that silently
//! lowers the zone's guarantee.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for c in &t.clusters {
        let Some(k) = c.kubernetes() else { continue };
        let Some(mesh) = &k.mesh else { continue };
        let Some(net) = k.network.map(|n| t.network(n)) else { continue };
        if mesh.mtls.value == Mtls::Permissive && net.zone.as_deref() == Some("trusted") {
            out.push(permissive_mtls_in_trusted_zone(c, mesh, net));
        }
    }
}

/// HY6003
pub fn permissive_mtls_in_trusted_zone(c: &Cluster, mesh: &Mesh, net: &Network) -> Diagnostic {
    Diagnostic::new(
        &codes::PERMISSIVE_MTLS_IN_TRUSTED_ZONE,
        format!("`{}` accepts plain-text traffic in the trusted zone of network `{}`", c.name, net.name),
        mesh.mtls.span,
        "permissive mTLS",
    )
    .with_label(net.span, "zone=trusted")
    .with_help("use `mesh istio mtls=strict` once every workload has a sidecar")
}
