//! HY1002 overlapping-networks: two networks of one site overlap, or a
//! network of a site overlaps one of a site it is linked to (traffic between
//! them could not be routed).

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for site in &t.sites {
        let nets: Vec<&Network> = site.networks.iter().map(|id| t.network(*id)).collect();
        for (a, b) in overlaps(&nets) {
            out.push(overlapping_networks(t, a, b));
        }
    }
    let mut pairs: Vec<(SiteId, SiteId)> = Vec::new();
    for link in &t.links {
        let (sa, sb) = (t.site(link.a.value), t.site(link.b.value));
        let pair = (link.a.value.min(link.b.value), link.a.value.max(link.b.value));
        // A second link between the same sites is HY1008; compare once.
        if link.a.value == link.b.value || pairs.contains(&pair) {
            continue;
        }
        pairs.push(pair);
        let nets: Vec<&Network> = sa.networks.iter().chain(&sb.networks).map(|id| t.network(*id)).collect();
        for (a, b) in overlaps(&nets) {
            if a.site != b.site {
                out.push(overlapping_networks(t, a, b));
            }
        }
    }
}

/// Pairs of overlapping networks, found by sorting ranges (n log n).
fn overlaps<'a>(nets: &[&'a Network]) -> Vec<(&'a Network, &'a Network)> {
    let mut ranges: Vec<(u128, u128, bool, &Network)> = nets
        .iter()
        .map(|n| {
            let (lo, hi) = cidr_range(&n.cidr.value);
            (lo, hi, n.cidr.value.addr().is_ipv4(), *n)
        })
        .collect();
    ranges.sort_by_key(|(lo, hi, v4, _)| (*v4, *lo, *hi));
    let mut out = Vec::new();
    let mut open: Vec<(u128, u128, bool, &Network)> = Vec::new();
    for r in ranges {
        open.retain(|o| o.2 == r.2 && o.1 >= r.0);
        for o in &open {
            out.push((o.3, r.3));
        }
        open.push(r);
    }
    out
}

/// HY1002
pub fn overlapping_networks(t: &Topology, a: &Network, b: &Network) -> Diagnostic {
    let (sa, sb) = (&t.site(a.site).name, &t.site(b.site).name);
    Diagnostic::new(
        &codes::OVERLAPPING_NETWORKS,
        format!("network `{sa}.{}` ({}) overlaps `{sb}.{}` ({})", a.name, a.cidr.value, b.name, b.cidr.value),
        b.cidr.span,
        "overlaps the other network",
    )
    .with_label(a.cidr.span, format!("`{sa}.{}` covers {}", a.name, a.cidr.value))
    .with_help("give each network its own address range")
}
