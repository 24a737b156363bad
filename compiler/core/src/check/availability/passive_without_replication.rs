//! HY2008 passive-without-replication: an `active-passive` service with
//! volumes whose data is not replicated from the active cluster's pool into
//! the pool behind the passive cluster's storage class: failing over would
//! start with empty volumes.

use crate::check::prelude::*;

/// The ceph pool behind a volume's storage class in a cluster.
fn pool_of(t: &Topology, cluster: ClusterId, v: &Volume) -> (Option<String>, Option<StorageId>) {
    let Some(k) = t.cluster(cluster).kubernetes() else { return (None, None) };
    let class = match &v.storage_class {
        Some(name) => k.storage_class(&name.value),
        None => k.default_storage_class(),
    };
    (class.map(|c| c.name.clone()), class.and_then(|c| c.pool))
}

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(s) = w.service() else { return };
    if s.mode != PlacementMode::ActivePassive || s.volumes.is_empty() {
        return;
    }
    let Some(active) = s.placement.first() else { return };
    for passive in s.placement.iter().skip(1) {
        if t.cluster(passive.value).kubernetes().is_none() {
            continue;
        }
        for v in &s.volumes {
            let (_, from) = pool_of(t, active.value, v);
            let (class, to) = pool_of(t, passive.value, v);
            let covered = match (from, to) {
                (Some(from), Some(to)) => t.replications.iter().any(|r| r.from.value == from && r.to.value == to),
                _ => false,
            };
            if !covered {
                let cluster = &t.cluster(passive.value).name;
                let help = match (class, to, from) {
                    (Some(class), None, _) => format!(
                        "the storage class `{class}` of `{cluster}` has no ceph pool to replicate into: use a `ceph-rbd` class with `pool=` and a `replication` into that pool"
                    ),
                    (None, _, _) => format!("give `{cluster}` the volume's storage class, backed by a replicated ceph pool"),
                    (Some(_), Some(to), Some(from)) => format!(
                        "declare `replication NAME from={} to={} mode=… rpo=…`",
                        t.storage_path(from),
                        t.storage_path(to)
                    ),
                    (Some(_), Some(to), None) => format!(
                        "back the volume's storage class in the active cluster with a ceph pool and replicate it into `{}`",
                        t.storage_path(to)
                    ),
                };
                out.push(passive_without_replication(w, v, passive, cluster).with_help(help));
            }
        }
    }
}

/// HY2008
pub fn passive_without_replication(
    w: &Workload,
    v: &Volume,
    passive: &Spanned<ClusterId>,
    cluster: &str,
) -> Diagnostic {
    Diagnostic::new(
        &codes::PASSIVE_WITHOUT_REPLICATION,
        format!("volume `{}` of `{}` is not replicated to the passive cluster `{cluster}`", v.name, w.name),
        v.span,
        "no replica of this data",
    )
    .with_label(passive.span, "passive cluster")
}
