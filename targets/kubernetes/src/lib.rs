//! The Kubernetes target: for every kubernetes cluster, the folder
//! `SITE/CLUSTER/kubernetes/` with the cluster-wide files (namespaces,
//! storage classes, the GPU Operator policy, backups, Ceph mirroring,
//! Argo CD) and one file per workload placed there,
//! `NAMESPACE/WORKLOAD.yaml`, holding every object of that workload in a
//! fixed kind order. Pinned to the Kubernetes 1.31 APIs.
//!
//! Each module lowers one concern of the model into objects (JSON values
//! with keys in the conventional order) and hands them to `emit::yaml`.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

mod backup;
mod gitops;
mod gpu;
mod job;
mod meta;
mod namespaces;
mod replication;
mod scheduling;
mod service;
mod storage;
mod vm;

use hybrid_emit::{cluster_dir, yaml, EmitOptions, OutputTree, Target, Value};
use hybrid_model::{ClusterId, Kubernetes, Topology, WorkloadKind};

/// The Kubernetes target.
#[derive(Debug, Default, Clone, Copy)]
pub struct KubernetesTarget;

/// What every module needs to know about the cluster it writes for.
pub(crate) struct Ctx<'a> {
    pub t: &'a Topology,
    pub id: ClusterId,
    pub k: &'a Kubernetes,
    /// `SITE/CLUSTER/kubernetes`
    pub dir: String,
}

impl Target for KubernetesTarget {
    fn name(&self) -> &'static str {
        "kubernetes"
    }

    fn emit(&self, t: &Topology, _opts: &EmitOptions, out: &mut OutputTree) {
        for (i, c) in t.clusters.iter().enumerate() {
            let Some(k) = c.kubernetes() else { continue };
            let id = ClusterId::from_index(i);
            let ctx = Ctx { t, id, k, dir: format!("{}/kubernetes", cluster_dir(t, id)) };
            file(out, &ctx, "namespaces.yaml", namespaces::objects(&ctx));
            file(out, &ctx, "storage.yaml", storage::objects(&ctx));
            file(out, &ctx, "gpu.yaml", gpu::objects(&ctx));
            file(out, &ctx, "queues.yaml", job::queues(&ctx));
            file(out, &ctx, "backup.yaml", backup::objects(&ctx));
            file(out, &ctx, "replication.yaml", replication::objects(&ctx));
            file(out, &ctx, "gitops.yaml", gitops::objects(&ctx));
            for w in &t.workloads {
                if !w.placement().contains(&id) {
                    continue;
                }
                let (namespace, objects) = match &w.kind {
                    WorkloadKind::Service(s) => (s.namespace.clone(), service::objects(&ctx, w, s)),
                    WorkloadKind::Vm(v) => (meta::default_namespace(t), vm::objects(&ctx, w, v)),
                    WorkloadKind::Job(j) => (meta::default_namespace(t), job::objects(&ctx, w, j)),
                };
                file(out, &ctx, &format!("{namespace}/{}.yaml", w.name), objects);
            }
        }
    }
}

/// Writes `objects` to `DIR/name` (nothing when there are none).
fn file(out: &mut OutputTree, ctx: &Ctx<'_>, name: &str, objects: Vec<Value>) {
    if !objects.is_empty() {
        out.add(format!("{}/{name}", ctx.dir), yaml::documents(&objects));
    }
}
