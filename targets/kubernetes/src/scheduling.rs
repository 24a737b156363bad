//! Node selection and tolerations, from the same rules the checker counts
//! capacity with (`hybrid_model::scheduling`): a workload pinned to a pool
//! of this cluster or asking for GPUs is kept on the pools that can run it
//! and tolerates their taints, and only theirs; any other workload gets
//! neither.

use crate::Ctx;
use hybrid_emit::labels::POOL;
use hybrid_emit::{json, key, Map, Str, Value};
use hybrid_model::scheduling::{eligible_pools, restricted};
use hybrid_model::{TaintEffect, Workload};

/// Writes into a pod spec (or a KubeVirt instance spec) the entries of
/// [`placement_entries`].
pub fn insert_placement(spec: &mut Map, ctx: &Ctx<'_>, w: &Workload, anti: Option<Value>) {
    spec.extend(placement_entries(ctx, w, anti));
}

/// The `affinity` — the node affinity of [`placement`] and `anti`, a
/// `podAntiAffinity` — and the `tolerations` of a pod spec, each only when
/// it says something.
pub fn placement_entries(ctx: &Ctx<'_>, w: &Workload, anti: Option<Value>) -> Vec<(Str, Value)> {
    let (node_affinity, tolerations) = placement(ctx, w);
    let mut affinity = node_affinity.and_then(|a| a.as_object().cloned()).unwrap_or_default();
    if let Some(anti) = anti {
        affinity.insert(key!("podAntiAffinity"), anti);
    }
    let mut entries = Vec::new();
    if !affinity.is_empty() {
        entries.push((key!("affinity"), Value::Object(affinity)));
    }
    if !tolerations.is_empty() {
        entries.push((key!("tolerations"), Value::Array(tolerations)));
    }
    entries
}

/// `(affinity, tolerations)` for the pod spec of `w` in this cluster.
fn placement(ctx: &Ctx<'_>, w: &Workload) -> (Option<Value>, Vec<Value>) {
    if !restricted(w, ctx.id) {
        return (None, Vec::new());
    }
    let pools: Vec<&hybrid_model::Pool> = eligible_pools(w, ctx.id, ctx.k).collect();
    let names: Vec<&str> = pools.iter().map(|p| p.name.as_str()).collect();
    let affinity = json!({
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [ { "matchExpressions": [ { "key": POOL, "operator": "In", "values": names } ] } ]
            }
        }
    });
    let mut tolerations: Vec<Value> = Vec::new();
    for p in &pools {
        for taint in &p.taints {
            let tol = match &taint.value {
                Some(v) => {
                    json!({ "key": &taint.key, "operator": "Equal", "value": v, "effect": effect(taint.effect) })
                }
                None => json!({ "key": &taint.key, "operator": "Exists", "effect": effect(taint.effect) }),
            };
            if !tolerations.contains(&tol) {
                tolerations.push(tol);
            }
        }
    }
    (Some(affinity), tolerations)
}

fn effect(e: TaintEffect) -> &'static str {
    e.as_str()
}
