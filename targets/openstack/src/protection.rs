//! The data protection of one openstack cluster, lowered once for the
//! stack and the runbook: the volume types of the cloud whose backend pool
//! is the source of RBD mirroring (`emit::ceph`), which the stack creates
//! with Cinder's replication extra spec, the encrypted volume types, which
//! the Heat stack creates with their encryption (`OS::Cinder::EncryptedVolumeType`)
//! and the Terraform configuration names (the provider's
//! `openstack_blockstorage_volume_type_v3` has no encryption argument: the
//! prerequisites say how to create them first), and the backups of the vms
//! placed on the cloud, which no declarative resource can schedule.
//!
//! An encrypted volume type gets Cinder's LUKS encryption: provider `luks`,
//! cipher `aes-xts-plain64`, 256-bit keys, control location `front-end` (the
//! compute host opens the volume, so the data is encrypted on the wire to
//! Ceph and at rest in it), its keys created in the cloud's key manager.
//!
//! Cinder's RBD driver replicates a volume when its type carries
//! `replication_enabled='<is> True'` and its backend names the other
//! Ceph cluster in a `replication_device` of `cinder.conf` (`backend_id`,
//! `conf`, `user`): it turns on journaling and enables mirroring of the
//! volume's image itself, and `cinder failover-host` switches the backend
//! to the replica. The backend's name and its `rbd_pool` are the pool's
//! name: the prerequisites say how to configure it so.

use hybrid_emit::ceph;
use hybrid_model::{format_duration, Backup, BackupTarget, ClusterId, OpenStack, ReplicationMode, StorageId, Topology};
use std::time::Duration;

/// The extra spec that asks Cinder to replicate a volume type's volumes.
pub(crate) const REPLICATION_ENABLED: (&str, &str) = ("replication_enabled", "<is> True");
/// The extra spec that places a volume type's volumes on one backend.
pub(crate) const BACKEND_NAME: &str = "volume_backend_name";

/// Cinder's volume encryption of an encrypted volume type, in the order of
/// Heat's `OS::Cinder::EncryptedVolumeType` properties.
pub(crate) const ENCRYPTION_PROVIDER: &str = "luks";
pub(crate) const ENCRYPTION_CONTROL_LOCATION: &str = "front-end";
pub(crate) const ENCRYPTION_CIPHER: &str = "aes-xts-plain64";
pub(crate) const ENCRYPTION_KEY_SIZE: u32 = 256;

/// A volume type of the cloud whose volumes are encrypted.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EncryptedType {
    /// The volume type's name.
    pub name: String,
    /// The stem of its Heat resources' names.
    pub ident: String,
    /// The pool behind it (its Cinder backend's name), if it names one.
    pub pool: Option<String>,
    /// `SITE.POOL`.
    pub pool_path: Option<String>,
}

impl EncryptedType {
    /// The volume type's description, when the stack creates it for its
    /// encryption alone.
    pub fn description(&self) -> String {
        match &self.pool_path {
            Some(pool) => {
                format!("Volumes on ceph pool {pool}, LUKS-encrypted by the compute host (managed by hybridc)")
            }
            None => "Volumes LUKS-encrypted by the compute host (managed by hybridc)".to_string(),
        }
    }

    /// The `openstack volume type create` options of its encryption.
    pub fn cli_options(&self) -> String {
        format!(
            "--encryption-provider {ENCRYPTION_PROVIDER} --encryption-cipher {ENCRYPTION_CIPHER} \
             --encryption-key-size {ENCRYPTION_KEY_SIZE} --encryption-control-location {ENCRYPTION_CONTROL_LOCATION}"
        )
    }
}

/// The cloud's encrypted volume types, in declaration order; their idents
/// are those of [`replicated_types`] where both name one type.
pub(crate) fn encrypted_types(t: &Topology, os: &OpenStack, replicated: &[ReplicatedType]) -> Vec<EncryptedType> {
    let mut names = crate::plan::Names::default();
    for r in replicated {
        names.identifier(&r.name);
    }
    os.volume_types
        .iter()
        .filter(|vt| vt.encrypted)
        .map(|vt| EncryptedType {
            name: vt.name.clone(),
            ident: match replicated.iter().find(|r| r.name == vt.name) {
                Some(r) => r.ident.clone(),
                None => names.identifier(&vt.name),
            },
            pool: vt.backend.map(|p| t.storage(p).name.clone()),
            pool_path: vt.backend.map(|p| t.storage_path(p)),
        })
        .collect()
}

/// Where a replicated volume type's pool is mirrored to.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MirrorTarget {
    /// The other site: the `backend_id` of the `replication_device`.
    pub site: String,
    /// `SITE.POOL` of the replica.
    pub pool_path: String,
    /// The cluster folders of the openstack clouds whose volume types use
    /// the replica pool: where a lost site's volumes can be adopted.
    pub clouds: Vec<String>,
}

/// A volume type of the cloud whose backend pool mirrors to other sites.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ReplicatedType {
    /// The volume type's name.
    pub name: String,
    /// The Terraform identifier (also the stem of the Heat resource name).
    pub ident: String,
    /// The pool's name: the Cinder backend's name and its `rbd_pool`.
    pub pool: String,
    /// `SITE.POOL`.
    pub pool_path: String,
    pub targets: Vec<MirrorTarget>,
    /// The replications from the pool: name, and mode and RPO for people
    /// (`async, RPO 15m`).
    pub replications: Vec<(String, String)>,
}

impl ReplicatedType {
    /// The volume type's description.
    pub fn description(&self) -> String {
        let to: Vec<&str> = self.targets.iter().map(|t| t.pool_path.as_str()).collect();
        format!(
            "Volumes on ceph pool {}, replicated to {} by Cinder (managed by hybridc)",
            self.pool_path,
            to.join(", ")
        )
    }

    /// The extra specs, in order.
    pub fn extra_specs(&self) -> [(&'static str, String); 2] {
        [(REPLICATION_ENABLED.0, REPLICATION_ENABLED.1.to_string()), (BACKEND_NAME, self.pool.clone())]
    }
}

/// The cloud's volume types whose backend is the source of a mirroring
/// replication, in declaration order, with unique identifiers.
pub(crate) fn replicated_types(t: &Topology, os: &OpenStack) -> Vec<ReplicatedType> {
    let mut names = crate::plan::Names::default();
    os.volume_types
        .iter()
        .filter_map(|vt| {
            let pool = vt.backend?;
            let from: Vec<_> = ceph::mirroring(t).filter(|r| r.from.value == pool).collect();
            if from.is_empty() {
                return None;
            }
            let mut targets: Vec<MirrorTarget> = Vec::new();
            for r in &from {
                if !targets.iter().any(|m| m.pool_path == t.storage_path(r.to.value)) {
                    targets.push(target(t, r.to.value));
                }
            }
            Some(ReplicatedType {
                name: vt.name.clone(),
                ident: names.identifier(&vt.name),
                pool: t.storage(pool).name.clone(),
                pool_path: t.storage_path(pool),
                targets,
                replications: from.iter().map(|r| describe(r.name.as_str(), r.mode.value, r.rpo.value)).collect(),
            })
        })
        .collect()
}

fn target(t: &Topology, pool: StorageId) -> MirrorTarget {
    MirrorTarget {
        site: t.site(t.storage_site(pool)).name.clone(),
        pool_path: t.storage_path(pool),
        clouds: ceph::users(t, pool)
            .into_iter()
            .filter(|c| t.cluster(*c).openstack().is_some())
            .map(|c| hybrid_emit::cluster_dir(t, c))
            .collect(),
    }
}

fn describe(name: &str, mode: ReplicationMode, rpo: Duration) -> (String, String) {
    (name.to_string(), format!("{}, RPO {}", mode.as_str(), format_duration(rpo)))
}

/// The backups of vms placed on the cloud, with the vm's name, in declaration order.
pub(crate) fn vm_backups(t: &Topology, id: ClusterId) -> Vec<(&Backup, &str)> {
    t.backups
        .iter()
        .filter_map(|b| match b.of.value {
            BackupTarget::Workload(w) => {
                let w = t.workload(w);
                w.vm().filter(|v| v.placement.value == id).map(|_| (b, w.name.as_str()))
            }
            BackupTarget::Cluster(_) => None,
        })
        .collect()
}
