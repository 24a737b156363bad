//! Rules of the `security` group, one file per rule (named after its code's kebab name).

pub mod allow_from_outside_mesh;
pub mod allow_from_unknown_addresses;
pub mod allow_from_vm_network;
pub mod allow_from_without_firewall;
pub mod call_across_meshes;
pub mod expose_without_tls;
pub mod permissive_mtls_in_trusted_zone;
pub mod public_port_unsupported;
pub mod unencrypted_internet_replication;
pub mod unpinned_image;
pub mod vm_mesh_without_cluster;
