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
//! * a vm on OpenStack or vSphere is declared to the mesh at its `address`
//!   (the checker, HY5011, makes sure it has one), in the vm's own file of
//!   that cluster (`TOPOLOGY/VM.yaml`, the namespace vms live in), with its
//!   ports: with an IP address, a WorkloadEntry at that address and a
//!   Kubernetes Service `VM` that selects it (Istio lets a Service select
//!   WorkloadEntries by their labels), so callers reach the vm as
//!   `VM.TOPOLOGY.svc.cluster.local`; with a DNS name, a WorkloadEntry at
//!   that name and a ServiceEntry for it (resolution `DNS`), so callers keep
//!   reaching the vm at its own name — whose DNS record is a prerequisite;
//! * a VirtualService on the vm's host, with the service, carries the
//!   split.

use crate::traffic::{has_subsets, split};
use crate::{host, meta, Ctx};
use hybrid_emit::labels::APP;
use hybrid_emit::prerequisites::{self as pre, Prerequisites};
use hybrid_emit::{json, Map, Value};
use hybrid_model::{Address, Migration, Protocol, Service, Topology, Vm, Workload, WorkloadId};

/// The in-mesh host of a vm: its Kubernetes Service — on KubeVirt, or the
/// one that selects its WorkloadEntry when its address is an IP address —
/// or its DNS name.
pub fn vm_host(t: &Topology, vm_w: &Workload, vm: &Vm) -> String {
    match vm.address.as_ref().map(|a| &a.value) {
        Some(Address::Name(name)) if t.cluster(vm.placement.value).kubernetes().is_none() => name.clone(),
        _ => host(&vm_w.name, &t.name),
    }
}

fn istio_protocol(p: Protocol) -> &'static str {
    match p {
        Protocol::Http => "HTTP",
        Protocol::Grpc => "GRPC",
        Protocol::Tcp => "TCP",
    }
}

/// The objects that declare a vm on OpenStack or vSphere to the mesh, in
/// the namespace vms live in: a Kubernetes Service (IP address) or a
/// ServiceEntry (DNS name) with the vm's ports, then the WorkloadEntry at
/// its address. None without an address (the checker refuses that).
pub fn declaration(t: &Topology, vm_w: &Workload) -> Vec<Value> {
    let Some(vm) = vm_w.vm() else { return Vec::new() };
    let Some(address) = &vm.address else { return Vec::new() };
    let ns = &t.name;
    let selector = json!({ APP: &vm_w.name });
    let service = match &address.value {
        Address::Ip(_) => {
            let ports: Vec<Value> = vm
                .ports
                .iter()
                .map(|p| {
                    json!({
                        "name": p.service_name(),
                        "port": p.number,
                        "targetPort": p.number,
                        "protocol": "TCP",
                        "appProtocol": p.protocol.as_str(),
                    })
                })
                .collect();
            json!({
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": meta(t, &vm_w.name, ns, Some(&vm_w.name)),
                "spec": { "type": "ClusterIP", "selector": selector.clone(), "ports": ports },
            })
        }
        Address::Name(name) => {
            let ports: Vec<Value> = vm
                .ports
                .iter()
                .map(
                    |p| json!({ "number": p.number, "name": p.service_name(), "protocol": istio_protocol(p.protocol) }),
                )
                .collect();
            json!({
                "apiVersion": "networking.istio.io/v1",
                "kind": "ServiceEntry",
                "metadata": meta(t, &vm_w.name, ns, Some(&vm_w.name)),
                "spec": {
                    "hosts": [name],
                    "location": "MESH_INTERNAL",
                    "ports": ports,
                    "resolution": "DNS",
                    "workloadSelector": { "labels": selector.clone() },
                },
            })
        }
    };
    let mut endpoint_ports = Map::new();
    for p in &vm.ports {
        endpoint_ports.insert(p.service_name(), Value::from(p.number));
    }
    let entry = json!({
        "apiVersion": "networking.istio.io/v1",
        "kind": "WorkloadEntry",
        "metadata": meta(t, &vm_w.name, ns, Some(&vm_w.name)),
        "spec": {
            "address": address.value.to_string(),
            "labels": selector,
            "ports": Value::Object(endpoint_ports),
        },
    });
    vec![service, entry]
}

/// What declaring `vm_w` to this cluster's mesh assumes: that istiod lets
/// its Service select the WorkloadEntry (IP address), or that its DNS name
/// resolves to it.
pub fn prerequisites(t: &Topology, vm_w: &Workload, p: &mut Prerequisites) {
    let Some(vm) = vm_w.vm() else { return };
    let Some(address) = &vm.address else { return };
    let ns = &t.name;
    match &address.value {
        Address::Ip(_) => {
            p.operator(
                &pre::ISTIO,
                format!(
                    "Service {ns}/{0} selecting WorkloadEntry {ns}/{0} (istiod's PILOT_ENABLE_K8S_SELECT_WORKLOAD_ENTRIES, on by default)",
                    vm_w.name
                ),
            );
        }
        Address::Name(name) => {
            let cluster = t.cluster(vm.placement.value);
            p.dns(
                name,
                format!("the address of vm {} ({} cluster {})", vm_w.name, cluster.kind_word(), cluster.name),
                format!("ServiceEntry and WorkloadEntry {ns}/{}", vm_w.name),
            );
        }
    }
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
