//! `replication.yaml`: Ceph RBD mirroring for the `replication`s that touch
//! a ceph pool this cluster's storage classes use. Each such pool once, in
//! order of first mention, as a Rook `CephBlockPool` (namespace
//! `rook-ceph`, named after the pool) with its failure domain, replica
//! count and image-mode mirroring; `async` replications add a snapshot
//! schedule at their rpo (the shortest when several name the pool). Then,
//! when any pool is mirrored, one `CephRBDMirror` daemon.

use crate::meta::meta;
use crate::storage::ROOK_NAMESPACE;
use crate::Ctx;
use hybrid_emit::{json, Map, Value};
use hybrid_model::{Ceph, FailureDomain, ReplicationMode, StorageId, StorageKind};
use std::time::Duration;

pub fn objects(ctx: &Ctx<'_>) -> Vec<Value> {
    let t = ctx.t;
    // (pool, its name, its ceph settings, the shortest async rpo)
    let mut pools: Vec<(StorageId, &str, &Ceph, Option<Duration>)> = Vec::new();
    for r in &t.replications {
        for id in [r.from.value, r.to.value] {
            if !ctx.k.storage_classes.iter().any(|sc| sc.pool == Some(id)) {
                continue;
            }
            let Some(s) = t.storage.get(id.index()) else { continue };
            let StorageKind::Ceph(ceph) = &s.kind else { continue };
            let rpo = (r.mode.value == ReplicationMode::Async && !r.rpo.value.is_zero()).then_some(r.rpo.value);
            if let Some(entry) = pools.iter_mut().find(|p| p.0 == id || p.1 == s.name) {
                entry.3 = match (entry.3, rpo) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            } else {
                pools.push((id, &s.name, ceph, rpo));
            }
        }
    }
    let mut out: Vec<Value> = pools.iter().map(|(_, name, ceph, rpo)| block_pool(ctx, name, ceph, *rpo)).collect();
    if !out.is_empty() {
        out.push(json!({
            "apiVersion": "ceph.rook.io/v1",
            "kind": "CephRBDMirror",
            "metadata": meta(t, "rbd-mirror", ROOK_NAMESPACE, &[]),
            "spec": { "count": 1 },
        }));
    }
    out
}

fn block_pool(ctx: &Ctx<'_>, name: &str, ceph: &Ceph, rpo: Option<Duration>) -> Value {
    // Rook's own word for each domain; without one, Rook spreads over hosts.
    let failure_domain = match ceph.failure_domain {
        Some(FailureDomain::Host) | None => "host",
        Some(FailureDomain::Rack) => "rack",
        Some(FailureDomain::Zone) => "zone",
    };
    let mut mirroring = Map::new();
    mirroring.insert("enabled".into(), Value::from(true));
    mirroring.insert("mode".into(), Value::from("image"));
    if let Some(interval) = rpo.and_then(rook_interval) {
        mirroring.insert("snapshotSchedules".into(), json!([{ "interval": interval }]));
    }
    json!({
        "apiVersion": "ceph.rook.io/v1",
        "kind": "CephBlockPool",
        "metadata": meta(ctx.t, name, ROOK_NAMESPACE, &[]),
        "spec": {
            "failureDomain": failure_domain,
            "replicated": { "size": ceph.replicas },
            "mirroring": mirroring,
        },
    })
}

/// An rbd mirror snapshot interval (`Nd`, `Nh` or `Nm`, whole minutes) that
/// meets the rpo: rounded down to a minute, at least one; none for 0.
pub fn rook_interval(rpo: Duration) -> Option<String> {
    if rpo.is_zero() {
        return None;
    }
    let minutes = (rpo.as_secs() / 60).max(1);
    Some(if minutes.is_multiple_of(1440) {
        format!("{}d", minutes / 1440)
    } else if minutes.is_multiple_of(60) {
        format!("{}h", minutes / 60)
    } else {
        format!("{minutes}m")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rook_intervals() {
        assert_eq!(rook_interval(Duration::ZERO), None);
        assert_eq!(rook_interval(Duration::from_secs(300)).as_deref(), Some("5m"));
        assert_eq!(rook_interval(Duration::from_secs(3_600)).as_deref(), Some("1h"));
        assert_eq!(rook_interval(Duration::from_secs(5_400)).as_deref(), Some("90m"));
        assert_eq!(rook_interval(Duration::from_secs(86_400)).as_deref(), Some("1d"));
        assert_eq!(rook_interval(Duration::from_secs(30)).as_deref(), Some("1m"));
        assert_eq!(rook_interval(Duration::from_secs(90)).as_deref(), Some("1m"));
        assert_eq!(rook_interval(Duration::from_millis(1)).as_deref(), Some("1m"));
    }
}
