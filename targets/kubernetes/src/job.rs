//! The objects of one `job` in one cluster: a Volcano `batch.volcano.sh/v1alpha1`
//! Job when the job is gang-scheduled or the cluster runs Volcano, else a
//! `batch/v1` Job running `workers` pods in parallel. The Volcano Job runs
//! `workers` pods in the task `worker` (all of them must start together
//! when the job is `gang`); with several workers it also gets the plugins
//! they rendezvous with ([`rendezvous`]): `pytorch` for `framework pytorch`
//! (by default, PyTorch's launcher), whose first worker then runs in a task
//! `master` of its own, else `svc` and `env`. Both share one pod template: the job's image and command,
//! per-worker resources, the secure defaults, `OnFailure` restarts, the
//! GPU / pool placement, a writable `/tmp`, a memory-backed `/dev/shm` of
//! the job's `shm` size, each job volume's claim ([`claims`]: one
//! `ReadWriteMany` PersistentVolumeClaim `JOB-VOLUME` per volume, which
//! every worker mounts), RDMA on RDMA pools and, in a
//! namespace with Istio sidecar injection, `sidecar.istio.io/inject:
//! "false"`: the sidecar never exits, so the pods would never complete.
//!
//! Also owns the cluster-wide Volcano `scheduling.volcano.sh/v1beta1`
//! Queues ([`queues`]): one per queue name the cluster's Volcano jobs use,
//! written once however many jobs share it.

use crate::meta;
use crate::namespaces;
use crate::rdma;
use crate::scheduling;
use crate::Ctx;
use hybrid_emit::labels::{APP, SIDECAR_INJECT, SIDECAR_INJECT_OFF};
use hybrid_emit::{json, key, Map, Value};
use hybrid_model::{Framework, Job, Volume, Workload, VOLCANO_MASTER_TASK, VOLCANO_TASK};

/// The queue Volcano creates itself and every job without `queue` uses.
pub const DEFAULT_QUEUE: &str = "default";

/// The volume of a job's `shm`: a memory-backed emptyDir over `/dev/shm`.
const SHM_VOLUME: &str = "dshm";

/// Retries of a failed `batch/v1` Job before it is marked failed.
const BACKOFF_LIMIT: u32 = 3;

/// Whether the job asks for gang scheduling.
fn gang(j: &Job) -> bool {
    j.gang.as_ref().is_some_and(|g| g.value)
}

/// Whether the job becomes a Volcano Job in this cluster.
fn volcano(ctx: &Ctx<'_>, j: &Job) -> bool {
    j.runs_on_volcano(ctx.k)
}

pub fn objects(ctx: &Ctx<'_>, w: &Workload, j: &Job) -> Vec<Value> {
    let t = ctx.t;
    let ns = meta::default_namespace(t);
    let metadata = Value::from(meta::meta(t, &w.name, &ns, &[(APP, &w.name)]));
    let template = pod_template(ctx, w, j);
    let mut out = vec![job(ctx, w, j, metadata, template)];
    out.extend(claims(ctx, w, j));
    out
}

/// The Job itself: Volcano's or `batch/v1`.
fn job(ctx: &Ctx<'_>, w: &Workload, j: &Job, metadata: Value, template: Value) -> Value {
    let workers = j.workers.value;
    if volcano(ctx, j) {
        let mut metadata = metadata;
        if let Some(m) = metadata.as_object_mut() {
            m.insert(key!("annotations"), checkov_skips());
        }
        let min_available = if gang(j) { workers } else { 1 };
        let queue = j.queue.as_deref().unwrap_or(DEFAULT_QUEUE);
        let mut spec = Map::new();
        spec.insert(key!("schedulerName"), json!("volcano"));
        spec.insert(key!("minAvailable"), Value::from(min_available));
        spec.insert(key!("queue"), Value::from(queue));
        let rendezvous = rendezvous(j);
        if let Some(plugins) = plugins(rendezvous) {
            spec.insert(key!("plugins"), plugins);
        }
        spec.insert(key!("tasks"), tasks(rendezvous, workers, template));
        json!({
            "apiVersion": "batch.volcano.sh/v1alpha1",
            "kind": "Job",
            "metadata": metadata,
            "spec": Value::Object(spec),
        })
    } else {
        let mut metadata = metadata;
        if rdma::on_rdma_pools(ctx, w) {
            rdma::annotate(&mut metadata);
        }
        json!({
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": metadata,
            "spec": {
                "parallelism": workers,
                "completions": workers,
                "backoffLimit": BACKOFF_LIMIT,
                "template": template,
            },
        })
    }
}

/// How the workers of a Volcano Job find each other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rendezvous {
    /// One worker: nobody to find.
    Alone,
    /// PyTorch's launcher: Volcano's `pytorch` plugin, which needs the
    /// first worker in a task of its own, `master`.
    PyTorch,
    /// Anything else: the `svc` plugin (a headless Service named after the
    /// job, so pods resolve as `JOB-TASK-INDEX.JOB`, the workers' names in
    /// `VC_WORKER_HOSTS`, and a NetworkPolicy admitting only the job's own
    /// pods) and the `env` plugin (each pod's index in `VC_TASK_INDEX`).
    Peers,
}

/// The port the `pytorch` plugin opens for the master (its default).
const PYTORCH_PORT: u32 = 23456;

/// How the workers of `j` rendezvous: `framework pytorch` uses the
/// `pytorch` plugin, which gives every pod `MASTER_ADDR`, `MASTER_PORT`,
/// `WORLD_SIZE` and `RANK`; `framework plain` gets the peers' names and its
/// own index (`svc` and `env`). Without `framework`, several workers started
/// by PyTorch's launcher (`torchrun`, `python -m torch.distributed.run` or
/// `.launch`) are `pytorch`, any other command `plain`. `framework mpi` is
/// refused before a target runs (HY0051).
fn rendezvous(j: &Job) -> Rendezvous {
    let pytorch = match j.framework.as_ref().map(|f| f.value) {
        Some(Framework::Pytorch) => true,
        Some(Framework::Plain | Framework::Mpi) => false,
        None => j.launches_pytorch(),
    };
    if j.workers.value <= 1 {
        Rendezvous::Alone
    } else if pytorch {
        Rendezvous::PyTorch
    } else {
        Rendezvous::Peers
    }
}

/// The Volcano Job's `plugins`, none for a single worker.
fn plugins(r: Rendezvous) -> Option<Value> {
    match r {
        Rendezvous::Alone => None,
        Rendezvous::PyTorch => Some(json!({
            "pytorch": [
                format!("--master={VOLCANO_MASTER_TASK}"),
                format!("--worker={VOLCANO_TASK}"),
                format!("--port={PYTORCH_PORT}"),
            ],
        })),
        Rendezvous::Peers => Some(json!({ "svc": [], "env": [] })),
    }
}

/// The Volcano Job's tasks, all running the same pod: the workers, the
/// first of them in a `master` task of its own for PyTorch (rank 0).
fn tasks(r: Rendezvous, workers: u32, template: Value) -> Value {
    match r {
        Rendezvous::PyTorch => json!([
            { "name": VOLCANO_MASTER_TASK, "replicas": 1, "template": template.clone() },
            { "name": VOLCANO_TASK, "replicas": workers.saturating_sub(1), "template": template },
        ]),
        Rendezvous::Alone | Rendezvous::Peers => {
            json!([{ "name": VOLCANO_TASK, "replicas": workers, "template": template }])
        }
    }
}

/// Checkov reads every `kind: Job` as a `batch/v1` Job and looks for its
/// pod at `spec.template`; a Volcano Job's pod is at `spec.tasks[].template`,
/// which sets all four. These annotations tell checkov so (the reason may
/// hold no `=`).
fn checkov_skips() -> Value {
    const REASON: &str = "a Volcano Job; its pod template under spec.tasks sets this";
    let mut m = Map::new();
    for (i, check) in ["CKV_K8S_23", "CKV_K8S_29", "CKV_K8S_31", "CKV_K8S_38"].iter().enumerate() {
        m.insert(format!("checkov.io/skip{}", i + 1), Value::from(format!("{check}={REASON}")));
    }
    Value::Object(m)
}

/// The name of the claim of a job's volume (and of the pod's volume).
fn claim_name(w: &Workload, v: &Volume) -> String {
    format!("{}-{}", w.name, v.name)
}

/// One `ReadWriteMany` PersistentVolumeClaim per job volume, in the job's
/// namespace: every worker mounts the same claim, on whichever node.
fn claims(ctx: &Ctx<'_>, w: &Workload, j: &Job) -> Vec<Value> {
    let ns = meta::default_namespace(ctx.t);
    j.volumes
        .iter()
        .map(|v| {
            let spec = crate::storage::claim_spec(v, "ReadWriteMany");
            json!({
                "apiVersion": "v1",
                "kind": "PersistentVolumeClaim",
                "metadata": meta::meta(ctx.t, &claim_name(w, v), &ns, &[(APP, &w.name)]),
                "spec": spec,
            })
        })
        .collect()
}

/// The pod template every worker runs.
fn pod_template(ctx: &Ctx<'_>, w: &Workload, j: &Job) -> Value {
    let t = ctx.t;
    let mut pod_labels = meta::labels(t, &[]).into_map();
    for (k, v) in meta::app(w) {
        pod_labels.insert(k, v);
    }
    if namespaces::injected(ctx) {
        pod_labels.insert(SIDECAR_INJECT, Value::from(SIDECAR_INJECT_OFF));
    }
    let mut container = Map::new();
    container.insert(key!("name"), Value::from(w.name.clone()));
    container.insert(key!("image"), Value::from(j.image.value.clone()));
    container.insert(key!("imagePullPolicy"), Value::from(meta::PULL_POLICY));
    if !j.command.is_empty() {
        container.insert(key!("command"), json!(&j.command));
    }
    container.insert(key!("resources"), Value::from(meta::resources(j.resources.as_ref())));
    let mut mounts = vec![json!({ "name": "tmp", "mountPath": "/tmp" })];
    let mut volumes = vec![json!({ "name": "tmp", "emptyDir": {} })];
    if let Some(shm) = &j.shm {
        mounts.push(json!({ "name": SHM_VOLUME, "mountPath": "/dev/shm" }));
        volumes.push(json!({
            "name": SHM_VOLUME,
            "emptyDir": { "medium": "Memory", "sizeLimit": shm.value.to_quantity() },
        }));
    }
    for v in &j.volumes {
        let name = claim_name(w, v);
        mounts.push(json!({ "name": &name, "mountPath": &v.mount }));
        volumes.push(json!({ "name": &name, "persistentVolumeClaim": { "claimName": &name } }));
    }
    container.insert(key!("volumeMounts"), Value::Array(mounts));
    container.insert(key!("securityContext"), Value::from(meta::container_security()));
    if rdma::on_rdma_pools(ctx, w) {
        rdma::insert(&mut container, &mut volumes);
    }

    let mut pod = Map::new();
    pod.insert(key!("restartPolicy"), json!("OnFailure"));
    pod.insert(key!("automountServiceAccountToken"), Value::from(false));
    pod.insert(key!("securityContext"), Value::from(meta::pod_security()));
    pod.insert(key!("containers"), json!([Value::Object(container)]));
    pod.insert(key!("volumes"), Value::Array(volumes));
    scheduling::insert_placement(&mut pod, ctx, w, None);
    json!({ "metadata": { "labels": pod_labels }, "spec": Value::Object(pod) })
}

/// One Volcano Queue per distinct queue name used by the Volcano jobs
/// placed on this cluster, sorted by name. Volcano's own `default` queue is
/// left to Volcano.
pub fn queues(ctx: &Ctx<'_>) -> Vec<Value> {
    let names = queue_names(
        ctx.t.placed_on(ctx.id).filter_map(|w| w.job()).filter(|j| volcano(ctx, j)).filter_map(|j| j.queue.as_deref()),
    );
    names
        .into_iter()
        .map(|name| {
            json!({
                "apiVersion": "scheduling.volcano.sh/v1beta1",
                "kind": "Queue",
                "metadata": meta::cluster_meta(ctx.t, name, &[]),
                "spec": { "weight": 1, "reclaimable": true },
            })
        })
        .collect()
}

/// The distinct names, sorted, without Volcano's `default`.
fn queue_names<'a>(names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = names.filter(|n| *n != DEFAULT_QUEUE).collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_names_are_distinct_sorted_and_skip_default() {
        let names = ["research", "pretraining", "default", "research"];
        assert_eq!(queue_names(names.into_iter()), vec!["pretraining", "research"]);
    }

    #[test]
    fn a_pytorch_job_has_a_master_and_the_other_workers() {
        let t = json!({});
        let tasks = tasks(Rendezvous::PyTorch, 4, t);
        assert_eq!(tasks[0]["name"], "master");
        assert_eq!(tasks[0]["replicas"], 1);
        assert_eq!(tasks[1]["name"], "worker");
        assert_eq!(tasks[1]["replicas"], 3);
        assert_eq!(plugins(Rendezvous::Alone), None);
    }

    #[test]
    fn no_queue_names() {
        assert!(queue_names(std::iter::empty()).is_empty());
    }
}
