//! The README's `## Backups`: for each `backup` of a vm placed on the
//! cluster, what to configure in a VADP backup product.

use super::{cell, code, Md};
use crate::Ctx;
use hybrid_model::{format_duration, Backup, BackupTarget};

/// `## Backups`, one subsection per `backup` of a vm placed here.
pub(super) fn section(ctx: &Ctx<'_>) -> String {
    let items = vm_backups(ctx);
    if items.is_empty() {
        return String::new();
    }
    let mut md = Md::default();
    md.line("## Backups");
    md.blank();
    md.line(
        "The provider has no backup resource and vSphere has no built-in backup schedule: configure each \
         backup below in a backup product that uses the vSphere Storage APIs for Data Protection (VADP).",
    );
    for (b, vm) in items {
        entry(ctx, &mut md, b, vm);
    }
    md.text
}

/// The backups of vms placed on the cluster, with the vm's name, in declaration order.
fn vm_backups<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Backup, &'a str)> {
    let t = ctx.t;
    t.backups
        .iter()
        .filter_map(|b| match b.of.value {
            BackupTarget::Workload(id) => {
                let name = t.workload(id).name.as_str();
                ctx.vms.iter().any(|p| p.w.name == name).then_some((b, name))
            }
            BackupTarget::Cluster(_) => None,
        })
        .collect()
}

/// `### BACKUP`: its vm, schedule and retention, then the steps in the backup product.
fn entry(ctx: &Ctx<'_>, md: &mut Md, b: &Backup, vm: &str) {
    md.blank();
    md.line(format!("### {}", code(&b.name)));
    md.blank();
    md.line("| | |");
    md.line("|---|---|");
    md.line(format!("| vm | {} |", cell(&code(vm))));
    md.line(format!(
        "| schedule | {} (cron: minute hour day-of-month month day-of-week) |",
        cell(&code(&b.schedule.value.to_string()))
    ));
    md.line(format!("| retain | {} |", format_duration(b.retain.value)));
    md.blank();
    md.line(format!(
        "1. Register the vCenter of datacenter {} in the backup product, with a user that holds its backup privileges.",
        code(&ctx.vs.datacenter)
    ));
    md.line(format!(
        "2. Create a job for vm {} on the schedule above, keeping restore points for {}; turn on application-aware \
         (quiesced) processing when the vm runs a database.",
        code(vm),
        format_duration(b.retain.value)
    ));
    md.line("3. Run it once and restore the vm to a test name to prove the backup is usable.");
}
