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
//! [`RULES`]. A rule about one workload at a time takes that workload
//! (`check(t, w, out)`, listed as [`Run::Workload`]): the checker runs all
//! of those in one pass over the workloads. A rule that reads the whole
//! topology, or compares workloads with one another, takes the topology
//! (`check(t, out)`, [`Run::Topology`]).

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
use hybrid_model::{Topology, Workload};

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
    pub run: Run,
}

/// What a rule's `check` function reads.
#[derive(Debug, Clone, Copy)]
pub enum Run {
    /// The whole topology: sites, clusters, links, storage, or workloads
    /// compared with one another.
    Topology(fn(&Topology, &mut Vec<Diagnostic>)),
    /// One workload at a time (with the topology around it). [`run`] calls
    /// every such rule on a workload before it goes on to the next, so that
    /// each workload is read from memory once for all of them, not once per
    /// rule: at 100,000 workloads the topology is many times the cache.
    Workload(fn(&Topology, &Workload, &mut Vec<Diagnostic>)),
}

impl Rule {
    /// Runs this rule alone over a topology.
    pub fn check(&self, t: &Topology, out: &mut Vec<Diagnostic>) {
        match self.run {
            Run::Topology(check) => check(t, out),
            Run::Workload(check) => {
                for w in &t.workloads {
                    check(t, w, out);
                }
            }
        }
    }
}

/// Every rule, in code order.
pub static RULES: &[Rule] = &[
    Rule { code: &codes::DERIVED_NAME_TOO_LONG, run: Run::Workload(structure::derived_name_too_long::check) },
    Rule { code: &codes::INVALID_IMAGE, run: Run::Workload(structure::invalid_image::check) },
    Rule { code: &codes::VSAN_DATASTORE_CLASH, run: Run::Topology(structure::vsan_datastore_clash::check) },
    Rule { code: &codes::DUPLICATE_SERVICE_PORT, run: Run::Workload(structure::duplicate_service_port::check) },
    Rule { code: &codes::SCALE_DOWN_WINDOW_TOO_LONG, run: Run::Workload(structure::scale_down_window_too_long::check) },
    Rule { code: &codes::JOB_VOLUME_NOT_SHARED, run: Run::Workload(structure::job_volume_not_shared::check) },
    Rule { code: &codes::MPI_NEEDS_ROOT_SSHD, run: Run::Workload(structure::mpi_needs_root_sshd::check) },
    Rule { code: &codes::MESH_MEMBER_WITHOUT_ISTIO, run: Run::Topology(structure::mesh_member_without_istio::check) },
    Rule { code: &codes::CLUSTER_IN_TWO_MESHES, run: Run::Topology(structure::cluster_in_two_meshes::check) },
    Rule { code: &codes::OVERLAPPING_NETWORKS, run: Run::Topology(network::overlapping_networks::check) },
    Rule { code: &codes::CLUSTER_CIDR_OVERLAP, run: Run::Topology(network::cluster_cidr_overlap::check) },
    Rule { code: &codes::VLAN_OUT_OF_RANGE, run: Run::Topology(network::vlan_out_of_range::check) },
    Rule { code: &codes::VLAN_REUSED, run: Run::Topology(network::vlan_reused::check) },
    Rule { code: &codes::LINK_TO_ITSELF, run: Run::Topology(network::link_to_itself::check) },
    Rule { code: &codes::DUPLICATE_LINK, run: Run::Topology(network::duplicate_link::check) },
    Rule { code: &codes::NIC_UNSUPPORTED, run: Run::Workload(network::nic_unsupported::check) },
    Rule { code: &codes::EVEN_CONTROL_PLANE, run: Run::Topology(availability::even_control_plane::check) },
    Rule { code: &codes::SINGLE_CONTROL_PLANE, run: Run::Topology(availability::single_control_plane::check) },
    Rule {
        code: &codes::BLOCKING_DISRUPTION_BUDGET,
        run: Run::Workload(availability::blocking_disruption_budget::check),
    },
    Rule { code: &codes::SPREAD_EXCEEDS_NODES, run: Run::Workload(availability::spread_exceeds_nodes::check) },
    Rule { code: &codes::SINGLE_REPLICA, run: Run::Workload(availability::single_replica::check) },
    Rule { code: &codes::HA_ADMISSION_TOO_LOW, run: Run::Topology(availability::ha_admission_too_low::check) },
    Rule {
        code: &codes::FAULT_TOLERANCE_UNSUPPORTED,
        run: Run::Workload(availability::fault_tolerance_unsupported::check),
    },
    Rule {
        code: &codes::PASSIVE_WITHOUT_REPLICATION,
        run: Run::Workload(availability::passive_without_replication::check),
    },
    Rule {
        code: &codes::REPLICAS_OUTSIDE_AUTOSCALE,
        run: Run::Workload(availability::replicas_outside_autoscale::check),
    },
    Rule { code: &codes::AUTOSCALE_MIN_ABOVE_MAX, run: Run::Workload(availability::autoscale_min_above_max::check) },
    Rule { code: &codes::UNSHARED_VM_DISK, run: Run::Workload(availability::unshared_vm_disk::check) },
    Rule { code: &codes::RESTART_PRIORITY_IGNORED, run: Run::Workload(availability::restart_priority_ignored::check) },
    Rule {
        code: &codes::SYNC_REPLICATION_OVER_SLOW_LINK,
        run: Run::Topology(data::sync_replication_over_slow_link::check),
    },
    Rule { code: &codes::ZERO_RPO_ASYNC, run: Run::Topology(data::zero_rpo_async::check) },
    Rule { code: &codes::REPLICATION_SAME_SITE, run: Run::Topology(data::replication_same_site::check) },
    Rule { code: &codes::REPLICATION_WITHOUT_LINK, run: Run::Topology(data::replication_without_link::check) },
    Rule { code: &codes::REPLICATION_BANDWIDTH, run: Run::Topology(data::replication_bandwidth::check) },
    Rule { code: &codes::BACKUP_RETENTION_GAP, run: Run::Topology(data::backup_retention_gap::check) },
    Rule { code: &codes::REPLICATION_VSAN_CEPH, run: Run::Topology(data::replication_vsan_ceph::check) },
    Rule { code: &codes::REPLICATION_NAME_MISMATCH, run: Run::Topology(data::replication_name_mismatch::check) },
    Rule { code: &codes::UNACHIEVABLE_RPO, run: Run::Topology(data::unachievable_rpo::check) },
    Rule { code: &codes::BACKUP_VM_WITHOUT_VOLUMES, run: Run::Topology(data::backup_vm_without_volumes::check) },
    Rule { code: &codes::BACKUP_EPHEMERAL_ROOT, run: Run::Topology(data::backup_ephemeral_root::check) },
    Rule { code: &codes::UNENCRYPTED_VOLUME, run: Run::Topology(data::unencrypted_volume::check) },
    Rule { code: &codes::ENCRYPTION_UNSUPPORTED, run: Run::Topology(data::encryption_unsupported::check) },
    Rule { code: &codes::KMS_WITHOUT_ENCRYPTION, run: Run::Topology(data::kms_without_encryption::check) },
    Rule { code: &codes::CLUSTER_OVER_CAPACITY, run: Run::Topology(capacity::cluster_over_capacity::check) },
    Rule {
        code: &codes::CLUSTER_OVER_CAPACITY_AT_MAX,
        run: Run::Topology(capacity::cluster_over_capacity_at_max::check),
    },
    Rule { code: &codes::NO_N_PLUS_ONE, run: Run::Topology(capacity::no_n_plus_one::check) },
    Rule { code: &codes::MIG_PROFILE_NOT_OFFERED, run: Run::Topology(capacity::mig_profile_not_offered::check) },
    Rule { code: &codes::MIG_WITHOUT_PROFILE, run: Run::Topology(capacity::mig_without_profile::check) },
    Rule {
        code: &codes::TIME_SLICING_WITHOUT_REPLICAS,
        run: Run::Topology(capacity::time_slicing_without_replicas::check),
    },
    Rule { code: &codes::GPU_NOT_AVAILABLE, run: Run::Workload(capacity::gpu_not_available::check) },
    Rule { code: &codes::GANG_EXCEEDS_POOL, run: Run::Workload(capacity::gang_exceeds_pool::check) },
    Rule { code: &codes::GANG_WITHOUT_VOLCANO, run: Run::Workload(capacity::gang_without_volcano::check) },
    Rule { code: &codes::VM_LARGER_THAN_HOST, run: Run::Workload(capacity::vm_larger_than_host::check) },
    Rule {
        code: &codes::RESERVATIONS_EXCEED_CAPACITY,
        run: Run::Topology(capacity::reservations_exceed_capacity::check),
    },
    Rule { code: &codes::NO_COVERING_FLAVOR, run: Run::Workload(capacity::no_covering_flavor::check) },
    Rule { code: &codes::MIG_POOL_NAME_RESERVED, run: Run::Topology(capacity::mig_pool_name_reserved::check) },
    Rule {
        code: &codes::DISTRIBUTED_JOB_WITHOUT_VOLCANO,
        run: Run::Workload(capacity::distributed_job_without_volcano::check),
    },
    Rule { code: &codes::CPU_RESERVE_WITHOUT_CLOCK, run: Run::Workload(capacity::cpu_reserve_without_clock::check) },
    Rule {
        code: &codes::VSAN_EFFICIENCY_WITHOUT_ALL_FLASH,
        run: Run::Topology(capacity::vsan_efficiency_without_all_flash::check),
    },
    Rule {
        code: &codes::SRIOV_WITHOUT_MEMORY_RESERVATION,
        run: Run::Workload(capacity::sriov_without_memory_reservation::check),
    },
    Rule { code: &codes::LIMIT_BELOW_REQUEST, run: Run::Workload(capacity::limit_below_request::check) },
    Rule { code: &codes::SHM_EXCEEDS_MEMORY, run: Run::Workload(capacity::shm_exceeds_memory::check) },
    Rule { code: &codes::TRAFFIC_WITHOUT_MESH, run: Run::Topology(traffic::traffic_without_mesh::check) },
    Rule { code: &codes::CANARY_WEIGHT_OUT_OF_RANGE, run: Run::Workload(traffic::canary_weight_out_of_range::check) },
    Rule { code: &codes::TWO_CANARIES, run: Run::Workload(traffic::two_canaries::check) },
    Rule { code: &codes::CANARY_WITH_BLUE_GREEN, run: Run::Workload(traffic::canary_with_blue_green::check) },
    Rule { code: &codes::MIGRATE_FROM_NOT_VM, run: Run::Topology(traffic::migrate_from_not_vm::check) },
    Rule { code: &codes::MIGRATE_TO_NOT_SERVICE, run: Run::Topology(traffic::migrate_to_not_service::check) },
    Rule { code: &codes::MIGRATE_WEIGHT_OUT_OF_RANGE, run: Run::Topology(traffic::migrate_weight_out_of_range::check) },
    Rule { code: &codes::RETRIES_EXCEED_TIMEOUT, run: Run::Workload(traffic::retries_exceed_timeout::check) },
    Rule { code: &codes::STATEFUL_SERVICE_VERSIONS, run: Run::Workload(traffic::stateful_service_versions::check) },
    Rule { code: &codes::VM_WITHOUT_ADDRESS, run: Run::Topology(traffic::vm_without_address::check) },
    Rule { code: &codes::MIGRATE_OUT_OF_REACH, run: Run::Topology(traffic::migrate_out_of_reach::check) },
    Rule { code: &codes::NUMA_PAGES_WITHOUT_PINNING, run: Run::Workload(traffic::numa_pages_without_pinning::check) },
    Rule {
        code: &codes::FAILOVER_WITHOUT_OUTLIER_DETECTION,
        run: Run::Workload(traffic::failover_without_outlier_detection::check),
    },
    Rule { code: &codes::FAILOVER_WITHOUT_LINK, run: Run::Workload(traffic::failover_without_link::check) },
    Rule {
        code: &codes::PROGRESSIVE_WITH_STATIC_ROLLOUT,
        run: Run::Topology(traffic::progressive_with_static_rollout::check),
    },
    Rule {
        code: &codes::PROGRESSIVE_WEIGHTS_OUT_OF_RANGE,
        run: Run::Workload(traffic::progressive_weights_out_of_range::check),
    },
    Rule {
        code: &codes::RATE_LIMIT_INTERVAL_TOO_SHORT,
        run: Run::Workload(traffic::rate_limit_interval_too_short::check),
    },
    Rule {
        code: &codes::PROGRESSIVE_SETTING_NOT_CARRIED,
        run: Run::Workload(traffic::progressive_setting_not_carried::check),
    },
    Rule {
        code: &codes::PROGRESSIVE_WITHOUT_REQUEST_METRICS,
        run: Run::Workload(traffic::progressive_without_request_metrics::check),
    },
    Rule {
        code: &codes::PROGRESSIVE_LATENCY_NOT_BELOW_TIMEOUT,
        run: Run::Workload(traffic::progressive_latency_not_below_timeout::check),
    },
    Rule { code: &codes::EXPOSE_WITHOUT_TLS, run: Run::Workload(security::expose_without_tls::check) },
    Rule { code: &codes::UNPINNED_IMAGE, run: Run::Workload(security::unpinned_image::check) },
    Rule {
        code: &codes::PERMISSIVE_MTLS_IN_TRUSTED_ZONE,
        run: Run::Topology(security::permissive_mtls_in_trusted_zone::check),
    },
    Rule {
        code: &codes::UNENCRYPTED_INTERNET_REPLICATION,
        run: Run::Topology(security::unencrypted_internet_replication::check),
    },
    Rule { code: &codes::ALLOW_FROM_OUTSIDE_MESH, run: Run::Workload(security::allow_from_outside_mesh::check) },
    Rule { code: &codes::VM_MESH_WITHOUT_CLUSTER, run: Run::Workload(security::vm_mesh_without_cluster::check) },
    Rule { code: &codes::ALLOW_FROM_VM_NETWORK, run: Run::Workload(security::allow_from_vm_network::check) },
    Rule { code: &codes::PUBLIC_PORT_UNSUPPORTED, run: Run::Workload(security::public_port_unsupported::check) },
    Rule {
        code: &codes::ALLOW_FROM_UNKNOWN_ADDRESSES,
        run: Run::Workload(security::allow_from_unknown_addresses::check),
    },
    Rule { code: &codes::CALL_ACROSS_MESHES, run: Run::Workload(security::call_across_meshes::check) },
    Rule {
        code: &codes::ALLOW_FROM_WITHOUT_FIREWALL,
        run: Run::Workload(security::allow_from_without_firewall::check),
    },
    Rule { code: &codes::WORKLOAD_ON_WRONG_CLUSTER, run: Run::Workload(placement::workload_on_wrong_cluster::check) },
    Rule { code: &codes::VM_WITHOUT_KUBEVIRT, run: Run::Workload(placement::vm_without_kubevirt::check) },
    Rule { code: &codes::STORAGE_NOT_IN_CLUSTER, run: Run::Workload(placement::storage_not_in_cluster::check) },
    Rule { code: &codes::ADDRESS_NOT_ON_NETWORK, run: Run::Workload(placement::address_not_on_network::check) },
    Rule { code: &codes::GITOPS_PATH_NOT_WRITTEN, run: Run::Topology(placement::gitops_path_not_written::check) },
    Rule { code: &codes::CLUSTER_PLACED_TWICE, run: Run::Workload(placement::cluster_placed_twice::check) },
];

/// Runs every rule over a resolved topology: the rules of the whole
/// topology one after the other, then the rules of one workload in a single
/// pass over the workloads.
pub fn run(t: &Topology) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut per_workload = Vec::new();
    for rule in RULES {
        match rule.run {
            Run::Topology(check) => check(t, &mut out),
            Run::Workload(check) => per_workload.push(check),
        }
    }
    for w in &t.workloads {
        for check in &per_workload {
            check(t, w, &mut out);
        }
    }
    out
}
