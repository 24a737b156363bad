//! `backup.yaml`: a Velero `Schedule` (namespace `velero`) per `backup` of
//! this cluster — of the whole cluster (every namespace) or of a workload
//! placed here (its namespace, its pods' `app.kubernetes.io/name` label).
//! The retention becomes the backups' `ttl` as a Go duration.

use crate::meta::{self, meta};
use crate::Ctx;
use hybrid_emit::{json, key, Map, Value};
use hybrid_model::{Backup, BackupTarget, WorkloadKind};
use std::time::Duration;

/// The namespace Velero runs in.
pub const VELERO_NAMESPACE: &str = "velero";

pub fn objects(ctx: &Ctx<'_>) -> Vec<Value> {
    ctx.t.backups.iter().filter_map(|b| schedule(ctx, b)).collect()
}

/// The Schedule of one backup, when it protects something on this cluster.
fn schedule(ctx: &Ctx<'_>, b: &Backup) -> Option<Value> {
    let t = ctx.t;
    let mut template = Map::new();
    match b.of.value {
        BackupTarget::Cluster(id) if id == ctx.id => {
            template.insert(key!("includedNamespaces"), json!(["*"]));
        }
        BackupTarget::Workload(wid) => {
            let w = t.workloads.get(wid.index())?;
            if !w.is_placed_on(ctx.id) {
                return None;
            }
            let namespace = match &w.kind {
                WorkloadKind::Service(s) => s.namespace.clone(),
                _ => meta::default_namespace(t),
            };
            template.insert(key!("includedNamespaces"), json!([namespace]));
            template.insert(key!("labelSelector"), json!({ "matchLabels": meta::app(w) }));
        }
        BackupTarget::Cluster(_) => return None,
    }
    template.insert(key!("snapshotVolumes"), Value::from(true));
    template.insert(key!("storageLocation"), json!("default"));
    template.insert(key!("ttl"), Value::from(go_duration(b.retain.value)));
    Some(json!({
        "apiVersion": "velero.io/v1",
        "kind": "Schedule",
        "metadata": meta(t, &b.name, VELERO_NAMESPACE, &[]),
        "spec": {
            "schedule": &b.schedule.value.text,
            "useOwnerReferencesInBackup": false,
            "template": template,
        },
    }))
}

/// A duration as Go's `time.ParseDuration` reads it, always with hours,
/// minutes and seconds (the form Velero prints): 7 days → `168h0m0s`,
/// 30 minutes → `0h30m0s`, 1.5 seconds → `0h0m1.5s`.
pub fn go_duration(d: Duration) -> String {
    let secs = d.as_secs();
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let nanos = d.subsec_nanos();
    if nanos == 0 {
        format!("{h}h{m}m{s}s")
    } else {
        let frac = format!("{nanos:09}");
        format!("{h}h{m}m{s}.{}s", frac.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(go_duration(Duration::from_secs(7 * 86_400)), "168h0m0s");
        assert_eq!(go_duration(Duration::from_secs(30 * 60)), "0h30m0s");
        assert_eq!(go_duration(Duration::from_secs(30 * 86_400)), "720h0m0s");
        assert_eq!(go_duration(Duration::from_secs(3_661)), "1h1m1s");
        assert_eq!(go_duration(Duration::ZERO), "0h0m0s");
        assert_eq!(go_duration(Duration::from_millis(1_500)), "0h0m1.5s");
        assert_eq!(go_duration(Duration::from_nanos(7)), "0h0m0.000000007s");
    }
}
