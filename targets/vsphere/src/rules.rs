//! `rules.tf`: one mandatory `vsphere_compute_cluster_vm_anti_affinity_rule`
//! per `anti-affinity GROUP` with at least two vms on this cluster (a group
//! of one keeps itself apart trivially, and vCenter wants two vms per rule),
//! and one `vsphere_ha_vm_override` per vm with its own `ha restart-priority`.

use crate::cluster::restart_priority;
use crate::names::Names;
use crate::Ctx;
use hybrid_emit::hcl::{self, Block, Expr};

/// The anti-affinity groups of the cluster's vms in first-use order, each
/// with the labels of its vms' resources.
pub fn anti_affinity_groups<'c>(ctx: &'c Ctx<'_>) -> Vec<(&'c str, Vec<&'c str>)> {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for p in &ctx.vms {
        let Some(g) = p.vm.anti_affinity.as_deref() else { continue };
        match groups.iter_mut().find(|(name, _)| *name == g) {
            Some((_, members)) => members.push(&p.label),
            None => groups.push((g, vec![&p.label])),
        }
    }
    groups
}

/// The vSphere name of the rule for a group.
pub fn rule_name(group: &str) -> String {
    format!("anti-affinity-{group}")
}

pub fn blocks(ctx: &Ctx<'_>) -> Vec<Block> {
    let mut out = Vec::new();
    let cluster_id = ctx.cluster_ref("id");
    let mut rule_labels = Names::default();
    for (group, members) in anti_affinity_groups(ctx) {
        if members.len() < 2 {
            continue;
        }
        let ids = members.iter().map(|m| hcl::raw(format!("vsphere_virtual_machine.{m}.id"))).collect();
        out.push(
            Block::new("resource", &["vsphere_compute_cluster_vm_anti_affinity_rule", &rule_labels.identifier(group)])
                .attr("name", hcl::string(rule_name(group)))
                .attr("compute_cluster_id", hcl::raw(&cluster_id))
                .attr("virtual_machine_ids", Expr::List(ids))
                .attr("mandatory", Expr::Bool(true)),
        );
    }
    for p in &ctx.vms {
        let Some(priority) = p.vm.ha.as_ref().map(|h| h.value) else { continue };
        out.push(
            Block::new("resource", &["vsphere_ha_vm_override", &p.label])
                .attr("compute_cluster_id", hcl::raw(&cluster_id))
                .attr("virtual_machine_id", hcl::raw(format!("vsphere_virtual_machine.{}.id", p.label)))
                .attr("ha_vm_restart_priority", hcl::string(restart_priority(priority))),
        );
    }
    out
}
