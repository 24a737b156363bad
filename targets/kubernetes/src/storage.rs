//! `storage.yaml`: a StorageClass per `storage-class`, with its backend's
//! CSI provisioner (ceph-rbd → Rook's `rook-ceph.rbd.csi.ceph.com`,
//! longhorn → `driver.longhorn.io`, vsan → `csi.vsphere.vmware.com`, local
//! → `kubernetes.io/no-provisioner`). A ceph-rbd class carries the
//! parameters of Rook's own example StorageClass
//! (`deploy/examples/csi/rbd/storageclass.yaml`): the CephCluster's
//! namespace as `clusterID`, the pool, the image format and features, the
//! Secrets Rook writes for provisioning, expansion, attachment and staging,
//! and the filesystem. A cephfs class (`rook-ceph.cephfs.csi.ceph.com`)
//! carries those of Rook's example CephFS StorageClass
//! (`deploy/examples/csi/cephfs/storageclass.yaml`): the CephCluster's
//! namespace, the CephFilesystem (named after the class's ceph pool, else
//! after the class) and its data pool `FS-replicated`, and the CephFS
//! Secrets. An encrypted ceph-rbd class (`encrypted=#true`) adds ceph-csi's
//! `encrypted: "true"` (LUKS on the node's RBD device, ceph-csi's default
//! `encryptionType` `block`) and the `encryptionKMSID` of the entry in its
//! `csi-kms-connection-details` ConfigMap that holds the passphrases
//! (ceph-csi's `examples/rbd/storageclass.yaml`); the prerequisites say
//! how to write that entry.

use crate::meta::cluster_meta;
use crate::Ctx;
use hybrid_emit::{json, key, Map, Value};
use hybrid_model::{StorageBackend, StorageClass, Volume};

/// The namespace of Rook's CephCluster: a ceph-rbd class's `clusterID`,
/// where Rook writes the CSI Secrets, and where the pools live.
pub use hybrid_emit::ceph::ROOK_NAMESPACE;

/// Rook registers its RBD CSI driver as `<operator namespace>.rbd.csi.ceph.com`
/// (the operator runs in `rook-ceph`, see `emit::prerequisites::ROOK`).
pub const RBD_DRIVER: &str = "rook-ceph.rbd.csi.ceph.com";

/// The Secret Rook writes for the CSI provisioner (create, expand, attach).
pub const RBD_PROVISIONER_SECRET: &str = "rook-csi-rbd-provisioner";
/// The Secret Rook writes for the CSI node plugin (stage).
pub const RBD_NODE_SECRET: &str = "rook-csi-rbd-node";
/// The keys of both.
pub const RBD_SECRET_KEYS: &[&str] = &["userID", "userKey"];
/// The ConfigMap ceph-csi reads its key management systems from, in the
/// namespace its pods run in (Rook's operator namespace), by KMS ID.
pub const KMS_CONFIG_MAP: &str = "csi-kms-connection-details";

/// Rook registers its CephFS CSI driver as `<operator namespace>.cephfs.csi.ceph.com`.
pub const CEPHFS_DRIVER: &str = "rook-ceph.cephfs.csi.ceph.com";
/// The Secret Rook writes for the CephFS CSI provisioner (create, expand).
pub const CEPHFS_PROVISIONER_SECRET: &str = "rook-csi-cephfs-provisioner";
/// The Secret Rook writes for the CephFS CSI node plugin (stage).
pub const CEPHFS_NODE_SECRET: &str = "rook-csi-cephfs-node";
/// The keys of both.
pub const CEPHFS_SECRET_KEYS: &[&str] = &["adminID", "adminKey"];
/// The data pool of the CephFilesystem, as Rook's example names it
/// (`dataPools: [{name: replicated}]`); Rook creates it as `FS-replicated`.
pub const CEPHFS_DATA_POOL: &str = "replicated";

/// The CephFilesystem behind a cephfs class: the ceph pool it names, else
/// the class's own name.
pub fn cephfs_name<'a>(ctx: &Ctx<'a>, sc: &'a StorageClass) -> &'a str {
    sc.pool.map_or(sc.name.as_str(), |p| ctx.t.storage(p).name.as_str())
}

pub fn objects(ctx: &Ctx<'_>) -> Vec<Value> {
    ctx.k
        .storage_classes
        .iter()
        .map(|sc| {
            let mut meta = Value::from(cluster_meta(ctx.t, &sc.name, &[]));
            if sc.default {
                if let Some(m) = meta.as_object_mut() {
                    m.insert(key!("annotations"), json!({ "storageclass.kubernetes.io/is-default-class": "true" }));
                }
            }
            let (provisioner, binding) = match sc.backend {
                StorageBackend::CephRbd => (RBD_DRIVER, "Immediate"),
                StorageBackend::Cephfs => (CEPHFS_DRIVER, "Immediate"),
                StorageBackend::Longhorn => ("driver.longhorn.io", "Immediate"),
                StorageBackend::Vsan => ("csi.vsphere.vmware.com", "Immediate"),
                StorageBackend::Local => ("kubernetes.io/no-provisioner", "WaitForFirstConsumer"),
            };
            let parameters = match sc.backend {
                StorageBackend::CephRbd => rbd_parameters(sc.pool.map(|p| ctx.t.storage(p).name.as_str()), sc),
                StorageBackend::Cephfs => cephfs_parameters(cephfs_name(ctx, sc)),
                _ => Map::new(),
            };
            let mut obj = json!({
                "apiVersion": "storage.k8s.io/v1",
                "kind": "StorageClass",
                "metadata": meta,
                "provisioner": provisioner,
                "reclaimPolicy": "Retain",
                "allowVolumeExpansion": sc.backend != StorageBackend::Local,
                "volumeBindingMode": binding,
            });
            if !parameters.is_empty() {
                if let Some(m) = obj.as_object_mut() {
                    m.insert(key!("parameters"), Value::Object(parameters));
                }
            }
            obj
        })
        .collect()
}

/// The parameters of Rook's example RBD StorageClass, in its order: the
/// CephCluster, the pool, image format 2 with `layering` (every kernel's
/// krbd maps it), the provisioner Secret for create, expand and
/// controller-publish, the node Secret for stage, and ext4; then, for an
/// encrypted class, `encrypted` and its `encryptionKMSID`.
fn rbd_parameters(pool: Option<&str>, sc: &StorageClass) -> Map {
    let mut parameters = Map::new();
    let mut put = |k: &str, v: &str| {
        parameters.insert(k.to_string(), Value::from(v));
    };
    put("clusterID", ROOK_NAMESPACE);
    if let Some(pool) = pool {
        put("pool", pool);
    }
    put("imageFormat", "2");
    put("imageFeatures", "layering");
    for (step, secret) in [
        ("provisioner", RBD_PROVISIONER_SECRET),
        ("controller-expand", RBD_PROVISIONER_SECRET),
        ("controller-publish", RBD_PROVISIONER_SECRET),
        ("node-stage", RBD_NODE_SECRET),
    ] {
        put(&format!("csi.storage.k8s.io/{step}-secret-name"), secret);
        put(&format!("csi.storage.k8s.io/{step}-secret-namespace"), ROOK_NAMESPACE);
    }
    put("csi.storage.k8s.io/fstype", "ext4");
    if sc.encrypted.is_some() {
        put("encrypted", "true");
        if let Some(kms) = &sc.kms {
            put("encryptionKMSID", kms);
        }
    }
    parameters
}

/// The parameters of Rook's example CephFS StorageClass, in its order: the
/// CephCluster, the CephFilesystem and its data pool, the provisioner
/// Secret for create and expand, the node Secret for stage.
fn cephfs_parameters(fs: &str) -> Map {
    let mut parameters = Map::new();
    let mut put = |k: &str, v: &str| {
        parameters.insert(k.to_string(), Value::from(v));
    };
    put("clusterID", ROOK_NAMESPACE);
    put("fsName", fs);
    put("pool", &format!("{fs}-{CEPHFS_DATA_POOL}"));
    for (step, secret) in [
        ("provisioner", CEPHFS_PROVISIONER_SECRET),
        ("controller-expand", CEPHFS_PROVISIONER_SECRET),
        ("node-stage", CEPHFS_NODE_SECRET),
    ] {
        put(&format!("csi.storage.k8s.io/{step}-secret-name"), secret);
        put(&format!("csi.storage.k8s.io/{step}-secret-namespace"), ROOK_NAMESPACE);
    }
    parameters
}

/// The spec of a claim for `v` (a StatefulSet's claim template, a job's
/// shared claim): its access mode, size and, when the volume names one,
/// its storage class (else the cluster's default).
pub(crate) fn claim_spec(v: &Volume, access_mode: &str) -> Value {
    let mut spec = json!({
        "accessModes": [access_mode],
        "resources": { "requests": { "storage": v.size.to_quantity() } },
    });
    if let (Some(class), Some(m)) = (&v.storage_class, spec.as_object_mut()) {
        m.insert(key!("storageClassName"), Value::from(class.value.clone()));
    }
    spec
}

#[cfg(test)]
mod tests {
    use super::*;
    use hybrid_emit::prerequisites::ROOK;

    /// The driver's prefix is the namespace the Rook operator is required in.
    #[test]
    fn the_driver_is_named_after_the_operator_namespace() {
        assert_eq!(ROOK.namespace.map(|ns| format!("{ns}.rbd.csi.ceph.com")).as_deref(), Some(RBD_DRIVER));
    }

    #[test]
    fn a_cephfs_class_names_its_filesystem_and_data_pool() {
        let p = cephfs_parameters("shared");
        let get = |k: &str| p.get(k).and_then(Value::as_str);
        assert_eq!(get("fsName"), Some("shared"));
        assert_eq!(get("pool"), Some("shared-replicated"));
        assert_eq!(get("csi.storage.k8s.io/node-stage-secret-name"), Some(CEPHFS_NODE_SECRET));
        assert_eq!(ROOK.namespace.map(|ns| format!("{ns}.cephfs.csi.ceph.com")).as_deref(), Some(CEPHFS_DRIVER));
    }

    /// Volume expansion and attachment get the provisioner's credentials,
    /// staging the node's, all from the CephCluster's namespace.
    #[test]
    fn every_csi_step_names_rooks_secret() {
        let sc = StorageClass {
            name: "fast".into(),
            span: Default::default(),
            backend: StorageBackend::CephRbd,
            pool: None,
            default: false,
            encrypted: None,
            kms: None,
        };
        let p = rbd_parameters(Some("ssd"), &sc);
        assert_eq!(p.get("encrypted"), None, "a class encrypts only when asked");
        let get = |k: &str| p.get(k).and_then(Value::as_str);
        assert_eq!(get("clusterID"), Some(ROOK_NAMESPACE));
        assert_eq!(get("pool"), Some("ssd"));
        for step in ["provisioner", "controller-expand", "controller-publish"] {
            assert_eq!(get(&format!("csi.storage.k8s.io/{step}-secret-name")), Some(RBD_PROVISIONER_SECRET));
            assert_eq!(get(&format!("csi.storage.k8s.io/{step}-secret-namespace")), Some(ROOK_NAMESPACE));
        }
        assert_eq!(get("csi.storage.k8s.io/node-stage-secret-name"), Some(RBD_NODE_SECRET));
        assert_eq!(get("csi.storage.k8s.io/node-stage-secret-namespace"), Some(ROOK_NAMESPACE));
    }
}
