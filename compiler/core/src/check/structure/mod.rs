//! Rules of the `structure` group (HY0xxx values that only the resolved
//! topology can judge), one file per rule (named after its code's kebab
//! name).

pub mod cluster_in_two_meshes;
pub mod derived_name_too_long;
pub mod duplicate_service_port;
pub mod invalid_image;
pub mod job_volume_not_shared;
pub mod mesh_member_without_istio;
pub mod mpi_needs_root_sshd;
pub mod scale_down_window_too_long;
pub mod vsan_datastore_clash;
