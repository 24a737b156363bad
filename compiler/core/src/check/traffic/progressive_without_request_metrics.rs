//! HY5022 progressive-without-request-metrics: Flagger judges a canary by
//! its built-in `request-success-rate` and `request-duration`, which query
//! Istio's request metrics (`istio_requests_total`,
//! `istio_request_duration_milliseconds`) reported by the sidecars for
//! HTTP and gRPC. Istio reports only byte and connection counts for a TCP
//! port, so on the port Flagger routes (the service's first) there would be
//! no values to check: every check fails, and every rollout is rolled back.

use crate::check::prelude::*;

pub fn check(_: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(s) = w.service() else { return };
    let Some(p) = s.progressive() else { return };
    if let Some(port) = s.ports.first().filter(|port| port.protocol == Protocol::Tcp) {
        out.push(progressive_without_request_metrics(w, port, p.span));
    }
}

/// HY5022
pub fn progressive_without_request_metrics(w: &Workload, port: &Port, progressive: Span) -> Diagnostic {
    Diagnostic::new(
        &codes::PROGRESSIVE_WITHOUT_REQUEST_METRICS,
        format!(
            "the progressive canary of `{}` is routed on TCP port {}, for which Istio reports no request success rate or latency",
            w.name, port.number
        ),
        port.span,
        "a TCP port",
    )
    .with_label(progressive, "judged by request metrics")
    .with_help(format!(
        "declare the port's protocol (`protocol=http` or `protocol=grpc`) if it speaks one, or remove `progressive` from `{}`",
        w.name
    ))
}
