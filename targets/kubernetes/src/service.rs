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
use hybrid_emit::labels::{APP, VERSION, WORKLOAD};
use hybrid_emit::mesh;
use hybrid_emit::{json, key, Map, Str, Value};
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
pub fn ports_service(
    t: &hybrid_model::Topology,
    w: &Workload,
    ns: &str,
    ports: &[hybrid_model::Port],
) -> Option<Value> {
    if ports.is_empty() {
        return None;
    }
    let ports: Vec<Value> = ports.iter().map(service_port).collect();
    Some(json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": meta::meta(t, &w.name, ns, &[(APP, &w.name)]),
        "spec": { "type": "ClusterIP", "selector": meta::app(w), "ports": ports },
    }))
}

/// One port of a `v1` Service: named, on its `service-port` (or the
/// container's), to the container port, with its protocol for the mesh.
fn service_port(p: &hybrid_model::Port) -> Value {
    json!({
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
struct PodSet {
    metadata: Value,
    replicas: u32,
    selector: Map,
    template: Value,
}

/// The objects of one service in this cluster, in the order of the module
/// doc.
pub fn objects(ctx: &Ctx<'_>, id: WorkloadId, w: &Workload, s: &Service) -> Vec<Value> {
    let l = Lowering { ctx, id, w, s };
    let active = !s.is_passive_in(ctx.id);
    let replicas = if active { s.starting_replicas() } else { 0 };
    let mut out = vec![l.service_account()];
    for v in versions(w, s) {
        out.push(l.workload_object(&v, replicas));
    }
    // Flagger writes the Services of a service it rolls out (`NAME`,
    // `NAME-primary`, `NAME-canary`) and points `NAME` at its primary.
    if s.progressive().is_none() {
        out.extend(ports_service(ctx.t, w, &s.namespace, &s.ports));
    }
    if s.is_stateful() {
        out.push(l.headless_service());
    }
    if active {
        out.extend(l.autoscaler());
    }
    out.extend(l.disruption_budget());
    out.push(l.network_policy());
    out
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
    fn metadata(&self) -> Value {
        meta::meta(self.ctx.t, &self.w.name, &self.s.namespace, &[(APP, &self.w.name)])
    }

    /// The ServiceAccount its pods run as, with no token mounted.
    fn service_account(&self) -> Value {
        json!({
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": self.metadata(),
            "automountServiceAccountToken": false,
        })
    }

    /// The Deployment (or StatefulSet) of one version.
    fn workload_object(&self, v: &Version<'_>, replicas: u32) -> Value {
        // Flagger finds its primary's selector by `APP` and renames it:
        // the Deployment keeps selecting by it, everything else by
        // `meta::app`.
        let mut selector = Map::new();
        selector.insert(APP, Value::from(self.w.name.clone()));
        selector.insert(VERSION, Value::from(v.label));
        let mut pod_labels = meta::labels(self.ctx.t, &[]);
        pod_labels.extend(selector.clone());
        pod_labels.extend(meta::app(self.w));
        let mut template = pod_template(pod_labels, self.pod_spec(self.container(v.image)));
        if let Some(config) = mesh::proxy_config(self.ctx.t, self.ctx.id) {
            annotate_pods(&mut template, mesh::PROXY_CONFIG_ANNOTATION, config);
        }
        let mut object_labels = vec![(APP, self.w.name.as_str()), (VERSION, v.label)];
        if self.s.progressive().is_some() {
            object_labels.push((WORKLOAD, self.w.name.as_str()));
        }
        let mut metadata = meta::meta(self.ctx.t, &v.object, &self.s.namespace, &object_labels);
        if rdma::on_rdma_pools(self.ctx, self.w) {
            rdma::annotate(&mut metadata);
        }
        let set = PodSet { metadata, replicas, selector, template };
        if self.s.is_stateful() {
            stateful_set(set, &headless_service_name(&self.w.name), self.volume_claims())
        } else {
            deployment(set)
        }
    }

    /// The one container: image, ports, env, resources, probes, mounts and
    /// the secure defaults.
    fn container(&self, image: &str) -> Map {
        let s = self.s;
        let mut container = Map::new();
        container.insert(key!("name"), Value::from(self.w.name.clone()));
        container.insert(key!("image"), Value::from(image));
        container.insert(key!("imagePullPolicy"), Value::from(meta::PULL_POLICY));
        if !s.ports.is_empty() {
            let ports: Vec<Value> = s
                .ports
                .iter()
                .map(|p| json!({ "name": container_port_name(p), "containerPort": p.number, "protocol": "TCP" }))
                .collect();
            container.insert(key!("ports"), Value::Array(ports));
        }
        let env = self.env();
        if !env.is_empty() {
            container.insert(key!("env"), Value::Array(env));
        }
        container.insert(key!("resources"), meta::resources(s.resources.as_ref()));
        for (key, probe) in self.probes() {
            container.insert(key, probe);
        }
        let mut mounts = vec![json!({ "name": "tmp", "mountPath": "/tmp" })];
        mounts.extend(s.volumes.iter().map(|vol| json!({ "name": &vol.name, "mountPath": &vol.mount })));
        container.insert(key!("volumeMounts"), Value::Array(mounts));
        container.insert(key!("securityContext"), meta::container_security());
        container
    }

    /// The container's environment: plain values, then values from Secrets.
    fn env(&self) -> Vec<Value> {
        let s = self.s;
        let mut env: Vec<Value> = s.env.iter().map(|e| json!({ "name": &e.name, "value": &e.value })).collect();
        env.extend(s.secret_env.iter().map(
            |e| json!({ "name": &e.name, "valueFrom": { "secretKeyRef": { "name": &e.secret, "key": &e.key } } }),
        ));
        env
    }

    /// The liveness, readiness and startup probes that are set, as
    /// `(key, probe)`: HTTP GETs on the probe's port or the first port, or
    /// — when that port is a `protocol=grpc` one and the value is no HTTP
    /// path — gRPC health checks of the service it names (none without a
    /// port).
    fn probes(&self) -> Vec<(Str, Value)> {
        let Some(p) = &self.s.probe else { return Vec::new() };
        let Some(port) = self.s.probed_port() else { return Vec::new() };
        let grpc = self.s.probes_grpc();
        [
            (key!("livenessProbe"), &p.liveness),
            (key!("readinessProbe"), &p.readiness),
            (key!("startupProbe"), &p.startup),
        ]
        .into_iter()
        .filter_map(|(key, what)| {
            let what = &what.as_ref()?.value;
            let mut probe = Map::new();
            match (grpc, what.as_str()) {
                (true, "") => probe.insert(key!("grpc"), json!({ "port": port })),
                (true, service) if !service.starts_with('/') => {
                    probe.insert(key!("grpc"), json!({ "port": port, "service": service }))
                }
                _ => probe.insert(key!("httpGet"), json!({ "path": what, "port": port })),
            };
            let seconds = |d: Option<std::time::Duration>| d.map(|d| Value::from(d.as_secs()));
            let timings = [
                (key!("initialDelaySeconds"), seconds(p.initial_delay)),
                (key!("periodSeconds"), seconds(p.period)),
                (key!("timeoutSeconds"), seconds(p.timeout)),
                (key!("failureThreshold"), p.failure_threshold.map(Value::from)),
            ];
            probe.extend(timings.into_iter().filter_map(|(k, v)| Some((k, v?))));
            Some((key, Value::Object(probe)))
        })
        .collect()
    }

    /// The pod spec around `container`: its account, the secure defaults, a
    /// writable `/tmp`, RDMA on RDMA pools, the spread and the placement.
    fn pod_spec(&self, mut container: Map) -> Map {
        let mut volumes = vec![json!({ "name": "tmp", "emptyDir": {} })];
        if rdma::on_rdma_pools(self.ctx, self.w) {
            rdma::insert(&mut container, &mut volumes);
        }
        let mut pod = Map::new();
        pod.insert(key!("serviceAccountName"), Value::from(self.w.name.clone()));
        pod.insert(key!("automountServiceAccountToken"), Value::from(false));
        pod.insert(key!("securityContext"), meta::pod_security());
        pod.insert(key!("containers"), Value::Array(vec![Value::Object(container)]));
        pod.insert(key!("volumes"), Value::Array(volumes));
        if let Some(zones) = self.zone_spread() {
            pod.insert(key!("topologySpreadConstraints"), zones);
        }
        scheduling::insert_placement(&mut pod, self.ctx, self.w, self.node_anti_affinity());
        pod
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
    fn headless_service(&self) -> Value {
        let (w, s) = (self.w, self.s);
        let name = headless_service_name(&w.name);
        let mut spec = Map::new();
        spec.insert(key!("clusterIP"), json!("None"));
        spec.insert(key!("selector"), Value::Object(meta::app(w)));
        if !s.ports.is_empty() {
            spec.insert(key!("ports"), Value::Array(s.ports.iter().map(service_port).collect()));
        }
        json!({
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": meta::meta(self.ctx.t, &name, &s.namespace, &[(APP, &w.name)]),
            "spec": spec,
        })
    }

    /// The HorizontalPodAutoscaler of the first version, when the service
    /// autoscales.
    fn autoscaler(&self) -> Option<Value> {
        let (w, s) = (self.w, self.s);
        let a = s.autoscale.as_ref()?;
        let (min, max) = s.autoscale_range()?;
        let target = versions(w, s).into_iter().next().map(|v| v.object).unwrap_or_else(|| w.name.clone());
        let metrics = autoscaler_metrics(a);
        let mut spec = json!({
            "scaleTargetRef": { "apiVersion": "apps/v1", "kind": pod_set_kind(s), "name": target },
            "minReplicas": min,
            "maxReplicas": max,
        });
        if let Some(m) = spec.as_object_mut() {
            if !metrics.is_empty() {
                m.insert(key!("metrics"), Value::Array(metrics));
            }
            if let Some(scale_down) = scale_down(a) {
                m.insert(key!("behavior"), json!({ "scaleDown": scale_down }));
            }
        }
        Some(json!({
            "apiVersion": "autoscaling/v2",
            "kind": "HorizontalPodAutoscaler",
            "metadata": self.metadata(),
            "spec": spec,
        }))
    }

    /// The PodDisruptionBudget, when the service sets `disruption`.
    fn disruption_budget(&self) -> Option<Value> {
        let d = self.s.disruption.as_ref()?;
        let mut spec = Map::new();
        match d {
            Disruption::MaxUnavailable(n) => spec.insert(key!("maxUnavailable"), Value::from(n.value)),
            Disruption::MinAvailable(n) => spec.insert(key!("minAvailable"), Value::from(n.value)),
        };
        spec.insert(key!("selector"), json!({ "matchLabels": meta::app(self.w) }));
        Some(json!({
            "apiVersion": "policy/v1",
            "kind": "PodDisruptionBudget",
            "metadata": self.metadata(),
            "spec": spec,
        }))
    }

    /// Every service gets one: ingress only on its ports, and only from its
    /// `allow-from` callers when it names any (none at all without ports).
    fn network_policy(&self) -> Value {
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

/// The pod template: the pod's labels and its spec, moved in.
fn pod_template(labels: Map, spec: Map) -> Value {
    json!({ "metadata": { "labels": labels }, "spec": spec })
}

/// Adds an annotation to a pod template's metadata.
fn annotate_pods(template: &mut Value, key: &str, value: &str) {
    let Some(metadata) = template.get_mut("metadata").and_then(Value::as_object_mut) else { return };
    let annotations = metadata.entry("annotations").or_insert_with(|| json!({}));
    if let Some(a) = annotations.as_object_mut() {
        a.insert(key.to_string(), Value::from(value));
    }
}

/// The Deployment of a version without volumes: rolling updates that never
/// take a pod away before its replacement is up.
fn deployment(set: PodSet) -> Value {
    json!({
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
fn stateful_set(set: PodSet, service_name: &str, claims: Vec<Value>) -> Value {
    json!({
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
