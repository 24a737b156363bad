//! HY5018 progressive-with-static-rollout: a progressive canary hands the
//! service's routing to Flagger, which writes its VirtualService and
//! DestinationRules itself (`NAME-primary`, `NAME-canary`); a static
//! canary, blue-green, variant or mirror of the same service, or a
//! `migrate` into it, would need routes and subsets of hybridc's own for
//! the same host.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for w in &t.workloads {
        let Some(tr) = w.service().and_then(|s| s.traffic.as_ref()) else { continue };
        let Some(p) = &tr.progressive else { continue };
        let statics = tr
            .canaries
            .iter()
            .map(|c| (format!("canary `{}`", c.name), c.span))
            .chain(tr.blue_green.iter().map(|bg| ("`blue-green`".to_string(), bg.span)))
            .chain(tr.variants.iter().map(|v| (format!("variant `{}`", v.name), v.span)))
            .chain(tr.mirror.iter().map(|m| (format!("mirror `{}`", m.name), m.span)));
        for (what, span) in statics {
            out.push(progressive_with_static_rollout(w, &what, span, p.span));
        }
    }
    for m in &t.migrations {
        let w = t.workload(m.to.value);
        if let Some(p) = w.service().and_then(|s| s.progressive()) {
            out.push(progressive_with_static_rollout(w, &format!("`migrate {}`", m.name), m.to.span, p.span));
        }
    }
}

/// HY5018
pub fn progressive_with_static_rollout(w: &Workload, what: &str, span: Span, progressive: Span) -> Diagnostic {
    Diagnostic::new(
        &codes::PROGRESSIVE_WITH_STATIC_ROLLOUT,
        format!("{what} routes `{}` by hand, but its progressive canary hands its routing to Flagger", w.name),
        span,
        "a static route",
    )
    .with_label(progressive, "Flagger owns the routing from here")
    .with_help(format!("remove {what}, or remove `progressive` from `{}` and keep the static split", w.name))
}
