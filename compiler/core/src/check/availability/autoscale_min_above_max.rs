//! HY2010 autoscale-min-above-max: `autoscale min=N max=M` with `N` above
//! `M`. Kubernetes refuses a HorizontalPodAutoscaler whose `maxReplicas`
//! is below its `minReplicas`.

use crate::check::prelude::*;

pub fn check(_: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(a) = w.service().and_then(|s| s.autoscale.as_ref()) else { return };
    if let (Some(min), Some(max)) = (&a.min, &a.max) {
        if min.value > max.value {
            out.push(autoscale_min_above_max(w, min, max));
        }
    }
}

/// HY2010
pub fn autoscale_min_above_max(w: &Workload, min: &Spanned<u32>, max: &Spanned<u32>) -> Diagnostic {
    let (lo, hi) = (min.value, max.value);
    Diagnostic::new(
        &codes::AUTOSCALE_MIN_ABOVE_MAX,
        format!("the autoscaler of `{}` has `min={lo}` above `max={hi}`", w.name),
        min.span,
        "the fewest replicas",
    )
    .with_label(max.span, "the most replicas")
    .with_help(format!("make `min` at most `max`, e.g. `autoscale min={hi} max={lo}`"))
}
