//! HY4019 limit-below-request: `resources cpu-limit=` or `memory-limit=`
//! below the request written beside it. Kubernetes refuses a container
//! whose limit is below its request, so the pods are never created.

use crate::check::prelude::*;

pub fn check(_: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(r) = resources_of(w) else { return };
    if let (Some(request), Some(limit)) = (r.cpu, &r.cpu_limit) {
        if limit.value < request {
            out.push(limit_below_request(w, r.span, limit.span, "cpu", &request.to_string(), &limit.value.to_string()));
        }
    }
    if let (Some(request), Some(limit)) = (r.memory, &r.memory_limit) {
        if limit.value < request {
            out.push(limit_below_request(
                w,
                r.span,
                limit.span,
                "memory",
                &request.to_string(),
                &limit.value.to_string(),
            ));
        }
    }
}

/// HY4019
pub fn limit_below_request(
    w: &Workload,
    resources: Span,
    limit: Span,
    what: &str,
    request: &str,
    limit_value: &str,
) -> Diagnostic {
    Diagnostic::new(
        &codes::LIMIT_BELOW_REQUEST,
        format!("`{}` limits its {what} to {limit_value}, below its request of {request}", w.name),
        limit,
        "below the request",
    )
    .with_label(resources, "the requests")
    .with_help(format!(
        "raise `{what}-limit` to at least the request, e.g. `{what}-limit={request:?}`, or lower `{what}`"
    ))
}
