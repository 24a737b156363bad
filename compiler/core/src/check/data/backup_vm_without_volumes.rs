//! HY3014 backup-vm-without-volumes: a backup of a vm placed on an
//! openstack cluster that has no disk at all. Cinder backs up volumes only;
//! such a vm boots from its image onto the compute node's local disk, so
//! the backup would copy nothing.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for (b, w, v, c) in openstack_vm_backups(t) {
        if v.disks.is_empty() {
            out.push(backup_vm_without_volumes(b, &w.name, w.span, &c.name));
        }
    }
}

/// HY3014
pub fn backup_vm_without_volumes(b: &Backup, vm: &str, vm_span: Span, cluster: &str) -> Diagnostic {
    Diagnostic::new(
        &codes::BACKUP_VM_WITHOUT_VOLUMES,
        format!(
            "backup `{}` of vm `{vm}` copies nothing: the vm has no Cinder volume on openstack cluster `{cluster}`",
            b.name
        ),
        b.of.span,
        "has no volume to back up",
    )
    .with_label(vm_span, "boots from its image onto the compute node's local disk")
    .with_help(format!(
        "give vm `{vm}` a boot disk, which the stack creates as a Cinder volume: `disk root size=\"40Gi\" boot=#true`"
    ))
}
