//! HY4003 no-n-plus-one: the requests fit, but not after losing one node
//! of some pool: a single node failure or a rolling upgrade leaves replicas
//! Pending.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for id in t.cluster_ids() {
        let c = t.cluster(id);
        let Some(k) = c.kubernetes() else { continue };
        let need = t.demand(id, Scale::Min);
        let have = kubernetes_capacity(k);
        if !need.fits_in(have) {
            continue;
        }
        // Losing one node of any pool: the first loss that breaks the fit.
        let broken = k.pools.iter().filter(|p| p.nodes.value > 0).find_map(|p| {
            let after =
                Request { cpu: have.cpu.saturating_sub(p.cpu.0), memory: have.memory.saturating_sub(p.memory.0) };
            (!need.fits_in(after)).then_some((p, after))
        });
        if let Some((pool, after)) = broken {
            out.push(no_n_plus_one(c, &pool.name, need, after));
        }
    }
}

/// HY4003
pub fn no_n_plus_one(c: &Cluster, pool: &str, need: Request, after: Request) -> Diagnostic {
    Diagnostic::new(
        &codes::NO_N_PLUS_ONE,
        format!(
            "after losing one node of pool `{pool}`, `{}` has {} cpu and {} for {} cpu and {} of requests",
            c.name,
            MilliCpu(after.cpu),
            Bytes(after.memory),
            MilliCpu(need.cpu),
            Bytes(need.memory)
        ),
        c.span,
        "no room for a node failure",
    )
    .with_help(format!("add a node to `{pool}` (or lower requests) so the cluster survives losing one"))
}
