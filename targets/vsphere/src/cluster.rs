//! `versions.tf` (the pinned provider) and `cluster.tf`: the datacenter and
//! host data sources and the `vsphere_compute_cluster` with vSphere HA
//! (restart priority, isolation response, admission control as a
//! percentage of cpu and memory), DRS (automation level) and vSAN
//! (deduplication, compression, data-in-transit encryption). vSAN
//! data-at-rest encryption has no argument in the provider: the
//! prerequisites give the operator's steps ([`at_rest_steps`]).

use crate::names::percent_ceil;
use crate::{dc_id, Ctx, DC, HOSTS, HOSTS_VAR};
use hybrid_emit::hcl::{self, Block, Expr};
use hybrid_model::{DrsAutomation, IsolationResponse, Priority, StorageKind, VSphere};

/// The provider source and version constraint.
pub const PROVIDER_SOURCE: &str = "hashicorp/vsphere";
pub const PROVIDER_VERSION: &str = "~> 2.0";

/// `terraform { required_providers { … } }` and `provider "vsphere" {}`
/// (no arguments: vCenter and the credentials come from the environment,
/// and certificates are verified); with `nsx`, the NSX-T provider too, its
/// manager's host written and its credentials from the environment.
pub fn versions(vs: &VSphere) -> Vec<Block> {
    let pin = |source: &str, version: &str| {
        Expr::Map(vec![("source".into(), hcl::string(source)), ("version".into(), hcl::string(version))])
    };
    let mut required = Block::new("required_providers", &[]).attr("vsphere", pin(PROVIDER_SOURCE, PROVIDER_VERSION));
    if vs.nsx.is_some() {
        required = required.attr("nsxt", pin(crate::nsx::PROVIDER_SOURCE, crate::nsx::PROVIDER_VERSION));
    }
    let mut out = vec![Block::new("terraform", &[]).block(required), Block::new("provider", &["vsphere"])];
    if let Some(nsx) = &vs.nsx {
        out.push(Block::new("provider", &["nsxt"]).attr("host", hcl::string(&nsx.manager)));
    }
    out
}

/// The provider's value for a restart priority (`lowest`..`highest`).
pub fn restart_priority(p: Priority) -> &'static str {
    match p {
        Priority::Low => "low",
        Priority::Medium => "medium",
        Priority::High => "high",
    }
}

/// The provider's value for an isolation response.
pub fn isolation_response(r: IsolationResponse) -> &'static str {
    match r {
        IsolationResponse::None => "none",
        IsolationResponse::Shutdown => "shutdown",
        IsolationResponse::PowerOff => "powerOff",
    }
}

/// The provider's value for a DRS automation level.
pub fn drs_automation(d: DrsAutomation) -> &'static str {
    match d {
        DrsAutomation::Manual => "manual",
        DrsAutomation::PartiallyAutomated => "partiallyAutomated",
        DrsAutomation::FullyAutomated => "fullyAutomated",
    }
}

/// vSAN settings of the cluster: one vSAN datastore per cluster, so a
/// feature is on when any declared `vsan` asks for it. `(dedup, compression)`;
/// compression is on whenever dedup is (vSAN cannot deduplicate without
/// compressing; the README says so when the program did not ask for it).
/// The cluster's vsans.
fn vsans<'a>(ctx: &Ctx<'a>) -> impl Iterator<Item = &'a hybrid_model::Vsan> + 'a {
    let t = ctx.t;
    ctx.vs.vsans.iter().filter_map(move |s| match &t.storage(*s).kind {
        StorageKind::Vsan(v) => Some(v),
        StorageKind::Ceph(_) => None,
    })
}

/// The operator's steps that turn on data-at-rest encryption of vSAN
/// `name` on vSphere cluster `cluster` (the provider has no argument for
/// it: `vsphere_compute_cluster` offers `vsan_dit_encryption_enabled`, in
/// transit, alone).
pub fn at_rest_steps(cluster: &str, name: &str) -> Vec<String> {
    vec![
        format!(
            "In vCenter, add a key provider (a standard key provider of a KMIP key server, or a vSphere Native Key \
             Provider) and make it the default: vSAN {} takes its keys from it.",
            hybrid_emit::markdown::code(name)
        ),
        format!(
            "Before the first vm is created on it, turn on data-at-rest encryption of vSAN on cluster {} \
             (Configure → vSAN → Services → Data Services → Data-At-Rest encryption, with the key provider above, \
             or PowerCLI {}): disks written before are encrypted only by a rewrite of each disk group.",
            hybrid_emit::markdown::code(cluster),
            hybrid_emit::markdown::code(&format!(
                "Set-VsanClusterConfiguration -Configuration {cluster} -EncryptionEnabled $true -KmsCluster KEY-PROVIDER"
            ))
        ),
    ]
}

pub fn vsan_features(ctx: &Ctx<'_>) -> Option<(bool, bool)> {
    let vsans: Vec<_> = ctx
        .vs
        .vsans
        .iter()
        .filter_map(|s| match &ctx.t.storage(*s).kind {
            StorageKind::Vsan(v) => Some(v),
            StorageKind::Ceph(_) => None,
        })
        .collect();
    if ctx.vs.vsans.is_empty() {
        return None;
    }
    let dedup = vsans.iter().any(|v| v.dedup);
    let compression = vsans.iter().any(|v| v.compression);
    Some((dedup, compression || dedup))
}

pub fn blocks(ctx: &Ctx<'_>) -> Vec<Block> {
    let vs = ctx.vs;
    let datacenter = Block::new("data", &["vsphere_datacenter", DC]).attr("name", hcl::string(&vs.datacenter));
    let hosts = Block::new("data", &["vsphere_host", HOSTS])
        .attr("count", hcl::raw(format!("length(var.{HOSTS_VAR})")))
        .attr("name", hcl::raw(format!("var.{HOSTS_VAR}[count.index]")))
        .attr("datacenter_id", dc_id());

    let mut c = Block::new("resource", &["vsphere_compute_cluster", &ctx.cluster_label])
        .attr("name", hcl::string(&ctx.cluster.name))
        .attr("datacenter_id", dc_id())
        .attr("host_system_ids", hcl::raw(format!("data.vsphere_host.{HOSTS}[*].id")));

    if let Some(ha) = &vs.ha {
        c = c.blank().attr("ha_enabled", Expr::Bool(true));
        c = c.attr_opt("ha_vm_restart_priority", ha.restart_priority.map(|p| hcl::string(restart_priority(p))));
        c = c.attr_opt("ha_host_isolation_response", ha.isolation_response.map(|r| hcl::string(isolation_response(r))));
        if let Some(reserve) = &ha.admission_reserve {
            let pct = Expr::Int(percent_ceil(reserve.value));
            c = c
                .attr("ha_admission_control_policy", hcl::string("resourcePercentage"))
                .attr("ha_admission_control_resource_percentage_auto_compute", Expr::Bool(false))
                .attr("ha_admission_control_resource_percentage_cpu", pct.clone())
                .attr("ha_admission_control_resource_percentage_memory", pct);
        }
    }
    if let Some(drs) = vs.drs {
        c = c
            .blank()
            .attr("drs_enabled", Expr::Bool(true))
            .attr("drs_automation_level", hcl::string(drs_automation(drs)));
    }
    if let Some((dedup, compression)) = vsan_features(ctx) {
        c = c
            .blank()
            .attr("vsan_enabled", Expr::Bool(true))
            .attr("vsan_dedup_enabled", Expr::Bool(dedup))
            .attr("vsan_compression_enabled", Expr::Bool(compression));
        if vsans(ctx).any(|v| v.encrypted_in_transit) {
            c = c.attr("vsan_dit_encryption_enabled", Expr::Bool(true));
        }
    }
    vec![datacenter, hosts, c]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_values() {
        assert_eq!(restart_priority(Priority::High), "high");
        assert_eq!(isolation_response(IsolationResponse::PowerOff), "powerOff");
        assert_eq!(drs_automation(DrsAutomation::PartiallyAutomated), "partiallyAutomated");
        assert_eq!(drs_automation(DrsAutomation::FullyAutomated), "fullyAutomated");
    }

    #[test]
    fn versions_pin_the_registry_source() {
        let text = hcl::file(&versions(&VSphere::default()));
        assert!(text.contains("vsphere = { source = \"hashicorp/vsphere\", version = \"~> 2.0\" }"), "{text}");
        assert!(text.contains("provider \"vsphere\""));
        assert!(!text.contains("nsxt"), "{text}");
        assert!(!text.contains("allow_unverified_ssl"));
    }

    #[test]
    fn nsx_adds_its_provider_with_the_manager_and_no_credentials() {
        let vs = VSphere {
            nsx: Some(hybrid_model::Nsx { span: Default::default(), manager: "nsx.example.com".into() }),
            ..VSphere::default()
        };
        let text = hcl::file(&versions(&vs));
        assert!(text.contains("nsxt    = { source = \"vmware/nsxt\", version = \"~> 3.4\" }"), "{text}");
        assert!(text.contains("provider \"nsxt\" {\n  host = \"nsx.example.com\"\n}"), "{text}");
        assert!(!text.contains("password") && !text.contains("username"), "{text}");
    }
}
