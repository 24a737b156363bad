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

use crate::hash::HashMap;
use hybrid_model::{
    CniMode, CniPlugin, Colour, DrsAutomation, FailureDomain, Framework, GitOpsTool, GpuSharing, HugePageSize,
    IsolationResponse, LinkKind, MatchKind, Media, MeshKind, Mtls, OverrideTarget, PlacementMode, Priority, Protocol,
    ReplicationMode, SchedulerKind, SiteKind, SpreadOver, StorageBackend, TaintEffect,
};
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
    /// A duration of whole seconds, at least `min`: `"10s"`, `"2m"` (what
    /// Kubernetes counts in integer seconds, such as probe timings).
    Seconds {
        min: u32,
    },
    /// `"10Gbps"`, `"500Mbps"`.
    Bandwidth,
    /// A clock frequency above zero: `"3.0GHz"`, `"2600MHz"`.
    Frequency,
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
    /// Where a machine is reached: an IP address (`"10.70.16.20"`,
    /// `"fd00::20"`) or a DNS name without wildcard (`erp.example.com`).
    Address,
    /// An HTTP header name: `x-user-type`.
    HeaderName,
    /// A reference (bare or dotted) to declarations of the given kinds.
    Ref(RefKind),
    /// One of a fixed list of words.
    Enum(&'static [&'static str]),
    /// Any KDL scalar: a string, a number, a boolean or `#null`.
    Scalar,
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
    /// `member` of a mesh: kubernetes clusters.
    Kubernetes,
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
            Ty::Seconds { min: 0 } => "a whole number of seconds such as \"10s\" or \"2m\"".to_string(),
            Ty::Seconds { min } => format!("a whole number of seconds, at least {min}, such as \"10s\" or \"2m\""),
            Ty::Bandwidth => "a bandwidth such as \"10Gbps\"".to_string(),
            Ty::Frequency => "a clock frequency such as \"3.0GHz\" or \"2600MHz\"".to_string(),
            Ty::Cidr => "a CIDR such as \"10.10.0.0/16\" or \"fd00::/64\"".to_string(),
            Ty::Cron => "a cron schedule of five fields such as \"0 2 * * *\"".to_string(),
            Ty::Name => "a name (lowercase letters, digits and `-`)".to_string(),
            Ty::EnvName => "a variable name such as LOG_LEVEL".to_string(),
            Ty::LabelKey => "a label key such as `nvidia.com/gpu`".to_string(),
            Ty::LabelValue => "a label value such as `platform-team`".to_string(),
            Ty::PortName => "a port name such as `grpc-api`".to_string(),
            Ty::Hostname => "a host name such as `shop.example.com`".to_string(),
            Ty::Address => "an IP address such as \"10.70.16.20\" or a DNS name such as `erp.example.com`".to_string(),
            Ty::HeaderName => "a header name such as `x-user-type`".to_string(),
            Ty::Ref(_) => "a name".to_string(),
            Ty::Enum(words) => format!("one of {}", hybrid_diagnostics::join_quoted(words)),
            Ty::Scalar => "a string, a number, #true, #false or #null".to_string(),
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
            Ty::Seconds { min: 0 } => "whole seconds".into(),
            Ty::Seconds { min } => format!("whole seconds ≥ {min}s"),
            Ty::Bandwidth => "bandwidth".into(),
            Ty::Frequency => "frequency".into(),
            Ty::Cidr => "cidr".into(),
            Ty::Cron => "cron".into(),
            Ty::Name => "name".into(),
            Ty::EnvName => "variable name".into(),
            Ty::LabelKey => "label key".into(),
            Ty::LabelValue => "label value".into(),
            Ty::PortName => "port name".into(),
            Ty::Hostname => "host name".into(),
            Ty::Address => "address".into(),
            Ty::HeaderName => "header name".into(),
            Ty::Ref(k) => format!("ref ({})", k.describe()),
            Ty::Enum(words) => words.join("|"),
            Ty::Scalar => "scalar".into(),
        }
    }
}

impl RefKind {
    /// The kinds of declaration it may name (for completion; the resolver
    /// knows, per reference, where each one is searched).
    pub fn accepts(&self) -> &'static [DeclKind] {
        use DeclKind as K;
        match self {
            RefKind::Cluster => &[K::Kubernetes, K::OpenStack, K::VSphere],
            RefKind::ClusterOrPool => &[K::Kubernetes, K::Pool],
            RefKind::Network => &[K::Network],
            RefKind::StorageClass => &[K::StorageClass],
            RefKind::DiskStorage => &[K::StorageClass, K::VolumeType, K::Vsan],
            RefKind::CephPool => &[K::Ceph],
            RefKind::StoragePool => &[K::Ceph, K::Vsan],
            RefKind::BackupTarget => &[K::Kubernetes, K::Service, K::Vm, K::Job],
            RefKind::Kubernetes => &[K::Kubernetes],
            RefKind::Site => &[K::Site],
            RefKind::Workload => &[K::Service, K::Vm, K::Job],
            RefKind::Profile => &[K::Profile],
            RefKind::GpuModel => &[K::GpuModel],
        }
    }

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
            RefKind::Kubernetes => "kubernetes cluster",
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
    /// Only the checks read it, as [`PropSchema::check_only`].
    pub check_only: bool,
}

/// A property `key=value`.
#[derive(Debug)]
pub struct PropSchema {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
    pub default: Option<&'static str>,
    pub doc: &'static str,
    /// Only the checks read it: no target's output depends on it (the
    /// gitops `path`, which must be the folder the Application syncs
    /// anyway). Every
    /// other property changes some target's output; the reference lists
    /// which are which.
    pub check_only: bool,
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
    Mesh,
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
            DeclKind::Mesh => "mesh",
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

    /// Whether `acknowledge` is accepted inside it: in every declaration but
    /// a profile (a profile's nodes are merged into workloads, an
    /// acknowledgement stays where it is written).
    pub fn acknowledges(&self) -> bool {
        self.declares.is_some_and(|k| k != DeclKind::Profile)
    }

    /// Its children, with `acknowledge` where it is accepted.
    pub fn all_children(&'static self) -> impl Iterator<Item = &'static ChildSchema> {
        self.children.iter().chain(self.acknowledges().then_some(&ACKNOWLEDGE))
    }

    /// Names of the children, for suggestions.
    pub fn child_names(&'static self) -> Vec<&'static str> {
        self.all_children().filter_map(|c| node(c.key).map(|n| n.name)).collect()
    }
}

/// Looks a node kind up by key.
pub fn node(key: &str) -> Option<&'static NodeSchema> {
    tables().nodes.get(key).copied()
}

/// Lookup tables over [`nodes`], built once: the decoder asks for a child's
/// schema for every node of every program. Only ever looked up, never
/// iterated, so hash order cannot reach output.
struct Tables {
    nodes: HashMap<&'static str, &'static NodeSchema>,
    /// How a child of a service, vm or job merges with a profile's.
    workload_repeat: HashMap<&'static str, Repeat>,
    children: HashMap<(&'static str, &'static str), (&'static ChildSchema, &'static NodeSchema)>,
    /// The node kinds allowed at the top level, by name.
    top_level: HashMap<&'static str, &'static NodeSchema>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let by_key: HashMap<&'static str, &'static NodeSchema> = nodes().map(|n| (n.key, n)).collect();
        let mut children = HashMap::default();
        for parent in nodes() {
            for c in parent.all_children() {
                if let Some(child) = by_key.get(c.key) {
                    children.insert((parent.key, child.name), (c, *child));
                }
            }
        }
        let mut workload_repeat = HashMap::default();
        for workload in WORKLOAD_KEYS.iter().filter_map(|key| by_key.get(key)) {
            for c in workload.all_children() {
                if let Some(child) = by_key.get(c.key) {
                    workload_repeat.entry(child.name).or_insert(c.repeat);
                }
            }
        }
        let mut top_level = HashMap::default();
        for n in TOP_LEVEL.iter().filter_map(|key| by_key.get(key)) {
            top_level.entry(n.name).or_insert(*n);
        }
        Tables { nodes: by_key, children, workload_repeat, top_level }
    })
}

/// How a workload child merges with a profile's (`Once` for unknown names).
pub fn workload_repeat(name: &str) -> Repeat {
    tables().workload_repeat.get(name).copied().unwrap_or(Repeat::Once)
}

/// The node kinds allowed at the top level of a file.
pub fn top_level(name: &str) -> Option<&'static NodeSchema> {
    tables().top_level.get(name).copied()
}

pub const TOP_LEVEL: &[&str] = &[
    "import",
    "topology",
    "profile",
    "site",
    "link",
    "mesh",
    "replication",
    "backup",
    "service",
    "vm",
    "job",
    "migrate",
    "gpu-model",
    "override",
];

/// `acknowledge`, a child of every declaration that [`NodeSchema::acknowledges`].
pub static ACKNOWLEDGE: ChildSchema = union("acknowledge");

/// The workload kinds a profile's nodes are checked against.
pub const WORKLOAD_KEYS: &[&str] = &["service", "vm", "job"];

// ---------------------------------------------------------------- helpers

const fn arg(name: &'static str, ty: Ty) -> ArgSchema {
    ArgSchema { name, ty, required: true, variadic: false, default: None, check_only: false }
}
const fn opt_arg(name: &'static str, ty: Ty, default: Option<&'static str>) -> ArgSchema {
    ArgSchema { name, ty, required: false, variadic: false, default, check_only: false }
}
const fn many(name: &'static str, ty: Ty) -> ArgSchema {
    ArgSchema { name, ty, required: true, variadic: true, default: None, check_only: false }
}
const fn req(name: &'static str, ty: Ty, doc: &'static str) -> PropSchema {
    PropSchema { name, ty, required: true, default: None, doc, check_only: false }
}
const fn opt(name: &'static str, ty: Ty, doc: &'static str) -> PropSchema {
    PropSchema { name, ty, required: false, default: None, doc, check_only: false }
}
const fn dflt(name: &'static str, ty: Ty, default: &'static str, doc: &'static str) -> PropSchema {
    PropSchema { name, ty, required: false, default: Some(default), doc, check_only: false }
}
/// The same property, read by the checks alone (see [`PropSchema::check_only`]).
const fn check_only(p: PropSchema) -> PropSchema {
    PropSchema { check_only: true, ..p }
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

/// Counts are held in 32 bits: a larger one is out of range (HY0023),
/// never truncated.
const COUNT: Ty = Ty::Int { min: 0, max: u32::MAX as i64 };
/// Any integer: a rule of its own checks the range (VLANs, weights).
const ANY_INT: Ty = Ty::Int { min: i64::MIN, max: i64::MAX };
const POSITIVE: Ty = Ty::Int { min: 1, max: u32::MAX as i64 };
const PORT: Ty = Ty::Int { min: 1, max: 65535 };
const NAME: ArgSchema = arg("NAME", Ty::Name);
const FLAG: ArgSchema = opt_arg("ENABLED", Ty::Bool, Some("#true"));
/// A flag only the checks read (`critical`: how severe a loss is).
const CHECK_ONLY_FLAG: ArgSchema = ArgSchema { check_only: true, ..FLAG };

const PROTOCOLS: Ty = Ty::Enum(Protocol::WORDS);
const PRIORITIES: Ty = Ty::Enum(Priority::WORDS);

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
    opt("cpu", Ty::Cpu, "CPU request per replica or worker (and its limit, without `cpu-limit`)"),
    opt("memory", Ty::Size, "memory request per replica or worker (and its limit, without `memory-limit`)"),
    opt("cpu-limit", Ty::Cpu, "CPU limit, at least the request (default: the request; without `cpu`, the request too)"),
    opt(
        "memory-limit",
        Ty::Size,
        "memory limit, at least the request (default: the request; without `memory`, the request too)",
    ),
    opt("gpu", COUNT, "whole GPUs per replica or worker"),
    opt("gpu-profile", Ty::Str, "a MIG profile, e.g. \"1g.10gb\", instead of whole GPUs"),
];

// ------------------------------------------------------------------ nodes

mod estate;
mod gpu;
mod overrides;
mod workloads;

/// Every node kind of the language, in the order of the reference: the
/// estate, the workloads, the GPU catalogue.
pub fn nodes() -> impl Iterator<Item = &'static NodeSchema> {
    [estate::ESTATE, workloads::WORKLOADS, overrides::OVERRIDES, gpu::GPUS].into_iter().flatten()
}

/// The children a profile may hold: every child a service, vm or job accepts.
pub fn profile_child_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = WORKLOAD_KEYS
        .iter()
        .filter_map(|k| node(k))
        .flat_map(|n| n.children)
        .filter_map(|c| node(c.key))
        .map(|n| n.name)
        .collect();
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
        for n in nodes() {
            assert!(keys.insert(n.key), "{} twice", n.key);
        }
        for n in nodes() {
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

    /// Every enum the schema offers is a table of the model's words, so a
    /// word the resolver and the targets do not know cannot be accepted;
    /// and every defaulted word is one of its table's.
    #[test]
    fn every_enum_is_a_model_word_table() {
        let tables = hybrid_model::WORD_TABLES;
        let types = nodes().flat_map(|n| {
            n.props
                .iter()
                .map(move |p| (n.key, p.name, p.ty, p.default))
                .chain(n.args.iter().map(move |a| (n.key, a.name, a.ty, a.default)))
        });
        let mut enums = 0;
        for (key, name, ty, default) in types {
            let Ty::Enum(words) = ty else { continue };
            enums += 1;
            assert!(
                tables.iter().any(|(_, t)| *t == words),
                "`{key}` `{name}`: {words:?} is not one of the model's word tables (hybrid_model::words)"
            );
            if let Some(d) = default {
                assert!(words.contains(&d), "`{key}` `{name}`: the default `{d}` is not one of {words:?}");
            }
        }
        assert!(enums >= tables.len() - 1, "{enums} enum entries for {} tables", tables.len());
        let one_of = nodes().filter_map(|n| n.one_of.map(|o| (n.key, o)));
        for (key, words) in one_of.filter(|(_, o)| o.len() == hybrid_model::MatchKind::WORDS.len()) {
            assert_eq!(words, hybrid_model::MatchKind::WORDS, "`{key}`");
        }
    }

    #[test]
    fn variadic_args_come_last() {
        for n in nodes() {
            let pos = n.args.iter().position(|a| a.variadic);
            if let Some(p) = pos {
                assert_eq!(p + 1, n.args.len(), "{}", n.key);
            }
        }
    }
}
