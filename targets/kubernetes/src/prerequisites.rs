//! What this target's objects in one cluster assume of the platform: the
//! operators whose APIs they use, the Secrets they read, the labels their
//! node affinity selects pools by. Read from the model beside the modules
//! that write the objects; `emit::prerequisites` writes them out.

use crate::Ctx;
use hybrid_emit::labels::POOL;
use hybrid_emit::prerequisites::{self as pre, Prerequisites};
use hybrid_model::scheduling::{eligible_pools, restricted};
use hybrid_model::{BackupTarget, StorageBackend, Workload, WorkloadKind};

/// Adds the cluster's prerequisites; `placed` are the workloads it runs.
pub fn collect(ctx: &Ctx<'_>, placed: &[&Workload], p: &mut Prerequisites) {
    storage(ctx, p);
    for b in &ctx.t.backups {
        let here = match b.of.value {
            BackupTarget::Cluster(id) => id == ctx.id,
            BackupTarget::Workload(wid) => placed.iter().any(|w| std::ptr::eq(*w, ctx.t.workload(wid))),
        };
        if here {
            p.operator(&pre::VELERO, format!("Schedule {}", b.name));
        }
    }
    if ctx.k.gitops.is_some() {
        p.operator(&pre::ARGO_CD, format!("Application {}", ctx.t.cluster(ctx.id).name));
    }
    if ctx.k.pools.iter().any(|pool| pool.gpu.is_some()) {
        p.operator(&pre::GPU_OPERATOR, "ClusterPolicy cluster-policy");
    }
    for w in placed {
        workload(ctx, w, p);
    }
}

/// Rook for Ceph storage classes and mirrored pools; the CSI driver of
/// the other backends.
fn storage(ctx: &Ctx<'_>, p: &mut Prerequisites) {
    for sc in &ctx.k.storage_classes {
        let op = match sc.backend {
            StorageBackend::CephRbd => &pre::ROOK,
            StorageBackend::Longhorn => &pre::LONGHORN,
            StorageBackend::Vsan => &pre::VSPHERE_CSI,
            StorageBackend::Local => continue,
        };
        p.operator(op, format!("StorageClass {}", sc.name));
    }
}

/// What one workload's objects read: the operator of its kind, its
/// Secrets, the pool label its affinity selects by.
fn workload(ctx: &Ctx<'_>, w: &Workload, p: &mut Prerequisites) {
    let ns = crate::meta::default_namespace(ctx.t);
    match &w.kind {
        WorkloadKind::Service(s) => {
            let owner = format!(
                "{} {}/{}",
                if s.volumes.is_empty() { "Deployment" } else { "StatefulSet" },
                s.namespace,
                w.name
            );
            for e in &s.secret_env {
                p.secret(&s.namespace, &e.secret, &[e.key.as_str()], format!("{owner} (env {})", e.name));
            }
        }
        WorkloadKind::Vm(v) => {
            p.operator(&pre::KUBEVIRT, format!("VirtualMachine {ns}/{}", w.name));
            if !v.disks.is_empty() {
                p.operator(&pre::CDI, format!("VirtualMachine {ns}/{} (dataVolumeTemplates)", w.name));
            }
        }
        WorkloadKind::Job(j) => {
            if j.runs_on_volcano(ctx.k) {
                p.operator(&pre::VOLCANO, format!("Job {ns}/{}", w.name));
            }
        }
    }
    if restricted(w, ctx.id) {
        for pool in eligible_pools(w, ctx.id, ctx.k) {
            let label = [(POOL, pool.name.as_str())];
            p.node_labels(&pool.name, &[], &label, format!("node affinity of {}", w.name));
        }
    }
}
