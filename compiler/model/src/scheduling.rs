//! Where a workload can run in a kubernetes cluster, as the language
//! contract defines it: a workload pinned to a pool of the cluster
//! (`placement cluster.pool`, a job's or a service's) runs there and only
//! there; otherwise a pool's blocking taints keep it off unless it asks for GPUs the
//! pool serves (whole GPUs from `exclusive` and `time-slicing` pools, MIG
//! slices from `mig` pools with that profile, and a vm's passthrough GPUs
//! from `exclusive` pools of its model). The checker counts capacity
//! with these rules and the Kubernetes target writes the matching node
//! selection and tolerations, so both always agree.

use crate::*;

/// The GPUs a workload asks for per replica or worker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GpuAsk {
    None,
    Whole(u32),
    Mig { profile: String, slices: u32 },
}

pub fn gpu_ask(resources: Option<&Resources>) -> GpuAsk {
    let Some(r) = resources else { return GpuAsk::None };
    match (&r.gpu_profile, &r.gpu) {
        (Some(p), n) => {
            GpuAsk::Mig { profile: p.value.clone(), slices: n.as_ref().map(|n| n.value).unwrap_or(1).max(1) }
        }
        (None, Some(n)) if n.value > 0 => GpuAsk::Whole(n.value),
        _ => GpuAsk::None,
    }
}

pub fn resources_of(w: &Workload) -> Option<&Resources> {
    match &w.kind {
        WorkloadKind::Service(s) => s.resources.as_ref(),
        WorkloadKind::Job(j) => j.resources.as_ref(),
        WorkloadKind::Vm(_) => None,
    }
}

/// Whether a pool's GPUs can serve this ask.
pub fn pool_serves(pool: &Pool, ask: &GpuAsk) -> bool {
    let Some(g) = &pool.gpu else { return false };
    match ask {
        GpuAsk::None => false,
        GpuAsk::Whole(_) => matches!(g.sharing.value, GpuSharing::Exclusive | GpuSharing::TimeSlicing),
        GpuAsk::Mig { profile, .. } => {
            g.sharing.value == GpuSharing::Mig && g.profile.as_ref().is_some_and(|p| p.value == *profile)
        }
    }
}

/// The pool `w` is pinned to in `cluster` (`placement cluster.pool`), if
/// any: a job's, or a service's for that cluster.
pub fn pinned_pool(w: &Workload, cluster: ClusterId) -> Option<&str> {
    match &w.kind {
        WorkloadKind::Job(j) if j.placement.value == cluster => j.pool.as_deref(),
        WorkloadKind::Service(s) => s.pinned_pool(cluster).map(|p| p.value.as_str()),
        _ => None,
    }
}

fn blocks(taint: &Taint) -> bool {
    matches!(taint.effect, TaintEffect::NoSchedule | TaintEffect::NoExecute)
}

/// Whether `w` may run on `pool` of `cluster`: pinning honoured, taints
/// tolerated, GPUs served.
pub fn can_run_on(w: &Workload, cluster: ClusterId, pool: &Pool) -> bool {
    if let Some(pinned) = pinned_pool(w, cluster) {
        return pool.name == pinned;
    }
    // A vm with passthrough GPUs needs whole GPUs of its model.
    if let Some(g) = w.vm().and_then(|v| v.gpu.as_ref()) {
        return pool.gpu.as_ref().is_some_and(|pg| pg.model == g.model && pg.sharing.value == GpuSharing::Exclusive);
    }
    let ask = gpu_ask(resources_of(w));
    let serves = pool_serves(pool, &ask);
    if ask != GpuAsk::None && !serves {
        return false;
    }
    serves || !pool.taints.iter().any(blocks)
}

/// Whether `w` is kept on particular pools of `cluster` (pinned there, or
/// asking for GPUs).
pub fn restricted(w: &Workload, cluster: ClusterId) -> bool {
    pinned_pool(w, cluster).is_some()
        || gpu_ask(resources_of(w)) != GpuAsk::None
        || w.vm().is_some_and(|v| v.gpu.is_some())
}

/// The pools of the kubernetes cluster `cluster` (`k`) that can run `w`.
pub fn eligible_pools<'a>(
    w: &'a Workload,
    cluster: ClusterId,
    k: &'a Kubernetes,
) -> impl Iterator<Item = &'a Pool> + 'a {
    k.pools.iter().filter(move |p| can_run_on(w, cluster, p))
}
