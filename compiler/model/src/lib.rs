//! The resolved topology: plain, typed data with ids instead of names and
//! containers in declaration order. This is the only thing targets see, and
//! the API boundary between the compiler (`hybrid-core`) and the targets.
//!
//! Invariant: every id in a [`Topology`] indexes that topology's own
//! vectors (the resolver creates them), so the accessors below never fail
//! for a topology built by the compiler.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod addresses;
mod allow;
pub mod demand;
pub mod live_migration;
mod mechanism;
mod mesh;
pub mod overrides;
pub mod scheduling;
mod units;
mod words;
mod workload;

pub use allow::AllowedEdge;
pub use hybrid_span::Span;
pub use ipnet::IpNet;
pub use mechanism::ReplicationMechanism;
pub use mesh::{ClusterMesh, Failover, MeshMember};
pub use overrides::{Edit, EditOp, Override, Scalar, Segment};
pub use units::{format_duration, Bandwidth, Bytes, Cron, CronField, Frequency, MilliCpu, Percent};
pub use words::*;
pub use workload::*;

use std::time::Duration;

macro_rules! ids {
    ($($name:ident),*) => {$(
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);
        impl $name {
            pub fn index(self) -> usize { self.0 as usize }
            pub fn from_index(i: usize) -> Self { $name(u32::try_from(i).unwrap_or(u32::MAX)) }
        }
    )*};
}
/// The name of the folder of a cluster's Kubernetes objects, in its
/// [`Topology::cluster_dir`].
pub const KUBERNETES_DIR: &str = "kubernetes";

ids!(SiteId, NetworkId, ClusterId, StorageId, WorkloadId, GpuModelId);

/// A value with the span of the token it was written as.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// The whole program, resolved.
#[derive(Clone, Debug, Default)]
pub struct Topology {
    pub name: String,
    pub span: Span,
    pub owner: Option<String>,
    pub labels: Vec<(String, String)>,
    pub sites: Vec<Site>,
    pub networks: Vec<Network>,
    pub clusters: Vec<Cluster>,
    /// Ceph pools and vSAN datastores: what `replication` connects.
    pub storage: Vec<Storage>,
    pub links: Vec<Link>,
    /// Meshes that span clusters (`mesh`), in program order.
    pub meshes: Vec<ClusterMesh>,
    pub replications: Vec<Replication>,
    pub backups: Vec<Backup>,
    pub workloads: Vec<Workload>,
    pub migrations: Vec<Migration>,
    pub gpu_models: Vec<GpuModel>,
    /// Edits of generated objects (`override`), in program order.
    pub overrides: Vec<Override>,
    /// The program's `acknowledge` nodes: read by the compiler alone, to
    /// count intended warnings instead of printing them.
    pub acknowledgements: Vec<Acknowledgement>,
    /// The `encrypt-at-rest` requirements of `topology`, in program order:
    /// read by the checks alone.
    pub encryption_requirements: Vec<EncryptionRequirement>,
    /// The workloads on each cluster, built from `workloads` on first use
    /// ([`Topology::workloads_on`]).
    pub placed: PlacedIndex,
}

/// The workloads placed on each cluster, in program order, each once, and
/// what they request there in total ([`Topology::demand`]): built from
/// [`Topology::workloads`] in one pass the first time either is asked for,
/// so that what is read per cluster costs that cluster's workloads, not a
/// walk of the whole program (at 100,000 workloads, memory traffic in every
/// rule and scenario). A topology is complete when resolved and not
/// changed after; one built by hand asks only once it holds its workloads.
#[derive(Clone, Debug, Default)]
pub struct PlacedIndex(std::sync::OnceLock<Placed>);

#[derive(Clone, Debug)]
struct Placed {
    on: Vec<Vec<WorkloadId>>,
    /// Each cluster's demand at the autoscalers' minimum and maximum.
    demand: Vec<[demand::Request; 2]>,
}

impl PlacedIndex {
    fn of(&self, t: &Topology) -> &Placed {
        self.0.get_or_init(|| {
            use demand::{counts_against, replicas_in, request, Scale};
            let mut on: Vec<Vec<WorkloadId>> = vec![Vec::new(); t.clusters.len()];
            let mut demand = vec![[demand::Request::default(); 2]; t.clusters.len()];
            for (i, w) in t.workloads.iter().enumerate() {
                let id = WorkloadId::from_index(i);
                let one = request(w);
                for c in w.placement() {
                    // Placed twice on one cluster (HY7007): listed once.
                    let Some(list) = on.get_mut(c.index()).filter(|l| l.last() != Some(&id)) else { continue };
                    list.push(id);
                    if let Some([min, max]) = demand.get_mut(c.index()).filter(|_| counts_against(t, w, c)) {
                        *min = min.plus(one.times(replicas_in(w, c, Scale::Min)));
                        *max = max.plus(one.times(replicas_in(w, c, Scale::Max)));
                    }
                }
            }
            Placed { on, demand }
        })
    }
}

/// `encrypt-at-rest`: every volume in its scope must be encrypted at rest.
#[derive(Debug, Clone, PartialEq)]
pub struct EncryptionRequirement {
    /// The node's name.
    pub span: Span,
    /// The security zone (`zone=`), as written.
    pub zone: Option<Spanned<String>>,
    /// The site (`site=`).
    pub site: Option<Spanned<SiteId>>,
}

/// An `acknowledge` node: the warning codes it accepts where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acknowledgement {
    /// The codes as registered ids (`HY2101`), each with the span it is written at.
    pub codes: Vec<(String, Span)>,
    pub reason: String,
    /// The declaration it is written in; `None` inside `topology`: the whole program.
    pub scope: Option<Span>,
    /// The node's name.
    pub span: Span,
}

#[allow(clippy::indexing_slicing)] // ids always index their own topology (see the crate doc)
impl Topology {
    pub fn site(&self, id: SiteId) -> &Site {
        &self.sites[id.index()]
    }
    pub fn network(&self, id: NetworkId) -> &Network {
        &self.networks[id.index()]
    }
    pub fn cluster(&self, id: ClusterId) -> &Cluster {
        &self.clusters[id.index()]
    }
    pub fn storage(&self, id: StorageId) -> &Storage {
        &self.storage[id.index()]
    }
    /// The workloads placed on `cluster`, in program order, each once.
    pub fn workloads_on(&self, cluster: ClusterId) -> &[WorkloadId] {
        self.placed.of(self).on.get(cluster.index()).map_or(&[], Vec::as_slice)
    }
    /// [`Self::workloads_on`], each workload itself.
    pub fn placed_on(&self, cluster: ClusterId) -> impl Iterator<Item = &Workload> {
        self.workloads_on(cluster).iter().map(|&id| self.workload(id))
    }
    /// The workloads placed on any of `clusters`, in program order, once
    /// each: what a failure of those clusters touches, found without a walk
    /// of every workload.
    pub fn workloads_on_any(&self, clusters: &[ClusterId]) -> Vec<WorkloadId> {
        // Each cluster's list is in program order: merged list by list, in
        // time linear in their lengths (a sort grew with their log).
        let mut on: Vec<WorkloadId> = Vec::new();
        for &c in clusters {
            let next = self.workloads_on(c);
            let mut merged = Vec::with_capacity(on.len() + next.len());
            let (mut a, mut b) = (on.iter().copied().peekable(), next.iter().copied().peekable());
            loop {
                let id = match (a.peek(), b.peek()) {
                    (Some(&x), Some(&y)) if x < y => a.next(),
                    (Some(&x), Some(&y)) if y < x => b.next(),
                    (Some(_), Some(_)) => {
                        b.next();
                        a.next()
                    }
                    (Some(_), None) => a.next(),
                    (None, _) => b.next(),
                };
                match id {
                    Some(id) => merged.push(id),
                    None => break,
                }
            }
            on = merged;
        }
        on
    }
    pub fn workload(&self, id: WorkloadId) -> &Workload {
        &self.workloads[id.index()]
    }
    pub fn gpu_model(&self, id: GpuModelId) -> &GpuModel {
        &self.gpu_models[id.index()]
    }

    /// The id of every cluster, in declaration order.
    pub fn cluster_ids(&self) -> impl DoubleEndedIterator<Item = ClusterId> + ExactSizeIterator {
        (0..self.clusters.len()).map(ClusterId::from_index)
    }

    /// The sites directly linked to `site`.
    pub fn linked_sites(&self, site: SiteId) -> impl Iterator<Item = SiteId> + '_ {
        self.links.iter().filter_map(move |l| {
            if l.a.value == site {
                Some(l.b.value)
            } else if l.b.value == site {
                Some(l.a.value)
            } else {
                None
            }
        })
    }

    /// The link between two sites, if one is declared.
    pub fn link_between(&self, a: SiteId, b: SiteId) -> Option<&Link> {
        self.links.iter().find(|l| (l.a.value == a && l.b.value == b) || (l.a.value == b && l.b.value == a))
    }

    /// The site network vm `v` is attached to: its `network`, else its
    /// cluster's first (an openstack or vsphere cluster's first `network`,
    /// a kubernetes cluster's `network`).
    pub fn vm_network(&self, v: &Vm) -> Option<NetworkId> {
        v.network.as_ref().map(|n| n.value).or_else(|| match &self.cluster(v.placement.value).kind {
            ClusterKind::Kubernetes(k) => k.network,
            ClusterKind::OpenStack(o) => o.networks.first().copied(),
            ClusterKind::VSphere(vs) => vs.networks.first().copied(),
        })
    }

    /// The kubernetes cluster with `mesh istio` that reaches vm `v`
    /// through the mesh: for a vm on KubeVirt its own cluster, when that
    /// cluster has a mesh; for a vm on openstack or vsphere the first
    /// kubernetes cluster with `mesh istio` declared at its site (the mesh
    /// its traffic is migrated in). `None` when no mesh reaches it.
    pub fn vm_mesh_cluster(&self, v: &Vm) -> Option<ClusterId> {
        let home = self.cluster(v.placement.value);
        if let Some(k) = home.kubernetes() {
            return k.mesh.is_some().then_some(v.placement.value);
        }
        self.site(home.site)
            .clusters
            .iter()
            .copied()
            .find(|c| self.cluster(*c).kubernetes().is_some_and(|k| k.mesh.is_some()))
    }

    /// Whether vm `v` is in the service mesh with an identity of its own
    /// (a sidecar, and a ServiceAccount it runs as): a vm on KubeVirt in a
    /// cluster with `mesh istio` (its launcher pod is injected), or a vm on
    /// openstack or vsphere that says `mesh istio` and that a mesh cluster
    /// reaches ([`Self::vm_mesh_cluster`]).
    pub fn vm_in_mesh(&self, v: &Vm) -> bool {
        let on_kubernetes = self.cluster(v.placement.value).kubernetes().is_some();
        (on_kubernetes || v.mesh.is_some()) && self.vm_mesh_cluster(v).is_some()
    }

    /// The vms on openstack or vsphere that kubernetes cluster `c`
    /// declares to its mesh (in the namespace vms live in, the topology's),
    /// in declaration order: those whose mesh cluster
    /// ([`Self::vm_mesh_cluster`]) is `c` and that join the mesh (`mesh
    /// istio`) or that a `migrate` moves traffic from.
    pub fn vms_declared_in(&self, c: ClusterId) -> Vec<WorkloadId> {
        (0..self.workloads.len())
            .map(WorkloadId::from_index)
            .filter(|id| {
                let Some(v) = self.workload(*id).vm() else { return false };
                let outside = self.cluster(v.placement.value).kubernetes().is_none();
                let reached = v.mesh.is_some() || self.migrations.iter().any(|m| m.from.value == *id);
                outside && reached && self.vm_mesh_cluster(v) == Some(c)
            })
            .collect()
    }

    /// The site a storage pool lives in.
    pub fn storage_site(&self, id: StorageId) -> SiteId {
        self.storage(id).site
    }

    /// `SITE/CLUSTER` — the folder of one cluster's files in OUT.
    pub fn cluster_dir(&self, cluster: ClusterId) -> String {
        let c = self.cluster(cluster);
        format!("{}/{}", self.site(c.site).name, c.name)
    }

    /// `SITE/CLUSTER/kubernetes` — the folder of a cluster's Kubernetes
    /// objects in OUT (what a GitOps tool syncs).
    pub fn kubernetes_dir(&self, cluster: ClusterId) -> String {
        format!("{}/{KUBERNETES_DIR}", self.cluster_dir(cluster))
    }

    /// `cluster` or `cluster.name` path of a storage pool, for messages.
    pub fn storage_path(&self, id: StorageId) -> String {
        let s = self.storage(id);
        match &s.kind {
            StorageKind::Ceph(_) => format!("{}.{}", self.site(s.site).name, s.name),
            StorageKind::Vsan(v) => format!("{}.{}", self.cluster(v.cluster).name, s.name),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Site {
    pub name: String,
    pub span: Span,
    pub region: String,
    pub kind: Option<SiteKind>,
    pub provider: Option<String>,
    pub networks: Vec<NetworkId>,
    pub clusters: Vec<ClusterId>,
    pub storage: Vec<StorageId>,
}

#[derive(Clone, Debug)]
pub struct Network {
    pub name: String,
    pub span: Span,
    pub site: SiteId,
    pub cidr: Spanned<IpNet>,
    /// As written; the checker reports ids outside 1..4094.
    pub vlan: Option<Spanned<i64>>,
    pub zone: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Cluster {
    pub name: String,
    pub span: Span,
    pub site: SiteId,
    pub kind: ClusterKind,
}

impl Cluster {
    pub fn kubernetes(&self) -> Option<&Kubernetes> {
        match &self.kind {
            ClusterKind::Kubernetes(k) => Some(k),
            _ => None,
        }
    }
    pub fn openstack(&self) -> Option<&OpenStack> {
        match &self.kind {
            ClusterKind::OpenStack(o) => Some(o),
            _ => None,
        }
    }
    pub fn vsphere(&self) -> Option<&VSphere> {
        match &self.kind {
            ClusterKind::VSphere(v) => Some(v),
            _ => None,
        }
    }
    /// `kubernetes`, `openstack` or `vsphere`.
    pub fn kind_word(&self) -> &'static str {
        match &self.kind {
            ClusterKind::Kubernetes(_) => "kubernetes",
            ClusterKind::OpenStack(_) => "openstack",
            ClusterKind::VSphere(_) => "vsphere",
        }
    }
}

#[derive(Clone, Debug)]
pub enum ClusterKind {
    Kubernetes(Kubernetes),
    OpenStack(OpenStack),
    VSphere(VSphere),
}

#[derive(Clone, Debug)]
pub struct Kubernetes {
    pub version: String,
    pub control_plane_replicas: Spanned<u32>,
    pub pod_cidr: Spanned<IpNet>,
    pub service_cidr: Spanned<IpNet>,
    pub network: Option<NetworkId>,
    pub cni: Option<Cni>,
    pub mesh: Option<Mesh>,
    pub kubevirt: bool,
    pub volcano: bool,
    pub gitops: Option<GitOps>,
    pub pools: Vec<Pool>,
    pub storage_classes: Vec<StorageClass>,
}

impl Kubernetes {
    pub fn pool(&self, name: &str) -> Option<&Pool> {
        self.pools.iter().find(|p| p.name == name)
    }
    pub fn storage_class(&self, name: &str) -> Option<&StorageClass> {
        self.storage_classes.iter().find(|s| s.name == name)
    }
    pub fn default_storage_class(&self) -> Option<&StorageClass> {
        self.storage_classes.iter().find(|s| s.default)
    }
}

#[derive(Clone, Debug)]
pub struct Cni {
    pub plugin: CniPlugin,
    pub mode: Option<CniMode>,
}

#[derive(Clone, Debug)]
pub struct Mesh {
    pub span: Span,
    pub mtls: Spanned<Mtls>,
}

#[derive(Clone, Debug)]
pub struct GitOps {
    pub repo: String,
    /// The folder as written (`path=`); the checker holds it to
    /// [`GitOps::application_path`].
    pub path: Option<Spanned<String>>,
    /// Where the build's OUT sits in the repository (`out=`), as written.
    pub out: Spanned<String>,
    pub revision: String,
}

impl GitOps {
    /// The repository folder of OUT: `out` without `./` segments and
    /// surrounding `/`; empty for the repository's root.
    pub fn out_dir(&self) -> String {
        normalize_repo_path(&self.out.value)
    }

    /// The folder the Application syncs: the cluster's Kubernetes folder
    /// (`kubernetes_dir`, relative to OUT) inside OUT's folder.
    pub fn application_path(&self, kubernetes_dir: &str) -> String {
        let out = self.out_dir();
        if out.is_empty() {
            kubernetes_dir.to_string()
        } else {
            format!("{out}/{kubernetes_dir}")
        }
    }
}

/// A repository path written by hand, compared the way a Git tool reads
/// it: `.` segments, empty segments and surrounding `/` dropped.
pub fn normalize_repo_path(path: &str) -> String {
    path.split('/').filter(|s| !s.is_empty() && *s != ".").collect::<Vec<_>>().join("/")
}

#[derive(Clone, Debug)]
pub struct Pool {
    pub name: String,
    pub span: Span,
    pub nodes: Spanned<u32>,
    pub cpu: MilliCpu,
    pub memory: Bytes,
    pub gpu: Option<PoolGpu>,
    pub taints: Vec<Taint>,
    pub labels: Vec<(String, String)>,
    pub rdma: bool,
}

/// The NVIDIA GPU Operator's own mig-parted config that turns MIG off, and
/// the MIG manager's default for every MIG-capable node without a config of
/// its own. A MIG pool's config is named after the pool (the Kubernetes
/// target), so no MIG pool may take this name (checked).
pub const MIG_CONFIG_DISABLED: &str = "all-disabled";

#[derive(Clone, Debug)]
pub struct PoolGpu {
    pub span: Span,
    pub model: GpuModelId,
    pub count: u32,
    pub sharing: Spanned<GpuSharing>,
    pub profile: Option<Spanned<String>>,
    pub replicas: Option<u32>,
}

#[derive(Clone, Debug)]
pub struct Taint {
    pub key: String,
    pub value: Option<String>,
    pub effect: TaintEffect,
}

#[derive(Clone, Debug)]
pub struct StorageClass {
    pub name: String,
    pub span: Span,
    pub backend: StorageBackend,
    pub pool: Option<StorageId>,
    pub default: bool,
    /// The span of the `encrypted=#true` value, when the class asks for
    /// encryption.
    pub encrypted: Option<Span>,
    /// The KMS ID of ceph-csi's `csi-kms-connection-details` entry (`kms=`).
    pub kms: Option<Spanned<String>>,
}

impl OpenStack {
    /// The flavor a vm boots (the language contract): the smallest declared
    /// flavor whose cpu and memory cover the vm's — fewest cpus, then least
    /// memory, then name.
    pub fn flavor_for(&self, cpu: u32, memory: Bytes) -> Option<&Flavor> {
        self.flavors
            .iter()
            .filter(|f| f.cpu.0 >= u64::from(cpu) * 1000 && f.memory >= memory)
            .min_by(|a, b| (a.cpu, a.memory, &a.name).cmp(&(b.cpu, b.memory, &b.name)))
    }
}

#[derive(Clone, Debug)]
pub struct OpenStack {
    pub release: String,
    pub controllers: u32,
    pub compute: Option<Capacity>,
    pub flavors: Vec<Flavor>,
    pub networks: Vec<NetworkId>,
    pub volume_types: Vec<VolumeType>,
}

/// Identical machines: `count` of them, each with `cpu` and `memory`.
#[derive(Clone, Debug)]
pub struct Capacity {
    pub span: Span,
    pub count: u32,
    pub cpu: MilliCpu,
    pub memory: Bytes,
}

#[derive(Clone, Debug)]
pub struct Flavor {
    pub name: String,
    pub span: Span,
    pub cpu: MilliCpu,
    pub memory: Bytes,
    pub disk: Bytes,
}

#[derive(Clone, Debug)]
pub struct VolumeType {
    pub name: String,
    pub span: Span,
    pub backend: Option<StorageId>,
    /// Its volumes are LUKS-encrypted by the compute host (`encrypted=`).
    pub encrypted: bool,
}

#[derive(Clone, Debug, Default)]
pub struct VSphere {
    pub version: String,
    pub datacenter: String,
    pub hosts: Option<Capacity>,
    /// The hosts' base clock (`hosts clock=`): what a `reserve cpu=`
    /// percentage of a vCPU is in MHz.
    pub host_clock: Option<Spanned<Frequency>>,
    /// The site network of the hosts' vMotion adapters (`vmotion NETWORK`).
    pub vmotion: Option<Spanned<NetworkId>>,
    pub ha: Option<VsphereHa>,
    pub drs: Option<DrsAutomation>,
    pub networks: Vec<NetworkId>,
    pub vsans: Vec<StorageId>,
    /// The NSX-T manager whose distributed firewall filters the vms
    /// (`nsx manager=`): their `allow-from` becomes its security policy.
    pub nsx: Option<Nsx>,
}

/// `nsx manager=…` of a vSphere cluster.
#[derive(Clone, Debug, Default)]
pub struct Nsx {
    /// The span of the `nsx` node's name.
    pub span: Span,
    /// The NSX-T manager's host name.
    pub manager: String,
}

#[derive(Clone, Debug)]
pub struct VsphereHa {
    pub span: Span,
    pub restart_priority: Option<Priority>,
    pub isolation_response: Option<IsolationResponse>,
    pub admission_reserve: Option<Spanned<Percent>>,
}

#[derive(Clone, Debug)]
pub struct Storage {
    pub name: String,
    pub span: Span,
    pub site: SiteId,
    pub kind: StorageKind,
}

#[derive(Clone, Debug)]
pub enum StorageKind {
    Ceph(Ceph),
    Vsan(Vsan),
}

#[derive(Clone, Debug)]
pub struct Ceph {
    pub nodes: u32,
    pub media: Media,
    pub replicas: u32,
    pub failure_domain: Option<FailureDomain>,
    pub capacity: Option<Bytes>,
    /// Its OSDs are on dm-crypt (`encrypted=`).
    pub encrypted: bool,
}

#[derive(Clone, Debug)]
pub struct Vsan {
    pub cluster: ClusterId,
    pub dedup: bool,
    pub compression: bool,
    /// The span of the `dedup=#true` or `compression=#true` value, when one asks.
    pub efficiency_span: Option<Span>,
    /// Every capacity disk is flash (`all-flash=`): what deduplication and
    /// compression need.
    pub all_flash: bool,
    /// The name of the cluster's vSAN datastore in vCenter (`datastore=`).
    pub datastore: String,
    /// Data-at-rest encryption (`encrypted=`).
    pub encrypted: bool,
    /// Data-in-transit encryption (`encrypted-in-transit=`).
    pub encrypted_in_transit: bool,
}

#[derive(Clone, Debug)]
pub struct Link {
    pub span: Span,
    pub a: Spanned<SiteId>,
    pub b: Spanned<SiteId>,
    pub latency: Spanned<Duration>,
    pub bandwidth: Spanned<Bandwidth>,
    pub kind: Option<Spanned<LinkKind>>,
    pub encrypted: bool,
}

#[derive(Clone, Debug)]
pub struct Replication {
    pub name: String,
    pub span: Span,
    pub from: Spanned<StorageId>,
    pub to: Spanned<StorageId>,
    pub mode: Spanned<ReplicationMode>,
    pub rpo: Spanned<Duration>,
    pub rto: Option<Spanned<Duration>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackupTarget {
    Cluster(ClusterId),
    Workload(WorkloadId),
}

#[derive(Clone, Debug)]
pub struct Backup {
    pub name: String,
    pub span: Span,
    pub of: Spanned<BackupTarget>,
    pub schedule: Spanned<Cron>,
    pub retain: Spanned<Duration>,
}

#[derive(Clone, Debug)]
pub struct Migration {
    pub name: String,
    pub span: Span,
    pub from: Spanned<WorkloadId>,
    pub to: Spanned<WorkloadId>,
    pub weight: Spanned<i64>,
}

#[derive(Clone, Debug)]
pub struct GpuModel {
    pub name: String,
    pub span: Span,
    pub memory: Bytes,
    pub mig: bool,
    pub vendor: Option<String>,
    pub mig_profiles: Vec<MigProfile>,
}

impl GpuModel {
    pub fn mig_profile(&self, name: &str) -> Option<&MigProfile> {
        self.mig_profiles.iter().find(|p| p.name == name)
    }
}

#[derive(Clone, Debug)]
pub struct MigProfile {
    pub name: String,
    pub instances: u32,
    pub memory: Option<Bytes>,
}
