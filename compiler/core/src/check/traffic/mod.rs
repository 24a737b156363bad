//! Rules of the `traffic` group, one file per rule (named after its code's kebab name).

pub mod canary_weight_out_of_range;
pub mod canary_with_blue_green;
pub mod failover_without_link;
pub mod failover_without_outlier_detection;
pub mod migrate_from_not_vm;
pub mod migrate_out_of_reach;
pub mod migrate_to_not_service;
pub mod migrate_weight_out_of_range;
pub mod numa_pages_without_pinning;
pub mod progressive_latency_not_below_timeout;
pub mod progressive_setting_not_carried;
pub mod progressive_weights_out_of_range;
pub mod progressive_with_static_rollout;
pub mod progressive_without_request_metrics;
pub mod rate_limit_interval_too_short;
pub mod retries_exceed_timeout;
pub mod stateful_service_versions;
pub mod traffic_without_mesh;
pub mod two_canaries;
pub mod vm_without_address;
