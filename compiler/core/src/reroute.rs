//! Where traffic goes when clusters fail, for `hybridc simulate`: for each
//! service served from a lost cluster, the cluster its mesh fails it over
//! to (`Topology::failover_targets`, nearest site first: Istio's locality
//! failover of the Istio target) and, for an exposed host, the clusters
//! whose entry in the global DNS still answers (a lost site's entry is
//! removed with its gateway). Traffic with nowhere to go is flagged.

use hybrid_model::*;

/// Where one service's traffic, served from one lost cluster, goes next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reroute {
    pub service: WorkloadId,
    /// The lost cluster that served it.
    pub from: ClusterId,
    /// Through the mesh: `None` outside a multi-cluster mesh.
    pub mesh: Option<MeshNext>,
    /// The exposed host and the surviving clusters still serving it
    /// (empty: nowhere); `None` for a service that is not exposed.
    pub entry: Option<(String, Vec<ClusterId>)>,
}

/// The mesh's next cluster for a lost cluster's traffic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MeshNext {
    /// The nearest surviving cluster of the mesh; `passive` when it is a
    /// passive copy of `active-passive`, taking traffic once scaled up.
    To { cluster: ClusterId, passive: bool },
    /// No surviving cluster of the mesh runs the service.
    Nowhere,
}

/// The reroutes of a failure that loses `lost`, in program order of the
/// services, then of their placement.
pub fn reroutes(t: &Topology, lost: &[ClusterId]) -> Vec<Reroute> {
    let mut out = Vec::new();
    for i in t.workloads_on_any(lost) {
        let Some(s) = t.workload(i).service() else { continue };
        for from in s.placement.iter().map(|p| p.value).filter(|c| lost.contains(c)) {
            // Only a cluster that shares a mesh with another of the
            // service's fails over through it.
            let in_mesh = s.placement.iter().any(|p| p.value != from && t.share_mesh(from, p.value));
            let mesh = in_mesh.then(|| {
                let next = t.failover_targets(s, from).into_iter().find(|f| !lost.contains(&f.to));
                match next {
                    Some(f) => MeshNext::To { cluster: f.to, passive: s.is_passive_in(f.to) },
                    None => MeshNext::Nowhere,
                }
            });
            let entry = s.expose.as_ref().map(|e| {
                let surviving = s.placement.iter().map(|p| p.value).filter(|c| !lost.contains(c)).collect();
                (e.host.clone(), surviving)
            });
            if mesh.is_some() || entry.is_some() {
                out.push(Reroute { service: i, from, mesh, entry });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{reroutes, MeshNext};
    use crate::{compile, MemoryFs};
    use hybrid_model::Topology;

    /// Three clusters in three linked sites; `api` runs in all of them,
    /// `web` (exposed) in the first two. `MESH` is replaced by the mesh.
    const PROGRAM: &str = r#"
topology t { owner o }
site a region=r-a { kubernetes ka version="1.31" { mesh istio; pool p nodes=3 cpu=8 memory="32Gi" } }
site b region=r-b { kubernetes kb version="1.31" { mesh istio; pool p nodes=3 cpu=8 memory="32Gi" } }
site c region=r-c { kubernetes kc version="1.31" { mesh istio; pool p nodes=3 cpu=8 memory="32Gi" } }
link a b latency="30ms" bandwidth="10Gbps"
link a c latency="5ms" bandwidth="10Gbps"
link b c latency="8ms" bandwidth="10Gbps"
MESH
service api {
  placement ka kb kc
  image "registry.example.com/api:1.0.0"
  replicas 2
  traffic { circuit-breaker consecutive-errors=5 }
}
service web {
  placement ka kb
  image "registry.example.com/web:1.0.0"
  replicas 2
  expose host="web.example.com" tls=#true
  traffic { circuit-breaker consecutive-errors=5 }
}
"#;

    fn topology(mesh: &str) -> Topology {
        let text = PROGRAM.replace("MESH", mesh);
        let c = compile("main.hybrid".as_ref(), &MemoryFs::new().with("main.hybrid", text.as_str())).unwrap();
        assert_eq!(c.errors(), 0, "{:?}", c.diagnostics);
        c.topology.unwrap()
    }

    fn cluster(t: &Topology, name: &str) -> hybrid_model::ClusterId {
        t.cluster_ids().find(|c| t.cluster(*c).name == name).unwrap()
    }

    #[test]
    fn traffic_fails_over_to_the_nearest_surviving_cluster() {
        let t = topology("mesh m { member ka network=n; member kb network=n; member kc network=n }");
        let (ka, kb, kc) = (cluster(&t, "ka"), cluster(&t, "kb"), cluster(&t, "kc"));
        let lost = reroutes(&t, &[ka]);
        // api: kc is 5ms from ka, kb 30ms.
        assert_eq!(lost[0].mesh, Some(MeshNext::To { cluster: kc, passive: false }));
        // web: only kb is left, and its host is still served there.
        assert_eq!(lost[1].mesh, Some(MeshNext::To { cluster: kb, passive: false }));
        assert_eq!(lost[1].entry, Some(("web.example.com".to_string(), vec![kb])));
        // With kc lost too, api goes to kb, the only one left.
        let both = reroutes(&t, &[ka, kc]);
        assert_eq!(both[0].mesh, Some(MeshNext::To { cluster: kb, passive: false }));
    }

    #[test]
    fn traffic_with_nowhere_to_go_is_flagged() {
        let t = topology("mesh m { member ka network=n; member kb network=n; member kc network=n }");
        let (ka, kb) = (cluster(&t, "ka"), cluster(&t, "kb"));
        let lost = reroutes(&t, &[ka, kb]);
        let web = lost.iter().find(|r| t.workload(r.service).name == "web").unwrap();
        assert_eq!(web.mesh, Some(MeshNext::Nowhere));
        assert_eq!(web.entry, Some(("web.example.com".to_string(), vec![])));
    }

    #[test]
    fn a_cluster_outside_the_mesh_fails_over_through_none() {
        let t = topology("mesh m { member ka network=n; member kb network=n }");
        // api runs in kc, which is in no mesh: no failover to report (not
        // NOWHERE), and nothing exposed runs there.
        let lost = reroutes(&t, &[cluster(&t, "kc")]);
        assert_eq!(lost, vec![]);
        let lost = reroutes(&t, &[cluster(&t, "ka")]);
        assert_eq!(lost[0].mesh, Some(MeshNext::To { cluster: cluster(&t, "kb"), passive: false }));
    }

    #[test]
    fn the_workloads_of_a_cluster_are_found_in_program_order_once_each() {
        let t = topology("");
        let (ka, kc) = (cluster(&t, "ka"), cluster(&t, "kc"));
        let names =
            |ids: &[hybrid_model::WorkloadId]| ids.iter().map(|&w| t.workload(w).name.clone()).collect::<Vec<_>>();
        assert_eq!(names(t.workloads_on(ka)), ["api", "web"]);
        assert_eq!(names(t.workloads_on(kc)), ["api"]);
        assert_eq!(names(&t.workloads_on_any(&[kc, ka])), ["api", "web"]);
        // A cluster named twice in one placement (HY7007, which the rules
        // read before reporting it) lists the workload once.
        let mut t = topology("");
        if let hybrid_model::WorkloadKind::Service(api) = &mut t.workloads[0].kind {
            let first = api.placement[2].clone();
            api.placement.push(first);
        }
        // The index was built by the compile's checks: built again.
        t.placed = hybrid_model::PlacedIndex::default();
        let on_kc: Vec<&str> = t.placed_on(kc).map(|w| w.name.as_str()).collect();
        assert_eq!(on_kc, ["api"]);
    }

    #[test]
    fn outside_a_mesh_only_the_exposed_host_is_followed() {
        let t = topology("");
        let lost = reroutes(&t, &[cluster(&t, "ka")]);
        assert_eq!(lost.len(), 1);
        assert_eq!(lost[0].mesh, None);
        assert!(lost[0].entry.is_some());
    }
}
