//! HY4020 shm-exceeds-memory (a warning): a job's `shm` larger than the
//! memory limit of each worker. A memory-backed `/dev/shm` counts against
//! that limit, and Kubernetes caps its size there: the worker is killed
//! for running out of memory before `/dev/shm` is full.

use crate::check::prelude::*;

pub fn check(_: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(j) = w.job() else { return };
    let (Some(shm), Some(r)) = (&j.shm, &j.resources) else { return };
    let limit = r.memory_limit.as_ref().map(|l| l.value).or(r.memory);
    if let Some(limit) = limit.filter(|l| shm.value > *l) {
        out.push(shm_exceeds_memory(w, shm, r.span, limit));
    }
}

/// HY4020
pub fn shm_exceeds_memory(w: &Workload, shm: &Spanned<Bytes>, resources: Span, limit: Bytes) -> Diagnostic {
    Diagnostic::new(
        &codes::SHM_EXCEEDS_MEMORY,
        format!("job `{}` asks for a /dev/shm of {} but each worker's memory limit is {limit}", w.name, shm.value),
        shm.span,
        "larger than the memory limit",
    )
    .with_label(resources, "the worker's memory")
    .with_help(format!("raise the worker's memory (e.g. `memory-limit=\"{}\"`) or shrink `shm`", shm.value))
}
