//! HY0028 derived-name-too-long: a name that is valid on its own but makes
//! a name the targets derive from it longer than Kubernetes, Istio or
//! Volcano accept:
//!
//! * a service with volumes runs StatefulSets named `SERVICE` (or `blue`
//!   and `green` after it) and `SERVICE-VERSION` for each canary, variant
//!   and mirror; each name is at most 52 characters, as its pods carry it
//!   in the label `controller-revision-hash: NAME-HASH`;
//! * an exposed service in a mesh gets the Istio Gateway
//!   `SERVICE-gateway`, a DNS-1123 label of at most 63 characters;
//! * a job that runs on Volcano has the pods `JOB-worker-INDEX`, and
//!   Volcano refuses a job whose first pod name is over 63 characters.
//!
//! The error is on the name to shorten: a traffic version's when the
//! version makes the name too long, else the workload's.

use crate::check::prelude::*;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    match &w.kind {
        WorkloadKind::Service(s) => {
            if !s.volumes.is_empty() {
                statefulsets(w, s, out);
            }
            let meshed = s.placement.iter().any(|p| t.cluster(p.value).kubernetes().is_some_and(|k| k.mesh.is_some()));
            if let (Some(e), true) = (&s.expose, meshed) {
                let gateway = gateway_name(&w.name);
                if gateway.len() > GATEWAY_NAME_MAX {
                    let keep = GATEWAY_NAME_MAX.saturating_sub(gateway.len() - w.name.len());
                    out.push(
                        derived_name_too_long("Istio Gateway", &gateway, GATEWAY_NAME_MAX, &w.name, w.span, keep)
                            .with_label(e.span, format!("the mesh serves it through the Gateway `{gateway}`")),
                    );
                }
            }
        }
        WorkloadKind::Job(j) => {
            let volcano = t.cluster(j.placement.value).kubernetes().is_some_and(|k| j.runs_on_volcano(k));
            let pod = format!("{}-{VOLCANO_TASK}-0", w.name);
            if volcano && pod.len() > VOLCANO_POD_NAME_MAX {
                let keep = VOLCANO_POD_NAME_MAX.saturating_sub(pod.len() - w.name.len());
                out.push(
                    derived_name_too_long("Volcano pod", &pod, VOLCANO_POD_NAME_MAX, &w.name, w.span, keep)
                        .with_label(j.placement.span, "a Volcano Job on this cluster"),
                );
            }
        }
        WorkloadKind::Vm(_) => {}
    }
}

/// The StatefulSets of a service with volumes, one per version.
fn statefulsets(w: &Workload, s: &Service, out: &mut Vec<Diagnostic>) {
    let versions = s.versions();
    // The names the service's own name roots (the main version, or blue and
    // green): the longest decides how short the service name must be.
    let own = versions.iter().filter(|v| v.name_span.is_none()).map(|v| v.object_name(&w.name)).max_by_key(String::len);
    if let Some(object) = own.filter(|o| o.len() > STATEFULSET_NAME_MAX) {
        let keep = STATEFULSET_NAME_MAX.saturating_sub(object.len() - w.name.len());
        out.push(derived_name_too_long("StatefulSet", &object, STATEFULSET_NAME_MAX, &w.name, w.span, keep));
    }
    for v in &versions {
        let (Some(span), Some(version)) = (v.name_span, v.suffix) else { continue };
        let object = v.object_name(&w.name);
        if object.len() <= STATEFULSET_NAME_MAX {
            continue;
        }
        let keep = STATEFULSET_NAME_MAX.saturating_sub(w.name.len() + 1);
        let d = derived_name_too_long("StatefulSet", &object, STATEFULSET_NAME_MAX, version, span, keep)
            .with_label(w.span, format!("the StatefulSet names start with `{}-`", w.name));
        out.push(if keep == 0 {
            d.with_help(format!(
                "shorten the service name `{}` and `{version}` to at most {} characters together",
                w.name,
                STATEFULSET_NAME_MAX - 1
            ))
        } else {
            d
        });
    }
}

/// `name` cut to `keep` characters, without a trailing `-`.
fn shortened(name: &str, keep: usize) -> String {
    let cut: String = name.chars().take(keep).collect();
    cut.trim_end_matches('-').to_string()
}

/// HY0028
pub fn derived_name_too_long(kind: &str, derived: &str, max: usize, name: &str, span: Span, keep: usize) -> Diagnostic {
    let d = Diagnostic::new(
        &codes::DERIVED_NAME_TOO_LONG,
        format!("the {kind} name `{derived}` is {} characters long, more than {max}", derived.len()),
        span,
        format!("makes the {kind} name too long"),
    );
    if keep == 0 {
        return d;
    }
    d.with_help(format!("shorten `{name}` to at most {keep} characters, e.g. `{}`", shortened(name, keep)))
}
