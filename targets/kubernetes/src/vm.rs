//! The objects of one `vm` on a kubernetes cluster with `kubevirt`, in this
//! order: the `kubevirt.io/v1` VirtualMachine, then a `v1` Service for its
//! ports (only when it has some).
//!
//! The VirtualMachine always runs (`runStrategy: Always`) and live-migrates
//! on node drain. Its boot disk is the vm's `image` as a containerDisk,
//! unless a `disk` says `boot=#true`: then that disk is a DataVolume
//! imported from the image (`docker://IMAGE`). Every other `disk` is a blank
//! DataVolume (`dataVolumeTemplates`, CDI `v1beta1` storage API, with the
//! disk's storage class when it names one of this cluster). `numa pinned`
//! asks for dedicated CPUs; `gpu` attaches that many GPUs
//! (`nvidia.com/MODEL`); `anti-affinity GROUP` keeps the vms of one group on
//! different nodes. The vm sits on the pod network (masquerade); the
//! Service selects its virt-launcher pod by the `app.kubernetes.io/name`
//! label, which KubeVirt copies from the template.

use crate::meta;
use crate::scheduling;
use crate::Ctx;
use hybrid_emit::labels::{ANTI_AFFINITY, APP};
use hybrid_emit::{json, Map, Value};
use hybrid_model::{Disk, DiskStorage, Vm, Workload};

/// The name of the image's volume when it is a containerDisk: `containerdisk`,
/// or with a numeric suffix when a `disk` already has that name.
fn image_volume_name(disk_names: &[&str]) -> String {
    let base = "containerdisk";
    std::iter::once(base.to_string())
        .chain((1..=disk_names.len()).map(|i| format!("{base}-{i}")))
        .find(|c| !disk_names.contains(&c.as_str()))
        .unwrap_or_else(|| base.to_string())
}

/// The index of the boot disk among the vm's disks: the first with
/// `boot=#true`; `None` when the image is booted as a containerDisk.
fn boot_disk(disks: &[Disk]) -> Option<usize> {
    disks.iter().position(|d| d.boot)
}

pub fn objects(ctx: &Ctx<'_>, w: &Workload, v: &Vm) -> Vec<Value> {
    let t = ctx.t;
    let ns = meta::default_namespace(t);
    let name = w.name.as_str();
    let boot = boot_disk(&v.disks);

    // Disks, volumes and DataVolume templates, the boot disk first.
    let mut disks: Vec<Value> = Vec::new();
    let mut volumes: Vec<Value> = Vec::new();
    let mut templates: Vec<Value> = Vec::new();
    if boot.is_none() {
        let names: Vec<&str> = v.disks.iter().map(|d| d.name.as_str()).collect();
        let vol = image_volume_name(&names);
        disks.push(json!({ "name": &vol, "bootOrder": 1, "disk": { "bus": "virtio" } }));
        volumes.push(json!({ "name": vol, "containerDisk": { "image": &v.image.value } }));
    }
    let order = boot.into_iter().chain((0..v.disks.len()).filter(|i| Some(*i) != boot));
    for i in order {
        let Some(d) = v.disks.get(i) else { continue };
        let is_boot = Some(i) == boot;
        let dv = format!("{name}-{}", d.name);
        let mut disk = Map::new();
        disk.insert("name".into(), Value::from(d.name.clone()));
        if is_boot {
            disk.insert("bootOrder".into(), Value::from(1));
        }
        disk.insert("disk".into(), json!({ "bus": "virtio" }));
        disks.push(Value::Object(disk));
        volumes.push(json!({ "name": &d.name, "dataVolume": { "name": &dv } }));
        let mut storage = Map::new();
        storage.insert("resources".into(), json!({ "requests": { "storage": d.size.to_quantity() } }));
        if let Some(DiskStorage::StorageClass(cluster, class)) = &d.storage {
            if *cluster == ctx.id {
                storage.insert("storageClassName".into(), Value::from(class.clone()));
            }
        }
        let source = if is_boot {
            json!({ "registry": { "url": format!("docker://{}", v.image.value) } })
        } else {
            json!({ "blank": {} })
        };
        templates.push(json!({
            "apiVersion": "cdi.kubevirt.io/v1beta1",
            "kind": "DataVolume",
            "metadata": { "name": dv, "labels": meta::labels(t, &[(APP, name)]) },
            "spec": { "source": source, "storage": Value::Object(storage) },
        }));
    }

    let mut cpu = Map::new();
    cpu.insert("cores".into(), Value::from(v.cpu.value));
    if v.numa_pinned {
        cpu.insert("dedicatedCpuPlacement".into(), Value::from(true));
    }
    let memory = v.memory.value.to_quantity();

    let mut devices = Map::new();
    devices.insert("disks".into(), Value::Array(disks));
    if let Some(g) = &v.gpu {
        let model = &t.gpu_model(g.model).name;
        let gpus: Vec<Value> = (0..g.count)
            .map(|i| json!({ "name": format!("gpu{i}"), "deviceName": format!("nvidia.com/{model}") }))
            .collect();
        devices.insert("gpus".into(), Value::Array(gpus));
    }
    devices.insert("interfaces".into(), json!([{ "name": "default", "masquerade": {} }]));

    let mut template_labels = meta::labels(t, &[(APP, name)]);
    let mut spec = Map::new();
    spec.insert("evictionStrategy".into(), Value::from("LiveMigrate"));
    spec.insert(
        "domain".into(),
        json!({
            "cpu": Value::Object(cpu),
            "memory": { "guest": &memory },
            "resources": { "requests": { "memory": memory } },
            "devices": Value::Object(devices),
        }),
    );
    spec.insert("networks".into(), json!([{ "name": "default", "pod": {} }]));
    spec.insert("volumes".into(), Value::Array(volumes));
    let (node_affinity, tolerations) = scheduling::placement(ctx, w);
    let mut affinity = node_affinity.and_then(|a| a.as_object().cloned()).unwrap_or_default();
    if let Some(group) = &v.anti_affinity {
        template_labels.insert(ANTI_AFFINITY.into(), Value::from(group.clone()));
        affinity.insert(
            "podAntiAffinity".into(),
            json!({
                "requiredDuringSchedulingIgnoredDuringExecution": [{
                    "labelSelector": { "matchLabels": { ANTI_AFFINITY: group } },
                    "topologyKey": "kubernetes.io/hostname",
                }]
            }),
        );
    }
    if !affinity.is_empty() {
        spec.insert("affinity".into(), Value::Object(affinity));
    }
    if !tolerations.is_empty() {
        spec.insert("tolerations".into(), Value::Array(tolerations));
    }

    let mut vm_spec = Map::new();
    vm_spec.insert("runStrategy".into(), Value::from("Always"));
    if !templates.is_empty() {
        vm_spec.insert("dataVolumeTemplates".into(), Value::Array(templates));
    }
    vm_spec
        .insert("template".into(), json!({ "metadata": { "labels": template_labels }, "spec": Value::Object(spec) }));

    let mut out = vec![json!({
        "apiVersion": "kubevirt.io/v1",
        "kind": "VirtualMachine",
        "metadata": meta::meta(t, name, &ns, &[(APP, name)]),
        "spec": Value::Object(vm_spec),
    })];

    out.extend(crate::service::ports_service(t, w, &ns, &v.ports));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_volume_avoids_disk_names() {
        assert_eq!(image_volume_name(&["data", "logs"]), "containerdisk");
        assert_eq!(image_volume_name(&["containerdisk"]), "containerdisk-1");
        assert_eq!(image_volume_name(&["containerdisk-1", "containerdisk"]), "containerdisk-2");
    }
}
