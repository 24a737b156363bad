//! HY6013 call-across-meshes: an `allow-from` caller reaches a service's
//! copy in a cluster only from that cluster or from another member of the
//! cluster's mesh (`mesh NAME { member … }`): elsewhere the service's
//! name does not resolve, its AuthorizationPolicy knows no identity of
//! the caller's mesh, and no east-west path exists. A vm outside every
//! mesh is HY6006's, and one outside Kubernetes is reached by address.

use crate::check::prelude::*;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(s) = w.service() else { return };
    for caller in &s.allow_from {
        let cw = t.workload(caller.value);
        if cw.vm().is_some_and(|v| !t.vm_in_mesh(v)) {
            continue; // outside every mesh: HY6006
        }
        let from: Vec<ClusterId> = cw.placement().filter(|c| t.cluster(*c).kubernetes().is_some()).collect();
        if from.is_empty() {
            continue;
        }
        let unreached = s.placement.iter().find(|p| {
            t.cluster(p.value).kubernetes().is_some_and(|k| k.mesh.is_some())
                && !from.iter().any(|c| t.share_mesh(*c, p.value))
        });
        if let Some(p) = unreached {
            out.push(call_across_meshes(t, w, caller.span, cw, p, &from));
        }
    }
}

/// HY6013: `target` is the service's placement in a cluster that none of
/// the caller's clusters `from` shares a mesh with.
pub fn call_across_meshes(
    t: &Topology,
    w: &Workload,
    caller: Span,
    cw: &Workload,
    target: &Spanned<ClusterId>,
    from: &[ClusterId],
) -> Diagnostic {
    let there = &t.cluster(target.value).name;
    let callers: Vec<&str> = from.iter().map(|c| t.cluster(*c).name.as_str()).collect();
    let mut members = callers.clone();
    if !members.contains(&there.as_str()) {
        members.push(there);
    }
    let help = match from.first().and_then(|c| t.mesh_of(*c)).or_else(|| t.mesh_of(target.value)) {
        Some(m) => format!("add `member {there} network=…` to mesh `{}`, or place `{}` in `{there}`", m.name, cw.name),
        None => format!(
            "declare a mesh over these clusters: `mesh NAME {{ {} }}`",
            members.iter().map(|c| format!("member {c} network=…")).collect::<Vec<_>>().join("; ")
        ),
    };
    Diagnostic::new(
        &codes::CALL_ACROSS_MESHES,
        format!("`{}` admits `{}`, which runs in no cluster that shares a mesh with `{there}`", w.name, cw.name),
        caller,
        format!("runs in {}", join_quoted(&callers)),
    )
    .with_label(target.span, format!("`{}` runs in `{there}`", w.name))
    .with_help(help)
}
