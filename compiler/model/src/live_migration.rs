//! Whether a KubeVirt vm can live-migrate: KubeVirt moves a running vm to
//! another node only when every one of its volumes can be attached on both
//! nodes at once — a `ReadWriteMany` claim. A containerDisk is copied with
//! the vm; a disk's claim is shareable only on a backend that serves
//! `ReadWriteMany` block volumes. The checker (HY2011) and the Kubernetes
//! target read the same answer: the target writes `evictionStrategy:
//! LiveMigrate` and `ReadWriteMany` claims exactly when it holds.

use crate::*;

impl StorageBackend {
    /// Whether its volumes can be attached on two nodes at once, as
    /// `ReadWriteMany` raw block devices: Ceph RBD can (Rook's RBD CSI
    /// driver serves RWX in `Block` mode, what KubeVirt live-migrates on);
    /// a Longhorn volume of a class without its `migratable` parameter
    /// (which the output does not set), a vSAN block volume and a local
    /// volume are attached to one node at a time.
    pub const fn shared(self) -> bool {
        matches!(self, StorageBackend::CephRbd)
    }
}

/// The storage class a disk of a vm on `k` is provisioned in: the one it
/// names, else the cluster's default; `None` when it names none of this
/// cluster and the cluster has no default (the platform's default, which
/// the program does not know).
pub fn disk_class<'k>(k: &'k Kubernetes, cluster: ClusterId, d: &Disk) -> Option<&'k StorageClass> {
    match &d.storage {
        Some(DiskStorage::StorageClass(c, name)) if *c == cluster => k.storage_class(name),
        Some(_) => None,
        None if d.storage_ref.is_some() => None,
        None => k.default_storage_class(),
    }
}

/// The first disk of a vm on kubernetes cluster `k` whose storage class
/// cannot be shared between nodes, with that class: the vm cannot
/// live-migrate.
pub fn unshared_disk<'a>(k: &'a Kubernetes, cluster: ClusterId, v: &'a Vm) -> Option<(&'a Disk, &'a StorageClass)> {
    v.disks.iter().find_map(|d| disk_class(k, cluster, d).filter(|sc| !sc.backend.shared()).map(|sc| (d, sc)))
}
