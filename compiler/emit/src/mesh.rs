//! What the Kubernetes and Istio targets agree on about the mesh, each
//! written once: where Istio's ingress gateway runs, the labels of its pods
//! and its identity (an exposed service's AuthorizationPolicy admits that
//! identity, its NetworkPolicy those pods), how a principal is spelled,
//! and the mesh identity of each workload — the ServiceAccount its pods (or
//! its vm's sidecar) run as, which the Kubernetes or Istio target writes and
//! the Istio target's AuthorizationPolicies name; and for a mesh that
//! spans clusters (`mesh NAME { member … }`), the trust domain of its
//! identities, its east-west gateway and the regions a service fails over
//! between.

use hybrid_model::{ClusterId, Service, Topology, Workload, WorkloadKind};

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

/// Istio's own trust domain (its install's default), the first part of
/// every principal of a cluster outside a multi-cluster mesh.
pub const TRUST_DOMAIN: &str = "cluster.local";

/// The trust domain of cluster `c`'s identities: its mesh's
/// `trust-domain`, else Istio's own.
pub fn trust_domain(t: &Topology, c: ClusterId) -> &str {
    t.mesh_of(c).map_or(TRUST_DOMAIN, |m| m.trust_domain.value.as_str())
}

/// The principal of ServiceAccount `sa` of namespace `ns` in cluster `c`:
/// `TRUST-DOMAIN/ns/NS/sa/SA`.
pub fn principal(t: &Topology, c: ClusterId, ns: &str, sa: &str) -> String {
    format!("{}/ns/{ns}/sa/{sa}", trust_domain(t, c))
}

/// The principal of the default ingress gateway of cluster `c`.
pub fn ingress_gateway_principal(t: &Topology, c: ClusterId) -> String {
    principal(t, c, ISTIO_SYSTEM, INGRESS_GATEWAY_SERVICE_ACCOUNT)
}

/// The labels of the east-west gateway's pods, as Istio's
/// `samples/multicluster/gen-eastwest-gateway.sh` installs it in
/// [`ISTIO_SYSTEM`]: the selector of the cross-network Gateway, and the
/// pods a service's NetworkPolicy admits calls from other networks from.
pub const EASTWEST_GATEWAY_LABELS: &[(&str, &str)] = &[("istio", "eastwestgateway")];

/// The Gateway that exposes every `*.local` service of a cluster to the
/// mesh's other networks (Istio's `samples/multicluster/expose-services.yaml`).
pub const CROSS_NETWORK_GATEWAY: &str = "cross-network-gateway";

/// The port of the east-west gateway that carries mutual TLS between
/// networks, passed through (`AUTO_PASSTHROUGH`) by SNI.
pub const CROSS_NETWORK_PORT: u16 = 15443;

/// The Kubernetes node label Istio reads a workload's region from (its
/// locality), for locality failover.
pub const REGION_LABEL: &str = "topology.kubernetes.io/region";

/// The locality failover of service `s` (Istio's `localityLbSetting.failover`):
/// for each region it runs in, the region of its nearest other cluster of
/// the mesh in another region (`Topology::failover_targets`), as
/// `(from, to)` pairs in placement order. Empty for a service that does
/// not fail over.
pub fn locality_failover(t: &Topology, s: &Service) -> Vec<(String, String)> {
    let region = |c: ClusterId| t.site(t.cluster(c).site).region.clone();
    let mut out: Vec<(String, String)> = Vec::new();
    for p in &s.placement {
        let from = region(p.value);
        if out.iter().any(|(f, _)| *f == from) {
            continue;
        }
        let to = t.failover_targets(s, p.value).into_iter().map(|f| region(f.to)).find(|r| *r != from);
        if let Some(to) = to {
            out.push((from, to));
        }
    }
    out
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

/// The locality failover of service `s` for callers in cluster `c`, where
/// it does not run: from `c`'s region to the region of its nearest
/// cluster of `c`'s mesh (by link latency from `c`), unless that is `c`'s
/// own region (then Istio prefers it already).
pub fn caller_failover(t: &Topology, s: &Service, c: ClusterId) -> Vec<(String, String)> {
    let region = |c: ClusterId| t.site(t.cluster(c).site).region.clone();
    let mut near: Vec<(std::time::Duration, ClusterId)> = s
        .placement
        .iter()
        .filter(|p| p.value != c && t.share_mesh(c, p.value))
        .filter_map(|p| Some((t.cluster_latency(c, p.value)?, p.value)))
        .collect();
    near.sort_by_key(|(latency, _)| *latency);
    let from = region(c);
    match near.first().map(|(_, to)| region(*to)) {
        Some(to) if to != from => vec![(from, to)],
        _ => Vec::new(),
    }
}

/// How calls of `caller` from its clusters other than `c` arrive in `c`:
/// from a member of `c`'s mesh on another network, through `c`'s east-west
/// gateway (the flag); from a member on `c`'s own network, straight from
/// the caller's pods (their cluster's pod CIDRs, in placement order).
pub fn cross_cluster_sources(t: &Topology, c: ClusterId, caller: &Workload) -> (bool, Vec<String>) {
    let Some(mesh) = t.mesh_of(c) else { return (false, Vec::new()) };
    let Some(here) = mesh.member(c) else { return (false, Vec::new()) };
    let mut eastwest = false;
    let mut cidrs = Vec::new();
    for from in caller.placement().filter(|p| *p != c) {
        let Some(member) = mesh.member(from) else { continue };
        if member.network.value != here.network.value {
            eastwest = true;
        } else if let Some(k) = t.cluster(from).kubernetes() {
            let cidr = k.pod_cidr.value.to_string();
            if !cidrs.contains(&cidr) {
                cidrs.push(cidr);
            }
        }
    }
    (eastwest, cidrs)
}

/// The pod annotation that configures a pod's Istio proxy.
pub const PROXY_CONFIG_ANNOTATION: &str = "proxy.istio.io/config";

/// The proxy configuration (`proxy.istio.io/config`, YAML of a
/// ProxyConfig) of a service's pods in a member of a mesh that spans
/// clusters: DNS proxying (`ISTIO_META_DNS_CAPTURE`), with which the
/// sidecar answers for the Services of every member cluster — Kubernetes'
/// own DNS knows only its cluster's. `None` outside such a mesh.
pub fn proxy_config(t: &Topology, c: ClusterId) -> Option<&'static str> {
    t.mesh_of(c).map(|_| "proxyMetadata:\n  ISTIO_META_DNS_CAPTURE: \"true\"\n")
}

/// The external-dns annotation (its `istio-gateway` source) that keeps one
/// DNS record per cluster for a host several clusters serve: each cluster's
/// external-dns owns the record of its own ingress gateway.
pub const EXTERNAL_DNS_SET_IDENTIFIER: &str = "external-dns.alpha.kubernetes.io/set-identifier";

/// The external-dns annotation of a record's TTL.
pub const EXTERNAL_DNS_TTL: &str = "external-dns.alpha.kubernetes.io/ttl";

/// The TTL, in seconds, of a global entry's records: how long resolvers
/// keep answering with a site whose health check has failed (a minute is
/// the shortest TTL external-dns' documented providers all accept).
pub const GLOBAL_ENTRY_TTL_SECONDS: u32 = 60;

/// Whether service `s`'s exposed host is served from several sites (a
/// global entry: one DNS record per site, each dropped when its health
/// check fails).
pub fn global_entry(t: &Topology, s: &Service) -> bool {
    s.expose.is_some()
        && s.placement.iter().any(|a| s.placement.iter().any(|b| t.cluster(a.value).site != t.cluster(b.value).site))
}

/// The path a global entry's health check requests on the exposed host:
/// the service's HTTP readiness path, else `/`.
pub fn health_check_path(s: &Service) -> &str {
    s.probe
        .as_ref()
        .and_then(|p| p.readiness.as_ref())
        .map(|r| r.value.as_str())
        .filter(|r| r.starts_with('/'))
        .unwrap_or("/")
}
