//! HY0054 cluster-in-two-meshes: an Istio control plane belongs to one
//! mesh (one mesh ID, one trust domain, one network), so a cluster is a
//! member of one `mesh`, once.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    let mut seen: Vec<(ClusterId, &ClusterMesh, Span)> = Vec::new();
    for m in &t.meshes {
        for member in &m.members {
            let c = member.cluster.value;
            if let Some((_, first, span)) = seen.iter().find(|(id, _, _)| *id == c) {
                out.push(cluster_in_two_meshes(t, c, m, member.cluster.span, first, *span));
            } else {
                seen.push((c, m, member.cluster.span));
            }
        }
    }
}

/// HY0054: `span` is the second `member`, `first_span` the first.
pub fn cluster_in_two_meshes(
    t: &Topology,
    c: ClusterId,
    m: &ClusterMesh,
    span: Span,
    first: &ClusterMesh,
    first_span: Span,
) -> Diagnostic {
    let name = &t.cluster(c).name;
    let (message, help) = if first.name == m.name {
        (format!("`{name}` is a member of mesh `{}` twice", m.name), format!("remove one `member {name}`"))
    } else {
        (
            format!("`{name}` is a member of both mesh `{}` and mesh `{}`", first.name, m.name),
            format!("keep `member {name}` in one of the meshes: its Istio control plane belongs to one mesh"),
        )
    };
    Diagnostic::new(&codes::CLUSTER_IN_TWO_MESHES, message, span, "a second membership")
        .with_label(first_span, "first a member here")
        .with_help(help)
}
