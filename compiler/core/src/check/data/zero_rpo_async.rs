//! HY3002 zero-rpo-async: `rpo="0s"` promises no data loss, which only
//! synchronous replication can keep.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for r in &t.replications {
        if r.mode.value == ReplicationMode::Async && r.rpo.value.is_zero() {
            out.push(zero_rpo_async(r));
        }
    }
}

/// HY3002
pub fn zero_rpo_async(r: &Replication) -> Diagnostic {
    Diagnostic::new(
        &codes::ZERO_RPO_ASYNC,
        format!("replication `{}` is asynchronous but promises an RPO of zero", r.name),
        r.rpo.span,
        "no data loss promised",
    )
    .with_label(r.mode.span, "asynchronous")
    .with_help("state the RPO asynchronous replication can keep, e.g. `rpo=\"5m\"`")
}
