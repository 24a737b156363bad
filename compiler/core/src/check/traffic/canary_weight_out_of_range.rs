//! HY5002 canary-weight-out-of-range: a canary weight is a percentage of
//! traffic, 0 to 100.

use crate::check::prelude::*;

pub fn check(_: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(tr) = w.service().and_then(|s| s.traffic.as_ref()) else { return };
    for c in &tr.canaries {
        if !(0..=MAX_WEIGHT).contains(&c.weight.value) {
            out.push(canary_weight_out_of_range(c));
        }
    }
}

/// HY5002
pub fn canary_weight_out_of_range(c: &Canary) -> Diagnostic {
    Diagnostic::new(
        &codes::CANARY_WEIGHT_OUT_OF_RANGE,
        format!("canary `{}` has weight {}; a weight is a percentage from 0 to {MAX_WEIGHT}", c.name, c.weight.value),
        c.weight.span,
        "not a percentage",
    )
    .with_help(format!("write the share of traffic for the canary, from 0 to {MAX_WEIGHT}, e.g. `weight=5`"))
}
