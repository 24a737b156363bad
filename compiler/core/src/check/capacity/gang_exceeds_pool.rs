//! HY4009 gang-exceeds-pool: a gang-scheduled job needs all workers at
//! once; if workers × GPUs per worker is more than its pools have, it never
//! starts.

use crate::check::prelude::*;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(j) = w.job() else { return };
    if !j.gang.as_ref().is_some_and(|g| g.value) {
        return;
    }
    let ask = gpu_ask(j.resources.as_ref());
    let per_worker = match &ask {
        GpuAsk::None => return,
        GpuAsk::Whole(n) => *n,
        GpuAsk::Mig { slices, .. } => *slices,
    };
    let Some(k) = t.cluster(j.placement.value).kubernetes() else { return };
    let total: u32 = eligible_pools(w, j.placement.value, k)
        .map(|p| p.nodes.value.saturating_mul(devices_per_node(t, p, &ask)))
        .sum();
    let per_node = eligible_pools(w, j.placement.value, k).map(|p| devices_per_node(t, p, &ask)).max().unwrap_or(0);
    let need = j.workers.value.saturating_mul(per_worker);
    // A worker larger than any node is HY4008's finding, not this one.
    if total > 0 && per_worker <= per_node && need > total {
        let unit = if matches!(ask, GpuAsk::Mig { .. }) { "MIG slices" } else { "GPUs" };
        out.push(gang_exceeds_pool(w, j, need, total, unit));
    }
}

/// HY4009
pub fn gang_exceeds_pool(w: &Workload, j: &Job, need: u32, total: u32, unit: &str) -> Diagnostic {
    let workers = j.workers.value;
    Diagnostic::new(
        &codes::GANG_EXCEEDS_POOL,
        format!("gang job `{}` needs {need} {unit} at once but its pools have {total}", w.name),
        j.workers.span,
        format!("{workers} {}", if workers == 1 { "worker" } else { "workers" }),
    )
    .with_help("lower the workers or GPUs per worker, or add GPU nodes")
}
