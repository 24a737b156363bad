//! HY5020 rate-limit-interval-too-short: Envoy's local rate limit refills
//! its token bucket every `fill_interval`, and refuses an interval under
//! 50ms: the sidecars would reject the EnvoyFilter and admit every
//! request.

use crate::check::prelude::*;

pub fn check(_: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(r) = w.service().and_then(|s| s.traffic.as_ref()).and_then(|tr| tr.rate_limit.as_ref()) else {
        return;
    };
    if r.per.value < RATE_LIMIT_MIN_FILL_INTERVAL {
        out.push(rate_limit_interval_too_short(w, r));
    }
}

/// HY5020
pub fn rate_limit_interval_too_short(w: &Workload, r: &RateLimit) -> Diagnostic {
    let min = RATE_LIMIT_MIN_FILL_INTERVAL.as_millis();
    let ms = r.per.value.as_millis();
    // The same rate over the shortest interval Envoy accepts.
    let scaled = (u128::from(r.requests) * min).div_ceil(ms.max(1));
    Diagnostic::new(
        &codes::RATE_LIMIT_INTERVAL_TOO_SHORT,
        format!(
            "the rate limit of `{}` refills every {ms}ms; Envoy refills a token bucket at most every {min}ms",
            w.name
        ),
        r.per.span,
        format!("shorter than {min}ms"),
    )
    .with_help(format!("state the same rate over a longer period: `requests={scaled} per=\"{min}ms\"`"))
}
