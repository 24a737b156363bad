//! HY0051 mpi-needs-root-sshd: `framework mpi` on a job. Volcano's `mpi`
//! plugin (with the `ssh` and `svc` plugins it implies) has the master run
//! `mpirun`, which starts every worker's ranks over SSH: each worker must
//! run sshd on port 22 with the keys the `ssh` plugin mounts under
//! `/root/.ssh`. A job's pods run as non-root, with every capability dropped
//! and a read-only root filesystem, where sshd can neither bind port 22,
//! switch users for a session nor write its host keys and runtime files;
//! the output would weaken the pods' security or never start a rank.

use crate::check::prelude::*;

pub fn check(_: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(framework) = w.job().and_then(|j| j.framework.as_ref()) else { return };
    if framework.value == Framework::Mpi {
        out.push(mpi_needs_root_sshd(w, framework.span));
    }
}

/// HY0051
pub fn mpi_needs_root_sshd(w: &Workload, framework: Span) -> Diagnostic {
    Diagnostic::new(
        &codes::MPI_NEEDS_ROOT_SSHD,
        format!(
            "job `{}` asks for volcano's `mpi` plugin, which needs sshd running as root in every worker, and the job's workers run as non-root with no capabilities",
            w.name
        ),
        framework,
        "needs sshd as root",
    )
    .with_help("write `framework plain` and start the ranks without SSH (each worker gets its peers' names in `VC_WORKER_HOSTS` and its index in `VC_TASK_INDEX`), or `framework pytorch` for PyTorch's launcher")
}
