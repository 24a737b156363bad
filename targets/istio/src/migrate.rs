//! `migrate NAME from=VM to=SERVICE weight=W`: the vm's traffic is split
//! between the vm and the service, `W`% to the service. The objects go with
//! the service, in every mesh cluster it runs in:
//!
//! * a vm on KubeVirt is reached through its Kubernetes Service
//!   (`VM.NAMESPACE.svc.cluster.local`);
//! * a vm on OpenStack or vSphere is declared to the mesh with a
//!   ServiceEntry and a WorkloadEntry at `VM.SITE.TOPOLOGY.internal` (the
//!   vm's DNS name on its site network, which the operator registers), with
//!   the vm's first port;
//! * a VirtualService on the vm's host sends `W`% to the service and the
//!   rest to the vm.

use crate::{host, meta, Ctx};
use hybrid_emit::labels::APP;
use hybrid_emit::{json, Value};
use hybrid_model::{Protocol, Service, Workload, WorkloadId};

/// The DNS name a vm outside Kubernetes is reached at.
pub fn external_host(ctx: &Ctx<'_>, vm: &Workload) -> String {
    let site = vm.vm().map(|v| &ctx.t.site(ctx.t.cluster(v.placement.value).site).name);
    format!("{}.{}.{}.internal", vm.name, site.map(String::as_str).unwrap_or("site"), ctx.t.name)
}

fn istio_protocol(p: Protocol) -> &'static str {
    match p {
        Protocol::Http => "HTTP",
        Protocol::Grpc => "GRPC",
        Protocol::Tcp => "TCP",
    }
}

/// The migration objects of service `w` (the workload `id`).
pub fn objects(ctx: &Ctx<'_>, id: WorkloadId, w: &Workload, s: &Service) -> Vec<Value> {
    let t = ctx.t;
    let mut out = Vec::new();
    for m in t.migrations.iter().filter(|m| m.to.value == id) {
        let vm_w = t.workload(m.from.value);
        let Some(vm) = vm_w.vm() else { continue };
        let Some(port) = vm.ports.first() else { continue };
        let svc_host = host(&w.name, &s.namespace);
        let on_kubernetes = t.cluster(vm.placement.value).kubernetes().is_some();
        let vm_host = if on_kubernetes { host(&vm_w.name, &t.name) } else { external_host(ctx, vm_w) };
        if !on_kubernetes {
            let port_name = format!("{}-{}", port.protocol.as_str(), port.number);
            out.push(json!({
                "apiVersion": "networking.istio.io/v1",
                "kind": "ServiceEntry",
                "metadata": meta(t, &vm_w.name, &s.namespace, Some(&vm_w.name)),
                "spec": {
                    "hosts": [&vm_host],
                    "location": "MESH_INTERNAL",
                    "ports": [{ "number": port.number, "name": &port_name, "protocol": istio_protocol(port.protocol) }],
                    "resolution": "DNS",
                    "workloadSelector": { "labels": { APP: &vm_w.name } },
                },
            }));
            out.push(json!({
                "apiVersion": "networking.istio.io/v1",
                "kind": "WorkloadEntry",
                "metadata": meta(t, &vm_w.name, &s.namespace, Some(&vm_w.name)),
                "spec": {
                    "address": &vm_host,
                    "labels": { APP: &vm_w.name },
                    "ports": { port_name: port.number },
                },
            }));
        }
        let weight = m.weight.value.clamp(0, 100);
        let svc_port = s.ports.first().map(|p| p.number).unwrap_or(port.number);
        out.push(json!({
            "apiVersion": "networking.istio.io/v1",
            "kind": "VirtualService",
            "metadata": meta(t, &format!("migrate-{}", m.name), &s.namespace, Some(&w.name)),
            "spec": {
                "hosts": [&vm_host],
                "http": [{
                    "name": format!("migrate-{}", m.name),
                    "route": [
                        { "destination": { "host": svc_host, "port": { "number": svc_port } }, "weight": weight },
                        { "destination": { "host": vm_host, "port": { "number": port.number } }, "weight": 100 - weight },
                    ],
                }],
            },
        }));
    }
    out
}
