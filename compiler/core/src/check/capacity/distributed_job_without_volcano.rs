//! HY4015 distributed-job-without-volcano: a job of several workers whose
//! command starts a distributed launcher (`torchrun`, `python -m
//! torch.distributed.run`, `mpirun`, `deepspeed`, …) on a cluster without
//! Volcano becomes a plain `batch/v1` Job: its pods get no stable names and
//! no rank, so the workers cannot find each other. On Volcano the job gets
//! the plugins its workers rendezvous with (`pytorch`, or `svc` and `env`).
//! A warning: the command may rendezvous through a server of its own.

use crate::check::prelude::*;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(j) = w.job() else { return };
    let Some(k) = t.cluster(j.placement.value).kubernetes() else { return };
    let Some(launcher) = j.launcher() else { return };
    // Gang without Volcano is an error of its own (HY4010).
    if j.workers.value > 1 && !j.runs_on_volcano(k) {
        out.push(distributed_job_without_volcano(w, j, launcher, &t.cluster(j.placement.value).name));
    }
}

/// HY4015
pub fn distributed_job_without_volcano(w: &Workload, j: &Job, launcher: &str, cluster: &str) -> Diagnostic {
    Diagnostic::new(
        &codes::DISTRIBUTED_JOB_WITHOUT_VOLCANO,
        format!(
            "the {} workers of job `{}` (`{launcher}`) cannot find each other: `{cluster}` has no Volcano",
            j.workers.value, w.name
        ),
        j.workers.span,
        format!("{} workers, one `{launcher}` run", j.workers.value),
    )
    .with_label(j.placement.span, "a plain batch Job here: no peer names, no rank")
    .with_help(format!("add `scheduler volcano` to `kubernetes {cluster}`"))
}
