//! Object metadata and the pieces every pod shares: labels, the secure
//! defaults (non-root, no privilege escalation, read-only root filesystem,
//! all capabilities dropped, seccomp RuntimeDefault) and resources.

use hybrid_emit::labels::Labels;
use hybrid_emit::yaml::{Entries, Obj};
use hybrid_emit::{key, yaml, Map, Str};
use hybrid_model::{Resources, Topology, Workload};

/// Every container's image pull policy: the kubelet asks the registry at
/// each start (a cached image is still used when its digest is unchanged),
/// so a pod runs a private image only with credentials that can pull it and
/// a moved tag is picked up.
pub const PULL_POLICY: &str = "Always";

/// Requests (and limits) when the program states none: every container has
/// both, so no pod is BestEffort and quotas can be enforced.
pub const DEFAULT_CPU: &str = "100m";
pub const DEFAULT_MEMORY: &str = "128Mi";

/// The namespace of vms and jobs, which declare none: the topology's name.
pub fn default_namespace(t: &Topology) -> String {
    t.name.clone()
}

/// Common labels plus the given ones (a map with `.into_map()`).
pub fn labels<'a>(t: &'a Topology, extra: &[(&'static str, &'a str)]) -> Labels<'a> {
    Labels::with(t, extra)
}

/// `metadata` of a namespaced object (a value with `Value::from`).
pub fn meta<'a>(
    t: &'a Topology,
    name: &'a str,
    namespace: &'a str,
    extra: &[(&'static str, &'a str)],
) -> Obj<impl FnOnce(&mut Entries<'_>) + 'a> {
    let labels = labels(t, extra);
    yaml!({ "name": name, "namespace": namespace, "labels": labels })
}

/// `metadata` of a cluster-scoped object.
pub fn cluster_meta<'a>(
    t: &'a Topology,
    name: &'a str,
    extra: &[(&'static str, &'a str)],
) -> Obj<impl FnOnce(&mut Entries<'_>) + 'a> {
    let labels = labels(t, extra);
    yaml!({ "name": name, "labels": labels })
}

/// The pod-level security context.
pub fn pod_security() -> Obj<impl FnOnce(&mut Entries<'_>)> {
    yaml!({ "runAsNonRoot": true, "seccompProfile": { "type": "RuntimeDefault" } })
}

/// The container-level security context.
pub fn container_security() -> Obj<impl FnOnce(&mut Entries<'_>)> {
    yaml!({
        "allowPrivilegeEscalation": false,
        "readOnlyRootFilesystem": true,
        "runAsNonRoot": true,
        "capabilities": { "drop": ["ALL"] },
        "seccompProfile": { "type": "RuntimeDefault" },
    })
}

/// Requests and limits of one container (the limits are the requests
/// unless the program states its own); GPUs as `nvidia.com/gpu` or as
/// the MIG slice's resource (`gpu::mig_resource`).
pub fn resources(r: Option<&Resources>) -> Obj<impl FnOnce(&mut Entries<'_>) + '_> {
    let quantity = |q: Option<String>, default: &str| q.unwrap_or_else(|| default.to_string());
    let cpu = quantity(r.and_then(Resources::cpu_request).map(|c| c.to_quantity()), DEFAULT_CPU);
    let memory = quantity(r.and_then(Resources::memory_request).map(|m| m.to_quantity()), DEFAULT_MEMORY);
    let cpu_limit = r.and_then(|r| r.cpu_limit.as_ref()).map(|l| l.value.to_quantity());
    let memory_limit = r.and_then(|r| r.memory_limit.as_ref()).map(|l| l.value.to_quantity());
    let gpu = match (r.and_then(|r| r.gpu_profile.as_ref()), r.and_then(|r| r.gpu.as_ref())) {
        (Some(p), n) => Some((Str::from(crate::gpu::mig_resource(&p.value)), n.map(|n| n.value).unwrap_or(1).max(1))),
        (None, Some(n)) if n.value > 0 => Some((key!("nvidia.com/gpu"), n.value)),
        _ => None,
    };
    // The requests are the limits the program does not state: both
    // objects read them.
    Obj(move |e: &mut Entries<'_>| {
        let (cpu, memory) = (cpu.as_str(), memory.as_str());
        e.entry(key!("requests"), yaml!({ "cpu": cpu, "memory": memory }));
        e.entry(
            key!("limits"),
            yaml!({
                "cpu": cpu_limit.as_deref().unwrap_or(cpu),
                "memory": memory_limit.as_deref().unwrap_or(memory),
                ..gpu,
            }),
        );
    })
}

/// The labels that select a workload's pods (`emit::labels::pod_selector`).
pub fn app(w: &Workload) -> Map {
    hybrid_emit::labels::pod_selector(w)
}
