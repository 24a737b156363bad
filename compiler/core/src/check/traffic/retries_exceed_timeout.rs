//! HY5008 retries-exceed-timeout: `attempts × per-try-timeout` longer than
//! the request `timeout`: the last retries can never happen.

use crate::check::prelude::*;

pub fn check(_: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(tr) = w.service().and_then(|s| s.traffic.as_ref()) else { return };
    let (Some(r), Some(timeout)) = (&tr.retry, &tr.timeout) else { return };
    let (Some(n), Some(per_try)) = (r.attempts, r.per_try_timeout) else { return };
    let total = per_try.saturating_mul(n);
    if total > timeout.value {
        out.push(retries_exceed_timeout(w, r, timeout, total));
    }
}

/// HY5008
pub fn retries_exceed_timeout(
    w: &Workload,
    r: &Retry,
    timeout: &Spanned<std::time::Duration>,
    total: std::time::Duration,
) -> Diagnostic {
    Diagnostic::new(
        &codes::RETRIES_EXCEED_TIMEOUT,
        format!(
            "retries of `{}` can take {} but requests time out after {}",
            w.name,
            format_duration(total),
            format_duration(timeout.value)
        ),
        r.span,
        "retries outlast the timeout",
    )
    .with_label(timeout.span, "timeout")
    .with_help("lower `attempts` or `per-try-timeout`, or raise `timeout`")
}
