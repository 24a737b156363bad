//! What workloads ask of the clusters they are placed on: the request of
//! one replica, worker or vm, how many of them run in each cluster (at the
//! autoscalers' minimum or maximum, every version counted, none in the
//! passive clusters of `active-passive`), and each cluster's total — the
//! demand the capacity checks and the failure analysis compare with what
//! the cluster holds. The totals are added up once per topology, in the
//! pass that indexes each cluster's workloads (see [`crate::PlacedIndex`]).

use crate::scheduling::resources_of;
use crate::*;

/// What one replica (or worker) asks for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Request {
    pub cpu: u64,
    pub memory: u64,
}

impl Request {
    pub fn times(self, n: u32) -> Request {
        Request { cpu: self.cpu.saturating_mul(u64::from(n)), memory: self.memory.saturating_mul(u64::from(n)) }
    }
    pub fn plus(self, o: Request) -> Request {
        Request { cpu: self.cpu.saturating_add(o.cpu), memory: self.memory.saturating_add(o.memory) }
    }
    pub fn fits_in(self, cap: Request) -> bool {
        self.cpu <= cap.cpu && self.memory <= cap.memory
    }
}

/// The request of one replica / worker / vm.
pub fn request(w: &Workload) -> Request {
    match &w.kind {
        WorkloadKind::Vm(v) => Request { cpu: u64::from(v.cpu.value) * 1000, memory: v.memory.value.0 },
        _ => resources_of(w)
            .map(|r| Request {
                cpu: r.cpu_request().map(|c| c.0).unwrap_or(0),
                memory: r.memory_request().map(|m| m.0).unwrap_or(0),
            })
            .unwrap_or_default(),
    }
}

/// How many copies of each version a service runs.
pub fn service_versions(s: &Service) -> u32 {
    let t = s.traffic.as_ref();
    let colours = if t.is_some_and(|t| t.blue_green.is_some()) { 2 } else { 1 };
    let extra = t.map(|t| t.canaries.len() + t.variants.len() + usize::from(t.mirror.is_some())).unwrap_or(0);
    colours + u32::try_from(extra).unwrap_or(u32::MAX)
}

/// Whether to count the autoscaler's minimum or maximum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    Min,
    Max,
}

/// Replicas (workers, vms) of `w` that run in `cluster`, all versions
/// included; the passive clusters of `active-passive` run none.
pub fn replicas_in(w: &Workload, cluster: ClusterId, scale: Scale) -> u32 {
    match &w.kind {
        WorkloadKind::Service(s) => {
            let Some(pos) = s.placement.iter().position(|p| p.value == cluster) else { return 0 };
            if s.mode == PlacementMode::ActivePassive && pos > 0 {
                return 0;
            }
            service_replicas(s, scale).saturating_mul(service_versions(s))
        }
        WorkloadKind::Job(j) => u32::from(j.placement.value == cluster) * j.workers.value,
        WorkloadKind::Vm(v) => u32::from(v.placement.value == cluster),
    }
}

/// Replicas of one version of a service.
pub fn service_replicas(s: &Service, scale: Scale) -> u32 {
    let base = s.replicas.value;
    match (&s.autoscale, scale) {
        (Some(a), Scale::Min) => base.max(a.min.as_ref().map_or(0, |m| m.value)),
        (Some(a), Scale::Max) => {
            base.max(a.max.as_ref().map_or(0, |m| m.value)).max(a.min.as_ref().map_or(0, |m| m.value))
        }
        (None, _) => base,
    }
}

/// Whether a workload counts against a cluster's pools (vms only on KubeVirt).
pub fn counts_against(t: &Topology, w: &Workload, cluster: ClusterId) -> bool {
    match &w.kind {
        WorkloadKind::Vm(_) => t.cluster(cluster).kubernetes().is_some(),
        _ => true,
    }
}

impl Topology {
    /// What the workloads placed on `cluster` request in total (vms only
    /// on KubeVirt), at the autoscalers' minimum or maximum.
    pub fn demand(&self, cluster: ClusterId, scale: Scale) -> Request {
        let [min, max] = self.placed.of(self).demand.get(cluster.index()).copied().unwrap_or_default();
        match scale {
            Scale::Min => min,
            Scale::Max => max,
        }
    }
}
