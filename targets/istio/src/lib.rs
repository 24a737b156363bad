//! The Istio target: for every kubernetes cluster with `mesh istio`,
//! `mesh.yaml` (PeerAuthentication from `mtls`; in a mesh that spans
//! networks, the cross-network Gateway of `multicluster`) and, appended to each
//! service's workload file, its VirtualService and DestinationRule (traffic
//! policies: canary, blue-green, variants, mirror, retries, timeout,
//! circuit breaker with its connection limits) — or, for a `progressive`
//! service, Flagger's Canary in their place —, the EnvoyFilter of its
//! `rate-limit`, its Gateway for `expose`, its AuthorizationPolicy for
//! `allow-from`, and the weighted VirtualService of every `migrate` into it
//! on the vm's host; in a member of a mesh that spans clusters, a copy of
//! the VirtualService and DestinationRule of each service its callers reach
//! in another member (`remote`); a vm outside Kubernetes that joins the mesh or that a
//! `migrate` moves traffic from is declared to the mesh at its `address`
//! (a WorkloadEntry, a Service or ServiceEntry for it, and the
//! ServiceAccount of a vm that joins) in its own file of the one cluster
//! that reaches it.
//!
//! Subsets select pods by the `version` label the Kubernetes target puts on
//! each version's Deployment (`Service::versions`), so every subset routes
//! to real pods; the label keys both targets use are `emit::labels`.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

mod migrate;
mod multicluster;
mod progressive;
mod rate_limit;
mod remote;
mod security;
mod traffic;
mod vms;

use hybrid_emit::labels::{Labels, APP};
use hybrid_emit::mesh::{self, INGRESS_GATEWAY_LABELS, INGRESS_GATEWAY_SERVICE_ACCOUNT, ISTIO_SYSTEM};
use hybrid_emit::prerequisites::{self as pre, Prerequisites};
use hybrid_emit::yaml::{Documents, Entries, Obj};
use hybrid_emit::{cluster_dir, kubernetes_dir, par_map, workload_file, ClusterFile, EmitOptions, OutputTree, Target};
use hybrid_model::{ClusterId, Kubernetes, Service, Topology, Workload, WorkloadId, WorkloadKind};

/// The Istio target.
#[derive(Debug, Default, Clone, Copy)]
pub struct IstioTarget;

pub(crate) struct Ctx<'a> {
    pub t: &'a Topology,
    pub id: ClusterId,
    pub k: &'a Kubernetes,
    pub dir: String,
}

/// The mesh-wide file of a cluster's `kubernetes/` folder (PeerAuthentication),
/// listed after the Kubernetes target's Volcano queues and before its
/// backups.
const MESH: ClusterFile = ClusterFile { name: "mesh.yaml", rank: 50 };

/// `metadata` of a namespaced object: its name, namespace and labels (the
/// common ones, then `APP` when given); a value with `Value::from`.
pub(crate) fn meta<'a>(
    t: &'a Topology,
    name: &'a str,
    namespace: &'a str,
    app: Option<&'a str>,
) -> Obj<impl FnOnce(&mut Entries<'_>) + 'a> {
    let labels = Labels::with(t, app.map(|a| (APP, a)).as_slice());
    hybrid_emit::yaml!({ "name": name, "namespace": namespace, "labels": labels })
}

/// The in-mesh host of a service.
pub(crate) fn host(name: &str, namespace: &str) -> String {
    format!("{name}.{namespace}.svc.cluster.local")
}

impl Target for IstioTarget {
    fn name(&self) -> &'static str {
        "istio"
    }

    fn cluster_files(&self) -> &'static [ClusterFile] {
        &[MESH]
    }

    fn emit(&self, t: &Topology, _opts: &EmitOptions, out: &mut OutputTree) {
        for id in t.cluster_ids() {
            let c = t.cluster(id);
            let Some(k) = c.kubernetes() else { continue };
            if k.mesh.is_none() {
                continue;
            }
            let ctx = Ctx { t, id, k, dir: kubernetes_dir(t, id) };
            let mut mesh_docs = security::mesh(&ctx);
            mesh_docs.extend(multicluster::objects(&ctx));
            out.append_documents(format!("{}/{}", ctx.dir, MESH.name), &mesh_docs);
            // Services are lowered in parallel, appended in program order.
            let services: Vec<(usize, &Workload, &Service)> = t
                .workloads_on(id)
                .iter()
                .map(|&i| (i.index(), t.workload(i)))
                .filter_map(|(i, w)| match &w.kind {
                    WorkloadKind::Service(s) => Some((i, w, &**s)),
                    _ => None,
                })
                .collect();
            let files = par_map(&services, |&(i, w, s)| {
                let mut docs = Documents::with_capacity(2048);
                traffic::objects(&ctx, w, s, &mut docs);
                docs.push(rate_limit::envoy_filter(&ctx, w, s));
                docs.extend(security::authorization(&ctx, WorkloadId::from_index(i), w, s));
                docs.extend(migrate::objects(&ctx, WorkloadId::from_index(i), w, s));
                (workload_file(&ctx.dir, &s.namespace, &w.name), WorkloadId::from_index(i), docs.finish())
            });
            out.append_declared(files);
            // The routing of services this cluster's callers reach in other
            // members of its mesh.
            for (i, w) in t.workloads.iter().enumerate() {
                let Some(s) = w.service() else { continue };
                for (ns, docs) in remote::objects(&ctx, w, s) {
                    let path = workload_file(&ctx.dir, &ns, &remote::remote_name(w, s));
                    out.append_documents(path.clone(), &docs);
                    out.declare(&path, WorkloadId::from_index(i));
                }
            }
            // The vms outside Kubernetes this cluster's mesh reaches, each
            // in its own file.
            for (vm_id, vm) in t.vms_declared_in(id).into_iter().map(|v| (v, t.workload(v))) {
                let path = workload_file(&ctx.dir, &t.name, &vm.name);
                out.append_documents(path.clone(), &vms::declaration(t, vm));
                out.declare(&path, vm_id);
                vms::prerequisites(t, vm, out.require(&cluster_dir(t, id)));
            }
            prerequisites(t, &services, out.require(&cluster_dir(t, id)));
            multicluster::prerequisites(&ctx, out.require(&cluster_dir(t, id)));
        }
    }
}

/// What the mesh's objects of one cluster assume: Istio itself, and for
/// each exposed service the certificate Secret its Gateway names, the DNS
/// record of its host (a global entry when several sites serve it) and —
/// when it names its callers — Istio's default ingress gateway, whose
/// identity and pods its policies admit.
fn prerequisites(t: &Topology, services: &[(usize, &Workload, &Service)], p: &mut Prerequisites) {
    p.operator(&pre::ISTIO, "PeerAuthentication default (mesh.yaml)");
    for (_, w, s) in services {
        if s.progressive().is_some() {
            progressive_prerequisites(w, s, p);
        }
        if s.traffic.as_ref().is_some_and(|tr| tr.rate_limit.is_some()) {
            let filter = format!("EnvoyFilter {}/{}", s.namespace, rate_limit::filter_name(&w.name));
            p.operator(&pre::ISTIO, filter);
        }
    }
    for (_, w, s) in services {
        let Some(e) = &s.expose else { continue };
        if !s.allow_from.is_empty() {
            let labels: Vec<String> = INGRESS_GATEWAY_LABELS.iter().map(|(k, v)| format!("{k}={v}")).collect();
            p.operator(
                &pre::ISTIO,
                format!(
                    "AuthorizationPolicy and NetworkPolicy {}/{} (the ingress gateway: ServiceAccount \
                     {ISTIO_SYSTEM}/{INGRESS_GATEWAY_SERVICE_ACCOUNT}, pods labelled {})",
                    s.namespace,
                    w.name,
                    labels.join(",")
                ),
            );
        }
        let gateway = format!("Gateway {ISTIO_SYSTEM}/{}", hybrid_model::gateway_name(&w.name));
        p.secret(ISTIO_SYSTEM, traffic::credential_name(&w.name), &["tls.crt", "tls.key"], gateway.clone());
        if mesh::global_entry(t, s) {
            global_entry(t, w, s, &e.host, gateway, p);
            continue;
        }
        p.dns(
            &e.host,
            format!("the external address of the ingress gateway (Service istio-ingressgateway in {ISTIO_SYSTEM})"),
            gateway,
        );
    }
}

/// What a progressive canary needs: Flagger, and the Prometheus its
/// metrics come from, scraping Istio's telemetry of the service's sidecars.
fn progressive_prerequisites(w: &Workload, s: &Service, p: &mut Prerequisites) {
    let canary = format!("Canary {}/{}", s.namespace, w.name);
    p.operator(&pre::FLAGGER, canary.clone());
    p.operator(
        &pre::PROMETHEUS,
        format!("{canary} (metrics `{}` and `{}`)", progressive::SUCCESS_RATE_METRIC, progressive::LATENCY_METRIC),
    );
    p.procedure(
        "Flagger for progressive canaries".to_string(),
        vec![
            format!(
                "install Prometheus in {ISTIO_SYSTEM} scraping Istio's standard metrics from every sidecar \
                 (`istio_requests_total`, `istio_request_duration_milliseconds_bucket`), as Istio's Prometheus \
                 integration does"
            ),
            format!(
                "install Flagger in {ISTIO_SYSTEM} with `meshProvider=istio` and `metricsServer` set to that \
                 Prometheus's address (`http://prometheus.{ISTIO_SYSTEM}:9090` for Istio's own)"
            ),
            "roll a new version out by changing the service's image: Flagger keeps the running one as \
             `NAME-primary` and moves traffic to the new one step by step"
                .to_string(),
        ],
    );
}

/// The global entry of a host served from several sites: one DNS record
/// per cluster, written by each cluster's external-dns from the Gateway
/// (its `istio-gateway` source, the record told apart by the Gateway's
/// set identifier), each bound to a health check of the host at that
/// cluster's ingress gateway, so that a lost site's record stops being
/// served — its own external-dns is lost with it and cannot remove it.
fn global_entry(t: &Topology, w: &Workload, s: &Service, host: &str, gateway: String, p: &mut Prerequisites) {
    let clusters: Vec<String> = s.placement.iter().map(|c| format!("`{}`", t.cluster(c.value).name)).collect();
    let path = mesh::health_check_path(s);
    p.operator(&pre::EXTERNAL_DNS, gateway.clone());
    p.dns(
        host,
        format!(
            "one record per cluster serving it ({}), each the external address of that cluster's ingress gateway, \
             with the Gateway's set identifier and a routing policy of the DNS provider that serves every healthy record",
            clusters.join(", ")
        ),
        gateway,
    );
    p.procedure(
        format!("Global entry for {host}"),
        vec![
            format!(
                "run external-dns in every cluster serving `{host}` with `--source=istio-gateway`, \
                 `--txt-owner-id=CLUSTER` (the cluster's name) and a provider that keeps several records \
                 of one name by set identifier (weighted, latency or geolocation routing)"
            ),
            format!(
                "give each cluster's record a health check of `https://{host}{path}` against that cluster's \
                 ingress gateway address (the readiness of `{}`), so that a failed site stops being answered \
                 within the record's TTL ({}s)",
                w.name,
                mesh::GLOBAL_ENTRY_TTL_SECONDS
            ),
        ],
    );
}
