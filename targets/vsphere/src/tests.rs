//! Tests over whole clusters: a small topology built directly from the
//! model structs (the target cannot depend on the compiler), emitted and
//! inspected file by file.

use super::*;
use hybrid_model::{
    Bytes, Capacity, ClusterKind, Disk, Frequency, IsolationResponse, Percent, Priority, Replication, ReplicationMode,
    Reserve, Site, SiteId, Span, Spanned, Storage, StorageKind, Vsan, VsphereHa, WorkloadKind,
};
use std::time::Duration;

const GI: u64 = 1024 * 1024 * 1024;

fn sp<T>(v: T) -> Spanned<T> {
    Spanned::new(v, Span::default())
}

fn vm(name: &str, image: &str, cluster: u32) -> Workload {
    Workload {
        name: name.into(),
        span: Span::default(),
        critical: false,
        profiles: vec![],
        kind: WorkloadKind::Vm(Box::new(Vm {
            address: None,
            mesh: None,
            placement: sp(ClusterId(cluster)),
            image: sp(image.into()),
            cpu: sp(4),
            memory: sp(Bytes(16 * GI)),
            disks: vec![],
            network: None,
            nics: vec![],
            ports: vec![],
            ha: None,
            fault_tolerance: None,
            reserve: None,
            numa_pinned: false,
            numa_hugepages: None,
            gpu: None,
            anti_affinity: None,
            allow_from: vec![],
        })),
    }
}

fn vm_mut(w: &mut Workload) -> &mut Vm {
    match &mut w.kind {
        WorkloadKind::Vm(v) => v,
        _ => unreachable!(),
    }
}

fn disk(name: &str, gib: u64, vsan: Option<u32>, boot: bool) -> Disk {
    Disk {
        name: name.into(),
        span: Span::default(),
        size: Bytes(gib * GI),
        storage_ref: None,
        storage: vsan.map(|s| DiskStorage::Vsan(StorageId(s))),
        boot,
    }
}

/// Two sites, one vSphere cluster each with one vSAN, one network each.
fn topology(datacenter: &str) -> Topology {
    let mut t = Topology { name: "trading".into(), ..Topology::default() };
    for (i, (site, cluster)) in [("dc-1", "trade-1"), ("dc-2", "trade-2")].iter().enumerate() {
        let idx = u32::try_from(i).unwrap();
        t.sites.push(Site {
            name: site.to_string(),
            span: Span::default(),
            region: "eu".into(),
            kind: None,
            provider: None,
            networks: vec![NetworkId(idx)],
            clusters: vec![ClusterId(idx)],
            storage: vec![StorageId(idx)],
        });
        t.networks.push(Network {
            name: "trading".into(),
            span: Span::default(),
            site: SiteId(idx),
            cidr: sp("10.30.0.0/20".parse().unwrap()),
            vlan: Some(sp(301)),
            zone: None,
        });
        t.storage.push(Storage {
            name: "trade-vsan".into(),
            span: Span::default(),
            site: SiteId(idx),
            kind: StorageKind::Vsan(Vsan {
                cluster: ClusterId(idx),
                dedup: true,
                compression: true,
                efficiency_span: None,
                all_flash: true,
                datastore: "vsanDatastore".into(),
                encrypted: false,
                encrypted_in_transit: false,
            }),
        });
        t.clusters.push(Cluster {
            name: cluster.to_string(),
            span: Span::default(),
            site: SiteId(idx),
            kind: ClusterKind::VSphere(VSphere {
                version: "8.0".into(),
                datacenter: datacenter.into(),
                hosts: Some(Capacity {
                    span: Span::default(),
                    count: 4,
                    cpu: hybrid_model::MilliCpu(48_000),
                    memory: Bytes(1024 * GI),
                }),
                host_clock: Some(sp(Frequency(3_000_000_000))),
                vmotion: None,
                ha: Some(VsphereHa {
                    span: Span::default(),
                    restart_priority: Some(Priority::High),
                    isolation_response: Some(IsolationResponse::PowerOff),
                    admission_reserve: Some(sp(Percent(25.0))),
                }),
                drs: Some(hybrid_model::DrsAutomation::FullyAutomated),
                networks: vec![NetworkId(idx)],
                vsans: vec![StorageId(idx)],
                nsx: None,
            }),
        });
    }
    t
}

fn emit(t: &Topology) -> OutputTree {
    let mut out = OutputTree::new();
    VSphereTarget.emit(t, &EmitOptions::default(), &mut out);
    out
}

fn file<'a>(out: &'a OutputTree, path: &str) -> &'a str {
    std::str::from_utf8(out.get(path).unwrap_or_else(|| panic!("no {path}"))).unwrap()
}

#[test]
fn strings_cannot_inject_hcl() {
    let evil = r#"dc"x\y${a}%{b}"#;
    let mut t = topology(evil);
    t.labels.push(("team".into(), r#"q"\${x}%{y}"#.into()));
    let mut w = vm("db", r#"tpl"\${img}%{if}"#, 0);
    vm_mut(&mut w).disks.push(disk("root", 10, Some(0), true));
    t.workloads.push(w);
    let out = emit(&t);

    let cluster = file(&out, "dc-1/trade-1/vsphere/cluster.tf");
    assert!(cluster.contains(r#"name = "dc\"x\\y$${a}%%{b}""#), "{cluster}");
    let vars = file(&out, "dc-1/trade-1/vsphere/variables.tf");
    assert!(vars.contains(r#"default     = "tpl\"\\$${img}%%{if}""#), "{vars}");
    let vms = file(&out, "dc-1/trade-1/vsphere/vms.tf");
    assert!(vms.contains(r#"team=q\"\\$${x}%%{y}"#), "{vms}");
    for (path, bytes) in out.files() {
        let text = std::str::from_utf8(bytes).unwrap();
        if path.ends_with(".tf") {
            let unescaped = text.replace("$${", "").replace("%%{", "");
            assert!(!unescaped.contains("${") && !unescaped.contains("%{"), "{path}: {text}");
        }
    }
}

#[test]
fn cluster_network_and_vms() {
    let mut t = topology("LD4-Trading");
    let mut a = vm("orders-db-a", "templates/postgres:16.4", 0);
    let v = vm_mut(&mut a);
    v.disks = vec![disk("data", 4096, Some(0), false), disk("root", 100, Some(0), true)];
    v.reserve =
        Some(Reserve { span: Span::default(), cpu: Some(Percent(50.0)), cpu_span: None, memory: Some(Percent(100.0)) });
    v.ha = Some(Spanned::new(Priority::Medium, Span::default()));
    v.anti_affinity = Some("orders-db".into());
    let mut b = vm("orders-db-b", "templates/postgres:16.4", 0);
    vm_mut(&mut b).anti_affinity = Some("orders-db".into());
    t.workloads.extend([a, b]);
    let out = emit(&t);
    let dir = "dc-1/trade-1/vsphere";

    let cluster = file(&out, &format!("{dir}/cluster.tf"));
    for want in [
        "ha_vm_restart_priority                                = \"high\"",
        "ha_host_isolation_response                            = \"powerOff\"",
        "ha_admission_control_policy                           = \"resourcePercentage\"",
        "ha_admission_control_resource_percentage_auto_compute = false",
        "ha_admission_control_resource_percentage_cpu          = 25",
        "drs_automation_level = \"fullyAutomated\"",
        "vsan_dedup_enabled       = true",
        "host_system_ids = data.vsphere_host.hosts[*].id",
    ] {
        assert!(cluster.contains(want), "missing {want}:\n{cluster}");
    }
    let network = file(&out, &format!("{dir}/network.tf"));
    assert!(network.contains("vlan_id                         = 301"), "{network}");
    assert!(network.contains("\"trade-1-trading\""), "{network}");

    let vms = file(&out, &format!("{dir}/vms.tf"));
    // 4 vCPUs × 3000 MHz × 50%.
    assert!(vms.contains("cpu_reservation    = 6000"), "{vms}");
    // The vSAN datastore by the name vSAN gives it, not the vsan's.
    assert!(vms.contains("name          = \"vsanDatastore\""), "{vms}");
    assert!(vms.contains("memory_reservation = 16384"), "{vms}");
    // The boot disk first, unit numbers in order.
    let root = vms.find("label            = \"root\"").unwrap();
    let data = vms.find("\"data\"").unwrap();
    assert!(root < data, "{vms}");
    assert!(vms.contains("unit_number = 1"), "{vms}");
    // orders-db-b has no disk: the template's is its boot disk.
    assert!(
        vms.contains("size             = data.vsphere_virtual_machine.template_postgres_16_4.disks[0].size"),
        "{vms}"
    );
    // One template for both vms.
    assert_eq!(vms.matches("data \"vsphere_virtual_machine\"").count(), 1);

    let rules = file(&out, &format!("{dir}/rules.tf"));
    assert!(rules.contains(
        "virtual_machine_ids = [vsphere_virtual_machine.orders_db_a.id, vsphere_virtual_machine.orders_db_b.id]"
    ));
    assert!(rules.contains("resource \"vsphere_ha_vm_override\" \"orders_db_a\""));
    assert!(!rules.contains("\"orders_db_b\""));

    // Nothing for the README to say; trade-2 has no vms: no vms.tf, no rules.tf.
    assert!(out.get(&format!("{dir}/README.md")).is_none());
    assert!(out.get("dc-2/trade-2/vsphere/vms.tf").is_none());
    assert!(out.get("dc-2/trade-2/vsphere/rules.tf").is_none());
    assert!(out.get("dc-2/trade-2/vsphere/versions.tf").is_some());
    assert_eq!(emit(&t), out, "deterministic");
}

#[test]
fn readme_for_fault_tolerance_and_replication() {
    let mut t = topology("LD4-Trading");
    let mut a = vm("matching-engine-a", "templates/me:7", 0);
    vm_mut(&mut a).fault_tolerance = Some(sp(true));
    vm_mut(&mut a).disks.push(disk("root", 100, Some(0), true));
    t.workloads.push(a);
    t.replications.push(Replication {
        name: "orders-to-dc-2".into(),
        span: Span::default(),
        from: sp(StorageId(0)),
        to: sp(StorageId(1)),
        mode: sp(ReplicationMode::Sync),
        rpo: sp(Duration::ZERO),
        rto: Some(sp(Duration::from_secs(300))),
    });
    let out = emit(&t);
    let src = file(&out, "dc-1/trade-1/vsphere/README.md");
    assert!(src.contains("## Fault Tolerance"), "{src}");
    assert!(src.contains("### `matching-engine-a`"), "{src}");
    assert!(src.contains("### `orders-to-dc-2` (this cluster is the source)"), "{src}");
    // vSphere Replication is asynchronous: the README says the RPO it delivers.
    assert!(src.contains("| RPO | 5m delivered (0s promised, below what vSphere Replication can keep) |"), "{src}");
    assert!(src.contains("| RTO | 5m |") && src.contains("RPO: 5m;"), "{src}");
    assert!(src.contains("| `matching-engine-a` | 100 GiB | `trade-2-trading` |"), "{src}");
    assert!(src.contains("**Mode sync.**"), "{src}");
    let dst = file(&out, "dc-2/trade-2/vsphere/README.md");
    assert!(dst.contains("(this cluster is the target)"), "{dst}");
    assert!(!dst.contains("## Fault Tolerance"), "{dst}");
    assert!(dst.contains("Keep at least 100 GiB free"), "{dst}");
    let vms = file(&out, "dc-1/trade-1/vsphere/vms.tf");
    assert!(vms.contains("ignore_changes = [memory_reservation]"), "{vms}");
}

#[test]
fn vmotion_adapters_on_every_host() {
    let mut t = topology("LD4-Trading");
    t.networks.push(Network {
        name: "vmotion".into(),
        span: Span::default(),
        site: SiteId(0),
        cidr: sp("10.30.36.0/24".parse().unwrap()),
        vlan: Some(sp(311)),
        zone: None,
    });
    if let ClusterKind::VSphere(vs) = &mut t.clusters[0].kind {
        vs.vmotion = Some(sp(NetworkId(2)));
    }
    let out = emit(&t);
    let network = file(&out, "dc-1/trade-1/vsphere/network.tf");
    for want in [
        "resource \"vsphere_distributed_port_group\" \"vmotion\"",
        "resource \"vsphere_vnic\" \"vmotion\"",
        "count                   = length(var.esxi_hosts)",
        "host                    = data.vsphere_host.hosts[count.index].id",
        "distributed_port_group  = vsphere_distributed_port_group.vmotion.id",
        "ip      = var.vmotion_addresses[count.index]",
        "netmask = \"255.255.255.0\"",
        "netstack = \"vmotion\"",
    ] {
        assert!(network.contains(want), "missing {want}:\n{network}");
    }
    let vars = file(&out, "dc-1/trade-1/vsphere/variables.tf");
    assert!(vars.contains("variable \"vmotion_addresses\""), "{vars}");
    // The other cluster has no vMotion network: no adapters.
    assert!(!file(&out, "dc-2/trade-2/vsphere/network.tf").contains("vsphere_vnic"));
}

#[test]
fn no_cpu_reservation_without_the_hosts_clock() {
    let mut t = topology("LD4-Trading");
    if let ClusterKind::VSphere(vs) = &mut t.clusters[0].kind {
        vs.host_clock = None;
    }
    let mut a = vm("orders-db-a", "templates/postgres:16.4", 0);
    vm_mut(&mut a).reserve =
        Some(Reserve { span: Span::default(), cpu: Some(Percent(50.0)), cpu_span: None, memory: Some(Percent(100.0)) });
    t.workloads.push(a);
    let out = emit(&t);
    let vms = file(&out, "dc-1/trade-1/vsphere/vms.tf");
    assert!(!vms.contains("cpu_reservation"), "{vms}");
    assert!(vms.contains("memory_reservation"), "{vms}");
}
