//! A synthetic topology generator: `services` services over several sites
//! and clusters (meshes, KubeVirt, OpenStack and vSphere clusters, VMs,
//! replication, backups, traffic policies on a fraction of the services).
//! Valid and deterministic for any size: the same N gives the same bytes.
//!
//! [`peers`] is the other shape, the workload other tools are measured on:
//! N services in one mesh cluster, each in its own namespace with a
//! Deployment, Service, HorizontalPodAutoscaler, PodDisruptionBudget and a
//! canary (DestinationRule, VirtualService).

use std::fmt::Write;

const SITES: usize = 4;

pub fn program(services: usize) -> String {
    let mut s = String::with_capacity(services * 400);
    let _ = writeln!(s, "import \"std/profiles\"\n\ntopology synth {{ owner platform-team }}\n");
    // Pools grow with the estate so capacity rules hold at any size.
    let per_cluster = services.div_ceil(SITES) * 2 + 16;
    let nodes = (per_cluster / 16).max(4);
    for i in 0..SITES {
        let _ = writeln!(
            s,
            "site dc-{i} region=region-{i} kind=on-prem {{
  network prod cidr=\"10.{i}.0.0/16\" vlan={vlan} zone=trusted
  network vms cidr=\"10.{j}.0.0/16\" vlan={vlan2} zone=dmz
  kubernetes k8s-{i} version=\"1.31\" pod-cidr=\"172.{p}.0.0/16\" service-cidr=\"172.{q}.0.0/16\" {{
    network prod
    mesh istio mtls=strict
    kubevirt
    pool general nodes={nodes} cpu=64 memory=\"256Gi\"
    storage-class fast backend=ceph-rbd pool=ssd default=#true
  }}
  openstack os-{i} release=\"2024.1\" {{
    compute nodes=8 cpu=64 memory=\"512Gi\"
    flavor m1-large cpu=4 memory=\"16Gi\" disk=\"80Gi\"
    network vms
    volume-type ceph-ssd backend=ssd
  }}
  vsphere vs-{i} version=\"8.0\" datacenter=\"dc-{i}\" {{
    hosts count=8 cpu=48 memory=\"768Gi\" clock=\"3.0GHz\"
    ha restart-priority=high isolation-response=power-off admission-reserve=\"25%\"
    drs automation=fully-automated
    network vms
    vsan vsan-{i} all-flash=#true dedup=#true compression=#true
  }}
  ceph ssd nodes=6 media=ssd replicas=3 failure-domain=rack
}}
",
            vlan = 100 + i,
            vlan2 = 200 + i,
            j = 100 + i,
            p = 16 + i,
            q = 24 + i,
        );
    }
    for i in 0..SITES {
        let k = (i + 1) % SITES;
        if k > i || (k == 0 && SITES > 2 && i == SITES - 1) {
            let _ =
                writeln!(s, "link dc-{i} dc-{k} latency=\"2ms\" bandwidth=\"100Gbps\" kind=dark-fiber encrypted=#true");
        }
    }
    for i in 0..SITES {
        let k = (i + 1) % SITES;
        let _ = writeln!(s, "replication rep-{i} from=dc-{i}.ssd to=dc-{k}.ssd mode=async rpo=\"5m\" rto=\"30m\"");
        let _ = writeln!(s, "backup nightly-{i} of=k8s-{i} schedule=\"0 2 * * *\" retain=\"7d\"");
    }
    s.push('\n');
    for n in 0..services {
        let a = n % SITES;
        let b = (a + 1) % SITES;
        let _ = writeln!(
            s,
            "service svc-{n} {{
  placement k8s-{a} k8s-{b}
  namespace team-{team}
  image \"registry.example.com/synth/svc-{n}:1.{minor}.0\"
  replicas 2
  port 8080 protocol=http
  resources cpu=\"250m\" memory=\"256Mi\"
  autoscale min=2 max=4 cpu=\"70%\"
  probe liveness=\"/healthz\" readiness=\"/readyz\"
  env LOG_LEVEL info
  secret-env DB_URL secret=svc-{n}-db key=url",
            team = n % 50,
            minor = n % 10,
        );
        // The caller runs in the same two clusters (each cluster's mesh is
        // its own: a caller elsewhere would be HY6013).
        if n >= SITES && n % 10 == 0 {
            let _ = writeln!(s, "  allow-from svc-{}", n - SITES);
        }
        if n % 20 == 0 {
            let _ = writeln!(
                s,
                "  traffic {{
    canary v2 image=\"registry.example.com/synth/svc-{n}:2.0.0\" weight=5 {{
      match header=x-canary exact=\"1\"
    }}
    circuit-breaker consecutive-errors=5 interval=\"10s\" ejection=\"30s\" max-ejection=\"50%\"
    retry attempts=3 per-try-timeout=\"1s\" on=\"5xx\"
    timeout \"5s\"
  }}"
            );
        }
        s.push_str("}\n");
    }
    for i in 0..SITES {
        let _ = writeln!(
            s,
            "vm erp-{i} {{
  placement os-{i}
  image \"ubuntu-24.04\"
  cpu 4
  memory \"16Gi\"
  disk data size=\"200Gi\" storage=ceph-ssd
  port 8443 protocol=http
}}
vm ledger-{i} {{
  placement vs-{i}
  image \"rhel-9-template\"
  cpu 8
  memory \"64Gi\"
  disk root size=\"100Gi\" storage=vsan-{i} boot=#true
  reserve cpu=\"50%\" memory=\"100%\"
  ha restart-priority=high
  anti-affinity ledger
}}"
        );
    }
    s
}

/// The shapes `bench --shape` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Estate,
    Peers,
}

impl Shape {
    pub fn parse(word: &str) -> Option<Shape> {
        match word {
            "estate" => Some(Shape::Estate),
            "peers" => Some(Shape::Peers),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Shape::Estate => "estate",
            Shape::Peers => "peers",
        }
    }

    pub fn program(self, services: usize) -> String {
        match self {
            Shape::Estate => program(services),
            Shape::Peers => peers(services),
        }
    }

    /// The files a one-line change of svc-0 changes: one per cluster.
    pub fn changed_files(self) -> usize {
        match self {
            Shape::Estate => 2,
            Shape::Peers => 1,
        }
    }
}

/// The peers' workload: `services` services in one mesh cluster, each in
/// its own namespace, autoscaled, with a disruption budget and a canary.
/// Every service is lost with the cluster: one (aggregated) HY2101.
pub fn peers(services: usize) -> String {
    let mut s = String::with_capacity(services * 450);
    let nodes = (services / 8).max(4);
    let _ = writeln!(
        s,
        "topology peers {{ owner platform-team }}

site dc-0 region=region-0 kind=on-prem {{
  network prod cidr=\"10.0.0.0/16\" vlan=100 zone=trusted
  kubernetes k8s-0 version=\"1.31\" {{
    network prod
    mesh istio mtls=strict
    pool general nodes={nodes} cpu=64 memory=\"256Gi\"
  }}
}}
"
    );
    for n in 0..services {
        let _ = writeln!(
            s,
            "service svc-{n} {{
  placement k8s-0
  namespace svc-{n}
  image \"registry.example.com/peers/svc-{n}:1.0.0\"
  replicas 2
  port 8080 protocol=http
  resources cpu=\"250m\" memory=\"256Mi\"
  autoscale min=2 max=4 cpu=\"70%\"
  disruption max-unavailable=1
  traffic {{
    canary v2 image=\"registry.example.com/peers/svc-{n}:2.0.0\" weight=10
  }}
}}"
        );
    }
    s
}

#[cfg(test)]
mod tests {
    /// The bench measures a program that compiles: a new rule that refuses
    /// it must come with the change to this generator.
    #[test]
    fn the_program_compiles_without_errors() {
        let text = super::program(40);
        let fs = hybrid_core::MemoryFs::new().with("synth.hybrid", text.as_str());
        let c = hybrid_core::compile("synth.hybrid".as_ref(), &fs).map_err(|e| e.to_string()).unwrap();
        let errors: Vec<&str> = c.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.code.id).collect();
        assert!(errors.is_empty(), "the synthetic program has errors: {errors:?}");
        let changed = text.replacen("replicas 2", "replicas 3", 1);
        let fs = hybrid_core::MemoryFs::new().with("synth.hybrid", changed.as_str());
        assert!(hybrid_core::compile("synth.hybrid".as_ref(), &fs).unwrap().topology.is_some());
    }

    /// The peers' shape compiles too, with the objects it is meant to have.
    #[test]
    fn the_peers_program_compiles_to_the_peers_objects() {
        let text = super::peers(3);
        let fs = hybrid_core::MemoryFs::new().with("synth.hybrid", text.as_str());
        let c = hybrid_core::compile("synth.hybrid".as_ref(), &fs).unwrap();
        let codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code.id).collect();
        assert_eq!(codes, ["HY2101"; 3], "only the loss of the one cluster");
        let tree = hybridc::render(c.topology.as_ref().unwrap(), hybridc::TARGETS, &Default::default());
        let all: String = tree
            .files()
            .filter(|(p, _)| !p.contains("prerequisites"))
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .collect();
        for kind in [
            "Namespace",
            "Deployment",
            "Service",
            "HorizontalPodAutoscaler",
            "PodDisruptionBudget",
            "DestinationRule",
            "VirtualService",
        ] {
            assert_eq!(
                all.matches(&format!("\nkind: {kind}\n")).count(),
                3 * (1 + usize::from(kind == "Deployment")),
                "{kind}"
            );
        }
    }
}
