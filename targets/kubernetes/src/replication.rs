//! `replication.yaml`: Ceph RBD mirroring, on a cluster that runs Rook for
//! its site's Ceph (`emit::ceph::rook_clusters`). A Rook `CephBlockPool`
//! (namespace `rook-ceph`, named after the pool: the peers' pools have the
//! same name) for each pool of the site that mirrors — the replica side's
//! too — with its failure domain, replica count and image-mode mirroring,
//! the Secret of each peer's bootstrap token in `peers.secretNames`, and,
//! on a source only, a snapshot schedule at the shortest RPO its
//! replications get (Ceph snapshots primary images only; RBD mirroring is
//! asynchronous, so a synchronous replication gets its best, one minute,
//! and `PREREQUISITES.md` says so). Then, when any
//! pool mirrors, one `CephRBDMirror` daemon. What these objects assume
//! (the peers' Secrets, the images to enable) is in `prerequisites.rs`.

use crate::meta::meta;
use crate::storage::ROOK_NAMESPACE;
use crate::Ctx;
use hybrid_emit::ceph;
use hybrid_emit::{json, key, Map, Value};
use hybrid_model::{Ceph, FailureDomain, StorageId, StorageKind};

/// The mirrored pools whose `CephBlockPool` this cluster holds, in order
/// of first mention: none unless it runs Rook for its site.
pub fn pools(ctx: &Ctx<'_>) -> Vec<StorageId> {
    let site = ctx.t.cluster(ctx.id).site;
    if !ceph::rook_clusters(ctx.t, site).contains(&ctx.id) {
        return Vec::new();
    }
    ceph::mirrored_pools(ctx.t).into_iter().filter(|p| ctx.t.storage_site(*p) == site).collect()
}

pub fn objects(ctx: &Ctx<'_>) -> Vec<Value> {
    let t = ctx.t;
    let mut out: Vec<Value> = pools(ctx)
        .into_iter()
        .filter_map(|id| match &t.storage(id).kind {
            StorageKind::Ceph(c) => Some(block_pool(ctx, id, c)),
            StorageKind::Vsan(_) => None,
        })
        .collect();
    if !out.is_empty() {
        out.push(json!({
            "apiVersion": "ceph.rook.io/v1",
            "kind": "CephRBDMirror",
            "metadata": meta(t, RBD_MIRROR, ROOK_NAMESPACE, &[]),
            "spec": { "count": 1 },
        }));
    }
    out
}

/// The name of the rbd-mirror daemon's `CephRBDMirror`.
pub const RBD_MIRROR: &str = "rbd-mirror";

fn block_pool(ctx: &Ctx<'_>, id: StorageId, c: &Ceph) -> Value {
    let t = ctx.t;
    // Rook's own word for each domain; without one, Rook spreads over hosts.
    let failure_domain = match c.failure_domain {
        Some(FailureDomain::Host) | None => "host",
        Some(FailureDomain::Rack) => "rack",
        Some(FailureDomain::Zone) => "zone",
    };
    let mut mirroring = Map::new();
    mirroring.insert(key!("enabled"), Value::from(true));
    mirroring.insert(key!("mode"), json!("image"));
    let secrets: Vec<Value> =
        ceph::peers(t, id).into_iter().map(|peer| Value::from(ceph::peer_secret(t, id, peer))).collect();
    mirroring.insert(key!("peers"), json!({ "secretNames": secrets }));
    if let Some(interval) = ceph::snapshot_rpo(t, id).and_then(ceph::snapshot_interval) {
        mirroring.insert(key!("snapshotSchedules"), json!([{ "interval": interval }]));
    }
    json!({
        "apiVersion": "ceph.rook.io/v1",
        "kind": "CephBlockPool",
        "metadata": meta(t, &t.storage(id).name, ROOK_NAMESPACE, &[]),
        "spec": {
            "failureDomain": failure_domain,
            "replicated": { "size": c.replicas },
            "mirroring": mirroring,
        },
    })
}
