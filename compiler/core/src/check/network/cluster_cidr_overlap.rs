//! HY1003 cluster-cidr-overlap: a Kubernetes cluster's pod or service CIDR
//! overlaps a network of its site or of a linked site, so pod traffic and
//! host traffic would collide.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for c in &t.clusters {
        let Some(k) = c.kubernetes() else { continue };
        let sites: Vec<SiteId> = std::iter::once(c.site).chain(t.linked_sites(c.site)).collect();
        for (what, cidr) in [("pod", &k.pod_cidr), ("service", &k.service_cidr)] {
            for site in &sites {
                for net in t.site(*site).networks.iter().map(|id| t.network(*id)) {
                    if nets_overlap(&cidr.value, &net.cidr.value) {
                        out.push(cluster_cidr_overlap(t, c, what, cidr, net));
                    }
                }
            }
        }
    }
}

/// HY1003
pub fn cluster_cidr_overlap(t: &Topology, c: &Cluster, what: &str, cidr: &Spanned<IpNet>, net: &Network) -> Diagnostic {
    let site = &t.site(net.site).name;
    Diagnostic::new(
        &codes::CLUSTER_CIDR_OVERLAP,
        format!(
            "the {what} CIDR {} of cluster `{}` overlaps network `{site}.{}` ({})",
            cidr.value, c.name, net.name, net.cidr.value
        ),
        cidr.span,
        format!("{what} CIDR"),
    )
    .with_label(net.cidr.span, format!("`{site}.{}` covers {}", net.name, net.cidr.value))
    .with_help(format!("set `{what}-cidr=` on `kubernetes {}` to a range no site network uses", c.name))
}
