//! Rules of the `data` group, one file per rule (named after its code's kebab name).

pub mod backup_ephemeral_root;
pub mod backup_retention_gap;
pub mod backup_vm_without_volumes;
pub mod encryption_unsupported;
pub mod kms_without_encryption;
pub mod replication_bandwidth;
pub mod replication_name_mismatch;
pub mod replication_same_site;
pub mod replication_vsan_ceph;
pub mod replication_without_link;
pub mod sync_replication_over_slow_link;
pub mod unachievable_rpo;
pub mod unencrypted_volume;
pub mod zero_rpo_async;
