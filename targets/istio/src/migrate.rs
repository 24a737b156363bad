//! `migrate NAME from=VM to=SERVICE weight=W`: `W`% of the vm's traffic
//! goes to the service — shared between the service's versions as its own
//! default route shares it (a canary's weight, blue-green's active colour),
//! one route per subset — and the rest to the vm.
//!
//! Everything is written in one cluster only: the one whose mesh reaches
//! the vm (`Topology::vm_mesh_cluster`: a KubeVirt vm's own cluster; for a
//! vm on OpenStack or vSphere, the first cluster with `mesh istio` at its
//! site). The checker (HY5012) makes sure the service runs there; in its
//! other clusters no caller can reach the vm, so nothing is written.
//!
//! The vm's host is its Kubernetes Service on KubeVirt; a vm on OpenStack
//! or vSphere is declared to that cluster's mesh by [`crate::vms`], at its
//! `address`.

use crate::traffic::{has_subsets, split};
use crate::vms::vm_host;
use crate::{host, meta, Ctx};
use hybrid_emit::{json, Value};
use hybrid_model::{Migration, Service, Workload, WorkloadId};

/// The migration objects of service `w` (the workload `id`) in this
/// cluster: a weighted VirtualService per `migrate` into it whose vm this
/// cluster's mesh reaches.
pub fn objects(ctx: &Ctx<'_>, id: WorkloadId, w: &Workload, s: &Service) -> Vec<Value> {
    let t = ctx.t;
    let mut out = Vec::new();
    for m in t.migrations.iter().filter(|m| m.to.value == id) {
        let vm_w = t.workload(m.from.value);
        let Some(vm) = vm_w.vm() else { continue };
        let Some(port) = vm.ports.first() else { continue };
        if t.vm_mesh_cluster(vm) != Some(ctx.id) {
            continue;
        }
        let vm_host = vm_host(t, vm_w, vm);
        let svc_port = s.ports.first().map(|p| p.service_number()).unwrap_or(port.number);
        let route: Vec<Value> = destinations(m, s)
            .into_iter()
            .map(|(to, weight)| {
                let destination = match to {
                    To::Service(Some(subset)) => json!({
                        "host": host(&w.name, &s.namespace), "subset": subset, "port": { "number": svc_port },
                    }),
                    To::Service(None) => json!({ "host": host(&w.name, &s.namespace), "port": { "number": svc_port } }),
                    To::Vm => json!({ "host": &vm_host, "port": { "number": port.number } }),
                };
                json!({ "destination": destination, "weight": weight })
            })
            .collect();
        out.push(json!({
            "apiVersion": "networking.istio.io/v1",
            "kind": "VirtualService",
            "metadata": meta(t, &format!("migrate-{}", m.name), &s.namespace, Some(&w.name)),
            "spec": {
                "hosts": [&vm_host],
                "http": [{ "name": format!("migrate-{}", m.name), "route": route }],
            },
        }));
    }
    out
}

/// Where a share of the vm's traffic goes: a subset of the service (`None`
/// when the service has no subsets), or the vm.
#[derive(Debug, PartialEq, Eq)]
enum To<'a> {
    Service(Option<&'a str>),
    Vm,
}

/// The migration's destinations and their weights: `W`% to the service,
/// shared as the service's own split shares it, and `100-W`% to the vm.
/// Istio's weights are relative, so they are exact: in percent when every
/// share is a whole percentage, else in hundredths of a percent (they then
/// add up to 10000). Destinations with no share are left out.
fn destinations<'a>(m: &Migration, s: &'a Service) -> Vec<(To<'a>, i64)> {
    let to_service = m.weight.value.clamp(0, 100);
    let mut out: Vec<(To<'a>, i64)> = if has_subsets(s) {
        split(s).into_iter().map(|(subset, pct)| (To::Service(Some(subset)), to_service * pct)).collect()
    } else {
        vec![(To::Service(None), to_service * 100)]
    };
    out.push((To::Vm, (100 - to_service) * 100));
    out.retain(|(_, weight)| *weight > 0);
    if out.iter().all(|(_, weight)| weight % 100 == 0) {
        out.into_iter().map(|(to, weight)| (to, weight / 100)).collect()
    } else {
        out
    }
}
