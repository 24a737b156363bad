//! Pools with `rdma #true` and the pods that run on them. A workload every
//! one of whose pools in the cluster has RDMA (pinned to such a pool, or
//! asking for GPUs only such pools serve) gets, in its container, one
//! `rdma/rdma_shared_device_a` — the shared RDMA device the NVIDIA Network
//! Operator's RDMA shared device plugin advertises, named as in its
//! documented `NicClusterPolicy` — and `IPC_LOCK` added back to its dropped
//! capabilities (RDMA pins its buffers in memory), and in its pod a
//! memory-backed `/dev/shm` for NCCL, which the runtime's 64 MiB default
//! would starve. A workload that may also land on a pool without RDMA gets
//! none of this: it would wait for a device those nodes never advertise.
//!
//! The cluster side (GPUDirect RDMA in the ClusterPolicy, the Network
//! Operator in the prerequisites) is in `gpu.rs` and `prerequisites.rs`.

use crate::Ctx;
use hybrid_emit::{json, key, Map, Value};
use hybrid_model::scheduling::{eligible_pools, restricted};
use hybrid_model::Workload;

/// The Network Operator's shared RDMA device, one per pod.
pub const RESOURCE: &str = "rdma/rdma_shared_device_a";
/// The capability RDMA needs to pin (lock) its memory.
const IPC_LOCK: &str = "IPC_LOCK";
/// The pod volume mounted at `/dev/shm`.
const SHM_VOLUME: &str = "dshm";

/// Marks an object whose pods run with RDMA for checkov, whose
/// `CKV_K8S_25` refuses any added capability (the reason may hold no `=`).
pub fn annotate(metadata: &mut Value) {
    const REASON: &str = "RDMA pins its buffers; IPC_LOCK alone is added back, on RDMA pools only";
    if let Some(m) = metadata.as_object_mut() {
        let annotations = m.entry("annotations").or_insert_with(|| json!({}));
        if let Some(a) = annotations.as_object_mut() {
            let n = a.len() + 1;
            a.insert(format!("checkov.io/skip{n}"), Value::from(format!("CKV_K8S_25={REASON}")));
        }
    }
}

/// Whether `w` runs only on RDMA pools of this cluster.
pub fn on_rdma_pools(ctx: &Ctx<'_>, w: &Workload) -> bool {
    if !restricted(w, ctx.id) {
        return false;
    }
    let mut pools = eligible_pools(w, ctx.id, ctx.k).peekable();
    pools.peek().is_some() && pools.all(|p| p.rdma)
}

/// Adds RDMA to a container (the device, `IPC_LOCK`, the `/dev/shm` mount)
/// and to its pod's `volumes` (the memory-backed `/dev/shm`).
pub fn insert(container: &mut Map, volumes: &mut Vec<Value>) {
    if let Some(resources) = container.get_mut("resources") {
        add_device(resources);
    }
    if let Some(security) = container.get_mut("securityContext") {
        add_ipc_lock(security);
    }
    if let Some(mounts) = container.get_mut("volumeMounts").and_then(Value::as_array_mut) {
        mounts.push(shm_mount());
    }
    volumes.push(shm_volume());
}

/// The device in a container's `resources.limits`.
pub fn add_device(resources: &mut Value) {
    if let Some(limits) = resources.get_mut("limits").and_then(Value::as_object_mut) {
        limits.insert(RESOURCE, Value::from(1));
    }
}

/// `IPC_LOCK` added back in a container's `securityContext` (every other
/// capability stays dropped).
pub fn add_ipc_lock(security: &mut Value) {
    if let Some(security) = security.as_object_mut() {
        let drop = security.get("capabilities").and_then(|c| c.get("drop")).cloned().unwrap_or(json!(["ALL"]));
        security.insert(key!("capabilities"), json!({ "add": [IPC_LOCK], "drop": drop }));
    }
}

/// The container's mount of the memory-backed `/dev/shm`.
pub fn shm_mount() -> Value {
    json!({ "name": SHM_VOLUME, "mountPath": "/dev/shm" })
}

/// The pod's memory-backed volume mounted at `/dev/shm`.
pub fn shm_volume() -> Value {
    json!({ "name": SHM_VOLUME, "emptyDir": { "medium": "Memory" } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rdma_adds_the_device_ipc_lock_and_shm() {
        let mut container = json!({
            "resources": { "limits": { "cpu": "1" } },
            "volumeMounts": [],
            "securityContext": { "capabilities": { "drop": ["ALL"] } },
        })
        .as_object()
        .cloned()
        .unwrap();
        let mut volumes = Vec::new();
        insert(&mut container, &mut volumes);
        assert_eq!(container["resources"]["limits"][RESOURCE], 1);
        assert_eq!(container["securityContext"]["capabilities"], json!({ "add": ["IPC_LOCK"], "drop": ["ALL"] }));
        assert_eq!(container["volumeMounts"][0]["mountPath"], "/dev/shm");
        assert_eq!(volumes, vec![json!({ "name": "dshm", "emptyDir": { "medium": "Memory" } })]);
    }

    #[test]
    fn checkov_is_told_why_ipc_lock_is_added() {
        let mut metadata = json!({ "name": "j", "annotations": { "checkov.io/skip1": "CKV_K8S_23=x" } });
        annotate(&mut metadata);
        let skip = metadata["annotations"]["checkov.io/skip2"].as_str().unwrap();
        assert!(skip.starts_with("CKV_K8S_25=") && skip.matches('=').count() == 1, "{skip}");
        let mut bare = json!({ "name": "j" });
        annotate(&mut bare);
        assert!(bare["annotations"]["checkov.io/skip1"].is_string());
    }
}
