//! HY6005 unencrypted-internet-replication: replicated data must not cross
//! an `internet` link unless the link is `encrypted=#true`.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for r in &t.replications {
        let Some(link) = replication_link(t, r) else { continue };
        if let Some(kind) = &link.kind {
            if kind.value == LinkKind::Internet && !link.encrypted {
                out.push(unencrypted_internet_replication(r, link, kind.span));
            }
        }
    }
}

/// HY6005
pub fn unencrypted_internet_replication(r: &Replication, link: &Link, kind: Span) -> Diagnostic {
    Diagnostic::new(
        &codes::UNENCRYPTED_INTERNET_REPLICATION,
        format!("replication `{}` sends data over an unencrypted internet link", r.name),
        r.to.span,
        "replicated over the internet",
    )
    .with_label(kind, "kind=internet, not encrypted")
    .with_label(link.span, "link declared here")
    .with_help("encrypt the link (a VPN or TLS tunnel) and say so: `encrypted=#true`")
}
