//! HY2005 single-replica: a service with one replica and no autoscaling in
//! a topology that declares a `link` (built for disaster recovery): one
//! node failure takes it down.

use crate::check::prelude::*;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    if t.links.is_empty() {
        return;
    }
    let Some(s) = w.service() else { return };
    if s.replicas.value == 1 && s.autoscale.is_none() {
        out.push(single_replica(w, s));
    }
}

/// HY2005
pub fn single_replica(w: &Workload, s: &Service) -> Diagnostic {
    let span = if s.replicas.span == w.span { w.span } else { s.replicas.span };
    Diagnostic::new(&codes::SINGLE_REPLICA, format!("service `{}` runs a single replica", w.name), span, "one replica")
        .with_help("run at least two replicas (`replicas 2`) or add `autoscale min=2 max=…`")
}
