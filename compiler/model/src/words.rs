//! The words of the language: every enumeration a program writes
//! (`kind=on-prem`, `sharing=mig`, `mode=active-passive`, …) as one model
//! enum with one table of its words. The schema's enum types
//! (`Ty::Enum(SiteKind::WORDS)`), the resolver (`SiteKind::parse`), the
//! pictures of `hybridc graph`, the tables of `hybridc simulate` and the
//! documents the targets write all read these tables, so a word is written
//! here and nowhere else: a new word is a new variant, and every `match`
//! over the enum fails to compile until it is handled.

/// What every enum of words offers, for code generic over them (the
/// resolver reads any of them with one function).
pub trait Word: Copy + 'static {
    /// The words a program writes, in schema order.
    const WORDS: &'static [&'static str];
    /// The word a program writes for it.
    fn as_str(self) -> &'static str;
    /// The variant a word names, if any.
    fn parse(word: &str) -> Option<Self>;
    /// The first variant: what the resolver puts where the decoder
    /// reported a required word missing or wrong (the topology is then
    /// discarded, so it is never read). Not a default: defaults live in
    /// the schema.
    const PLACEHOLDER: Self;
}

/// Declares an enum of words: the variants with the word each one is
/// written as, in the order the schema lists them (the first is not a
/// default: defaults live in the schema). Generates `ALL`, `WORDS`,
/// `as_str`, `parse` and `Display`.
macro_rules! words {
    ($(
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(#[$fmeta:meta])* $first:ident = $fword:literal
            $(, $(#[$vmeta:meta])* $variant:ident = $word:literal )* $(,)?
        }
    )*) => {
        /// Every table of words, by enum name: what the schema may offer.
        pub const WORD_TABLES: &[(&str, &[&str])] = &[$((stringify!($name), $name::WORDS)),*];
        $(
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $(#[$fmeta])* $first $(, $(#[$vmeta])* $variant )* }

        impl $name {
            /// Every variant, in the order of [`Self::WORDS`].
            pub const ALL: &'static [$name] = &[$name::$first $(, $name::$variant)*];
            /// The words a program writes, in schema order.
            pub const WORDS: &'static [&'static str] = &[$fword $(, $word)*];

            /// The word a program writes for it.
            pub const fn as_str(self) -> &'static str {
                match self { $name::$first => $fword $(, $name::$variant => $word)* }
            }

            /// The variant a word names; `None` for any other word (the
            /// decoder has reported it against [`Self::WORDS`]).
            pub fn parse(word: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == word)
            }
        }

        impl Word for $name {
            const WORDS: &'static [&'static str] = $name::WORDS;
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
            fn parse(word: &str) -> Option<$name> {
                $name::parse(word)
            }
            const PLACEHOLDER: $name = $name::$first;
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )*
    };
}

words! {
    /// `site … kind=`.
    pub enum SiteKind { OnPrem = "on-prem", PublicCloud = "public-cloud", Edge = "edge" }

    /// `cni PLUGIN`.
    pub enum CniPlugin { Calico = "calico", Cilium = "cilium" }

    /// `cni … mode=`.
    pub enum CniMode { Bgp = "bgp", Vxlan = "vxlan", Ebpf = "ebpf" }

    /// `mesh MESH`.
    pub enum MeshKind { Istio = "istio" }

    /// `numa … hugepages=`: the size of the huge pages a NUMA-pinned vm's
    /// memory is backed by.
    pub enum HugePageSize { TwoMi = "2Mi", OneGi = "1Gi" }

    /// `mesh … mtls=`.
    pub enum Mtls { Strict = "strict", Permissive = "permissive" }

    /// `scheduler SCHEDULER`.
    pub enum SchedulerKind { Volcano = "volcano" }

    /// `override TARGET`: whose generated objects an override edits.
    pub enum OverrideTarget { Kubernetes = "kubernetes", Heat = "heat", Terraform = "terraform" }

    /// `gitops TOOL`.
    pub enum GitOpsTool { ArgoCd = "argocd" }

    /// `gpu … sharing=`.
    pub enum GpuSharing { Exclusive = "exclusive", Mig = "mig", TimeSlicing = "time-slicing" }

    /// `taint … effect=`: Kubernetes' own words.
    pub enum TaintEffect { NoSchedule = "NoSchedule", PreferNoSchedule = "PreferNoSchedule", NoExecute = "NoExecute" }

    /// `framework NAME` of a job: which Volcano plugins its workers
    /// rendezvous with.
    pub enum Framework { Pytorch = "pytorch", Mpi = "mpi", Plain = "plain" }

    /// `storage-class … backend=`.
    pub enum StorageBackend { CephRbd = "ceph-rbd", Cephfs = "cephfs", Longhorn = "longhorn", Vsan = "vsan", Local = "local" }

    /// `ha restart-priority=` of a vSphere cluster or a vm.
    pub enum Priority { Low = "low", Medium = "medium", High = "high" }

    /// `ha … isolation-response=`.
    pub enum IsolationResponse { None = "none", Shutdown = "shutdown", PowerOff = "power-off" }

    /// `drs automation=`.
    pub enum DrsAutomation { Manual = "manual", PartiallyAutomated = "partially-automated", FullyAutomated = "fully-automated" }

    /// `ceph … media=`.
    pub enum Media { Ssd = "ssd", Hdd = "hdd", Nvme = "nvme" }

    /// `ceph … failure-domain=`.
    pub enum FailureDomain { Host = "host", Rack = "rack", Zone = "zone" }

    /// `link … kind=`.
    pub enum LinkKind { DarkFiber = "dark-fiber", Wan = "wan", Vpn = "vpn", Internet = "internet" }

    /// `replication … mode=`.
    pub enum ReplicationMode { Sync = "sync", Async = "async" }

    /// `placement … mode=`.
    pub enum PlacementMode { ActiveActive = "active-active", ActivePassive = "active-passive" }

    /// `port … protocol=`.
    pub enum Protocol { Http = "http", Grpc = "grpc", Tcp = "tcp" }

    /// `spread OVER`.
    pub enum SpreadOver { Hostname = "hostname", Zone = "zone" }

    /// The property of a `match` that says how the header value matches:
    /// `exact=`, `prefix=` or `regex=`.
    pub enum MatchKind { Exact = "exact", Prefix = "prefix", Regex = "regex" }

    /// `blue-green active=`.
    pub enum Colour { Blue = "blue", Green = "green" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_parses_back_to_its_variant() {
        for v in SiteKind::ALL {
            assert_eq!(SiteKind::parse(v.as_str()), Some(*v));
        }
        for v in DrsAutomation::ALL {
            assert_eq!(DrsAutomation::parse(&v.to_string()), Some(*v));
        }
        assert_eq!(SiteKind::WORDS, ["on-prem", "public-cloud", "edge"]);
        assert_eq!(SiteKind::parse("moon"), None);
        assert_eq!(TaintEffect::NoExecute.as_str(), "NoExecute");
    }
}
