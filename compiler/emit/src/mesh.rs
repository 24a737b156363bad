//! What the Kubernetes and Istio targets agree on about the mesh, each
//! written once: where Istio's ingress gateway runs, the labels of its pods
//! and its identity (an exposed service's AuthorizationPolicy admits that
//! identity, its NetworkPolicy those pods), how a principal is spelled,
//! and the mesh identity of each workload — the ServiceAccount its pods (or
//! its vm's sidecar) run as, which the Kubernetes or Istio target writes and
//! the Istio target's AuthorizationPolicies name.

use hybrid_model::{Topology, Workload, WorkloadKind};

/// The namespace of Istio's control plane and of its default ingress
/// gateway (where the Istio target writes the mesh-wide PeerAuthentication
/// and every `expose`'s Gateway).
pub const ISTIO_SYSTEM: &str = "istio-system";

/// The labels of the default ingress gateway's pods (`istioctl install`'s
/// `istio-ingressgateway` Deployment). Written by the Istio target as every
/// Gateway's `selector`; read by the Kubernetes target's NetworkPolicy of an
/// exposed service, which admits those pods.
pub const INGRESS_GATEWAY_LABELS: &[(&str, &str)] = &[("istio", "ingressgateway")];

/// The ServiceAccount the default ingress gateway runs as, in
/// [`ISTIO_SYSTEM`]: the identity an exposed service's AuthorizationPolicy
/// admits besides its `allow-from` callers.
pub const INGRESS_GATEWAY_SERVICE_ACCOUNT: &str = "istio-ingressgateway-service-account";

/// Istio's trust domain, the first part of every principal.
pub const TRUST_DOMAIN: &str = "cluster.local";

/// The principal of ServiceAccount `sa` of namespace `ns`:
/// `cluster.local/ns/NS/sa/SA`.
pub fn principal(ns: &str, sa: &str) -> String {
    format!("{TRUST_DOMAIN}/ns/{ns}/sa/{sa}")
}

/// The principal of the default ingress gateway.
pub fn ingress_gateway_principal() -> String {
    principal(ISTIO_SYSTEM, INGRESS_GATEWAY_SERVICE_ACCOUNT)
}

/// The namespace of a workload's objects: a service's own, else (vms and
/// jobs declare none) the topology's name.
pub fn namespace(t: &Topology, w: &Workload) -> String {
    match &w.kind {
        WorkloadKind::Service(s) => s.namespace.clone(),
        WorkloadKind::Vm(_) | WorkloadKind::Job(_) => t.name.clone(),
    }
}

/// The ServiceAccount that is a workload's identity in the mesh, in its
/// [`namespace`], named after the workload: a service's pods run as it
/// (the Kubernetes target writes it), and so does a vm in the mesh
/// (`Topology::vm_in_mesh`) — a KubeVirt vm's launcher pod (the Kubernetes
/// target writes it and names it in the vm), a vm on openstack or vsphere
/// through its WorkloadEntry (the Istio target writes both). `None` for a
/// workload with no identity of its own: a job, a vm outside the mesh.
pub fn service_account(t: &Topology, w: &Workload) -> Option<String> {
    match &w.kind {
        WorkloadKind::Service(_) => Some(w.name.clone()),
        WorkloadKind::Vm(v) if t.vm_in_mesh(v) => Some(w.name.clone()),
        WorkloadKind::Vm(_) | WorkloadKind::Job(_) => None,
    }
}
