//! HY4005 mig-profile-not-offered: a `sharing=mig` pool names a MIG profile
//! its GPU model does not offer (or the model has no MIG at all). The
//! profiles come from `std/gpu`, never from the compiler. (A workload
//! asking for a profile no pool offers is HY4008; one asking for this
//! pool's profile is not reported again.)

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for c in &t.clusters {
        let Some(k) = c.kubernetes() else { continue };
        for p in k.pools.iter().filter(|p| mig_profile_invalid(t, p)) {
            let Some((g, profile)) = p.gpu.as_ref().and_then(|g| Some((g, g.profile.as_ref()?))) else { continue };
            out.push(mig_profile_not_offered(t.gpu_model(g.model), profile));
        }
    }
}

/// HY4005
pub fn mig_profile_not_offered(model: &GpuModel, profile: &Spanned<String>) -> Diagnostic {
    let offered: Vec<&str> = model.mig_profiles.iter().map(|p| p.name.as_str()).collect();
    let d = Diagnostic::new(
        &codes::MIG_PROFILE_NOT_OFFERED,
        format!("`{}` does not offer the MIG profile `{}`", model.name, profile.value),
        profile.span,
        "not a profile of this GPU",
    );
    if !model.mig {
        return d.with_help(format!("`{}` has no MIG; share it with `sharing=time-slicing replicas=N`", model.name));
    }
    match did_you_mean(&profile.value, offered.iter().copied()) {
        Some(s) => d.with_help(format!("did you mean `{s}`? `{}` offers {}", model.name, join_quoted(&offered))),
        None => d.with_help(format!("`{}` offers {}", model.name, join_quoted(&offered))),
    }
}
