//! HY3015 backup-ephemeral-root: a backup of a vm placed on an openstack
//! cluster whose disks include no `boot=#true` one. The vm boots from its
//! image onto the compute node's local disk, which Cinder cannot back up:
//! only its data volumes are copied.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for (b, w, v, c) in openstack_vm_backups(t) {
        if !v.disks.is_empty() && !v.disks.iter().any(|d| d.boot) {
            out.push(backup_ephemeral_root(b, &w.name, w.span, &c.name));
        }
    }
}

/// HY3015
pub fn backup_ephemeral_root(b: &Backup, vm: &str, vm_span: Span, cluster: &str) -> Diagnostic {
    Diagnostic::new(
        &codes::BACKUP_EPHEMERAL_ROOT,
        format!(
            "backup `{}` of vm `{vm}` leaves out its root disk: on openstack cluster `{cluster}` only its data volumes are Cinder volumes",
            b.name
        ),
        b.of.span,
        "backs up the data volumes only",
    )
    .with_label(vm_span, "has no `boot=#true` disk: its root disk is the compute node's")
    .with_help(format!("give vm `{vm}` a boot disk, which the stack creates as a Cinder volume: `disk root size=\"40Gi\" boot=#true`"))
}
