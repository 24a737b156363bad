//! Data protection: replication between storage pools and backups of
//! clusters and workloads.

use super::read::{spanned, spanned_word};
use super::Resolver;
use crate::decode::DNode;
use crate::decode::DVal;
use crate::names::Scope;
use crate::schema::DeclKind;
use hybrid_diagnostics::codes;
use hybrid_model::*;

impl Resolver<'_> {
    pub(super) fn build_replication(&mut self, r: &DNode) -> Option<Replication> {
        let mark = self.diags.len();
        let pools = [DeclKind::Ceph, DeclKind::Vsan];
        let from = r.prop("from").and_then(|v| self.storage_ref(v, &pools, Scope::Topology, "storage pool"));
        let to = r.prop("to").and_then(|v| self.storage_ref(v, &pools, Scope::Topology, "storage pool"));
        self.recode(mark, None, Some(&codes::REPLICATION_NOT_STORAGE));
        Some(Replication {
            name: r.name().to_string(),
            span: r.name_arg_span(),
            from: from?,
            to: to?,
            mode: spanned_word(r, "mode")?,
            rpo: spanned(r, "rpo", DVal::duration)?,
            rto: spanned(r, "rto", DVal::duration),
        })
    }

    pub(super) fn build_backup(&mut self, b: &DNode) -> Option<Backup> {
        let mark = self.diags.len();
        let of = b.prop("of").and_then(|v| {
            let accepts = [DeclKind::Kubernetes, DeclKind::Service, DeclKind::Vm, DeclKind::Job];
            let (_, name, kind) = self.lookup(v, &accepts, Scope::Topology, "kubernetes cluster or workload")?;
            let target = if kind == DeclKind::Kubernetes {
                BackupTarget::Cluster(*self.ids.clusters.get(&name)?)
            } else {
                BackupTarget::Workload(*self.ids.workloads.get(&name)?)
            };
            Some(Spanned::new(target, v.span))
        });
        self.recode(mark, Some(&codes::BACKUP_UNKNOWN_TARGET), None);
        Some(Backup {
            name: b.name().to_string(),
            span: b.name_arg_span(),
            of: of?,
            schedule: spanned(b, "schedule", |v| v.cron().cloned())?,
            retain: spanned(b, "retain", DVal::duration)?,
        })
    }
}
