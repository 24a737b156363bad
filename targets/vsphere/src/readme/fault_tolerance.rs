//! The README's `## Fault Tolerance`: the cluster's requirements once, then
//! the steps for each vm with `fault-tolerance #true`.

use super::{code, Md};
use crate::vms::fault_tolerant;
use crate::{datastore_name, vm_vsan, Ctx, PlacedVm};

/// vSphere 8 Fault Tolerance maximums per protected vm.
const FT_MAX_VCPU: u32 = 8;
const FT_MAX_MEMORY_GIB: u64 = 128;

/// `## Fault Tolerance`, one subsection per protected vm.
pub(super) fn section(ctx: &Ctx<'_>) -> String {
    let vms: Vec<_> = ctx.vms.iter().filter(|p| fault_tolerant(p.vm)).collect();
    if vms.is_empty() {
        return String::new();
    }
    let mut md = Md::default();
    md.line("## Fault Tolerance");
    md.blank();
    md.line(
        "vSphere Fault Tolerance runs a live secondary copy of a vm on another host, so a host failure loses \
         neither the vm nor its memory. The provider has no argument for it: turn it on in vCenter for each \
         vm below.",
    );
    md.blank();
    requirements(ctx, &mut md);
    for p in vms {
        protect(ctx, &mut md, p);
    }
    md.text
}

/// The requirements, once for the cluster: HA, logging network, hosts, vm size, memory reservation.
fn requirements(ctx: &Ctx<'_>, md: &mut Md) {
    md.line("Requirements, once for the cluster:");
    md.blank();
    if ctx.vs.ha.is_some() {
        md.line("- vSphere HA is on (`ha_enabled` in `cluster.tf`): Fault Tolerance needs it.");
    } else {
        md.line(format!(
            "- vSphere HA must be on, and the topology declares no `ha` for {}: turn HA on first \
             (better: add `ha` to the cluster in the program).",
            code(&ctx.cluster.name)
        ));
    }
    md.line(
        "- Every host has a VMkernel adapter with the **Fault Tolerance logging** service enabled \
         (host > Configure > Networking > VMkernel adapters), on a dedicated network of at least 10 Gbit/s, \
         separate from vMotion.",
    );
    match ctx.vs.hosts.as_ref().map(|h| h.count) {
        Some(n) if n < 2 => md.line(format!(
            "- At least two hosts (three recommended): the topology gives this cluster {n}, so the secondary has nowhere to run."
        )),
        Some(n) => md.line(format!(
            "- At least two hosts (three recommended, so HA can re-create a secondary): the cluster has {n}."
        )),
        None => md.line("- At least two hosts (three recommended, so HA can re-create a secondary)."),
    }
    md.line(format!(
        "- Per vm at most {FT_MAX_VCPU} vCPU and {FT_MAX_MEMORY_GIB} GB of memory (vSphere 8 maximums), a licence \
         that covers its vCPU count, no snapshots and no disks shared with another vm."
    ));
    md.line(
        "- Turning Fault Tolerance on reserves all of the vm's memory; `vms.tf` ignores changes of \
         `memory_reservation` on these vms so Terraform does not undo it.",
    );
}

/// `### VM`: its size and datastore, then the steps that turn Fault Tolerance on for it.
fn protect(ctx: &Ctx<'_>, md: &mut Md, p: &PlacedVm<'_>) {
    let vm = p.vm;
    let name = &p.w.name;
    md.blank();
    md.line(format!("### {}", code(name)));
    md.blank();
    let datastore = vm_vsan(ctx.vs, vm).map(|s| datastore_name(ctx.t, s).to_string());
    md.line(format!(
        "{} vCPU, {} memory{}.",
        vm.cpu.value,
        vm.memory.value,
        datastore.as_deref().map(|d| format!(", files on datastore {}", code(d))).unwrap_or_default()
    ));
    if vm.cpu.value > FT_MAX_VCPU || vm.memory.value.gib_ceil() > FT_MAX_MEMORY_GIB {
        md.line("**This vm is larger than Fault Tolerance supports: vCenter will refuse to protect it.**");
    }
    md.blank();
    md.line(format!(
        "1. vSphere Client > Hosts and Clusters > {} > right-click {} > **Fault Tolerance** > \
         **Turn On Fault Tolerance**.",
        code(&ctx.cluster.name),
        code(name)
    ));
    md.line(format!(
        "2. Choose the datastore for the secondary's disks and configuration{} and a host other than \
         the primary's, then finish.",
        datastore.as_deref().map(|d| format!(" ({})", code(d))).unwrap_or_default()
    ));
    md.line("3. Check the vm's Summary: Fault Tolerance status **Protected**.");
    md.blank();
    md.line(format!(
        "With PowerCLI: {}.",
        code(&format!("(Get-VM -Name '{}').ExtensionData.CreateSecondaryVM_Task($null)", name.replace('\'', "''")))
    ));
    md.line(
        "Turn Fault Tolerance off (**Fault Tolerance** > **Turn Off Fault Tolerance**) before \
         `terraform apply` changes this vm's cpu, memory or disks, and on again afterwards.",
    );
}
