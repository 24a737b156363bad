//! HY4010 gang-without-volcano: `gang` needs a gang scheduler; the default
//! Kubernetes scheduler starts workers one by one.

use crate::check::prelude::*;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(j) = w.job() else { return };
    let Some(g) = &j.gang else { return };
    let Some(k) = t.cluster(j.placement.value).kubernetes() else { return };
    if g.value && !k.volcano {
        out.push(gang_without_volcano(w, g.span, &t.cluster(j.placement.value).name));
    }
}

/// HY4010
pub fn gang_without_volcano(w: &Workload, span: Span, cluster: &str) -> Diagnostic {
    Diagnostic::new(
        &codes::GANG_WITHOUT_VOLCANO,
        format!("job `{}` is gang-scheduled but `{cluster}` has no gang scheduler", w.name),
        span,
        "needs `scheduler volcano`",
    )
    .with_help(format!("add `scheduler volcano` to `kubernetes {cluster}`, or remove `gang`"))
}
