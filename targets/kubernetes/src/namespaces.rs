//! `namespaces.yaml`: every namespace a workload of this cluster lives in
//! (and the vms' namespace where the mesh declares a vm of another
//! platform), with the Istio sidecar injection label where the cluster has
//! a mesh.

use crate::meta::{cluster_meta, default_namespace};
use crate::Ctx;
use hybrid_emit::labels::{ISTIO_INJECTION, ISTIO_INJECTION_ENABLED};
use hybrid_emit::{json, Value};
use hybrid_model::WorkloadKind;
use std::collections::BTreeSet;

/// Whether the cluster's namespaces have Istio sidecar injection: where it
/// has a mesh.
pub fn injected(ctx: &Ctx<'_>) -> bool {
    ctx.k.mesh.is_some()
}

pub fn objects(ctx: &Ctx<'_>) -> Vec<Value> {
    let mut names = BTreeSet::new();
    for w in ctx.t.placed_on(ctx.id) {
        names.insert(match &w.kind {
            WorkloadKind::Service(s) => s.namespace.clone(),
            _ => default_namespace(ctx.t),
        });
    }
    if ctx.k.mesh.is_some() && !ctx.t.vms_declared_in(ctx.id).is_empty() {
        names.insert(default_namespace(ctx.t));
    }
    let extra: Vec<(&str, &str)> =
        if injected(ctx) { vec![(ISTIO_INJECTION, ISTIO_INJECTION_ENABLED)] } else { Vec::new() };
    names
        .iter()
        .map(|n| json!({ "apiVersion": "v1", "kind": "Namespace", "metadata": cluster_meta(ctx.t, n, &extra) }))
        .collect()
}
