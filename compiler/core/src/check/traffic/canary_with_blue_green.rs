//! HY5004 canary-with-blue-green: a canary splits traffic by weight while
//! blue-green sends all of it to one colour; together they contradict.

use crate::check::prelude::*;

pub fn check(_: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(tr) = w.service().and_then(|s| s.traffic.as_ref()) else { return };
    if let (Some(c), Some(bg)) = (tr.canaries.first(), &tr.blue_green) {
        out.push(canary_with_blue_green(w, c, bg));
    }
}

/// HY5004
pub fn canary_with_blue_green(w: &Workload, c: &Canary, bg: &BlueGreen) -> Diagnostic {
    Diagnostic::new(
        &codes::CANARY_WITH_BLUE_GREEN,
        format!("service `{}` has both a canary and blue-green", w.name),
        c.span,
        "canary",
    )
    .with_label(bg.span, "blue-green")
    .with_help("choose one rollout: a weighted canary or a blue-green switch")
}
