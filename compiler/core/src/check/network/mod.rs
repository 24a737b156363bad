//! Rules of the `network` group, one file per rule (named after its code's kebab name).

pub mod cluster_cidr_overlap;
pub mod duplicate_link;
pub mod link_to_itself;
pub mod nic_unsupported;
pub mod overlapping_networks;
pub mod vlan_out_of_range;
pub mod vlan_reused;
