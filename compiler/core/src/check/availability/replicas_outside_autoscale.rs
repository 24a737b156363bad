//! HY2009 replicas-outside-autoscale: a service whose written `replicas`
//! (in the service or a profile it uses) lies outside what its autoscaler
//! allows: below its `min`, above its `max`, or above its `min` when `max`
//! is not written (the autoscaler's maximum is then its minimum). With
//! `autoscale`, `replicas` is the count each version starts with, and the
//! autoscaler owns the count from then on; a count outside the range is
//! overridden at once, and says two things about one service. An unwritten
//! `replicas` starts an autoscaled service at its `min`.

use crate::check::prelude::*;

pub fn check(_: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(s) = w.service() else { return };
    let Some(a) = &s.autoscale else { return };
    if !s.replicas_written {
        return;
    }
    let n = s.replicas.value;
    let (min, max) = (a.min.as_ref().map(|m| m.value), a.max.as_ref().map(|m| m.value));
    // A `min` above `max` is HY2010's.
    if min.zip(max).is_some_and(|(lo, hi)| lo > hi) {
        return;
    }
    let (why, fix) = match (min, max) {
        (Some(lo), _) if n < lo => (format!("fewer than its autoscaler's `min={lo}`"), lo),
        (_, Some(hi)) if n > hi => (format!("more than its autoscaler's `max={hi}`"), hi),
        (Some(lo), None) if n > lo => {
            (format!("more than its autoscaler's maximum: without `max`, it is `min={lo}`"), lo)
        }
        _ => return,
    };
    out.push(replicas_outside_autoscale(w, n, s.replicas.span, a.span, &why, fix));
}

/// HY2009
pub fn replicas_outside_autoscale(
    w: &Workload,
    replicas: u32,
    span: Span,
    autoscale: Span,
    why: &str,
    fix: u32,
) -> Diagnostic {
    Diagnostic::new(
        &codes::REPLICAS_OUTSIDE_AUTOSCALE,
        format!("service `{}` starts with {replicas} replicas, {why}", w.name),
        span,
        format!("{replicas} replicas"),
    )
    .with_label(autoscale, "the autoscaler owns the count from the start")
    .with_help(format!("write `replicas {fix}`, or leave `replicas` out: an autoscaled service starts at its `min`"))
}
