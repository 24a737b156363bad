//! HY5016 failover-without-outlier-detection: a service placed in two or
//! more clusters of one mesh fails over between them through Istio's
//! locality load balancing, which moves traffic away from a locality only
//! once outlier detection has ejected its endpoints ("outlier detection
//! must be enabled for locality failover to function", istio.io locality
//! failover). The service's `circuit-breaker` is that outlier detection.

use crate::check::prelude::*;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(s) = w.service() else { return };
    if !t.fails_over(s) || s.traffic.as_ref().is_some_and(|tr| tr.circuit_breaker.is_some()) {
        return;
    }
    out.push(failover_without_outlier_detection(t, w, s));
}

/// HY5016
pub fn failover_without_outlier_detection(t: &Topology, w: &Workload, s: &Service) -> Diagnostic {
    let clusters: Vec<&str> = s.placement.iter().map(|p| t.cluster(p.value).name.as_str()).collect();
    let mesh = s.placement.iter().find_map(|p| t.mesh_of(p.value)).map(|m| m.name.as_str()).unwrap_or_default();
    Diagnostic::new(
        &codes::FAILOVER_WITHOUT_OUTLIER_DETECTION,
        format!("`{}` fails over between the clusters of mesh `{mesh}` but has no `circuit-breaker`", w.name),
        s.placement_span,
        format!("placed in {}", join_quoted(&clusters)),
    )
    .with_help(format!(
        "add `traffic {{ circuit-breaker consecutive-errors=5 interval=\"10s\" ejection=\"30s\" }}` to `{}`: \
         Istio fails over only from endpoints its outlier detection ejects",
        w.name
    ))
}
