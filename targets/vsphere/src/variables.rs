//! `variables.tf`: what the program does not know about the vCenter it is
//! applied to — the ESXi host names (the program knows only their count,
//! checked by a `validation`), the hosts' vMotion addresses (one per host,
//! in the vMotion network), the distributed switch the port groups go on, a datastore when a vm can use no vSAN, and the template cloned for
//! each distinct vm `image` (defaulting to the image as written).

use crate::{Ctx, DatastoreSource, PlacedVm, DVS_VAR, HOSTS_VAR, VMOTION_VAR};
use hybrid_emit::hcl::{self, Block, Expr};

pub fn blocks(ctx: &Ctx<'_>) -> Vec<Block> {
    let cluster = &ctx.cluster.name;
    let datacenter = &ctx.vs.datacenter;
    let mut out = Vec::new();

    let count = ctx.vs.hosts.as_ref().map(|h| h.count);
    let described = match count {
        Some(n) => format!("The names of the {} of vSphere cluster {cluster}, as vCenter knows them.", hosts_text(n)),
        None => format!("The names of the ESXi hosts of vSphere cluster {cluster}, as vCenter knows them."),
    };
    let mut hosts = Block::new("variable", &[HOSTS_VAR])
        .attr("description", hcl::string(described))
        .attr("type", hcl::raw("list(string)"));
    if let Some(n) = count {
        hosts = hosts.block(
            Block::new("validation", &[]).attr("condition", hcl::raw(format!("length(var.{HOSTS_VAR}) == {n}"))).attr(
                "error_message",
                hcl::string(format!("vSphere cluster {cluster} has {} in the topology.", hosts_text(n))),
            ),
        );
    }
    out.push(hosts);

    out.extend(vmotion_addresses(ctx));

    if !ctx.port_groups.is_empty() {
        out.push(
            Block::new("variable", &[DVS_VAR])
                .attr(
                    "description",
                    hcl::string(format!(
                        "The distributed switch in datacenter {datacenter} that carries the port groups of vSphere cluster {cluster}."
                    )),
                )
                .attr("type", hcl::raw("string")),
        );
    }

    for d in &ctx.datastores {
        if let DatastoreSource::Variable(var) = &d.source {
            out.push(
                Block::new("variable", &[var])
                    .attr(
                        "description",
                        hcl::string(format!(
                            "The datastore for the vms of vSphere cluster {cluster} whose disks name no vSAN of it."
                        )),
                    )
                    .attr("type", hcl::raw("string")),
            );
        }
    }

    for p in &ctx.vms {
        out.extend(sriov_variables(ctx, p));
    }

    for tpl in &ctx.templates {
        out.push(
            Block::new("variable", &[&tpl.var])
                .attr(
                    "description",
                    hcl::string(format!(
                        "The vSphere template (name or path in datacenter {datacenter}) cloned for the vms with image {}.",
                        tpl.image
                    )),
                )
                .attr("type", hcl::raw("string"))
                .attr("default", Expr::Str(tpl.image.to_string())),
        );
    }
    out
}

/// The hosts' vMotion addresses, one per host in the vMotion network (`vmotion NETWORK`).
fn vmotion_addresses(ctx: &Ctx<'_>) -> Option<Block> {
    let cluster = &ctx.cluster.name;
    let pg = ctx.vmotion.as_ref().and_then(|l| ctx.port_groups.iter().find(|p| &p.label == l))?;
    let n = pg.network;
    let mut v = Block::new("variable", &[VMOTION_VAR])
        .attr(
            "description",
            hcl::string(format!(
                "The vMotion address of each ESXi host of vSphere cluster {cluster}, in the order of {HOSTS_VAR}, on network {} ({}).",
                n.name, n.cidr.value
            )),
        )
        .attr("type", hcl::raw("list(string)"));
    v = v.block(
        Block::new("validation", &[])
            .attr(
                "condition",
                hcl::raw(format!(
                    "length(var.{VMOTION_VAR}) == length(var.{HOSTS_VAR}) && alltrue([for a in var.{VMOTION_VAR} : try(cidrhost(\"${{a}}/{prefix}\", 0), \"\") == \"{base}\"])",
                    prefix = n.cidr.value.prefix_len(),
                    base = n.cidr.value.network(),
                )),
            )
            .attr(
                "error_message",
                hcl::string(format!(
                    "Give one address in {} per ESXi host of vSphere cluster {cluster}.",
                    n.cidr.value
                )),
            ),
    );
    Some(v)
}

/// For a vm with SR-IOV interfaces: the host it runs on (one of
/// [`HOSTS_VAR`]) and the PCI address of each interface's physical function.
fn sriov_variables(ctx: &Ctx<'_>, p: &PlacedVm<'_>) -> Vec<Block> {
    let cluster = &ctx.cluster.name;
    let vm = &p.w.name;
    let mut out = Vec::new();
    if let Some(host) = &p.sriov_host {
        out.push(
            Block::new("variable", &[host])
                .attr(
                    "description",
                    hcl::string(format!(
                        "The ESXi host of vSphere cluster {cluster} that runs vm {vm}: its SR-IOV adapters use physical functions of that host."
                    )),
                )
                .attr("type", hcl::raw("string"))
                .block(
                    Block::new("validation", &[])
                        .attr("condition", hcl::raw(format!("contains(var.{HOSTS_VAR}, var.{host})")))
                        .attr("error_message", hcl::string(format!("The host of vm {vm} must be one of {HOSTS_VAR}."))),
                ),
        );
    }
    for nic in &p.nics {
        let Some(pf) = &nic.physical_function else { continue };
        let network = ctx.port_groups.iter().find(|g| g.label == nic.port_group).map(|g| g.network.name.as_str());
        out.push(
            Block::new("variable", &[pf])
                .attr(
                    "description",
                    hcl::string(format!(
                        "The PCI address (host > Configure > Networking > Physical adapters) of the SR-IOV physical function that connects vm {vm} to network {}.",
                        network.unwrap_or_default()
                    )),
                )
                .attr("type", hcl::raw("string"))
                .block(
                    Block::new("validation", &[])
                        .attr(
                            "condition",
                            hcl::raw(format!(
                                "can(regex(\"^[0-9a-fA-F]{{4}}:[0-9a-fA-F]{{2}}:[0-9a-fA-F]{{2}}\\\\.[0-7]$\", var.{pf}))"
                            )),
                        )
                        .attr("error_message", hcl::string("A PCI address such as 0000:3b:00.1.")),
                ),
        );
    }
    out
}

/// `1 ESXi host`, `4 ESXi hosts`.
fn hosts_text(n: u32) -> String {
    if n == 1 {
        "1 ESXi host".to_string()
    } else {
        format!("{n} ESXi hosts")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_counts() {
        assert_eq!(hosts_text(1), "1 ESXi host");
        assert_eq!(hosts_text(4), "4 ESXi hosts");
    }
}
