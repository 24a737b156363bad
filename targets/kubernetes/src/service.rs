//! The objects of one `service` in one cluster, in this order:
//! ServiceAccount, one Deployment per version (StatefulSet when the service
//! has volumes), Service, the headless Service governing the StatefulSets,
//! HorizontalPodAutoscaler, PodDisruptionBudget, NetworkPolicy (written by
//! `network_policy`). In a member of a mesh that spans clusters, the pods
//! proxy DNS (`emit::mesh::proxy_config`), so the Services of the other
//! members resolve.
//!
//! A service Flagger rolls out (`progressive`) gets no Service of its own:
//! Flagger writes `NAME`, `NAME-primary` and `NAME-canary`; its pods carry
//! `emit::labels::WORKLOAD`, which every selector but the Deployment's
//! uses, so they also select the primary's pods.
//!
//! Versions: the main one (`version: stable`) or, with blue-green, `blue`
//! and `green`; then each canary, variant and mirror under its own name,
//! each with its own image — so every Istio subset selects real pods.
//! Each version starts with the service's starting replicas
//! (`Service::starting_replicas`); the passive clusters of `active-passive`
//! run zero replicas and no autoscaler. [`replicas_not_from_git`] names the
//! counts that something other than the repository owns once created.

use crate::meta;
use crate::rdma;
use crate::scheduling;
use crate::Ctx;
use hybrid_emit::labels::{pod_selector_key, APP, VERSION, WORKLOAD};
use hybrid_emit::mesh;
use hybrid_emit::yaml::{edited, list, Documents, Emit};
use hybrid_emit::{json, key, yaml, Map, Str, Value};
use hybrid_model::{headless_service_name, Autoscale, Disruption, Service, SpreadOver, Workload, WorkloadId};

/// One version: its `version` label, its object name and its image.
struct Version<'a> {
    label: &'a str,
    object: String,
    image: &'a str,
}

fn versions<'a>(w: &'a Workload, s: &'a Service) -> Vec<Version<'a>> {
    s.versions()
        .into_iter()
        .map(|v| Version { label: v.label, object: v.object_name(&w.name), image: v.image })
        .collect()
}

/// The `v1` Service exposing a workload's ports (none without ports); vms
/// on KubeVirt get the same.
pub fn ports_service<'a>(
    t: &'a hybrid_model::Topology,
    w: &'a Workload,
    ns: &'a str,
    ports: &'a [hybrid_model::Port],
) -> Option<impl Emit + 'a> {
    if ports.is_empty() {
        return None;
    }
    Some(yaml!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": meta::meta(t, &w.name, ns, &[(APP, &w.name)]),
        "spec": { "type": "ClusterIP", "selector": meta::app(w), "ports": list(ports.iter().map(service_port)) },
    }))
}

/// One port of a `v1` Service: named, on its `service-port` (or the
/// container's), to the container port, with its protocol for the mesh.
fn service_port(p: &hybrid_model::Port) -> impl Emit + '_ {
    yaml!({
        "name": port_name(p),
        "port": p.service_number(),
        "targetPort": p.number,
        "protocol": "TCP",
        "appProtocol": p.protocol.as_str(),
    })
}

/// The name of a service port.
pub fn port_name(p: &hybrid_model::Port) -> String {
    p.service_name()
}

/// A service in one cluster: what every step of its lowering reads.
struct Lowering<'a> {
    ctx: &'a Ctx<'a>,
    id: WorkloadId,
    w: &'a Workload,
    s: &'a Service,
}

/// What a version's Deployment and StatefulSet share, moved into them.
struct PodSet<M, S, T> {
    metadata: M,
    replicas: u32,
    selector: S,
    template: T,
}

/// Writes the objects of one service in this cluster, in the order of the
/// module doc, as they are lowered.
pub fn objects(ctx: &Ctx<'_>, id: WorkloadId, w: &Workload, s: &Service, out: &mut Documents) {
    let l = Lowering { ctx, id, w, s };
    let active = !s.is_passive_in(ctx.id);
    let replicas = if active { s.starting_replicas() } else { 0 };
    out.push(l.service_account());
    for v in versions(w, s) {
        l.workload_object(&v, replicas, out);
    }
    // Flagger writes the Services of a service it rolls out (`NAME`,
    // `NAME-primary`, `NAME-canary`) and points `NAME` at its primary.
    if s.progressive().is_none() {
        out.push(ports_service(ctx.t, w, &s.namespace, &s.ports));
    }
    if s.is_stateful() {
        out.push(l.headless_service());
    }
    if active {
        out.push(l.autoscaler());
    }
    out.push(l.disruption_budget());
    out.push(l.network_policy());
}

/// The kind of a service's pod sets: StatefulSet with volumes, else
/// Deployment.
fn pod_set_kind(s: &Service) -> &'static str {
    if s.is_stateful() {
        "StatefulSet"
    } else {
        "Deployment"
    }
}

/// The pod sets of `s` in this cluster whose replica count the repository
/// must not reset once they exist, as `(kind, name)`: the autoscaler's
/// target where the autoscaler runs, and every version of a passive copy
/// (an operator scales it up to fail over). An Argo CD Application ignores
/// their `spec.replicas`.
pub fn replicas_not_from_git(ctx: &Ctx<'_>, w: &Workload, s: &Service) -> Vec<(&'static str, String)> {
    let kind = pod_set_kind(s);
    let versions = versions(w, s);
    if s.is_passive_in(ctx.id) {
        return versions.into_iter().map(|v| (kind, v.object)).collect();
    }
    // Flagger scales the Deployment of a service it rolls out to zero once
    // its primary runs, and up for each rollout.
    if s.autoscale.is_some() || s.progressive().is_some() {
        return versions.into_iter().take(1).map(|v| (kind, v.object)).collect();
    }
    Vec::new()
}

impl Lowering<'_> {
    /// `metadata` of the service's objects named after it.
    fn metadata(&self) -> impl Emit + '_ {
        meta::meta(self.ctx.t, &self.w.name, &self.s.namespace, &[(APP, &self.w.name)])
    }

    /// The ServiceAccount its pods run as, with no token mounted.
    fn service_account(&self) -> impl Emit + '_ {
        yaml!({
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": self.metadata(),
            "automountServiceAccountToken": false,
        })
    }

    /// The Deployment (or StatefulSet) of one version.
    fn workload_object(&self, v: &Version<'_>, replicas: u32, out: &mut Documents) {
        let (t, w) = (self.ctx.t, self.w);
        // Flagger finds its primary's selector by `APP` and renames it:
        // the Deployment keeps selecting by it, everything else by
        // `meta::app`.
        let selector = yaml!({ (APP): &w.name, (VERSION): v.label });
        let pod_labels = meta::labels(t, &[(APP, &w.name), (VERSION, v.label), (pod_selector_key(w), &w.name)]);
        let proxy = mesh::proxy_config(t, self.ctx.id);
        let template = yaml!({
            "metadata": {
                "labels": pod_labels,
                "annotations": proxy.map(|config| yaml!({ (mesh::PROXY_CONFIG_ANNOTATION): config })),
            },
            "spec": self.pod_spec(v.image),
        });
        let mut object_labels = vec![(APP, w.name.as_str()), (VERSION, v.label)];
        if self.s.progressive().is_some() {
            object_labels.push((WORKLOAD, w.name.as_str()));
        }
        let metadata = meta::meta(t, &v.object, &self.s.namespace, &object_labels);
        let metadata = edited(metadata, rdma::on_rdma_pools(self.ctx, w).then_some(rdma::annotate));
        let set = PodSet { metadata, replicas, selector, template };
        if self.s.is_stateful() {
            out.push(stateful_set(set, headless_service_name(&w.name), self.volume_claims()));
        } else {
            out.push(deployment(set));
        }
    }

    /// The one container: image, ports, env, resources, probes, mounts and
    /// the secure defaults; RDMA's device, capability and `/dev/shm` on
    /// RDMA pools.
    fn container<'a>(&'a self, image: &'a str, rdma: bool) -> impl Emit + 'a {
        let s = self.s;
        let resources = edited(meta::resources(s.resources.as_ref()), rdma.then_some(rdma::add_device));
        let security = edited(meta::container_security(), rdma.then_some(rdma::add_ipc_lock));
        let ports = s
            .ports
            .iter()
            .map(|p| yaml!({ "name": container_port_name(p), "containerPort": p.number, "protocol": "TCP" }));
        yaml!({
            "name": &self.w.name,
            "image": image,
            "imagePullPolicy": meta::PULL_POLICY,
            "ports": (!s.ports.is_empty()).then(|| list(ports)),
            "env": (!s.env.is_empty() || !s.secret_env.is_empty()).then(|| self.env()),
            "resources": resources,
            ..self.probes(),
            "volumeMounts": [
                { "name": "tmp", "mountPath": "/tmp" },
                ..s.volumes.iter().map(|vol| yaml!({ "name": &vol.name, "mountPath": &vol.mount })),
                rdma.then(rdma::shm_mount),
            ],
            "securityContext": security,
        })
    }

    /// The container's environment: plain values, then values from Secrets.
    fn env(&self) -> impl Emit + '_ {
        let s = self.s;
        yaml!([
            ..s.env.iter().map(|e| yaml!({ "name": &e.name, "value": &e.value })),
            ..s.secret_env.iter().map(|e| {
                yaml!({ "name": &e.name, "valueFrom": { "secretKeyRef": { "name": &e.secret, "key": &e.key } } })
            }),
        ])
    }

    /// The liveness, readiness and startup probes that are set, as
    /// `(key, probe)`: HTTP GETs on the probe's port or the first port, or
    /// — when that port is a `protocol=grpc` one and the value is no HTTP
    /// path — gRPC health checks of the service it names (none without a
    /// port).
    fn probes(&self) -> impl Iterator<Item = (Str, impl Emit + '_)> + '_ {
        let s = self.s;
        let grpc = s.probes_grpc();
        let set = s.probe.as_ref().zip(s.probed_port());
        set.into_iter().flat_map(move |(p, port)| {
            [
                (key!("livenessProbe"), &p.liveness),
                (key!("readinessProbe"), &p.readiness),
                (key!("startupProbe"), &p.startup),
            ]
            .into_iter()
            .filter_map(move |(key, what)| {
                let what = what.as_ref()?.value.as_str();
                // gRPC unless the value is an HTTP path; an empty one
                // checks the server as a whole.
                let rpc = grpc && !what.starts_with('/');
                let check = yaml!({
                    "path": (!rpc).then_some(what),
                    "port": port,
                    "service": (rpc && !what.is_empty()).then_some(what),
                });
                let seconds = |d: Option<std::time::Duration>| d.map(|d| d.as_secs());
                let probe = yaml!({
                    (if rpc { key!("grpc") } else { key!("httpGet") }): check,
                    "initialDelaySeconds": seconds(p.initial_delay),
                    "periodSeconds": seconds(p.period),
                    "timeoutSeconds": seconds(p.timeout),
                    "failureThreshold": p.failure_threshold,
                });
                Some((key, probe))
            })
        })
    }

    /// The pod spec of the container running `image`: its account, the
    /// secure defaults, a writable `/tmp`, RDMA on RDMA pools, the spread
    /// and the placement.
    fn pod_spec<'a>(&'a self, image: &'a str) -> impl Emit + 'a {
        let rdma = rdma::on_rdma_pools(self.ctx, self.w);
        yaml!({
            "serviceAccountName": &self.w.name,
            "automountServiceAccountToken": false,
            "securityContext": meta::pod_security(),
            "containers": [self.container(image, rdma)],
            "volumes": [{ "name": "tmp", "emptyDir": {} }, rdma.then(rdma::shm_volume)],
            "topologySpreadConstraints": self.zone_spread(),
            ..scheduling::placement_entries(self.ctx, self.w, self.node_anti_affinity()),
        })
    }

    /// `spread over=zone`: the topology spread constraint across zones.
    fn zone_spread(&self) -> Option<Value> {
        let sp = self.s.spread.as_ref().filter(|sp| sp.over == SpreadOver::Zone)?;
        Some(json!([{
            "maxSkew": 1,
            "topologyKey": "topology.kubernetes.io/zone",
            "whenUnsatisfiable": if sp.required { "DoNotSchedule" } else { "ScheduleAnyway" },
            "labelSelector": { "matchLabels": meta::app(self.w) },
        }]))
    }

    /// `spread over=hostname`: the pod anti-affinity keeping its pods on
    /// different nodes (required or preferred).
    fn node_anti_affinity(&self) -> Option<Value> {
        let sp = self.s.spread.as_ref().filter(|sp| sp.over == SpreadOver::Hostname)?;
        let term =
            json!({ "labelSelector": { "matchLabels": meta::app(self.w) }, "topologyKey": "kubernetes.io/hostname" });
        Some(if sp.required {
            json!({ "requiredDuringSchedulingIgnoredDuringExecution": [term] })
        } else {
            json!({ "preferredDuringSchedulingIgnoredDuringExecution": [{ "weight": 100, "podAffinityTerm": term }] })
        })
    }

    /// A StatefulSet's claim template per volume.
    fn volume_claims(&self) -> Vec<Value> {
        self.s
            .volumes
            .iter()
            .map(|vol| {
                let spec = crate::storage::claim_spec(vol, "ReadWriteOnce");
                json!({ "metadata": { "name": &vol.name, "labels": meta::app(self.w) }, "spec": spec })
            })
            .collect()
    }

    /// The headless Service (`clusterIP: None`) that governs the
    /// StatefulSets: it gives each pod its DNS name
    /// `POD.SERVICE-headless.NAMESPACE.svc`, on the service's ports.
    fn headless_service(&self) -> impl Emit + '_ {
        let (w, s) = (self.w, self.s);
        let name = headless_service_name(&w.name);
        yaml!({
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": meta::meta(self.ctx.t, &name, &s.namespace, &[(APP, &w.name)]),
            "spec": {
                "clusterIP": "None",
                "selector": meta::app(w),
                "ports": (!s.ports.is_empty()).then(|| list(s.ports.iter().map(service_port))),
            },
        })
    }

    /// The HorizontalPodAutoscaler of the first version, when the service
    /// autoscales.
    fn autoscaler(&self) -> Option<impl Emit + '_> {
        let (w, s) = (self.w, self.s);
        let a = s.autoscale.as_ref()?;
        let (min, max) = s.autoscale_range()?;
        let target = versions(w, s).into_iter().next().map(|v| v.object).unwrap_or_else(|| w.name.clone());
        let metrics = autoscaler_metrics(a);
        Some(yaml!({
            "apiVersion": "autoscaling/v2",
            "kind": "HorizontalPodAutoscaler",
            "metadata": self.metadata(),
            "spec": {
                "scaleTargetRef": { "apiVersion": "apps/v1", "kind": pod_set_kind(s), "name": target },
                "minReplicas": min,
                "maxReplicas": max,
                "metrics": (!metrics.is_empty()).then_some(metrics),
                "behavior": scale_down(a).map(|scale_down| yaml!({ "scaleDown": scale_down })),
            },
        }))
    }

    /// The PodDisruptionBudget, when the service sets `disruption`.
    fn disruption_budget(&self) -> Option<impl Emit + '_> {
        let (bound, n) = match self.s.disruption.as_ref()? {
            Disruption::MaxUnavailable(n) => (key!("maxUnavailable"), n.value),
            Disruption::MinAvailable(n) => (key!("minAvailable"), n.value),
        };
        Some(yaml!({
            "apiVersion": "policy/v1",
            "kind": "PodDisruptionBudget",
            "metadata": self.metadata(),
            "spec": { (bound): n, "selector": { "matchLabels": meta::app(self.w) } },
        }))
    }

    /// Every service gets one: ingress only on its ports, and only from its
    /// `allow-from` callers when it names any (none at all without ports).
    fn network_policy(&self) -> impl Emit + '_ {
        crate::network_policy::network_policy(
            self.ctx.t,
            self.ctx.id,
            self.w,
            &self.s.namespace,
            &self.s.ports,
            &self.ctx.t.allowed_callers(self.id),
        )
    }
}

/// The Deployment of a version without volumes: rolling updates that never
/// take a pod away before its replacement is up.
fn deployment(set: PodSet<impl Emit, impl Emit, impl Emit>) -> impl Emit {
    yaml!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": set.metadata,
        "spec": {
            "replicas": set.replicas,
            "selector": { "matchLabels": set.selector },
            "strategy": { "type": "RollingUpdate", "rollingUpdate": { "maxUnavailable": 0, "maxSurge": 1 } },
            "template": set.template,
        },
    })
}

/// The StatefulSet of a version with volumes, governed by the headless
/// Service `service_name`, with a claim template per volume.
fn stateful_set(set: PodSet<impl Emit, impl Emit, impl Emit>, service_name: String, claims: Vec<Value>) -> impl Emit {
    yaml!({
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": set.metadata,
        "spec": {
            "serviceName": service_name,
            "replicas": set.replicas,
            "selector": { "matchLabels": set.selector },
            "podManagementPolicy": "Parallel",
            "template": set.template,
            "volumeClaimTemplates": claims,
        },
    })
}

/// The autoscaler's `behavior.scaleDown`, when the program sets it: the
/// stabilization window, and a policy removing at most the rate's share of
/// the replicas per minute (`selectPolicy: Disabled` for `0%`, which never
/// scales in).
fn scale_down(a: &Autoscale) -> Option<Value> {
    let mut rule = Map::new();
    if let Some(w) = &a.scale_down_window {
        rule.insert(key!("stabilizationWindowSeconds"), Value::from(w.value.as_secs()));
    }
    match a.scale_down_rate {
        Some(p) if p.0 <= 0.0 => {
            rule.insert(key!("selectPolicy"), json!("Disabled"));
        }
        Some(p) => {
            let value = (p.0.round() as i64).max(1);
            rule.insert(key!("policies"), json!([{ "type": "Percent", "value": value, "periodSeconds": 60 }]));
        }
        None => {}
    }
    (!rule.is_empty()).then_some(Value::Object(rule))
}

/// The autoscaler's utilization targets: cpu, then memory, each when set.
fn autoscaler_metrics(a: &Autoscale) -> Vec<Value> {
    let mut metrics = Vec::new();
    for (resource, pct) in [("cpu", a.cpu), ("memory", a.memory)] {
        if let Some(p) = pct {
            metrics.push(json!({
                "type": "Resource",
                "resource": { "name": resource, "target": { "type": "Utilization", "averageUtilization": p.0.round() as i64 } },
            }));
        }
    }
    metrics
}

/// A container port name (at most 15 characters, as Kubernetes requires).
pub fn container_port_name(p: &hybrid_model::Port) -> String {
    let name = port_name(p);
    if name.len() <= 15 {
        name
    } else {
        format!("p{}", p.number)
    }
}
