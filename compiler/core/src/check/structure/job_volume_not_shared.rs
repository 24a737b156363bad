//! HY0050 job-volume-not-shared: a job's volume on a storage class whose
//! volumes cannot be mounted read-write on several nodes at once. Every
//! worker of a job mounts the same claim (`ReadWriteMany`), and the
//! workers run on different nodes: a Ceph RBD filesystem, a vSAN block
//! volume or a local volume is attached to one node, and the claim would
//! never bind.

use crate::check::prelude::*;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(j) = w.job() else { return };
    let Some(k) = t.cluster(j.placement.value).kubernetes() else { return };
    let shared = k.storage_classes.iter().find(|sc| sc.backend.shares_files());
    for v in &j.volumes {
        let Some(class) = Job::volume_class(k, v) else { continue };
        if !class.backend.shares_files() {
            out.push(job_volume_not_shared(w, v, class, shared));
        }
    }
}

/// HY0050
pub fn job_volume_not_shared(
    w: &Workload,
    v: &Volume,
    class: &StorageClass,
    shared: Option<&StorageClass>,
) -> Diagnostic {
    let span = v.storage_class.as_ref().map_or(v.span, |c| c.span);
    let help = match shared {
        Some(sc) => format!("put the volume on a class that shares its volumes: `storage-class={}`", sc.name),
        None => "declare a storage class that shares its volumes between nodes, e.g. `storage-class shared backend=cephfs pool=POOL`, and write `storage-class=shared`".to_string(),
    };
    Diagnostic::new(
        &codes::JOB_VOLUME_NOT_SHARED,
        format!(
            "volume `{}` of job `{}` is on storage class `{}` ({}), whose volumes cannot be mounted by workers on several nodes",
            v.name,
            w.name,
            class.name,
            class.backend
        ),
        span,
        "not shareable between nodes",
    )
    .with_label(class.span, format!("backend `{}`", class.backend))
    .with_help(help)
}
