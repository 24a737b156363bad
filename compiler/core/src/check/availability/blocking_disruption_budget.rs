//! HY2003 blocking-disruption-budget: `max-unavailable=0`, or a
//! `min-available` at or above the replica count, blocks every voluntary
//! eviction: node drains and cluster upgrades hang.

use crate::check::prelude::*;

pub fn check(_: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(s) = w.service() else { return };
    let replicas = match &s.autoscale {
        Some(a) => a.min.as_ref().map_or(s.replicas.value, |m| m.value),
        None => s.replicas.value,
    };
    match &s.disruption {
        Some(Disruption::MaxUnavailable(m)) if m.value == 0 => {
            out.push(blocking_disruption_budget(
                w,
                m.span,
                "`max-unavailable=0` lets no replica go".into(),
                "max-unavailable=1",
            ));
        }
        Some(Disruption::MinAvailable(m)) if m.value > 0 && m.value >= replicas => {
            out.push(blocking_disruption_budget(
                w,
                m.span,
                format!("`min-available={}` with {replicas} replicas lets no replica go", m.value),
                &format!("min-available={}", replicas.saturating_sub(1)),
            ))
        }
        _ => {}
    }
}

/// HY2003
pub fn blocking_disruption_budget(w: &Workload, span: Span, why: String, fix: &str) -> Diagnostic {
    Diagnostic::new(
        &codes::BLOCKING_DISRUPTION_BUDGET,
        format!("the disruption budget of `{}` blocks every voluntary eviction", w.name),
        span,
        why,
    )
    .with_help(format!("allow one replica to be evicted: `disruption {fix}`"))
}
