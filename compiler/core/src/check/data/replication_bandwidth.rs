//! HY3006 replication-bandwidth: synchronous replication over a link below
//! 1 Gbps: the link, not the pool, would set the write throughput.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for r in &t.replications {
        if r.mode.value != ReplicationMode::Sync {
            continue;
        }
        if let Some(link) = replication_link(t, r) {
            if link.bandwidth.value.0 < SYNC_REPLICATION_MIN_BANDWIDTH_BPS {
                out.push(replication_bandwidth(r, link));
            }
        }
    }
}

/// HY3006
pub fn replication_bandwidth(r: &Replication, link: &Link) -> Diagnostic {
    Diagnostic::new(
        &codes::REPLICATION_BANDWIDTH,
        format!("synchronous replication `{}` runs over a {} link", r.name, link.bandwidth.value),
        r.mode.span,
        "writes limited by the link",
    )
    .with_label(link.bandwidth.span, format!("bandwidth=\"{}\"", link.bandwidth.value))
    .with_help(format!(
        "give the link at least {} or replicate asynchronously",
        Bandwidth(SYNC_REPLICATION_MIN_BANDWIDTH_BPS)
    ))
}
