//! Properties of the checker as a whole: each rule reports only its own
//! code, a program that breaks many rules reports every one of them once,
//! and the failure analysis reports each workload once.

use hybrid_core::check::RULES;
use hybrid_core::{compile, MemoryFs};
use hybrid_tests::root;
use hybridc::RealFs;

fn topologies() -> Vec<hybrid_model::Topology> {
    let mut out = Vec::new();
    let mut paths: Vec<std::path::PathBuf> = Vec::new();
    for dir in ["examples", "tests/diagnostics", "tests/programs", "tests/constructs"] {
        for e in walkdir::WalkDir::new(root().join(dir)).min_depth(1).max_depth(1).sort_by_file_name() {
            paths.push(e.unwrap().path().to_path_buf());
        }
    }
    for p in paths {
        if p.is_dir() || p.extension().is_some_and(|e| e == "hybrid") {
            if let Ok(c) = compile(&p, &RealFs) {
                if let Some(t) = c.topology {
                    out.push(t);
                }
            }
        }
    }
    out
}

#[test]
fn every_rule_reports_only_its_own_code() {
    let ts = topologies();
    assert!(ts.len() > 10);
    for rule in RULES {
        for t in &ts {
            let mut out = Vec::new();
            rule.check(t, &mut out);
            for d in out {
                assert_eq!(d.code.id, rule.code.id, "a rule registered as {} reported {}", rule.code.id, d.code.id);
            }
        }
    }
}

#[test]
fn rules_are_registered_once_in_code_order() {
    let ids: Vec<&str> = RULES.iter().map(|r| r.code.id).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(ids, sorted);
}

const BROKEN: &str = r#"
topology shop { owner platform-team }

site dc-a region=r1 {
  network prod cidr="10.10.0.0/16" vlan=110
  network mgmt cidr="10.10.128.0/17" vlan=110
  kubernetes shop-a version="1.31" {
    control-plane replicas=2
    network prod
    pool general nodes=2 cpu=4 memory="8Gi"
    pool big nodes=1 cpu=8 memory="16Gi"
    storage-class fast backend=ceph-rbd pool=ssd
  }
  ceph ssd nodes=3 media=ssd
}

site dc-b region=r2 {
  network prod cidr="10.20.0.0/16" vlan=5000
  ceph ssd nodes=3 media=ssd
}

link dc-a dc-b latency="12ms" bandwidth="10Gbps"
replication orders from=dc-a.ssd to=dc-b.ssd mode=sync rpo="0s"

service api {
  placement shop-a
  image "registry.example.com/shop/api:1.0"
  replicas 2
  resources cpu=8 memory="16Gi"
  expose host="api.example.com"
  traffic {
    canary v2 image="registry.example.com/shop/api:2.0" weight=150
  }
}
"#;

#[test]
fn a_program_breaking_many_rules_reports_each_once() {
    let c = compile("b.hybrid".as_ref(), &MemoryFs::new().with("b.hybrid", BROKEN)).unwrap();
    let mut codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code.id).collect();
    codes.sort();
    for want in ["HY1002", "HY1004", "HY1005", "HY2001", "HY3001", "HY4001", "HY5001", "HY5002", "HY6001", "HY2101"] {
        assert_eq!(codes.iter().filter(|c| **c == want).count(), 1, "{want} once in {codes:?}");
    }
    assert!(c.topology.is_none());
}

/// HY0028 counts every version of a stateful service: blue and green make
/// the service's own StatefulSet names longer (`SERVICE-green`), so a
/// 47-character name is too long with blue-green and fine without; a
/// mirror's name is blamed when it is the part that overflows.
#[test]
fn derived_names_count_every_version() {
    let program = |name: &str, traffic: &str| {
        format!(
            r#"topology shop {{ owner platform-team }}
site dc-a region=r1 {{
  kubernetes shop-a version="1.31" {{
    mesh istio
    pool general nodes=6 cpu=32 memory="128Gi"
    storage-class fast backend=longhorn default=#true
  }}
}}
service {name} {{
  placement shop-a
  image "registry.example.com/shop/db:1.0.0"
  volume data size="10Gi" mount="/data"
  traffic {{ {traffic} }}
}}
"#
        )
    };
    let hy0028 = |text: &str| -> Vec<(String, Option<String>)> {
        let c = compile("p.hybrid".as_ref(), &MemoryFs::new().with("p.hybrid", text)).unwrap();
        c.diagnostics
            .iter()
            .filter(|d| d.code.id == "HY0028")
            .map(|d| (d.message.clone(), d.help.as_deref().map(str::to_string)))
            .collect()
    };
    let name = "a".repeat(47);
    assert!(hy0028(&program(&name, r#"retry attempts=2"#)).is_empty());
    let found = hy0028(&program(
        &name,
        r#"blue-green blue="registry.example.com/shop/db:1.0.0" green="registry.example.com/shop/db:1.1.0""#,
    ));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].0.contains(&format!("`{name}-green` is 53 characters")), "{found:?}");
    assert!(found[0].1.as_deref().is_some_and(|h| h.contains("at most 46 characters")), "{found:?}");
    let found = hy0028(&program("orders", &format!(r#"mirror {} percent="10%""#, "m".repeat(46))));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].1.as_deref().is_some_and(|h| h.contains("at most 45 characters")), "{found:?}");
}

/// HY6010 and HY6011 on a vm without a network (a cloud that provides
/// none), and HY6011 from a vSphere vm too: each says what is missing and
/// where to add it. Even a vm of the same cloud needs one: its security
/// group sits on the port of its network.
#[test]
fn vm_access_rules_name_the_missing_network() {
    let program = r#"topology t { owner team }
site dc-a region=r1 {
  network prod cidr="10.10.0.0/16" vlan=110
  openstack bare release="2024.1" {
    flavor m1 cpu=4 memory="8Gi" disk="40Gi"
  }
  vsphere legacy version="8.0" datacenter="dc-a" {
    hosts count=3 cpu=32 memory="256Gi"
    network prod
  }
}
vm lonely {
  placement bare
  image "images.example.com/lonely:1.0"
  cpu 2
  memory "4Gi"
  port 443 public=#true
}
vm peer {
  placement bare
  image "images.example.com/peer:1.0"
  cpu 2
  memory "4Gi"
  port 5432
  allow-from lonely
}
vm ledger {
  placement legacy
  image "ledger-template"
  cpu 2
  memory "4Gi"
  port 8443
  allow-from lonely
}
"#;
    let c = compile("p.hybrid".as_ref(), &MemoryFs::new().with("p.hybrid", program)).unwrap();
    let found: Vec<(&str, String, Option<String>)> = c
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.code.id, d.message.clone(), d.help.as_deref().map(str::to_string)))
        .collect();
    let help = |s: &str| Some(s.to_string());
    assert_eq!(
        found,
        [
            (
                "HY6010",
                "port 443 of `lonely` cannot be published to the internet: the vm has no network to put a floating IP on"
                    .to_string(),
                help("attach `lonely` to a network of `bare`: `network NAME`"),
            ),
            (
                "HY6011",
                "`peer` admits `lonely` by address, but the addresses it connects from are unknown: `lonely` has no network"
                    .to_string(),
                help("attach `lonely` to a network of `bare`: `network NAME` in `vm lonely`"),
            ),
            (
                "HY6011",
                "`ledger` admits `lonely` by address, but the addresses it connects from are unknown: `lonely` has no network"
                    .to_string(),
                help("attach `lonely` to a network of `bare`: `network NAME` in `vm lonely`"),
            ),
        ]
    );
}

/// The codes a small program reports.
fn codes_of(text: &str) -> Vec<&'static str> {
    let c = compile("p.hybrid".as_ref(), &MemoryFs::new().with("p.hybrid", text)).unwrap();
    c.diagnostics.iter().map(|d| d.code.id).collect()
}

/// HY2009 holds a starting count from a profile too (`ha-critical` sets
/// `replicas 3`), and the service's own `replicas` wins over it.
#[test]
fn replicas_from_a_profile_must_lie_within_the_autoscaler() {
    let program = |own: &str| {
        format!(
            r#"import "std/profiles"
topology shop {{ owner platform-team }}
site dc-a region=r1 {{
  kubernetes shop-a version="1.31" {{
    pool general nodes=12 cpu=16 memory="64Gi"
  }}
}}
service catalog {{
  use ha-critical
  placement shop-a
  image "registry.example.com/shop/catalog:2.12.0"
  {own}
  autoscale min=4 max=8 cpu="70%"
}}
"#
        )
    };
    assert!(codes_of(&program("")).contains(&"HY2009"));
    assert!(!codes_of(&program("replicas 4")).contains(&"HY2009"));
}

/// A service pinned to a pool counts that pool's nodes only, as the
/// Kubernetes target keeps it there: three replicas on distinct hosts do
/// not fit a pinned pool of two nodes, however large the cluster.
#[test]
fn a_pinned_service_counts_its_pool_only() {
    let program = |placement: &str| {
        format!(
            r#"topology shop {{ owner platform-team }}
site dc-a region=r1 {{
  kubernetes shop-a version="1.31" {{
    pool general nodes=12 cpu=16 memory="64Gi"
    pool edge nodes=2 cpu=16 memory="64Gi"
  }}
}}
service gateway {{
  placement {placement}
  image "registry.example.com/shop/gateway:1.0.0"
  replicas 3
  spread hostname required=#true
}}
"#
        )
    };
    assert!(!codes_of(&program("shop-a")).contains(&"HY2004"));
    assert!(codes_of(&program("shop-a.edge")).contains(&"HY2004"));
}

/// HY3011 judges a replication against its mechanism's best RPO, strictly
/// below it: Ceph RBD mirroring keeps one minute, so `rpo="1m"` passes and
/// `"59s"` does not; an asynchronous RPO of zero is HY3002's alone; two
/// pools of one site have no mechanism (HY3003's concern).
#[test]
fn unachievable_rpo_is_measured_against_the_mechanism() {
    let program = |to: &str, mode: &str, rpo: &str| {
        format!(
            r#"topology shop {{ owner platform-team }}
site dc-a region=r1 {{
  ceph ssd nodes=3 media=ssd
  ceph hdd nodes=3 media=hdd
}}
site dc-b region=r2 {{
  ceph ssd nodes=3 media=ssd
}}
link dc-a dc-b latency="1ms" bandwidth="10Gbps" kind=dark-fiber encrypted=#true
replication r from=dc-a.ssd to={to} mode={mode} rpo="{rpo}"
"#
        )
    };
    assert!(!codes_of(&program("dc-b.ssd", "async", "1m")).contains(&"HY3011"));
    assert!(codes_of(&program("dc-b.ssd", "async", "59s")).contains(&"HY3011"));
    assert!(codes_of(&program("dc-b.ssd", "sync", "1m")).contains(&"HY3011"));
    let zero = codes_of(&program("dc-b.ssd", "async", "0s"));
    assert!(zero.contains(&"HY3002") && !zero.contains(&"HY3011"), "{zero:?}");
    let same_site = codes_of(&program("dc-a.hdd", "sync", "0s"));
    assert!(same_site.contains(&"HY3003") && !same_site.contains(&"HY3011"), "{same_site:?}");
}

/// A progressive canary on a cluster without the mesh is HY5001 at its
/// `traffic` block, like every traffic policy there: Flagger's Istio
/// provider needs the sidecars, and nothing else reports it again.
#[test]
fn a_progressive_canary_needs_the_mesh() {
    let program = |mesh: &str| {
        format!(
            r#"topology t {{ owner team }}
site dc-a region=r1 kind=on-prem {{
  kubernetes k1 version="1.31" {{
    {mesh}
    pool general nodes=3 cpu=8 memory="32Gi"
  }}
}}
site dc-b region=r2 kind=on-prem {{
  kubernetes k2 version="1.31" {{
    mesh istio
    pool general nodes=3 cpu=8 memory="32Gi"
  }}
}}
link dc-a dc-b latency="1ms" bandwidth="10Gbps"
service web {{
  placement k1 k2
  image "registry.example.com/web:1.0"
  replicas 2
  port 8080
  traffic {{
    progressive
  }}
}}
"#
        )
    };
    assert_eq!(codes_of(&program("")), vec!["HY5001"]);
    assert_eq!(codes_of(&program("mesh istio")), Vec::<&str>::new());
}

/// HY3016 over services and jobs: a volume lives on the storage class it
/// names, else the cluster's default; a cluster's zone is its `network`'s;
/// a declaration is reported once however many volumes and requirements
/// reach it, and an encrypted default keeps every unnamed volume in scope.
#[test]
fn encrypt_at_rest_follows_volumes_to_their_storage_class() {
    let program = |requirement: &str, default_encrypted: bool| {
        let sealed = if default_encrypted { " encrypted=#true kms=\"vault-kms\"" } else { "" };
        format!(
            r#"topology t {{
  owner team
  {requirement}
}}
site dc-a region=r1 kind=on-prem {{
  network nodes cidr="10.20.0.0/20" zone=patient-data
  ceph fast nodes=3 media=ssd
  kubernetes k1 version="1.31" {{
    network nodes
    pool general nodes=3 cpu=16 memory="64Gi"
    storage-class main backend=ceph-rbd pool=fast default=#true{sealed}
    storage-class sealed backend=ceph-rbd pool=fast encrypted=#true kms="vault-kms"
  }}
}}
service ledger {{
  placement k1
  image "registry.example.com/t/ledger:1.0.0"
  replicas 2
  volume journal size="10Gi" mount="/a"
  volume index size="10Gi" mount="/b"
  volume keys size="1Gi" storage-class=sealed mount="/c"
}}
job train {{
  placement k1
  image "registry.example.com/t/train:1.0.0"
  volume data size="1Ti" mount="/data"
}}
"#
        )
    };
    let errors = |requirement: &str, default_encrypted: bool| -> Vec<&'static str> {
        codes_of(&program(requirement, default_encrypted)).into_iter().filter(|c| c.starts_with("HY3")).collect()
    };
    // Three volumes on the unencrypted default, reported once at the first.
    assert_eq!(errors("encrypt-at-rest zone=patient-data", false), vec!["HY3016"]);
    // The site's scope reports the class itself, and the zone's adds nothing.
    assert_eq!(errors("encrypt-at-rest site=dc-a\n  encrypt-at-rest zone=patient-data", false), vec!["HY3016"]);
    assert_eq!(errors("encrypt-at-rest", false), vec!["HY3016"]);
    // Another zone holds none of them; an encrypted default keeps them all.
    assert_eq!(errors("encrypt-at-rest zone=dmz", false), Vec::<&str>::new());
    assert_eq!(errors("encrypt-at-rest zone=patient-data", true), Vec::<&str>::new());
    assert_eq!(errors("encrypt-at-rest", true), Vec::<&str>::new());
}

/// HY3016 offers the language server a quick fix where the help is a
/// replacement: a volume type's or vsan's name gains `encrypted=#true`.
#[test]
fn unencrypted_storage_offers_its_fix() {
    let text = std::fs::read_to_string(root().join("tests/diagnostics/HY3016-unencrypted-volume.hybrid")).unwrap();
    let c = compile("p.hybrid".as_ref(), &MemoryFs::new().with("p.hybrid", text.as_str())).unwrap();
    let fixes: Vec<(String, String)> = c
        .diagnostics
        .iter()
        .filter(|d| d.code.id == "HY3016")
        .filter_map(|d| d.fix.as_ref())
        .map(|f| (c.sources.slice(f.span).to_string(), f.replacement.clone()))
        .collect();
    assert_eq!(
        fixes,
        vec![
            ("capacity".to_string(), "capacity encrypted=#true".to_string()),
            ("ssd".to_string(), "ssd encrypted=#true".to_string()),
        ]
    );
}

/// The quick fix edits the file of the diagnostic: a disk in one file on a
/// volume type declared in another gets the help, not a fix.
#[test]
fn a_fix_in_another_file_is_not_offered() {
    let infra = r#"site dc-a region=r1 kind=on-prem {
  network records cidr="10.30.0.0/20" zone=patient-data
  openstack cloud-a release="2024.1" {
    compute nodes=4 cpu=64 memory="512Gi"
    flavor m1-large cpu=8 memory="32Gi" disk="80Gi"
    network records
    volume-type ssd
  }
}
"#;
    let main = r#"import "./infra.hybrid"
topology t {
  owner team
  encrypt-at-rest zone=patient-data
}
vm records {
  placement cloud-a
  image "images.example.com/t/records:1.0.0"
  cpu 8
  memory "32Gi"
  disk root size="80Gi" storage=ssd boot=#true
}
"#;
    let fs = MemoryFs::new().with("main.hybrid", main).with("infra.hybrid", infra);
    let c = compile("main.hybrid".as_ref(), &fs).unwrap();
    let d: Vec<_> = c.diagnostics.iter().filter(|d| d.code.id == "HY3016").collect();
    assert_eq!(d.len(), 1);
    assert!(d[0].fix.is_none());
    assert!(d[0].help.as_deref().is_some_and(|h| h.contains("add `encrypted=#true`")), "{:?}", d[0].help);
}
