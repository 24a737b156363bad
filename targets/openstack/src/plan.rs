//! The cloud plan of one openstack cluster: what both output formats
//! (Heat and Terraform) create, lowered once from the model so that the two
//! describe the same resources — networks (the cloud's own, then any other
//! network a vm names), one security group per network zone the vms use
//! with an ingress rule per port they expose, one server group per
//! `anti-affinity` group, one image input per distinct image, and per vm its
//! flavor, network (with the vm's `address` as its fixed IP when that is an
//! IP address), boot disk and data volumes.
//!
//! Names come from `emit::hcl`: [`sanitise`] and [`ident`] turn text into
//! identifiers, [`Names`] keeps them unique within one namespace (a Heat
//! template, one Terraform resource type, the Neutron names of a stack).

use hybrid_model::{Address, ClusterId, DiskStorage, IpNet, NetworkId, OpenStack, Topology, Vm, WorkloadKind};

/// The Neutron physical network that VLAN segments live on, when the
/// program does not say (the usual ML2 name); an input of both formats.
pub(crate) const DEFAULT_PHYSICAL_NETWORK: &str = "physnet1";

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

/// A security group: one per network zone used by vms (a network without
/// a zone is its own zone).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ZonePlan {
    /// The zone as written (or the network's name).
    pub zone: String,
    /// The Neutron name, unique in the plan: `TOPOLOGY-ZONE`.
    pub name: String,
    /// The Terraform identifier (also the stem of the Heat resource name).
    pub ident: String,
    /// TCP ports opened for ingress, in order of first appearance.
    pub ports: Vec<u16>,
    /// The ethertypes of the zone's networks used by vms (`IPv4`, `IPv6`).
    pub ethertypes: Vec<&'static str>,
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
    /// Index into [`Plan::networks`].
    pub network: Option<usize>,
    /// The vm's `address` when it is an IP address: its port's fixed IP.
    pub fixed_ip: Option<String>,
    /// Index into [`Plan::zones`].
    pub zone: Option<usize>,
    /// Index into [`Plan::groups`].
    pub group: Option<usize>,
    /// The boot disk, booted from a volume created from the image.
    pub boot: Option<DiskPlan>,
    pub volumes: Vec<DiskPlan>,
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
    pub zones: Vec<ZonePlan>,
    pub groups: Vec<GroupPlan>,
    pub images: Vec<ImagePlan>,
    pub vms: Vec<VmPlan>,
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

/// Lowers one openstack cluster and the vms placed on it.
pub(crate) fn plan(t: &Topology, id: ClusterId, os: &OpenStack) -> Plan {
    let vms = placed_vms(t, id);
    let net_ids = network_ids(os, &vms);
    let mut lower = Lowering::new(t, os, &net_ids);
    let servers = vms.into_iter().map(|(name, v)| lower.server(name, v)).collect();
    let Lowering { zones, groups, images, .. } = lower;
    Plan { networks: networks(t, &net_ids), zones, groups, images, vms: servers, ..stack(t, id) }
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
            .map(|(k, v)| (k, v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())))
            .collect(),
        ..Plan::default()
    }
}

/// The vms placed on the cluster, with their names, in declaration order.
fn placed_vms(t: &Topology, id: ClusterId) -> Vec<(&str, &Vm)> {
    t.workloads
        .iter()
        .filter_map(|w| match &w.kind {
            WorkloadKind::Vm(v) if v.placement.value == id => Some((w.name.as_str(), v)),
            _ => None,
        })
        .collect()
}

/// The stack's networks: the cloud's, then any other a vm names (so every port has its network).
fn network_ids(os: &OpenStack, vms: &[(&str, &Vm)]) -> Vec<NetworkId> {
    let mut net_ids: Vec<NetworkId> = os.networks.clone();
    for (_, v) in vms {
        if let Some(n) = &v.network {
            if !net_ids.contains(&n.value) {
                net_ids.push(n.value);
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

/// What servers share, added vm by vm on first use, and the namespaces its names are unique in.
struct Lowering<'a> {
    t: &'a Topology,
    os: &'a OpenStack,
    /// The stack's networks, in the order of [`Plan::networks`].
    net_ids: &'a [NetworkId],
    zones: Vec<ZonePlan>,
    groups: Vec<GroupPlan>,
    images: Vec<ImagePlan>,
    zone_idents: Names,
    zone_names: Names,
    group_idents: Names,
    image_params: Names,
    volume_idents: Names,
    /// Zone keys, in the order of [`Plan::zones`]: the zone as written, or
    /// the network's id for one without.
    zone_keys: Vec<Result<String, NetworkId>>,
    /// The anti-affinity groups, in the order of [`Plan::groups`].
    group_keys: Vec<String>,
}

impl<'a> Lowering<'a> {
    /// Nothing shared yet, for a stack with these networks.
    fn new(t: &'a Topology, os: &'a OpenStack, net_ids: &'a [NetworkId]) -> Lowering<'a> {
        Lowering {
            t,
            os,
            net_ids,
            zones: Vec::new(),
            groups: Vec::new(),
            images: Vec::new(),
            zone_idents: Names::default(),
            zone_names: Names::default(),
            group_idents: Names::default(),
            image_params: Names::default(),
            volume_idents: Names::default(),
            zone_keys: Vec::new(),
            group_keys: Vec::new(),
        }
    }

    /// A vm's server: its port's network, security group, server group, image and volumes.
    fn server(&mut self, name: &str, v: &Vm) -> VmPlan {
        let net_id = v.network.as_ref().map(|n| n.value).or_else(|| self.os.networks.first().copied());
        let network = net_id.and_then(|nid| self.net_ids.iter().position(|n| *n == nid));
        let zone = net_id.map(|nid| self.security_group(nid, v));
        let group = v.anti_affinity.as_ref().map(|g| self.server_group(g));
        let image = self.image(&v.image.value);
        let (boot, volumes) = self.volumes(name, v);
        VmPlan {
            name: name.to_string(),
            ident: ident(name),
            flavor: self.os.flavor_for(v.cpu.value, v.memory.value).map(|f| f.name.clone()),
            image,
            network,
            fixed_ip: match v.address.as_ref().map(|a| &a.value) {
                Some(Address::Ip(ip)) if network.is_some() => Some(ip.to_string()),
                _ => None,
            },
            zone,
            group,
            boot,
            volumes,
        }
    }

    /// The index of the security group of a network's zone, opened for the vm's ports and ethertype.
    fn security_group(&mut self, nid: NetworkId, v: &Vm) -> usize {
        let n = self.t.network(nid);
        let key = n.zone.clone().ok_or(nid);
        let idx = match self.zone_keys.iter().position(|k| *k == key) {
            Some(i) => i,
            None => {
                let zone = n.zone.clone().unwrap_or_else(|| n.name.clone());
                self.zone_keys.push(key);
                self.zones.push(ZonePlan {
                    name: self.zone_names.take(&format!("{}-{}", self.t.name, zone), '-'),
                    ident: self.zone_idents.take(&sanitise(&zone), '_'),
                    zone,
                    ports: Vec::new(),
                    ethertypes: Vec::new(),
                });
                self.zones.len() - 1
            }
        };
        if let Some(z) = self.zones.get_mut(idx) {
            let ethertype = if matches!(n.cidr.value, IpNet::V6(_)) { "IPv6" } else { "IPv4" };
            if !z.ethertypes.contains(&ethertype) {
                z.ethertypes.push(ethertype);
            }
            for p in &v.ports {
                if !z.ports.contains(&p.number) {
                    z.ports.push(p.number);
                }
            }
        }
        idx
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
