//! Workloads: services (containers), virtual machines and jobs, with the
//! profile defaults already applied.

use crate::{
    Bytes, ClusterId, Colour, Framework, GpuModelId, Kubernetes, MatchKind, MilliCpu, NetworkId, Percent,
    PlacementMode, Protocol, Span, Spanned, SpreadOver, StorageBackend, StorageClass, StorageId, WorkloadId,
};
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Workload {
    pub name: String,
    pub span: Span,
    pub critical: bool,
    /// The profiles applied, in order, outermost first.
    pub profiles: Vec<String>,
    pub kind: WorkloadKind,
}

#[derive(Clone, Debug)]
pub enum WorkloadKind {
    // Boxed, each: a topology holds one per workload, and the kinds'
    // sizes differ (a service is some 850 bytes, a vm or a job 400).
    Service(Box<Service>),
    Vm(Box<Vm>),
    Job(Box<Job>),
}

impl Workload {
    pub fn service(&self) -> Option<&Service> {
        match &self.kind {
            WorkloadKind::Service(s) => Some(s),
            _ => None,
        }
    }
    pub fn vm(&self) -> Option<&Vm> {
        match &self.kind {
            WorkloadKind::Vm(v) => Some(v),
            _ => None,
        }
    }
    pub fn job(&self) -> Option<&Job> {
        match &self.kind {
            WorkloadKind::Job(j) => Some(j),
            _ => None,
        }
    }
    /// `service`, `vm` or `job`.
    pub fn kind_word(&self) -> &'static str {
        match &self.kind {
            WorkloadKind::Service(_) => "service",
            WorkloadKind::Vm(_) => "vm",
            WorkloadKind::Job(_) => "job",
        }
    }
    /// Every cluster the workload is placed on, in the order written
    /// (read in place: nothing is allocated).
    pub fn placement(&self) -> impl Iterator<Item = ClusterId> + Clone + '_ {
        let (many, one) = match &self.kind {
            WorkloadKind::Service(s) => (s.placement.as_slice(), None),
            WorkloadKind::Vm(v) => (&[][..], Some(v.placement.value)),
            WorkloadKind::Job(j) => (&[][..], Some(j.placement.value)),
        };
        many.iter().map(|p| p.value).chain(one)
    }
    /// Whether `cluster` is one of [`Workload::placement`].
    pub fn is_placed_on(&self, cluster: ClusterId) -> bool {
        match &self.kind {
            WorkloadKind::Service(s) => s.placement.iter().any(|p| p.value == cluster),
            WorkloadKind::Vm(v) => v.placement.value == cluster,
            WorkloadKind::Job(j) => j.placement.value == cluster,
        }
    }
    /// The span of the `placement` node.
    pub fn placement_span(&self) -> Span {
        match &self.kind {
            WorkloadKind::Service(s) => s.placement_span,
            WorkloadKind::Vm(v) => v.placement.span,
            WorkloadKind::Job(j) => j.placement.span,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Port {
    pub span: Span,
    pub number: u16,
    pub protocol: Protocol,
    pub name: Option<String>,
    /// A service's port on its Kubernetes Service when it differs from the
    /// container's (`service-port=`); `None` for every other port.
    pub service_port: Option<Spanned<u16>>,
    /// A vm's port published to the internet (`public=#true`): the span of
    /// the value; `None` for every other port.
    pub public: Option<Span>,
}

#[derive(Clone, Debug, Default)]
pub struct Resources {
    pub span: Span,
    pub cpu: Option<MilliCpu>,
    pub memory: Option<Bytes>,
    /// The limits when they differ from the requests (`cpu-limit=`,
    /// `memory-limit=`); without a request, the request too.
    pub cpu_limit: Option<Spanned<MilliCpu>>,
    pub memory_limit: Option<Spanned<Bytes>>,
    pub gpu: Option<Spanned<u32>>,
    pub gpu_profile: Option<Spanned<String>>,
}

impl Resources {
    /// The cpu request: `cpu`, or without it the limit (as Kubernetes
    /// copies a limit without a request).
    pub fn cpu_request(&self) -> Option<MilliCpu> {
        self.cpu.or(self.cpu_limit.as_ref().map(|l| l.value))
    }

    /// The memory request: `memory`, or without it the limit.
    pub fn memory_request(&self) -> Option<Bytes> {
        self.memory.or(self.memory_limit.as_ref().map(|l| l.value))
    }
}

#[derive(Clone, Debug)]
pub struct Autoscale {
    pub span: Span,
    pub min: Option<Spanned<u32>>,
    pub max: Option<Spanned<u32>>,
    pub cpu: Option<Percent>,
    pub memory: Option<Percent>,
    /// Scale-in behaviour: the stabilization window (whole seconds) and
    /// the share of replicas removed per minute.
    pub scale_down_window: Option<Spanned<Duration>>,
    pub scale_down_rate: Option<Percent>,
}

#[derive(Clone, Debug)]
pub enum Disruption {
    MaxUnavailable(Spanned<u32>),
    MinAvailable(Spanned<u32>),
}

#[derive(Clone, Debug)]
pub struct Spread {
    pub span: Span,
    pub over: SpreadOver,
    pub required: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Probe {
    /// What each probe checks: an HTTP path (`/…`), or, on a
    /// `protocol=grpc` port, any other value names the service of the gRPC
    /// health protocol (`""`: the whole server).
    pub liveness: Option<Spanned<String>>,
    pub readiness: Option<Spanned<String>>,
    pub startup: Option<Spanned<String>>,
    pub port: Option<u16>,
    /// Whole seconds (the schema's `Ty::Seconds`), for every probe.
    pub initial_delay: Option<Duration>,
    pub period: Option<Duration>,
    pub timeout: Option<Duration>,
    pub failure_threshold: Option<u32>,
}

#[derive(Clone, Debug)]
pub struct Env {
    pub name: String,
    pub value: String,
}

#[derive(Clone, Debug)]
pub struct SecretEnv {
    pub name: String,
    pub secret: String,
    pub key: String,
}

#[derive(Clone, Debug)]
pub struct Volume {
    pub name: String,
    pub span: Span,
    pub size: Bytes,
    /// The storage class name; it is looked up in each placement cluster.
    pub storage_class: Option<Spanned<String>>,
    pub mount: String,
}

#[derive(Clone, Debug)]
pub struct Expose {
    pub span: Span,
    pub host: String,
    pub tls: Spanned<bool>,
}

/// A pool a service is pinned to in one of its clusters
/// (`placement cluster.pool`).
#[derive(Clone, Debug)]
pub struct PinnedPool {
    pub cluster: ClusterId,
    pub pool: Spanned<String>,
}

#[derive(Clone, Debug)]
pub struct Service {
    pub placement: Vec<Spanned<ClusterId>>,
    /// The pools named by `placement cluster.pool`, at most one per cluster.
    pub pools: Vec<PinnedPool>,
    pub placement_span: Span,
    pub mode: PlacementMode,
    pub namespace: String,
    pub image: Spanned<String>,
    pub replicas: Spanned<u32>,
    /// Whether `replicas` is written (by the service or a profile it uses);
    /// otherwise `replicas` holds the schema's default.
    pub replicas_written: bool,
    pub ports: Vec<Port>,
    pub resources: Option<Resources>,
    pub autoscale: Option<Autoscale>,
    pub disruption: Option<Disruption>,
    pub spread: Option<Spread>,
    pub probe: Option<Probe>,
    pub env: Vec<Env>,
    pub secret_env: Vec<SecretEnv>,
    pub volumes: Vec<Volume>,
    pub expose: Option<Expose>,
    pub allow_from: Vec<Spanned<WorkloadId>>,
    /// Boxed: most services have none, and it is the largest part.
    pub traffic: Option<Box<Traffic>>,
}

#[derive(Clone, Debug)]
pub struct HeaderMatch {
    pub header: String,
    pub kind: MatchKind,
    pub value: String,
}

#[derive(Clone, Debug)]
pub struct Canary {
    pub name: String,
    pub span: Span,
    pub image: Spanned<String>,
    pub weight: Spanned<i64>,
    pub matches: Option<HeaderMatch>,
}

#[derive(Clone, Debug)]
pub struct BlueGreen {
    pub span: Span,
    pub active: Colour,
    pub blue: Spanned<String>,
    pub green: Spanned<String>,
}

#[derive(Clone, Debug)]
pub struct Variant {
    pub name: String,
    pub span: Span,
    pub image: Spanned<String>,
    pub matches: HeaderMatch,
}

#[derive(Clone, Debug)]
pub struct Mirror {
    pub name: String,
    pub span: Span,
    pub image: Option<Spanned<String>>,
    pub percent: Percent,
}

#[derive(Clone, Debug, Default)]
pub struct CircuitBreaker {
    pub consecutive_errors: Option<u32>,
    pub interval: Option<Duration>,
    pub ejection: Option<Duration>,
    pub max_ejection: Option<Percent>,
    /// The connection pool's limits, each when written: TCP connections to
    /// one host, HTTP requests waiting for a connection, HTTP requests in
    /// flight to one host, requests over one connection.
    pub max_connections: Option<Spanned<u32>>,
    pub max_pending: Option<u32>,
    pub max_requests: Option<u32>,
    pub max_requests_per_connection: Option<u32>,
}

impl CircuitBreaker {
    /// Whether it limits the connection pool.
    pub fn limits_connections(&self) -> bool {
        self.max_connections.is_some()
            || self.max_pending.is_some()
            || self.max_requests.is_some()
            || self.max_requests_per_connection.is_some()
    }
}

/// `progressive`: a canary that Flagger advances by itself, `step`% of the
/// traffic every `interval` up to `max`%, as long as the success rate and
/// the latency hold; `threshold` failed checks roll it back.
#[derive(Clone, Debug)]
pub struct Progressive {
    pub span: Span,
    pub step: Spanned<i64>,
    pub max: Spanned<i64>,
    pub interval: Duration,
    pub threshold: u32,
    /// The least share of requests answered without a 5xx.
    pub success_rate: Percent,
    /// The most a request may take, at the 99th percentile.
    pub latency: Spanned<Duration>,
}

/// `rate-limit`: at most `requests` per `per` at each of the service's
/// pods, with bursts up to `burst` (a token bucket).
#[derive(Clone, Debug)]
pub struct RateLimit {
    pub span: Span,
    pub requests: u32,
    pub per: Spanned<Duration>,
    /// The bucket's size: `requests` unless written.
    pub burst: Option<u32>,
}

#[derive(Clone, Debug)]
pub struct Retry {
    pub span: Span,
    pub attempts: Option<u32>,
    pub per_try_timeout: Option<Duration>,
    pub on: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Traffic {
    pub span: Span,
    pub canaries: Vec<Canary>,
    pub blue_green: Option<BlueGreen>,
    pub variants: Vec<Variant>,
    pub mirror: Option<Mirror>,
    pub circuit_breaker: Option<CircuitBreaker>,
    pub retry: Option<Retry>,
    pub timeout: Option<Spanned<Duration>>,
    pub progressive: Option<Progressive>,
    pub rate_limit: Option<RateLimit>,
}

/// Where a disk lives, resolved in the vm's cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiskStorage {
    /// A storage class of a kubernetes cluster, by name.
    StorageClass(ClusterId, String),
    /// A volume type of an openstack cluster, by name.
    VolumeType(ClusterId, String),
    /// A vSAN datastore.
    Vsan(StorageId),
}

#[derive(Clone, Debug)]
pub struct Disk {
    pub name: String,
    pub span: Span,
    pub size: Bytes,
    /// The `storage=` reference as written.
    pub storage_ref: Option<Spanned<String>>,
    /// What it names in the vm's cluster; `None` when written but not found
    /// there (the checker reports it) or not written at all.
    pub storage: Option<DiskStorage>,
    pub boot: bool,
}

#[derive(Clone, Debug)]
pub struct VmGpu {
    pub span: Span,
    pub model: GpuModelId,
    pub count: u32,
    pub passthrough: bool,
}

#[derive(Clone, Debug)]
pub struct Reserve {
    pub span: Span,
    pub cpu: Option<Percent>,
    /// The span of the `cpu=` value.
    pub cpu_span: Option<Span>,
    pub memory: Option<Percent>,
}

/// Where a vm is reached (`vm NAME address=`): an IP address on its
/// network, or a DNS name that resolves to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Address {
    Ip(std::net::IpAddr),
    Name(String),
}

impl std::fmt::Display for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Address::Ip(ip) => ip.fmt(f),
            Address::Name(name) => f.write_str(name),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Vm {
    pub placement: Spanned<ClusterId>,
    /// `address=`: where the mesh and network policies reach a vm on
    /// openstack or vsphere (a KubeVirt vm is reached through its
    /// Kubernetes Service).
    pub address: Option<Spanned<Address>>,
    pub image: Spanned<String>,
    pub cpu: Spanned<u32>,
    pub memory: Spanned<Bytes>,
    pub disks: Vec<Disk>,
    /// The network as written; `None` means the cluster's default.
    pub network: Option<Spanned<NetworkId>>,
    /// Further network interfaces (`nic NETWORK`), after `network`, in the
    /// order written.
    pub nics: Vec<Nic>,
    pub ports: Vec<Port>,
    /// `mesh istio`: where the node is written. The vm joins the mesh
    /// (`Topology::vm_in_mesh`); needed only on openstack or vsphere, a
    /// KubeVirt vm is in its cluster's mesh already.
    pub mesh: Option<Span>,
    /// `ha restart-priority=`, with where the priority is written.
    pub ha: Option<Spanned<crate::Priority>>,
    pub fault_tolerance: Option<Spanned<bool>>,
    pub reserve: Option<Reserve>,
    pub numa_pinned: bool,
    /// `numa hugepages=`: NUMA node pinning, the guest's memory on huge
    /// pages of this size, with where the size is written.
    pub numa_hugepages: Option<Spanned<crate::HugePageSize>>,
    pub gpu: Option<VmGpu>,
    pub anti_affinity: Option<String>,
    /// The only workloads that may reach the vm's ports (`allow-from`);
    /// empty: the target's secure default.
    pub allow_from: Vec<Spanned<WorkloadId>>,
}

/// A further network interface of a vm (`nic NETWORK sriov=`).
#[derive(Clone, Debug)]
pub struct Nic {
    /// The span of the node's name.
    pub span: Span,
    pub network: Spanned<NetworkId>,
    /// The span of `sriov=#true` when the interface is an SR-IOV
    /// passthrough adapter; `None` for a paravirtual one.
    pub sriov: Option<Span>,
}

#[derive(Clone, Debug)]
pub struct Job {
    pub placement: Spanned<ClusterId>,
    /// The pool named by `placement cluster.pool`.
    pub pool: Option<String>,
    pub image: Spanned<String>,
    pub workers: Spanned<u32>,
    pub resources: Option<Resources>,
    pub gang: Option<Spanned<bool>>,
    pub queue: Option<String>,
    pub command: Vec<String>,
    /// `shm SIZE`: a memory-backed `/dev/shm` of at most this size.
    pub shm: Option<Spanned<Bytes>>,
    /// `framework NAME`: how the workers rendezvous; `None` infers it from
    /// the launcher the command starts.
    pub framework: Option<Spanned<Framework>>,
    /// `volume NAME size= storage-class= mount=`: one `ReadWriteMany`
    /// claim per volume, mounted in every worker.
    pub volumes: Vec<Volume>,
}

/// The `version` label value of a service's main version.
pub const STABLE_VERSION: &str = "stable";

/// One version of a service: the value of its pods' `version` label (the
/// mesh's subset), the suffix of its object names, and its image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServiceVersion<'a> {
    pub label: &'a str,
    /// `None` for the main version (objects named after the service).
    pub suffix: Option<&'a str>,
    pub image: &'a str,
    /// Where the version's name is written (a canary, variant or mirror);
    /// `None` for the main version and for blue and green.
    pub name_span: Option<Span>,
}

impl ServiceVersion<'_> {
    /// The name of the version's Deployment or StatefulSet: the service's
    /// name, or `SERVICE-SUFFIX`.
    pub fn object_name(&self, service: &str) -> String {
        match self.suffix {
            Some(suffix) => format!("{service}-{suffix}"),
            None => service.to_string(),
        }
    }
}

/// The name of the headless Service that governs a stateful service's
/// StatefulSets (its pods' DNS names, `POD.NAME.NAMESPACE.svc`); clients
/// keep calling the Service named after the service.
pub fn headless_service_name(service: &str) -> String {
    format!("{service}-headless")
}

/// The name of the Istio Gateway of an exposed service.
pub fn gateway_name(service: &str) -> String {
    format!("{service}-gateway")
}

/// The task of a Volcano Job's workers; Volcano names its pods
/// `JOB-TASK-INDEX`.
pub const VOLCANO_TASK: &str = "worker";
/// The task of a PyTorch job's first worker (rank 0), beside
/// [`VOLCANO_TASK`]: the `pytorch` plugin's master. No longer than
/// [`VOLCANO_TASK`], so the longest pod name is still `JOB-worker-0`.
pub const VOLCANO_MASTER_TASK: &str = "master";
const _: () = assert!(VOLCANO_MASTER_TASK.len() <= VOLCANO_TASK.len());

/// PyTorch's distributed launchers: the program `torchrun`, or the modules
/// `python -m` runs.
const PYTORCH_LAUNCHERS: &[&str] = &["torchrun", "torch.distributed.run", "torch.distributed.launch"];
/// The other launchers of one program on several machines, which start
/// every worker with its peers' addresses and its rank.
const OTHER_LAUNCHERS: &[&str] = &["mpirun", "mpiexec", "horovodrun", "deepspeed"];

impl StorageBackend {
    /// Whether one filesystem volume of it can be mounted read-write on
    /// several nodes at once (`ReadWriteMany`), what a job's volume needs:
    /// CephFS can, and Longhorn (through its share manager's NFS export);
    /// Ceph RBD only in `Block` mode (a filesystem on an RBD image is
    /// mounted on one node), a vSAN block volume and a local volume never.
    pub const fn shares_files(self) -> bool {
        matches!(self, StorageBackend::Cephfs | StorageBackend::Longhorn)
    }
}

impl Job {
    /// The storage class each volume of the job is provisioned in on `k`:
    /// the one it names, else the cluster's default; `None` when it names
    /// none of `k` or `k` declares no default.
    pub fn volume_class<'k>(k: &'k Kubernetes, v: &Volume) -> Option<&'k StorageClass> {
        match &v.storage_class {
            Some(name) => k.storage_class(&name.value),
            None => k.default_storage_class(),
        }
    }

    /// Whether the job becomes a Volcano Job on `k`: it asks for gang
    /// scheduling, or the cluster runs Volcano.
    pub fn runs_on_volcano(&self, k: &Kubernetes) -> bool {
        self.gang.as_ref().is_some_and(|g| g.value) || k.volcano
    }

    /// The distributed launcher the command starts, if any: a word of any
    /// argument (so `sh -c "torchrun …"` counts) that is one, or a path to
    /// one (`/usr/local/bin/torchrun`).
    pub fn launcher(&self) -> Option<&'static str> {
        self.command.iter().flat_map(|arg| arg.split_whitespace()).find_map(|word| {
            let program = word.rsplit('/').next().unwrap_or(word);
            PYTORCH_LAUNCHERS.iter().chain(OTHER_LAUNCHERS).copied().find(|l| *l == program)
        })
    }

    /// Whether the command starts PyTorch's distributed launcher.
    pub fn launches_pytorch(&self) -> bool {
        self.launcher().is_some_and(|l| PYTORCH_LAUNCHERS.contains(&l))
    }
}

impl Service {
    /// Every version the service runs, in a fixed order: the main one (or
    /// blue and green), then each canary, variant and mirror. The
    /// Kubernetes target gives each its own Deployment, the mesh a subset.
    pub fn versions(&self) -> Vec<ServiceVersion<'_>> {
        let mut out = Vec::new();
        let tr = self.traffic.as_ref();
        match tr.and_then(|t| t.blue_green.as_ref()) {
            Some(bg) => {
                for (colour, image) in [(Colour::Blue, &bg.blue.value), (Colour::Green, &bg.green.value)] {
                    let word = colour.as_str();
                    out.push(ServiceVersion { label: word, suffix: Some(word), image, name_span: None });
                }
            }
            None => out.push(ServiceVersion {
                label: STABLE_VERSION,
                suffix: None,
                image: &self.image.value,
                name_span: None,
            }),
        }
        if let Some(tr) = tr {
            for c in &tr.canaries {
                out.push(ServiceVersion {
                    label: &c.name,
                    suffix: Some(&c.name),
                    image: &c.image.value,
                    name_span: Some(c.span),
                });
            }
            for v in &tr.variants {
                out.push(ServiceVersion {
                    label: &v.name,
                    suffix: Some(&v.name),
                    image: &v.image.value,
                    name_span: Some(v.span),
                });
            }
            if let Some(m) = &tr.mirror {
                let image = m.image.as_ref().map(|i| i.value.as_str()).unwrap_or(&self.image.value);
                out.push(ServiceVersion { label: &m.name, suffix: Some(&m.name), image, name_span: Some(m.span) });
            }
        }
        out
    }

    /// The autoscaler's `(minReplicas, maxReplicas)`, when the service
    /// autoscales: `min` (else `replicas`, and at least 1), and `max` (else
    /// the minimum). The checker refuses a `min` above `max` (HY2010).
    pub fn autoscale_range(&self) -> Option<(u32, u32)> {
        let a = self.autoscale.as_ref()?;
        let min = a.min.as_ref().map_or(self.replicas.value, |m| m.value).max(1);
        Some((min, a.max.as_ref().map_or(min, |m| m.value).max(min)))
    }

    /// The replicas each version starts with where it is active: `replicas`,
    /// or, with `autoscale`, `replicas` within the autoscaler's range (a
    /// written count outside it is refused, HY2009; the default count of
    /// an autoscaled service is its minimum). From then on the autoscaler
    /// owns the count.
    pub fn starting_replicas(&self) -> u32 {
        match self.autoscale_range() {
            Some((min, max)) => self.replicas.value.clamp(min, max),
            None => self.replicas.value,
        }
    }

    /// Whether the service keeps state in `volume`s (StatefulSets).
    pub fn is_stateful(&self) -> bool {
        !self.volumes.is_empty()
    }

    /// Whether `cluster` is one of the passive clusters of an
    /// `active-passive` placement (every one but the first).
    pub fn is_passive_in(&self, cluster: ClusterId) -> bool {
        self.mode == PlacementMode::ActivePassive && self.placement.first().is_some_and(|p| p.value != cluster)
    }

    /// The pool the service is pinned to in `cluster`, if any.
    pub fn pinned_pool(&self, cluster: ClusterId) -> Option<&Spanned<String>> {
        self.pools.iter().find(|p| p.cluster == cluster).map(|p| &p.pool)
    }

    /// The version that takes the traffic no rule sends elsewhere.
    pub fn default_version(&self) -> &str {
        match self.traffic.as_ref().and_then(|t| t.blue_green.as_ref()) {
            Some(bg) => bg.active.as_str(),
            None => STABLE_VERSION,
        }
    }
}

impl Service {
    /// The progressive canary Flagger rolls the service out with, if any:
    /// then Flagger owns its routing (`NAME-primary`, `NAME-canary`).
    pub fn progressive(&self) -> Option<&Progressive> {
        self.traffic.as_ref().and_then(|t| t.progressive.as_ref())
    }

    /// The port the probes check: the probe's `port`, else the first one.
    pub fn probed_port(&self) -> Option<u16> {
        self.probe.as_ref().and_then(|p| p.port).or(self.ports.first().map(|p| p.number))
    }

    /// Whether the probed port is a declared `protocol=grpc` one, whose
    /// probes that are no HTTP path speak the gRPC health protocol.
    pub fn probes_grpc(&self) -> bool {
        let port = self.probed_port();
        self.ports.iter().any(|p| Some(p.number) == port && p.protocol == Protocol::Grpc)
    }
}

impl Port {
    /// The port's name on a Kubernetes Service: its own, or
    /// `PROTOCOL-NUMBER` (the mesh reads the protocol from the prefix).
    pub fn service_name(&self) -> String {
        // Written for every port of every service: no formatting machinery.
        self.name
            .clone()
            .unwrap_or_else(|| [self.protocol.as_str(), "-", itoa::Buffer::new().format(self.number)].concat())
    }

    /// The port callers address on the Kubernetes Service (and mesh routes
    /// name): `service-port`, or the container's port.
    pub fn service_number(&self) -> u16 {
        self.service_port.as_ref().map_or(self.number, |p| p.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(command: &[&str]) -> Job {
        Job {
            placement: Spanned::new(ClusterId(0), Span::default()),
            pool: None,
            image: Spanned::new(String::new(), Span::default()),
            workers: Spanned::new(2, Span::default()),
            resources: None,
            gang: None,
            queue: None,
            command: command.iter().map(|w| w.to_string()).collect(),
            shm: None,
            framework: None,
            volumes: Vec::new(),
        }
    }

    #[test]
    fn launchers_are_found_in_any_argument() {
        assert_eq!(job(&["torchrun", "--nnodes=2", "train.py"]).launcher(), Some("torchrun"));
        assert_eq!(job(&["/usr/local/bin/torchrun", "train.py"]).launcher(), Some("torchrun"));
        assert_eq!(job(&["python", "-m", "torch.distributed.run", "t.py"]).launcher(), Some("torch.distributed.run"));
        assert_eq!(job(&["sh", "-c", "pip install x && torchrun train.py"]).launcher(), Some("torchrun"));
        assert_eq!(job(&["mpirun", "-np", "8", "python", "t.py"]).launcher(), Some("mpirun"));
        assert_eq!(job(&["python", "sweep.py", "--torchrun-like"]).launcher(), None);
        assert_eq!(job(&[]).launcher(), None);
    }

    /// A workload is placed on the clusters of its placement list, and on
    /// no other (a service's, of several clusters, every example's build
    /// shows).
    #[test]
    fn placed_on_is_the_placement_list() {
        let kind =
            WorkloadKind::Job(Box::new(Job { placement: Spanned::new(ClusterId(1), Span::default()), ..job(&[]) }));
        let w = Workload { name: "w".into(), span: Span::default(), critical: false, profiles: Vec::new(), kind };
        for c in 0..4 {
            assert_eq!(w.is_placed_on(ClusterId(c)), w.placement().any(|p| p == ClusterId(c)), "{c}");
        }
        assert!(w.is_placed_on(ClusterId(1)));
    }

    #[test]
    fn only_pytorch_launchers_launch_pytorch() {
        assert!(job(&["python3", "-m", "torch.distributed.launch", "t.py"]).launches_pytorch());
        assert!(!job(&["deepspeed", "t.py"]).launches_pytorch());
        assert!(!job(&["python", "t.py"]).launches_pytorch());
    }
}
