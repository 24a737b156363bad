//! Ceph RBD mirroring, as every target that writes a part of it agrees on
//! it: a `replication` between ceph pools of two sites is RBD mirroring
//! between the pools of that name (HY3010 keeps the names equal) in the
//! two sites' Ceph clusters. Each fact is written once here:
//!
//! * which pools mirror with which ([`peers`]), and how often a pool must
//!   take mirror snapshots: only a source does, as Ceph snapshots primary
//!   images only, at the RPO its replications get from the asynchronous
//!   mechanism ([`snapshot_rpo`], the model's `delivered_rpo`);
//! * who runs a site's Ceph: the Kubernetes clusters of the site that have
//!   a `ceph-rbd` storage class on one of its pools run Rook
//!   ([`rook_clusters`]); they hold a `CephBlockPool` for every mirrored
//!   pool of the site, the replica side's included;
//! * the Secret that carries a peer's bootstrap token ([`peer_secret`],
//!   Rook's RBD mirroring guide: one per peer, keys `token` and `pool`,
//!   named in `spec.mirroring.peers.secretNames`) and where its token
//!   comes from ([`peer_secret_source`]);
//! * for a pool whose site runs no Rook, the operator's steps with the
//!   `rbd` and `ceph` commands of Ceph's RBD mirroring guide, written in
//!   the folder of every cluster that uses the pool, or, when none does,
//!   in the site's folder ([`require_by_hand`]): the Kubernetes and
//!   OpenStack targets each write them for their own clusters.

use crate::markdown::code;
use crate::prerequisites::Prerequisites;
use crate::{cluster_dir, OutputTree};
use hybrid_model::{
    format_duration, ClusterId, ClusterKind, Replication, ReplicationMechanism, ReplicationMode, SiteId,
    StorageBackend, StorageId, StorageKind, Topology,
};
use std::time::Duration;

/// What carries a replication between two ceph pools.
const RBD_MIRRORING: ReplicationMechanism = ReplicationMechanism::RbdMirroring;

/// The namespace of Rook's CephCluster: where its pools, its rbd-mirror
/// daemon and the Secrets it reads and writes live.
pub const ROOK_NAMESPACE: &str = "rook-ceph";

/// The keys of a peer's bootstrap Secret (Rook reads `token`; its guide
/// writes `pool` beside it).
pub const PEER_SECRET_KEYS: &[&str] = &["token", "pool"];

/// Whether `r` is realised as RBD mirroring: both ends are ceph pools, in
/// two sites (within one site it is HY3003's concern, and no mirroring).
pub fn is_mirroring(t: &Topology, r: &Replication) -> bool {
    let (from, to) = (t.storage(r.from.value), t.storage(r.to.value));
    matches!((&from.kind, &to.kind), (StorageKind::Ceph(_), StorageKind::Ceph(_))) && from.site != to.site
}

/// The replications realised as RBD mirroring, in declaration order.
pub fn mirroring(t: &Topology) -> impl Iterator<Item = &Replication> + '_ {
    t.replications.iter().filter(|r| is_mirroring(t, r))
}

/// Every pool that mirrors, in order of first mention.
pub fn mirrored_pools(t: &Topology) -> Vec<StorageId> {
    let mut out = Vec::new();
    for r in mirroring(t) {
        for id in [r.from.value, r.to.value] {
            if !out.contains(&id) {
                out.push(id);
            }
        }
    }
    out
}

/// The pools `pool` mirrors with, in order of first mention.
pub fn peers(t: &Topology, pool: StorageId) -> Vec<StorageId> {
    let mut out = Vec::new();
    for r in mirroring(t) {
        let other = if r.from.value == pool {
            r.to.value
        } else if r.to.value == pool {
            r.from.value
        } else {
            continue;
        };
        if !out.contains(&other) {
            out.push(other);
        }
    }
    out
}

/// The shortest RPO delivered by the replications from `pool`: how often
/// it must take mirror snapshots. A replication that promises less (a
/// synchronous one included) gets the mechanism's best, as RBD mirroring
/// is asynchronous. None for a pool that is the source of none (a replica
/// only: Ceph would snapshot none of its images until they are promoted).
pub fn snapshot_rpo(t: &Topology, pool: StorageId) -> Option<Duration> {
    mirroring(t).filter(|r| r.from.value == pool).map(|r| t.delivered_rpo(r)).min()
}

/// The replications from `pool`: what its primary images are mirrored for.
fn sources(t: &Topology, pool: StorageId) -> Vec<&Replication> {
    mirroring(t).filter(|r| r.from.value == pool).collect()
}

/// A mirror snapshot interval (`Nd`, `Nh` or `Nm`, whole minutes, as Ceph
/// and Rook write it) that meets the rpo: rounded down to a minute, at
/// least one; none for 0.
pub fn snapshot_interval(rpo: Duration) -> Option<String> {
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

/// The Kubernetes clusters that run Rook for the Ceph of `site`: those of
/// the site with a `ceph-rbd` storage class on one of the site's pools, in
/// declaration order.
pub fn rook_clusters(t: &Topology, site: SiteId) -> Vec<ClusterId> {
    t.site(site)
        .clusters
        .iter()
        .copied()
        .filter(|id| {
            t.cluster(*id).kubernetes().is_some_and(|k| {
                k.storage_classes.iter().any(|sc| {
                    sc.backend == StorageBackend::CephRbd && sc.pool.is_some_and(|p| t.storage_site(p) == site)
                })
            })
        })
        .collect()
}

/// The clusters whose `ceph-rbd` storage classes or volume types name
/// `pool`, in declaration order.
pub fn users(t: &Topology, pool: StorageId) -> Vec<ClusterId> {
    t.cluster_ids()
        .filter(|id| match &t.cluster(*id).kind {
            ClusterKind::Kubernetes(k) => {
                k.storage_classes.iter().any(|sc| sc.backend == StorageBackend::CephRbd && sc.pool == Some(pool))
            }
            ClusterKind::OpenStack(o) => o.volume_types.iter().any(|v| v.backend == Some(pool)),
            ClusterKind::VSphere(_) => false,
        })
        .collect()
}

/// The Secret, in the Rook cluster holding `pool`, with the bootstrap
/// token of its peer `peer`: `rbd-mirror-peer-POOL-SITE`.
pub fn peer_secret(t: &Topology, pool: StorageId, peer: StorageId) -> String {
    format!("rbd-mirror-peer-{}-{}", t.storage(pool).name, t.site(t.storage_site(peer)).name)
}

/// The folders that hold the steps for a pool whose site runs no Rook:
/// its users' cluster folders, or the site's folder when no cluster uses
/// it.
pub fn by_hand_dirs(t: &Topology, pool: StorageId) -> Vec<String> {
    let users = users(t, pool);
    if users.is_empty() {
        vec![t.site(t.storage_site(pool)).name.clone()]
    } else {
        users.into_iter().map(|c| cluster_dir(t, c)).collect()
    }
}

/// Where the token of [`peer_secret`] comes from, and the command that
/// makes the Secret from it in the cluster holding `pool`.
pub fn peer_secret_source(t: &Topology, pool: StorageId, peer: StorageId) -> String {
    let name = &t.storage(pool).name;
    let peer_site = t.storage_site(peer);
    let create = format!(
        "kubectl -n {ROOK_NAMESPACE} create secret generic {} --from-literal=token=TOKEN --from-literal=pool={name}",
        peer_secret(t, pool, peer)
    );
    match rook_clusters(t, peer_site).first() {
        Some(k) => format!(
            "the bootstrap token Rook makes for pool {} in cluster {}: there, {}; here, {}",
            code(name),
            code(&cluster_dir(t, *k)),
            code(&rook_token(name)),
            code(&create)
        ),
        None => format!(
            "a bootstrap token of the Ceph cluster of site {}, where no Rook runs: there, {} (the steps for that \
             side are in {}); here, {}",
            code(&t.site(peer_site).name),
            code(&format!("rbd mirror pool peer bootstrap create --site-name {} {name}", t.site(peer_site).name)),
            readmes(t, peer),
            code(&create)
        ),
    }
}

/// The command that prints the token Rook made for pool `name`.
fn rook_token(name: &str) -> String {
    format!("kubectl -n {ROOK_NAMESPACE} get secret pool-peer-token-{name} -o jsonpath='{{.data.token}}' | base64 -d")
}

/// The `PREREQUISITES.md` files holding the steps for a pool run by hand.
fn readmes(t: &Topology, pool: StorageId) -> String {
    let files: Vec<String> =
        by_hand_dirs(t, pool).iter().map(|d| code(&format!("{d}/{}", crate::prerequisites::README))).collect();
    files.join(", ")
}

/// The title of a pool's procedure.
pub fn procedure_title(t: &Topology, pool: StorageId) -> String {
    format!("Mirroring of ceph pool {}", code(&t.storage_path(pool)))
}

/// The step, on the side where images are primary, that enables mirroring
/// on each image (the pool mirrors image by image), with the schedule and
/// the RPO it delivers, and the promises it cannot keep (a synchronous
/// replication, an RPO below the mechanism's best).
pub fn enable_images_step(t: &Topology, pool: StorageId, shell: &str) -> Option<String> {
    let from = sources(t, pool);
    if from.is_empty() {
        return None;
    }
    let name = &t.storage(pool).name;
    let mut step = format!(
        "Enable mirroring on each image of {} that holds data to protect: the pool mirrors image by image, and \
         only enabled images are copied. {shell}: {}.",
        code(name),
        code(&format!("rbd mirror image enable {name}/IMAGE snapshot"))
    );
    if let Some((rpo, interval)) = snapshot_rpo(t, pool).and_then(|r| snapshot_interval(r).map(|i| (r, i))) {
        step.push_str(&format!(
            " {} is asynchronous: an image is copied at each mirror snapshot, one every {}, so the RPO this \
             output delivers is {}.",
            RBD_MIRRORING.name(),
            code(&interval),
            format_duration(rpo)
        ));
    }
    let unkept: Vec<String> = from
        .iter()
        .filter(|r| r.mode.value == ReplicationMode::Sync || t.delivered_rpo(r) != r.rpo.value)
        .map(|r| format!("{} ({}, rpo {})", code(&r.name), r.mode.value.as_str(), format_duration(r.rpo.value)))
        .collect();
    if !unkept.is_empty() {
        step.push_str(&format!(
            " It cannot keep the promise of {}: for an RPO of zero, use {} or synchronous replication in the \
             application.",
            unkept.join(", "),
            RBD_MIRRORING.zero_rpo_way()
        ));
    }
    Some(step)
}

/// The operator's steps for `pool`, whose site runs no Rook: enable
/// mirroring, run rbd-mirror, peer with each other side, schedule
/// snapshots on a source, enable its images.
pub fn by_hand_steps(t: &Topology, pool: StorageId) -> Vec<String> {
    let name = &t.storage(pool).name;
    let site = &t.site(t.storage_site(pool)).name;
    let mut steps = vec![
        format!(
            "No Kubernetes cluster of site {} runs Rook, so nothing in this output configures its Ceph cluster: run \
             these commands there. Enable mirroring of pool {}, image by image: {}.",
            code(site),
            code(name),
            code(&format!("rbd mirror pool enable {name} image"))
        ),
        format!(
            "Run an rbd-mirror daemon on that cluster (with cephadm: {}); it must reach the monitors and OSDs of \
             every peer below.",
            code("ceph orch apply rbd-mirror")
        ),
    ];
    for peer in peers(t, pool) {
        let peer_site = &t.site(t.storage_site(peer)).name;
        let token = format!("{peer_site}.token");
        let import = code(&format!("rbd mirror pool peer bootstrap import --site-name {site} {name} {token}"));
        let create = code(&format!("rbd mirror pool peer bootstrap create --site-name {site} {name}"));
        steps.push(match rook_clusters(t, t.storage_site(peer)).first() {
            Some(k) => format!(
                "Peer with site {} (cluster {} runs Rook there): on that cluster, {}; import it here: {}. Then \
                 print this side's token, {}, for the Secret {} that cluster lists in its {}.",
                code(peer_site),
                code(&cluster_dir(t, *k)),
                code(&format!("{} > {token}", rook_token(name))),
                import,
                create,
                code(&format!("{ROOK_NAMESPACE}/{}", peer_secret(t, peer, pool))),
                code(crate::prerequisites::README)
            ),
            None if creates(t, pool, peer) => format!(
                "Peer with site {}, where no Rook runs either: create a token here, {}, and import it on the Ceph \
                 cluster of site {}: {} (once: the peering goes both ways).",
                code(peer_site),
                code(&format!("rbd mirror pool peer bootstrap create --site-name {site} {name} > {site}.token")),
                code(peer_site),
                code(&format!("rbd mirror pool peer bootstrap import --site-name {peer_site} {name} {site}.token"))
            ),
            None => format!(
                "Peer with site {}, where no Rook runs either: import the token created there (see the steps in \
                 {}): {} (once: the peering goes both ways).",
                code(peer_site),
                readmes(t, peer),
                import
            ),
        });
    }
    if let Some((rpo, interval)) = snapshot_rpo(t, pool).and_then(|r| snapshot_interval(r).map(|i| (r, i))) {
        steps.push(format!(
            "Take a mirror snapshot of the pool's primary images every {} (the RPO, {}): {}.",
            code(&interval),
            format_duration(rpo),
            code(&format!("rbd mirror snapshot schedule add --pool {name} {interval}"))
        ));
    }
    steps.extend(enable_images_step(t, pool, "On that cluster"));
    steps
}

/// For two pools run by hand, which side creates the bootstrap token: the
/// source of the first replication between them.
fn creates(t: &Topology, pool: StorageId, peer: StorageId) -> bool {
    mirroring(t)
        .find(|r| (r.from.value, r.to.value) == (pool, peer) || (r.from.value, r.to.value) == (peer, pool))
        .is_some_and(|r| r.from.value == pool)
}

/// Whether the Ceph of `pool`'s site is run by hand (no Rook there).
pub fn by_hand(t: &Topology, pool: StorageId) -> bool {
    rook_clusters(t, t.storage_site(pool)).is_empty()
}

/// Adds the steps of every mirrored pool run by hand to the folders that
/// hold them: those of its users that `mine` accepts (the calling target's
/// clusters), and the site's folder when no cluster uses it (every caller
/// writes the same steps there; they are kept once).
pub fn require_by_hand(t: &Topology, out: &mut OutputTree, mine: impl Fn(ClusterId) -> bool) {
    for pool in mirrored_pools(t).into_iter().filter(|p| by_hand(t, *p)) {
        let users = users(t, pool);
        let dirs: Vec<String> = if users.is_empty() {
            vec![t.site(t.storage_site(pool)).name.clone()]
        } else {
            users.into_iter().filter(|c| mine(*c)).map(|c| cluster_dir(t, c)).collect()
        };
        for dir in dirs {
            add_by_hand(t, pool, out.require(&dir));
        }
    }
}

/// The procedure of one pool run by hand.
fn add_by_hand(t: &Topology, pool: StorageId, p: &mut Prerequisites) {
    p.procedure(procedure_title(t, pool), by_hand_steps(t, pool));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_intervals() {
        assert_eq!(snapshot_interval(Duration::ZERO), None);
        assert_eq!(snapshot_interval(Duration::from_secs(300)).as_deref(), Some("5m"));
        assert_eq!(snapshot_interval(Duration::from_secs(3_600)).as_deref(), Some("1h"));
        assert_eq!(snapshot_interval(Duration::from_secs(5_400)).as_deref(), Some("90m"));
        assert_eq!(snapshot_interval(Duration::from_secs(86_400)).as_deref(), Some("1d"));
        assert_eq!(snapshot_interval(Duration::from_secs(30)).as_deref(), Some("1m"));
        assert_eq!(snapshot_interval(Duration::from_secs(90)).as_deref(), Some("1m"));
        assert_eq!(snapshot_interval(Duration::from_millis(1)).as_deref(), Some("1m"));
    }
}
