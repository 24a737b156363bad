//! `storage.yaml`: a StorageClass per `storage-class`, with its backend's
//! CSI provisioner (ceph-rbd → `rbd.csi.ceph.com`, longhorn →
//! `driver.longhorn.io`, vsan → `csi.vsphere.vmware.com`, local →
//! `kubernetes.io/no-provisioner`).

use crate::meta::cluster_meta;
use crate::Ctx;
use hybrid_emit::{json, Map, Value};
use hybrid_model::StorageBackend;

/// The namespace and cluster id Rook's CSI driver runs under.
pub const ROOK_NAMESPACE: &str = "rook-ceph";

pub fn objects(ctx: &Ctx<'_>) -> Vec<Value> {
    ctx.k
        .storage_classes
        .iter()
        .map(|sc| {
            let mut meta = cluster_meta(ctx.t, &sc.name, &[]);
            if sc.default {
                if let Some(m) = meta.as_object_mut() {
                    m.insert("annotations".into(), json!({ "storageclass.kubernetes.io/is-default-class": "true" }));
                }
            }
            let (provisioner, binding) = match sc.backend {
                StorageBackend::CephRbd => ("rbd.csi.ceph.com", "Immediate"),
                StorageBackend::Longhorn => ("driver.longhorn.io", "Immediate"),
                StorageBackend::Vsan => ("csi.vsphere.vmware.com", "Immediate"),
                StorageBackend::Local => ("kubernetes.io/no-provisioner", "WaitForFirstConsumer"),
            };
            let mut parameters = Map::new();
            if sc.backend == StorageBackend::CephRbd {
                parameters.insert("clusterID".into(), Value::from(ROOK_NAMESPACE));
                if let Some(pool) = sc.pool {
                    parameters.insert("pool".into(), Value::from(ctx.t.storage(pool).name.clone()));
                }
                parameters.insert("imageFeatures".into(), Value::from("layering"));
                parameters.insert("csi.storage.k8s.io/fstype".into(), Value::from("ext4"));
                for (k, v) in [
                    ("csi.storage.k8s.io/provisioner-secret-name", "rook-csi-rbd-provisioner"),
                    ("csi.storage.k8s.io/provisioner-secret-namespace", ROOK_NAMESPACE),
                    ("csi.storage.k8s.io/node-stage-secret-name", "rook-csi-rbd-node"),
                    ("csi.storage.k8s.io/node-stage-secret-namespace", ROOK_NAMESPACE),
                ] {
                    parameters.insert(k.into(), Value::from(v));
                }
            }
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
                    m.insert("parameters".into(), Value::Object(parameters));
                }
            }
            obj
        })
        .collect()
}
