//! Rules of the `placement` group, one file per rule (named after its code's kebab name).

pub mod address_not_on_network;
pub mod cluster_placed_twice;
pub mod gitops_path_not_written;
pub mod storage_not_in_cluster;
pub mod vm_without_kubevirt;
pub mod workload_on_wrong_cluster;
