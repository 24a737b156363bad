//! The front end's semantics on small in-memory programs: imports, folder
//! programs, profiles, references, defaults and typed values.

use hybrid_core::{compile, Compilation, MemoryFs};
use hybrid_model::{Bytes, DiskStorage, Framework, GpuSharing, MilliCpu, PlacementMode, StorageKind};

const TOP: &str = "topology t { owner team }\n";

fn run(fs: &MemoryFs, entry: &str) -> Compilation {
    compile(entry.as_ref(), fs).unwrap()
}

/// The codes of the errors (the failure analysis may add warnings to a
/// small program; these tests are about the front end).
fn codes(c: &Compilation) -> Vec<&'static str> {
    c.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.code.id).collect()
}

const SITE: &str = r#"
site dc-a region=r1 {
  network prod cidr="10.10.0.0/16" vlan=110
  kubernetes k1 version="1.31" {
    network prod
    pool general nodes=6 cpu=8 memory="32Gi"
    storage-class fast backend=ceph-rbd pool=ssd default=#true
  }
  ceph ssd nodes=3 media=ssd
}
"#;

#[test]
fn imports_are_relative_and_included_once() {
    let fs = MemoryFs::new()
        .with("infra/main.hybrid", format!("import \"./net.hybrid\"\nimport \"./sub/../net.hybrid\"\n{TOP}"))
        .with("infra/net.hybrid", SITE);
    let c = run(&fs, "infra/main.hybrid");
    assert_eq!(codes(&c), Vec::<&str>::new());
    assert_eq!(c.sources.len(), 2, "net.hybrid is read once");
    assert_eq!(c.topology.unwrap().sites.len(), 1);
}

#[test]
fn an_import_cycle_is_harmless() {
    let fs = MemoryFs::new()
        .with("a.hybrid", format!("import \"./b.hybrid\"\n{TOP}"))
        .with("b.hybrid", format!("import \"./a.hybrid\"\n{SITE}"));
    let c = run(&fs, "a.hybrid");
    assert_eq!(codes(&c), Vec::<&str>::new());
}

#[test]
fn a_missing_import_points_at_the_string() {
    let fs = MemoryFs::new().with("a.hybrid", format!("import \"./nope.hybrid\"\n{TOP}"));
    let c = run(&fs, "a.hybrid");
    assert_eq!(codes(&c), vec!["HY0015"]);
    let span = c.diagnostics[0].span();
    assert_eq!(c.sources.slice(span), "\"./nope.hybrid\"");
}

#[test]
fn folder_programs_do_not_depend_on_discovery_order() {
    let service = "service api { placement k1\n image \"registry.example.com/api:1.0\" }\n";
    let a = MemoryFs::new().with("p/a.hybrid", TOP).with("p/b.hybrid", SITE).with("p/c.hybrid", service);
    let b = MemoryFs::new().with("p/c.hybrid", service).with("p/b.hybrid", SITE).with("p/a.hybrid", TOP);
    let ca = run(&a, "p");
    let cb = run(&b, "p");
    assert_eq!(format!("{:?}", ca.topology), format!("{:?}", cb.topology));
    let names: Vec<&str> = ca.sources.files().map(|(_, f)| f.name.as_str()).collect();
    assert_eq!(names, vec!["p/a.hybrid", "p/b.hybrid", "p/c.hybrid"]);
}

#[test]
fn profile_values_are_overridden_by_the_workload() {
    let program = format!(
        "import \"std/profiles\"\n{TOP}{SITE}
profile web {{
  use ha-critical
  port 8080 protocol=http
  env LOG_LEVEL info
}}
service api {{
  use web
  placement k1
  image \"registry.example.com/api:1.0\"
  replicas 5
  port 8080 protocol=grpc
  port 9090
  env LOG_LEVEL debug
}}
"
    );
    let c = run(&MemoryFs::new().with("a.hybrid", program), "a.hybrid");
    assert_eq!(codes(&c), Vec::<&str>::new());
    let t = c.topology.unwrap();
    let w = &t.workloads[0];
    assert_eq!(w.profiles, vec!["web".to_string(), "ha-critical".to_string()]);
    let s = w.service().unwrap();
    assert_eq!(s.replicas.value, 5, "the workload wins over ha-critical's 3");
    assert!(s.spread.as_ref().unwrap().required, "ha-critical's spread is inherited");
    let ports: Vec<(u16, &str)> = s.ports.iter().map(|p| (p.number, p.protocol.as_str())).collect();
    assert_eq!(ports, vec![(8080, "grpc"), (9090, "http")], "ports merge by number");
    assert_eq!(s.env.len(), 1);
    assert_eq!(s.env[0].value, "debug");
}

#[test]
fn a_profile_node_the_kind_does_not_accept_is_reported_with_the_use() {
    let program = format!(
        "{TOP}{SITE}profile p {{ workers 4 }}\nservice api {{ use p\n placement k1\n image \"r.example.com/a:1\" }}\n"
    );
    let c = run(&MemoryFs::new().with("a.hybrid", program), "a.hybrid");
    assert_eq!(codes(&c), vec!["HY0022"]);
    assert_eq!(c.diagnostics[0].labels.len(), 2);
}

#[test]
fn defaults_and_typed_values() {
    let program = format!(
        "import \"std/gpu\"\n{TOP}{SITE}
site dc-b region=r2 {{
  kubernetes k2 version=\"1.31\" {{
    pool gpu nodes=2 cpu=\"96\" memory=\"1Ti\" {{
      gpu nvidia-a100-80gb count=8 sharing=mig profile=\"1g.10gb\"
    }}
  }}
}}
service api {{ placement k1 k2 mode=active-passive\n image \"r.example.com/a:1\"\n resources cpu=\"500m\" memory=\"1.5Gi\" }}
"
    );
    let c = run(&MemoryFs::new().with("a.hybrid", program), "a.hybrid");
    assert_eq!(codes(&c), Vec::<&str>::new());
    let t = c.topology.unwrap();
    let k1 = t.clusters[0].kubernetes().unwrap();
    assert_eq!(k1.control_plane_replicas.value, 3);
    assert_eq!(k1.pod_cidr.value.to_string(), "10.244.0.0/16");
    assert_eq!(k1.service_cidr.value.to_string(), "10.96.0.0/12");
    assert!(k1.mesh.is_none());
    let k2 = t.clusters[1].kubernetes().unwrap();
    let gpu = k2.pools[0].gpu.as_ref().unwrap();
    assert_eq!(gpu.sharing.value, GpuSharing::Mig);
    assert_eq!(t.gpu_model(gpu.model).name, "nvidia-a100-80gb");
    assert_eq!(k2.pools[0].memory, Bytes(1 << 40));
    let s = t.workloads[0].service().unwrap();
    assert_eq!(s.mode, PlacementMode::ActivePassive);
    assert_eq!(s.namespace, "t", "the namespace defaults to the topology name");
    let r = s.resources.as_ref().unwrap();
    assert_eq!(r.cpu, Some(MilliCpu(500)));
    assert_eq!(r.memory, Some(Bytes(1536 << 20)));
    match &t.storage[0].kind {
        StorageKind::Ceph(ceph) => assert_eq!(ceph.replicas, 3),
        other => panic!("{other:?}"),
    }
}

#[test]
fn dotted_bare_and_ambiguous_references() {
    let two_sites = r#"
site dc-a region=r1 { ceph ssd nodes=3 media=ssd }
site dc-b region=r2 { ceph ssd nodes=3 media=ssd }
link dc-a dc-b latency="1ms" bandwidth="10Gbps"
"#;
    let ok = format!("{TOP}{two_sites}replication r from=dc-a.ssd to=dc-b.ssd mode=sync rpo=\"0s\"\n");
    let c = run(&MemoryFs::new().with("a.hybrid", ok), "a.hybrid");
    assert_eq!(codes(&c), Vec::<&str>::new());
    let bad = format!("{TOP}{two_sites}replication r from=ssd to=dc-b.ssd mode=sync rpo=\"0s\"\n");
    let c = run(&MemoryFs::new().with("a.hybrid", bad), "a.hybrid");
    assert_eq!(codes(&c), vec!["HY0013"]);
    assert!(c.diagnostics[0].help.as_deref().unwrap().contains("`dc-a.ssd` or `dc-b.ssd`"));
}

#[test]
fn a_bare_name_searches_the_enclosing_site_first() {
    let program = format!(
        "{TOP}{SITE}site dc-b region=r2 {{\n  ceph ssd nodes=3 media=ssd\n  kubernetes k2 version=\"1.31\" {{ storage-class s backend=ceph-rbd pool=ssd }}\n}}\n"
    );
    let c = run(&MemoryFs::new().with("a.hybrid", program), "a.hybrid");
    assert_eq!(codes(&c), Vec::<&str>::new());
    let t = c.topology.unwrap();
    let k2 = t.clusters[1].kubernetes().unwrap();
    let pool = k2.storage_classes[0].pool.unwrap();
    assert_eq!(t.storage_path(pool), "dc-b.ssd");
}

#[test]
fn vm_disks_resolve_in_their_cluster() {
    let program = format!(
        "{TOP}site s region=r {{\n network n cidr=\"10.0.0.0/24\"\n openstack os release=\"2024.1\" {{\n  network n\n  flavor m1 cpu=4 memory=\"8Gi\" disk=\"40Gi\"\n  volume-type ceph-ssd\n }}\n}}\nvm db {{ placement os\n image \"ubuntu-24.04\"\n cpu 2\n memory \"4Gi\"\n disk data size=\"100Gi\" storage=ceph-ssd }}\n"
    );
    let c = run(&MemoryFs::new().with("a.hybrid", program), "a.hybrid");
    assert_eq!(codes(&c), Vec::<&str>::new());
    let t = c.topology.unwrap();
    let vm = t.workloads[0].vm().unwrap();
    assert!(matches!(&vm.disks[0].storage, Some(DiskStorage::VolumeType(_, n)) if n == "ceph-ssd"));
}

#[test]
fn errors_mean_no_topology() {
    let c = run(&MemoryFs::new().with("a.hybrid", format!("{TOP}site x region=r kind=moon\n")), "a.hybrid");
    assert_eq!(codes(&c), vec!["HY0009"]);
    assert!(c.topology.is_none());
}

#[test]
fn a_folder_without_files_is_a_load_error() {
    let fs = MemoryFs::new().with("p/readme.txt", "x");
    assert!(compile("p".as_ref(), &fs).is_err());
}

/// A service `web` with one more line as written (`probe …`, `resources …`).
fn web_with(probe: &str) -> Compilation {
    let src = format!(
        "{TOP}{SITE}\nservice web {{\n  placement k1\n  image \"registry.example.com/web:1.0\"\n  port 8080\n  {probe}\n}}\n"
    );
    run(&MemoryFs::new().with("p.hybrid", src), "p.hybrid")
}

#[test]
fn probe_timings_are_whole_seconds() {
    use std::time::Duration;
    let c = web_with(r#"probe readiness="/ready" initial-delay="1m" period="5s" timeout="2s" failure-threshold=4"#);
    assert_eq!(codes(&c), Vec::<&str>::new());
    let t = c.topology.unwrap();
    let hybrid_model::WorkloadKind::Service(s) = &t.workloads[0].kind else { panic!("a service") };
    let p = s.probe.as_ref().unwrap();
    assert_eq!(
        (p.initial_delay, p.period, p.timeout, p.failure_threshold),
        (Some(Duration::from_secs(60)), Some(Duration::from_secs(5)), Some(Duration::from_secs(2)), Some(4))
    );
    // Kubernetes counts them in whole seconds: a fraction is the wrong
    // type, a period of none is out of range.
    let c = web_with(r#"probe readiness="/ready" timeout="1.5s""#);
    assert_eq!(codes(&c), vec!["HY0008"]);
    assert!(c.diagnostics[0].message.contains("whole number of seconds"), "{}", c.diagnostics[0].message);
    let c = web_with(r#"probe readiness="/ready" period="0s""#);
    assert_eq!(codes(&c), vec!["HY0023"]);
    let c = web_with(r#"probe readiness="/ready" initial-delay="0s" failure-threshold=0"#);
    assert_eq!(codes(&c), vec!["HY0023"]);
}

#[test]
fn limits_apart_from_requests() {
    let c = web_with(r#"resources cpu="500m" memory="1Gi" cpu-limit=2 memory-limit="1.5Gi""#);
    assert_eq!(codes(&c), Vec::<&str>::new());
    let t = c.topology.unwrap();
    let r = t.workloads[0].service().and_then(|s| s.resources.as_ref()).unwrap();
    assert_eq!(r.cpu_limit.as_ref().map(|l| l.value), Some(MilliCpu(2000)));
    assert_eq!(r.memory_limit.as_ref().map(|l| l.value), Some(Bytes(1536 << 20)));
    // A limit without a request is the request too, as Kubernetes copies it.
    let c = web_with(r#"resources memory-limit="2Gi""#);
    let t = c.topology.unwrap();
    let r = t.workloads[0].service().and_then(|s| s.resources.as_ref()).unwrap();
    assert_eq!((r.memory_request(), r.cpu_request()), (Some(Bytes(2 << 30)), None));
    // Below the request is refused on the limit; a limit is a quantity.
    let c = web_with(r#"resources cpu=2 cpu-limit=1"#);
    assert_eq!(codes(&c), vec!["HY4019"]);
    let c = web_with(r#"resources memory-limit=512"#);
    assert_eq!(codes(&c), vec!["HY0008"]);
}

#[test]
fn service_port_apart_from_the_container_port() {
    let src = format!(
        "{TOP}{SITE}\nservice web {{\n  placement k1\n  image \"registry.example.com/web:1.0\"\n  port 8080 service-port=80\n  port 9090\n}}\n"
    );
    let c = run(&MemoryFs::new().with("p.hybrid", src), "p.hybrid");
    assert_eq!(codes(&c), Vec::<&str>::new());
    let t = c.topology.unwrap();
    let s = t.workloads[0].service().unwrap();
    assert_eq!(
        s.ports.iter().map(|p| (p.number, p.service_number())).collect::<Vec<_>>(),
        vec![(8080, 80), (9090, 9090)]
    );
    let c = web_with("port 9090 service-port=8080");
    assert_eq!(codes(&c), vec!["HY0048"]);
    let c = web_with("port 9090 service-port=0");
    assert_eq!(codes(&c), vec!["HY0023"]);
}

#[test]
fn scale_down_behaviour() {
    let c = web_with(r#"autoscale min=2 max=4 cpu="70%" scale-down-window="10m" scale-down-rate="25%""#);
    assert_eq!(codes(&c), Vec::<&str>::new());
    let t = c.topology.unwrap();
    let a = t.workloads[0].service().and_then(|s| s.autoscale.as_ref()).unwrap();
    assert_eq!(a.scale_down_window.as_ref().map(|w| w.value.as_secs()), Some(600));
    assert_eq!(a.scale_down_rate.map(|p| p.0), Some(25.0));
    assert_eq!(codes(&web_with(r#"autoscale min=2 max=4 scale-down-window="61m""#)), vec!["HY0049"]);
    assert_eq!(codes(&web_with(r#"autoscale min=2 max=4 scale-down-window="1.5s""#)), vec!["HY0008"]);
    assert_eq!(codes(&web_with(r#"autoscale min=2 max=4 scale-down-rate="120%""#)), vec!["HY0023"]);
}

#[test]
fn probes_of_a_grpc_port_are_grpc_health_checks() {
    let src = format!(
        "{TOP}{SITE}\nservice web {{\n  placement k1\n  image \"registry.example.com/web:1.0\"\n  port 7000 protocol=grpc\n  port 8081\n  probe liveness=\"\" readiness=\"web.v1.Web\"\n}}\n"
    );
    let c = run(&MemoryFs::new().with("p.hybrid", src.as_str()), "p.hybrid");
    assert_eq!(codes(&c), Vec::<&str>::new());
    let t = c.topology.unwrap();
    let s = t.workloads[0].service().unwrap();
    assert!(s.probes_grpc());
    assert_eq!(s.probe.as_ref().and_then(|p| p.liveness.as_ref()).map(|l| l.value.as_str()), Some(""));
    let http = src.replace("readiness=\"web.v1.Web\"", "readiness=\"/ready\" port=8081");
    let c = run(&MemoryFs::new().with("p.hybrid", http.as_str()), "p.hybrid");
    assert!(!c.topology.unwrap().workloads[0].service().unwrap().probes_grpc());
}

#[test]
fn a_job_sizes_its_dev_shm() {
    let job = |shm: &str| {
        let src = format!(
            "{TOP}{SITE}\njob train {{\n  placement k1\n  image \"registry.example.com/t:1\"\n  resources memory=\"8Gi\"\n  {shm}\n}}\n"
        );
        run(&MemoryFs::new().with("p.hybrid", src), "p.hybrid")
    };
    let c = job(r#"shm "2Gi""#);
    assert_eq!(codes(&c), Vec::<&str>::new());
    let t = c.topology.unwrap();
    let j = t.workloads[0].job().unwrap();
    assert_eq!(j.shm.as_ref().map(|s| s.value), Some(Bytes(2 << 30)));
    let warned = job(r#"shm "9Gi""#);
    assert!(warned.diagnostics.iter().any(|d| d.code.id == "HY4020"), "a warning, on a job using more than it may");
    assert_eq!(codes(&job("shm 512")), vec!["HY0008"]);
}

#[test]
fn a_job_names_its_framework() {
    let job = |framework: &str| {
        let src = format!(
            "{TOP}{SITE}\njob train {{\n  placement k1\n  image \"registry.example.com/t:1\"\n  {framework}\n}}\n"
        );
        run(&MemoryFs::new().with("p.hybrid", src), "p.hybrid")
    };
    let c = job("framework pytorch");
    assert_eq!(codes(&c), Vec::<&str>::new());
    let t = c.topology.unwrap();
    let j = t.workloads[0].job().unwrap();
    assert_eq!(j.framework.as_ref().map(|f| f.value), Some(Framework::Pytorch));
    assert_eq!(codes(&job("framework mpi")), vec!["HY0051"]);
    assert_eq!(codes(&job("framework horovod")), vec!["HY0009"]);
}

#[test]
fn a_job_mounts_shared_volumes() {
    let job = |class: &str| {
        let src = format!(
            "{TOP}site s region=r kind=on-prem {{\n  ceph ssd nodes=3 media=ssd\n  kubernetes k1 version=\"1.31\" {{\n    storage-class shared backend=cephfs pool=ssd\n    storage-class fast backend=ceph-rbd pool=ssd\n    pool p nodes=3 cpu=8 memory=\"32Gi\"\n  }}\n}}\njob train {{\n  placement k1\n  image \"registry.example.com/t:1\"\n  volume data size=\"1Ti\" storage-class={class} mount=\"/data\"\n}}\n"
        );
        run(&MemoryFs::new().with("p.hybrid", src), "p.hybrid")
    };
    let c = job("shared");
    assert!(!codes(&c).iter().any(|c| c.starts_with("HY0")), "{:?}", codes(&c));
    let t = c.topology.unwrap();
    let j = t.workloads[0].job().unwrap();
    assert_eq!(j.volumes.len(), 1);
    assert_eq!(j.volumes[0].mount, "/data");
    assert!(codes(&job("fast")).contains(&"HY0050"));
    assert!(codes(&job("slow")).contains(&"HY0012"));
}

/// An OpenStack cloud with two vms: `db` as written, and `web`.
fn on_openstack(db: &str) -> Compilation {
    let src = format!(
        r#"{TOP}
site dc-a region=r1 {{
  network web cidr="10.30.0.0/24" vlan=300
  network db cidr="10.30.16.0/20" vlan=310
  openstack cloud release="2024.1" {{
    flavor m1 cpu=4 memory="8Gi" disk="40Gi"
    network web
    network db
  }}
}}
profile postgres {{
  allow-from web
}}
vm web {{
  placement cloud
  image "images.example.com/web:1.0"
  cpu 2
  memory "4Gi"
  port 443 protocol=http public=#true
}}
vm db {{
  placement cloud
  image "images.example.com/postgres:16.4"
  cpu 4
  memory "8Gi"
  network db
{db}
}}
"#
    );
    run(&MemoryFs::new().with("p.hybrid", src), "p.hybrid")
}

#[test]
fn vms_take_allow_from_and_public_ports() {
    let c = on_openstack("  use postgres\n  port 5432 protocol=tcp\n  port 9187\n  allow-from db");
    assert_eq!(codes(&c), Vec::<&str>::new());
    let t = c.topology.unwrap();
    let name = |id: &hybrid_model::Spanned<hybrid_model::WorkloadId>| t.workload(id.value).name.clone();
    let web = t.workloads[0].vm().unwrap();
    assert!(web.ports[0].public.is_some() && web.allow_from.is_empty());
    // `allow-from` is a union of the profile's and the vm's own; `public`
    // defaults to off.
    let db = t.workloads[1].vm().unwrap();
    assert_eq!(db.allow_from.iter().map(name).collect::<Vec<_>>(), ["web", "db"]);
    assert!(db.ports.iter().all(|p| p.public.is_none()));
    // The source ranges the cloud admits other workloads by.
    assert_eq!(t.source_ranges(&t.workloads[0]), Ok(vec!["10.30.0.0/24".parse().unwrap()]));
}

#[test]
fn vm_allow_from_and_public_are_checked() {
    // An unknown workload has the rule's own code.
    assert_eq!(codes(&on_openstack("  allow-from wbe")), vec!["HY6004"]);
    // `public` is a flag of a vm's port, not a service's.
    assert_eq!(codes(&on_openstack("  port 5432 public=1")), vec!["HY0008"]);
    let src = format!("{TOP}{SITE}\nservice s {{\n  placement k1\n  image \"registry.example.com/s:1.0\"\n  port 8080 public=#true\n}}\n");
    assert_eq!(codes(&run(&MemoryFs::new().with("p.hybrid", src), "p.hybrid")), vec!["HY0003"]);
}

/// A service is pinned to a pool per cluster with `placement cluster.pool`
/// (a cluster without a pool stays unpinned); a pool its cluster does not
/// have is HY7003, as for a job.
#[test]
fn a_service_pins_one_pool_per_cluster() {
    let program = |placement: &str| {
        format!(
            "{TOP}{SITE}site dc-b region=r2 {{\n  kubernetes k2 version=\"1.31\" {{\n    pool general nodes=3 cpu=8 memory=\"32Gi\"\n  }}\n}}\nservice api {{\n  placement {placement}\n  image \"registry.example.com/api:1.0\"\n  replicas 2\n}}\n"
        )
    };
    let c = run(&MemoryFs::new().with("a.hybrid", program("k1.general k2")), "a.hybrid");
    assert_eq!(codes(&c), Vec::<&str>::new());
    let t = c.topology.unwrap();
    let (w, s) = (&t.workloads[0], t.workloads[0].service().unwrap());
    assert_eq!(s.placement.len(), 2);
    let (k1, k2) = (s.placement[0].value, s.placement[1].value);
    assert_eq!(hybrid_model::scheduling::pinned_pool(w, k1), Some("general"));
    assert_eq!(hybrid_model::scheduling::pinned_pool(w, k2), None);
    assert!(hybrid_model::scheduling::restricted(w, k1) && !hybrid_model::scheduling::restricted(w, k2));
    let c = run(&MemoryFs::new().with("a.hybrid", program("k1.genral k2")), "a.hybrid");
    assert_eq!(codes(&c), vec!["HY7003"]);
    assert_eq!(c.diagnostics[0].help.as_deref(), Some("did you mean `k1.general`?"));
}

/// `gitops … out=` says where OUT sits in the repository (its root by
/// default): the Application syncs the cluster's folder inside it.
#[test]
fn gitops_out_places_the_cluster_folder_in_the_repository() {
    let program = |props: &str| {
        format!(
            "{TOP}site dc-a region=r1 {{\n  kubernetes k1 version=\"1.31\" {{\n    gitops argocd repo=\"https://git.example.com/deploy.git\" {props}\n    pool general nodes=3 cpu=8 memory=\"32Gi\"\n  }}\n}}\n"
        )
    };
    let path = |props: &str| {
        let c = run(&MemoryFs::new().with("a.hybrid", program(props)), "a.hybrid");
        assert_eq!(codes(&c), Vec::<&str>::new(), "{props}");
        let t = c.topology.unwrap();
        let id = t.cluster_ids().next().unwrap();
        t.clusters[0].kubernetes().unwrap().gitops.as_ref().unwrap().application_path(&t.kubernetes_dir(id))
    };
    assert_eq!(path(""), "dc-a/k1/kubernetes");
    assert_eq!(path(r#"out="deploy""#), "deploy/dc-a/k1/kubernetes");
    assert_eq!(path(r#"out="./gen/prod/""#), "gen/prod/dc-a/k1/kubernetes");
    let c = run(&MemoryFs::new().with("a.hybrid", program(r#"path="clusters/k1""#)), "a.hybrid");
    assert_eq!(codes(&c), vec!["HY7006"]);
}

/// A vm on a vSphere cluster of the site (network `prod`) with `address`
/// as written, for the address tests.
fn addressed(address: &str) -> Compilation {
    let src = format!(
        "{TOP}{SITE}\nsite dc-b region=r2 {{\n  network legacy cidr=\"10.20.0.0/22\" vlan=120\n  vsphere old version=\"8.0\" datacenter=\"dc-b\" {{\n    hosts count=3 cpu=32 memory=\"256Gi\"\n    network legacy\n  }}\n}}\nvm erp {address}{{\n  placement old\n  image \"rhel-9\"\n  cpu 2\n  memory \"8Gi\"\n}}\n"
    );
    run(&MemoryFs::new().with("p.hybrid", src), "p.hybrid")
}

#[test]
fn a_vm_address_is_an_ip_address_or_a_dns_name() {
    use hybrid_model::Address;
    let vm_address = |c: Compilation| {
        let t = c.topology.unwrap_or_else(|| panic!("errors"));
        t.workloads[0].vm().and_then(|v| v.address.as_ref()).map(|a| a.value.clone())
    };
    assert_eq!(vm_address(addressed("")), None);
    assert_eq!(vm_address(addressed(r#"address="10.20.1.7" "#)), Some(Address::Ip("10.20.1.7".parse().unwrap())));
    assert_eq!(vm_address(addressed(r#"address="erp.example.com" "#)), Some(Address::Name("erp.example.com".into())));
    // Neither one machine's IP address nor a DNS name: the wrong type,
    // with the reason and, where one can be derived, the fixed value.
    for (written, why, fixed) in [
        (r#"address="10.20.1.7/22" "#, "prefix length", Some(r#"address="10.20.1.7""#)),
        (r#"address="*.example.com" "#, "wildcard", None),
        (r#"address="127.0.0.1" "#, "loopback", None),
        (r#"address="10.20.1.300" "#, "all-numeric", None),
        (r#"address="https://erp.example.com/" "#, "URL", Some(r#"address="erp.example.com""#)),
        ("address=10 ", "", None),
    ] {
        let c = addressed(written);
        assert_eq!(codes(&c), vec!["HY0008"], "{written}");
        let d = &c.diagnostics[0];
        assert!(d.message.contains(why), "{written}: {}", d.message);
        if let Some(fixed) = fixed {
            assert!(d.help.as_deref().unwrap_or_default().contains(fixed), "{written}: {:?}", d.help);
        }
    }
    // On its network, and none of the addresses the network keeps.
    assert_eq!(codes(&addressed(r#"address="10.30.0.5" "#)), vec!["HY7005"]);
    assert_eq!(codes(&addressed(r#"address="10.20.3.255" "#)), vec!["HY7005"]);
    assert_eq!(codes(&addressed(r#"address="10.20.0.0" "#)), vec!["HY7005"]);
}

#[test]
fn a_vm_joins_the_mesh_with_mesh_istio() {
    // The vSphere vm of `addressed`, with one more line in its body.
    let joined = |line: &str| {
        let src = format!(
            "{TOP}{SITE}\nsite dc-b region=r2 {{\n  network legacy cidr=\"10.20.0.0/22\" vlan=120\n  vsphere old version=\"8.0\" datacenter=\"dc-b\" {{\n    hosts count=3 cpu=32 memory=\"256Gi\"\n    network legacy\n  }}\n}}\nvm erp address=\"10.20.1.7\" {{\n  placement old\n  image \"rhel-9\"\n  cpu 2\n  memory \"8Gi\"\n  {line}\n}}\n"
        );
        run(&MemoryFs::new().with("p.hybrid", src), "p.hybrid")
    };
    assert_eq!(codes(&joined("mesh istio")), vec!["HY6007"], "no mesh cluster at the vm's site to join");
    assert_eq!(codes(&joined("mesh linkerd")), vec!["HY0009"]);
    assert_eq!(codes(&joined("mesh")), vec!["HY0006"]);
}

/// A vSphere cluster with `hosts …`, `vmotion …` and `vsan …` as written.
fn on_vsphere(hosts: &str, vsan: &str) -> Compilation {
    let src = format!(
        r#"{TOP}
site dc-a region=r1 {{
  network prod cidr="10.10.0.0/16" vlan=110
  network vmo cidr="10.11.0.0/24" vlan=111
  vsphere vc version="8.0" datacenter=dc {{
    {hosts}
    network prod
    vmotion vmo
    {vsan}
  }}
}}
"#
    );
    run(&MemoryFs::new().with("p.hybrid", src), "p.hybrid")
}

#[test]
fn vsphere_hosts_clock_vmotion_and_vsan_settings() {
    let c =
        on_vsphere(r#"hosts count=3 cpu=32 memory="512Gi" clock="2.45GHz""#, r#"vsan v all-flash=#true dedup=#true"#);
    assert_eq!(codes(&c), Vec::<&str>::new());
    let t = c.topology.unwrap();
    let vs = t.clusters[0].vsphere().unwrap();
    assert_eq!(vs.host_clock.as_ref().map(|c| c.value.mhz_floor()), Some(2450));
    assert_eq!(vs.vmotion.as_ref().map(|n| t.network(n.value).name.as_str()), Some("vmo"));
    let StorageKind::Vsan(v) = &t.storage[0].kind else { panic!("a vsan") };
    // The datastore keeps the name vSAN gives it unless the program says another.
    assert_eq!((v.all_flash, v.dedup, v.datastore.as_str()), (true, true, "vsanDatastore"));

    let c = on_vsphere(r#"hosts count=3 cpu=32 memory="512Gi""#, r#"vsan v datastore="erp-vsan""#);
    let t = c.topology.unwrap();
    assert!(t.clusters[0].vsphere().unwrap().host_clock.is_none());
    let StorageKind::Vsan(v) = &t.storage[0].kind else { panic!("a vsan") };
    assert_eq!((v.all_flash, v.datastore.as_str()), (false, "erp-vsan"));

    // A clock is a quoted frequency above zero, with its unit.
    for bad in [r#"clock=3"#, r#"clock="3.0""#, r#"clock="3ghz""#, r#"clock="0GHz""#] {
        let c = on_vsphere(&format!(r#"hosts count=3 cpu=32 memory="512Gi" {bad}"#), "");
        assert_eq!(codes(&c), vec!["HY0008"], "{bad}");
        assert!(c.diagnostics[0].message.contains("clock frequency"), "{bad}: {}", c.diagnostics[0].message);
    }
    // vMotion runs on one network.
    let c = on_vsphere(r#"hosts count=3 cpu=32 memory="512Gi""#, "vmotion prod");
    assert!(!codes(&c).is_empty());
}

#[test]
fn vsphere_nsx_names_its_manager_by_host_name() {
    let hosts = r#"hosts count=3 cpu=32 memory="512Gi""#;
    let c = on_vsphere(hosts, r#"nsx manager="nsx-01.dc-a.example.com""#);
    assert_eq!(codes(&c), Vec::<&str>::new());
    let t = c.topology.unwrap();
    let nsx = t.clusters[0].vsphere().unwrap().nsx.as_ref().map(|n| n.manager.clone());
    assert_eq!(nsx.as_deref(), Some("nsx-01.dc-a.example.com"));
    // Without `nsx`, no firewall.
    let t = on_vsphere(hosts, "").topology.unwrap();
    assert!(t.clusters[0].vsphere().unwrap().nsx.is_none());
    // The manager is required, a host name (no scheme, no credentials), and named once.
    for (bad, code) in [
        ("nsx", "HY0007"),
        (r#"nsx manager="https://nsx.example.com""#, "HY0030"),
        (r#"nsx manager="admin:secret@nsx.example.com""#, "HY0030"),
        (
            r#"nsx manager="nsx-a.example.com"
    nsx manager="nsx-b.example.com""#,
            "HY0020",
        ),
    ] {
        assert_eq!(codes(&on_vsphere(hosts, bad)), vec![code], "{bad}");
    }
}

#[test]
fn a_vm_nic_names_a_site_network_and_may_be_sriov() {
    let src = format!(
        r#"{TOP}
site dc-a region=r1 {{
  network prod cidr="10.10.0.0/16" vlan=110
  network market cidr="10.11.0.0/24" vlan=111
  vsphere vc version="8.0" datacenter=dc {{
    hosts count=3 cpu=32 memory="512Gi"
    network prod
  }}
}}
vm feed {{
  placement vc
  image "rhel-9"
  cpu 4
  memory "16Gi"
  nic market sriov=#true
  nic prod
  reserve memory="100%"
}}
"#
    );
    let c = run(&MemoryFs::new().with("p.hybrid", src), "p.hybrid");
    assert_eq!(codes(&c), Vec::<&str>::new());
    let t = c.topology.unwrap();
    let vm = t.workloads[0].vm().unwrap();
    let nics: Vec<(&str, bool)> =
        vm.nics.iter().map(|n| (t.network(n.network.value).name.as_str(), n.sriov.is_some())).collect();
    assert_eq!(nics, vec![("market", true), ("prod", false)]);
}

/// `numa hugepages=` is NUMA node pinning with the guest's memory on huge
/// pages of that size: one of the sizes the platforms page memory in.
#[test]
fn numa_hugepages_is_a_page_size() {
    let pages = |c: Compilation| {
        let t = c.topology.unwrap_or_else(|| panic!("errors"));
        t.workloads[1].vm().and_then(|v| v.numa_hugepages.as_ref()).map(|s| s.value)
    };
    assert_eq!(pages(on_openstack("  numa pinned=#true")), None);
    let pinned = on_openstack("  numa pinned=#true hugepages=\"1Gi\"");
    assert_eq!(pages(pinned), Some(hybrid_model::HugePageSize::OneGi));
    assert_eq!(codes(&on_openstack("  numa pinned=#true hugepages=\"3Gi\"")), vec!["HY0009"]);
}

/// `mesh NAME { member CLUSTER network=NET }`: members are kubernetes
/// clusters, looked up with "did you mean"; the trust domain defaults to
/// Istio's own.
#[test]
fn a_mesh_names_kubernetes_clusters() {
    let site = r#"
site dc-a region=r1 {
  kubernetes k1 version="1.31" { mesh istio; pool p nodes=3 cpu=8 memory="32Gi" }
  kubernetes k2 version="1.31" { mesh istio; pool p nodes=3 cpu=8 memory="32Gi" }
  openstack os release="2024.1" { compute nodes=3 cpu=8 memory="32Gi" }
}
"#;
    let program = |mesh: &str| MemoryFs::new().with("main.hybrid", format!("{TOP}{site}{mesh}"));
    let c = run(&program("mesh m { member k1 network=n1; member k2 network=n2 }\n"), "main.hybrid");
    assert_eq!(codes(&c), Vec::<&str>::new());
    let t = c.topology.unwrap();
    let m = &t.meshes[0];
    assert_eq!((m.name.as_str(), m.trust_domain.value.as_str()), ("m", "cluster.local"));
    let members: Vec<(&str, &str)> =
        m.members.iter().map(|x| (t.cluster(x.cluster.value).name.as_str(), x.network.value.as_str())).collect();
    assert_eq!(members, vec![("k1", "n1"), ("k2", "n2")]);

    let c = run(&program("mesh m { member k3 network=n1 }\n"), "main.hybrid");
    assert_eq!(codes(&c), vec!["HY0012"]);
    assert!(c.diagnostics[0].help.as_deref().unwrap_or("").contains("k1"), "{:?}", c.diagnostics[0].help);
    let c = run(&program("mesh m { member os network=n1 }\n"), "main.hybrid");
    assert_eq!(codes(&c), vec!["HY0014"]);
    let c = run(&program("mesh m { member k1 }\n"), "main.hybrid");
    assert_eq!(codes(&c).len(), 1, "network= is required");
    let c = run(
        &program("mesh m trust-domain=\"x.example\" { member k1 network=n }\nmesh m { member k2 network=n }\n"),
        "main.hybrid",
    );
    assert_eq!(codes(&c), vec!["HY0011"]);
}

/// Every kind of reference is recorded with the declaration it resolved
/// to (what an editor's go to definition and rename read).
#[test]
fn every_resolved_reference_is_recorded_with_its_declaration() {
    use hybrid_core::schema::DeclKind as K;
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/migration");
    let mut fs = MemoryFs::new();
    for f in ["apps.hybrid", "sites.hybrid"] {
        fs = fs.with(format!("m/{f}"), std::fs::read_to_string(format!("{dir}/{f}")).unwrap());
    }
    // A command's compile keeps no name table: only the language server reads it.
    assert!(run(&fs, "m").names.references().is_empty());
    let c = hybrid_core::compile_with_names("m".as_ref(), &fs).unwrap();
    // (file, text before the reference, the reference, what it names)
    let cases = [
        ("m/apps.hybrid", "placement ", "modern-a", K::Kubernetes, "modern-a"),
        ("m/apps.hybrid", "  network ", "legacy", K::Network, "legacy"),
        ("m/apps.hybrid", "storage=", "legacy-vsan", K::Vsan, "legacy-vsan"),
        ("m/apps.hybrid", "use ", "ha-critical", K::Profile, "ha-critical"),
        ("m/apps.hybrid", "allow-from ", "web-portal", K::Service, "web-portal"),
        ("m/apps.hybrid", "from=", "billing-legacy", K::Vm, "billing-legacy"),
        ("m/apps.hybrid", "to=", "billing", K::Service, "billing"),
        ("m/sites.hybrid", "pool=", "ssd", K::Ceph, "ssd"),
        ("m/sites.hybrid", "from=", "dc-main.ssd", K::Ceph, "ssd"),
        ("m/sites.hybrid", "to=", "dc-dr.ssd", K::Ceph, "ssd"),
    ];
    for (file, before, reference, kind, name) in cases {
        let (id, f) = c.sources.files().find(|(_, f)| f.name == file).unwrap();
        let start = f.text.find(&format!("{before}{reference}")).unwrap() + before.len();
        let found = c.names.references().iter().find(|(s, _)| s.file == id && s.start as usize == start);
        let decl = found.and_then(|(_, i)| c.names.decl(*i)).unwrap_or_else(|| panic!("`{reference}` not recorded"));
        assert_eq!((decl.kind, decl.name.as_str()), (kind, name), "{reference}");
        assert_eq!(f.slice(found.unwrap().0), reference);
    }
}

/// A "did you mean" with one candidate carries the literal fix an editor
/// applies: the span of the token and its replacement.
#[test]
fn a_single_did_you_mean_is_a_literal_fix() {
    let program = format!(
        "{TOP}{SITE}import \"std/profils\"\nservice web {{\n  placment k1\n  image \"nginx:1\"\n  port 80 protocl=http\n  \
         port 81 protocol=htp\n}}\nservice api {{\n  placement k2\n  image \"nginx:1\"\n}}\n"
    );
    let fs = MemoryFs::new().with("a.hybrid", program.as_str());
    let c = run(&fs, "a.hybrid");
    let mut fixes: Vec<(&str, &str, &str)> = c
        .diagnostics
        .iter()
        .filter_map(|d| Some((d.code.id, c.sources.slice(d.fix.as_ref()?.span), d.fix.as_ref()?.replacement.as_str())))
        .collect();
    fixes.sort();
    assert_eq!(
        fixes,
        [
            ("HY0002", "placment", "placement"),
            ("HY0003", "protocl", "protocol"),
            ("HY0009", "htp", "http"),
            ("HY0012", "k2", "k1"),
            ("HY0015", "\"std/profils\"", "std/profiles"),
        ]
    );
}

/// `web_with` on a cluster with `mesh istio`, for `traffic` policies.
fn meshed_web_with(traffic: &str) -> Compilation {
    let src = format!(
        "{TOP}{}\nservice web {{\n  placement k1\n  image \"registry.example.com/web:1.0\"\n  port 8080\n  {traffic}\n}}\n",
        SITE.replace("    network prod\n", "    network prod\n    mesh istio\n")
    );
    run(&MemoryFs::new().with("p.hybrid", src), "p.hybrid")
}

#[test]
fn progressive_canaries_take_their_defaults_from_the_schema() {
    use std::time::Duration;
    let c = meshed_web_with("traffic {\n    progressive\n  }");
    let t = c.topology.unwrap();
    let p = t.workloads[0].service().and_then(|s| s.progressive()).unwrap();
    assert_eq!((p.step.value, p.max.value, p.threshold), (10, 50, 5));
    assert_eq!((p.interval, p.latency.value), (Duration::from_secs(60), Duration::from_millis(500)));
    assert_eq!(p.success_rate.0, 99.0);
    let c = meshed_web_with(
        r#"traffic {
    progressive step=5 max=40 interval="30s" threshold=3 success-rate="99.5%" latency="300ms"
  }"#,
    );
    let t = c.topology.unwrap();
    let p = t.workloads[0].service().and_then(|s| s.progressive()).unwrap();
    assert_eq!((p.step.value, p.max.value, p.threshold, p.interval), (5, 40, 3, Duration::from_secs(30)));
    // Flagger's intervals are whole seconds or minutes.
    let c = meshed_web_with("traffic {\n    progressive interval=\"1.5s\"\n  }");
    assert!(codes(&c).contains(&"HY0008"), "{:?}", codes(&c));
    let c = meshed_web_with("traffic {\n    progressive threshold=0\n  }");
    assert!(codes(&c).contains(&"HY0023"), "{:?}", codes(&c));
}

#[test]
fn rate_limits_and_connection_limits() {
    use std::time::Duration;
    let c = meshed_web_with(
        "traffic {\n    rate-limit requests=100\n    circuit-breaker max-connections=10 max-requests-per-connection=2\n  }",
    );
    let t = c.topology.unwrap();
    let tr = t.workloads[0].service().and_then(|s| s.traffic.as_ref()).unwrap();
    let r = tr.rate_limit.as_ref().unwrap();
    assert_eq!((r.requests, r.per.value, r.burst), (100, Duration::from_secs(1), None));
    let cb = tr.circuit_breaker.as_ref().unwrap();
    assert_eq!(cb.max_connections.as_ref().map(|n| n.value), Some(10));
    assert_eq!((cb.max_pending, cb.max_requests, cb.max_requests_per_connection), (None, None, Some(2)));
    // `requests` is required, and every limit counts from one.
    let c = meshed_web_with("traffic {\n    rate-limit per=\"1s\"\n  }");
    assert!(codes(&c).contains(&"HY0006") || codes(&c).contains(&"HY0007"), "{:?}", codes(&c));
    let c = meshed_web_with("traffic {\n    circuit-breaker max-pending=0\n  }");
    assert!(codes(&c).contains(&"HY0023"), "{:?}", codes(&c));
}

#[test]
fn encryption_at_rest_decodes_on_every_storage_and_its_requirement() {
    let src = r#"topology t {
  owner team
  encrypt-at-rest zone=patient-data
  encrypt-at-rest site=dc-b
}
site dc-b region=r2
site dc-a region=r1 {
  network prod cidr="10.10.0.0/16" vlan=110 zone=patient-data
  ceph ssd nodes=3 media=ssd encrypted=#true
  kubernetes k1 version="1.31" {
    network prod
    storage-class sealed backend=ceph-rbd pool=ssd default=#true encrypted=#true kms="vault-kms"
    storage-class plain backend=ceph-rbd pool=ssd
  }
  openstack os release="2024.1" {
    network prod
    volume-type secure backend=ssd encrypted=#true
    volume-type plain
  }
  vsphere vc version="8.0" datacenter=dc {
    network prod
    vsan v encrypted=#true encrypted-in-transit=#true
  }
}
"#;
    let c = run(&MemoryFs::new().with("p.hybrid", src), "p.hybrid");
    let t = c.topology.as_ref().unwrap();
    let req: Vec<_> = t
        .encryption_requirements
        .iter()
        .map(|r| (r.zone.as_ref().map(|z| z.value.as_str()), r.site.as_ref().map(|s| t.site(s.value).name.as_str())))
        .collect();
    assert_eq!(req, vec![(Some("patient-data"), None), (None, Some("dc-b"))]);
    let k = t.clusters[0].kubernetes().unwrap();
    let sealed = k.storage_class("sealed").unwrap();
    assert_eq!(c.sources.slice(sealed.encrypted.unwrap()), "#true");
    assert_eq!(sealed.kms.as_ref().map(|k| k.value.as_str()), Some("vault-kms"));
    // Unencrypted unless asked: the schema's default.
    let plain = k.storage_class("plain").unwrap();
    assert!(plain.encrypted.is_none() && plain.kms.is_none());
    let os = t.clusters[1].openstack().unwrap();
    assert_eq!(os.volume_types.iter().map(|v| v.encrypted).collect::<Vec<_>>(), vec![true, false]);
    let v = t.storage.iter().find_map(|s| match &s.kind {
        StorageKind::Vsan(v) => Some(v),
        StorageKind::Ceph(_) => None,
    });
    assert!(v.is_some_and(|v| v.encrypted && v.encrypted_in_transit));
    assert!(t.storage.iter().any(|s| matches!(&s.kind, StorageKind::Ceph(c) if c.encrypted)));
    assert_eq!(codes(&c), Vec::<&str>::new());

    // `encrypted` is a boolean, `site` names a declared site, and the
    // requirement belongs to the topology.
    let bad = |top: &str, body: &str| {
        let src = format!("{top}\nsite dc-a region=r1 {{\n  network prod cidr=\"10.10.0.0/16\"\n  openstack os release=\"2024.1\" {{\n    network prod\n    {body}\n  }}\n}}\n");
        codes(&run(&MemoryFs::new().with("p.hybrid", src), "p.hybrid"))
    };
    assert_eq!(bad(TOP, "volume-type v encrypted=yes"), vec!["HY0008"]);
    assert!(!bad("topology t {\n  owner team\n  encrypt-at-rest site=dc-z\n}", "volume-type v").is_empty());
    assert_eq!(bad(TOP, "encrypt-at-rest zone=z"), vec!["HY0002"]);
}

/// A GPU model or a profile of a standard module that was not imported:
/// the error says which import declares it, and importing it resolves it.
#[test]
fn a_name_of_a_module_not_imported_gets_the_import_that_declares_it() {
    let gpu_site = "site dc-b region=r2 {\n  kubernetes k2 version=\"1.31\" {\n    pool gpu nodes=2 cpu=\"96\" memory=\"1Ti\" {\n      gpu nvidia-a100-80gb count=8\n    }\n  }\n}\n";
    let service = "service api {\n  use ha-critical\n  placement k1\n  image \"r.example.com/a:1\"\n}\n";
    let program = format!("{TOP}{SITE}{gpu_site}{service}");
    let c = run(&MemoryFs::new().with("a.hybrid", program.as_str()), "a.hybrid");
    let helps: Vec<&str> = c.diagnostics.iter().filter(|d| d.is_error()).filter_map(|d| d.help.as_deref()).collect();
    assert!(helps.contains(&"`std/gpu` declares it: add `import \"std/gpu\"`"), "{:?}", c.diagnostics);
    assert!(helps.contains(&"`std/profiles` declares it: add `import \"std/profiles\"`"), "{:?}", c.diagnostics);
    let imported = format!("import \"std/gpu\"\nimport \"std/profiles\"\n{program}");
    let c = run(&MemoryFs::new().with("a.hybrid", imported.as_str()), "a.hybrid");
    assert_eq!(codes(&c), Vec::<&str>::new(), "{:?}", c.diagnostics);
}
