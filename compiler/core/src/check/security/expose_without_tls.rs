//! HY6001 expose-without-tls: a service reachable from outside the mesh
//! must terminate TLS at the gateway.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for w in &t.workloads {
        let Some(e) = w.service().and_then(|s| s.expose.as_ref()) else { continue };
        if !e.tls.value {
            out.push(expose_without_tls(w, e));
        }
    }
}

/// HY6001
pub fn expose_without_tls(w: &Workload, e: &Expose) -> Diagnostic {
    Diagnostic::new(
        &codes::EXPOSE_WITHOUT_TLS,
        format!("`{}` is exposed at `{}` without TLS", w.name, e.host),
        e.tls.span,
        "plain text",
    )
    .with_help(format!("write `expose host=\"{}\" tls=#true`", e.host))
}
