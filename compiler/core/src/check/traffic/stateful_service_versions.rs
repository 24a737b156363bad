//! HY5009 stateful-service-versions: a canary, variant, blue-green or
//! progressive canary on a service with `volume`s (Flagger's canary of a
//! StatefulSet would be one too, and Flagger rolls out Deployments only). Each version of a service is a StatefulSet of
//! its own with claims of its own, so the new version would start with
//! empty volumes and answer the users the mesh sends it from data the
//! others never see (blue-green: switch `active` and every user lands on an
//! empty store). A `mirror` is allowed: it answers no user, and its own
//! volumes keep the copied writes away from the real data.

use crate::check::prelude::*;

pub fn check(_: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(s) = w.service() else { return };
    let (Some(tr), Some(volume)) = (&s.traffic, s.volumes.first()) else { return };
    let versions = tr
        .canaries
        .iter()
        .map(|c| ("canary", c.name.as_str(), c.span))
        .chain(tr.variants.iter().map(|v| ("variant", v.name.as_str(), v.span)))
        .chain(tr.blue_green.iter().map(|bg| ("blue-green", "green", bg.span)))
        .chain(tr.progressive.iter().map(|p| ("progressive canary", "canary", p.span)));
    for (kind, name, span) in versions {
        out.push(stateful_service_versions(w, kind, name, span, volume));
    }
}

/// HY5009
pub fn stateful_service_versions(w: &Workload, kind: &str, name: &str, span: Span, volume: &Volume) -> Diagnostic {
    let (what, remove) = match kind {
        "blue-green" => ("the green copy of".to_string(), "the `blue-green`".to_string()),
        "progressive canary" => ("the progressive canary of".to_string(), "`progressive`".to_string()),
        _ => (format!("the {kind} `{name}` of"), format!("the {kind} `{name}`")),
    };
    Diagnostic::new(
        &codes::STATEFUL_SERVICE_VERSIONS,
        format!("{what} `{}` would start with empty volumes of its own and serve users from them", w.name),
        span,
        format!("a {kind} of a stateful service"),
    )
    .with_label(volume.span, "each version gets its own copy of this volume")
    .with_help(format!(
        "remove {remove} of `{}`: keep the data in a service of its own and split traffic in the service that calls it, or roll the new image out by changing `image`",
        w.name
    ))
}
