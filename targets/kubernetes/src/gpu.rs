//! The cluster-wide `gpu.yaml`, written when some pool has GPUs: the NVIDIA
//! GPU Operator's `nvidia.com/v1` ClusterPolicy (`cluster-policy`) with
//! GPUDirect RDMA when a GPU pool has `rdma`, the MIG strategy (`mixed` when a pool uses MIG, so MIG slices are requested
//! as `nvidia.com/mig-PROFILE`, else `single`), the device plugin pointed at
//! the time-slicing ConfigMap and the MIG manager at the MIG ConfigMap, and
//! its operand daemonsets tolerating the GPU pools' taints; then, in the
//! `gpu-operator` namespace, the `time-slicing-config` ConfigMap (one key
//! per time-sliced pool) and the `mig-parted-config` ConfigMap (one
//! mig-parted config per MIG pool, named after the pool, plus
//! `all-disabled` for every other GPU node).
//!
//! Nothing in these objects says which node runs which config: the GPU
//! Operator applies a time-slicing config to the nodes labelled
//! `nvidia.com/device-plugin.config=KEY` and a mig-parted config to those
//! labelled `nvidia.com/mig.config=KEY`. Each sharing pool's config is keyed
//! by the pool's name ([`config_key`]), and the cluster's prerequisites ask
//! for those labels on the nodes of `hybrid.dev/pool=POOL` alone
//! (`prerequisites.rs`). The only default is the MIG manager's
//! `all-disabled`, right for every MIG-capable GPU outside a MIG pool; the
//! device plugin gets none, so a node without the label shares nothing (the
//! operator's fallback is the empty config).

use crate::meta;
use crate::Ctx;
use hybrid_emit::{json, key, yaml, Map, Value};
use hybrid_model::{GpuSharing, Pool, PoolGpu, Topology};

/// The namespace the GPU Operator is installed in.
pub const NAMESPACE: &str = "gpu-operator";
/// The device plugin's ConfigMap with the time-slicing configs.
pub const TIME_SLICING_CONFIG: &str = "time-slicing-config";
/// The MIG manager's ConfigMap with the mig-parted configs.
pub const MIG_CONFIG: &str = "mig-parted-config";
/// The mig-parted config of GPU nodes that are not in a MIG pool, and the
/// MIG manager's default.
const MIG_DISABLED: &str = hybrid_model::MIG_CONFIG_DISABLED;
/// The node label that selects a node's time-slicing config.
pub const DEVICE_PLUGIN_CONFIG_LABEL: &str = "nvidia.com/device-plugin.config";
/// The node label that selects a node's mig-parted config.
pub const MIG_CONFIG_LABEL: &str = "nvidia.com/mig.config";

/// The key of a sharing pool's config in its ConfigMap, and so the value of
/// the node label that selects it: the pool's name.
pub fn config_key(pool: &Pool) -> &str {
    &pool.name
}

/// The cluster's GPU pools: all of them, the time-sliced ones and the MIG
/// ones, each with its `gpu`.
struct GpuPools<'a> {
    all: Vec<(&'a Pool, &'a PoolGpu)>,
    sliced: Vec<(&'a Pool, &'a PoolGpu)>,
    mig: Vec<(&'a Pool, &'a PoolGpu)>,
}

/// The objects of `gpu.yaml`, in the order of the module doc; none when no
/// pool has GPUs.
pub fn objects(ctx: &Ctx<'_>) -> Vec<Value> {
    let t = ctx.t;
    let all: Vec<(&Pool, &PoolGpu)> = ctx.k.pools.iter().filter_map(|p| p.gpu.as_ref().map(|g| (p, g))).collect();
    if all.is_empty() {
        return Vec::new();
    }
    let sharing = |s: GpuSharing| -> Vec<(&Pool, &PoolGpu)> {
        all.iter().copied().filter(|(_, g)| g.sharing.value == s).collect()
    };
    let sliced = sharing(GpuSharing::TimeSlicing);
    let mig = sharing(GpuSharing::Mig);
    let pools = GpuPools { all, sliced, mig };
    let mut out = vec![cluster_policy(t, &pools)];
    out.extend(time_slicing_config_map(t, &pools.sliced));
    out.extend(mig_config_map(t, &pools.mig));
    out
}

/// The GPU Operator's ClusterPolicy.
fn cluster_policy(t: &Topology, pools: &GpuPools<'_>) -> Value {
    json!({
        "apiVersion": "nvidia.com/v1",
        "kind": "ClusterPolicy",
        "metadata": meta::cluster_meta(t, "cluster-policy", &[]),
        "spec": {
            "operator": {},
            "daemonsets": daemonsets(pools),
            "driver": driver(pools),
            "toolkit": { "enabled": true },
            "devicePlugin": device_plugin(pools),
            "dcgm": { "enabled": false },
            "dcgmExporter": { "enabled": true },
            "gfd": { "enabled": true },
            "mig": { "strategy": if pools.mig.is_empty() { "single" } else { "mixed" } },
            "migManager": mig_manager(pools),
            "nodeStatusExporter": { "enabled": false },
        },
    })
}

/// The driver, with GPUDirect RDMA (`nvidia-peermem`, against the DOCA
/// driver of the Network Operator: `useHostMofed` stays off) when a GPU pool
/// has RDMA. The switch is the whole cluster's: on GPU nodes without an
/// RDMA NIC the driver starts as before.
fn driver(pools: &GpuPools<'_>) -> Map {
    let mut driver = Map::new();
    driver.insert(key!("enabled"), Value::from(true));
    if pools.all.iter().any(|(p, _)| p.rdma) {
        driver.insert(key!("rdma"), json!({ "enabled": true }));
    }
    driver
}

/// The operand daemonsets' settings: node-critical, rolling, tolerating
/// the GPU pools' taints.
fn daemonsets(pools: &GpuPools<'_>) -> Map {
    let mut daemonsets = Map::new();
    daemonsets.insert(key!("priorityClassName"), json!("system-node-critical"));
    daemonsets.insert(key!("updateStrategy"), json!("RollingUpdate"));
    let tolerations = tolerations(pools.all.iter().map(|(p, _)| *p));
    if !tolerations.is_empty() {
        daemonsets.insert(key!("tolerations"), Value::Array(tolerations));
    }
    daemonsets
}

/// The device plugin, pointed at the time-slicing ConfigMap when a pool is
/// time-sliced.
fn device_plugin(pools: &GpuPools<'_>) -> Map {
    let mut device_plugin = Map::new();
    device_plugin.insert(key!("enabled"), Value::from(true));
    if !pools.sliced.is_empty() {
        device_plugin.insert(key!("config"), json!({ "name": TIME_SLICING_CONFIG }));
    }
    device_plugin
}

/// The MIG manager, enabled and pointed at the MIG ConfigMap when a pool
/// uses MIG.
fn mig_manager(pools: &GpuPools<'_>) -> Map {
    let mut mig_manager = Map::new();
    mig_manager.insert(key!("enabled"), Value::from(!pools.mig.is_empty()));
    if !pools.mig.is_empty() {
        mig_manager.insert(key!("config"), json!({ "name": MIG_CONFIG, "default": MIG_DISABLED }));
    }
    mig_manager
}

/// The extended resource the device plugin advertises for one MIG slice of
/// `profile` under the `mixed` strategy: `nvidia.com/mig-PROFILE`, with a
/// `+` (the media-engine profiles, `1g.10gb+me`) written `.`, as a resource
/// name may not hold a `+` (NVIDIA k8s-device-plugin, `internal/rm`:
/// `strings.ReplaceAll("mig-"+profile, "+", ".")`).
pub fn mig_resource(profile: &str) -> String {
    format!("nvidia.com/mig-{}", profile.replace('+', "."))
}

/// The `time-slicing-config` ConfigMap: one key per time-sliced pool (none
/// without one).
fn time_slicing_config_map(t: &Topology, sliced: &[(&Pool, &PoolGpu)]) -> Option<Value> {
    if sliced.is_empty() {
        return None;
    }
    let mut data = Map::new();
    for (p, g) in sliced {
        data.insert(config_key(p).to_string(), Value::from(time_slicing(g.replicas.unwrap_or(1))));
    }
    Some(json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": meta::meta(t, TIME_SLICING_CONFIG, NAMESPACE, &[]),
        "data": data,
    }))
}

/// The `mig-parted-config` ConfigMap: `all-disabled` and one config per
/// MIG pool (none without one).
fn mig_config_map(t: &Topology, mig: &[(&Pool, &PoolGpu)]) -> Option<Value> {
    if mig.is_empty() {
        return None;
    }
    let mut configs = Map::new();
    // No MIG pool takes this name (HY4014).
    configs.insert(MIG_DISABLED, json!([{ "devices": "all", "mig-enabled": false }]));
    for (p, g) in mig {
        configs.insert(config_key(p).to_string(), mig_parted(t, g));
    }
    let config = yaml::document(&json!({ "version": "v1", "mig-configs": configs }));
    Some(json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": meta::meta(t, MIG_CONFIG, NAMESPACE, &[]),
        "data": { "config.yaml": config },
    }))
}

/// The mig-parted config of a MIG pool: every GPU cut into as many slices
/// of its profile as the model holds.
fn mig_parted(t: &Topology, g: &PoolGpu) -> Value {
    let profile = g.profile.as_ref().map(|p| p.value.as_str()).unwrap_or_default();
    let instances =
        t.gpu_models.get(g.model.index()).and_then(|m| m.mig_profile(profile)).map(|m| m.instances).unwrap_or(1);
    let mut devices = Map::new();
    devices.insert(profile.to_string(), Value::from(instances));
    json!([{ "devices": "all", "mig-enabled": true, "mig-devices": devices }])
}

/// The device plugin's config sharing each GPU `replicas` ways.
fn time_slicing(replicas: u32) -> String {
    yaml::document(&json!({
        "version": "v1",
        "sharing": {
            "timeSlicing": {
                "resources": [{ "name": "nvidia.com/gpu", "replicas": replicas }],
            },
        },
    }))
}

/// Tolerations for every taint of the GPU pools, so the operator's
/// daemonsets (driver, toolkit, device plugin…) run on their nodes.
fn tolerations<'a>(pools: impl Iterator<Item = &'a Pool>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for p in pools {
        for taint in &p.taints {
            let tol = match &taint.value {
                Some(v) => {
                    json!({ "key": &taint.key, "operator": "Equal", "value": v, "effect": taint.effect.as_str() })
                }
                None => json!({ "key": &taint.key, "operator": "Exists", "effect": taint.effect.as_str() }),
            };
            if !out.contains(&tol) {
                out.push(tol);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mig_resources_are_valid_resource_names() {
        assert_eq!(mig_resource("1g.10gb"), "nvidia.com/mig-1g.10gb");
        assert_eq!(mig_resource("1g.10gb+me"), "nvidia.com/mig-1g.10gb.me");
    }

    #[test]
    fn time_slicing_config() {
        assert_eq!(
            time_slicing(4),
            "version: v1\nsharing:\n  timeSlicing:\n    resources:\n    - name: nvidia.com/gpu\n      replicas: 4\n"
        );
    }
}
