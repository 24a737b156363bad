//! The cloud plan of one openstack cluster: what both output formats
//! (Heat and Terraform) create, lowered once from the model so that the two
//! describe the same resources — networks (the cloud's own, then any other
//! network a vm names), one security group per vm with an ingress rule per
//! port and source, a router to the external network for each network
//! with a published vm, one server group per `anti-affinity` group, one
//! image input per distinct image, and per vm its port (with the vm's
//! `address` as its fixed IP when that is an IP address), flavor, boot
//! disk, data volumes and, when a port is `public`, its floating IP.
//!
//! A vm's port admits, in this order of precedence: the internet when it is
//! `public` (the floating IP publishes it); else the vm's `allow-from`
//! workloads — a vm of this cloud by its security group, any other by the
//! address ranges it connects from (`Topology::source_ranges`); else the
//! vm's own network. A vm without ports admits its `allow-from` workloads
//! on every TCP port, and nothing without them. A vm naming itself in
//! `allow-from` gets no rule for it (its own traffic never crosses its
//! port).
//!
//! The volume types whose ceph pool is replicated are created by the stack
//! ([`crate::protection`]); every other volume type is named, not created.
//!
//! Names come from `emit::hcl`: [`sanitise`] and [`ident`] turn text into
//! identifiers, [`Names`] keeps them unique within one namespace (a Heat
//! template, one Terraform resource type, the Neutron names of a stack).

use crate::protection::{EncryptedType, ReplicatedType};
use hybrid_model::{
    Address, ClusterId, DiskStorage, HugePageSize, IpNet, NetworkId, OpenStack, Topology, Vm, WorkloadId, WorkloadKind,
};

/// The Neutron physical network that VLAN segments live on, when the
/// program does not say (the usual ML2 name); an input of both formats.
pub(crate) const DEFAULT_PHYSICAL_NETWORK: &str = "physnet1";

/// The input (a Heat parameter and a Terraform variable of this name)
/// naming the physical network of VLAN segments.
pub(crate) const PHYSICAL_NETWORK: &str = "physical_network";
/// The input naming a flavor for vms no declared flavor covers.
pub(crate) const FLAVOR: &str = "flavor";
/// The input naming the external network that floating IPs come from and
/// routers lead to.
pub(crate) const EXTERNAL_NETWORK: &str = "external_network";

/// A network the stack creates.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NetPlan {
    /// The Neutron name (the site network's name).
    pub name: String,
    /// The Terraform identifier.
    pub ident: String,
    pub cidr: String,
    pub ipv6: bool,
    pub vlan: Option<i64>,
}

/// A vm's security group.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SecGroupPlan {
    /// The vm's name.
    pub vm: String,
    /// The Neutron name, unique in the plan: `TOPOLOGY-VM`.
    pub name: String,
    /// The Terraform identifier (also the stem of the Heat resource name).
    pub ident: String,
    /// For people: the vm and the zone of its network.
    pub description: String,
    /// The ingress rules, by port (in the vm's order), then by source.
    pub rules: Vec<RulePlan>,
}

/// Where a rule admits traffic from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Remote {
    /// The members of a security group: index into [`Plan::secgroups`].
    Group(usize),
    /// An address range (CIDR).
    Prefix(String),
}

/// An ingress rule of a security group (TCP).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RulePlan {
    /// The Terraform identifier (also the stem of the Heat resource name),
    /// unique among rules: `VM_PORT_SOURCE`.
    pub ident: String,
    /// `IPv4` or `IPv6`: the family of the remote range, or of the vm's
    /// network for a remote group.
    pub ethertype: &'static str,
    /// The port; `None` for every TCP port.
    pub port: Option<u16>,
    pub remote: Remote,
    /// What it admits, for people: `tcp 5432 to VM from A, B`.
    pub description: String,
}

/// A router from one of the stack's networks to the external network,
/// for the floating IPs of the vms on it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RouterPlan {
    /// The Neutron name: `NETWORK-external`.
    pub name: String,
    pub ident: String,
    /// Index into [`Plan::networks`].
    pub network: usize,
}

/// A Nova server group with the anti-affinity policy.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GroupPlan {
    pub name: String,
    pub ident: String,
}

/// A distinct vm image: the program's image name and its input's name
/// (`image_…`, a Heat parameter and a Terraform variable).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ImagePlan {
    pub image: String,
    pub param: String,
}

/// A Cinder volume.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DiskPlan {
    /// The disk's name in the program.
    pub disk: String,
    /// The Cinder name: `VM-DISK`.
    pub name: String,
    /// The Terraform identifier, unique among volumes.
    pub ident: String,
    pub size_gib: u64,
    pub volume_type: Option<String>,
}

/// The Nova extra specs of `numa`: `pinned=#true` is
/// `hw:cpu_policy=dedicated`; `hugepages=` adds one guest NUMA node whose
/// cpus and memory stay on one host node (`hw:numa_nodes=1`) and the page
/// size (`hw:mem_page_size`, written `2MB` or `1GB`).
fn flavor_specs(v: &Vm) -> Vec<(&'static str, String)> {
    if !v.numa_pinned {
        return Vec::new();
    }
    let mut specs = vec![("hw:cpu_policy", "dedicated".to_string())];
    if let Some(pages) = &v.numa_hugepages {
        let size = match pages.value {
            HugePageSize::TwoMi => "2MB",
            HugePageSize::OneGi => "1GB",
        };
        specs.push(("hw:numa_nodes", "1".to_string()));
        specs.push(("hw:mem_page_size", size.to_string()));
    }
    specs
}

/// A server.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct VmPlan {
    pub name: String,
    pub ident: String,
    /// The flavor's name; `None` when no flavor covers the vm (a checker
    /// error — the formats then read a `flavor` input).
    pub flavor: Option<String>,
    /// Index into [`Plan::images`].
    pub image: usize,
    /// Index into [`Plan::networks`]: the network of the vm's port.
    pub network: Option<usize>,
    /// Index into [`Plan::secgroups`]: the port's security group (every
    /// vm with a network has its own).
    pub secgroup: Option<usize>,
    /// A port of the vm is `public`: a floating IP on its port.
    pub floating_ip: bool,
    /// The vm's `address` when it is an IP address: its port's fixed IP.
    pub fixed_ip: Option<String>,
    /// Index into [`Plan::groups`].
    pub group: Option<usize>,
    /// The boot disk, booted from a volume created from the image.
    pub boot: Option<DiskPlan>,
    pub volumes: Vec<DiskPlan>,
    /// The extra specs its flavor must carry for `numa` (dedicated cpus;
    /// one NUMA node and huge pages for NUMA node pinning).
    pub flavor_specs: Vec<(&'static str, String)>,
}

/// Everything one openstack cluster's stack creates.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Plan {
    pub topology: String,
    pub site: String,
    pub cluster: String,
    /// The common labels, in order (`managed-by`, topology, the program's).
    pub labels: Vec<(String, String)>,
    pub networks: Vec<NetPlan>,
    /// In the order of [`Plan::networks`].
    pub routers: Vec<RouterPlan>,
    /// In the order of the vms.
    pub secgroups: Vec<SecGroupPlan>,
    pub groups: Vec<GroupPlan>,
    pub images: Vec<ImagePlan>,
    pub vms: Vec<VmPlan>,
    /// The volume types the stack creates: those whose pool is replicated.
    pub volume_types: Vec<ReplicatedType>,
    /// The encrypted volume types: Heat creates them with their
    /// encryption, Terraform names them.
    pub encrypted_types: Vec<EncryptedType>,
}

impl Plan {
    /// Some network is a VLAN (its segment needs a physical network).
    pub fn has_vlan(&self) -> bool {
        self.networks.iter().any(|n| n.vlan.is_some())
    }

    /// Some vm has no covering flavor.
    pub fn needs_flavor_input(&self) -> bool {
        self.vms.iter().any(|v| v.flavor.is_none())
    }

    /// Some vm has a floating IP (the external network is an input).
    pub fn needs_external_network(&self) -> bool {
        self.vms.iter().any(|v| v.floating_ip)
    }

    /// The replicated volume type the stack creates under this name, if any.
    pub fn volume_type(&self, name: &str) -> Option<&ReplicatedType> {
        self.volume_types.iter().find(|v| v.name == name)
    }

    /// The encrypted volume type of this name, if any.
    pub fn encrypted_type(&self, name: &str) -> Option<&EncryptedType> {
        self.encrypted_types.iter().find(|v| v.name == name)
    }

    /// The labels as `key=value` tags (Neutron has tags, not key/values).
    pub fn tags(&self) -> Vec<String> {
        self.labels.iter().map(|(k, v)| format!("{k}={v}")).collect()
    }
}

pub(crate) use hybrid_emit::hcl::{identifier as ident, sanitise, Names};

/// Whole GiB, at least 1 (Cinder's unit and minimum).
pub(crate) fn volume_gib(bytes: hybrid_model::Bytes) -> u64 {
    bytes.gib_ceil().max(1)
}

fn cidr_text(net: &IpNet) -> String {
    net.to_string()
}

fn ethertype(net: &IpNet) -> &'static str {
    match net {
        IpNet::V4(_) => "IPv4",
        IpNet::V6(_) => "IPv6",
    }
}

/// Every address of a family: what a published port admits.
fn internet(ethertype: &str) -> &'static str {
    if ethertype == "IPv6" {
        "::/0"
    } else {
        "0.0.0.0/0"
    }
}

/// A vm placed on the cloud.
struct Placed<'a> {
    id: WorkloadId,
    name: &'a str,
    vm: &'a Vm,
    /// The network of its port.
    network: Option<NetworkId>,
}

/// Lowers one openstack cluster and the vms placed on it.
pub(crate) fn plan(t: &Topology, id: ClusterId, os: &OpenStack) -> Plan {
    let vms = placed_vms(t, id);
    let net_ids = network_ids(os, &vms);
    let networks = networks(t, &net_ids);
    let secgroups = security_groups(t, &vms);
    let mut lower = Lowering::new(os, &net_ids);
    let servers: Vec<VmPlan> = vms.iter().map(|p| lower.server(p, &secgroups)).collect();
    let routers = routers(&networks, &servers);
    let Lowering { groups, images, .. } = lower;
    let volume_types = crate::protection::replicated_types(t, os);
    let encrypted_types = crate::protection::encrypted_types(t, os, &volume_types);
    Plan { networks, routers, secgroups, groups, images, vms: servers, volume_types, encrypted_types, ..stack(t, id) }
}

/// The plan's identity and common labels, with nothing in it yet.
fn stack(t: &Topology, id: ClusterId) -> Plan {
    let cluster = t.cluster(id);
    Plan {
        topology: t.name.clone(),
        site: t.site(cluster.site).name.clone(),
        cluster: cluster.name.clone(),
        labels: hybrid_emit::labels::common(t)
            .into_iter()
            .map(|(k, v)| (k.into_string(), v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())))
            .collect(),
        ..Plan::default()
    }
}

/// The vms placed on the cluster, in declaration order.
fn placed_vms(t: &Topology, id: ClusterId) -> Vec<Placed<'_>> {
    t.workloads
        .iter()
        .enumerate()
        .filter_map(|(i, w)| match &w.kind {
            WorkloadKind::Vm(v) if v.placement.value == id => {
                Some(Placed { id: WorkloadId::from_index(i), name: w.name.as_str(), vm: v, network: t.vm_network(v) })
            }
            _ => None,
        })
        .collect()
}

/// The stack's networks: the cloud's, then any other a vm names (so every port has its network).
fn network_ids(os: &OpenStack, vms: &[Placed<'_>]) -> Vec<NetworkId> {
    let mut net_ids: Vec<NetworkId> = os.networks.clone();
    for p in vms {
        if let Some(n) = p.network {
            if !net_ids.contains(&n) {
                net_ids.push(n);
            }
        }
    }
    net_ids
}

/// One [`NetPlan`] per network of the stack, with unique identifiers.
fn networks(t: &Topology, net_ids: &[NetworkId]) -> Vec<NetPlan> {
    let mut net_names = Names::default();
    net_ids
        .iter()
        .map(|nid| {
            let n = t.network(*nid);
            NetPlan {
                name: n.name.clone(),
                ident: net_names.identifier(&n.name),
                cidr: cidr_text(&n.cidr.value),
                ipv6: matches!(n.cidr.value, IpNet::V6(_)),
                vlan: n.vlan.as_ref().map(|v| v.value),
            }
        })
        .collect()
}

/// A router for each network that carries a floating IP, in network order.
fn routers(networks: &[NetPlan], vms: &[VmPlan]) -> Vec<RouterPlan> {
    networks
        .iter()
        .enumerate()
        .filter(|(i, _)| vms.iter().any(|v| v.floating_ip && v.network == Some(*i)))
        .map(|(i, n)| RouterPlan { name: format!("{}-external", n.name), ident: n.ident.clone(), network: i })
        .collect()
}

/// One security group per vm with a network, in vm order, with its rules.
fn security_groups(t: &Topology, vms: &[Placed<'_>]) -> Vec<SecGroupPlan> {
    let mut names = Names::default();
    let mut groups: Vec<(WorkloadId, SecGroupPlan)> = vms
        .iter()
        .filter(|p| p.network.is_some())
        .map(|p| {
            let zone = p.network.and_then(|n| t.network(n).zone.as_ref());
            let plan = SecGroupPlan {
                vm: p.name.to_string(),
                name: names.take(&format!("{}-{}", t.name, p.name), '-'),
                ident: ident(p.name),
                description: match zone {
                    Some(z) => format!("Ingress to vm {} in zone {z} (managed by hybridc)", p.name),
                    None => format!("Ingress to vm {} (managed by hybridc)", p.name),
                },
                rules: Vec::new(),
            };
            (p.id, plan)
        })
        .collect();
    let index: Vec<WorkloadId> = groups.iter().map(|(id, _)| *id).collect();
    let mut rule_idents = Names::default();
    for p in vms {
        let Some(net) = p.network.map(|n| t.network(n)) else { continue };
        let Some(g) = index.iter().position(|id| *id == p.id) else { continue };
        let rules = rules(t, p, net.name.as_str(), &net.cidr.value, &index, &mut rule_idents);
        if let Some((_, plan)) = groups.get_mut(g) {
            plan.rules = rules;
        }
    }
    groups.into_iter().map(|(_, plan)| plan).collect()
}

/// A source of a vm's non-public ports: where from, its ethertype, and who it is for people.
struct Source {
    remote: Remote,
    ethertype: &'static str,
    who: Vec<String>,
}

/// The sources of a vm's ports that are not public: its `allow-from`
/// workloads (same remote merged), else its own network.
fn sources(t: &Topology, p: &Placed<'_>, net_name: &str, cidr: &IpNet, index: &[WorkloadId]) -> Vec<Source> {
    let own = ethertype(cidr);
    if p.vm.allow_from.is_empty() {
        return vec![Source {
            remote: Remote::Prefix(cidr_text(cidr)),
            ethertype: own,
            who: vec![format!("its network {net_name}")],
        }];
    }
    let mut out: Vec<Source> = Vec::new();
    let mut add = |remote: Remote, ethertype: &'static str, who: &str| match out
        .iter_mut()
        .find(|s| s.remote == remote && s.ethertype == ethertype)
    {
        Some(s) if !s.who.iter().any(|w| w == who) => s.who.push(who.to_string()),
        Some(_) => {}
        None => out.push(Source { remote, ethertype, who: vec![who.to_string()] }),
    };
    // `Topology::allowed_callers`, the graph every target shares: a vm
    // naming itself (a profile shared by a group of vms) adds nothing, its
    // own traffic never crosses its port.
    for caller in t.allowed_callers(p.id) {
        let w = t.workload(caller);
        match index.iter().position(|id| *id == caller) {
            // A vm of this cloud: the members of its security group.
            Some(g) => add(Remote::Group(g), own, &w.name),
            // Anything else, by the ranges it connects from (HY6011 refuses unknown ones).
            None => {
                for range in t.source_ranges(w).unwrap_or_default() {
                    add(Remote::Prefix(cidr_text(&range)), ethertype(&range), &w.name);
                }
            }
        }
    }
    out
}

/// A vm's ingress rules: per port, the internet when it is public, else
/// each source; every TCP port from its `allow-from` workloads when it
/// has no ports.
fn rules(
    t: &Topology,
    p: &Placed<'_>,
    net_name: &str,
    cidr: &IpNet,
    index: &[WorkloadId],
    idents: &mut Names,
) -> Vec<RulePlan> {
    let vm_ident = ident(p.name);
    let group_ident = |g: usize| index.get(g).map(|id| ident(&t.workload(*id).name)).unwrap_or_default();
    let sources = sources(t, p, net_name, cidr, index);
    let mut out = Vec::new();
    let mut rule = |port: Option<u16>, remote: Remote, ethertype: &'static str, who: String| {
        let what = match port {
            Some(n) => format!("tcp {n} to {}", p.name),
            None => format!("every tcp port of {}", p.name),
        };
        let from = match &remote {
            Remote::Group(g) => group_ident(*g),
            Remote::Prefix(c) if c.ends_with("/0") => "internet".to_string(),
            Remote::Prefix(c) => sanitise(c).trim_start_matches('_').to_string(),
        };
        let port_word = port.map(|n| n.to_string()).unwrap_or_else(|| "any".to_string());
        out.push(RulePlan {
            ident: idents.take(&format!("{vm_ident}_{port_word}_{from}"), '_'),
            ethertype,
            port,
            remote,
            description: format!("{what} from {who}"),
        });
    };
    if p.vm.ports.is_empty() {
        if !p.vm.allow_from.is_empty() {
            for s in sources {
                rule(None, s.remote, s.ethertype, s.who.join(", "));
            }
        }
        return out;
    }
    for port in &p.vm.ports {
        if port.public.is_some() {
            let e = ethertype(cidr);
            rule(
                Some(port.number),
                Remote::Prefix(internet(e).to_string()),
                e,
                "the internet through its floating IP".into(),
            );
            continue;
        }
        for s in &sources {
            rule(Some(port.number), s.remote.clone(), s.ethertype, s.who.join(", "));
        }
    }
    out
}

/// What servers share, added vm by vm on first use, and the namespaces its names are unique in.
struct Lowering<'a> {
    os: &'a OpenStack,
    /// The stack's networks, in the order of [`Plan::networks`].
    net_ids: &'a [NetworkId],
    groups: Vec<GroupPlan>,
    images: Vec<ImagePlan>,
    group_idents: Names,
    image_params: Names,
    volume_idents: Names,
    /// The anti-affinity groups, in the order of [`Plan::groups`].
    group_keys: Vec<String>,
}

impl<'a> Lowering<'a> {
    /// Nothing shared yet, for a stack with these networks.
    fn new(os: &'a OpenStack, net_ids: &'a [NetworkId]) -> Lowering<'a> {
        Lowering {
            os,
            net_ids,
            groups: Vec::new(),
            images: Vec::new(),
            group_idents: Names::default(),
            image_params: Names::default(),
            volume_idents: Names::default(),
            group_keys: Vec::new(),
        }
    }

    /// A vm's server: its port's network and security group, server group, image and volumes.
    fn server(&mut self, p: &Placed<'_>, secgroups: &[SecGroupPlan]) -> VmPlan {
        let v = p.vm;
        let network = p.network.and_then(|nid| self.net_ids.iter().position(|n| *n == nid));
        let secgroup = secgroups.iter().position(|g| g.vm == p.name);
        let group = v.anti_affinity.as_ref().map(|g| self.server_group(g));
        let image = self.image(&v.image.value);
        let (boot, volumes) = self.volumes(p.name, v);
        VmPlan {
            name: p.name.to_string(),
            ident: ident(p.name),
            flavor: self.os.flavor_for(v.cpu.value, v.memory.value).map(|f| f.name.clone()),
            image,
            network,
            secgroup,
            floating_ip: network.is_some() && v.ports.iter().any(|port| port.public.is_some()),
            fixed_ip: match v.address.as_ref().map(|a| &a.value) {
                Some(Address::Ip(ip)) if network.is_some() => Some(ip.to_string()),
                _ => None,
            },
            group,
            boot,
            volumes,
            flavor_specs: flavor_specs(v),
        }
    }

    /// The index of an anti-affinity group's server group (added on first use).
    fn server_group(&mut self, g: &str) -> usize {
        match self.group_keys.iter().position(|k| k == g) {
            Some(i) => i,
            None => {
                self.group_keys.push(g.to_string());
                self.groups.push(GroupPlan { name: g.to_string(), ident: self.group_idents.take(&sanitise(g), '_') });
                self.groups.len() - 1
            }
        }
    }

    /// The index of an image's input (added on first use).
    fn image(&mut self, image: &str) -> usize {
        match self.images.iter().position(|i| i.image == image) {
            Some(i) => i,
            None => {
                let last = image.rsplit('/').next().unwrap_or(image);
                let param = self.image_params.take(&format!("image_{}", sanitise(last).trim_start_matches('_')), '_');
                self.images.push(ImagePlan { image: image.to_string(), param });
                self.images.len() - 1
            }
        }
    }

    /// A vm's Cinder volumes: its boot disk (the first with `boot`), then the others.
    fn volumes(&mut self, name: &str, v: &Vm) -> (Option<DiskPlan>, Vec<DiskPlan>) {
        let boot_index = v.disks.iter().position(|d| d.boot);
        let mut boot = None;
        let mut volumes = Vec::new();
        for (i, d) in v.disks.iter().enumerate() {
            let disk = DiskPlan {
                disk: d.name.clone(),
                name: format!("{name}-{}", d.name),
                ident: self.volume_idents.take(&format!("{}_{}", ident(name), ident(&d.name)), '_'),
                size_gib: volume_gib(d.size),
                volume_type: match &d.storage {
                    Some(DiskStorage::VolumeType(_, vt)) => Some(vt.clone()),
                    _ => None,
                },
            };
            if Some(i) == boot_index {
                boot = Some(disk);
            } else {
                volumes.push(disk);
            }
        }
        (boot, volumes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hybrid_model::Bytes;

    #[test]
    fn volume_sizes_round_up_to_gib() {
        let gi = 1024 * 1024 * 1024;
        assert_eq!(volume_gib(Bytes(100 * gi)), 100);
        assert_eq!(volume_gib(Bytes(100 * gi + 1)), 101);
        assert_eq!(volume_gib(Bytes(500_000_000_000)), 466);
        assert_eq!(volume_gib(Bytes(1)), 1);
        assert_eq!(volume_gib(Bytes(0)), 1);
    }
}
