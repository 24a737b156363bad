//! The schema of the language: for every node kind, its positional
//! arguments, properties, children, types, required entries, defaults and
//! enums. This table is the one place the language's shape is written:
//! the decoder checks programs against it, the resolver reads defaults from
//! it, and the book's reference pages and `hybridc explain` are generated
//! from it.
//!
//! A node kind is identified by its `key` (`site`, `kubernetes.network`,
//! `vm.port`): the same node name can mean different things under different
//! parents.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The type of an argument or property value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// An integer in `min..=max`.
    Int {
        min: i64,
        max: i64,
    },
    Bool,
    /// Free text.
    Str,
    /// A quoted version such as `"1.31"`.
    Version,
    /// A Kubernetes-style quantity of bytes: `"512Mi"`, `"1Ti"`, `"500G"`.
    Size,
    /// Cores or millicores: `4`, `"500m"`, `"2.5"`.
    Cpu,
    /// `"70%"`, 0 to 100.
    Percent,
    /// `"30s"`, `"15m"`, `"1.2ms"`, `"7d"`.
    Duration,
    /// `"10Gbps"`, `"500Mbps"`.
    Bandwidth,
    /// `"10.10.0.0/16"`, `"fd00::/64"`, host bits zero.
    Cidr,
    /// Five cron fields: `"0 2 * * *"`.
    Cron,
    /// A declaration name: a DNS-1123 label.
    Name,
    /// An environment variable name: a C identifier.
    EnvName,
    /// A Kubernetes label key: `nvidia.com/gpu`, `workload`.
    LabelKey,
    /// A Kubernetes label value: empty, or at most 63 letters, digits, `-`,
    /// `_` and `.`, beginning and ending with a letter or digit.
    LabelValue,
    /// A container port name: at most 15 lowercase letters, digits and `-`.
    PortName,
    /// A DNS host name, optionally a `*.` wildcard: `shop.example.com`.
    Hostname,
    /// An HTTP header name: `x-user-type`.
    HeaderName,
    /// A reference (bare or dotted) to declarations of the given kinds.
    Ref(RefKind),
    /// One of a fixed list of words.
    Enum(&'static [&'static str]),
}

/// What a reference may name; the resolver knows where each one searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// `placement` of a service or vm: clusters.
    Cluster,
    /// `placement` of a job: a kubernetes cluster or `cluster.pool`.
    ClusterOrPool,
    /// `network` in a cluster or vm: site networks.
    Network,
    /// `storage-class=` on a volume.
    StorageClass,
    /// `storage=` on a disk: storage class, volume type or vsan.
    DiskStorage,
    /// `pool=` on a storage class, `backend=` on a volume type: ceph pools.
    CephPool,
    /// `from=`/`to=` of a replication: ceph pools or vsan.
    StoragePool,
    /// `of=` of a backup: kubernetes clusters or workloads.
    BackupTarget,
    /// `link` arguments: sites.
    Site,
    /// `from=`/`to=` of migrate, `allow-from`: workloads.
    Workload,
    /// `use`: profiles.
    Profile,
    /// A GPU model from `std/gpu` (or the program's own `gpu-model`).
    GpuModel,
}

impl Ty {
    /// How the type is written in messages and the reference: `a size such as "16Gi"`.
    pub fn expected(&self) -> String {
        match self {
            Ty::Int { min, max } if *min == i64::MIN && *max == i64::MAX => "an integer".to_string(),
            Ty::Int { min, max } if *max == i64::MAX => format!("an integer of at least {min}"),
            Ty::Int { min, max } => format!("an integer from {min} to {max}"),
            Ty::Bool => "a boolean, #true or #false".to_string(),
            Ty::Str => "a string".to_string(),
            Ty::Version => "a quoted version such as \"1.31\"".to_string(),
            Ty::Size => "a size such as \"16Gi\"".to_string(),
            Ty::Cpu => "a cpu amount such as 4, \"2.5\" or \"500m\"".to_string(),
            Ty::Percent => "a percentage such as \"70%\"".to_string(),
            Ty::Duration => "a duration such as \"30s\", \"15m\" or \"1.2ms\"".to_string(),
            Ty::Bandwidth => "a bandwidth such as \"10Gbps\"".to_string(),
            Ty::Cidr => "a CIDR such as \"10.10.0.0/16\" or \"fd00::/64\"".to_string(),
            Ty::Cron => "a cron schedule of five fields such as \"0 2 * * *\"".to_string(),
            Ty::Name => "a name (lowercase letters, digits and `-`)".to_string(),
            Ty::EnvName => "a variable name such as LOG_LEVEL".to_string(),
            Ty::LabelKey => "a label key such as `nvidia.com/gpu`".to_string(),
            Ty::LabelValue => "a label value such as `platform-team`".to_string(),
            Ty::PortName => "a port name such as `grpc-api`".to_string(),
            Ty::Hostname => "a host name such as `shop.example.com`".to_string(),
            Ty::HeaderName => "a header name such as `x-user-type`".to_string(),
            Ty::Ref(_) => "a name".to_string(),
            Ty::Enum(words) => format!("one of {}", hybrid_diagnostics::join_quoted(words)),
        }
    }

    /// The short form used in the language reference (`size`, `int 1..65535`).
    pub fn short(&self) -> String {
        match self {
            Ty::Int { min, max } if *min == i64::MIN && *max == i64::MAX => "int".into(),
            Ty::Int { min, max } if *max == i64::MAX => format!("int ≥ {min}"),
            Ty::Int { min, max } => format!("int {min}..{max}"),
            Ty::Bool => "bool".into(),
            Ty::Str => "string".into(),
            Ty::Version => "version".into(),
            Ty::Size => "size".into(),
            Ty::Cpu => "cpu".into(),
            Ty::Percent => "percent".into(),
            Ty::Duration => "duration".into(),
            Ty::Bandwidth => "bandwidth".into(),
            Ty::Cidr => "cidr".into(),
            Ty::Cron => "cron".into(),
            Ty::Name => "name".into(),
            Ty::EnvName => "variable name".into(),
            Ty::LabelKey => "label key".into(),
            Ty::LabelValue => "label value".into(),
            Ty::PortName => "port name".into(),
            Ty::Hostname => "host name".into(),
            Ty::HeaderName => "header name".into(),
            Ty::Ref(k) => format!("ref ({})", k.describe()),
            Ty::Enum(words) => words.join("|"),
        }
    }
}

impl RefKind {
    pub fn describe(&self) -> &'static str {
        match self {
            RefKind::Cluster => "cluster",
            RefKind::ClusterOrPool => "kubernetes cluster or cluster.pool",
            RefKind::Network => "network",
            RefKind::StorageClass => "storage class",
            RefKind::DiskStorage => "storage class, volume type or vsan",
            RefKind::CephPool => "ceph pool",
            RefKind::StoragePool => "ceph pool or vsan",
            RefKind::BackupTarget => "kubernetes cluster or workload",
            RefKind::Site => "site",
            RefKind::Workload => "workload",
            RefKind::Profile => "profile",
            RefKind::GpuModel => "gpu model",
        }
    }
}

/// A positional argument.
#[derive(Debug)]
pub struct ArgSchema {
    /// How the argument is called in the reference (`NAME`, `MODEL`).
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
    /// The argument takes all remaining positional values.
    pub variadic: bool,
    /// Written when the argument is omitted (in the language's syntax).
    pub default: Option<&'static str>,
}

/// A property `key=value`.
#[derive(Debug)]
pub struct PropSchema {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
    pub default: Option<&'static str>,
    pub doc: &'static str,
}

/// How often a child may appear and how profile merging treats it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// At most once; a workload's node replaces a profile's.
    Once,
    /// Many, merged by the first argument (a workload's wins on a clash).
    Keyed,
    /// Many, merged as a union.
    Union,
}

#[derive(Debug)]
pub struct ChildSchema {
    /// The key of the child's [`NodeSchema`].
    pub key: &'static str,
    pub required: bool,
    pub repeat: Repeat,
}

/// The kind of declaration a node makes (its first argument is its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DeclKind {
    Topology,
    Profile,
    Site,
    Network,
    Kubernetes,
    OpenStack,
    VSphere,
    Ceph,
    Vsan,
    Pool,
    StorageClass,
    Flavor,
    VolumeType,
    Replication,
    Backup,
    Service,
    Vm,
    Job,
    Migrate,
    GpuModel,
    MigProfile,
}

impl DeclKind {
    /// The node name that declares it, for messages.
    pub fn word(&self) -> &'static str {
        match self {
            DeclKind::Topology => "topology",
            DeclKind::Profile => "profile",
            DeclKind::Site => "site",
            DeclKind::Network => "network",
            DeclKind::Kubernetes => "kubernetes cluster",
            DeclKind::OpenStack => "openstack cluster",
            DeclKind::VSphere => "vsphere cluster",
            DeclKind::Ceph => "ceph pool",
            DeclKind::Vsan => "vsan",
            DeclKind::Pool => "node pool",
            DeclKind::StorageClass => "storage class",
            DeclKind::Flavor => "flavor",
            DeclKind::VolumeType => "volume type",
            DeclKind::Replication => "replication",
            DeclKind::Backup => "backup",
            DeclKind::Service => "service",
            DeclKind::Vm => "vm",
            DeclKind::Job => "job",
            DeclKind::Migrate => "migrate",
            DeclKind::GpuModel => "gpu model",
            DeclKind::MigProfile => "mig profile",
        }
    }
}

/// The schema of one node kind.
#[derive(Debug)]
pub struct NodeSchema {
    /// Unique key: the node name, prefixed by its parent's where the same
    /// name means something else elsewhere (`vm.port`).
    pub key: &'static str,
    /// The node name as written.
    pub name: &'static str,
    pub doc: &'static str,
    pub args: &'static [ArgSchema],
    pub props: &'static [PropSchema],
    pub children: &'static [ChildSchema],
    /// Set when the node declares a name (its first argument).
    pub declares: Option<DeclKind>,
    /// Properties of which exactly one must be written (`disruption`
    /// takes `max-unavailable` or `min-available`).
    pub one_of: Option<&'static [&'static str]>,
}

impl NodeSchema {
    pub fn prop(&self, name: &str) -> Option<&'static PropSchema> {
        let props: &'static [PropSchema] = self.props;
        props.iter().find(|p| p.name == name)
    }

    /// The schema of a child node written `name` under this node.
    pub fn child(&self, name: &str) -> Option<(&'static ChildSchema, &'static NodeSchema)> {
        tables().children.get(&(self.key, name)).copied()
    }

    /// Names of the children, for suggestions.
    pub fn child_names(&self) -> Vec<&'static str> {
        self.children.iter().filter_map(|c| node(c.key).map(|n| n.name)).collect()
    }
}

/// Looks a node kind up by key.
pub fn node(key: &str) -> Option<&'static NodeSchema> {
    tables().nodes.get(key).copied()
}

/// Lookup tables over [`NODES`], built once: the decoder asks for a child's
/// schema for every node of every program. Only ever looked up, never
/// iterated, so hash order cannot reach output.
struct Tables {
    nodes: HashMap<&'static str, &'static NodeSchema>,
    /// How a child of a service, vm or job merges with a profile's.
    workload_repeat: HashMap<&'static str, Repeat>,
    children: HashMap<(&'static str, &'static str), (&'static ChildSchema, &'static NodeSchema)>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let nodes: HashMap<&'static str, &'static NodeSchema> = NODES.iter().map(|n| (n.key, n)).collect();
        let mut children = HashMap::new();
        for parent in NODES {
            for c in parent.children {
                if let Some(child) = nodes.get(c.key) {
                    children.insert((parent.key, child.name), (c, *child));
                }
            }
        }
        let mut workload_repeat = HashMap::new();
        for key in WORKLOAD_KEYS {
            for c in nodes.get(key).map(|n| n.children).unwrap_or(&[]) {
                if let Some(child) = nodes.get(c.key) {
                    workload_repeat.entry(child.name).or_insert(c.repeat);
                }
            }
        }
        Tables { nodes, children, workload_repeat }
    })
}

/// How a workload child merges with a profile's (`Once` for unknown names).
pub fn workload_repeat(name: &str) -> Repeat {
    tables().workload_repeat.get(name).copied().unwrap_or(Repeat::Once)
}

/// The node kinds allowed at the top level of a file.
pub fn top_level(name: &str) -> Option<&'static NodeSchema> {
    TOP_LEVEL.iter().filter_map(|k| node(k)).find(|n| n.name == name)
}

pub const TOP_LEVEL: &[&str] = &[
    "import",
    "topology",
    "profile",
    "site",
    "link",
    "replication",
    "backup",
    "service",
    "vm",
    "job",
    "migrate",
    "gpu-model",
];

/// The workload kinds a profile's nodes are checked against.
pub const WORKLOAD_KEYS: &[&str] = &["service", "vm", "job"];

// ---------------------------------------------------------------- helpers

const fn arg(name: &'static str, ty: Ty) -> ArgSchema {
    ArgSchema { name, ty, required: true, variadic: false, default: None }
}
const fn opt_arg(name: &'static str, ty: Ty, default: Option<&'static str>) -> ArgSchema {
    ArgSchema { name, ty, required: false, variadic: false, default }
}
const fn many(name: &'static str, ty: Ty) -> ArgSchema {
    ArgSchema { name, ty, required: true, variadic: true, default: None }
}
const fn req(name: &'static str, ty: Ty, doc: &'static str) -> PropSchema {
    PropSchema { name, ty, required: true, default: None, doc }
}
const fn opt(name: &'static str, ty: Ty, doc: &'static str) -> PropSchema {
    PropSchema { name, ty, required: false, default: None, doc }
}
const fn dflt(name: &'static str, ty: Ty, default: &'static str, doc: &'static str) -> PropSchema {
    PropSchema { name, ty, required: false, default: Some(default), doc }
}
const fn once(key: &'static str) -> ChildSchema {
    ChildSchema { key, required: false, repeat: Repeat::Once }
}
const fn must(key: &'static str) -> ChildSchema {
    ChildSchema { key, required: true, repeat: Repeat::Once }
}
const fn keyed(key: &'static str) -> ChildSchema {
    ChildSchema { key, required: false, repeat: Repeat::Keyed }
}
const fn union(key: &'static str) -> ChildSchema {
    ChildSchema { key, required: false, repeat: Repeat::Union }
}

const COUNT: Ty = Ty::Int { min: 0, max: i64::MAX };
/// Any integer: a rule of its own checks the range (VLANs, weights).
const ANY_INT: Ty = Ty::Int { min: i64::MIN, max: i64::MAX };
const POSITIVE: Ty = Ty::Int { min: 1, max: i64::MAX };
const PORT: Ty = Ty::Int { min: 1, max: 65535 };
const NAME: ArgSchema = arg("NAME", Ty::Name);
const FLAG: ArgSchema = opt_arg("ENABLED", Ty::Bool, Some("#true"));

const PROTOCOLS: Ty = Ty::Enum(&["http", "grpc", "tcp"]);
const PRIORITIES: Ty = Ty::Enum(&["low", "medium", "high"]);

const fn decl(
    key: &'static str,
    name: &'static str,
    kind: DeclKind,
    doc: &'static str,
    args: &'static [ArgSchema],
    props: &'static [PropSchema],
    children: &'static [ChildSchema],
) -> NodeSchema {
    NodeSchema { key, name, doc, args, props, children, declares: Some(kind), one_of: None }
}
const fn plain(
    key: &'static str,
    name: &'static str,
    doc: &'static str,
    args: &'static [ArgSchema],
    props: &'static [PropSchema],
    children: &'static [ChildSchema],
) -> NodeSchema {
    NodeSchema { key, name, doc, args, props, children, declares: None, one_of: None }
}

/// The same node, with properties of which exactly one must be written.
const fn one_of(n: NodeSchema, props: &'static [&'static str]) -> NodeSchema {
    NodeSchema { one_of: Some(props), ..n }
}

/// Children shared by every workload kind.
const RESOURCES_PROPS: &[PropSchema] = &[
    opt("cpu", Ty::Cpu, "CPU request (and limit) per replica or worker"),
    opt("memory", Ty::Size, "memory request (and limit) per replica or worker"),
    opt("gpu", COUNT, "whole GPUs per replica or worker"),
    opt("gpu-profile", Ty::Str, "a MIG profile, e.g. \"1g.10gb\", instead of whole GPUs"),
];

// ------------------------------------------------------------------ nodes

/// Every node kind of the language.
pub static NODES: &[NodeSchema] = &[
    plain(
        "import",
        "import",
        "includes a stdlib module (`std/gpu`) or a file relative to this one",
        &[arg("PATH", Ty::Str)],
        &[],
        &[],
    ),
    decl(
        "topology",
        "topology",
        DeclKind::Topology,
        "the program's one topology: its name and owner",
        &[NAME],
        &[],
        &[once("topology.owner"), union("topology.label")],
    ),
    plain("topology.owner", "owner", "the team that owns the topology", &[arg("OWNER", Ty::Str)], &[], &[]),
    plain(
        "topology.label",
        "label",
        "a label put on every generated object",
        &[arg("KEY", Ty::LabelKey), arg("VALUE", Ty::LabelValue)],
        &[],
        &[],
    ),
    // site and what it holds
    decl(
        "site",
        "site",
        DeclKind::Site,
        "a data-center site or cloud region",
        &[NAME],
        &[
            req("region", Ty::Str, "the region or location"),
            opt("kind", Ty::Enum(&["on-prem", "public-cloud", "edge"]), "what kind of site it is"),
            opt("provider", Ty::Str, "the provider (a cloud or a colocation company)"),
        ],
        &[keyed("site.network"), keyed("kubernetes"), keyed("openstack"), keyed("vsphere"), keyed("ceph")],
    ),
    decl(
        "site.network",
        "network",
        DeclKind::Network,
        "an L2/L3 segment of the site",
        &[NAME],
        &[
            req("cidr", Ty::Cidr, "the address range"),
            opt("vlan", ANY_INT, "the VLAN id (1..4094)"),
            opt("zone", Ty::Str, "the security zone, e.g. `trusted`, `dmz`, `storage`"),
        ],
        &[],
    ),
    decl(
        "kubernetes",
        "kubernetes",
        DeclKind::Kubernetes,
        "a Kubernetes cluster",
        &[NAME],
        &[
            req("version", Ty::Version, "the Kubernetes minor version"),
            dflt("pod-cidr", Ty::Cidr, "\"10.244.0.0/16\"", "the pod network"),
            dflt("service-cidr", Ty::Cidr, "\"10.96.0.0/12\"", "the service network"),
        ],
        &[
            once("kubernetes.control-plane"),
            once("kubernetes.network"),
            once("kubernetes.cni"),
            once("kubernetes.mesh"),
            once("kubernetes.kubevirt"),
            once("kubernetes.scheduler"),
            once("kubernetes.gitops"),
            keyed("pool"),
            keyed("storage-class"),
        ],
    ),
    plain(
        "kubernetes.control-plane",
        "control-plane",
        "the control plane (and its etcd quorum)",
        &[],
        &[dflt("replicas", COUNT, "3", "control-plane nodes")],
        &[],
    ),
    plain(
        "kubernetes.network",
        "network",
        "the site network the cluster's nodes live on",
        &[arg("NETWORK", Ty::Ref(RefKind::Network))],
        &[],
        &[],
    ),
    plain(
        "kubernetes.cni",
        "cni",
        "the CNI plugin",
        &[arg("PLUGIN", Ty::Enum(&["calico", "cilium"]))],
        &[opt("mode", Ty::Enum(&["bgp", "vxlan", "ebpf"]), "the data-plane mode")],
        &[],
    ),
    plain(
        "kubernetes.mesh",
        "mesh",
        "a service mesh on the cluster",
        &[arg("MESH", Ty::Enum(&["istio"]))],
        &[dflt("mtls", Ty::Enum(&["strict", "permissive"]), "strict", "mutual TLS mode")],
        &[],
    ),
    plain("kubernetes.kubevirt", "kubevirt", "the cluster runs `vm` workloads with KubeVirt", &[FLAG], &[], &[]),
    plain(
        "kubernetes.scheduler",
        "scheduler",
        "a batch scheduler for gang scheduling",
        &[arg("SCHEDULER", Ty::Enum(&["volcano"]))],
        &[],
        &[],
    ),
    plain(
        "kubernetes.gitops",
        "gitops",
        "GitOps delivery of the cluster's generated files",
        &[arg("TOOL", Ty::Enum(&["argocd"]))],
        &[
            req("repo", Ty::Str, "the Git repository holding the generated tree"),
            opt("path", Ty::Str, "the folder in the repository (default: this cluster's output folder)"),
            dflt("revision", Ty::Str, "HEAD", "the branch, tag or commit"),
        ],
        &[],
    ),
    decl(
        "pool",
        "pool",
        DeclKind::Pool,
        "a node pool; cpu and memory are per node",
        &[NAME],
        &[
            req("nodes", COUNT, "how many nodes"),
            req("cpu", Ty::Cpu, "cores per node"),
            req("memory", Ty::Size, "memory per node"),
        ],
        &[once("pool.gpu"), keyed("pool.taint"), keyed("pool.label"), once("pool.rdma")],
    ),
    plain(
        "pool.gpu",
        "gpu",
        "GPUs in each node of the pool",
        &[arg("MODEL", Ty::Ref(RefKind::GpuModel))],
        &[
            req("count", POSITIVE, "GPUs per node"),
            dflt("sharing", Ty::Enum(&["exclusive", "mig", "time-slicing"]), "exclusive", "how GPUs are shared"),
            opt("profile", Ty::Str, "the MIG profile every GPU is split into (with `sharing=mig`)"),
            opt("replicas", POSITIVE, "the time-slicing factor (with `sharing=time-slicing`)"),
        ],
        &[],
    ),
    plain(
        "pool.taint",
        "taint",
        "a taint on the pool's nodes",
        &[arg("KEY", Ty::LabelKey)],
        &[
            opt("value", Ty::LabelValue, "the taint's value"),
            dflt(
                "effect",
                Ty::Enum(&["NoSchedule", "PreferNoSchedule", "NoExecute"]),
                "NoSchedule",
                "the taint's effect",
            ),
        ],
        &[],
    ),
    plain(
        "pool.label",
        "label",
        "a label on the pool's nodes",
        &[arg("KEY", Ty::LabelKey), arg("VALUE", Ty::LabelValue)],
        &[],
        &[],
    ),
    plain("pool.rdma", "rdma", "the nodes have RDMA networking", &[FLAG], &[], &[]),
    decl(
        "storage-class",
        "storage-class",
        DeclKind::StorageClass,
        "a Kubernetes storage class",
        &[NAME],
        &[
            req("backend", Ty::Enum(&["ceph-rbd", "longhorn", "vsan", "local"]), "the storage backend"),
            opt("pool", Ty::Ref(RefKind::CephPool), "the ceph pool (with `backend=ceph-rbd`)"),
            dflt("default", Ty::Bool, "#false", "the cluster's default class"),
        ],
        &[],
    ),
    decl(
        "openstack",
        "openstack",
        DeclKind::OpenStack,
        "an OpenStack cloud",
        &[NAME],
        &[req("release", Ty::Str, "the OpenStack release, e.g. \"2024.1\"")],
        &[
            once("openstack.controllers"),
            once("openstack.compute"),
            keyed("flavor"),
            union("openstack.network"),
            keyed("volume-type"),
        ],
    ),
    plain(
        "openstack.controllers",
        "controllers",
        "controller nodes",
        &[opt_arg("COUNT", POSITIVE, Some("3"))],
        &[],
        &[],
    ),
    plain(
        "openstack.compute",
        "compute",
        "compute nodes (cpu and memory per node)",
        &[],
        &[
            req("nodes", COUNT, "how many compute nodes"),
            req("cpu", Ty::Cpu, "cores per node"),
            req("memory", Ty::Size, "memory per node"),
        ],
        &[],
    ),
    decl(
        "flavor",
        "flavor",
        DeclKind::Flavor,
        "a Nova flavor",
        &[NAME],
        &[req("cpu", Ty::Cpu, "vCPUs"), req("memory", Ty::Size, "memory"), req("disk", Ty::Size, "root disk")],
        &[],
    ),
    plain(
        "openstack.network",
        "network",
        "a site network the cloud provides through Neutron",
        &[arg("NETWORK", Ty::Ref(RefKind::Network))],
        &[],
        &[],
    ),
    decl(
        "volume-type",
        "volume-type",
        DeclKind::VolumeType,
        "a Cinder volume type",
        &[NAME],
        &[opt("backend", Ty::Ref(RefKind::CephPool), "the ceph pool behind it")],
        &[],
    ),
    decl(
        "vsphere",
        "vsphere",
        DeclKind::VSphere,
        "a vSphere cluster",
        &[NAME],
        &[req("version", Ty::Version, "the vSphere version"), req("datacenter", Ty::Str, "the vCenter datacenter")],
        &[once("vsphere.hosts"), once("vsphere.ha"), once("vsphere.drs"), union("vsphere.network"), keyed("vsan")],
    ),
    plain(
        "vsphere.hosts",
        "hosts",
        "ESXi hosts (cpu and memory per host)",
        &[],
        &[
            req("count", COUNT, "how many hosts"),
            req("cpu", Ty::Cpu, "cores per host"),
            req("memory", Ty::Size, "memory per host"),
        ],
        &[],
    ),
    plain(
        "vsphere.ha",
        "ha",
        "vSphere HA",
        &[],
        &[
            opt("restart-priority", PRIORITIES, "default VM restart priority"),
            opt("isolation-response", Ty::Enum(&["none", "shutdown", "power-off"]), "what a host does when isolated"),
            opt("admission-reserve", Ty::Percent, "CPU and memory held back for failover"),
        ],
        &[],
    ),
    plain(
        "vsphere.drs",
        "drs",
        "vSphere DRS",
        &[],
        &[dflt(
            "automation",
            Ty::Enum(&["manual", "partially-automated", "fully-automated"]),
            "fully-automated",
            "DRS automation level",
        )],
        &[],
    ),
    plain(
        "vsphere.network",
        "network",
        "a site network offered as a distributed port group",
        &[arg("NETWORK", Ty::Ref(RefKind::Network))],
        &[],
        &[],
    ),
    decl(
        "vsan",
        "vsan",
        DeclKind::Vsan,
        "the cluster's vSAN datastore",
        &[NAME],
        &[dflt("dedup", Ty::Bool, "#false", "deduplication"), dflt("compression", Ty::Bool, "#false", "compression")],
        &[],
    ),
    decl(
        "ceph",
        "ceph",
        DeclKind::Ceph,
        "a Ceph storage pool at the site",
        &[NAME],
        &[
            req("nodes", POSITIVE, "storage nodes"),
            req("media", Ty::Enum(&["ssd", "hdd", "nvme"]), "the disks"),
            dflt("replicas", POSITIVE, "3", "copies of each object"),
            opt("failure-domain", Ty::Enum(&["host", "rack", "zone"]), "what the copies are spread over"),
            opt("capacity", Ty::Size, "usable capacity"),
        ],
        &[],
    ),
    // between sites
    plain(
        "link",
        "link",
        "connectivity between two sites; `latency` is the round trip",
        &[arg("SITE", Ty::Ref(RefKind::Site)), arg("SITE", Ty::Ref(RefKind::Site))],
        &[
            req("latency", Ty::Duration, "round-trip time"),
            req("bandwidth", Ty::Bandwidth, "capacity"),
            opt("kind", Ty::Enum(&["dark-fiber", "wan", "vpn", "internet"]), "what carries it"),
            dflt("encrypted", Ty::Bool, "#false", "traffic is encrypted"),
        ],
        &[],
    ),
    decl(
        "replication",
        "replication",
        DeclKind::Replication,
        "block replication between two storage pools",
        &[NAME],
        &[
            req("from", Ty::Ref(RefKind::StoragePool), "the source pool"),
            req("to", Ty::Ref(RefKind::StoragePool), "the target pool"),
            req("mode", Ty::Enum(&["sync", "async"]), "synchronous or asynchronous"),
            req("rpo", Ty::Duration, "recovery point objective"),
            opt("rto", Ty::Duration, "recovery time objective"),
        ],
        &[],
    ),
    decl(
        "backup",
        "backup",
        DeclKind::Backup,
        "scheduled backups of a cluster or a workload",
        &[NAME],
        &[
            req("of", Ty::Ref(RefKind::BackupTarget), "a kubernetes cluster or a workload"),
            req("schedule", Ty::Cron, "when it runs"),
            req("retain", Ty::Duration, "how long backups are kept"),
        ],
        &[],
    ),
    // workloads
    decl("profile", "profile", DeclKind::Profile, "reusable defaults for services, vms and jobs", &[NAME], &[], &[]),
    plain(
        "use",
        "use",
        "applies a profile first; what the workload writes itself wins",
        &[arg("PROFILE", Ty::Ref(RefKind::Profile))],
        &[],
        &[],
    ),
    plain("critical", "critical", "losing this workload in a failure is an error, not a warning", &[FLAG], &[], &[]),
    plain(
        "image",
        "image",
        "the image: a container image, Glance image or vSphere template",
        &[arg("IMAGE", Ty::Str)],
        &[],
        &[],
    ),
    decl(
        "service",
        "service",
        DeclKind::Service,
        "a containerised workload",
        &[NAME],
        &[],
        &[
            union("use"),
            once("critical"),
            must("service.placement"),
            once("namespace"),
            must("image"),
            once("replicas"),
            keyed("service.port"),
            once("resources"),
            once("autoscale"),
            once("disruption"),
            once("spread"),
            once("probe"),
            keyed("env"),
            keyed("secret-env"),
            keyed("volume"),
            once("expose"),
            union("allow-from"),
            once("traffic"),
        ],
    ),
    plain(
        "service.placement",
        "placement",
        "the kubernetes clusters the service runs in",
        &[many("CLUSTER", Ty::Ref(RefKind::Cluster))],
        &[dflt(
            "mode",
            Ty::Enum(&["active-active", "active-passive"]),
            "active-active",
            "full replicas everywhere, or only in the first cluster",
        )],
        &[],
    ),
    plain(
        "namespace",
        "namespace",
        "the Kubernetes namespace (default: the topology name)",
        &[arg("NAME", Ty::Name)],
        &[],
        &[],
    ),
    plain("replicas", "replicas", "how many replicas", &[opt_arg("COUNT", COUNT, Some("1"))], &[], &[]),
    plain(
        "service.port",
        "port",
        "a port the service listens on",
        &[arg("PORT", PORT)],
        &[
            dflt("protocol", PROTOCOLS, "http", "the protocol"),
            opt("name", Ty::PortName, "the port's name (default: `PROTOCOL-NUMBER`)"),
        ],
        &[],
    ),
    plain("resources", "resources", "requests (and limits) per replica or worker", &[], RESOURCES_PROPS, &[]),
    plain(
        "autoscale",
        "autoscale",
        "horizontal autoscaling",
        &[],
        &[
            opt("min", COUNT, "fewest replicas"),
            opt("max", POSITIVE, "most replicas"),
            opt("cpu", Ty::Percent, "target CPU utilisation"),
            opt("memory", Ty::Percent, "target memory utilisation"),
        ],
        &[],
    ),
    one_of(
        plain(
            "disruption",
            "disruption",
            "the disruption budget (one of the two properties)",
            &[],
            &[
                opt("max-unavailable", COUNT, "replicas that may be down at once"),
                opt("min-available", COUNT, "replicas that must stay up"),
            ],
            &[],
        ),
        &["max-unavailable", "min-available"],
    ),
    plain(
        "spread",
        "spread",
        "spread replicas over hosts or zones",
        &[arg("OVER", Ty::Enum(&["hostname", "zone"]))],
        &[dflt("required", Ty::Bool, "#false", "a hard rule instead of a preference")],
        &[],
    ),
    plain(
        "probe",
        "probe",
        "HTTP health probes",
        &[],
        &[
            opt("liveness", Ty::Str, "liveness path"),
            opt("readiness", Ty::Str, "readiness path"),
            opt("startup", Ty::Str, "startup path"),
            opt("port", PORT, "the port probed (default: the first port)"),
        ],
        &[],
    ),
    plain(
        "env",
        "env",
        "an environment variable with a literal value",
        &[arg("NAME", Ty::EnvName), arg("VALUE", Ty::Str)],
        &[],
        &[],
    ),
    plain(
        "secret-env",
        "secret-env",
        "an environment variable read from a secret (never a literal)",
        &[arg("NAME", Ty::EnvName)],
        &[req("secret", Ty::Name, "the secret's name"), req("key", Ty::Str, "the key in the secret")],
        &[],
    ),
    plain(
        "volume",
        "volume",
        "a persistent volume; makes the service stateful",
        &[NAME],
        &[
            req("size", Ty::Size, "capacity"),
            opt("storage-class", Ty::Ref(RefKind::StorageClass), "the storage class (default: the cluster's default)"),
            req("mount", Ty::Str, "the mount path"),
        ],
        &[],
    ),
    plain(
        "expose",
        "expose",
        "reachable from outside the mesh",
        &[],
        &[
            req("host", Ty::Hostname, "the public host name"),
            dflt("tls", Ty::Bool, "#false", "TLS termination at the gateway"),
        ],
        &[],
    ),
    plain(
        "allow-from",
        "allow-from",
        "only these workloads may call the service",
        &[many("WORKLOAD", Ty::Ref(RefKind::Workload))],
        &[],
        &[],
    ),
    plain(
        "traffic",
        "traffic",
        "traffic policies (needs `mesh istio` on every placed cluster)",
        &[],
        &[],
        &[
            keyed("canary"),
            once("blue-green"),
            keyed("variant"),
            once("mirror"),
            once("circuit-breaker"),
            once("retry"),
            once("timeout"),
        ],
    ),
    plain(
        "canary",
        "canary",
        "a new version that gets `weight`% of traffic",
        &[NAME],
        &[req("image", Ty::Str, "the new version's image"), req("weight", ANY_INT, "percent of traffic (0..100)")],
        &[once("canary.match")],
    ),
    one_of(
        plain(
            "canary.match",
            "match",
            "requests that always go to the canary",
            &[],
            &[
                req("header", Ty::HeaderName, "the header"),
                opt("exact", Ty::Str, "exact value"),
                opt("prefix", Ty::Str, "value prefix"),
                opt("regex", Ty::Str, "value regular expression"),
            ],
            &[],
        ),
        &["exact", "prefix", "regex"],
    ),
    plain(
        "blue-green",
        "blue-green",
        "two images, all traffic to the active one",
        &[],
        &[
            dflt("active", Ty::Enum(&["blue", "green"]), "blue", "the colour that gets the traffic"),
            req("blue", Ty::Str, "the blue image"),
            req("green", Ty::Str, "the green image"),
        ],
        &[],
    ),
    plain(
        "variant",
        "variant",
        "an A/B variant routed by header",
        &[NAME],
        &[req("image", Ty::Str, "the variant's image")],
        &[must("variant.match")],
    ),
    plain(
        "variant.match",
        "match",
        "requests that go to the variant",
        &[],
        &[req("header", Ty::HeaderName, "the header"), req("exact", Ty::Str, "exact value")],
        &[],
    ),
    plain(
        "mirror",
        "mirror",
        "a copy of live traffic sent to another version",
        &[NAME],
        &[
            opt("image", Ty::Str, "the mirror's image"),
            dflt("percent", Ty::Percent, "\"100%\"", "share of requests mirrored"),
        ],
        &[],
    ),
    plain(
        "circuit-breaker",
        "circuit-breaker",
        "outlier detection",
        &[],
        &[
            opt("consecutive-errors", POSITIVE, "5xx errors before ejection"),
            opt("interval", Ty::Duration, "analysis interval"),
            opt("ejection", Ty::Duration, "base ejection time"),
            opt("max-ejection", Ty::Percent, "most hosts ejected at once"),
        ],
        &[],
    ),
    plain(
        "retry",
        "retry",
        "retries",
        &[],
        &[
            opt("attempts", POSITIVE, "attempts"),
            opt("per-try-timeout", Ty::Duration, "timeout per attempt"),
            opt("on", Ty::Str, "conditions, e.g. \"5xx,reset\""),
        ],
        &[],
    ),
    plain("timeout", "timeout", "request timeout", &[arg("DURATION", Ty::Duration)], &[], &[]),
    decl(
        "vm",
        "vm",
        DeclKind::Vm,
        "a virtual machine",
        &[NAME],
        &[],
        &[
            union("use"),
            once("critical"),
            must("vm.placement"),
            must("image"),
            must("vm.cpu"),
            must("vm.memory"),
            keyed("disk"),
            once("vm.network"),
            keyed("vm.port"),
            once("vm.ha"),
            once("fault-tolerance"),
            once("reserve"),
            once("numa"),
            once("vm.gpu"),
            once("anti-affinity"),
        ],
    ),
    plain(
        "vm.placement",
        "placement",
        "the one cluster the vm runs in: kubernetes (with kubevirt), openstack or vsphere",
        &[arg("CLUSTER", Ty::Ref(RefKind::Cluster))],
        &[],
        &[],
    ),
    plain("vm.cpu", "cpu", "vCPUs", &[arg("COUNT", POSITIVE)], &[], &[]),
    plain("vm.memory", "memory", "memory", &[arg("SIZE", Ty::Size)], &[], &[]),
    plain(
        "disk",
        "disk",
        "a disk",
        &[NAME],
        &[
            req("size", Ty::Size, "capacity"),
            opt("storage", Ty::Ref(RefKind::DiskStorage), "storage class, volume type or vsan"),
            dflt("boot", Ty::Bool, "#false", "the boot disk"),
        ],
        &[],
    ),
    plain(
        "vm.network",
        "network",
        "the site network the vm is attached to",
        &[arg("NETWORK", Ty::Ref(RefKind::Network))],
        &[],
        &[],
    ),
    plain(
        "vm.port",
        "port",
        "a port exposed to the mesh",
        &[arg("PORT", PORT)],
        &[dflt("protocol", PROTOCOLS, "tcp", "the protocol")],
        &[],
    ),
    plain(
        "vm.ha",
        "ha",
        "per-vm HA restart priority",
        &[],
        &[req("restart-priority", PRIORITIES, "restart priority")],
        &[],
    ),
    plain("fault-tolerance", "fault-tolerance", "vSphere Fault Tolerance", &[FLAG], &[], &[]),
    plain(
        "reserve",
        "reserve",
        "reserved share of the vm's cpu and memory",
        &[],
        &[opt("cpu", Ty::Percent, "reserved cpu"), opt("memory", Ty::Percent, "reserved memory")],
        &[],
    ),
    plain("numa", "numa", "NUMA placement", &[], &[dflt("pinned", Ty::Bool, "#false", "dedicated, pinned cpus")], &[]),
    plain(
        "vm.gpu",
        "gpu",
        "GPUs given to the vm",
        &[arg("MODEL", Ty::Ref(RefKind::GpuModel))],
        &[dflt("count", POSITIVE, "1", "how many"), dflt("passthrough", Ty::Bool, "#true", "PCI passthrough")],
        &[],
    ),
    plain(
        "anti-affinity",
        "anti-affinity",
        "vms naming the same group never share a host",
        &[arg("GROUP", Ty::Name)],
        &[],
        &[],
    ),
    decl(
        "job",
        "job",
        DeclKind::Job,
        "a batch or training workload",
        &[NAME],
        &[],
        &[
            union("use"),
            once("critical"),
            must("job.placement"),
            must("image"),
            once("workers"),
            once("resources"),
            once("gang"),
            once("queue"),
            once("command"),
        ],
    ),
    plain(
        "job.placement",
        "placement",
        "a kubernetes cluster, or `cluster.pool` to pin a pool",
        &[arg("CLUSTER", Ty::Ref(RefKind::ClusterOrPool))],
        &[],
        &[],
    ),
    plain("workers", "workers", "parallel workers", &[opt_arg("COUNT", POSITIVE, Some("1"))], &[], &[]),
    plain("gang", "gang", "all workers start together (needs `scheduler volcano`)", &[FLAG], &[], &[]),
    plain("queue", "queue", "the scheduler queue", &[arg("NAME", Ty::Name)], &[], &[]),
    plain("command", "command", "the command and its arguments", &[many("ARG", Ty::Str)], &[], &[]),
    decl(
        "migrate",
        "migrate",
        DeclKind::Migrate,
        "moves a vm's traffic to a service, `weight`% at a time",
        &[NAME],
        &[
            req("from", Ty::Ref(RefKind::Workload), "the vm (with a port)"),
            req("to", Ty::Ref(RefKind::Workload), "the service"),
            req("weight", ANY_INT, "percent of the vm's traffic sent to the service (0..100)"),
        ],
        &[],
    ),
    // the GPU catalogue (std/gpu)
    decl(
        "gpu-model",
        "gpu-model",
        DeclKind::GpuModel,
        "a GPU model: memory and MIG support",
        &[NAME],
        &[
            req("memory", Ty::Size, "memory per GPU"),
            dflt("mig", Ty::Bool, "#false", "supports Multi-Instance GPU"),
            opt("vendor", Ty::Str, "the vendor"),
        ],
        &[keyed("mig-profile")],
    ),
    decl(
        "mig-profile",
        "mig-profile",
        DeclKind::MigProfile,
        "a MIG profile and how many instances fit on one GPU",
        &[arg("NAME", Ty::Str)],
        &[
            req("instances", POSITIVE, "instances of this profile per GPU"),
            opt("memory", Ty::Size, "memory per instance"),
        ],
        &[],
    ),
];

/// The children a profile may hold: every child a service, vm or job accepts.
pub fn profile_child_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> =
        WORKLOAD_KEYS.iter().filter_map(|k| node(k)).flat_map(|n| n.child_names()).collect();
    names.sort_unstable();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn keys_are_unique_and_children_exist() {
        let mut keys = BTreeSet::new();
        for n in NODES {
            assert!(keys.insert(n.key), "{} twice", n.key);
        }
        for n in NODES {
            for c in n.children {
                assert!(node(c.key).is_some(), "{} names missing child {}", n.key, c.key);
            }
            let mut names = BTreeSet::new();
            for c in n.children {
                let name = node(c.key).map(|s| s.name).unwrap_or_default();
                assert!(names.insert(name), "{} has two children named {}", n.key, name);
            }
        }
        for k in TOP_LEVEL {
            assert!(node(k).is_some(), "{k}");
        }
    }

    #[test]
    fn variadic_args_come_last() {
        for n in NODES {
            let pos = n.args.iter().position(|a| a.variadic);
            if let Some(p) = pos {
                assert_eq!(p + 1, n.args.len(), "{}", n.key);
            }
        }
    }
}
