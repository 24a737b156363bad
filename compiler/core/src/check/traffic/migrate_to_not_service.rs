//! HY5006 migrate-to-not-service: the traffic of a `migrate` moves to a
//! `service` (containers in a mesh).

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for m in &t.migrations {
        let to = t.workload(m.to.value);
        if to.service().is_none() {
            out.push(migrate_to_not_service(m, to));
        }
    }
}

/// HY5006
pub fn migrate_to_not_service(m: &Migration, to: &Workload) -> Diagnostic {
    Diagnostic::new(
        &codes::MIGRATE_TO_NOT_SERVICE,
        format!("`migrate {}` must move traffic to a service, but `{}` is a {}", m.name, to.name, to.kind_word()),
        m.to.span,
        "not a service",
    )
    .with_label(to.span, "declared here")
    .with_help("name the service that replaces the vm in `to=`")
}
