//! HY5003 two-canaries: one service rolls out one canary at a time; two
//! would split traffic three ways with no way to tell which one failed.

use crate::check::prelude::*;

pub fn check(_: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(tr) = w.service().and_then(|s| s.traffic.as_ref()) else { return };
    if let [first, rest @ ..] = tr.canaries.as_slice() {
        for c in rest {
            out.push(two_canaries(w, first, c));
        }
    }
}

/// HY5003
pub fn two_canaries(w: &Workload, first: &Canary, second: &Canary) -> Diagnostic {
    Diagnostic::new(
        &codes::TWO_CANARIES,
        format!("service `{}` has more than one canary", w.name),
        second.span,
        "second canary",
    )
    .with_label(first.span, "first canary")
    .with_help(format!("finish or remove canary `{}` first; use `variant` for A/B tests", first.name))
}
