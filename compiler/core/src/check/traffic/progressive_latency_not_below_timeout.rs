//! HY5023 progressive-latency-not-below-timeout: Flagger's
//! `request-duration` check fails a step when the 99th percentile of the
//! request durations Istio reports is above `latency`. The service's
//! `timeout` ends every request that lasts longer, so when `latency` is the
//! timeout or more no duration can exceed it: the check can never fail, and
//! a slower version is promoted as long as its requests succeed.

use crate::check::prelude::*;

pub fn check(_: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(tr) = w.service().and_then(|s| s.traffic.as_ref()) else { return };
    let (Some(p), Some(timeout)) = (&tr.progressive, &tr.timeout) else { return };
    if p.latency.value >= timeout.value {
        out.push(progressive_latency_not_below_timeout(w, p, timeout));
    }
}

/// HY5023
pub fn progressive_latency_not_below_timeout(
    w: &Workload,
    p: &Progressive,
    timeout: &Spanned<std::time::Duration>,
) -> Diagnostic {
    let latency = format_duration(p.latency.value);
    // A latency left to its default carries the span of `progressive`.
    let label =
        if p.latency.span == p.span { format!("latency {latency} by default") } else { "the latency checked".into() };
    Diagnostic::new(
        &codes::PROGRESSIVE_LATENCY_NOT_BELOW_TIMEOUT,
        format!(
            "the progressive canary of `{}` fails a step above a latency of {latency}, but its requests time out after {}: the latency check can never fail",
            w.name,
            format_duration(timeout.value)
        ),
        p.latency.span,
        label,
    )
    .with_label(timeout.span, "ends every request first")
    .with_help("set `latency` below the timeout, to the slowest answer users should wait for, or raise `timeout`")
}
