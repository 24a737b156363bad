//! HY3001 sync-replication-over-slow-link: `mode=sync` between sites whose
//! link round trip is above 5 ms: every write would wait a round trip.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for r in &t.replications {
        if r.mode.value != ReplicationMode::Sync {
            continue;
        }
        if let Some(link) = replication_link(t, r) {
            if link.latency.value > SYNC_REPLICATION_MAX_RTT {
                out.push(sync_replication_over_slow_link(t, r, link));
            }
        }
    }
}

/// HY3001
pub fn sync_replication_over_slow_link(t: &Topology, r: &Replication, link: &Link) -> Diagnostic {
    let latency = format_duration(link.latency.value);
    Diagnostic::new(
        &codes::SYNC_REPLICATION_OVER_SLOW_LINK,
        format!(
            "synchronous replication `{}` runs over {} link between `{}` and `{}`",
            r.name,
            crate::diags::a_or_an(&latency),
            t.site(link.a.value).name,
            t.site(link.b.value).name
        ),
        r.mode.span,
        "every write waits a round trip",
    )
    .with_label(link.latency.span, format!("link declared here with latency=\"{latency}\""))
    .with_help(format!(
        "use `mode=async` with a non-zero rpo, or pick a site within {} round trip",
        format_duration(SYNC_REPLICATION_MAX_RTT)
    ))
}
