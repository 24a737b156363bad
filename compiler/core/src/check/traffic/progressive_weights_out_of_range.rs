//! HY5019 progressive-weights-out-of-range: Flagger moves `step`% of the
//! traffic to the canary every interval and promotes it once the weight
//! reaches `max`%. A `max` outside 1..100 is no share of traffic; a `step`
//! of 0 never advances (the canary is never promoted), and a `step` above
//! `max` sends more than `max`% to the canary at the first step.

use crate::check::prelude::*;

pub fn check(_: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(p) = w.service().and_then(|s| s.progressive()) else { return };
    if !(1..=MAX_WEIGHT).contains(&p.max.value) {
        out.push(progressive_weights_out_of_range(w, "max", &p.max, format!("1 to {MAX_WEIGHT}")));
    } else if !(1..=p.max.value).contains(&p.step.value) {
        out.push(progressive_weights_out_of_range(w, "step", &p.step, format!("1 to `max` ({})", p.max.value)));
    }
}

/// HY5019
pub fn progressive_weights_out_of_range(w: &Workload, prop: &str, value: &Spanned<i64>, range: String) -> Diagnostic {
    Diagnostic::new(
        &codes::PROGRESSIVE_WEIGHTS_OUT_OF_RANGE,
        format!("the progressive canary of `{}` has `{prop}={}`; it must be from {range}", w.name, value.value),
        value.span,
        "out of range",
    )
    .with_help(format!("write `{prop}=` from {range}, e.g. `step=10 max=50`"))
}
