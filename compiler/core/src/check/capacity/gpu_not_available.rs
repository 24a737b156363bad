//! HY4008 gpu-not-available: a workload asks for GPUs (whole GPUs or MIG
//! slices) on a cluster or pinned pool that has none of that kind, or for
//! more per pod than one node has; a vm asks for a GPU model its KubeVirt
//! cluster does not have. A pool whose MIG profile its GPU does not offer
//! is HY4005's, and is not counted or reported again here.

use crate::check::prelude::*;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    if let Some(vm) = w.vm() {
        check_vm(t, w, vm, out);
        return;
    }
    let Some(r) = resources_of(w) else { return };
    let ask = gpu_ask(Some(r));
    let (count, what) = match &ask {
        GpuAsk::None => return,
        GpuAsk::Whole(n) => (*n, format!("{n} GPU(s)")),
        GpuAsk::Mig { profile, slices } => (*slices, format!("{slices} MIG slice(s) `{profile}`")),
    };
    let span = r.gpu_profile.as_ref().map(|p| p.span).or(r.gpu.as_ref().map(|g| g.span)).unwrap_or(r.span);
    for cid in w.placement() {
        let cluster = t.cluster(cid);
        let Some(k) = cluster.kubernetes() else { continue };
        let (broken, pools): (Vec<&Pool>, Vec<&Pool>) = k
            .pools
            .iter()
            .filter(|p| pool_serves(p, &ask))
            .filter(|p| pinned_pool(w, cid).is_none_or(|n| n == p.name))
            .partition(|p| mig_profile_invalid(t, p));
        if pools.is_empty() && !broken.is_empty() {
            // The pool's profile is one its GPU lacks: HY4005 said so.
            continue;
        }
        let best = pools.iter().map(|p| devices_per_node(t, p, &ask)).max().unwrap_or(0);
        if pools.is_empty() {
            let why = match pinned_pool(w, cid) {
                Some(p) => format!("pool `{}.{p}` has no GPUs that can give {what}", cluster.name),
                None => format!("cluster `{}` has no pool that can give {what}", cluster.name),
            };
            out.push(gpu_not_available(w, span, why));
        } else if count > best {
            out.push(gpu_not_available(
                w,
                span,
                format!("one node of `{}` gives at most {best} of them, not {count}", cluster.name),
            ));
        }
    }
}

fn check_vm(t: &Topology, w: &Workload, vm: &Vm, out: &mut Vec<Diagnostic>) {
    let Some(g) = &vm.gpu else { return };
    let Some(k) = t.cluster(vm.placement.value).kubernetes() else { return };
    let best = k
        .pools
        .iter()
        .filter_map(|p| p.gpu.as_ref().filter(|pg| pg.model == g.model && pg.sharing.value == GpuSharing::Exclusive))
        .map(|pg| pg.count)
        .max();
    let model = &t.gpu_model(g.model).name;
    match best {
        None => out.push(gpu_not_available(
            w,
            g.span,
            format!("`{}` has no pool of whole `{model}` GPUs", t.cluster(vm.placement.value).name),
        )),
        Some(n) if g.count > n => {
            out.push(gpu_not_available(w, g.span, format!("one node has at most {n} `{model}` GPUs, not {}", g.count)))
        }
        _ => {}
    }
}

/// HY4008
pub fn gpu_not_available(w: &Workload, span: Span, why: String) -> Diagnostic {
    Diagnostic::new(&codes::GPU_NOT_AVAILABLE, format!("`{}` asks for GPUs it cannot get: {why}", w.name), span, "GPU request")
        .with_help("place it on a cluster with a matching GPU pool (whole GPUs: `exclusive` or `time-slicing`; MIG: `sharing=mig` with this profile), or ask for fewer")
}
