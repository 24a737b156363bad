//! `vms.tf`: the datastores the vms use (a vSAN datastore by the vsan's
//! `datastore` name, `vsanDatastore` unless renamed, read once the cluster
//! has vSAN on), one template data source per distinct `image`, and a
//! `vsphere_virtual_machine` per vm: cloned from its template into the
//! cluster's resource pool, with its vCPUs, memory, reservations (cpu in
//! MHz of the hosts' `clock`), port group and disks (boot disk first,
//! `unit_number` 0, 1, …). The common labels go into the vm's `annotation`.

use crate::names::{share_ceil, Names};
use crate::{
    boot_disk, datastore_name, dc_id, disk_vsan, labels_text, Ctx, DatastoreSource, PlacedVm, HOSTS, HOSTS_VAR,
};
use hybrid_emit::hcl::{self, Block, Expr};
use hybrid_model::{Frequency, HugePageSize, Percent, Vm};

/// `cpu_reservation` in MHz: vCPUs × the hosts' clock (MHz, rounded down)
/// × percent. One vCPU at full load is one core at the host's clock.
pub fn cpu_reservation_mhz(cpus: u32, clock: Frequency, p: Percent) -> i64 {
    share_ceil(u64::from(cpus).saturating_mul(clock.mhz_floor()), p)
}

/// `memory_reservation` in MiB: memory (MiB) × percent.
pub fn memory_reservation_mib(memory_mib: u64, p: Percent) -> i64 {
    share_ceil(memory_mib, p)
}

/// vSphere sizes vm memory in multiples of 4 MiB.
pub const MEMORY_GRANULE_MIB: u64 = 4;

/// MiB rounded up to a multiple of [`MEMORY_GRANULE_MIB`].
pub fn round_memory_mib(mib: u64) -> u64 {
    mib.div_ceil(MEMORY_GRANULE_MIB).saturating_mul(MEMORY_GRANULE_MIB)
}

/// The vm's `memory` in MiB, rounded up to [`MEMORY_GRANULE_MIB`].
pub fn memory_mib(vm: &Vm) -> u64 {
    round_memory_mib(vm.memory.value.mib_ceil())
}

/// Whether all of the vm's memory is reserved (`reserve memory="100%"`).
pub fn memory_fully_reserved(vm: &Vm) -> bool {
    vm.reserve.as_ref().and_then(|r| r.memory).is_some_and(|p| p.0 >= 100.0)
}

/// `numa pinned` becomes latency sensitivity `high` (exclusive physical
/// cores, NUMA-local memory), which vSphere only powers on with all memory
/// reserved; otherwise the README explains what to do.
pub fn latency_high(vm: &Vm) -> bool {
    vm.numa_pinned && memory_fully_reserved(vm)
}

/// NUMA node pinning (`numa pinned=#true hugepages=`) under latency
/// sensitivity high: one virtual NUMA node of all the vm's vCPUs
/// (`numa.vcpu.maxPerVirtualNode`), which the NUMA scheduler keeps with its
/// memory on one host node, and 1 GB pages (`sched.mem.lpage.enable1GPage`;
/// ESXi backs memory with 2 MB pages already). Without all memory reserved
/// the README explains what to do.
fn numa_extra_config(vm: &Vm) -> Option<Expr> {
    let pages = vm.numa_hugepages.as_ref().filter(|_| latency_high(vm))?;
    let mut config = vec![("numa.vcpu.maxPerVirtualNode".to_string(), hcl::string(vm.cpu.value.to_string()))];
    if pages.value == HugePageSize::OneGi {
        config.push(("sched.mem.lpage.enable1GPage".to_string(), hcl::string("TRUE")));
    }
    Some(Expr::Map(config))
}

/// Whether the vm asks for vSphere Fault Tolerance.
pub fn fault_tolerant(vm: &Vm) -> bool {
    vm.fault_tolerance.as_ref().is_some_and(|f| f.value)
}

fn int(v: u64) -> Expr {
    Expr::Int(i64::try_from(v).unwrap_or(i64::MAX))
}

/// A `disk` block of the vm, in the order written.
#[derive(Debug, PartialEq)]
pub struct DiskOut {
    pub label: String,
    pub size: Expr,
    /// Provisioning copied from the template (boot disk only).
    pub from_template: bool,
    pub datastore: Option<DatastoreSource>,
}

/// The vm's disks: the boot disk first (the template's first disk, sized
/// as the program says, or as the template has it when no disk says
/// `boot=#true`), then the others in declaration order.
pub fn disks(ctx: &Ctx<'_>, p: &PlacedVm<'_>, template: &str) -> Vec<DiskOut> {
    let vm = p.vm;
    let boot = boot_disk(vm);
    let mut out = Vec::new();
    let datastore_of =
        |d: &hybrid_model::Disk| disk_vsan(ctx.vs, d).map(DatastoreSource::Vsan).filter(|ds| ds != &p.datastore);
    match boot.and_then(|i| vm.disks.get(i)) {
        Some(d) => out.push(DiskOut {
            label: d.name.clone(),
            size: int(d.size.gib_ceil().max(1)),
            from_template: true,
            datastore: datastore_of(d),
        }),
        None => {
            let mut labels = Names::default();
            for d in &vm.disks {
                labels.identifier(&d.name);
            }
            out.push(DiskOut {
                label: labels.identifier("boot"),
                size: hcl::raw(format!("data.vsphere_virtual_machine.{template}.disks[0].size")),
                from_template: true,
                datastore: None,
            });
        }
    }
    for (i, d) in vm.disks.iter().enumerate() {
        if Some(i) == boot {
            continue;
        }
        out.push(DiskOut {
            label: d.name.clone(),
            size: int(d.size.gib_ceil().max(1)),
            from_template: false,
            datastore: datastore_of(d),
        });
    }
    out
}

pub fn blocks(ctx: &Ctx<'_>) -> Vec<Block> {
    if ctx.vms.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for d in &ctx.datastores {
        let b = Block::new("data", &["vsphere_datastore", &d.label]);
        out.push(match &d.source {
            DatastoreSource::Vsan(sid) => {
                b.attr("name", hcl::string(datastore_name(ctx.t, *sid))).attr("datacenter_id", dc_id()).attr(
                    "depends_on",
                    Expr::List(vec![hcl::raw(format!("vsphere_compute_cluster.{}", ctx.cluster_label))]),
                )
            }
            DatastoreSource::Variable(var) => {
                b.attr("name", hcl::raw(format!("var.{var}"))).attr("datacenter_id", dc_id())
            }
        });
    }
    for tpl in &ctx.templates {
        out.push(
            Block::new("data", &["vsphere_virtual_machine", &tpl.var])
                .attr("name", hcl::raw(format!("var.{}", tpl.var)))
                .attr("datacenter_id", dc_id()),
        );
    }
    let annotation = labels_text(ctx.t, "\n");
    for p in &ctx.vms {
        out.push(vm_block(ctx, p, &annotation));
    }
    out
}

fn vm_block(ctx: &Ctx<'_>, p: &PlacedVm<'_>, annotation: &str) -> Block {
    let vm = p.vm;
    let tpl = &p.template;
    let tpl_ref = |attr: &str| hcl::raw(format!("data.vsphere_virtual_machine.{tpl}.{attr}"));
    let memory_mib = memory_mib(vm);
    let reserve = vm.reserve.as_ref();

    let mut b = Block::new("resource", &["vsphere_virtual_machine", &p.label])
        .attr("name", hcl::string(&p.w.name))
        .attr("resource_pool_id", hcl::raw(ctx.cluster_ref("resource_pool_id")))
        .attr_opt("datastore_id", ctx.datastore_ref(&p.datastore).map(hcl::raw))
        // A physical function belongs to one host: the vm runs there.
        .attr_opt(
            "host_system_id",
            p.sriov_host
                .as_ref()
                .map(|h| hcl::raw(format!("data.vsphere_host.{HOSTS}[index(var.{HOSTS_VAR}, var.{h})].id"))),
        )
        .attr("num_cpus", Expr::Int(i64::from(vm.cpu.value)))
        .attr("memory", int(memory_mib))
        .attr_opt(
            "cpu_reservation",
            // Without the hosts' clock there is no reservation to write (HY4016 stops the build).
            reserve
                .and_then(|r| r.cpu)
                .zip(ctx.vs.host_clock.as_ref())
                .map(|(c, clock)| Expr::Int(cpu_reservation_mhz(vm.cpu.value, clock.value, c))),
        )
        .attr_opt(
            "memory_reservation",
            reserve.and_then(|r| r.memory).map(|m| Expr::Int(memory_reservation_mib(memory_mib, m))),
        )
        .attr_opt("latency_sensitivity", latency_high(vm).then(|| hcl::string("high")))
        .attr_opt("extra_config", numa_extra_config(vm))
        .attr("guest_id", tpl_ref("guest_id"))
        .attr("scsi_type", tpl_ref("scsi_type"))
        .attr("firmware", tpl_ref("firmware"))
        .attr("annotation", hcl::string(annotation));

    if let Some(pg) = &p.port_group {
        b = b.block(
            Block::new("network_interface", &[])
                .attr("network_id", hcl::raw(format!("vsphere_distributed_port_group.{pg}.id"))),
        );
    }
    for nic in &p.nics {
        let mut ni = Block::new("network_interface", &[])
            .attr("network_id", hcl::raw(format!("vsphere_distributed_port_group.{}.id", nic.port_group)));
        if let Some(pf) = &nic.physical_function {
            ni = ni.attr("adapter_type", hcl::string("sriov")).attr("physical_function", hcl::raw(format!("var.{pf}")));
        }
        b = b.block(ni);
    }
    for (unit, d) in disks(ctx, p, tpl).into_iter().enumerate() {
        let mut db = Block::new("disk", &[]).attr("label", hcl::string(&d.label)).attr("size", d.size);
        if d.from_template {
            db = db
                .attr("thin_provisioned", tpl_ref("disks[0].thin_provisioned"))
                .attr("eagerly_scrub", tpl_ref("disks[0].eagerly_scrub"));
        }
        db = db.attr_opt("datastore_id", d.datastore.as_ref().and_then(|ds| ctx.datastore_ref(ds)).map(hcl::raw));
        db = db.attr("unit_number", int(unit as u64));
        b = b.block(db);
    }
    b = b.block(Block::new("clone", &[]).attr("template_uuid", tpl_ref("id")));
    if fault_tolerant(vm) {
        // Turning Fault Tolerance on reserves all memory; Terraform must not undo it.
        b = b.block(
            Block::new("lifecycle", &[]).attr("ignore_changes", Expr::List(vec![hcl::raw("memory_reservation")])),
        );
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reservations() {
        let ghz3 = Frequency(3_000_000_000);
        assert_eq!(cpu_reservation_mhz(8, ghz3, Percent(100.0)), 24_000);
        assert_eq!(cpu_reservation_mhz(16, ghz3, Percent(50.0)), 24_000);
        assert_eq!(cpu_reservation_mhz(3, Frequency(2_000_000_000), Percent(25.0)), 1_500);
        // A clock that is not a whole number of MHz never reserves more than it gives.
        assert_eq!(cpu_reservation_mhz(1, Frequency(2_600_500_000), Percent(100.0)), 2_600);
        assert_eq!(memory_reservation_mib(262_144, Percent(100.0)), 262_144);
        assert_eq!(memory_reservation_mib(1_000, Percent(12.5)), 125);
    }

    #[test]
    fn memory_in_4_mib_steps() {
        assert_eq!(round_memory_mib(1000), 1000);
        assert_eq!(round_memory_mib(1001), 1004);
        assert_eq!(round_memory_mib(131_072), 131_072);
        assert_eq!(round_memory_mib(0), 0);
    }
}
