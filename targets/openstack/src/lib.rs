//! The OpenStack target: for every `openstack` cluster, the stack that
//! creates the networks the cloud provides and the vms placed on it, as a
//! Heat template (`SITE/CLUSTER/heat/stack.yaml`) and/or a Terraform
//! configuration (`SITE/CLUSTER/terraform/*.tf`), as `EmitOptions.openstack`
//! asks (`heat`, `terraform`; empty = both).
//!
//! [`plan`] lowers a cluster once; [`heat`] and [`terraform`] only render
//! that plan, so both formats always describe the same resources. Nothing
//! secret is written: the key pair (and the VLAN physical network and the
//! external network) are inputs, images are inputs whose default is the
//! program's image name, and the Terraform provider reads its credentials
//! from the environment. A vm's `address` is its port's fixed IP; a DNS
//! name instead is a record the cluster's prerequisites list. What the
//! stack names but does not create — those inputs, and the flavors — goes
//! to the cluster's prerequisites too; the Ceph pool behind a volume type,
//! when no Rook runs its site's Ceph, gets its mirroring steps there
//! (`emit::ceph`).
//!
//! Data protection ([`protection`]): a volume type whose ceph pool is
//! replicated is created by the stack with Cinder's replication extra spec;
//! what OpenStack cannot declare — the backend's `replication_device`, the
//! failover, the backups of vms — is written as the cluster's runbook
//! (`SITE/CLUSTER/RUNBOOK.md`, [`runbook`]) and its prerequisites.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

mod heat;
mod plan;
mod protection;
mod runbook;
mod terraform;

use hybrid_emit::prerequisites::Prerequisites;
use hybrid_emit::{cluster_dir, yaml, EmitOptions, OutputTree, Target};
use hybrid_model::{Address, ClusterId, Topology};

/// The openstack target.
#[derive(Debug, Default, Clone, Copy)]
pub struct OpenStackTarget;

/// Which formats the options ask for: `(heat, terraform)`.
fn formats(opts: &EmitOptions) -> (bool, bool) {
    let all = opts.openstack.is_empty() || opts.openstack.iter().any(|f| f == "both");
    let has = |f: &str| all || opts.openstack.iter().any(|o| o == f);
    (has("heat"), has("terraform"))
}

impl Target for OpenStackTarget {
    fn name(&self) -> &'static str {
        "openstack"
    }

    fn emit(&self, t: &Topology, opts: &EmitOptions, out: &mut OutputTree) {
        // Ceph mirroring of the pools behind volume types whose site runs
        // no Rook: the steps, in the clouds' folders.
        hybrid_emit::ceph::require_by_hand(t, out, |id| t.cluster(id).openstack().is_some());
        let (want_heat, want_terraform) = formats(opts);
        for id in t.cluster_ids() {
            let c = t.cluster(id);
            let Some(os) = c.openstack() else { continue };
            let dir = cluster_dir(t, id);
            let p = plan::plan(t, id, os);
            if want_heat {
                out.add(format!("{dir}/heat/stack.yaml"), yaml::document(&heat::template(&p)));
            }
            if want_terraform {
                for (name, blocks) in terraform::files(&p) {
                    out.add_hcl(format!("{dir}/terraform/{name}"), "", blocks);
                }
            }
            if let Some(text) = runbook::render(t, id, &p) {
                out.add(format!("{dir}/{}", runbook::FILE), text);
            }
            prerequisites(&p, want_heat, want_terraform, out.require(&dir));
            runbook::prerequisites(t, id, &p, out.require(&dir));
            runbook::encryption_prerequisites(&p, want_terraform, out.require(&dir));
            hybrid_emit::platform::openstack(t, id, os, out.require(&dir));
            address_records(t, id, out);
        }
    }
}

/// The extra specs a vm's `numa` needs of its flavor, which the stack names
/// but does not create: set on the flavor before the server is booted
/// (every server of the flavor gets them).
fn flavor_specs(v: &plan::VmPlan, req: &mut Prerequisites) {
    if v.flavor_specs.is_empty() {
        return;
    }
    let (title, flavor) = match &v.flavor {
        Some(f) => (format!("Extra specs of Nova flavor `{f}`"), f.clone()),
        None => (format!("Extra specs of the Nova flavor given to input `{}`", plan::FLAVOR), "FLAVOR".to_string()),
    };
    let props: Vec<String> = v.flavor_specs.iter().map(|(k, val)| format!("--property {k}={val}")).collect();
    let mut steps = vec![format!("for `numa` of vm {}: `openstack flavor set {flavor} {}`", v.name, props.join(" "))];
    if let Some((_, size)) = v.flavor_specs.iter().find(|(k, _)| *k == "hw:mem_page_size") {
        steps.push(format!("reserve huge pages of {size} on the compute hosts the flavor's servers may run on"));
    }
    req.procedure(title, steps);
}

/// The DNS record of each vm of the cloud whose `address` is a DNS name:
/// the stack gives the server its fixed IP, the name must resolve to it.
fn address_records(t: &Topology, id: ClusterId, out: &mut OutputTree) {
    for w in &t.workloads {
        let Some(v) = w.vm().filter(|v| v.placement.value == id) else { continue };
        if let Some(Address::Name(name)) = v.address.as_ref().map(|a| &a.value) {
            out.require(&cluster_dir(t, id)).dns(
                name,
                format!("the fixed IP of server {} (the stack's output {}_address)", w.name, plan::ident(&w.name)),
                format!("vm {} (its address)", w.name),
            );
        }
    }
}

/// What the stack names but does not create: the key pair, the flavors,
/// the images, the external network of floating IPs and the physical
/// network of VLAN segments, each with the inputs of the formats written.
fn prerequisites(p: &plan::Plan, heat: bool, terraform: bool, req: &mut Prerequisites) {
    let inputs = |heat_name: &'static str, terraform_name: &'static str| -> Vec<&'static str> {
        [(heat, heat_name), (terraform, terraform_name)].into_iter().filter(|(on, _)| *on).map(|(_, n)| n).collect()
    };
    for v in &p.vms {
        let why = format!("vm {}", v.name);
        req.cloud_resource("Nova key pair", "", &inputs(heat::KEY_NAME, terraform::KEY_PAIR), why.clone());
        match &v.flavor {
            Some(f) => req.cloud_resource("Nova flavor", f.clone(), &[], why.clone()),
            None => req.cloud_resource("Nova flavor", "", &[plan::FLAVOR], why.clone()),
        };
        flavor_specs(v, req);
        if let Some(img) = p.images.get(v.image) {
            req.cloud_resource("Glance image", img.image.clone(), &[img.param.as_str()], why.clone());
        }
        if v.floating_ip {
            req.cloud_resource(
                "Neutron external network",
                "",
                &[plan::EXTERNAL_NETWORK],
                format!("floating IP of {why}"),
            );
        }
    }
    for n in p.networks.iter().filter(|n| n.vlan.is_some()) {
        req.cloud_resource(
            "Neutron physical network (VLAN)",
            plan::DEFAULT_PHYSICAL_NETWORK,
            &[plan::PHYSICAL_NETWORK],
            format!("network {}", n.name),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hybrid_model::*;

    fn opts(f: &[&str]) -> EmitOptions {
        EmitOptions { openstack: f.iter().map(|s| s.to_string()).collect() }
    }

    #[test]
    fn empty_options_mean_both() {
        assert_eq!(formats(&opts(&[])), (true, true));
        assert_eq!(formats(&opts(&["heat"])), (true, false));
        assert_eq!(formats(&opts(&["terraform"])), (false, true));
        assert_eq!(formats(&opts(&["heat", "terraform"])), (true, true));
    }

    /// One site, one VLAN network, one cloud, one vm whose image and
    /// disk name carry HCL metacharacters.
    fn topology(image: &str) -> Topology {
        let sp = Span::default();
        let cidr: IpNet = "10.0.0.0/24".parse().unwrap_or(IpNet::V4(Default::default()));
        Topology {
            name: "demo".into(),
            sites: vec![Site {
                name: "dc".into(),
                span: sp,
                region: "r".into(),
                kind: None,
                provider: None,
                networks: vec![NetworkId(0)],
                clusters: vec![ClusterId(0)],
                storage: vec![],
            }],
            networks: vec![Network {
                name: "prod".into(),
                span: sp,
                site: SiteId(0),
                cidr: Spanned::new(cidr, sp),
                vlan: Some(Spanned::new(100, sp)),
                zone: Some("dmz \"x\"".into()),
            }],
            clusters: vec![Cluster {
                name: "cloud".into(),
                span: sp,
                site: SiteId(0),
                kind: ClusterKind::OpenStack(OpenStack {
                    release: "2024.1".into(),
                    controllers: 3,
                    compute: None,
                    flavors: vec![Flavor {
                        name: "m1".into(),
                        span: sp,
                        cpu: MilliCpu(2000),
                        memory: Bytes(4 << 30),
                        disk: Bytes(40 << 30),
                    }],
                    networks: vec![NetworkId(0)],
                    volume_types: vec![VolumeType { name: "ssd".into(), span: sp, backend: None, encrypted: false }],
                }),
            }],
            workloads: vec![Workload {
                name: "web".into(),
                span: sp,
                critical: false,
                profiles: vec![],
                kind: WorkloadKind::Vm(Box::new(Vm {
                    placement: Spanned::new(ClusterId(0), sp),
                    address: None,
                    mesh: None,
                    image: Spanned::new(image.to_string(), sp),
                    cpu: Spanned::new(2, sp),
                    memory: Spanned::new(Bytes(4 << 30), sp),
                    disks: vec![Disk {
                        name: "data".into(),
                        span: sp,
                        size: Bytes(10 << 30),
                        storage_ref: None,
                        storage: Some(DiskStorage::VolumeType(ClusterId(0), "ssd".into())),
                        boot: false,
                    }],
                    network: None,
                    nics: vec![],
                    ports: vec![Port {
                        span: sp,
                        number: 443,
                        protocol: Protocol::Http,
                        name: None,
                        service_port: None,
                        public: None,
                    }],
                    ha: None,
                    fault_tolerance: None,
                    reserve: None,
                    numa_pinned: false,
                    numa_hugepages: None,
                    gpu: None,
                    anti_affinity: Some("front".into()),
                    allow_from: vec![],
                })),
            }],
            ..Topology::default()
        }
    }

    #[test]
    fn program_strings_cannot_inject_hcl() {
        let t = topology(r#"img"x\y${a}%{b}"#);
        let mut out = OutputTree::new();
        OpenStackTarget.emit(&t, &opts(&["terraform"]), &mut out);
        let vars = String::from_utf8_lossy(out.get("dc/cloud/terraform/variables.tf").unwrap_or_default()).to_string();
        assert!(vars.contains(r#"default     = "img\"x\\y$${a}%%{b}""#), "{vars}");
        assert!(vars.contains(r#"variable "image_img_x_y_a_b""#), "{vars}");
        let net = String::from_utf8_lossy(out.get("dc/cloud/terraform/network.tf").unwrap_or_default()).to_string();
        assert!(net.contains(r#"description = "Ingress to vm web in zone dmz \"x\" (managed by hybridc)""#), "{net}");
        assert!(net.contains(r#"resource "openstack_networking_secgroup_v2" "web""#), "{net}");
        assert!(out.get("dc/cloud/heat/stack.yaml").is_none());
    }

    #[test]
    fn a_vm_no_flavor_covers_reads_a_flavor_input() {
        let mut t = topology("img");
        if let Some(WorkloadKind::Vm(v)) = t.workloads.first_mut().map(|w| &mut w.kind) {
            v.cpu.value = 64;
        }
        let mut out = OutputTree::new();
        OpenStackTarget.emit(&t, &opts(&[]), &mut out);
        let heat = String::from_utf8_lossy(out.get("dc/cloud/heat/stack.yaml").unwrap_or_default()).to_string();
        assert!(heat.contains("  flavor:\n    type: string"), "{heat}");
        assert!(heat.contains("flavor:\n        get_param: flavor"), "{heat}");
        let compute = String::from_utf8_lossy(out.get("dc/cloud/terraform/compute.tf").unwrap_or_default()).to_string();
        assert!(compute.contains("flavor_name = var.flavor"), "{compute}");
        let vars = String::from_utf8_lossy(out.get("dc/cloud/terraform/variables.tf").unwrap_or_default()).to_string();
        assert!(vars.contains("variable \"flavor\""), "{vars}");
    }

    #[test]
    fn emits_every_file_of_a_cloud() {
        let t = topology("ubuntu-24.04");
        let mut out = OutputTree::new();
        OpenStackTarget.emit(&t, &opts(&[]), &mut out);
        let paths: Vec<&str> = out.files().map(|(p, _)| p).collect();
        assert_eq!(
            paths,
            [
                "dc/cloud/heat/stack.yaml",
                "dc/cloud/terraform/compute.tf",
                "dc/cloud/terraform/network.tf",
                "dc/cloud/terraform/outputs.tf",
                "dc/cloud/terraform/storage.tf",
                "dc/cloud/terraform/variables.tf",
                "dc/cloud/terraform/versions.tf",
            ]
        );
        let heat = String::from_utf8_lossy(out.get("dc/cloud/heat/stack.yaml").unwrap_or_default()).to_string();
        assert!(heat.contains("type: OS::Neutron::ProviderNet"), "{heat}");
        assert!(heat.contains("flavor: m1"), "{heat}");
        assert!(heat.contains("volume_type: ssd"), "{heat}");
        let compute = String::from_utf8_lossy(out.get("dc/cloud/terraform/compute.tf").unwrap_or_default()).to_string();
        assert!(compute.contains("group = openstack_compute_servergroup_v2.front.id"), "{compute}");
    }

    /// The vm of [`topology`], mutably.
    fn vm(t: &mut Topology, i: usize) -> &mut Vm {
        match t.workloads.get_mut(i).map(|w| &mut w.kind) {
            Some(WorkloadKind::Vm(v)) => v,
            _ => panic!("no vm {i}"),
        }
    }

    /// The Heat template and `network.tf` of the cloud.
    fn render(t: &Topology) -> (String, String) {
        let mut out = OutputTree::new();
        OpenStackTarget.emit(t, &opts(&[]), &mut out);
        let read = |p: &str| String::from_utf8_lossy(out.get(p).unwrap_or_default()).to_string();
        (read("dc/cloud/heat/stack.yaml"), read("dc/cloud/terraform/network.tf"))
    }

    #[test]
    fn a_port_without_allow_from_admits_its_own_network_not_the_internet() {
        let (heat, net) = render(&topology("img"));
        assert!(heat.contains("remote_ip_prefix: '10.0.0.0/24'"), "{heat}");
        assert!(net.contains(r#"remote_ip_prefix  = "10.0.0.0/24""#), "{net}");
        for text in [&heat, &net] {
            assert!(
                !text.contains("0.0.0.0/0") && !text.contains("FloatingIP") && !text.contains("floatingip"),
                "{text}"
            );
        }
    }

    #[test]
    fn a_public_port_is_published_by_a_floating_ip_through_a_router() {
        let mut t = topology("img");
        if let Some(p) = vm(&mut t, 0).ports.first_mut() {
            p.public = Some(Span::default());
        }
        let (heat, net) = render(&t);
        for needle in [
            "  external_network:\n    type: string",
            "type: OS::Neutron::Router",
            "type: OS::Neutron::RouterInterface",
            "type: OS::Neutron::FloatingIP",
            "port_id:\n        get_resource: port_web",
            "remote_ip_prefix: '0.0.0.0/0'",
            "web_public_address",
        ] {
            assert!(heat.contains(needle), "{needle}: {heat}");
        }
        for needle in [
            r#"data "openstack_networking_network_v2" "external""#,
            r#"resource "openstack_networking_router_v2" "prod""#,
            r#"resource "openstack_networking_router_interface_v2" "prod""#,
            r#"resource "openstack_networking_floatingip_v2" "web""#,
            "port_id     = openstack_networking_port_v2.web.id",
            "depends_on  = [openstack_networking_router_interface_v2.prod]",
            r#"remote_ip_prefix  = "0.0.0.0/0""#,
        ] {
            assert!(net.contains(needle), "{needle}: {net}");
        }
        let mut out = OutputTree::new();
        OpenStackTarget.emit(&t, &opts(&[]), &mut out);
        let pre = out.prerequisites("dc/cloud").map(|p| p.to_markdown("dc/cloud")).unwrap_or_default();
        assert!(pre.contains("| Neutron external network | chosen when applying | `external_network` |"), "{pre}");
    }

    /// Two vms of the cloud that admit each other: each rule names the
    /// other's group, and the rules are resources of their own, so the
    /// groups do not depend on each other (Heat refuses a cycle).
    #[test]
    fn vms_of_the_cloud_admit_each_other_by_security_group() {
        let mut t = topology("img");
        let mut db = t.workloads.first().cloned().unwrap_or_else(|| panic!("no vm"));
        db.name = "db".into();
        t.workloads.push(db);
        vm(&mut t, 0).allow_from = vec![Spanned::new(WorkloadId(1), Span::default())];
        vm(&mut t, 1).allow_from = vec![Spanned::new(WorkloadId(0), Span::default())];
        let (heat, net) = render(&t);
        assert!(heat.contains("remote_group:\n        get_resource: secgroup_db"), "{heat}");
        assert!(heat.contains("remote_group:\n        get_resource: secgroup_web"), "{heat}");
        assert!(!heat.contains("rules:"), "{heat}");
        assert!(net.contains("remote_group_id   = openstack_networking_secgroup_v2.db.id"), "{net}");
        assert!(net.contains("remote_group_id   = openstack_networking_secgroup_v2.web.id"), "{net}");
        assert!(!heat.contains("remote_ip_prefix") && !net.contains("remote_ip_prefix"), "{heat}{net}");
    }
}
