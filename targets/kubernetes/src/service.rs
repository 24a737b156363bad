//! The objects of one `service` in one cluster, in this order:
//! ServiceAccount, one Deployment per version (StatefulSet when the service
//! has volumes), Service, HorizontalPodAutoscaler, PodDisruptionBudget,
//! NetworkPolicy (ingress only on the service's ports, from its `allow-from`
//! callers when it names any).
//!
//! Versions: the main one (`version: stable`) or, with blue-green, `blue`
//! and `green`; then each canary, variant and mirror under its own name,
//! each with its own image — so every Istio subset selects real pods.
//! The passive clusters of `active-passive` run zero replicas and no
//! autoscaler.

use crate::meta;
use crate::scheduling;
use crate::Ctx;
use hybrid_emit::labels::{APP, VERSION};
use hybrid_emit::{json, Map, Value};
use hybrid_model::{Disruption, PlacementMode, Service, SpreadOver, Workload};

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
    let ports: Vec<Value> = ports
        .iter()
        .map(|p| {
            json!({
                "name": port_name(p),
                "port": p.number,
                "targetPort": p.number,
                "protocol": "TCP",
                "appProtocol": p.protocol.as_str(),
            })
        })
        .collect();
    Some(json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": meta::meta(t, &w.name, ns, &[(APP, &w.name)]),
        "spec": { "type": "ClusterIP", "selector": meta::app(w), "ports": ports },
    }))
}

/// The name of a service port.
pub fn port_name(p: &hybrid_model::Port) -> String {
    p.service_name()
}

pub fn objects(ctx: &Ctx<'_>, w: &Workload, s: &Service) -> Vec<Value> {
    let t = ctx.t;
    let ns = s.namespace.as_str();
    let active = s.mode == PlacementMode::ActiveActive || s.placement.first().is_some_and(|p| p.value == ctx.id);
    let replicas = if active { s.replicas.value } else { 0 };
    let mut out = vec![json!({
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": meta::meta(t, &w.name, ns, &[(APP, &w.name)]),
        "automountServiceAccountToken": false,
    })];
    for v in versions(w, s) {
        out.push(workload_object(ctx, w, s, &v, replicas));
    }
    out.extend(ports_service(t, w, ns, &s.ports));
    if let (Some(a), true) = (&s.autoscale, active) {
        let target = versions(w, s).into_iter().next().map(|v| v.object).unwrap_or_else(|| w.name.clone());
        let kind = if s.volumes.is_empty() { "Deployment" } else { "StatefulSet" };
        let mut metrics = Vec::new();
        for (resource, pct) in [("cpu", a.cpu), ("memory", a.memory)] {
            if let Some(p) = pct {
                metrics.push(json!({
                    "type": "Resource",
                    "resource": { "name": resource, "target": { "type": "Utilization", "averageUtilization": p.0.round() as i64 } },
                }));
            }
        }
        let min = a.min.unwrap_or(s.replicas.value).max(1);
        let mut spec = json!({
            "scaleTargetRef": { "apiVersion": "apps/v1", "kind": kind, "name": target },
            "minReplicas": min,
            "maxReplicas": a.max.unwrap_or(min).max(min),
        });
        if !metrics.is_empty() {
            if let Some(m) = spec.as_object_mut() {
                m.insert("metrics".into(), Value::Array(metrics));
            }
        }
        out.push(json!({
            "apiVersion": "autoscaling/v2",
            "kind": "HorizontalPodAutoscaler",
            "metadata": meta::meta(t, &w.name, ns, &[(APP, &w.name)]),
            "spec": spec,
        }));
    }
    if let Some(d) = &s.disruption {
        let mut spec = Map::new();
        match d {
            Disruption::MaxUnavailable(n) => spec.insert("maxUnavailable".into(), Value::from(n.value)),
            Disruption::MinAvailable(n) => spec.insert("minAvailable".into(), Value::from(n.value)),
        };
        spec.insert("selector".into(), json!({ "matchLabels": meta::app(w) }));
        out.push(json!({
            "apiVersion": "policy/v1",
            "kind": "PodDisruptionBudget",
            "metadata": meta::meta(t, &w.name, ns, &[(APP, &w.name)]),
            "spec": spec,
        }));
    }
    // Every service gets one: ingress only on its ports, and only from its
    // `allow-from` callers when it names any (none at all without ports).
    {
        let from: Vec<Value> = s
            .allow_from
            .iter()
            .map(|id| {
                let caller = t.workload(id.value);
                let caller_ns =
                    caller.service().map(|c| c.namespace.clone()).unwrap_or_else(|| meta::default_namespace(t));
                json!({
                    "namespaceSelector": { "matchLabels": { "kubernetes.io/metadata.name": caller_ns } },
                    "podSelector": { "matchLabels": { APP: &caller.name } },
                })
            })
            .collect();
        let ports: Vec<Value> = s.ports.iter().map(|p| json!({ "protocol": "TCP", "port": p.number })).collect();
        let mut rule = Map::new();
        if !from.is_empty() {
            rule.insert("from".into(), Value::Array(from));
        }
        if !ports.is_empty() {
            rule.insert("ports".into(), Value::Array(ports));
        }
        let ingress = if rule.is_empty() { Vec::new() } else { vec![Value::Object(rule)] };
        out.push(json!({
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": meta::meta(t, &w.name, ns, &[(APP, &w.name)]),
            "spec": { "podSelector": { "matchLabels": meta::app(w) }, "policyTypes": ["Ingress"], "ingress": ingress },
        }));
    }
    out
}

/// The Deployment (or StatefulSet) of one version.
fn workload_object(ctx: &Ctx<'_>, w: &Workload, s: &Service, v: &Version<'_>, replicas: u32) -> Value {
    let t = ctx.t;
    let ns = s.namespace.as_str();
    let mut selector = meta::app(w);
    selector.insert(VERSION.into(), Value::from(v.label));
    let mut pod_labels = meta::labels(t, &[]);
    for (k, val) in &selector {
        pod_labels.insert(k.clone(), val.clone());
    }
    let mut container = Map::new();
    container.insert("name".into(), Value::from(w.name.clone()));
    container.insert("image".into(), Value::from(v.image));
    container.insert("imagePullPolicy".into(), Value::from(meta::PULL_POLICY));
    if !s.ports.is_empty() {
        let ports: Vec<Value> = s
            .ports
            .iter()
            .map(|p| json!({ "name": crate::service::container_port_name(p), "containerPort": p.number, "protocol": "TCP" }))
            .collect();
        container.insert("ports".into(), Value::Array(ports));
    }
    let mut env: Vec<Value> = s.env.iter().map(|e| json!({ "name": &e.name, "value": &e.value })).collect();
    env.extend(
        s.secret_env
            .iter()
            .map(|e| json!({ "name": &e.name, "valueFrom": { "secretKeyRef": { "name": &e.secret, "key": &e.key } } })),
    );
    if !env.is_empty() {
        container.insert("env".into(), Value::Array(env));
    }
    container.insert("resources".into(), meta::resources(s.resources.as_ref()));
    if let Some(p) = &s.probe {
        let port = p.port.or(s.ports.first().map(|p| p.number));
        if let Some(port) = port {
            for (key, path) in
                [("livenessProbe", &p.liveness), ("readinessProbe", &p.readiness), ("startupProbe", &p.startup)]
            {
                if let Some(path) = path {
                    container
                        .insert(key.into(), json!({ "httpGet": { "path": path, "port": port }, "periodSeconds": 10 }));
                }
            }
        }
    }
    let mut mounts = vec![json!({ "name": "tmp", "mountPath": "/tmp" })];
    mounts.extend(s.volumes.iter().map(|vol| json!({ "name": &vol.name, "mountPath": &vol.mount })));
    container.insert("volumeMounts".into(), Value::Array(mounts));
    container.insert("securityContext".into(), meta::container_security());

    let mut pod = Map::new();
    pod.insert("serviceAccountName".into(), Value::from(w.name.clone()));
    pod.insert("automountServiceAccountToken".into(), Value::from(false));
    pod.insert("securityContext".into(), meta::pod_security());
    pod.insert("containers".into(), Value::Array(vec![Value::Object(container)]));
    pod.insert("volumes".into(), json!([{ "name": "tmp", "emptyDir": {} }]));
    let (node_affinity, tolerations) = scheduling::placement(ctx, w);
    let mut affinity = node_affinity.and_then(|a| a.as_object().cloned()).unwrap_or_default();
    if let Some(sp) = &s.spread {
        let term = json!({ "labelSelector": { "matchLabels": meta::app(w) }, "topologyKey": "kubernetes.io/hostname" });
        match (sp.over, sp.required) {
            (SpreadOver::Hostname, true) => {
                affinity.insert(
                    "podAntiAffinity".into(),
                    json!({ "requiredDuringSchedulingIgnoredDuringExecution": [term] }),
                );
            }
            (SpreadOver::Hostname, false) => {
                affinity.insert(
                    "podAntiAffinity".into(),
                    json!({ "preferredDuringSchedulingIgnoredDuringExecution": [{ "weight": 100, "podAffinityTerm": term }] }),
                );
            }
            (SpreadOver::Zone, required) => {
                pod.insert(
                    "topologySpreadConstraints".into(),
                    json!([{
                        "maxSkew": 1,
                        "topologyKey": "topology.kubernetes.io/zone",
                        "whenUnsatisfiable": if required { "DoNotSchedule" } else { "ScheduleAnyway" },
                        "labelSelector": { "matchLabels": meta::app(w) },
                    }]),
                );
            }
        }
    }
    if !affinity.is_empty() {
        pod.insert("affinity".into(), Value::Object(affinity));
    }
    if !tolerations.is_empty() {
        pod.insert("tolerations".into(), Value::Array(tolerations));
    }
    // Large values are moved into their parents (`json!` would serialize
    // every interpolated value again, once per nesting level).
    let template = meta::object(vec![
        ("metadata", meta::object(vec![("labels", Value::Object(pod_labels))])),
        ("spec", Value::Object(pod)),
    ]);
    let object_labels = [(APP, w.name.as_str()), (VERSION, v.label)];
    if s.volumes.is_empty() {
        meta::object(vec![
            ("apiVersion", Value::from("apps/v1")),
            ("kind", Value::from("Deployment")),
            ("metadata", meta::meta(t, &v.object, ns, &object_labels)),
            (
                "spec",
                meta::object(vec![
                    ("replicas", Value::from(replicas)),
                    ("selector", meta::object(vec![("matchLabels", Value::Object(selector))])),
                    (
                        "strategy",
                        json!({ "type": "RollingUpdate", "rollingUpdate": { "maxUnavailable": 0, "maxSurge": 1 } }),
                    ),
                    ("template", template),
                ]),
            ),
        ])
    } else {
        let claims: Vec<Value> = s
            .volumes
            .iter()
            .map(|vol| {
                let mut spec = json!({
                    "accessModes": ["ReadWriteOnce"],
                    "resources": { "requests": { "storage": vol.size.to_quantity() } },
                });
                if let (Some(class), Some(m)) = (&vol.storage_class, spec.as_object_mut()) {
                    m.insert("storageClassName".into(), Value::from(class.value.clone()));
                }
                json!({ "metadata": { "name": &vol.name, "labels": meta::app(w) }, "spec": spec })
            })
            .collect();
        meta::object(vec![
            ("apiVersion", Value::from("apps/v1")),
            ("kind", Value::from("StatefulSet")),
            ("metadata", meta::meta(t, &v.object, ns, &object_labels)),
            (
                "spec",
                meta::object(vec![
                    ("serviceName", Value::from(w.name.clone())),
                    ("replicas", Value::from(replicas)),
                    ("selector", meta::object(vec![("matchLabels", Value::Object(selector))])),
                    ("podManagementPolicy", Value::from("Parallel")),
                    ("template", template),
                    ("volumeClaimTemplates", Value::Array(claims)),
                ]),
            ),
        ])
    }
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
