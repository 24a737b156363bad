//! The checker: every rule of the product contract's CHECKS.md, one file
//! per rule, grouped by code range (structure HY0xxx for the values only a
//! resolved topology can judge, network HY1xxx, availability HY2xxx,
//! data protection HY3xxx, capacity and GPUs HY4xxx, traffic HY5xxx,
//! security HY6xxx, placement HY7xxx). Rules read the resolved topology
//! only; thresholds live in `thresholds.rs`, shared facts (tolerations,
//! replicas, requests, capacity) in `facts.rs`. The failure analysis that
//! reports HY2101–HY2103 lives in `crate::simulate`.
//!
//! To add a rule: register its code, write `GROUP/kebab_name.rs` with a
//! `check` function and a constructor named after the code, and list it in
//! [`RULES`].

pub mod availability;
pub mod capacity;
pub mod data;
pub mod facts;
pub mod network;
pub mod placement;
pub mod security;
pub mod structure;
pub mod thresholds;
pub mod traffic;

use hybrid_diagnostics::{codes, Code, Diagnostic};
use hybrid_model::Topology;

/// The names every rule file uses.
pub(crate) mod prelude {
    pub use super::facts::*;
    pub use super::thresholds::*;
    pub use hybrid_diagnostics::{codes, did_you_mean, join_quoted, Code, Diagnostic, Severity, Span};
    pub use hybrid_model::*;
}

/// A rule: the code it reports and the function that finds it.
#[derive(Debug)]
pub struct Rule {
    pub code: &'static Code,
    pub run: fn(&Topology, &mut Vec<Diagnostic>),
}

/// Every rule, in code order.
pub static RULES: &[Rule] = &[
    Rule { code: &codes::DERIVED_NAME_TOO_LONG, run: structure::derived_name_too_long::check },
    Rule { code: &codes::INVALID_IMAGE, run: structure::invalid_image::check },
    Rule { code: &codes::VSAN_DATASTORE_CLASH, run: structure::vsan_datastore_clash::check },
    Rule { code: &codes::DUPLICATE_SERVICE_PORT, run: structure::duplicate_service_port::check },
    Rule { code: &codes::SCALE_DOWN_WINDOW_TOO_LONG, run: structure::scale_down_window_too_long::check },
    Rule { code: &codes::JOB_VOLUME_NOT_SHARED, run: structure::job_volume_not_shared::check },
    Rule { code: &codes::MPI_NEEDS_ROOT_SSHD, run: structure::mpi_needs_root_sshd::check },
    Rule { code: &codes::MESH_MEMBER_WITHOUT_ISTIO, run: structure::mesh_member_without_istio::check },
    Rule { code: &codes::CLUSTER_IN_TWO_MESHES, run: structure::cluster_in_two_meshes::check },
    Rule { code: &codes::OVERLAPPING_NETWORKS, run: network::overlapping_networks::check },
    Rule { code: &codes::CLUSTER_CIDR_OVERLAP, run: network::cluster_cidr_overlap::check },
    Rule { code: &codes::VLAN_OUT_OF_RANGE, run: network::vlan_out_of_range::check },
    Rule { code: &codes::VLAN_REUSED, run: network::vlan_reused::check },
    Rule { code: &codes::LINK_TO_ITSELF, run: network::link_to_itself::check },
    Rule { code: &codes::DUPLICATE_LINK, run: network::duplicate_link::check },
    Rule { code: &codes::NIC_UNSUPPORTED, run: network::nic_unsupported::check },
    Rule { code: &codes::EVEN_CONTROL_PLANE, run: availability::even_control_plane::check },
    Rule { code: &codes::SINGLE_CONTROL_PLANE, run: availability::single_control_plane::check },
    Rule { code: &codes::BLOCKING_DISRUPTION_BUDGET, run: availability::blocking_disruption_budget::check },
    Rule { code: &codes::SPREAD_EXCEEDS_NODES, run: availability::spread_exceeds_nodes::check },
    Rule { code: &codes::SINGLE_REPLICA, run: availability::single_replica::check },
    Rule { code: &codes::HA_ADMISSION_TOO_LOW, run: availability::ha_admission_too_low::check },
    Rule { code: &codes::FAULT_TOLERANCE_UNSUPPORTED, run: availability::fault_tolerance_unsupported::check },
    Rule { code: &codes::PASSIVE_WITHOUT_REPLICATION, run: availability::passive_without_replication::check },
    Rule { code: &codes::REPLICAS_OUTSIDE_AUTOSCALE, run: availability::replicas_outside_autoscale::check },
    Rule { code: &codes::AUTOSCALE_MIN_ABOVE_MAX, run: availability::autoscale_min_above_max::check },
    Rule { code: &codes::UNSHARED_VM_DISK, run: availability::unshared_vm_disk::check },
    Rule { code: &codes::RESTART_PRIORITY_IGNORED, run: availability::restart_priority_ignored::check },
    Rule { code: &codes::SYNC_REPLICATION_OVER_SLOW_LINK, run: data::sync_replication_over_slow_link::check },
    Rule { code: &codes::ZERO_RPO_ASYNC, run: data::zero_rpo_async::check },
    Rule { code: &codes::REPLICATION_SAME_SITE, run: data::replication_same_site::check },
    Rule { code: &codes::REPLICATION_WITHOUT_LINK, run: data::replication_without_link::check },
    Rule { code: &codes::REPLICATION_BANDWIDTH, run: data::replication_bandwidth::check },
    Rule { code: &codes::BACKUP_RETENTION_GAP, run: data::backup_retention_gap::check },
    Rule { code: &codes::REPLICATION_VSAN_CEPH, run: data::replication_vsan_ceph::check },
    Rule { code: &codes::REPLICATION_NAME_MISMATCH, run: data::replication_name_mismatch::check },
    Rule { code: &codes::UNACHIEVABLE_RPO, run: data::unachievable_rpo::check },
    Rule { code: &codes::BACKUP_VM_WITHOUT_VOLUMES, run: data::backup_vm_without_volumes::check },
    Rule { code: &codes::BACKUP_EPHEMERAL_ROOT, run: data::backup_ephemeral_root::check },
    Rule { code: &codes::UNENCRYPTED_VOLUME, run: data::unencrypted_volume::check },
    Rule { code: &codes::ENCRYPTION_UNSUPPORTED, run: data::encryption_unsupported::check },
    Rule { code: &codes::KMS_WITHOUT_ENCRYPTION, run: data::kms_without_encryption::check },
    Rule { code: &codes::CLUSTER_OVER_CAPACITY, run: capacity::cluster_over_capacity::check },
    Rule { code: &codes::CLUSTER_OVER_CAPACITY_AT_MAX, run: capacity::cluster_over_capacity_at_max::check },
    Rule { code: &codes::NO_N_PLUS_ONE, run: capacity::no_n_plus_one::check },
    Rule { code: &codes::MIG_PROFILE_NOT_OFFERED, run: capacity::mig_profile_not_offered::check },
    Rule { code: &codes::MIG_WITHOUT_PROFILE, run: capacity::mig_without_profile::check },
    Rule { code: &codes::TIME_SLICING_WITHOUT_REPLICAS, run: capacity::time_slicing_without_replicas::check },
    Rule { code: &codes::GPU_NOT_AVAILABLE, run: capacity::gpu_not_available::check },
    Rule { code: &codes::GANG_EXCEEDS_POOL, run: capacity::gang_exceeds_pool::check },
    Rule { code: &codes::GANG_WITHOUT_VOLCANO, run: capacity::gang_without_volcano::check },
    Rule { code: &codes::VM_LARGER_THAN_HOST, run: capacity::vm_larger_than_host::check },
    Rule { code: &codes::RESERVATIONS_EXCEED_CAPACITY, run: capacity::reservations_exceed_capacity::check },
    Rule { code: &codes::NO_COVERING_FLAVOR, run: capacity::no_covering_flavor::check },
    Rule { code: &codes::MIG_POOL_NAME_RESERVED, run: capacity::mig_pool_name_reserved::check },
    Rule { code: &codes::DISTRIBUTED_JOB_WITHOUT_VOLCANO, run: capacity::distributed_job_without_volcano::check },
    Rule { code: &codes::CPU_RESERVE_WITHOUT_CLOCK, run: capacity::cpu_reserve_without_clock::check },
    Rule { code: &codes::VSAN_EFFICIENCY_WITHOUT_ALL_FLASH, run: capacity::vsan_efficiency_without_all_flash::check },
    Rule { code: &codes::SRIOV_WITHOUT_MEMORY_RESERVATION, run: capacity::sriov_without_memory_reservation::check },
    Rule { code: &codes::LIMIT_BELOW_REQUEST, run: capacity::limit_below_request::check },
    Rule { code: &codes::SHM_EXCEEDS_MEMORY, run: capacity::shm_exceeds_memory::check },
    Rule { code: &codes::TRAFFIC_WITHOUT_MESH, run: traffic::traffic_without_mesh::check },
    Rule { code: &codes::CANARY_WEIGHT_OUT_OF_RANGE, run: traffic::canary_weight_out_of_range::check },
    Rule { code: &codes::TWO_CANARIES, run: traffic::two_canaries::check },
    Rule { code: &codes::CANARY_WITH_BLUE_GREEN, run: traffic::canary_with_blue_green::check },
    Rule { code: &codes::MIGRATE_FROM_NOT_VM, run: traffic::migrate_from_not_vm::check },
    Rule { code: &codes::MIGRATE_TO_NOT_SERVICE, run: traffic::migrate_to_not_service::check },
    Rule { code: &codes::MIGRATE_WEIGHT_OUT_OF_RANGE, run: traffic::migrate_weight_out_of_range::check },
    Rule { code: &codes::RETRIES_EXCEED_TIMEOUT, run: traffic::retries_exceed_timeout::check },
    Rule { code: &codes::STATEFUL_SERVICE_VERSIONS, run: traffic::stateful_service_versions::check },
    Rule { code: &codes::VM_WITHOUT_ADDRESS, run: traffic::vm_without_address::check },
    Rule { code: &codes::MIGRATE_OUT_OF_REACH, run: traffic::migrate_out_of_reach::check },
    Rule { code: &codes::NUMA_PAGES_WITHOUT_PINNING, run: traffic::numa_pages_without_pinning::check },
    Rule { code: &codes::FAILOVER_WITHOUT_OUTLIER_DETECTION, run: traffic::failover_without_outlier_detection::check },
    Rule { code: &codes::FAILOVER_WITHOUT_LINK, run: traffic::failover_without_link::check },
    Rule { code: &codes::PROGRESSIVE_WITH_STATIC_ROLLOUT, run: traffic::progressive_with_static_rollout::check },
    Rule { code: &codes::PROGRESSIVE_WEIGHTS_OUT_OF_RANGE, run: traffic::progressive_weights_out_of_range::check },
    Rule { code: &codes::RATE_LIMIT_INTERVAL_TOO_SHORT, run: traffic::rate_limit_interval_too_short::check },
    Rule { code: &codes::PROGRESSIVE_SETTING_NOT_CARRIED, run: traffic::progressive_setting_not_carried::check },
    Rule {
        code: &codes::PROGRESSIVE_WITHOUT_REQUEST_METRICS,
        run: traffic::progressive_without_request_metrics::check,
    },
    Rule {
        code: &codes::PROGRESSIVE_LATENCY_NOT_BELOW_TIMEOUT,
        run: traffic::progressive_latency_not_below_timeout::check,
    },
    Rule { code: &codes::EXPOSE_WITHOUT_TLS, run: security::expose_without_tls::check },
    Rule { code: &codes::UNPINNED_IMAGE, run: security::unpinned_image::check },
    Rule { code: &codes::PERMISSIVE_MTLS_IN_TRUSTED_ZONE, run: security::permissive_mtls_in_trusted_zone::check },
    Rule { code: &codes::UNENCRYPTED_INTERNET_REPLICATION, run: security::unencrypted_internet_replication::check },
    Rule { code: &codes::ALLOW_FROM_OUTSIDE_MESH, run: security::allow_from_outside_mesh::check },
    Rule { code: &codes::VM_MESH_WITHOUT_CLUSTER, run: security::vm_mesh_without_cluster::check },
    Rule { code: &codes::ALLOW_FROM_VM_NETWORK, run: security::allow_from_vm_network::check },
    Rule { code: &codes::PUBLIC_PORT_UNSUPPORTED, run: security::public_port_unsupported::check },
    Rule { code: &codes::ALLOW_FROM_UNKNOWN_ADDRESSES, run: security::allow_from_unknown_addresses::check },
    Rule { code: &codes::CALL_ACROSS_MESHES, run: security::call_across_meshes::check },
    Rule { code: &codes::ALLOW_FROM_WITHOUT_FIREWALL, run: security::allow_from_without_firewall::check },
    Rule { code: &codes::WORKLOAD_ON_WRONG_CLUSTER, run: placement::workload_on_wrong_cluster::check },
    Rule { code: &codes::VM_WITHOUT_KUBEVIRT, run: placement::vm_without_kubevirt::check },
    Rule { code: &codes::STORAGE_NOT_IN_CLUSTER, run: placement::storage_not_in_cluster::check },
    Rule { code: &codes::ADDRESS_NOT_ON_NETWORK, run: placement::address_not_on_network::check },
    Rule { code: &codes::GITOPS_PATH_NOT_WRITTEN, run: placement::gitops_path_not_written::check },
    Rule { code: &codes::CLUSTER_PLACED_TWICE, run: placement::cluster_placed_twice::check },
];

/// Runs every rule over a resolved topology.
pub fn run(t: &Topology) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in RULES {
        (rule.run)(t, &mut out);
    }
    out
}
