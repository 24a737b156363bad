//! Mesh security: a mesh-wide PeerAuthentication from the cluster's `mtls`
//! (in `mesh.yaml`), and an AuthorizationPolicy per service with
//! `allow-from`, admitting only the callers' service accounts
//! (`Topology::allowed_callers`, the graph every target shares), on the
//! service's ports
//! (`emit::mesh::service_account`: every service and every vm in the mesh
//! has its own; a job runs as its namespace's `default`) and, for an
//! exposed service, the ingress gateway that serves its host — each in the
//! trust domain of the cluster's mesh (`emit::mesh::trust_domain`).

use crate::{meta, Ctx};
use hybrid_emit::labels;
use hybrid_emit::mesh::{self, ISTIO_SYSTEM};
use hybrid_emit::{json, key, Value};
use hybrid_model::{Mtls, Service, Workload, WorkloadId};

pub fn mesh(ctx: &Ctx<'_>) -> Vec<Value> {
    let Some(m) = &ctx.k.mesh else { return Vec::new() };
    let mode = match m.mtls.value {
        Mtls::Strict => "STRICT",
        Mtls::Permissive => "PERMISSIVE",
    };
    vec![json!({
        "apiVersion": "security.istio.io/v1",
        "kind": "PeerAuthentication",
        "metadata": meta(ctx.t, "default", ISTIO_SYSTEM, None),
        "spec": { "mtls": { "mode": mode } },
    })]
}

pub fn authorization(ctx: &Ctx<'_>, id: WorkloadId, w: &Workload, s: &Service) -> Vec<Value> {
    if s.allow_from.is_empty() {
        return Vec::new();
    }
    let t = ctx.t;
    let mut principals: Vec<String> = t
        .allowed_callers(id)
        .into_iter()
        .map(|caller| {
            let caller = t.workload(caller);
            // A job has no account of its own and runs as its namespace's
            // `default`; the checker (HY6006) refuses a vm outside the mesh.
            let account = mesh::service_account(t, caller).unwrap_or_else(|| "default".to_string());
            // A caller in another cluster shares this cluster's mesh
            // (HY6013), so its identity is of this trust domain.
            mesh::principal(t, ctx.id, &mesh::namespace(t, caller), &account)
        })
        .collect();
    // The gateway that serves the exposed host calls the service too.
    if s.expose.is_some() {
        principals.push(mesh::ingress_gateway_principal(t, ctx.id));
    }
    let mut rule = json!({ "from": [ { "source": { "principals": principals } } ] });
    // Only on the service's own ports (the pod's: the sidecar sees the
    // connection after the Service has mapped its port).
    if !s.ports.is_empty() {
        let ports: Vec<Value> = s.ports.iter().map(|p| Value::from(p.number.to_string())).collect();
        if let Value::Object(r) = &mut rule {
            r.insert(key!("to"), json!([ { "operation": { "ports": ports } } ]));
        }
    }
    vec![json!({
        "apiVersion": "security.istio.io/v1",
        "kind": "AuthorizationPolicy",
        "metadata": meta(t, &w.name, &s.namespace, Some(&w.name)),
        "spec": {
            "selector": { "matchLabels": labels::pod_selector(w) },
            "action": "ALLOW",
            "rules": [ rule ],
        },
    })]
}
