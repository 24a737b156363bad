//! The Terraform configuration of one openstack cluster
//! (`SITE/CLUSTER/terraform/`, provider `terraform-provider-openstack/openstack`
//! `~> 3.0`, credentials from the `OS_*` environment), one file per concern,
//! each left out when it would be empty:
//! * `versions.tf` — `required_providers` and the empty provider block;
//! * `variables.tf` — the key pair, each image (default: the program's image
//!   name), the external network when a vm is published, the VLAN physical
//!   network and, when needed, a fallback flavor;
//! * `network.tf` — `openstack_networking_network_v2` (a `vlan` segment when
//!   the site network has a VLAN) + `_subnet_v2` per network; the external
//!   network's look-up, `_router_v2` and `_router_interface_v2` for each
//!   network with a published vm; `_secgroup_v2` per vm and a
//!   `_secgroup_rule_v2` per rule; per vm its `_port_v2` (with its security
//!   group) and, when a port is public, its `_floatingip_v2`;
//! * `compute.tf` — `openstack_compute_servergroup_v2` (anti-affinity),
//!   image look-ups for boot volumes, `openstack_compute_instance_v2` on its
//!   port;
//! * `storage.tf` — `openstack_blockstorage_volume_type_v3` per replicated
//!   volume type (Cinder's replication extra spec) that is not encrypted, then
//!   `openstack_blockstorage_volume_v3` + `openstack_compute_volume_attach_v2`
//!   per data disk, a replicated type named by reference. An encrypted
//!   volume type is named, never created: the provider's volume type has no
//!   encryption argument (`name`, `description`, `is_public`, `extra_specs`,
//!   `region` only), and encryption cannot be added to a type once a volume
//!   uses it, so it is created by hand first (the prerequisites say how);
//! * `outputs.tf` — each instance's `access_ip_v4` (`access_ip_v6` when its
//!   network is IPv6) and each floating IP's address.
//!
//! Every program string goes through [`hcl::string`] (escaped); [`hcl::raw`] only
//! carries references built from sanitised identifiers.

use crate::plan::{
    Plan, Remote, RulePlan, SecGroupPlan, VmPlan, DEFAULT_PHYSICAL_NETWORK, EXTERNAL_NETWORK, FLAVOR, PHYSICAL_NETWORK,
};
use hybrid_emit::hcl::{self, Block, Expr};

const NETWORK: &str = "openstack_networking_network_v2";
const SUBNET: &str = "openstack_networking_subnet_v2";
const SECGROUP: &str = "openstack_networking_secgroup_v2";
const SECGROUP_RULE: &str = "openstack_networking_secgroup_rule_v2";
const PORT: &str = "openstack_networking_port_v2";
const ROUTER: &str = "openstack_networking_router_v2";
const ROUTER_INTERFACE: &str = "openstack_networking_router_interface_v2";
const FLOATING_IP: &str = "openstack_networking_floatingip_v2";
/// The external network's look-up (a data source of type [`NETWORK`]).
const EXTERNAL: &str = "external";
const SERVERGROUP: &str = "openstack_compute_servergroup_v2";
const INSTANCE: &str = "openstack_compute_instance_v2";
const VOLUME: &str = "openstack_blockstorage_volume_v3";
const VOLUME_TYPE: &str = "openstack_blockstorage_volume_type_v3";
const ATTACH: &str = "openstack_compute_volume_attach_v2";
const IMAGE: &str = "openstack_images_image_v2";

pub(crate) const KEY_PAIR: &str = "key_pair";

/// `Some(n)` as an HCL integer (saturating).
fn int(n: impl TryInto<i64>) -> Expr {
    Expr::Int(n.try_into().unwrap_or(i64::MAX))
}

fn tags(p: &Plan) -> Expr {
    Expr::List(p.tags().into_iter().map(hcl::string).collect())
}

fn metadata(p: &Plan) -> Expr {
    Expr::Map(p.labels.iter().map(|(k, v)| (k.clone(), hcl::string(v.clone()))).collect())
}

fn variable(name: &str, description: &str, default: Option<&str>) -> Block {
    Block::new("variable", &[name])
        .attr("description", hcl::string(description))
        .attr("type", hcl::raw("string"))
        .attr_opt("default", default.map(hcl::string))
}

pub(crate) fn versions() -> Vec<Block> {
    vec![
        Block::new("terraform", &[]).block(Block::new("required_providers", &[]).attr(
            "openstack",
            Expr::Map(vec![
                ("source".into(), hcl::string("terraform-provider-openstack/openstack")),
                ("version".into(), hcl::string("~> 3.0")),
            ]),
        )),
        // Credentials come from the environment (`OS_CLOUD` or `OS_AUTH_URL`,
        // `OS_USERNAME`, …), never from these files.
        Block::new("provider", &["openstack"]),
    ]
}

pub(crate) fn variables(p: &Plan) -> Vec<Block> {
    let mut out = Vec::new();
    if !p.vms.is_empty() {
        out.push(variable(KEY_PAIR, "Name of an existing Nova key pair for the instances", None));
    }
    for img in &p.images {
        out.push(variable(&img.param, &format!("Glance image name for {}", img.image), Some(&img.image)));
    }
    if p.needs_flavor_input() {
        out.push(variable(FLAVOR, "Nova flavor for the instances no declared flavor covers", None));
    }
    if p.needs_external_network() {
        out.push(variable(
            EXTERNAL_NETWORK,
            "Name of the external Neutron network the floating IPs and routers use",
            None,
        ));
    }
    if p.has_vlan() {
        out.push(variable(
            PHYSICAL_NETWORK,
            "Neutron physical network that carries the VLAN segments",
            Some(DEFAULT_PHYSICAL_NETWORK),
        ));
    }
    out
}

pub(crate) fn network(p: &Plan) -> Vec<Block> {
    let mut out = Vec::new();
    for n in &p.networks {
        let mut net = Block::new("resource", &[NETWORK, &n.ident])
            .attr("name", hcl::string(n.name.clone()))
            .attr("tags", tags(p));
        if let Some(vlan) = n.vlan {
            net = net.block(
                Block::new("segments", &[])
                    .attr("network_type", hcl::string("vlan"))
                    .attr("physical_network", hcl::raw(format!("var.{PHYSICAL_NETWORK}")))
                    .attr("segmentation_id", int(vlan)),
            );
        }
        out.push(net);
        out.push(
            Block::new("resource", &[SUBNET, &n.ident])
                .attr("name", hcl::string(n.name.clone()))
                .attr("network_id", hcl::raw(format!("{NETWORK}.{}.id", n.ident)))
                .attr("cidr", hcl::string(n.cidr.clone()))
                .attr("ip_version", Expr::Int(if n.ipv6 { 6 } else { 4 }))
                .attr("tags", tags(p)),
        );
    }
    if p.needs_external_network() {
        out.push(
            Block::new("data", &[NETWORK, EXTERNAL])
                .attr("name", hcl::raw(format!("var.{EXTERNAL_NETWORK}")))
                .attr("external", Expr::Bool(true)),
        );
    }
    for r in &p.routers {
        let Some(n) = p.networks.get(r.network) else { continue };
        out.push(
            Block::new("resource", &[ROUTER, &r.ident])
                .attr("name", hcl::string(r.name.clone()))
                .attr("external_network_id", hcl::raw(format!("data.{NETWORK}.{EXTERNAL}.id")))
                .attr("tags", tags(p)),
        );
        out.push(
            Block::new("resource", &[ROUTER_INTERFACE, &r.ident])
                .attr("router_id", hcl::raw(format!("{ROUTER}.{}.id", r.ident)))
                .attr("subnet_id", hcl::raw(format!("{SUBNET}.{}.id", n.ident))),
        );
    }
    for g in &p.secgroups {
        out.push(
            Block::new("resource", &[SECGROUP, &g.ident])
                .attr("name", hcl::string(g.name.clone()))
                .attr("description", hcl::string(g.description.clone()))
                .attr("tags", tags(p)),
        );
        out.extend(g.rules.iter().map(|r| security_group_rule(p, g, r)));
    }
    for v in &p.vms {
        out.extend(port(p, v));
        if v.floating_ip {
            out.extend(floating_ip(p, v));
        }
    }
    out
}

/// One ingress rule: TCP to its port (every port without one), from a range or a group's members.
fn security_group_rule(p: &Plan, g: &SecGroupPlan, r: &RulePlan) -> Block {
    let mut b = Block::new("resource", &[SECGROUP_RULE, &r.ident])
        .attr("security_group_id", hcl::raw(format!("{SECGROUP}.{}.id", g.ident)))
        .attr("description", hcl::string(format!("{} (managed by hybridc)", r.description)))
        .attr("direction", hcl::string("ingress"))
        .attr("ethertype", hcl::string(r.ethertype))
        .attr("protocol", hcl::string("tcp"))
        .attr_opt("port_range_min", r.port.map(int))
        .attr_opt("port_range_max", r.port.map(int));
    b = match &r.remote {
        Remote::Prefix(cidr) => b.attr("remote_ip_prefix", hcl::string(cidr.clone())),
        Remote::Group(other) => {
            let other = p.secgroups.get(*other).unwrap_or(g);
            b.attr("remote_group_id", hcl::raw(format!("{SECGROUP}.{}.id", other.ident)))
        }
    };
    b
}

/// A vm's port on its network, with its security group.
fn port(p: &Plan, v: &VmPlan) -> Option<Block> {
    let n = v.network.and_then(|n| p.networks.get(n))?;
    let group = v.secgroup.and_then(|g| p.secgroups.get(g));
    Some(
        Block::new("resource", &[PORT, &v.ident])
            .attr("name", hcl::string(format!("{}-{}", v.name, n.name)))
            .attr("network_id", hcl::raw(format!("{NETWORK}.{}.id", n.ident)))
            .attr_opt(
                "security_group_ids",
                group.map(|g| Expr::List(vec![hcl::raw(format!("{SECGROUP}.{}.id", g.ident))])),
            )
            .attr("tags", tags(p))
            .block(
                Block::new("fixed_ip", &[])
                    .attr("subnet_id", hcl::raw(format!("{SUBNET}.{}.id", n.ident)))
                    .attr_opt("ip_address", v.fixed_ip.clone().map(hcl::string)),
            ),
    )
}

/// The floating IP that publishes a vm's public ports, on its port, once
/// the router of its network can reach it.
fn floating_ip(p: &Plan, v: &VmPlan) -> Option<Block> {
    let net = v.network?;
    let router = p.routers.iter().find(|r| r.network == net)?;
    Some(
        Block::new("resource", &[FLOATING_IP, &v.ident])
            .attr("pool", hcl::raw(format!("data.{NETWORK}.{EXTERNAL}.name")))
            .attr("port_id", hcl::raw(format!("{PORT}.{}.id", v.ident)))
            .attr("description", hcl::string(format!("Public address of vm {} (managed by hybridc)", v.name)))
            .attr("tags", tags(p))
            .attr("depends_on", Expr::List(vec![hcl::raw(format!("{ROUTER_INTERFACE}.{}", router.ident))])),
    )
}

fn instance(p: &Plan, v: &VmPlan) -> Block {
    let image = p.images.get(v.image);
    let mut b = Block::new("resource", &[INSTANCE, &v.ident]).attr("name", hcl::string(v.name.clone())).attr(
        "flavor_name",
        match &v.flavor {
            Some(f) => hcl::string(f.clone()),
            None => hcl::raw(format!("var.{FLAVOR}")),
        },
    );
    if v.boot.is_none() {
        b = b.attr_opt("image_name", image.map(|i| hcl::raw(format!("var.{}", i.param))));
    }
    b = b.attr("key_pair", hcl::raw(format!("var.{KEY_PAIR}")));
    b = b.attr("metadata", metadata(p));
    if let (Some(boot), Some(image)) = (&v.boot, image) {
        b = b.block(
            Block::new("block_device", &[])
                .attr("uuid", hcl::raw(format!("data.{IMAGE}.{}.id", image.param)))
                .attr("source_type", hcl::string("image"))
                .attr("destination_type", hcl::string("volume"))
                .attr("boot_index", Expr::Int(0))
                .attr("volume_size", int(boot.size_gib))
                .attr_opt("volume_type", boot.volume_type.as_deref().map(|vt| volume_type(p, vt)))
                .attr("delete_on_termination", Expr::Bool(true)),
        );
    }
    if v.network.and_then(|n| p.networks.get(n)).is_some() {
        // The security group is the port's (an instance's own would not apply to it).
        b = b.block(Block::new("network", &[]).attr("port", hcl::raw(format!("{PORT}.{}.id", v.ident))));
    }
    if let Some(g) = v.group.and_then(|g| p.groups.get(g)) {
        b = b
            .block(Block::new("scheduler_hints", &[]).attr("group", hcl::raw(format!("{SERVERGROUP}.{}.id", g.ident))));
    }
    b
}

pub(crate) fn compute(p: &Plan) -> Vec<Block> {
    let mut out = Vec::new();
    for g in &p.groups {
        out.push(
            Block::new("resource", &[SERVERGROUP, &g.ident])
                .attr("name", hcl::string(g.name.clone()))
                .attr("policies", Expr::List(vec![hcl::string("anti-affinity")])),
        );
    }
    // The images boot volumes are created from (block devices need an id).
    for (i, img) in p.images.iter().enumerate() {
        if p.vms.iter().any(|v| v.image == i && v.boot.is_some()) {
            out.push(
                Block::new("data", &[IMAGE, &img.param])
                    .attr("name", hcl::raw(format!("var.{}", img.param)))
                    .attr("most_recent", Expr::Bool(true)),
            );
        }
    }
    out.extend(p.vms.iter().map(|v| instance(p, v)));
    out
}

/// The replicated volume types the configuration creates: those that are
/// not encrypted (an encrypted one is created by hand first).
fn created_types(p: &Plan) -> impl Iterator<Item = &crate::protection::ReplicatedType> {
    p.volume_types.iter().filter(|vt| p.encrypted_type(&vt.name).is_none())
}

/// A disk's volume type: the configuration's own by reference (so it
/// exists first), any other by name.
fn volume_type(p: &Plan, name: &str) -> Expr {
    match created_types(p).find(|vt| vt.name == name) {
        Some(vt) => hcl::raw(format!("{VOLUME_TYPE}.{}.name", vt.ident)),
        None => hcl::string(name),
    }
}

pub(crate) fn storage(p: &Plan) -> Vec<Block> {
    let mut out = Vec::new();
    for vt in created_types(p) {
        let specs = vt.extra_specs().into_iter().map(|(k, v)| (k.to_string(), hcl::string(v))).collect();
        out.push(
            Block::new("resource", &[VOLUME_TYPE, &vt.ident])
                .attr("name", hcl::string(vt.name.clone()))
                .attr("description", hcl::string(vt.description()))
                .attr("extra_specs", Expr::Map(specs)),
        );
    }
    for v in &p.vms {
        for d in &v.volumes {
            out.push(
                Block::new("resource", &[VOLUME, &d.ident])
                    .attr("name", hcl::string(d.name.clone()))
                    .attr("size", int(d.size_gib))
                    .attr_opt("volume_type", d.volume_type.as_deref().map(|vt| volume_type(p, vt)))
                    .attr("metadata", metadata(p)),
            );
            out.push(
                Block::new("resource", &[ATTACH, &d.ident])
                    .attr("instance_id", hcl::raw(format!("{INSTANCE}.{}.id", v.ident)))
                    .attr("volume_id", hcl::raw(format!("{VOLUME}.{}.id", d.ident))),
            );
        }
    }
    out
}

pub(crate) fn outputs(p: &Plan) -> Vec<Block> {
    let mut out = Vec::new();
    for v in &p.vms {
        // An instance only on an IPv6 network has no IPv4 address.
        let v6 = v.network.and_then(|n| p.networks.get(n)).is_some_and(|n| n.ipv6);
        let (family, attr) = if v6 { ("IPv6", "access_ip_v6") } else { ("IPv4", "access_ip_v4") };
        out.push(
            Block::new("output", &[&format!("{}_address", v.ident)])
                .attr("description", hcl::string(format!("{family} address of instance {}", v.name)))
                .attr("value", hcl::raw(format!("{INSTANCE}.{}.{attr}", v.ident))),
        );
        if v.floating_ip {
            out.push(
                Block::new("output", &[&format!("{}_public_address", v.ident)])
                    .attr("description", hcl::string(format!("Floating IP address of instance {}", v.name)))
                    .attr("value", hcl::raw(format!("{FLOATING_IP}.{}.address", v.ident))),
            );
        }
    }
    out
}

/// Every file of the folder, by name, without the empty ones.
pub(crate) fn files(p: &Plan) -> Vec<(&'static str, Vec<Block>)> {
    [
        ("versions.tf", versions()),
        ("variables.tf", variables(p)),
        ("network.tf", network(p)),
        ("compute.tf", compute(p)),
        ("storage.tf", storage(p)),
        ("outputs.tf", outputs(p)),
    ]
    .into_iter()
    .filter(|(_, blocks)| !blocks.is_empty())
    .collect()
}
