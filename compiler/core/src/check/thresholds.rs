//! Every number a rule compares against, in one place, with where it comes
//! from.

use std::time::Duration;

/// Synchronous replication waits one round trip per write; above about
/// 5 ms RTT write latency becomes unacceptable for databases. Ceph RBD
/// mirroring, vSphere Replication and storage vendors all recommend metro
/// distances (≤ 5 ms RTT) for synchronous modes (e.g. VMware vSAN stretched
/// cluster requirements: "5 ms RTT between data sites").
pub const SYNC_REPLICATION_MAX_RTT: Duration = Duration::from_millis(5);

/// Synchronous replication below 1 Gbps cannot keep up with a single SSD
/// pool's write throughput (vSAN stretched clusters require at least 10 Gbps
/// between data sites; 1 Gbps is the floor under which we always warn).
pub const SYNC_REPLICATION_MIN_BANDWIDTH_BPS: u64 = 1_000_000_000;

/// vSphere Fault Tolerance limits per protected VM (vSphere 8 configuration
/// maximums, "Fault Tolerance": 8 vCPU and 128 GB of memory per FT VM).
pub const FT_MAX_VCPU: u32 = 8;
pub const FT_MAX_MEMORY_BYTES: u64 = 128 * 1024 * 1024 * 1024;

/// Canary, migrate weights and percentages are 0..=100.
pub const MAX_WEIGHT: i64 = 100;

/// The shortest refill interval of Envoy's local rate limit token bucket
/// (Envoy's `local_ratelimit` filter: "fill_interval must be >= 50ms").
pub const RATE_LIMIT_MIN_FILL_INTERVAL: Duration = Duration::from_millis(50);

/// VLAN ids usable on a trunk (IEEE 802.1Q reserves 0 and 4095).
pub const VLAN_MIN: i64 = 1;
pub const VLAN_MAX: i64 = 4094;

/// The smallest etcd quorum that survives the loss of a member.
pub const MIN_CONTROL_PLANE: u32 = 3;

/// A StatefulSet's name, at most: its pods carry the label
/// `controller-revision-hash: NAME-HASH`, a label value (at most 63
/// characters) whose hash takes up to 10 characters and a `-`, so a longer
/// name creates a StatefulSet whose pods are never created (Kubernetes
/// issue 64023).
pub const STATEFULSET_NAME_MAX: usize = 52;

/// An Istio Gateway's name, at most: Istio validates it as a DNS-1123
/// label (`ValidateGateway`: "Gateway name must conform to the DNS label
/// format").
pub const GATEWAY_NAME_MAX: usize = 63;

/// A Volcano Job's first pod name `JOB-TASK-0`, at most: Volcano's
/// admission webhook checks it as a qualified name (`validateK8sPodNameLength`).
pub const VOLCANO_POD_NAME_MAX: usize = 63;

/// The longest stabilization window a HorizontalPodAutoscaler accepts
/// (`autoscaling/v2` HPAScalingRules: "StabilizationWindowSeconds must be
/// greater than or equal to zero and less than or equal to 3600 (one
/// hour)").
pub const HPA_MAX_STABILIZATION_WINDOW: Duration = Duration::from_secs(3600);
