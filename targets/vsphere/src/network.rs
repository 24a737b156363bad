//! `network.tf`: the distributed switch (by the name given in a variable)
//! and one `vsphere_distributed_port_group` per network the cluster offers
//! (and any other network one of its vms names), tagged with the site
//! network's VLAN. Port groups are named `CLUSTER-NETWORK`, so two clusters
//! sharing a datacenter and a switch never collide. With `vmotion NETWORK`,
//! every host gets a `vsphere_vnic` on that network's port group, on the
//! vMotion TCP/IP stack, at the address the operator gives for it.

use crate::{dc_id, labels_text, Ctx, DVS, DVS_VAR, HOSTS, HOSTS_VAR, VMOTION_VAR};
use hybrid_emit::hcl::{self, Block, Expr};
use hybrid_model::IpNet;

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
    out.extend(vmotion_vnic(ctx));
    out
}

/// The label of the hosts' vMotion adapters.
pub const VMOTION_VNIC: &str = "vmotion";

/// One VMkernel adapter per host on the vMotion port group and the vMotion
/// TCP/IP stack, at the host's address from [`VMOTION_VAR`] with the
/// network's prefix (no gateway: vMotion stays on its own segment).
fn vmotion_vnic(ctx: &Ctx<'_>) -> Option<Block> {
    let label = ctx.vmotion.as_ref()?;
    let pg = ctx.port_groups.iter().find(|p| &p.label == label)?;
    let address = format!("var.{VMOTION_VAR}[count.index]");
    let ip = match pg.network.cidr.value {
        IpNet::V4(net) => Block::new("ipv4", &[])
            .attr("ip", hcl::raw(&address))
            .attr("netmask", hcl::string(net.netmask().to_string())),
        IpNet::V6(net) => Block::new("ipv6", &[])
            .attr("addresses", Expr::List(vec![hcl::raw(format!("\"${{{address}}}/{}\"", net.prefix_len()))])),
    };
    Some(
        Block::new("resource", &["vsphere_vnic", VMOTION_VNIC])
            .attr("count", hcl::raw(format!("length(var.{HOSTS_VAR})")))
            .attr("host", hcl::raw(format!("data.vsphere_host.{HOSTS}[count.index].id")))
            .attr("distributed_switch_port", hcl::raw(format!("data.vsphere_distributed_virtual_switch.{DVS}.id")))
            .attr("distributed_port_group", hcl::raw(format!("vsphere_distributed_port_group.{label}.id")))
            .block(ip)
            .attr("netstack", hcl::string("vmotion")),
    )
}
