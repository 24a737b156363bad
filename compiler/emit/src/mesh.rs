//! What the Kubernetes and Istio targets agree on about the mesh, each
//! written once: where Istio's ingress gateway runs, the labels of its pods
//! and its identity (an exposed service's AuthorizationPolicy admits that
//! identity, its NetworkPolicy those pods), and how a principal is spelled.

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
