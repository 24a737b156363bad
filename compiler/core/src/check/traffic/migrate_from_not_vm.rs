//! HY5005 migrate-from-not-vm: `migrate` moves a vm's traffic; `from` must
//! be a `vm` with a `port` (its first port is the one migrated).

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for m in &t.migrations {
        let from = t.workload(m.from.value);
        match from.vm() {
            None => out.push(migrate_from_not_vm(m, from, format!("`{}` is a {}", from.name, from.kind_word()))),
            Some(vm) if vm.ports.is_empty() => {
                out.push(migrate_from_not_vm(m, from, format!("vm `{}` has no port", from.name)))
            }
            Some(_) => {}
        }
    }
}

/// HY5005
pub fn migrate_from_not_vm(m: &Migration, from: &Workload, why: String) -> Diagnostic {
    Diagnostic::new(
        &codes::MIGRATE_FROM_NOT_VM,
        format!("`migrate {}` must start from a vm with a port: {why}", m.name),
        m.from.span,
        "not a vm with a port",
    )
    .with_label(from.span, "declared here")
    .with_help("name a vm in `from=` and give it the `port` whose traffic moves")
}
