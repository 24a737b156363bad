//! HY4001 cluster-over-capacity: the workloads placed on a kubernetes
//! cluster request (replicas × per-replica requests, at the autoscaler's
//! minimum, every version counted) more cpu or memory than its pools have.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    over_capacity(t, Scale::Min, out);
}

/// Shared with HY4002, which asks the same question at autoscale max.
pub fn over_capacity(t: &Topology, scale: Scale, out: &mut Vec<Diagnostic>) {
    for id in t.cluster_ids() {
        let c = t.cluster(id);
        let Some(k) = c.kubernetes() else { continue };
        let need = t.demand(id, scale);
        let have = kubernetes_capacity(k);
        if need.fits_in(have) {
            continue;
        }
        // The workload asking for the most, as the label's other side.
        let biggest = t.placed_on(id).filter(|w| counts_against(t, w, id)).max_by_key(|w| {
            let r = request(w).times(replicas_in(w, id, scale));
            (r.cpu, r.memory)
        });
        let d = match scale {
            Scale::Min => {
                cluster_over_capacity(&codes::CLUSTER_OVER_CAPACITY, c, need, have, "at their minimum replicas")
            }
            Scale::Max => {
                cluster_over_capacity(&codes::CLUSTER_OVER_CAPACITY_AT_MAX, c, need, have, "at autoscale max")
            }
        };
        out.push(match biggest {
            Some(w) => d.with_label(w.span, format!("`{}` asks for the most", w.name)),
            None => d,
        });
    }
}

fn describe(r: Request) -> String {
    format!("{} cpu, {}", MilliCpu(r.cpu), Bytes(r.memory))
}

/// HY4001 / HY4002
pub fn cluster_over_capacity(code: &'static Code, c: &Cluster, need: Request, have: Request, when: &str) -> Diagnostic {
    Diagnostic::new(
        code,
        format!("workloads on `{}` request {} {when}; its pools have {}", c.name, describe(need), describe(have)),
        c.span,
        "not enough capacity",
    )
    .with_help("add nodes or pools, lower replicas or requests, or place some workloads on another cluster")
}
