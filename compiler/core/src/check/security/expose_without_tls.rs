//! HY6001 expose-without-tls: a service reachable from outside the mesh
//! must terminate TLS at the gateway.

use crate::check::prelude::*;

pub fn check(_: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(e) = w.service().and_then(|s| s.expose.as_ref()) else { return };
    if !e.tls.value {
        out.push(expose_without_tls(w, e));
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
