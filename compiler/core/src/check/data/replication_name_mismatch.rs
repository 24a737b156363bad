//! HY3010 replication-name-mismatch: a replication between two ceph pools
//! of different names. Ceph RBD mirroring pairs a pool with the pool of the
//! same name in the peer cluster (Ceph's "RBD Mirroring"; Rook: "Pool name
//! across the cluster peers must be the same"), so `dc-a.fast` cannot be
//! mirrored into `dc-b.ssd`. Two pools of one site (which cannot share a
//! name) are HY3003's concern, not this rule's.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for r in &t.replications {
        let (from, to) = (t.storage(r.from.value), t.storage(r.to.value));
        let ceph = matches!((&from.kind, &to.kind), (StorageKind::Ceph(_), StorageKind::Ceph(_)));
        if ceph && from.site != to.site && from.name != to.name {
            out.push(replication_name_mismatch(t, r));
        }
    }
}

/// HY3010
pub fn replication_name_mismatch(t: &Topology, r: &Replication) -> Diagnostic {
    let (from, to) = (t.storage(r.from.value), t.storage(r.to.value));
    let has = |site: SiteId, name: &str| t.site(site).storage.iter().any(|id| t.storage(*id).name == name);
    let help = if has(to.site, &from.name) {
        format!("replicate to the pool of the same name: `to={}.{}`", t.site(to.site).name, from.name)
    } else if has(from.site, &to.name) {
        format!("replicate from the pool of the same name: `from={}.{}`", t.site(from.site).name, to.name)
    } else {
        format!(
            "rename `{}` to `{}` (`ceph {} …`) and the references to it",
            t.storage_path(r.to.value),
            from.name,
            from.name
        )
    };
    Diagnostic::new(
        &codes::REPLICATION_NAME_MISMATCH,
        format!(
            "replication `{}` mirrors ceph pool `{}` into `{}`, but RBD mirroring pairs only pools of the same name",
            r.name,
            t.storage_path(r.from.value),
            t.storage_path(r.to.value)
        ),
        r.to.span,
        format!("named `{}`", to.name),
    )
    .with_label(r.from.span, format!("named `{}`", from.name))
    .with_help(help)
}
