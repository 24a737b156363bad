//! The vms outside Kubernetes (OpenStack, vSphere) that a cluster's mesh
//! reaches (`Topology::vms_declared_in`: those that join the mesh with
//! `mesh istio`, and those a `migrate` moves traffic from, whose mesh
//! cluster it is), each declared in its own file `TOPOLOGY/VM.yaml`, in the
//! namespace vms live in, at its `address` (the checker, HY5011, makes sure
//! it has one), with its ports:
//!
//! * with an IP address, a WorkloadEntry at that address and a Kubernetes
//!   Service `VM` that selects it (Istio lets a Service select
//!   WorkloadEntries by their labels), so callers reach the vm as
//!   `VM.TOPOLOGY.svc.cluster.local`;
//! * with a DNS name, a WorkloadEntry at that name and a ServiceEntry for
//!   it (resolution `DNS`), so callers keep reaching the vm at its own name
//!   — whose DNS record is a prerequisite;
//! * for a vm that joins the mesh, first the ServiceAccount that is its
//!   identity (`emit::mesh::service_account`), which the WorkloadEntry
//!   names: the vm's Istio agent is bootstrapped as that account, and
//!   sidecars then talk to it with mutual TLS. Running the agent on the vm
//!   is a prerequisite the cluster's files list.

use crate::{host, meta};
use hybrid_emit::labels::APP;
use hybrid_emit::mesh;
use hybrid_emit::prerequisites::{self as pre, Prerequisites};
use hybrid_emit::{json, key, Map, Value};
use hybrid_model::{Address, Protocol, Topology, Vm, Workload};

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
/// the namespace vms live in: the ServiceAccount of a vm that joins the
/// mesh, a Kubernetes Service (IP address) or a ServiceEntry (DNS name)
/// with the vm's ports, then the WorkloadEntry at its address. None
/// without an address (the checker refuses that).
pub fn declaration(t: &Topology, vm_w: &Workload) -> Vec<Value> {
    let Some(vm) = vm_w.vm() else { return Vec::new() };
    let Some(address) = &vm.address else { return Vec::new() };
    let ns = &t.name;
    let account = mesh::service_account(t, vm_w);
    let mut out = Vec::new();
    if let Some(sa) = &account {
        out.push(json!({
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": meta(t, sa, ns, Some(&vm_w.name)),
            "automountServiceAccountToken": false,
        }));
    }
    let selector = json!({ APP: &vm_w.name });
    let service = if vm.ports.is_empty() {
        // Nothing calls it: a vm that only calls into the mesh needs its
        // identity (the WorkloadEntry), not a host.
        None
    } else {
        Some(service(t, vm_w, vm, &address.value, &selector))
    };
    let mut endpoint_ports = Map::new();
    for p in &vm.ports {
        endpoint_ports.insert(p.service_name(), Value::from(p.number));
    }
    let mut spec = Map::new();
    spec.insert(key!("address"), Value::from(address.value.to_string()));
    spec.insert(key!("labels"), selector);
    if !endpoint_ports.is_empty() {
        spec.insert(key!("ports"), Value::Object(endpoint_ports));
    }
    // The account its sidecar is bootstrapped as: sidecars then talk to the
    // vm with mutual TLS, and policies name it.
    if let Some(sa) = account {
        spec.insert(key!("serviceAccount"), Value::from(sa));
    }
    out.extend(service);
    out.push(json!({
        "apiVersion": "networking.istio.io/v1",
        "kind": "WorkloadEntry",
        "metadata": meta(t, &vm_w.name, ns, Some(&vm_w.name)),
        "spec": Value::Object(spec),
    }));
    out
}

/// The host a vm with ports is called at: a Kubernetes Service selecting
/// its WorkloadEntry (IP address) or a ServiceEntry for its DNS name.
fn service(t: &Topology, vm_w: &Workload, vm: &Vm, address: &Address, selector: &Value) -> Value {
    let ns = &t.name;
    match address {
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
                "spec": { "type": "ClusterIP", "selector": selector, "ports": ports },
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
                    "workloadSelector": { "labels": selector },
                },
            })
        }
    }
}

/// What declaring `vm_w` to this cluster's mesh assumes: that istiod lets
/// its Service select the WorkloadEntry (IP address), or that its DNS name
/// resolves to it; and, for a vm that joins the mesh, that the Istio agent
/// runs on it as its ServiceAccount.
pub fn prerequisites(t: &Topology, vm_w: &Workload, p: &mut Prerequisites) {
    let Some(vm) = vm_w.vm() else { return };
    let Some(address) = &vm.address else { return };
    let ns = &t.name;
    if let Some(sa) = mesh::service_account(t, vm_w) {
        p.mesh_vm(&vm_w.name, address.value.to_string(), ns, sa, format!("WorkloadEntry {ns}/{}", vm_w.name));
    }
    match &address.value {
        Address::Ip(_) if !vm.ports.is_empty() => {
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
                format!("WorkloadEntry {ns}/{}", vm_w.name),
            );
        }
        Address::Ip(_) => {}
    }
}
