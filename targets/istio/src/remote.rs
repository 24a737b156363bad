//! The routing of a service that a cluster's workloads call in other
//! members of its mesh. In a multi-primary mesh each control plane reads
//! its own cluster's configuration, so a service's VirtualService and
//! DestinationRule reach the callers of the clusters it runs in only: for
//! the clusters where only its `allow-from` callers run, a copy goes into
//! each caller's namespace (Istio applies a client namespace's rules to
//! its sidecars), named `SERVICE.NAMESPACE` — the same routes and subsets
//! for the in-mesh host, and locality failover from the callers' region to
//! the nearest region the service runs in.

use crate::{host, meta, traffic, Ctx};
use hybrid_emit::mesh;
use hybrid_emit::Value;
use hybrid_model::{Service, Workload};

/// The routing copies of service `w` for the callers of this cluster, by
/// namespace (in `allow-from` order); none where the service runs, without
/// routing of its own, or with no caller here that shares its mesh.
pub fn objects(ctx: &Ctx<'_>, w: &Workload, s: &Service) -> Vec<(String, Vec<Value>)> {
    let t = ctx.t;
    let runs_here = s.placement.iter().any(|p| p.value == ctx.id);
    let reachable = s.placement.iter().any(|p| t.share_mesh(ctx.id, p.value));
    if runs_here || !reachable || !traffic::has_subsets(s) {
        return Vec::new();
    }
    let mut namespaces: Vec<String> = Vec::new();
    for caller in s.allow_from.iter().map(|id| t.workload(id.value)) {
        let ns = mesh::namespace(t, caller);
        if caller.is_placed_on(ctx.id) && !namespaces.contains(&ns) {
            namespaces.push(ns);
        }
    }
    let h = host(&w.name, &s.namespace);
    let name = remote_name(w, s);
    namespaces
        .into_iter()
        .map(|ns| {
            let failover = mesh::caller_failover(t, s, ctx.id);
            let docs = vec![
                Value::from(traffic::remote_virtual_service(meta(t, &name, &ns, Some(&w.name)), s, &h)),
                Value::from(traffic::destination_rule(meta(t, &name, &ns, Some(&w.name)), s, &h, failover)),
            ];
            (ns, docs)
        })
        .collect()
}

/// `SERVICE.NAMESPACE`: the name (and file name) of the copies, which no
/// service of the caller's namespace can take (a service name has no dot).
pub fn remote_name(w: &Workload, s: &Service) -> String {
    format!("{}.{}", w.name, s.namespace)
}
