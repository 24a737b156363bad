//! HY0048 duplicate-service-port: two ports of a service that its
//! Kubernetes Service would listen on at the same number (`service-port=`,
//! or the container port without it). Kubernetes refuses a Service with
//! two ports of one number and protocol.

use crate::check::prelude::*;

pub fn check(_: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(s) = w.service() else { return };
    for (i, p) in s.ports.iter().enumerate() {
        let earlier = s.ports.iter().take(i).find(|e| e.service_number() == p.service_number());
        if let Some(e) = earlier {
            out.push(duplicate_service_port(w, p, e));
        }
    }
}

/// The span of the number a port listens on at the Service.
fn listening(p: &Port) -> Span {
    p.service_port.as_ref().map_or(p.span, |s| s.span)
}

/// HY0048
pub fn duplicate_service_port(w: &Workload, port: &Port, earlier: &Port) -> Diagnostic {
    let n = port.service_number();
    Diagnostic::new(
        &codes::DUPLICATE_SERVICE_PORT,
        format!("service `{}` listens on port {n} twice", w.name),
        listening(port),
        "listens on the same port",
    )
    .with_label(listening(earlier), "first here")
    .with_help(format!("give port {} a `service-port` of its own, or remove one of them", port.number))
}
