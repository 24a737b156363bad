//! HY4007 time-slicing-without-replicas: `sharing=time-slicing` needs the
//! factor each GPU is shared by.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for c in &t.clusters {
        let Some(k) = c.kubernetes() else { continue };
        for p in &k.pools {
            let Some(g) = &p.gpu else { continue };
            if g.sharing.value == GpuSharing::TimeSlicing && g.replicas.is_none() {
                out.push(time_slicing_without_replicas(p, g));
            }
        }
    }
}

/// HY4007
pub fn time_slicing_without_replicas(p: &Pool, g: &PoolGpu) -> Diagnostic {
    Diagnostic::new(
        &codes::TIME_SLICING_WITHOUT_REPLICAS,
        format!("pool `{}` time-slices its GPUs but does not say into how many", p.name),
        g.sharing.span,
        "how many slices per GPU?",
    )
    .with_help("add the time-slicing factor, e.g. `replicas=4`")
}
