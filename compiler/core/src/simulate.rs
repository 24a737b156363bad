//! Failure analysis: for each site and each cluster, pretend it is lost and
//! work out what happens to every workload placed there and to the data in
//! its storage pools. `hybridc check` reports the findings (HY2101 a
//! workload with no surviving placement — an error when it is `critical`;
//! HY2102 survivors that cannot hold it; HY2103 used data with no copy
//! elsewhere); `hybridc simulate` prints the whole analysis, with the RPO
//! each replication's mechanism delivers next to the one it promises and
//! where each service's traffic goes next (`reroute`).

use crate::check::facts::{self, Scale};
use hybrid_diagnostics::{codes, Diagnostic, Severity};
use hybrid_model::*;
use std::time::Duration;

/// What is lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    Site(SiteId),
    Cluster(ClusterId),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Still runs where it ran (active-active survivors).
    Survives,
    /// Fails over to a passive cluster that can hold it.
    FailsOver,
    /// Fails over, but the surviving clusters lack capacity for it.
    Degraded,
    /// A vm with no other placement whose every disk is replicated to a
    /// surviving pool: it can be rebuilt from the replicas.
    Recoverable,
    /// No placement survives.
    Lost,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Survives => "survives",
            Status::FailsOver => "fails over",
            Status::Degraded => "degraded",
            Status::Recoverable => "recoverable",
            Status::Lost => "lost",
        }
    }
}

#[derive(Clone, Debug)]
pub struct WorkloadOutcome {
    pub workload: WorkloadId,
    pub status: Status,
    pub surviving: Vec<ClusterId>,
}

#[derive(Clone, Debug)]
pub enum DataStatus {
    /// A replica survives in `copy`, with the declared objectives and the
    /// RPO its mechanism delivers (`delivered`, the promised `rpo` or the
    /// mechanism's best when that is higher).
    Replicated {
        copy: StorageId,
        mode: ReplicationMode,
        rpo: Duration,
        delivered: Duration,
        mechanism: Option<ReplicationMechanism>,
        rto: Option<Duration>,
    },
    /// The pool only holds replicas (no workload writes to it) of a pool
    /// that survives: nothing is lost.
    ReplicaOf { source: StorageId },
    /// No replica outside the failure.
    NoCopy,
}

#[derive(Clone, Debug)]
pub struct StorageOutcome {
    pub pool: StorageId,
    pub status: DataStatus,
    /// Workloads whose volumes or disks live in the pool.
    pub used_by: Vec<WorkloadId>,
}

#[derive(Clone, Debug)]
pub struct Scenario {
    pub failure: Failure,
    pub clusters_lost: Vec<ClusterId>,
    /// Only the workloads placed on a lost cluster.
    pub workloads: Vec<WorkloadOutcome>,
    /// Only the pools in the failure.
    pub storage: Vec<StorageOutcome>,
    /// Where the traffic of the services served from the lost clusters
    /// goes next (`reroute`).
    pub traffic: Vec<crate::reroute::Reroute>,
}

#[derive(Clone, Debug, Default)]
pub struct Analysis {
    pub scenarios: Vec<Scenario>,
}

impl Failure {
    pub fn name<'t>(&self, t: &'t Topology) -> &'t str {
        match self {
            Failure::Site(s) => &t.site(*s).name,
            Failure::Cluster(c) => &t.cluster(*c).name,
        }
    }
    pub fn kind_word(&self) -> &'static str {
        match self {
            Failure::Site(_) => "site",
            Failure::Cluster(_) => "cluster",
        }
    }

    /// The label on the failed site or cluster.
    fn label(&self) -> &'static str {
        match self {
            Failure::Site(_) => "if this site fails",
            Failure::Cluster(_) => "if this cluster fails",
        }
    }
}

/// Every site failure, then every cluster failure, with where each lost
/// service's traffic goes next (what `hybridc simulate` prints).
pub fn analyse(t: &Topology) -> Analysis {
    analyse_with(t, Traffic::Reroutes)
}

/// The diagnostics of the failure analysis (what `hybridc check` reports):
/// [`analyse`] without the traffic's reroutes, which no finding reads.
pub fn findings(t: &Topology) -> Vec<Diagnostic> {
    findings_for(t, &analyse_with(t, Traffic::Skipped))
}

/// Whether the scenarios work out where traffic goes next.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Traffic {
    Reroutes,
    /// Every scenario's `traffic` is left empty.
    Skipped,
}

fn analyse_with(t: &Topology, traffic: Traffic) -> Analysis {
    let ctx = Context::new(t);
    let mut scenarios = Vec::new();
    for i in 0..t.sites.len() {
        scenarios.push(scenario(t, Failure::Site(SiteId::from_index(i)), &ctx, traffic));
    }
    for id in t.cluster_ids() {
        scenarios.push(scenario(t, Failure::Cluster(id), &ctx, traffic));
    }
    Analysis { scenarios }
}

/// What every scenario needs, gathered once per analysis in one pass over
/// the workloads (each cluster's demand is the topology's, added up in the
/// pass that lists each cluster's workloads), so that the analysis stays
/// linear in the number of workloads and each scenario reads a compact array instead of the
/// workloads themselves (at 100,000 workloads the topology is many times
/// the cache, and each scenario fetching each of its workloads from memory
/// again cost more than all the rest of the analysis).
struct Context {
    usage: Vec<Vec<WorkloadId>>,
    /// Each workload's placement, in order: workload `i`'s is
    /// `placement[starts[i]..starts[i + 1]]`.
    placement: Vec<ClusterId>,
    starts: Vec<u32>,
    /// What each workload is, as far as a failure is concerned.
    kinds: Vec<Kind>,
}

#[derive(Clone, Copy)]
enum Kind {
    /// An `active-passive` service, with what it brings to the cluster it
    /// fails over to (its request × its minimum replicas × its versions).
    Passive(facts::Request),
    Vm,
    /// Anything else: an `active-active` service or a job.
    Other,
}

impl Context {
    fn new(t: &Topology) -> Context {
        let mut placement = Vec::with_capacity(t.workloads.len().saturating_mul(2));
        let mut starts = Vec::with_capacity(t.workloads.len().saturating_add(1));
        let mut kinds = Vec::with_capacity(t.workloads.len());
        let mut usage = vec![Vec::new(); t.storage.len()];
        for (i, w) in t.workloads.iter().enumerate() {
            facts::add_storage_use(t, w, WorkloadId::from_index(i), &mut usage);
            starts.push(u32::try_from(placement.len()).unwrap_or(u32::MAX));
            placement.extend(w.placement());
            kinds.push(match &w.kind {
                WorkloadKind::Service(s) if s.mode == PlacementMode::ActivePassive => Kind::Passive(
                    facts::request(w)
                        .times(facts::service_replicas(s, Scale::Min).saturating_mul(facts::service_versions(s))),
                ),
                WorkloadKind::Vm(_) => Kind::Vm,
                _ => Kind::Other,
            });
        }
        starts.push(u32::try_from(placement.len()).unwrap_or(u32::MAX));
        Context { usage, placement, starts, kinds }
    }

    /// Workload `id`'s placement, in order.
    fn placement(&self, id: WorkloadId) -> &[ClusterId] {
        let at = |i: usize| self.starts.get(i).map_or(0, |&s| s as usize);
        self.placement.get(at(id.index())..at(id.index() + 1)).unwrap_or_default()
    }

    fn kind(&self, id: WorkloadId) -> Kind {
        self.kinds.get(id.index()).copied().unwrap_or(Kind::Other)
    }
}

/// Only the scenario of one named site or cluster.
pub fn analyse_one(t: &Topology, name: &str) -> Option<Analysis> {
    let ctx = Context::new(t);
    let failure = t
        .sites
        .iter()
        .position(|s| s.name == name)
        .map(|i| Failure::Site(SiteId::from_index(i)))
        .or_else(|| t.cluster_ids().find(|&id| t.cluster(id).name == name).map(Failure::Cluster))?;
    Some(Analysis { scenarios: vec![scenario(t, failure, &ctx, Traffic::Reroutes)] })
}

/// The surviving pool that holds a replica of `pool`'s data, if any:
/// replication copies `from` into `to`, one way.
fn replica_of<'t>(t: &'t Topology, pool: StorageId, lost: &[StorageId]) -> Option<&'t Replication> {
    t.replications.iter().find(|r| r.from.value == pool && !lost.contains(&r.to.value))
}

fn scenario(t: &Topology, failure: Failure, ctx: &Context, traffic: Traffic) -> Scenario {
    let clusters_lost: Vec<ClusterId> = match failure {
        Failure::Site(s) => t.site(s).clusters.clone(),
        Failure::Cluster(c) => vec![c],
    };
    let lost = |c: &ClusterId| clusters_lost.contains(c);
    let pools_lost: Vec<StorageId> = (0..t.storage.len())
        .map(StorageId::from_index)
        .filter(|id| match (&t.storage(*id).kind, failure) {
            (_, Failure::Site(s)) => t.storage(*id).site == s,
            (StorageKind::Vsan(v), Failure::Cluster(c)) => v.cluster == c,
            (StorageKind::Ceph(_), Failure::Cluster(_)) => false,
        })
        .collect();
    // What fails over into each cluster in this scenario, added up.
    let mut incoming: Vec<facts::Request> = vec![facts::Request::default(); t.clusters.len()];
    let affected = t.workloads_on_any(&clusters_lost);
    let mut workloads = Vec::with_capacity(affected.len());
    for id in affected {
        let placement = ctx.placement(id);
        let surviving: Vec<ClusterId> = placement.iter().copied().filter(|c| !lost(c)).collect();
        let status = match (surviving.first(), ctx.kind(id)) {
            (None, Kind::Vm) if t.workload(id).vm().is_some_and(|vm| recoverable(t, vm, &pools_lost)) => {
                Status::Recoverable
            }
            (None, _) => Status::Lost,
            (Some(next), Kind::Passive(extra)) if placement.first().is_some_and(lost) => {
                let slot = incoming.get_mut(next.index());
                let total = slot.map(|r| {
                    *r = r.plus(extra);
                    *r
                });
                if fits_after_failover(t, *next, total.unwrap_or(extra)) {
                    Status::FailsOver
                } else {
                    Status::Degraded
                }
            }
            (Some(_), _) => Status::Survives,
        };
        workloads.push(WorkloadOutcome { workload: id, status, surviving });
    }
    let storage = pools_lost
        .iter()
        .map(|pool| {
            let used_by = ctx.usage.get(pool.index()).cloned().unwrap_or_default();
            let copy = replica_of(t, *pool, &pools_lost)
                .map(|r| DataStatus::Replicated {
                    copy: r.to.value,
                    mode: r.mode.value,
                    rpo: r.rpo.value,
                    delivered: t.delivered_rpo(r),
                    mechanism: t.replication_mechanism(r),
                    rto: r.rto.as_ref().map(|d| d.value),
                })
                .or_else(|| {
                    let source =
                        t.replications.iter().find(|r| r.to.value == *pool && !pools_lost.contains(&r.from.value))?;
                    used_by.is_empty().then_some(DataStatus::ReplicaOf { source: source.from.value })
                });
            StorageOutcome { pool: *pool, status: copy.unwrap_or(DataStatus::NoCopy), used_by }
        })
        .collect();
    let traffic = match traffic {
        Traffic::Reroutes => crate::reroute::reroutes(t, &clusters_lost),
        Traffic::Skipped => Vec::new(),
    };
    Scenario { failure, clusters_lost, workloads, storage, traffic }
}

/// Whether `cluster` can take everything failing over to it in this
/// scenario (`incoming`), on top of what it already runs.
fn fits_after_failover(t: &Topology, cluster: ClusterId, incoming: facts::Request) -> bool {
    let Some(k) = t.cluster(cluster).kubernetes() else { return false };
    t.demand(cluster, Scale::Min).plus(incoming).fits_in(facts::kubernetes_capacity(k))
}

/// A vm whose every disk is in a pool replicated to a surviving pool.
fn recoverable(t: &Topology, vm: &Vm, pools_lost: &[StorageId]) -> bool {
    !vm.disks.is_empty()
        && vm.disks.iter().all(|d| match facts::disk_pool(t, d) {
            Some(p) => !pools_lost.contains(&p) || replica_of(t, p, pools_lost).is_some(),
            None => false,
        })
}

/// The diagnostics of the analysis: each workload and each pool reported
/// once, for the smallest failure that hurts it (clusters before sites).
fn findings_for(t: &Topology, a: &Analysis) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut ordered: Vec<&Scenario> = a.scenarios.iter().filter(|s| matches!(s.failure, Failure::Cluster(_))).collect();
    ordered.extend(a.scenarios.iter().filter(|s| matches!(s.failure, Failure::Site(_))));
    // Each workload and pool is reported once, for the first failure that
    // loses it: a flag per id, so the cost stays linear in the scenarios'
    // entries (a tree of ids grew with the log of the program).
    let mut reported_workloads = vec![false; t.workloads.len()];
    for sc in &ordered {
        for o in &sc.workloads {
            if reported_workloads.get(o.workload.index()).copied().unwrap_or(true) {
                continue;
            }
            let w = t.workload(o.workload);
            let d = match o.status {
                Status::Lost => lost_in_failure(t, w, sc),
                Status::Degraded => capacity_after_failure(t, w, sc, &o.surviving),
                _ => continue,
            };
            if let Some(flag) = reported_workloads.get_mut(o.workload.index()) {
                *flag = true;
            }
            out.push(d);
        }
    }
    let mut reported_pools = vec![false; t.storage.len()];
    for sc in &ordered {
        for s in &sc.storage {
            let Some(reported) = reported_pools.get_mut(s.pool.index()) else { continue };
            if matches!(s.status, DataStatus::NoCopy) && !s.used_by.is_empty() && !*reported {
                *reported = true;
                out.push(data_without_surviving_copy(t, s, sc));
            }
        }
    }
    out
}

fn failure_words(t: &Topology, sc: &Scenario) -> String {
    format!("{} `{}`", sc.failure.kind_word(), sc.failure.name(t))
}

fn failure_span(t: &Topology, sc: &Scenario) -> Span {
    match sc.failure {
        Failure::Site(s) => t.site(s).span,
        Failure::Cluster(c) => t.cluster(c).span,
    }
}

/// HY2101
pub fn lost_in_failure(t: &Topology, w: &Workload, sc: &Scenario) -> Diagnostic {
    let severity = if w.critical { Severity::Error } else { Severity::Warning };
    let help = match &w.kind {
        WorkloadKind::Service(_) => "place it on a second cluster in another site: `placement A B`",
        WorkloadKind::Vm(_) => {
            "a vm runs in one cluster: replicate its disks to another site so it can be rebuilt there"
        }
        WorkloadKind::Job(_) => "a job runs in one cluster: plan to rerun it elsewhere after a failure",
    };
    Diagnostic::new(
        &codes::LOST_IN_FAILURE,
        format!("{} `{}` has no surviving placement if {} fails", w.kind_word(), w.name, failure_words(t, sc)),
        w.placement_span(),
        "every placement is in the failure",
    )
    .with_severity(severity)
    .with_label(failure_span(t, sc), sc.failure.label())
    .with_help(help)
}

/// HY2102
pub fn capacity_after_failure(t: &Topology, w: &Workload, sc: &Scenario, surviving: &[ClusterId]) -> Diagnostic {
    let next = surviving.first().map(|c| t.cluster(*c).name.as_str()).unwrap_or("");
    Diagnostic::new(
        &codes::CAPACITY_AFTER_FAILURE,
        format!(
            "if {} fails, `{}` fails over to `{next}`, which cannot hold its replicas",
            failure_words(t, sc),
            w.name
        ),
        w.placement_span(),
        "fails over here",
    )
    .with_label(failure_span(t, sc), sc.failure.label())
    .with_help(format!("keep enough spare capacity in `{next}` for a failover, or lower the replicas"))
}

/// HY2103
pub fn data_without_surviving_copy(t: &Topology, s: &StorageOutcome, sc: &Scenario) -> Diagnostic {
    let pool = t.storage(s.pool);
    let users: Vec<&str> = s.used_by.iter().map(|w| t.workload(*w).name.as_str()).collect();
    Diagnostic::new(
        &codes::DATA_WITHOUT_SURVIVING_COPY,
        format!(
            "the data of {} in `{}` has no copy outside {}",
            hybrid_diagnostics::join_quoted(&users),
            t.storage_path(s.pool),
            failure_words(t, sc)
        ),
        pool.span,
        "no replica elsewhere",
    )
    .with_help("declare a `replication` of this pool to a pool in a linked site")
}

#[cfg(test)]
mod tests {
    use super::Context;
    use crate::check::facts::{self, Scale};
    use crate::{compile, MemoryFs};
    use hybrid_model::*;

    /// Every example, plus one workload placed twice on a cluster (HY7007,
    /// which the analysis reads before the rule reports it).
    fn topologies() -> Vec<Topology> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
        let mut dirs: Vec<_> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).collect();
        dirs.sort();
        let mut out = Vec::new();
        for dir in dirs {
            let mut fs = MemoryFs::new();
            for f in std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()) {
                if f.extension().is_some_and(|e| e == "hybrid") {
                    fs = fs.with(f.strip_prefix(&root).unwrap(), std::fs::read_to_string(&f).unwrap());
                }
            }
            let name = dir.file_name().unwrap().to_owned();
            let c = compile(std::path::Path::new(&name), &fs).unwrap();
            out.push(c.topology.unwrap());
        }
        let mut twice = out[0].clone();
        if let Some(WorkloadKind::Service(s)) =
            twice.workloads.iter_mut().map(|w| &mut w.kind).find(|k| matches!(k, WorkloadKind::Service(_)))
        {
            let first = s.placement[0].clone();
            s.placement.push(first);
        }
        // The index was built by the compile's checks: built again.
        twice.placed = PlacedIndex::default();
        out.push(twice);
        out
    }

    #[test]
    fn the_one_pass_gathers_what_each_workload_and_pool_holds_as_the_shared_facts_do() {
        let ts = topologies();
        assert!(ts.iter().any(|t| t.workloads.iter().any(|w| w.vm().is_some())));
        assert!(ts.iter().any(|t| {
            t.workloads.iter().any(|w| w.service().is_some_and(|s| s.mode == PlacementMode::ActivePassive))
        }));
        for t in &ts {
            let ctx = Context::new(t);
            assert_eq!(ctx.usage, facts::storage_usage(t));
            // The index's totals, against the sum over each cluster's workloads.
            for id in t.cluster_ids() {
                for scale in [Scale::Min, Scale::Max] {
                    let sum = t
                        .workloads
                        .iter()
                        .filter(|w| w.is_placed_on(id) && facts::counts_against(t, w, id))
                        .map(|w| facts::request(w).times(facts::replicas_in(w, id, scale)))
                        .fold(facts::Request::default(), facts::Request::plus);
                    assert_eq!(t.demand(id, scale), sum, "{}", t.cluster(id).name);
                }
            }
            // A site's workloads: its clusters' lists merged, in program
            // order, once each.
            for site in &t.sites {
                let mut all: Vec<WorkloadId> = site.clusters.iter().flat_map(|&c| t.workloads_on(c)).copied().collect();
                all.sort_unstable();
                all.dedup();
                assert_eq!(t.workloads_on_any(&site.clusters), all, "{}", site.name);
            }
            for (i, w) in t.workloads.iter().enumerate() {
                let placement: Vec<ClusterId> = w.placement().collect();
                assert_eq!(ctx.placement(WorkloadId::from_index(i)), placement.as_slice(), "{}", w.name);
            }
        }
    }
}
