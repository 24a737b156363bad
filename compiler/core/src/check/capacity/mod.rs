//! Rules of the `capacity` group, one file per rule (named after its code's kebab name).

pub mod cluster_over_capacity;
pub mod cluster_over_capacity_at_max;
pub mod cpu_reserve_without_clock;
pub mod distributed_job_without_volcano;
pub mod gang_exceeds_pool;
pub mod gang_without_volcano;
pub mod gpu_not_available;
pub mod limit_below_request;
pub mod mig_pool_name_reserved;
pub mod mig_profile_not_offered;
pub mod mig_without_profile;
pub mod no_covering_flavor;
pub mod no_n_plus_one;
pub mod reservations_exceed_capacity;
pub mod shm_exceeds_memory;
pub mod sriov_without_memory_reservation;
pub mod time_slicing_without_replicas;
pub mod vm_larger_than_host;
pub mod vsan_efficiency_without_all_flash;
