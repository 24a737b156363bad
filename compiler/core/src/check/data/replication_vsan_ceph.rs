//! HY3009 replication-vsan-ceph: a replication between a vSAN datastore
//! and a ceph pool. vSphere Replication copies vms between vSphere
//! datastores only, and Ceph RBD mirroring copies images between Ceph
//! pools only: no mechanism the output can configure copies between the
//! two, in either direction.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for r in &t.replications {
        let kinds = (&t.storage(r.from.value).kind, &t.storage(r.to.value).kind);
        if matches!(kinds, (StorageKind::Vsan(_), StorageKind::Ceph(_)) | (StorageKind::Ceph(_), StorageKind::Vsan(_)))
        {
            out.push(replication_vsan_ceph(t, r));
        }
    }
}

/// HY3009
pub fn replication_vsan_ceph(t: &Topology, r: &Replication) -> Diagnostic {
    let what = |id: StorageId| match t.storage(id).kind {
        StorageKind::Vsan(_) => format!("vSAN `{}`", t.storage_path(id)),
        StorageKind::Ceph(_) => format!("ceph pool `{}`", t.storage_path(id)),
    };
    let (from, to) = (what(r.from.value), what(r.to.value));
    Diagnostic::new(
        &codes::REPLICATION_VSAN_CEPH,
        format!("replication `{}` copies {from} to {to}, and nothing copies between a vSAN and a ceph pool", r.name),
        r.to.span,
        to,
    )
    .with_label(r.from.span, from)
    .with_help(match same_kind_elsewhere(t, r.from.value) {
        Some(id) => format!("replicate to a pool of the source's kind instead: `to={}`", t.storage_path(id)),
        None => format!(
            "replicate to a {} of another site, or remove `replication {}` and copy the data at the application layer",
            match t.storage(r.from.value).kind {
                StorageKind::Vsan(_) => "vsan",
                StorageKind::Ceph(_) => "ceph pool of the same name",
            },
            r.name
        ),
    })
}

/// A pool of the same kind as `from` in another site (for a ceph pool, of
/// the same name, as RBD mirroring pairs them): what `to=` could name.
fn same_kind_elsewhere(t: &Topology, from: StorageId) -> Option<StorageId> {
    let f = t.storage(from);
    t.storage.iter().enumerate().map(|(i, s)| (StorageId::from_index(i), s)).find_map(|(id, s)| {
        let fits = s.site != f.site
            && match (&f.kind, &s.kind) {
                (StorageKind::Vsan(_), StorageKind::Vsan(_)) => true,
                (StorageKind::Ceph(_), StorageKind::Ceph(_)) => s.name == f.name,
                _ => false,
            };
        fits.then_some(id)
    })
}
