//! `hybridc simulate`: the failure analysis as a table a platform engineer
//! reads at a glance, or as stable JSON (keys in a fixed order, lists in
//! declaration order). A replicated pool shows the RPO its mechanism
//! delivers, and the promise beside it when the mechanism cannot keep it;
//! each service served from a lost cluster, where its traffic goes next.

use hybrid_core::reroute::{MeshNext, Reroute};
use hybrid_core::simulate::{Analysis, DataStatus, Status};
use hybrid_model::{ClusterId, ReplicationMechanism, ReplicationMode, Topology};
use serde_json::{json, Value};
use std::fmt::Write;
use std::time::Duration;

fn dur(d: Duration) -> String {
    hybrid_model::format_duration(d)
}

/// The analysis as JSON.
pub fn json(t: &Topology, a: &Analysis) -> Value {
    let scenarios: Vec<Value> = a
        .scenarios
        .iter()
        .map(|sc| {
            let workloads: Vec<Value> = sc
                .workloads
                .iter()
                .map(|o| {
                    let w = t.workload(o.workload);
                    json!({
                        "name": w.name,
                        "kind": w.kind_word(),
                        "critical": w.critical,
                        "outcome": o.status.as_str(),
                        "runs_on": o.surviving.iter().map(|c| t.cluster(*c).name.clone()).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let storage: Vec<Value> = sc
                .storage
                .iter()
                .map(|s| {
                    let used_by: Vec<String> = s.used_by.iter().map(|w| t.workload(*w).name.clone()).collect();
                    match &s.status {
                        DataStatus::Replicated { copy, mode: m, rpo, delivered, mechanism, rto } => json!({
                            "pool": t.storage_path(s.pool),
                            "outcome": "replicated",
                            "copy": t.storage_path(*copy),
                            "mode": delivered_mode(*m, *mechanism),
                            "rpo": dur(*delivered),
                            "rto": rto.map(dur),
                            "mechanism": mechanism.map(|m| m.name()),
                            "promised_mode": m.as_str(),
                            "promised_rpo": dur(*rpo),
                            "used_by": used_by,
                        }),
                        DataStatus::ReplicaOf { source } => json!({
                            "pool": t.storage_path(s.pool),
                            "outcome": "replica",
                            "copy": t.storage_path(*source),
                            "mode": null,
                            "rpo": null,
                            "rto": null,
                            "mechanism": null,
                            "promised_mode": null,
                            "promised_rpo": null,
                            "used_by": used_by,
                        }),
                        DataStatus::NoCopy => json!({
                            "pool": t.storage_path(s.pool),
                            "outcome": "no copy",
                            "copy": null,
                            "mode": null,
                            "rpo": null,
                            "rto": null,
                            "mechanism": null,
                            "promised_mode": null,
                            "promised_rpo": null,
                            "used_by": used_by,
                        }),
                    }
                })
                .collect();
            json!({
                "failure": { "kind": sc.failure.kind_word(), "name": sc.failure.name(t) },
                "clusters_lost": sc.clusters_lost.iter().map(|c| t.cluster(*c).name.clone()).collect::<Vec<_>>(),
                "workloads": workloads,
                "storage": storage,
                "traffic": traffic_json(t, &sc.traffic),
            })
        })
        .collect();
    json!({ "topology": t.name, "scenarios": scenarios })
}

/// The mode a replication runs in: its mechanism's, or the promised one
/// when no mechanism carries it.
fn delivered_mode(promised: ReplicationMode, mechanism: Option<ReplicationMechanism>) -> &'static str {
    mechanism.map_or(promised, ReplicationMechanism::mode).as_str()
}

/// `async, rpo 5m by vSphere Replication, rto 4h`: what the mechanism
/// delivers, with the promise beside it when the mechanism cannot keep it.
fn objectives(
    mode: ReplicationMode,
    rpo: Duration,
    delivered: Duration,
    mechanism: Option<ReplicationMechanism>,
    rto: Option<Duration>,
) -> String {
    let run = delivered_mode(mode, mechanism);
    let by = match mechanism {
        Some(m) if run != mode.as_str() || delivered != rpo => {
            format!(" by {} (promised {}, rpo {})", m.name(), mode.as_str(), dur(rpo))
        }
        Some(m) => format!(" by {}", m.name()),
        None => String::new(),
    };
    format!("{run}, rpo {}{by}{}", dur(delivered), rto.map(|r| format!(", rto {}", dur(r))).unwrap_or_default())
}

fn outcome(status: Status, critical: bool) -> String {
    match (status, critical) {
        (Status::Lost, true) => "LOST (critical)".to_string(),
        (Status::Lost, false) => "LOST".to_string(),
        (Status::Degraded, _) => "DEGRADED".to_string(),
        (s, _) => s.as_str().to_string(),
    }
}

/// Left-aligned columns, two spaces apart.
fn table(rows: &[Vec<String>], indent: &str, out: &mut String) {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> =
        (0..cols).map(|i| rows.iter().filter_map(|r| r.get(i)).map(|c| c.chars().count()).max().unwrap_or(0)).collect();
    for r in rows {
        let mut line = String::from(indent);
        for (i, cell) in r.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < r.len() {
                let pad = widths.get(i).copied().unwrap_or(0).saturating_sub(cell.chars().count()) + 2;
                line.push_str(&" ".repeat(pad));
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// The analysis as a readable table.
pub fn table_text(t: &Topology, a: &Analysis) -> String {
    let mut out = String::new();
    let sites = a.scenarios.iter().filter(|s| s.failure.kind_word() == "site").count();
    let plural = |n: usize, w: &str| if n == 1 { format!("1 {w}") } else { format!("{n} {w}s") };
    let _ = writeln!(
        out,
        "failure analysis of `{}`: {} ({}, {})",
        t.name,
        plural(a.scenarios.len(), "failure"),
        plural(sites, "site"),
        plural(a.scenarios.len() - sites, "cluster")
    );
    for sc in &a.scenarios {
        let lost: Vec<&str> = sc.clusters_lost.iter().map(|c| t.cluster(*c).name.as_str()).collect();
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "if {} `{}` fails{}",
            sc.failure.kind_word(),
            sc.failure.name(t),
            if lost.is_empty() { String::new() } else { format!(" (clusters lost: {})", lost.join(", ")) }
        );
        if sc.workloads.is_empty() && sc.storage.is_empty() && sc.traffic.is_empty() {
            let _ = writeln!(out, "  nothing runs or is stored there");
            continue;
        }
        if !sc.workloads.is_empty() {
            let mut rows = vec![vec!["workload".to_string(), "kind".into(), "outcome".into(), "runs on".into()]];
            for o in &sc.workloads {
                let w = t.workload(o.workload);
                let on: Vec<&str> = o.surviving.iter().map(|c| t.cluster(*c).name.as_str()).collect();
                rows.push(vec![
                    w.name.clone(),
                    w.kind_word().to_string(),
                    outcome(o.status, w.critical),
                    if on.is_empty() { "-".to_string() } else { on.join(", ") },
                ]);
            }
            table(&rows, "  ", &mut out);
        }
        if !sc.storage.is_empty() {
            let mut rows = vec![vec!["storage".to_string(), "outcome".into(), "objectives".into(), "used by".into()]];
            for s in &sc.storage {
                let used: Vec<&str> = s.used_by.iter().map(|w| t.workload(*w).name.as_str()).collect();
                let (what, objectives) = match &s.status {
                    DataStatus::Replicated { copy, mode: m, rpo, delivered, mechanism, rto } => (
                        format!("copy in {}", t.storage_path(*copy)),
                        objectives(*m, *rpo, *delivered, *mechanism, *rto),
                    ),
                    DataStatus::ReplicaOf { source } => {
                        (format!("replica of {} (it survives)", t.storage_path(*source)), "-".to_string())
                    }
                    DataStatus::NoCopy => ("NO COPY".to_string(), "-".to_string()),
                };
                rows.push(vec![
                    t.storage_path(s.pool),
                    what,
                    objectives,
                    if used.is_empty() { "-".to_string() } else { used.join(", ") },
                ]);
            }
            let _ = writeln!(out);
            table(&rows, "  ", &mut out);
        }
        if !sc.traffic.is_empty() {
            let _ = writeln!(out);
            table(&traffic_rows(t, &sc.traffic), "  ", &mut out);
        }
    }
    out
}

/// `cluster (site)`.
fn at(t: &Topology, c: ClusterId) -> String {
    let cluster = t.cluster(c);
    format!("{} ({})", cluster.name, t.site(cluster.site).name)
}

/// Where the mesh sends a lost cluster's traffic: a cluster, `NOWHERE`, or
/// `-` outside a multi-cluster mesh.
fn mesh_next(t: &Topology, next: Option<&MeshNext>) -> String {
    match next {
        Some(MeshNext::To { cluster, passive: true }) => format!("{} once scaled up (passive)", at(t, *cluster)),
        Some(MeshNext::To { cluster, .. }) => at(t, *cluster),
        Some(MeshNext::Nowhere) => "NOWHERE".to_string(),
        None => "-".to_string(),
    }
}

/// The traffic table: per service and lost cluster, where the mesh sends
/// its calls and which clusters still serve its exposed host.
fn traffic_rows(t: &Topology, traffic: &[Reroute]) -> Vec<Vec<String>> {
    let mut rows = vec![vec![
        "traffic of".to_string(),
        "from".into(),
        "mesh fails over to".into(),
        "exposed host served by".into(),
    ]];
    for r in traffic {
        let entry = match &r.entry {
            Some((host, on)) if on.is_empty() => format!("{host}: NOWHERE"),
            Some((host, on)) => format!("{host}: {}", on.iter().map(|c| at(t, *c)).collect::<Vec<_>>().join(", ")),
            None => "-".to_string(),
        };
        rows.push(vec![t.workload(r.service).name.clone(), at(t, r.from), mesh_next(t, r.mesh.as_ref()), entry]);
    }
    rows
}

/// The traffic of a scenario as JSON: `mesh` is `null` outside a
/// multi-cluster mesh, `host` `null` for a service that is not exposed;
/// an empty `to` or `served_by` is traffic with nowhere to go.
fn traffic_json(t: &Topology, traffic: &[Reroute]) -> Vec<Value> {
    let name = |c: &ClusterId| t.cluster(*c).name.clone();
    traffic
        .iter()
        .map(|r| {
            let mesh = r.mesh.as_ref().map(|m| match m {
                MeshNext::To { cluster, passive } => json!({ "to": name(cluster), "passive": passive }),
                MeshNext::Nowhere => json!({ "to": null, "passive": false }),
            });
            let (host, served_by) = match &r.entry {
                Some((host, on)) => (json!(host), json!(on.iter().map(name).collect::<Vec<_>>())),
                None => (Value::Null, Value::Null),
            };
            json!({
                "service": t.workload(r.service).name,
                "from": name(&r.from),
                "mesh": mesh,
                "host": host,
                "served_by": served_by,
            })
        })
        .collect()
}
