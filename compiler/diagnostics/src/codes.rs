//! The registry of diagnostic codes. Every diagnostic the compiler can
//! report has a row here and an explanation in `codes/HYxxxx.md` (sections
//! What it checks / Why / Example / Fix), read by `hybridc explain` and the
//! book's error index. Codes are never reused: a retired code keeps its row
//! with `retired: true`.
//!
//! Ranges: HY0xxx structure and types, HY1xxx networks, HY2xxx
//! availability, HY3xxx data protection, HY4xxx capacity and GPUs, HY5xxx
//! traffic, HY6xxx security, HY7xxx placement, HY8xxx files and the output
//! folder (reported as a `PathDiagnostic`: the program path, OUT, a lock),
//! HY9xxx internal errors (a bug in hybridc, never the program's fault).

use crate::diagnostic::Severity;

/// A registered diagnostic code.
#[derive(Debug, PartialEq, Eq)]
pub struct Code {
    /// `HY` + four digits.
    pub id: &'static str,
    /// Kebab-case name; the constructor function has the same name.
    pub name: &'static str,
    /// Default severity (a rule may raise or lower it per program, as
    /// CHECKS.md says, e.g. a loss that is an error only for `critical`).
    pub severity: Severity,
    /// One-line summary for indexes.
    pub summary: &'static str,
    /// The long explanation (Markdown).
    pub explanation: &'static str,
    /// Retired codes stay registered so their number is never reused.
    pub retired: bool,
}

impl Code {
    /// Whether it is reported as a `PathDiagnostic` (HY8xxx, HY9xxx): about
    /// a file or folder as a whole, shown by CLI tests rather than by
    /// `.hybrid` fixtures.
    pub fn about_paths(&self) -> bool {
        self.id.starts_with("HY8") || self.id.starts_with("HY9")
    }

    /// The id of its section in the error index (`hy0002-unknown-node`):
    /// the anchor mdBook and GitHub both give its heading `HY0002:
    /// unknown-node`.
    pub fn anchor(&self) -> String {
        format!("{}-{}", self.id.to_ascii_lowercase(), self.name)
    }

    /// Looks a code up by id (`HY0002`, case-insensitive) or by name.
    pub fn find(key: &str) -> Option<&'static Code> {
        CODES.iter().copied().find(|c| c.id.eq_ignore_ascii_case(key) || c.name == key)
    }
}

macro_rules! codes {
    ($($konst:ident = $id:literal $name:literal $sev:ident $summary:literal;)*) => {
        $(
            #[doc = $summary]
            pub static $konst: Code = Code {
                id: $id,
                name: $name,
                severity: Severity::$sev,
                summary: $summary,
                explanation: include_str!(concat!("../codes/", $id, ".md")),
                retired: false,
            };
        )*
        /// Every registered code, in numeric order.
        pub static CODES: &[&Code] = &[$(&$konst),*];
    };
}

codes! {
    SYNTAX_ERROR = "HY0001" "syntax-error" Error "the file is not valid KDL v2";
    UNKNOWN_NODE = "HY0002" "unknown-node" Error "a node that its parent does not accept";
    UNKNOWN_PROPERTY = "HY0003" "unknown-property" Error "a property that the node does not accept";
    UNEXPECTED_ARGUMENT = "HY0004" "unexpected-argument" Error "more positional arguments than the node accepts";
    MISSING_NODE = "HY0005" "missing-node" Error "a required child node is missing";
    MISSING_ARGUMENT = "HY0006" "missing-argument" Error "a required positional argument is missing";
    MISSING_PROPERTY = "HY0007" "missing-property" Error "a required property is missing";
    WRONG_TYPE = "HY0008" "wrong-type" Error "a value of the wrong type or unit";
    UNKNOWN_ENUM_VALUE = "HY0009" "unknown-enum-value" Error "a word that is not one of the allowed values";
    INVALID_NAME = "HY0010" "invalid-name" Error "a name that is not a DNS-1123 label";
    DUPLICATE_DECLARATION = "HY0011" "duplicate-declaration" Error "two declarations with the same name in one scope";
    UNKNOWN_REFERENCE = "HY0012" "unknown-reference" Error "a reference to a name that is not declared";
    AMBIGUOUS_REFERENCE = "HY0013" "ambiguous-reference" Error "a bare name that matches several declarations";
    WRONG_REFERENCE_KIND = "HY0014" "wrong-reference-kind" Error "a reference to a declaration of the wrong kind";
    IMPORT_NOT_FOUND = "HY0015" "import-not-found" Error "an import that names no readable file or stdlib module";
    UNKNOWN_PROFILE = "HY0016" "unknown-profile" Error "`use` of a profile that is not declared";
    USE_CYCLE = "HY0017" "use-cycle" Error "profiles that `use` each other in a cycle";
    VERSION_AS_NUMBER = "HY0018" "version-as-number" Error "a version written as a number instead of a string";
    LITERAL_SECRET = "HY0019" "literal-secret" Error "a secret written as a literal: a secret-looking variable's value, a key, a token or a password";
    DUPLICATE_ENTRY = "HY0020" "duplicate-entry" Error "a property or single child node written twice";
    TOPOLOGY_COUNT = "HY0021" "topology-count" Error "a program without exactly one `topology`";
    PROFILE_NODE_NOT_ACCEPTED = "HY0022" "profile-node-not-accepted" Error "a profile node that the using workload's kind does not accept";
    VALUE_OUT_OF_RANGE = "HY0023" "value-out-of-range" Error "a number outside the range its property allows";
    TYPE_ANNOTATION = "HY0024" "type-annotation" Error "a KDL type annotation, which hybridc does not use";
    CONFLICTING_PROPERTIES = "HY0025" "conflicting-properties" Error "two properties of which a node takes only one";
    INVALID_LABEL_VALUE = "HY0026" "invalid-label-value" Error "a label or taint value that Kubernetes rejects";
    INVALID_PORT_NAME = "HY0027" "invalid-port-name" Error "a port name that is not a valid Kubernetes port name";
    DERIVED_NAME_TOO_LONG = "HY0028" "derived-name-too-long" Error "a name that makes a generated object's name or label too long";
    INVALID_IMAGE = "HY0029" "invalid-image" Error "an empty image, one with whitespace around it, or an invalid container image reference";
    INVALID_HOSTNAME = "HY0030" "invalid-hostname" Error "an exposed host that is not a DNS name";
    INVALID_HEADER_NAME = "HY0031" "invalid-header-name" Error "a matched header that is not an HTTP header name";
    VSAN_DATASTORE_CLASH = "HY0032" "vsan-datastore-clash" Error "two vSphere clusters of one datacenter look their vSAN datastores up by the same name";
    OVERRIDE_PATH_INVALID = "HY0040" "override-path-invalid" Error "an `override` path that is not a path of keys, `[INDEX]` and `[FIELD=VALUE]`";
    OVERRIDE_OBJECT_NOT_FOUND = "HY0041" "override-object-not-found" Error "an `override` of an object the build does not generate";
    OVERRIDE_PATH_NOT_FOUND = "HY0042" "override-path-not-found" Error "an `override` edit whose path (for `set`, its parent) is not in the object";
    ACKNOWLEDGED_ERROR = "HY0045" "acknowledged-error" Error "an `acknowledge` naming an error, which cannot be acknowledged";
    UNKNOWN_ACKNOWLEDGED_CODE = "HY0046" "unknown-acknowledged-code" Error "an `acknowledge` naming a code hybridc does not have";
    UNUSED_ACKNOWLEDGEMENT = "HY0047" "unused-acknowledgement" Warning "an `acknowledge` that no warning in its scope matches";
    DUPLICATE_SERVICE_PORT = "HY0048" "duplicate-service-port" Error "two ports of a service that its Kubernetes Service would listen on at one number";
    SCALE_DOWN_WINDOW_TOO_LONG = "HY0049" "scale-down-window-too-long" Error "an autoscaler's scale-down window longer than the hour Kubernetes allows";
    JOB_VOLUME_NOT_SHARED = "HY0050" "job-volume-not-shared" Error "a job volume on a storage class whose volumes cannot be mounted on several nodes at once";
    MPI_NEEDS_ROOT_SSHD = "HY0051" "mpi-needs-root-sshd" Error "`framework mpi` on a job, whose Volcano `mpi` plugin needs sshd running as root in every worker";
    MESH_MEMBER_WITHOUT_ISTIO = "HY0053" "mesh-member-without-istio" Error "a `mesh` member that is a kubernetes cluster without `mesh istio`";
    CLUSTER_IN_TWO_MESHES = "HY0054" "cluster-in-two-meshes" Error "a kubernetes cluster that is a member of two meshes, or twice of one";
    INVALID_CIDR = "HY1001" "invalid-cidr" Error "a malformed CIDR or one with host bits set";
    OVERLAPPING_NETWORKS = "HY1002" "overlapping-networks" Error "two networks of one site, or of linked sites, overlap";
    CLUSTER_CIDR_OVERLAP = "HY1003" "cluster-cidr-overlap" Error "a cluster's pod or service CIDR overlaps a site network";
    VLAN_OUT_OF_RANGE = "HY1004" "vlan-out-of-range" Error "a VLAN id outside 1..4094";
    VLAN_REUSED = "HY1005" "vlan-reused" Error "one VLAN id used by two networks of a site";
    LINK_UNKNOWN_SITE = "HY1006" "link-unknown-site" Error "a link naming a site that is not declared";
    LINK_TO_ITSELF = "HY1007" "link-to-itself" Error "a link from a site to itself";
    DUPLICATE_LINK = "HY1008" "duplicate-link" Error "two links between the same pair of sites";
    NIC_UNSUPPORTED = "HY1009" "nic-unsupported" Error "a vm's further network interface (`nic`) on a cluster whose target cannot attach it";
    EVEN_CONTROL_PLANE = "HY2001" "even-control-plane" Error "a control plane without an odd etcd quorum of at least 3";
    SINGLE_CONTROL_PLANE = "HY2002" "single-control-plane" Warning "a control plane of one node";
    BLOCKING_DISRUPTION_BUDGET = "HY2003" "blocking-disruption-budget" Error "a disruption budget that blocks every voluntary eviction";
    SPREAD_EXCEEDS_NODES = "HY2004" "spread-exceeds-nodes" Error "more replicas required on distinct hosts than nodes that can run them";
    SINGLE_REPLICA = "HY2005" "single-replica" Warning "a service with one replica in a topology built for disaster recovery";
    HA_ADMISSION_TOO_LOW = "HY2006" "ha-admission-too-low" Error "a vSphere HA reserve that cannot absorb one host failure";
    FAULT_TOLERANCE_UNSUPPORTED = "HY2007" "fault-tolerance-unsupported" Error "Fault Tolerance on a vm too large for it or not on vSphere";
    PASSIVE_WITHOUT_REPLICATION = "HY2008" "passive-without-replication" Warning "an active-passive service whose data is not replicated to its passive site";
    REPLICAS_OUTSIDE_AUTOSCALE = "HY2009" "replicas-outside-autoscale" Error "a service that starts with more or fewer replicas than its autoscaler allows";
    AUTOSCALE_MIN_ABOVE_MAX = "HY2010" "autoscale-min-above-max" Error "an autoscaler whose `min` is above its `max`";
    UNSHARED_VM_DISK = "HY2011" "unshared-vm-disk" Warning "a KubeVirt vm that cannot live-migrate: a disk on storage no two nodes share";
    RESTART_PRIORITY_IGNORED = "HY2012" "restart-priority-ignored" Warning "a vm restart priority on an openstack cloud, which restarts no vm by priority";
    LOST_IN_FAILURE = "HY2101" "lost-in-failure" Warning "a workload with no surviving placement when a site or cluster fails";
    CAPACITY_AFTER_FAILURE = "HY2102" "capacity-after-failure" Warning "surviving clusters cannot hold a workload after a failure";
    DATA_WITHOUT_SURVIVING_COPY = "HY2103" "data-without-surviving-copy" Warning "workload data with no copy outside a failed site";
    SYNC_REPLICATION_OVER_SLOW_LINK = "HY3001" "sync-replication-over-slow-link" Error "synchronous replication over a link slower than 5ms round trip";
    ZERO_RPO_ASYNC = "HY3002" "zero-rpo-async" Error "an RPO of zero with asynchronous replication";
    REPLICATION_SAME_SITE = "HY3003" "replication-same-site" Error "replication between two pools of one site";
    REPLICATION_WITHOUT_LINK = "HY3004" "replication-without-link" Error "replication between sites that have no link";
    REPLICATION_NOT_STORAGE = "HY3005" "replication-not-storage" Error "replication naming something that is not a storage pool";
    REPLICATION_BANDWIDTH = "HY3006" "replication-bandwidth" Warning "synchronous replication over a link below 1Gbps";
    BACKUP_UNKNOWN_TARGET = "HY3007" "backup-unknown-target" Error "a backup of a cluster or workload that is not declared";
    BACKUP_RETENTION_GAP = "HY3008" "backup-retention-gap" Error "backups kept for less time than the longest gap between two runs";
    REPLICATION_VSAN_CEPH = "HY3009" "replication-vsan-ceph" Error "replication between a vSAN datastore and a ceph pool, which nothing can carry";
    REPLICATION_NAME_MISMATCH = "HY3010" "replication-name-mismatch" Error "replication between two ceph pools of different names, which RBD mirroring cannot pair";
    UNACHIEVABLE_RPO = "HY3011" "unachievable-rpo" Warning "a replication promising an RPO, or synchronous writes, that its mechanism cannot deliver";
    BACKUP_VM_WITHOUT_VOLUMES = "HY3014" "backup-vm-without-volumes" Error "a backup of an OpenStack vm that has no Cinder volume to back up";
    BACKUP_EPHEMERAL_ROOT = "HY3015" "backup-ephemeral-root" Warning "a backup of an OpenStack vm whose root disk is not a Cinder volume";
    UNENCRYPTED_VOLUME = "HY3016" "unencrypted-volume" Error "a volume, disk or storage in the scope of `encrypt-at-rest` that is not encrypted";
    ENCRYPTION_UNSUPPORTED = "HY3017" "encryption-unsupported" Error "an encrypted storage class that its backend or the program cannot encrypt";
    KMS_WITHOUT_ENCRYPTION = "HY3018" "kms-without-encryption" Warning "a storage class that names a key management system but does not encrypt";
    CLUSTER_OVER_CAPACITY = "HY4001" "cluster-over-capacity" Error "workloads request more cpu or memory than the cluster has";
    CLUSTER_OVER_CAPACITY_AT_MAX = "HY4002" "cluster-over-capacity-at-max" Warning "workloads at autoscale max request more than the cluster has";
    NO_N_PLUS_ONE = "HY4003" "no-n-plus-one" Warning "requests no longer fit after losing one node";
    UNKNOWN_GPU_MODEL = "HY4004" "unknown-gpu-model" Error "a GPU model that `std/gpu` (or the program) does not declare";
    MIG_PROFILE_NOT_OFFERED = "HY4005" "mig-profile-not-offered" Error "a MIG profile the GPU model does not offer";
    MIG_WITHOUT_PROFILE = "HY4006" "mig-without-profile" Error "`sharing=mig` without a MIG profile";
    TIME_SLICING_WITHOUT_REPLICAS = "HY4007" "time-slicing-without-replicas" Error "`sharing=time-slicing` without a replica factor";
    GPU_NOT_AVAILABLE = "HY4008" "gpu-not-available" Error "a workload asks for GPUs its cluster or pool cannot give";
    GANG_EXCEEDS_POOL = "HY4009" "gang-exceeds-pool" Error "a gang job asks for more GPUs than its pool has";
    GANG_WITHOUT_VOLCANO = "HY4010" "gang-without-volcano" Error "a gang job on a cluster without `scheduler volcano`";
    VM_LARGER_THAN_HOST = "HY4011" "vm-larger-than-host" Error "a vm larger than one host or node of its cluster";
    RESERVATIONS_EXCEED_CAPACITY = "HY4012" "reservations-exceed-capacity" Error "vSphere reservations beyond what the cluster has after its HA reserve";
    NO_COVERING_FLAVOR = "HY4013" "no-covering-flavor" Error "an OpenStack vm that no declared flavor covers";
    MIG_POOL_NAME_RESERVED = "HY4014" "mig-pool-name-reserved" Error "a MIG pool named like the GPU Operator's `all-disabled` config";
    DISTRIBUTED_JOB_WITHOUT_VOLCANO = "HY4015" "distributed-job-without-volcano" Warning "a job starts several workers with a distributed launcher on a cluster without Volcano";
    CPU_RESERVE_WITHOUT_CLOCK = "HY4016" "cpu-reserve-without-clock" Error "a vSphere vm reserves cpu on hosts whose clock the program does not state";
    VSAN_EFFICIENCY_WITHOUT_ALL_FLASH = "HY4017" "vsan-efficiency-without-all-flash" Error "vSAN deduplication or compression on a vsan that is not all-flash";
    SRIOV_WITHOUT_MEMORY_RESERVATION = "HY4018" "sriov-without-memory-reservation" Error "an SR-IOV network interface on a vm that does not reserve all its memory";
    LIMIT_BELOW_REQUEST = "HY4019" "limit-below-request" Error "a cpu or memory limit below the request beside it";
    SHM_EXCEEDS_MEMORY = "HY4020" "shm-exceeds-memory" Warning "a job's `/dev/shm` larger than each worker's memory limit";
    TRAFFIC_WITHOUT_MESH = "HY5001" "traffic-without-mesh" Error "traffic policies on a cluster without `mesh istio`";
    CANARY_WEIGHT_OUT_OF_RANGE = "HY5002" "canary-weight-out-of-range" Error "a canary weight outside 0..100";
    TWO_CANARIES = "HY5003" "two-canaries" Error "more than one canary on a service";
    CANARY_WITH_BLUE_GREEN = "HY5004" "canary-with-blue-green" Error "a canary and blue-green on one service";
    MIGRATE_FROM_NOT_VM = "HY5005" "migrate-from-not-vm" Error "`migrate` from something other than a vm with a port";
    MIGRATE_TO_NOT_SERVICE = "HY5006" "migrate-to-not-service" Error "`migrate` to something other than a service";
    MIGRATE_WEIGHT_OUT_OF_RANGE = "HY5007" "migrate-weight-out-of-range" Error "a migrate weight outside 0..100";
    RETRIES_EXCEED_TIMEOUT = "HY5008" "retries-exceed-timeout" Warning "retries that take longer than the request timeout";
    STATEFUL_SERVICE_VERSIONS = "HY5009" "stateful-service-versions" Error "a canary, variant or blue-green of a service that keeps data in volumes";
    VM_WITHOUT_ADDRESS = "HY5011" "vm-without-address" Error "a vm on openstack or vsphere reached through the mesh without an `address`";
    MIGRATE_OUT_OF_REACH = "HY5012" "migrate-out-of-reach" Error "a `migrate` whose service does not run where a mesh reaches its vm";
    NUMA_PAGES_WITHOUT_PINNING = "HY5014" "numa-pages-without-pinning" Error "`numa hugepages=` without `pinned=#true`: NUMA node pinning needs dedicated cpus";
    FAILOVER_WITHOUT_OUTLIER_DETECTION = "HY5016" "failover-without-outlier-detection" Error "a service that fails over between clusters of a mesh without a `circuit-breaker`, which Istio's locality failover needs";
    FAILOVER_WITHOUT_LINK = "HY5017" "failover-without-link" Error "a service placed in clusters of one mesh whose sites have no link between them";
    PROGRESSIVE_WITH_STATIC_ROLLOUT = "HY5018" "progressive-with-static-rollout" Error "a progressive canary beside a canary, blue-green, variant, mirror or `migrate` of the same service";
    PROGRESSIVE_WEIGHTS_OUT_OF_RANGE = "HY5019" "progressive-weights-out-of-range" Error "a progressive canary whose `max` is outside 1..100 or whose `step` is outside 1..`max`";
    RATE_LIMIT_INTERVAL_TOO_SHORT = "HY5020" "rate-limit-interval-too-short" Error "a `rate-limit` refilled more often than every 50ms, which Envoy refuses";
    PROGRESSIVE_SETTING_NOT_CARRIED = "HY5021" "progressive-setting-not-carried" Error "a progressive canary of a service without a port, with a TCP connection limit, or placed active-passive, which Flagger's Canary cannot carry";
    PROGRESSIVE_WITHOUT_REQUEST_METRICS = "HY5022" "progressive-without-request-metrics" Error "a progressive canary routed on a `protocol=tcp` port, for which Istio reports none of the request metrics Flagger checks";
    PROGRESSIVE_LATENCY_NOT_BELOW_TIMEOUT = "HY5023" "progressive-latency-not-below-timeout" Warning "a progressive canary whose `latency` is not below the service's `timeout`, which ends every request first: the latency check can never fail";
    EXPOSE_WITHOUT_TLS = "HY6001" "expose-without-tls" Error "a service exposed outside the mesh without TLS";
    UNPINNED_IMAGE = "HY6002" "unpinned-image" Warning "an image without a tag, with `:latest`, or without a registry host";
    PERMISSIVE_MTLS_IN_TRUSTED_ZONE = "HY6003" "permissive-mtls-in-trusted-zone" Warning "permissive mTLS on a cluster in a trusted zone";
    ALLOW_FROM_UNKNOWN = "HY6004" "allow-from-unknown" Error "`allow-from` naming a workload that is not declared";
    UNENCRYPTED_INTERNET_REPLICATION = "HY6005" "unencrypted-internet-replication" Error "replication over an unencrypted internet link";
    ALLOW_FROM_OUTSIDE_MESH = "HY6006" "allow-from-outside-mesh" Error "`allow-from` naming a vm outside the mesh for a service in a mesh";
    VM_MESH_WITHOUT_CLUSTER = "HY6007" "vm-mesh-without-cluster" Error "`mesh istio` on a vm that no mesh cluster can take";
    ALLOW_FROM_VM_NETWORK = "HY6008" "allow-from-vm-network" Warning "an `allow-from` vm without an IP address: the NetworkPolicy admits its whole network";
    PUBLIC_PORT_UNSUPPORTED = "HY6010" "public-port-unsupported" Error "a vm port published to the internet where no floating IP can publish it";
    ALLOW_FROM_UNKNOWN_ADDRESSES = "HY6011" "allow-from-unknown-addresses" Error "`allow-from` on an OpenStack or vSphere vm naming a workload whose addresses are not known";
    OVERRIDE_REPLACES_MANAGED_FIELD = "HY6012" "override-replaces-managed-field" Warning "an `override` that replaces or removes a field hybridc generated";
    CALL_ACROSS_MESHES = "HY6013" "call-across-meshes" Error "`allow-from` naming a caller that runs in no cluster sharing a mesh with the service's cluster";
    ALLOW_FROM_WITHOUT_FIREWALL = "HY6014" "allow-from-without-firewall" Warning "`allow-from` on a vSphere vm whose cluster has no NSX-T distributed firewall";
    WORKLOAD_ON_WRONG_CLUSTER = "HY7001" "workload-on-wrong-cluster" Error "a service or job placed on a cluster that is not kubernetes";
    VM_WITHOUT_KUBEVIRT = "HY7002" "vm-without-kubevirt" Error "a vm on a kubernetes cluster without `kubevirt`";
    JOB_POOL_NOT_FOUND = "HY7003" "job-pool-not-found" Error "a job or service pinned to a pool its cluster does not have";
    STORAGE_NOT_IN_CLUSTER = "HY7004" "storage-not-in-cluster" Error "a storage class, volume type or datastore not found in the workload's cluster";
    ADDRESS_NOT_ON_NETWORK = "HY7005" "address-not-on-network" Error "a vm `address` that cannot be the vm's on its network";
    GITOPS_PATH_NOT_WRITTEN = "HY7006" "gitops-path-not-written" Error "an Argo CD Application that would sync a folder the build does not write";
    CLUSTER_PLACED_TWICE = "HY7007" "cluster-placed-twice" Error "a service that names one cluster twice in its placement";
    PROGRAM_UNREADABLE = "HY8001" "program-unreadable" Error "the program's file or folder cannot be read";
    OUT_UNUSABLE = "HY8002" "out-unusable" Error "OUT is not a folder hybridc can replace: a file, a link, read-only, the root, or holding the program";
    UNMANAGED_FILE_IN_THE_WAY = "HY8003" "unmanaged-file-in-the-way" Error "a file hybridc did not generate where a generated file goes";
    LINK_BELOW_OUT = "HY8004" "link-below-out" Error "a symbolic link below OUT where generated files go";
    OUT_LOCKED = "HY8005" "out-locked" Error "another build is writing OUT (with `--no-wait`)";
    WRITE_FAILED = "HY8006" "write-failed" Error "a file or folder could not be written; nothing changed";
    PREVIOUS_OUTPUT_LEFT_BEHIND = "HY8007" "previous-output-left-behind" Warning "OUT was written, but the previous tree beside it could not be removed";
    UNKNOWN_TARGET = "HY8008" "unknown-target" Error "`--target` names no target";
    STALE_OUTPUT = "HY8009" "stale-output" Error "`build --check`: OUT is not what the program compiles to";
    UNKNOWN_FAILURE = "HY8010" "unknown-failure" Error "`simulate --fail` names neither a site nor a cluster";
    UNKNOWN_CODE = "HY8011" "unknown-code" Error "`explain` of a code hybridc does not have";
    NOT_FORMATTABLE = "HY8012" "not-formattable" Error "`fmt` cannot lay a file out without changing what it says";
    INTERNAL_ERROR = "HY9001" "internal-error" Error "a bug in hybridc: a target produced output it must not";
}

/// The book's error index: every code with its summary, then every
/// explanation. `cargo xtask reference` writes it; a test fails when stale.
pub fn error_index() -> String {
    let mut out = String::from(
        "# Error index\n\n<!-- Generated from compiler/diagnostics/codes/ by `cargo xtask reference`; do not edit. -->\n\n\
         Every diagnostic hybridc reports. `hybridc explain CODE` prints the same text.\n\n| code | name | severity | summary |\n|---|---|---|---|\n",
    );
    for c in CODES {
        out.push_str(&format!("| [{}](#{}) | `{}` | {} | {} |\n", c.id, c.anchor(), c.name, c.severity, c.summary));
    }
    for c in CODES {
        out.push('\n');
        // Demote the explanation's headings one level under the index.
        for line in c.explanation.trim_end().lines() {
            if line.starts_with('#') {
                out.push('#');
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn ids_and_names_are_unique_and_well_formed() {
        let mut ids = BTreeSet::new();
        let mut names = BTreeSet::new();
        for c in CODES {
            assert!(ids.insert(c.id), "{} used twice", c.id);
            assert!(names.insert(c.name), "{} used twice", c.name);
            assert!(c.id.len() == 6 && c.id.starts_with("HY"), "{}", c.id);
            assert!(c.id[2..].chars().all(|ch| ch.is_ascii_digit()), "{}", c.id);
        }
        let sorted: Vec<_> = CODES.iter().map(|c| c.id).collect();
        let mut again = sorted.clone();
        again.sort();
        assert_eq!(sorted, again, "CODES must be in numeric order");
    }

    #[test]
    fn every_explanation_opens_with_the_heading_its_anchor_names() {
        for c in CODES {
            let heading = format!("# {}: {}", c.id, c.name);
            assert_eq!(c.explanation.lines().next(), Some(heading.as_str()), "{}", c.id);
        }
        assert_eq!(UNKNOWN_NODE.anchor(), "hy0002-unknown-node");
    }

    #[test]
    fn find_by_id_or_name() {
        assert_eq!(Code::find("hy0002").map(|c| c.name), Some("unknown-node"));
        assert_eq!(Code::find("unknown-node").map(|c| c.id), Some("HY0002"));
        assert!(Code::find("HY9999").is_none());
    }
}
