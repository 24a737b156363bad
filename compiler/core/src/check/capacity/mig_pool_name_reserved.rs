//! HY4014 mig-pool-name-reserved: a MIG pool's mig-parted config is named
//! after the pool, and the GPU Operator's MIG manager applies the config
//! `all-disabled` (`MIG_CONFIG_DISABLED`) to every MIG-capable node that
//! has no config of its own. A MIG pool of that name would have its
//! partitioning applied to every such node of the cluster, or MIG left on
//! where no pool asks for it.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for c in &t.clusters {
        let Some(k) = c.kubernetes() else { continue };
        for p in &k.pools {
            let Some(g) = &p.gpu else { continue };
            if g.sharing.value == GpuSharing::Mig && p.name == MIG_CONFIG_DISABLED {
                out.push(mig_pool_name_reserved(p, g));
            }
        }
    }
}

/// HY4014
pub fn mig_pool_name_reserved(p: &Pool, g: &PoolGpu) -> Diagnostic {
    Diagnostic::new(
        &codes::MIG_POOL_NAME_RESERVED,
        format!("MIG pool `{}` takes the name of the GPU Operator's config that turns MIG off", p.name),
        p.span,
        "this name is the MIG manager's default config",
    )
    .with_label(g.sharing.span, "its MIG config is named after the pool")
    .with_help(format!("rename the pool, e.g. `pool {}-mig`", p.name))
}
