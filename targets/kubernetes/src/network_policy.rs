//! The NetworkPolicy of a workload's pods (a service's, a KubeVirt vm's
//! launcher pod): ingress only on its ports, from its `allow-from` callers
//! (`Topology::allowed_callers`, the graph every target shares)
//! — their pods in this cluster, their addresses outside Kubernetes, and
//! their calls from the other clusters of this cluster's mesh (through the
//! east-west gateway from another network, from their pod CIDR on this
//! one) — and from the ingress gateway of an exposed service.

use crate::meta;
use hybrid_emit::labels::{APP, NAMESPACE_NAME};
use hybrid_emit::mesh::{self, EASTWEST_GATEWAY_LABELS, INGRESS_GATEWAY_LABELS, ISTIO_SYSTEM};
use hybrid_emit::yaml::{list, Emit};
use hybrid_emit::{json, yaml, Map, Value};
use hybrid_model::{Address, ClusterId, IpNet, Port, Topology, Vm, Workload, WorkloadId};

/// The NetworkPolicy of a workload's pods (a service's, or a KubeVirt vm's
/// launcher pod): ingress only on its ports, and only from its
/// `allow-from` callers when it names any (none at all without ports or
/// callers).
pub fn network_policy<'a>(
    t: &'a Topology,
    c: ClusterId,
    w: &'a Workload,
    ns: &'a str,
    ports: &'a [Port],
    callers: &[WorkloadId],
) -> impl Emit + 'a {
    let from = allowed_callers(t, c, w, callers);
    let has_from = !from.is_empty();
    let rule = (has_from || !ports.is_empty()).then_some(yaml!({
        "from": has_from.then_some(from),
        "ports": (!ports.is_empty()).then(|| list(ports.iter().map(|p| yaml!({ "protocol": "TCP", "port": p.number })))),
    }));
    yaml!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": meta::meta(t, &w.name, ns, &[(APP, &w.name)]),
        "spec": { "podSelector": { "matchLabels": meta::app(w) }, "policyTypes": ["Ingress"], "ingress": [rule] },
    })
}

/// The network policy peer of each `allow-from` caller: its pods, in its
/// namespace — for a vm on openstack or vsphere, which has no pods, its
/// address as an `ipBlock` (its network's CIDR when its address is a DNS
/// name); then, when `w` is an exposed service, the ingress gateway's pods,
/// which forward the exposed host's requests (none without `allow-from`:
/// the policy then admits every caller on its ports).
fn allowed_callers(t: &Topology, c: ClusterId, w: &Workload, callers: &[WorkloadId]) -> Vec<Value> {
    let mut peers: Vec<Value> = callers
        .iter()
        .filter_map(|id| {
            let caller = t.workload(*id);
            if let Some(v) = caller.vm().filter(|v| t.cluster(v.placement.value).kubernetes().is_none()) {
                return ip_block(t, v).map(|cidr| json!({ "ipBlock": { "cidr": cidr } }));
            }
            Some(json!({
                "namespaceSelector": { "matchLabels": { NAMESPACE_NAME: mesh::namespace(t, caller) } },
                "podSelector": { "matchLabels": meta::app(caller) },
            }))
        })
        .collect();
    peers.extend(cross_cluster_peers(t, c, callers));
    if w.service().is_some_and(|s| s.expose.is_some()) && !peers.is_empty() {
        peers.push(istio_system_pods(INGRESS_GATEWAY_LABELS));
    }
    peers
}

/// A peer: the pods of `istio-system` with these labels (a gateway's).
fn istio_system_pods(labels: &[(&str, &str)]) -> Value {
    let labels: Map = labels.iter().map(|(k, v)| ((*k).to_string(), Value::from(*v))).collect();
    json!({
        "namespaceSelector": { "matchLabels": { NAMESPACE_NAME: ISTIO_SYSTEM } },
        "podSelector": { "matchLabels": labels },
    })
}

/// Where a vm outside Kubernetes calls from, as a CIDR: its IP `address`
/// alone, else its network's CIDR (a DNS name names no address a
/// NetworkPolicy can hold).
fn ip_block(t: &Topology, v: &Vm) -> Option<String> {
    match v.address.as_ref().map(|a| &a.value) {
        Some(Address::Ip(ip)) => Some(IpNet::from(*ip).to_string()),
        _ => t.vm_network(v).map(|n| t.network(n).cidr.value.to_string()),
    }
}

/// The peers that admit `allow-from` callers from the other clusters of
/// `c`'s mesh (`emit::mesh::cross_cluster_sources`): the east-west
/// gateway's pods, once, and each pod CIDR of a member on `c`'s network.
fn cross_cluster_peers(t: &Topology, c: ClusterId, callers: &[WorkloadId]) -> Vec<Value> {
    let mut eastwest = false;
    let mut cidrs: Vec<String> = Vec::new();
    for id in callers {
        let (through_gateway, from) = mesh::cross_cluster_sources(t, c, t.workload(*id));
        eastwest |= through_gateway;
        cidrs.extend(from.into_iter().filter(|f| !cidrs.contains(f)).collect::<Vec<_>>());
    }
    let mut peers: Vec<Value> = cidrs.into_iter().map(|cidr| json!({ "ipBlock": { "cidr": cidr } })).collect();
    if eastwest {
        peers.push(istio_system_pods(EASTWEST_GATEWAY_LABELS));
    }
    peers
}
