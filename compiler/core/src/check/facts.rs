//! Facts several rules and the failure analysis share: where a workload can
//! run (taints, GPUs, pinned pools), how many replicas it runs per cluster
//! and what it requests (from `hybrid_model::demand`, re-exported here),
//! what a cluster holds, the images a workload names, and which workloads
//! keep data in which storage pool.
//!
//! Tolerations follow the language contract: a workload tolerates the
//! taints of a pool it is pinned to (`placement cluster.pool`, a job's or
//! a service's, in that cluster only) and of the
//! pools whose GPUs can serve it (whole GPUs from `exclusive` and
//! `time-slicing` pools, MIG slices from `mig` pools with that profile).

pub use hybrid_model::demand::{
    counts_against, replicas_in, request, service_replicas, service_versions, Request, Scale,
};
pub use hybrid_model::scheduling::{
    can_run_on, eligible_pools, gpu_ask, pinned_pool, pool_serves, resources_of, GpuAsk,
};
use hybrid_model::*;

/// Whether a `sharing=mig` pool names a MIG profile its GPU model does not
/// offer: HY4005 reports the pool, and the rules about the workloads that
/// ask for that profile leave it alone (the cause is reported once).
pub fn mig_profile_invalid(t: &Topology, pool: &Pool) -> bool {
    pool.gpu.as_ref().is_some_and(|g| {
        g.sharing.value == GpuSharing::Mig
            && g.profile.as_ref().is_some_and(|p| t.gpu_model(g.model).mig_profile(&p.value).is_none())
    })
}

/// GPU devices (whole GPUs, time-sliced replicas or MIG slices) one node of
/// the pool offers to this ask.
pub fn devices_per_node(t: &Topology, pool: &Pool, ask: &GpuAsk) -> u32 {
    let Some(g) = &pool.gpu else { return 0 };
    match (ask, g.sharing.value) {
        (GpuAsk::Whole(_), GpuSharing::Exclusive) => g.count,
        (GpuAsk::Whole(_), GpuSharing::TimeSlicing) => g.count.saturating_mul(g.replicas.unwrap_or(1)),
        (GpuAsk::Mig { profile, .. }, GpuSharing::Mig) => {
            let per_gpu = t.gpu_model(g.model).mig_profile(profile).map(|p| p.instances).unwrap_or(0);
            g.count.saturating_mul(per_gpu)
        }
        _ => 0,
    }
}

/// Nodes of the kubernetes cluster `cluster` (`k`) that can run `w`.
pub fn eligible_nodes(w: &Workload, cluster: ClusterId, k: &Kubernetes) -> u32 {
    eligible_pools(w, cluster, k).map(|p| p.nodes.value).sum()
}

/// What a kubernetes cluster's pools hold in total.
pub fn kubernetes_capacity(k: &Kubernetes) -> Request {
    k.pools
        .iter()
        .map(|p| Request { cpu: p.cpu.0, memory: p.memory.0 }.times(p.nodes.value))
        .fold(Request::default(), Request::plus)
}

/// The biggest single node of a kubernetes cluster (by cpu, then memory).
pub fn largest_node(k: &Kubernetes) -> Option<Request> {
    k.pools
        .iter()
        .filter(|p| p.nodes.value > 0)
        .map(|p| Request { cpu: p.cpu.0, memory: p.memory.0 })
        .max_by_key(|r| (r.cpu, r.memory))
}

/// Whether the program marks a workload highly available (`use ha-critical`
/// or a profile named `ha`).
pub fn is_ha(w: &Workload) -> bool {
    w.profiles.iter().any(|p| p == "ha-critical" || p == "ha")
}

/// The first and last address of a network, as integers.
pub fn cidr_range(n: &IpNet) -> (u128, u128) {
    match n {
        IpNet::V4(v) => (u128::from(u32::from(v.network())), u128::from(u32::from(v.broadcast()))),
        IpNet::V6(v) => (u128::from(v.network()), u128::from(v.broadcast())),
    }
}

/// Whether two networks of the same address family share an address.
pub fn nets_overlap(a: &IpNet, b: &IpNet) -> bool {
    if a.addr().is_ipv4() != b.addr().is_ipv4() {
        return false;
    }
    let (a0, a1) = cidr_range(a);
    let (b0, b1) = cidr_range(b);
    a0 <= b1 && b0 <= a1
}

/// The link a replication runs over, when its pools are in two linked sites.
pub fn replication_link<'t>(t: &'t Topology, r: &Replication) -> Option<&'t Link> {
    let (a, b) = (t.storage_site(r.from.value), t.storage_site(r.to.value));
    if a == b {
        return None;
    }
    t.link_between(a, b)
}

/// For each storage pool, the workloads whose data lives in it.
pub fn storage_usage(t: &Topology) -> Vec<Vec<WorkloadId>> {
    let mut usage: Vec<Vec<WorkloadId>> = vec![Vec::new(); t.storage.len()];
    for (i, w) in t.workloads.iter().enumerate() {
        add_storage_use(t, w, WorkloadId::from_index(i), &mut usage);
    }
    usage
}

/// Adds workload `id` (`w`) to the users of each pool its data lives in
/// (see [`storage_usage`]), once per pool.
pub fn add_storage_use(t: &Topology, w: &Workload, id: WorkloadId, usage: &mut [Vec<WorkloadId>]) {
    let mut add = |pool: Option<StorageId>| {
        if let Some(slot) = pool.and_then(|p| usage.get_mut(p.index())) {
            if slot.last() != Some(&id) {
                slot.push(id);
            }
        }
    };
    match &w.kind {
        WorkloadKind::Service(s) => {
            // The passive clusters of `active-passive` hold no live
            // data until a failover.
            let live = match s.mode {
                PlacementMode::ActivePassive => s.placement.get(..1).unwrap_or_default(),
                PlacementMode::ActiveActive => s.placement.as_slice(),
            };
            for v in &s.volumes {
                for p in live {
                    let Some(k) = t.cluster(p.value).kubernetes() else { continue };
                    let class = match &v.storage_class {
                        Some(n) => k.storage_class(&n.value),
                        None => k.default_storage_class(),
                    };
                    add(class.and_then(|c| c.pool));
                }
            }
        }
        WorkloadKind::Vm(vm) => {
            for d in &vm.disks {
                add(disk_pool(t, d));
            }
        }
        WorkloadKind::Job(_) => {}
    }
}

/// The storage pool a disk lives in, when the program says.
pub fn disk_pool(t: &Topology, d: &Disk) -> Option<StorageId> {
    match &d.storage {
        Some(DiskStorage::Vsan(id)) => Some(*id),
        Some(DiskStorage::StorageClass(c, n)) => {
            t.cluster(*c).kubernetes().and_then(|k| k.storage_class(n)).and_then(|s| s.pool)
        }
        Some(DiskStorage::VolumeType(c, n)) => {
            t.cluster(*c).openstack().and_then(|o| o.volume_types.iter().find(|v| v.name == *n)).and_then(|v| v.backend)
        }
        None => None,
    }
}

/// What an `image` is to the platform that runs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageKind {
    /// A container image reference: services and their traffic versions,
    /// jobs, KubeVirt container disks.
    Container,
    /// The name of a Glance image (a vm on OpenStack).
    Glance,
    /// The name of a vSphere template (a vm on vSphere).
    Template,
}

/// One image a workload names, where it is written.
#[derive(Clone, Copy, Debug)]
pub struct Image<'t> {
    pub workload: &'t Workload,
    pub value: &'t str,
    pub span: Span,
    pub kind: ImageKind,
}

/// Every image of one workload, in program order: a service's own (or
/// blue and green), its canaries', variants' and mirror's; a job's; a vm's.
pub fn images<'t>(t: &Topology, w: &'t Workload) -> Vec<Image<'t>> {
    let mut out = Vec::new();
    let mut push = |i: &'t Spanned<String>, kind: ImageKind| {
        out.push(Image { workload: w, value: i.value.as_str(), span: i.span, kind })
    };
    match &w.kind {
        WorkloadKind::Service(s) => {
            push(&s.image, ImageKind::Container);
            if let Some(tr) = &s.traffic {
                for c in &tr.canaries {
                    push(&c.image, ImageKind::Container);
                }
                for v in &tr.variants {
                    push(&v.image, ImageKind::Container);
                }
                if let Some(bg) = &tr.blue_green {
                    push(&bg.blue, ImageKind::Container);
                    push(&bg.green, ImageKind::Container);
                }
                if let Some(i) = tr.mirror.as_ref().and_then(|m| m.image.as_ref()) {
                    push(i, ImageKind::Container);
                }
            }
        }
        WorkloadKind::Job(j) => push(&j.image, ImageKind::Container),
        WorkloadKind::Vm(vm) => {
            let kind = match &t.cluster(vm.placement.value).kind {
                ClusterKind::Kubernetes(_) => ImageKind::Container,
                ClusterKind::OpenStack(_) => ImageKind::Glance,
                ClusterKind::VSphere(_) => ImageKind::Template,
            };
            push(&vm.image, kind);
        }
    }
    out
}

/// The backups whose `of=` names a vm placed on an openstack cluster, with
/// the vm's workload and the cluster: Cinder backs up their volumes.
pub fn openstack_vm_backups(t: &Topology) -> impl Iterator<Item = (&Backup, &Workload, &Vm, &Cluster)> + '_ {
    t.backups.iter().filter_map(|b| {
        let BackupTarget::Workload(id) = b.of.value else { return None };
        let w = t.workload(id);
        let v = w.vm()?;
        let c = t.cluster(v.placement.value);
        c.openstack().map(|_| (b, w, v, c))
    })
}
