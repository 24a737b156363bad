//! The objects of one `vm` on a kubernetes cluster with `kubevirt`, in this
//! order: on a cluster with a mesh, the `v1` ServiceAccount that is the
//! vm's identity there (`emit::mesh::service_account`); the `kubevirt.io/v1`
//! VirtualMachine; then a `v1` Service for its ports (only when it has
//! some); then, when it names `allow-from` workloads, a
//! `networking.k8s.io/v1` NetworkPolicy admitting only them (on its ports,
//! or on any port when it has none), as a service's does.
//!
//! A VirtualMachine names its account with a `serviceAccount` volume (and
//! the disk every volume needs, last): KubeVirt then runs the vm's launcher
//! pod — and the sidecar injected into it — as that account, and gives the
//! guest the account's token on that disk. The account has no permissions;
//! without it the pod would run as the namespace's `default`, which every
//! other pod without an account of its own shares.
//!
//! The VirtualMachine always runs (`runStrategy: Always`) and live-migrates
//! on node drain (`evictionStrategy: LiveMigrate`), its disks on a shared
//! backend claimed `ReadWriteMany` as raw block devices, which both nodes of
//! a migration attach (`hybrid_model::live_migration`). A vm with a disk on
//! storage no two nodes share cannot migrate — `LiveMigrate` would block
//! every drain of its node — so it is shut down and started on another node
//! instead (`evictionStrategy: None`; HY2011 warns). Its boot disk is the vm's `image` as a containerDisk,
//! unless a `disk` says `boot=#true`: then that disk is a DataVolume
//! imported from the image (`docker://IMAGE`). Every other `disk` is a blank
//! DataVolume (`dataVolumeTemplates`, CDI `v1beta1` storage API, with the
//! disk's storage class when it names one of this cluster). `numa pinned`
//! asks for dedicated CPUs, and `numa pinned=#true hugepages=SIZE` for NUMA
//! node pinning (`cpu.numa.guestMappingPassthrough`, memory on huge pages); `gpu` attaches that many GPUs
//! (`nvidia.com/MODEL`); `anti-affinity GROUP` keeps the vms of one group on
//! different nodes; `ha restart-priority=` names the priority's class
//! (`priority.rs`). The vm sits on the pod network (masquerade); the
//! Service selects its virt-launcher pod by the `app.kubernetes.io/name`
//! label, which KubeVirt copies from the template.

use crate::meta;
use crate::scheduling;
use crate::Ctx;
use hybrid_emit::labels::{ANTI_AFFINITY, APP};
use hybrid_emit::yaml::Documents;
use hybrid_emit::{json, key, mesh, yaml, Map, Value};
use hybrid_model::live_migration::{disk_class, unshared_disk};
use hybrid_model::{Disk, DiskStorage, Vm, Workload, WorkloadId};

/// The access mode of a disk's claim on a shared backend: both nodes of a
/// live migration attach it.
const SHARED_ACCESS_MODE: &str = "ReadWriteMany";

/// The name of the image's volume when it is a containerDisk: `containerdisk`,
/// or with a numeric suffix when a `disk` already has that name.
fn image_volume_name(disk_names: &[&str]) -> String {
    unique_name("containerdisk", disk_names)
}

/// `base`, or with the first numeric suffix that no name in `taken` has.
fn unique_name(base: &str, taken: &[&str]) -> String {
    std::iter::once(base.to_string())
        .chain((1..=taken.len()).map(|i| format!("{base}-{i}")))
        .find(|c| !taken.contains(&c.as_str()))
        .unwrap_or_else(|| base.to_string())
}

/// The index of the boot disk among the vm's disks: the first with
/// `boot=#true`; `None` when the image is booted as a containerDisk.
fn boot_disk(disks: &[Disk]) -> Option<usize> {
    disks.iter().position(|d| d.boot)
}

/// A vm in one cluster: what every step of its lowering reads.
struct Lowering<'a> {
    ctx: &'a Ctx<'a>,
    w: &'a Workload,
    v: &'a Vm,
}

/// One `disk` backed by a DataVolume (`VM-DISK`), and whether it boots.
struct DataDisk<'a> {
    disk: &'a Disk,
    data_volume: String,
    boot: bool,
}

/// The vm's disks, the volumes behind them and the DataVolume templates
/// those volumes name, the boot disk first.
#[derive(Default)]
struct Storage {
    disks: Vec<Value>,
    volumes: Vec<Value>,
    templates: Vec<Value>,
}

/// Writes the objects of one vm in this cluster, in the order of the
/// module doc.
pub fn objects(ctx: &Ctx<'_>, id: WorkloadId, w: &Workload, v: &Vm, out: &mut Documents) {
    let l = Lowering { ctx, w, v };
    let ns = &meta::default_namespace(ctx.t);
    if let Some(account) = mesh::service_account(ctx.t, w) {
        out.push(yaml!({
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": meta::meta(ctx.t, &account, ns, &[(APP, &w.name)]),
        }));
    }
    out.push(l.virtual_machine(ns));
    out.push(crate::service::ports_service(ctx.t, w, ns, &v.ports));
    if !v.allow_from.is_empty() {
        let callers = ctx.t.allowed_callers(id);
        out.push(crate::network_policy::network_policy(ctx.t, ctx.id, w, ns, &v.ports, &callers));
    }
}

impl Lowering<'_> {
    /// The VirtualMachine: always running, its DataVolume templates and the
    /// template of its instance.
    fn virtual_machine(&self, ns: &str) -> Value {
        let name = self.w.name.as_str();
        let Storage { disks, volumes, templates } = self.storage();
        let mut vm_spec = Map::new();
        vm_spec.insert(key!("runStrategy"), json!("Always"));
        if !templates.is_empty() {
            vm_spec.insert(key!("dataVolumeTemplates"), Value::Array(templates));
        }
        vm_spec.insert(
            "template",
            json!({ "metadata": { "labels": self.template_labels() }, "spec": Value::Object(self.instance_spec(disks, volumes)) }),
        );
        json!({
            "apiVersion": "kubevirt.io/v1",
            "kind": "VirtualMachine",
            "metadata": meta::meta(self.ctx.t, name, ns, &[(APP, name)]),
            "spec": Value::Object(vm_spec),
        })
    }

    /// Disks, volumes and DataVolume templates, the boot disk first: the
    /// image as a containerDisk when no disk boots; last, on a cluster with
    /// a mesh, the vm's ServiceAccount.
    fn storage(&self) -> Storage {
        let v = self.v;
        let mut storage = Storage::default();
        if boot_disk(&v.disks).is_none() {
            let names: Vec<&str> = v.disks.iter().map(|d| d.name.as_str()).collect();
            let vol = image_volume_name(&names);
            storage.disks.push(json!({ "name": &vol, "bootOrder": 1, "disk": { "bus": "virtio" } }));
            storage.volumes.push(json!({ "name": vol, "containerDisk": { "image": &v.image.value } }));
        }
        for d in self.data_disks() {
            storage.disks.push(disk(&d));
            storage.volumes.push(json!({ "name": &d.disk.name, "dataVolume": { "name": &d.data_volume } }));
            storage.templates.push(self.data_volume(d));
        }
        if let Some(account) = mesh::service_account(self.ctx.t, self.w) {
            let taken: Vec<&str> =
                storage.volumes.iter().filter_map(|v| v.get("name").and_then(Value::as_str)).collect();
            let name = unique_name("serviceaccount", &taken);
            storage.disks.push(json!({ "name": &name, "disk": { "bus": "virtio" } }));
            storage.volumes.push(json!({ "name": name, "serviceAccount": { "serviceAccountName": account } }));
        }
        storage
    }

    /// Every `disk` with its DataVolume's name, the boot disk first.
    fn data_disks(&self) -> Vec<DataDisk<'_>> {
        let disks = &self.v.disks;
        let boot = boot_disk(disks);
        let order = boot.into_iter().chain((0..disks.len()).filter(|i| Some(*i) != boot));
        order
            .filter_map(|i| {
                let disk = disks.get(i)?;
                let data_volume = format!("{}-{}", self.w.name, disk.name);
                Some(DataDisk { disk, data_volume, boot: Some(i) == boot })
            })
            .collect()
    }

    /// The DataVolume template of a disk: imported from the image when it
    /// boots, blank otherwise, in the disk's storage class when it names one
    /// of this cluster.
    fn data_volume(&self, d: DataDisk<'_>) -> Value {
        let mut storage = Map::new();
        storage.insert(key!("resources"), json!({ "requests": { "storage": d.disk.size.to_quantity() } }));
        if let Some(DiskStorage::StorageClass(cluster, class)) = &d.disk.storage {
            if *cluster == self.ctx.id {
                storage.insert(key!("storageClassName"), Value::from(class.clone()));
            }
        }
        if disk_class(self.ctx.k, self.ctx.id, d.disk).is_some_and(|sc| sc.backend.shared()) {
            storage.insert(key!("accessModes"), json!([SHARED_ACCESS_MODE]));
            storage.insert(key!("volumeMode"), json!("Block"));
        }
        let source = if d.boot {
            json!({ "registry": { "url": format!("docker://{}", self.v.image.value) } })
        } else {
            json!({ "blank": {} })
        };
        json!({
            "apiVersion": "cdi.kubevirt.io/v1beta1",
            "kind": "DataVolume",
            "metadata": { "name": d.data_volume, "labels": meta::labels(self.ctx.t, &[(APP, &self.w.name)]) },
            "spec": { "source": source, "storage": Value::Object(storage) },
        })
    }

    /// The instance's labels: the common ones, its name and its
    /// anti-affinity group.
    fn template_labels(&self) -> Map {
        let mut labels = meta::labels(self.ctx.t, &[(APP, &self.w.name)]).into_map();
        if let Some(group) = &self.v.anti_affinity {
            labels.insert(ANTI_AFFINITY, Value::from(group.clone()));
        }
        labels
    }

    /// The instance's spec: live migration, its domain, the pod network,
    /// its volumes and its placement.
    fn instance_spec(&self, disks: Vec<Value>, volumes: Vec<Value>) -> Map {
        let mut spec = Map::new();
        let eviction = if unshared_disk(self.ctx.k, self.ctx.id, self.v).is_some() { "None" } else { "LiveMigrate" };
        spec.insert(key!("evictionStrategy"), Value::from(eviction));
        if let Some(p) = &self.v.ha {
            spec.insert(key!("priorityClassName"), Value::from(crate::priority::class_name(p.value)));
        }
        spec.insert(key!("domain"), self.domain(disks));
        spec.insert(key!("networks"), json!([{ "name": "default", "pod": {} }]));
        spec.insert(key!("volumes"), Value::Array(volumes));
        scheduling::insert_placement(&mut spec, self.ctx, self.w, self.anti_affinity());
        spec
    }

    /// The domain: cores (dedicated when `numa pinned`, with the host's NUMA
    /// nodes passed through and memory on huge pages under `numa
    /// hugepages=`), memory, and the devices — disks, GPUs and the masquerading interface.
    fn domain(&self, disks: Vec<Value>) -> Value {
        let v = self.v;
        let mut cpu = Map::new();
        cpu.insert(key!("cores"), Value::from(v.cpu.value));
        if v.numa_pinned {
            cpu.insert(key!("dedicatedCpuPlacement"), Value::from(true));
        }
        let memory = v.memory.value.to_quantity();
        let mut guest = Map::new();
        guest.insert(key!("guest"), Value::from(memory.clone()));
        if let Some(size) = numa_hugepages(v) {
            cpu.insert(key!("numa"), json!({ "guestMappingPassthrough": {} }));
            guest.insert(key!("hugepages"), json!({ "pageSize": size.as_str() }));
        }
        let mut devices = Map::new();
        devices.insert(key!("disks"), Value::Array(disks));
        if let Some(g) = &v.gpu {
            let model = &self.ctx.t.gpu_model(g.model).name;
            let gpus: Vec<Value> = (0..g.count)
                .map(|i| json!({ "name": format!("gpu{i}"), "deviceName": format!("nvidia.com/{model}") }))
                .collect();
            devices.insert(key!("gpus"), Value::Array(gpus));
        }
        devices.insert(key!("interfaces"), json!([{ "name": "default", "masquerade": {} }]));
        json!({
            "cpu": Value::Object(cpu),
            "memory": Value::Object(guest),
            "resources": { "requests": { "memory": memory } },
            "devices": Value::Object(devices),
        })
    }

    /// `anti-affinity GROUP`: never on a node with another vm of the group.
    fn anti_affinity(&self) -> Option<Value> {
        let group = self.v.anti_affinity.as_ref()?;
        Some(json!({
            "requiredDuringSchedulingIgnoredDuringExecution": [{
                "labelSelector": { "matchLabels": { ANTI_AFFINITY: group } },
                "topologyKey": "kubernetes.io/hostname",
            }]
        }))
    }
}

/// The huge page size of NUMA node pinning: `numa pinned=#true
/// hugepages=SIZE` (KubeVirt's guest NUMA mapping needs dedicated cpus and
/// huge pages; without `pinned` the HY5014 check refuses the program).
pub fn numa_hugepages(v: &Vm) -> Option<hybrid_model::HugePageSize> {
    v.numa_hugepages.as_ref().filter(|_| v.numa_pinned).map(|s| s.value)
}

/// A disk of the instance, on virtio; the boot disk first in boot order.
fn disk(d: &DataDisk<'_>) -> Value {
    let mut disk = Map::new();
    disk.insert(key!("name"), Value::from(d.disk.name.clone()));
    if d.boot {
        disk.insert(key!("bootOrder"), Value::from(1));
    }
    disk.insert(key!("disk"), json!({ "bus": "virtio" }));
    Value::Object(disk)
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
