//! HY5001 traffic-without-mesh: a `traffic` block, or being the target of a
//! `migrate`, needs `mesh istio` on every cluster the service is placed on;
//! elsewhere nothing would route.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for w in &t.workloads {
        let Some(s) = w.service() else { continue };
        let Some(tr) = &s.traffic else { continue };
        for p in &s.placement {
            let c = t.cluster(p.value);
            if c.kubernetes().is_some_and(|k| k.mesh.is_none()) {
                out.push(traffic_without_mesh(w, tr.span, "has traffic policies", p, &c.name));
            }
        }
    }
    for m in &t.migrations {
        let w = t.workload(m.to.value);
        let Some(s) = w.service() else { continue };
        for p in &s.placement {
            let c = t.cluster(p.value);
            if c.kubernetes().is_some_and(|k| k.mesh.is_none()) {
                out.push(traffic_without_mesh(
                    w,
                    m.to.span,
                    &format!("receives the traffic of `migrate {}`", m.name),
                    p,
                    &c.name,
                ));
            }
        }
    }
}

/// HY5001
pub fn traffic_without_mesh(w: &Workload, span: Span, what: &str, p: &Spanned<ClusterId>, cluster: &str) -> Diagnostic {
    Diagnostic::new(
        &codes::TRAFFIC_WITHOUT_MESH,
        format!("`{}` {what} but `{cluster}` has no service mesh", w.name),
        span,
        "needs a mesh",
    )
    .with_label(p.span, format!("placed on `{cluster}`"))
    .with_help(format!("add `mesh istio` to `kubernetes {cluster}`, or remove the `traffic` block"))
}
