//! The Kubernetes target: for every kubernetes cluster, the folder
//! `SITE/CLUSTER/kubernetes/` with the cluster-wide files (namespaces,
//! the vms' priority classes, storage classes, the GPU Operator policy, backups, Ceph mirroring,
//! Argo CD) and one file per workload placed there,
//! `NAMESPACE/WORKLOAD.yaml`, holding every object of that workload in a
//! fixed kind order. Pinned to the Kubernetes 1.31 APIs.
//!
//! Each module lowers one concern of the model into objects, keys in the
//! conventional order, written by `emit::yaml`: a workload's as they are
//! described (`yaml!` into the file's `Documents`), the cluster-wide ones
//! as values.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

mod backup;
mod gitops;
mod gpu;
mod job;
mod meta;
mod namespaces;
mod network_policy;
mod prerequisites;
mod priority;
mod rdma;
mod replication;
mod scheduling;
mod service;
mod storage;
mod vm;

use hybrid_emit::yaml::Documents;
use hybrid_emit::{
    cluster_dir, kubernetes_dir, par_map, workload_file, yaml, ClusterFile, EmitOptions, OutputTree, Target, Value,
};
use hybrid_model::{ClusterId, Kubernetes, Topology, Workload, WorkloadId, WorkloadKind};

/// The Kubernetes target.
#[derive(Debug, Default, Clone, Copy)]
pub struct KubernetesTarget;

/// The cluster-wide files, in the order the kustomization lists them; the
/// ranks leave room for other targets' files between them.
const NAMESPACES: ClusterFile = ClusterFile { name: "namespaces.yaml", rank: 10 };
const PRIORITIES: ClusterFile = ClusterFile { name: "priorities.yaml", rank: 15 };
const STORAGE: ClusterFile = ClusterFile { name: "storage.yaml", rank: 20 };
const GPU: ClusterFile = ClusterFile { name: "gpu.yaml", rank: 30 };
const QUEUES: ClusterFile = ClusterFile { name: "queues.yaml", rank: 40 };
const BACKUP: ClusterFile = ClusterFile { name: "backup.yaml", rank: 60 };
const REPLICATION: ClusterFile = ClusterFile { name: "replication.yaml", rank: 70 };
const GITOPS: ClusterFile = ClusterFile { name: "gitops.yaml", rank: 80 };

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

    fn cluster_files(&self) -> &'static [ClusterFile] {
        &[NAMESPACES, PRIORITIES, STORAGE, GPU, QUEUES, BACKUP, REPLICATION, GITOPS]
    }

    fn emit(&self, t: &Topology, _opts: &EmitOptions, out: &mut OutputTree) {
        // Ceph mirroring of pools whose site runs no Rook: the steps, in
        // the folders of the kubernetes clusters that use them.
        hybrid_emit::ceph::require_by_hand(t, out, |id| t.cluster(id).kubernetes().is_some());
        // Every cluster's workload files, added to the tree at once.
        let mut workload_files = Vec::new();
        let default_namespace = meta::default_namespace(t);
        for id in t.cluster_ids() {
            let c = t.cluster(id);
            let Some(k) = c.kubernetes() else { continue };
            let ctx = Ctx { t, id, k, dir: kubernetes_dir(t, id) };
            file(out, &ctx, NAMESPACES, namespaces::objects(&ctx));
            file(out, &ctx, PRIORITIES, priority::objects(&ctx));
            file(out, &ctx, STORAGE, storage::objects(&ctx));
            file(out, &ctx, GPU, gpu::objects(&ctx));
            file(out, &ctx, QUEUES, job::queues(&ctx));
            file(out, &ctx, BACKUP, backup::objects(&ctx));
            file(out, &ctx, REPLICATION, replication::objects(&ctx));
            file(out, &ctx, GITOPS, gitops::objects(&ctx));
            // Workloads are lowered in parallel, written in program order.
            let owned: Vec<(WorkloadId, &Workload)> = t.workloads_on(id).iter().map(|&i| (i, t.workload(i))).collect();
            let placed: Vec<&Workload> = owned.iter().map(|&(_, w)| w).collect();
            prerequisites::collect(&ctx, &placed, out.require(&cluster_dir(t, id)));
            let texts = par_map(&owned, |&(workload, w)| {
                let mut docs = Documents::new();
                match &w.kind {
                    WorkloadKind::Service(s) => service::objects(&ctx, workload, w, s, &mut docs),
                    WorkloadKind::Vm(v) => vm::objects(&ctx, workload, w, v, &mut docs),
                    WorkloadKind::Job(j) => docs.extend(job::objects(&ctx, w, j)),
                }
                docs.finish()
            });
            // Each path, in the workloads' order (a namespace borrowed, not
            // copied).
            workload_files.reserve(owned.len());
            for (&(workload, w), text) in owned.iter().zip(texts).filter(|(_, text)| !text.is_empty()) {
                let namespace = match &w.kind {
                    WorkloadKind::Service(s) => s.namespace.as_str(),
                    WorkloadKind::Vm(_) | WorkloadKind::Job(_) => default_namespace.as_str(),
                };
                workload_files.push((workload_file(&ctx.dir, namespace, &w.name), workload, text.into()));
            }
        }
        out.add_declared(workload_files);
    }
}

/// Writes `objects` to the cluster-wide file `DIR/NAME` (nothing when there
/// are none).
fn file(out: &mut OutputTree, ctx: &Ctx<'_>, file: ClusterFile, objects: Vec<Value>) {
    if !objects.is_empty() {
        out.add(format!("{}/{}", ctx.dir, file.name), yaml::documents(&objects));
    }
}
