//! HY2011 unshared-vm-disk: a KubeVirt vm with a disk on a storage class
//! whose backend no two nodes share (`hybrid_model::live_migration`). It
//! cannot live-migrate, and `evictionStrategy: LiveMigrate` would block
//! every drain of its node; the output shuts it down and starts it on
//! another node instead, which this warning makes known.

use crate::check::prelude::*;
use hybrid_model::live_migration::unshared_disk;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(vm) = w.vm() else { return };
    let id = vm.placement.value;
    let Some(k) = t.cluster(id).kubernetes() else { return };
    if !k.kubevirt {
        return;
    }
    if let Some((disk, class)) = unshared_disk(k, id, vm) {
        out.push(unshared_vm_disk(w, disk, class));
    }
}

/// HY2011: on the disk's `storage=` value, or on its name when it takes
/// the cluster's default class; a label on the class.
pub fn unshared_vm_disk(w: &Workload, disk: &Disk, class: &StorageClass) -> Diagnostic {
    let backend = class.backend.as_str();
    let (span, label) = match &disk.storage_ref {
        Some(r) => (r.span, format!("`{backend}` storage")),
        None => (disk.span, format!("in the default class, `{backend}` storage")),
    };
    Diagnostic::new(
        &codes::UNSHARED_VM_DISK,
        format!(
            "vm `{}` cannot live-migrate: disk `{}` is on storage class `{}`, whose `{backend}` volumes no two nodes share",
            w.name, disk.name, class.name
        ),
        span,
        label,
    )
    .with_label(class.span, format!("a storage class with backend `{backend}`"))
    .with_help(
        "put the disk on a storage class with `backend=ceph-rbd` to live-migrate; otherwise the vm is shut down and restarted on another node whenever its node is drained",
    )
}
