//! Rules of the `availability` group, one file per rule (named after its code's kebab name).

pub mod autoscale_min_above_max;
pub mod blocking_disruption_budget;
pub mod even_control_plane;
pub mod fault_tolerance_unsupported;
pub mod ha_admission_too_low;
pub mod passive_without_replication;
pub mod replicas_outside_autoscale;
pub mod restart_priority_ignored;
pub mod single_control_plane;
pub mod single_replica;
pub mod spread_exceeds_nodes;
pub mod unshared_vm_disk;
