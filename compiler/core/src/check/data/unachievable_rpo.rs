//! HY3011 unachievable-rpo: a replication between two sites promises an
//! RPO below the best its mechanism delivers, or synchronous writes, when
//! the mechanism (vSphere Replication for two vSANs, Ceph RBD mirroring
//! for two ceph pools) is asynchronous. The output would replicate at the
//! mechanism's best, so the promise is not kept. A warning, raised to an
//! error when a `critical` workload keeps data in the source pool (the
//! convention of the failure analysis). An asynchronous RPO of zero is
//! HY3002's concern.

use crate::check::prelude::*;
use hybrid_model::format_duration;
use std::time::Duration;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    let mut usage = None;
    for r in &t.replications {
        let Some(m) = t.replication_mechanism(r) else { continue };
        let below = r.rpo.value < m.best_rpo();
        let sync = r.mode.value == ReplicationMode::Sync;
        let zero_async = !sync && r.rpo.value.is_zero();
        if zero_async || !(below || sync) {
            continue;
        }
        let usage = usage.get_or_insert_with(|| storage_usage(t));
        let critical =
            usage.get(r.from.value.index()).is_some_and(|users| users.iter().any(|w| t.workload(*w).critical));
        let d = unachievable_rpo(r, m, t.delivered_rpo(r));
        out.push(if critical { d.with_severity(Severity::Error) } else { d });
    }
}

/// HY3011: `delivered` is the RPO the output gets from `m` for `r`.
pub fn unachievable_rpo(r: &Replication, m: ReplicationMechanism, delivered: Duration) -> Diagnostic {
    let (name, mechanism) = (&r.name, m.name());
    let asynchronous = format!("{mechanism} replicates asynchronously");
    let d = if r.rpo.value < m.best_rpo() {
        let d = Diagnostic::new(
            &codes::UNACHIEVABLE_RPO,
            format!(
                "replication `{name}` promises an RPO of {}, but {mechanism} delivers {} at best",
                format_duration(r.rpo.value),
                format_duration(m.best_rpo())
            ),
            r.rpo.span,
            format!("{mechanism} cannot keep this"),
        );
        match r.mode.value {
            ReplicationMode::Sync => d.with_label(r.mode.span, asynchronous),
            ReplicationMode::Async => d,
        }
    } else {
        Diagnostic::new(
            &codes::UNACHIEVABLE_RPO,
            format!("replication `{name}` is synchronous, but {mechanism} is asynchronous"),
            r.mode.span,
            asynchronous,
        )
    };
    d.with_help(format!(
        "promise what it delivers, `mode=async rpo=\"{}\"`; for an RPO of zero use {} within {} round trip, \
         or synchronous replication in the application (a database's synchronous standby)",
        format_duration(delivered),
        m.zero_rpo_way(),
        format_duration(SYNC_REPLICATION_MAX_RTT)
    ))
}
