//! HY7001 workload-on-wrong-cluster: services and jobs run in containers;
//! they can only be placed on kubernetes clusters.

use crate::check::prelude::*;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let places = match &w.kind {
        WorkloadKind::Service(s) => s.placement.as_slice(),
        WorkloadKind::Job(j) => std::slice::from_ref(&j.placement),
        WorkloadKind::Vm(_) => return,
    };
    for p in places {
        let c = t.cluster(p.value);
        if c.kubernetes().is_none() {
            out.push(workload_on_wrong_cluster(w, p, c));
        }
    }
}

/// HY7001
pub fn workload_on_wrong_cluster(w: &Workload, p: &Spanned<ClusterId>, c: &Cluster) -> Diagnostic {
    Diagnostic::new(
        &codes::WORKLOAD_ON_WRONG_CLUSTER,
        format!(
            "{} `{}` is placed on `{}`, {} cluster",
            w.kind_word(),
            w.name,
            c.name,
            crate::diags::a_or_an(c.kind_word())
        ),
        p.span,
        "not a kubernetes cluster",
    )
    .with_label(c.span, format!("`{}` is declared as {} cluster here", c.name, crate::diags::a_or_an(c.kind_word())))
    .with_help(format!("place the {} on a kubernetes cluster, or declare it as a `vm`", w.kind_word()))
}
