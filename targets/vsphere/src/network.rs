//! `network.tf`: the distributed switch (by the name given in a variable)
//! and one `vsphere_distributed_port_group` per network the cluster offers
//! (and any other network one of its vms names), tagged with the site
//! network's VLAN. Port groups are named `CLUSTER-NETWORK`, so two clusters
//! sharing a datacenter and a switch never collide.

use crate::{dc_id, labels_text, Ctx, DVS, DVS_VAR};
use hybrid_emit::hcl::{self, Block, Expr};

/// The vSphere name of the port group for `network` on `cluster`.
pub fn port_group_name(cluster: &str, network: &str) -> String {
    format!("{cluster}-{network}")
}

pub fn blocks(ctx: &Ctx<'_>) -> Vec<Block> {
    if ctx.port_groups.is_empty() {
        return Vec::new();
    }
    let mut out = vec![Block::new("data", &["vsphere_distributed_virtual_switch", DVS])
        .attr("name", hcl::raw(format!("var.{DVS_VAR}")))
        .attr("datacenter_id", dc_id())];
    let labels = labels_text(ctx.t, ", ");
    for pg in &ctx.port_groups {
        let n = pg.network;
        let site = &ctx.t.site(n.site).name;
        let description = format!("Network {} ({}) of site {site}; {labels}", n.name, n.cidr.value);
        out.push(
            Block::new("resource", &["vsphere_distributed_port_group", &pg.label])
                .attr("name", hcl::string(port_group_name(&ctx.cluster.name, &n.name)))
                .attr("description", hcl::string(description))
                .attr(
                    "distributed_virtual_switch_uuid",
                    hcl::raw(format!("data.vsphere_distributed_virtual_switch.{DVS}.id")),
                )
                .attr_opt("vlan_id", n.vlan.as_ref().map(|v| Expr::Int(v.value))),
        );
    }
    out
}
