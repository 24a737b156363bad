//! HY0053 mesh-member-without-istio: a `mesh` spans the Istio control
//! planes of its members, so each member must run one (`mesh istio`).

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for m in &t.meshes {
        for member in &m.members {
            let c = t.cluster(member.cluster.value);
            if c.kubernetes().is_some_and(|k| k.mesh.is_none()) {
                out.push(mesh_member_without_istio(m, member, c));
            }
        }
    }
}

/// HY0053
pub fn mesh_member_without_istio(m: &ClusterMesh, member: &MeshMember, c: &Cluster) -> Diagnostic {
    Diagnostic::new(
        &codes::MESH_MEMBER_WITHOUT_ISTIO,
        format!("mesh `{}` spans `{}`, which runs no service mesh", m.name, c.name),
        member.cluster.span,
        "no `mesh istio` in this cluster",
    )
    .with_label(c.span, "declared here")
    .with_help(format!("add `mesh istio` to `kubernetes {}`, or remove `member {}`", c.name, c.name))
}
