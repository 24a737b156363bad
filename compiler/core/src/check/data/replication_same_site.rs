//! HY3003 replication-same-site: both pools of a replication are in one
//! site, so a site loss takes both copies. A warning when the pools differ
//! in media only (a tiering copy, e.g. SSD to HDD), an error otherwise.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for r in &t.replications {
        let (from, to) = (t.storage(r.from.value), t.storage(r.to.value));
        if from.site != to.site {
            continue;
        }
        let tiering =
            matches!((&from.kind, &to.kind), (StorageKind::Ceph(a), StorageKind::Ceph(b)) if a.media != b.media);
        let d = replication_same_site(t, r);
        out.push(if tiering { d.with_severity(Severity::Warning) } else { d });
    }
}

/// HY3003
pub fn replication_same_site(t: &Topology, r: &Replication) -> Diagnostic {
    let site = &t.site(t.storage_site(r.from.value)).name;
    Diagnostic::new(
        &codes::REPLICATION_SAME_SITE,
        format!("replication `{}` copies data within site `{site}`", r.name),
        r.to.span,
        format!("also in `{site}`"),
    )
    .with_label(r.from.span, format!("in `{site}`"))
    .with_help("replicate to a pool in another, linked site to survive the loss of this one")
}
