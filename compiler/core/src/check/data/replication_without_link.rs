//! HY3004 replication-without-link: replication between two sites that have
//! no direct `link` (links are not transitive).

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for r in &t.replications {
        let (a, b) = (t.storage_site(r.from.value), t.storage_site(r.to.value));
        if a != b && t.link_between(a, b).is_none() {
            out.push(replication_without_link(t, r, a, b));
        }
    }
}

/// HY3004
pub fn replication_without_link(t: &Topology, r: &Replication, a: SiteId, b: SiteId) -> Diagnostic {
    let (a, b) = (&t.site(a).name, &t.site(b).name);
    Diagnostic::new(
        &codes::REPLICATION_WITHOUT_LINK,
        format!("replication `{}` joins `{a}` and `{b}`, which have no link", r.name),
        r.to.span,
        format!("in `{b}`"),
    )
    .with_label(r.from.span, format!("in `{a}`"))
    .with_help(format!("declare `link {a} {b} latency=… bandwidth=…`, or replicate to a site linked to `{a}`"))
}
