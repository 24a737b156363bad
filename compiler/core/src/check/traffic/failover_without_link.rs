//! HY5017 failover-without-link: a service placed in clusters of one mesh
//! fails over between their sites, over the path a `link` declares
//! (links are not transitive); two of its sites without a link have no
//! known path for that traffic, nor a latency to order failover by.

use crate::check::prelude::*;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(s) = w.service() else { return };
    if let Some((a, b)) = t.failover_unlinked(s).first() {
        out.push(failover_without_link(t, w, s, *a, *b));
    }
}

/// HY5017: `a` and `b` are two of the service's clusters.
pub fn failover_without_link(t: &Topology, w: &Workload, s: &Service, a: ClusterId, b: ClusterId) -> Diagnostic {
    let span = |c: ClusterId| s.placement.iter().find(|p| p.value == c).map(|p| p.span).unwrap_or(s.placement_span);
    let (ca, cb) = (t.cluster(a), t.cluster(b));
    let (sa, sb) = (&t.site(ca.site).name, &t.site(cb.site).name);
    Diagnostic::new(
        &codes::FAILOVER_WITHOUT_LINK,
        format!(
            "`{}` fails over between `{}` and `{}`, whose sites `{sa}` and `{sb}` have no link",
            w.name, ca.name, cb.name
        ),
        span(b),
        format!("in `{sb}`"),
    )
    .with_label(span(a), format!("in `{sa}`"))
    .with_help(format!(
        "declare `link {sa} {sb} latency=… bandwidth=…`, or place `{}` in clusters of linked sites",
        w.name
    ))
}
