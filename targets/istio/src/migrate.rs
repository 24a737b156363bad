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
//! * a vm on KubeVirt is reached through its Kubernetes Service
//!   (`VM.NAMESPACE.svc.cluster.local`);
//! * a vm on OpenStack or vSphere is declared to the mesh with a
//!   ServiceEntry and a WorkloadEntry at `VM.SITE.TOPOLOGY.internal` (the
//!   vm's DNS name on its site network, which the operator registers),
//!   with the vm's first port, in the vm's own file of that cluster
//!   (`TOPOLOGY/VM.yaml`, the namespace vms live in);
//! * a VirtualService on the vm's host, with the service, carries the
//!   split.

use crate::traffic::{has_subsets, split};
use crate::{host, meta, Ctx};
use hybrid_emit::labels::APP;
use hybrid_emit::{json, Value};
use hybrid_model::{Migration, Protocol, Service, Topology, Vm, Workload, WorkloadId};

/// The DNS name a vm outside Kubernetes is reached at.
pub fn external_host(t: &Topology, vm: &Workload) -> String {
    let site = vm.vm().map(|v| &t.site(t.cluster(v.placement.value).site).name);
    format!("{}.{}.{}.internal", vm.name, site.map(String::as_str).unwrap_or("site"), t.name)
}

/// The in-mesh host of a vm: its Kubernetes Service on KubeVirt, else its
/// ServiceEntry's host.
fn vm_host(t: &Topology, vm_w: &Workload, vm: &Vm) -> String {
    if t.cluster(vm.placement.value).kubernetes().is_some() {
        host(&vm_w.name, &t.name)
    } else {
        external_host(t, vm_w)
    }
}

fn istio_protocol(p: Protocol) -> &'static str {
    match p {
        Protocol::Http => "HTTP",
        Protocol::Grpc => "GRPC",
        Protocol::Tcp => "TCP",
    }
}

/// The ServiceEntry and WorkloadEntry that declare a vm on OpenStack or
/// vSphere to the mesh, with its first port (none without a port).
pub fn declaration(t: &Topology, vm_w: &Workload) -> Vec<Value> {
    let Some(vm) = vm_w.vm() else { return Vec::new() };
    let Some(port) = vm.ports.first() else { return Vec::new() };
    let vm_host = external_host(t, vm_w);
    let port_name = format!("{}-{}", port.protocol.as_str(), port.number);
    vec![
        json!({
            "apiVersion": "networking.istio.io/v1",
            "kind": "ServiceEntry",
            "metadata": meta(t, &vm_w.name, &t.name, Some(&vm_w.name)),
            "spec": {
                "hosts": [&vm_host],
                "location": "MESH_INTERNAL",
                "ports": [{ "number": port.number, "name": &port_name, "protocol": istio_protocol(port.protocol) }],
                "resolution": "DNS",
                "workloadSelector": { "labels": { APP: &vm_w.name } },
            },
        }),
        json!({
            "apiVersion": "networking.istio.io/v1",
            "kind": "WorkloadEntry",
            "metadata": meta(t, &vm_w.name, &t.name, Some(&vm_w.name)),
            "spec": {
                "address": &vm_host,
                "labels": { APP: &vm_w.name },
                "ports": { port_name: port.number },
            },
        }),
    ]
}

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
        let svc_port = s.ports.first().map(|p| p.number).unwrap_or(port.number);
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
