//! The Heat template of one openstack cluster (`SITE/CLUSTER/heat/stack.yaml`,
//! HOT `2021-04-16`): parameters for the key pair, each image (default: the
//! program's image name) and, when needed, the VLAN physical network;
//! resources — per network an `OS::Neutron::Net` (`OS::Neutron::ProviderNet`
//! with a `vlan` segment when the site network has a VLAN) and its
//! `OS::Neutron::Subnet`; an `OS::Neutron::Router` to the external network
//! and its `OS::Neutron::RouterInterface` for each network with a published
//! vm; per vm an `OS::Neutron::SecurityGroup` and one
//! `OS::Neutron::SecurityGroupRule` per rule (separate resources, so that
//! two vms may admit each other without a dependency cycle); per
//! anti-affinity group an `OS::Nova::ServerGroup`; per vm an
//! `OS::Neutron::Port` (with its security group), an
//! `OS::Neutron::FloatingIP` on it when a port is public, and an
//! `OS::Nova::Server` (boot disk as a `block_device_mapping_v2` volume
//! created from the image); per data disk an `OS::Cinder::Volume` and
//! `OS::Cinder::VolumeAttachment`; per replicated volume type an
//! `OS::Cinder::VolumeType` with Cinder's replication extra spec, which the
//! volumes of that type name by reference; per encrypted volume type its
//! `OS::Cinder::VolumeType` (the replicated one, else one with its backend's
//! `volume_backend_name`) and an `OS::Cinder::EncryptedVolumeType` with
//! Cinder's LUKS encryption, which the volumes of that type name by
//! reference (its id is the volume type's, and the reference makes Heat
//! create the encryption before any volume); outputs with each server's
//! first fixed IP (read from its port) and each floating IP.

use crate::plan::{
    DiskPlan, Plan, Remote, RulePlan, SecGroupPlan, VmPlan, DEFAULT_PHYSICAL_NETWORK, EXTERNAL_NETWORK, FLAVOR,
    PHYSICAL_NETWORK,
};
use crate::protection::{
    BACKEND_NAME, ENCRYPTION_CIPHER, ENCRYPTION_CONTROL_LOCATION, ENCRYPTION_KEY_SIZE, ENCRYPTION_PROVIDER,
};
use hybrid_emit::{json, key, Map, Value};

/// The input that names the Nova key pair.
pub(crate) const KEY_NAME: &str = "key_name";

fn net_res(p: &Plan, i: usize) -> Option<String> {
    p.networks.get(i).map(|n| format!("net_{}", n.ident))
}
fn subnet_res(p: &Plan, i: usize) -> Option<String> {
    p.networks.get(i).map(|n| format!("subnet_{}", n.ident))
}
fn secgroup_res(p: &Plan, i: usize) -> Option<String> {
    p.secgroups.get(i).map(|g| format!("secgroup_{}", g.ident))
}
fn rule_res(r: &RulePlan) -> String {
    format!("rule_{}", r.ident)
}
fn router_res(ident: &str) -> String {
    format!("router_{ident}")
}
fn router_interface_res(ident: &str) -> String {
    format!("router_interface_{ident}")
}
fn floating_ip_res(v: &VmPlan) -> String {
    format!("floating_ip_{}", v.ident)
}
fn group_res(p: &Plan, i: usize) -> Option<String> {
    p.groups.get(i).map(|g| format!("servergroup_{}", g.ident))
}
fn port_res(v: &VmPlan) -> String {
    format!("port_{}", v.ident)
}
fn server_res(v: &VmPlan) -> String {
    format!("server_{}", v.ident)
}
fn volume_res(d: &DiskPlan) -> String {
    format!("volume_{}", d.ident)
}
fn attachment_res(d: &DiskPlan) -> String {
    format!("attachment_{}", d.ident)
}

fn volume_type_res(ident: &str) -> String {
    format!("volume_type_{ident}")
}
fn encryption_res(ident: &str) -> String {
    format!("volume_type_encryption_{ident}")
}

/// A disk's volume type: an encrypted one through its encryption (whose
/// id is the volume type's), so that no volume is created before its type
/// encrypts; the stack's own by reference (so it exists first); any other
/// by name.
fn volume_type(p: &Plan, name: &str) -> Value {
    if let Some(e) = p.encrypted_type(name) {
        return get_resource(&encryption_res(&e.ident));
    }
    match p.volume_type(name) {
        Some(vt) => get_resource(&volume_type_res(&vt.ident)),
        None => Value::from(name),
    }
}

/// The volume types the stack creates, with Cinder's replication extra spec.
fn volume_type_resources(p: &Plan, res: &mut Map) {
    for vt in &p.volume_types {
        let specs: Map = vt.extra_specs().into_iter().map(|(k, v)| (k.to_string(), Value::from(v))).collect();
        res.insert(
            volume_type_res(&vt.ident),
            json!({
                "type": "OS::Cinder::VolumeType",
                "properties": { "name": &vt.name, "description": vt.description(), "metadata": specs },
            }),
        );
    }
    for e in &p.encrypted_types {
        if p.volume_type(&e.name).is_none() {
            let mut props = Map::new();
            props.insert(key!("name"), Value::from(e.name.as_str()));
            props.insert(key!("description"), Value::from(e.description()));
            if let Some(pool) = &e.pool {
                props.insert(key!("metadata"), json!({ BACKEND_NAME: pool }));
            }
            res.insert(volume_type_res(&e.ident), json!({ "type": "OS::Cinder::VolumeType", "properties": props }));
        }
        res.insert(
            encryption_res(&e.ident),
            json!({
                "type": "OS::Cinder::EncryptedVolumeType",
                "properties": {
                    "provider": ENCRYPTION_PROVIDER,
                    "control_location": ENCRYPTION_CONTROL_LOCATION,
                    "cipher": ENCRYPTION_CIPHER,
                    "key_size": ENCRYPTION_KEY_SIZE,
                    "volume_type": get_resource(&volume_type_res(&e.ident)),
                },
            }),
        );
    }
}

fn get_param(name: &str) -> Value {
    json!({ "get_param": name })
}
fn get_resource(name: &str) -> Value {
    json!({ "get_resource": name })
}

fn labels(p: &Plan) -> Value {
    let m: Map = p.labels.iter().map(|(k, v)| (k.clone(), Value::from(v.clone()))).collect();
    Value::Object(m)
}

fn parameters(p: &Plan) -> Map {
    let mut params = Map::new();
    if !p.vms.is_empty() {
        params.insert(
            KEY_NAME,
            json!({
                "type": "string",
                "description": "Name of an existing Nova key pair for the servers",
                "constraints": [{ "custom_constraint": "nova.keypair" }],
            }),
        );
    }
    for img in &p.images {
        params.insert(
            img.param.clone(),
            json!({
                "type": "string",
                "description": format!("Glance image (name or ID) for {}", img.image),
                "default": &img.image,
                "constraints": [{ "custom_constraint": "glance.image" }],
            }),
        );
    }
    if p.needs_flavor_input() {
        params.insert(
            FLAVOR,
            json!({
                "type": "string",
                "description": "Nova flavor for the servers no declared flavor covers",
                "constraints": [{ "custom_constraint": "nova.flavor" }],
            }),
        );
    }
    if p.needs_external_network() {
        params.insert(
            EXTERNAL_NETWORK,
            json!({
                "type": "string",
                "description": "External Neutron network (name or ID) the floating IPs and routers use",
                "constraints": [{ "custom_constraint": "neutron.network" }],
            }),
        );
    }
    if p.has_vlan() {
        params.insert(
            PHYSICAL_NETWORK,
            json!({
                "type": "string",
                "description": "Neutron physical network that carries the VLAN segments",
                "default": DEFAULT_PHYSICAL_NETWORK,
            }),
        );
    }
    params
}

fn network_resources(p: &Plan, res: &mut Map) {
    let tags = p.tags();
    for (i, n) in p.networks.iter().enumerate() {
        let (Some(net), Some(subnet)) = (net_res(p, i), subnet_res(p, i)) else { continue };
        let doc = match n.vlan {
            Some(vlan) => json!({
                "type": "OS::Neutron::ProviderNet",
                "properties": {
                    "name": &n.name,
                    "network_type": "vlan",
                    "physical_network": get_param(PHYSICAL_NETWORK),
                    "segmentation_id": vlan.to_string(),
                    "shared": false,
                    "tags": &tags,
                },
            }),
            None => json!({
                "type": "OS::Neutron::Net",
                "properties": { "name": &n.name, "tags": &tags },
            }),
        };
        res.insert(net.clone(), doc);
        res.insert(
            subnet,
            json!({
                "type": "OS::Neutron::Subnet",
                "properties": {
                    "name": &n.name,
                    "network": get_resource(&net),
                    "cidr": &n.cidr,
                    "ip_version": if n.ipv6 { 6 } else { 4 },
                    "tags": &tags,
                },
            }),
        );
    }
    for r in &p.routers {
        let Some(subnet) = subnet_res(p, r.network) else { continue };
        res.insert(
            router_res(&r.ident),
            json!({
                "type": "OS::Neutron::Router",
                "properties": {
                    "name": &r.name,
                    "external_gateway_info": { "network": get_param(EXTERNAL_NETWORK) },
                    "tags": &tags,
                },
            }),
        );
        res.insert(
            router_interface_res(&r.ident),
            json!({
                "type": "OS::Neutron::RouterInterface",
                "properties": { "router": get_resource(&router_res(&r.ident)), "subnet": get_resource(&subnet) },
            }),
        );
    }
    for (i, g) in p.secgroups.iter().enumerate() {
        let Some(name) = secgroup_res(p, i) else { continue };
        res.insert(
            name.clone(),
            json!({
                "type": "OS::Neutron::SecurityGroup",
                "properties": {
                    "name": &g.name,
                    "description": &g.description,
                },
            }),
        );
        for r in &g.rules {
            res.insert(rule_res(r), security_group_rule(p, g, &name, r));
        }
    }
}

/// One ingress rule: TCP to its port (every port without one), from a range or a group's members.
fn security_group_rule(p: &Plan, g: &SecGroupPlan, group_res: &str, r: &RulePlan) -> Value {
    let mut props = Map::new();
    props.insert(key!("security_group"), get_resource(group_res));
    props.insert(key!("description"), Value::from(format!("{} (managed by hybridc)", r.description)));
    props.insert(key!("direction"), json!("ingress"));
    props.insert(key!("ethertype"), Value::from(r.ethertype));
    props.insert(key!("protocol"), json!("tcp"));
    if let Some(port) = r.port {
        props.insert(key!("port_range_min"), Value::from(port));
        props.insert(key!("port_range_max"), Value::from(port));
    }
    match &r.remote {
        Remote::Prefix(cidr) => {
            props.insert(key!("remote_ip_prefix"), Value::from(cidr.clone()));
        }
        Remote::Group(other) => {
            let other = secgroup_res(p, *other).unwrap_or_else(|| format!("secgroup_{}", g.ident));
            props.insert(key!("remote_group"), get_resource(&other));
        }
    }
    json!({ "type": "OS::Neutron::SecurityGroupRule", "properties": props })
}

fn server(p: &Plan, v: &VmPlan) -> Value {
    let mut props = Map::new();
    props.insert(key!("name"), Value::from(v.name.clone()));
    props.insert(
        "flavor",
        match &v.flavor {
            Some(f) => Value::from(f.clone()),
            None => get_param(FLAVOR),
        },
    );
    let image = p.images.get(v.image).map(|i| get_param(&i.param));
    match (&v.boot, image) {
        (Some(b), Some(image)) => {
            let mut bdm = Map::new();
            bdm.insert(key!("boot_index"), Value::from(0));
            bdm.insert(key!("image"), image);
            bdm.insert(key!("volume_size"), Value::from(b.size_gib));
            if let Some(vt) = &b.volume_type {
                bdm.insert(key!("volume_type"), volume_type(p, vt));
            }
            bdm.insert(key!("delete_on_termination"), Value::from(true));
            props.insert(key!("block_device_mapping_v2"), Value::Array(vec![Value::Object(bdm)]));
        }
        (None, Some(image)) => {
            props.insert(key!("image"), image);
        }
        (_, None) => {}
    }
    props.insert(key!("key_name"), get_param(KEY_NAME));
    if v.network.is_some() {
        props.insert(key!("networks"), json!([{ "port": get_resource(&port_res(v)) }]));
    }
    if let Some(g) = v.group.and_then(|g| group_res(p, g)) {
        props.insert(key!("scheduler_hints"), json!({ "group": get_resource(&g) }));
    }
    props.insert(key!("metadata"), labels(p));
    json!({ "type": "OS::Nova::Server", "properties": props })
}

/// The floating IP that publishes a vm's public ports, on its port, once
/// the router of its network can reach it.
fn floating_ip(p: &Plan, v: &VmPlan, net: usize) -> Value {
    let mut doc = Map::new();
    doc.insert(key!("type"), json!("OS::Neutron::FloatingIP"));
    if let Some(r) = p.routers.iter().find(|r| r.network == net) {
        doc.insert(key!("depends_on"), json!([router_interface_res(&r.ident)]));
    }
    doc.insert(
        "properties",
        json!({ "floating_network": get_param(EXTERNAL_NETWORK), "port_id": get_resource(&port_res(v)) }),
    );
    Value::Object(doc)
}

fn compute_resources(p: &Plan, res: &mut Map) {
    for (i, g) in p.groups.iter().enumerate() {
        let Some(name) = group_res(p, i) else { continue };
        res.insert(
            name,
            json!({
                "type": "OS::Nova::ServerGroup",
                "properties": { "name": &g.name, "policies": ["anti-affinity"] },
            }),
        );
    }
    for v in &p.vms {
        if let Some(net) = v.network {
            let mut props = Map::new();
            let net_name = p.networks.get(net).map(|n| n.name.as_str()).unwrap_or_default();
            props.insert(key!("name"), Value::from(format!("{}-{}", v.name, net_name)));
            if let Some(r) = net_res(p, net) {
                props.insert(key!("network"), get_resource(&r));
            }
            if let Some(r) = subnet_res(p, net) {
                let fixed = match &v.fixed_ip {
                    Some(ip) => json!({ "subnet": get_resource(&r), "ip_address": ip }),
                    None => json!({ "subnet": get_resource(&r) }),
                };
                props.insert(key!("fixed_ips"), json!([fixed]));
            }
            if let Some(r) = v.secgroup.and_then(|g| secgroup_res(p, g)) {
                props.insert(key!("security_groups"), json!([get_resource(&r)]));
            }
            props.insert(key!("tags"), json!(p.tags()));
            res.insert(port_res(v), json!({ "type": "OS::Neutron::Port", "properties": props }));
            if v.floating_ip {
                res.insert(floating_ip_res(v), floating_ip(p, v, net));
            }
        }
        res.insert(server_res(v), server(p, v));
        for d in &v.volumes {
            let mut props = Map::new();
            props.insert(key!("name"), Value::from(d.name.clone()));
            props.insert(key!("size"), Value::from(d.size_gib));
            if let Some(vt) = &d.volume_type {
                props.insert(key!("volume_type"), volume_type(p, vt));
            }
            props.insert(key!("metadata"), labels(p));
            res.insert(volume_res(d), json!({ "type": "OS::Cinder::Volume", "properties": props }));
            res.insert(
                attachment_res(d),
                json!({
                    "type": "OS::Cinder::VolumeAttachment",
                    "properties": {
                        "instance_uuid": get_resource(&server_res(v)),
                        "volume_id": get_resource(&volume_res(d)),
                    },
                }),
            );
        }
    }
}

fn outputs(p: &Plan) -> Map {
    let mut out = Map::new();
    for v in p.vms.iter().filter(|v| v.network.is_some()) {
        out.insert(
            format!("{}_address", v.ident),
            json!({
                "description": format!("First fixed IP address of server {}", v.name),
                "value": { "get_attr": [port_res(v), "fixed_ips", 0, "ip_address"] },
            }),
        );
        if v.floating_ip {
            out.insert(
                format!("{}_public_address", v.ident),
                json!({
                    "description": format!("Floating IP address of server {}", v.name),
                    "value": { "get_attr": [floating_ip_res(v), "floating_ip_address"] },
                }),
            );
        }
    }
    out
}

/// The whole template as a document.
pub(crate) fn template(p: &Plan) -> Value {
    let mut doc = Map::new();
    doc.insert(key!("heat_template_version"), json!("2021-04-16"));
    let contents = if p.needs_external_network() {
        "networks, routers, security groups, server groups, servers, volumes and floating IPs"
    } else {
        "networks, security groups, server groups, servers and volumes"
    };
    doc.insert(
        "description",
        Value::from(format!(
            "OpenStack cloud {} at site {} of topology {}: {contents} (generated by hybridc)",
            p.cluster, p.site, p.topology
        )),
    );
    let params = parameters(p);
    if !params.is_empty() {
        doc.insert(key!("parameters"), Value::Object(params));
    }
    let mut res = Map::new();
    network_resources(p, &mut res);
    volume_type_resources(p, &mut res);
    compute_resources(p, &mut res);
    doc.insert(key!("resources"), Value::Object(res));
    let outs = outputs(p);
    if !outs.is_empty() {
        doc.insert(key!("outputs"), Value::Object(outs));
    }
    Value::Object(doc)
}
