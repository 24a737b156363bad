//! `nsx.tf`: the `allow-from` of a cluster's vms as NSX-T distributed
//! firewall policy (provider `vmware/nsxt`), for a cluster with `nsx
//! manager=…`:
//!
//! * `nsxt_policy_vm_tags` — every vm of the cluster carries two NSX tags,
//!   its topology (scope `hybrid.dev/topology`) and its name (scope
//!   `app.kubernetes.io/name`), by its instance id;
//! * `nsxt_policy_group` — one group per vm a policy names, its members the
//!   VirtualMachines carrying both tags;
//! * `nsxt_policy_service` — one per TCP port a rule admits (every TCP port
//!   for a vm without ports);
//! * `nsxt_policy_security_policy` — one per vm with `allow-from`, in the
//!   Application category and applied to the vm's group only: a rule per
//!   caller (`Topology::allowed_callers`, the graph every target shares)
//!   and port, the caller a vm of this cluster by its group, any other by
//!   the address ranges it connects from (`Topology::source_ranges`), then
//!   a last rule that drops everything else to the vm.

use crate::names::Names;
use crate::{Ctx, PlacedVm};
use hybrid_emit::hcl::{self, Block, Expr};
use hybrid_emit::labels::{APP, TOPOLOGY};
use hybrid_emit::markdown::code;
use hybrid_emit::prerequisites::Prerequisites;
use hybrid_model::WorkloadId;

/// The provider source and version constraint (`nsxt_policy_vm_tags` and
/// rules with `source_groups` holding CIDRs need 3.x).
pub const PROVIDER_SOURCE: &str = "vmware/nsxt";
pub const PROVIDER_VERSION: &str = "~> 3.4";

/// Every TCP port, as an NSX port range.
const EVERY_TCP_PORT: &str = "1-65535";

/// The port a rule admits: one TCP port, or every one.
fn port_word(port: Option<u16>) -> String {
    port.map(|p| p.to_string()).unwrap_or_else(|| "any".to_string())
}

/// The `value` of a Tag condition: `scope|tag`.
fn tag_value(scope: &str, tag: &str) -> String {
    format!("{scope}|{tag}")
}

fn tag(scope: &str, value: &str) -> Block {
    Block::new("tag", &[]).attr("scope", hcl::string(scope)).attr("tag", hcl::string(value))
}

fn condition(value: String) -> Block {
    Block::new("condition", &[])
        .attr("key", hcl::string("Tag"))
        .attr("member_type", hcl::string("VirtualMachine"))
        .attr("operator", hcl::string("EQUALS"))
        .attr("value", hcl::string(value))
}

fn path(kind: &str, label: &str) -> Expr {
    hcl::raw(format!("{kind}.{label}.path"))
}

/// The NSX name of an object of this topology: `TOPOLOGY-NAME`.
fn display_name(ctx: &Ctx<'_>, name: &str) -> String {
    format!("{}-{name}", ctx.t.name)
}

/// The blocks of `nsx.tf`; none without `nsx` on the cluster.
pub fn blocks(ctx: &Ctx<'_>) -> Vec<Block> {
    if ctx.vs.nsx.is_none() || ctx.vms.is_empty() {
        return Vec::new();
    }
    let t = ctx.t;
    let by_id = |id: WorkloadId| ctx.vms.iter().find(|p| p.id == id);
    let protected: Vec<(&PlacedVm<'_>, Vec<WorkloadId>)> =
        ctx.vms.iter().filter(|p| !p.vm.allow_from.is_empty()).map(|p| (p, t.allowed_callers(p.id))).collect();

    // Groups: each protected vm and each of its callers on this cluster, in first-use order.
    let mut grouped: Vec<&PlacedVm<'_>> = Vec::new();
    for (p, callers) in &protected {
        for g in std::iter::once(*p).chain(callers.iter().filter_map(|c| by_id(*c))) {
            if grouped.iter().all(|q| q.id != g.id) {
                grouped.push(g);
            }
        }
    }
    // Services: each port a rule admits, in first-use order.
    let mut ports: Vec<Option<u16>> = Vec::new();
    for (p, callers) in &protected {
        if callers.is_empty() {
            continue;
        }
        let mine: Vec<Option<u16>> =
            if p.vm.ports.is_empty() { vec![None] } else { p.vm.ports.iter().map(|x| Some(x.number)).collect() };
        for port in mine {
            if !ports.contains(&port) {
                ports.push(port);
            }
        }
    }
    let mut services = Names::default();
    let service_labels: Vec<(Option<u16>, String)> =
        ports.iter().map(|p| (*p, services.identifier(&format!("tcp_{}", port_word(*p))))).collect();
    let service_of = |port: Option<u16>| {
        service_labels.iter().find(|(p, _)| *p == port).map(|(_, l)| path("nsxt_policy_service", l))
    };

    let mut out = Vec::new();
    for p in &ctx.vms {
        out.push(
            Block::new("resource", &["nsxt_policy_vm_tags", &p.label])
                .attr("instance_id", hcl::raw(format!("vsphere_virtual_machine.{}.id", p.label)))
                .block(tag(TOPOLOGY, &t.name))
                .block(tag(APP, &p.w.name)),
        );
    }
    for g in &grouped {
        out.push(
            Block::new("resource", &["nsxt_policy_group", &g.label])
                .attr("display_name", hcl::string(display_name(ctx, &g.w.name)))
                .attr("description", hcl::string(format!("vm {} of topology {}", g.w.name, t.name)))
                .block(
                    Block::new("criteria", &[])
                        .block(condition(tag_value(TOPOLOGY, &t.name)))
                        .block(condition(tag_value(APP, &g.w.name))),
                ),
        );
    }
    for (port, label) in &service_labels {
        let ports = port.map(|p| p.to_string()).unwrap_or_else(|| EVERY_TCP_PORT.to_string());
        out.push(
            Block::new("resource", &["nsxt_policy_service", label])
                .attr("display_name", hcl::string(display_name(ctx, &format!("tcp-{}", port_word(*port)))))
                .attr(
                    "description",
                    hcl::string(match port {
                        Some(p) => format!("TCP port {p}"),
                        None => "every TCP port".to_string(),
                    }),
                )
                .block(
                    Block::new("l4_port_set_entry", &[])
                        .attr("protocol", hcl::string("TCP"))
                        .attr("destination_ports", Expr::List(vec![hcl::string(ports)])),
                ),
        );
    }
    for (p, callers) in &protected {
        out.push(policy(ctx, p, callers, &service_of));
    }
    out
}

/// The security policy of one vm: a rule per caller and port, then the drop.
fn policy(
    ctx: &Ctx<'_>,
    p: &PlacedVm<'_>,
    callers: &[WorkloadId],
    service_of: &dyn Fn(Option<u16>) -> Option<Expr>,
) -> Block {
    let t = ctx.t;
    let me = path("nsxt_policy_group", &p.label);
    let ports: Vec<Option<u16>> =
        if p.vm.ports.is_empty() { vec![None] } else { p.vm.ports.iter().map(|x| Some(x.number)).collect() };
    let mut b = Block::new("resource", &["nsxt_policy_security_policy", &p.label])
        .attr("display_name", hcl::string(display_name(ctx, &p.w.name)))
        .attr(
            "description",
            hcl::string(format!("allow-from of vm {}: its callers on its ports, nothing else", p.w.name)),
        )
        .attr("category", hcl::string("Application"))
        .attr("scope", Expr::List(vec![me.clone()]));
    for caller in callers {
        let w = t.workload(*caller);
        let source = match ctx.vms.iter().find(|q| q.id == *caller) {
            Some(q) => vec![path("nsxt_policy_group", &q.label)],
            // HY6011 refuses a caller whose ranges are unknown.
            None => t.source_ranges(w).unwrap_or_default().iter().map(|r| hcl::string(r.trunc().to_string())).collect(),
        };
        for port in &ports {
            b = b.block(
                Block::new("rule", &[])
                    .attr("display_name", hcl::string(format!("{}-to-{}-tcp-{}", w.name, p.w.name, port_word(*port))))
                    .attr("source_groups", Expr::List(source.clone()))
                    .attr("destination_groups", Expr::List(vec![me.clone()]))
                    .attr("services", Expr::List(service_of(*port).into_iter().collect()))
                    .attr("direction", hcl::string("IN"))
                    .attr("action", hcl::string("ALLOW")),
            );
        }
    }
    b.block(
        Block::new("rule", &[])
            .attr("display_name", hcl::string(format!("deny-to-{}", p.w.name)))
            .attr("destination_groups", Expr::List(vec![me]))
            .attr("direction", hcl::string("IN"))
            .attr("action", hcl::string("DROP"))
            .attr("logged", Expr::Bool(true)),
    )
    .block(Block::new("lifecycle", &[]).attr("create_before_destroy", Expr::Bool(true)))
}

/// What `nsx.tf` assumes: the manager, its credentials in the environment
/// (never in a file), and NSX on the cluster's hosts, so that its
/// distributed firewall filters the vms' distributed port groups.
pub fn prerequisites(ctx: &Ctx<'_>, req: &mut Prerequisites) {
    let Some(nsx) = &ctx.vs.nsx else { return };
    if ctx.vms.is_empty() {
        return;
    }
    let dir = crate::vsphere_dir(ctx.t, ctx.id);
    req.procedure(
        format!("NSX-T distributed firewall of vSphere cluster {}", code(&ctx.cluster.name)),
        vec![
            format!(
                "The NSX-T manager {} (NSX-T 3.2 or newer) manages vCenter of datacenter {}, and NSX is installed \
                 on the hosts of cluster {} (Distributed Security on its distributed switch is enough): its \
                 distributed firewall then filters the vms' distributed port groups.",
                code(&nsx.manager),
                code(&ctx.vs.datacenter),
                code(&ctx.cluster.name)
            ),
            format!(
                "`terraform init` in {} installs the provider {} ({}); `terraform apply` reads the NSX-T \
                 credentials from `NSXT_USERNAME` and `NSXT_PASSWORD`, set from your secret store, never \
                 written to a file; that user may tag vms and create groups, services and security policies in \
                 the default domain.",
                code(&dir),
                code(PROVIDER_SOURCE),
                code(PROVIDER_VERSION)
            ),
            "The categories NSX applies before Application (Ethernet, Emergency, Infrastructure, Environment) \
             allow no traffic to these vms that `nsx.tf` denies: each vm's policy, applied to the vm alone, \
             ends with a rule that drops every other connection to it."
                .to_string(),
        ],
    );
}
