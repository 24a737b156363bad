//! HY4006 mig-without-profile: `sharing=mig` needs the profile every GPU of
//! the pool is split into.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for c in &t.clusters {
        let Some(k) = c.kubernetes() else { continue };
        for p in &k.pools {
            let Some(g) = &p.gpu else { continue };
            if g.sharing.value == GpuSharing::Mig && g.profile.is_none() {
                out.push(mig_without_profile(t, p, g));
            }
        }
    }
}

/// HY4006
pub fn mig_without_profile(t: &Topology, p: &Pool, g: &PoolGpu) -> Diagnostic {
    let model = t.gpu_model(g.model);
    let d = Diagnostic::new(
        &codes::MIG_WITHOUT_PROFILE,
        format!("pool `{}` shares its GPUs with MIG but names no profile", p.name),
        g.sharing.span,
        "which MIG profile?",
    );
    match model.mig_profiles.first() {
        Some(m) if model.mig => d.with_help(format!("add the profile, e.g. `profile=\"{}\"`", m.name)),
        _ => d.with_help(format!("`{}` has no MIG; share it with `sharing=time-slicing replicas=N`", model.name)),
    }
}
