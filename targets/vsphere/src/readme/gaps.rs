//! The README's `## Other settings the provider cannot express`: one item
//! per smaller gap — dedup without compression, `numa pinned` without all
//! memory reserved, GPUs, HA overrides without HA, `allow-from` (the
//! provider has no firewall), anti-affinity without DRS, a vm's IP
//! `address`, a vm pinned to its host by SR-IOV adapters.

use super::{code, Md};
use crate::cluster::vsan_features;
use crate::rules::anti_affinity_groups;
use crate::vms::{latency_high, memory_mib};
use crate::{Ctx, PlacedVm};
use hybrid_model::{Address, Percent, StorageKind};

/// `## Other settings the provider cannot express`.
pub(super) fn section(ctx: &Ctx<'_>) -> String {
    let mut items: Vec<String> = Vec::new();
    items.extend(compression_gap(ctx));
    for p in &ctx.vms {
        vm_gaps(ctx, p, &mut items);
        items.extend(sriov_gap(p));
    }
    items.extend(drs_gap(ctx));
    if items.is_empty() {
        return String::new();
    }
    let mut md = Md::default();
    md.line("## Other settings the provider cannot express");
    md.blank();
    for i in items {
        md.line(format!("- {i}"));
    }
    md.text
}

/// Dedup turned on without compression: `cluster.tf` turns compression on too.
fn compression_gap(ctx: &Ctx<'_>) -> Option<String> {
    let (dedup, _) = vsan_features(ctx)?;
    let asked_compression =
        ctx.vs.vsans.iter().any(|s| matches!(&ctx.t.storage(*s).kind, StorageKind::Vsan(v) if v.compression));
    (dedup && !asked_compression).then(|| {
        "vSAN deduplicates only together with compression: `cluster.tf` turns compression on as \
         well, though the topology does not ask for it."
            .to_string()
    })
}

/// Anti-affinity rules of two vms or more without DRS, which enforces them.
fn drs_gap(ctx: &Ctx<'_>) -> Option<String> {
    (ctx.vs.drs.is_none() && anti_affinity_groups(ctx).iter().any(|(_, m)| m.len() >= 2)).then(|| {
        "The anti-affinity rules in `rules.tf` are enforced by DRS, which the topology does not turn on \
         for this cluster: add `drs` to it, or keep the vms of each group on different hosts by hand."
            .to_string()
    })
}

/// A vm's gaps: `numa pinned` without all memory reserved, GPUs, an HA override without HA.
fn vm_gaps(ctx: &Ctx<'_>, p: &PlacedVm<'_>, items: &mut Vec<String>) {
    let vm = p.vm;
    let name = code(&p.w.name);
    if vm.numa_pinned && !latency_high(vm) {
        let reserved = vm.reserve.as_ref().and_then(|r| r.memory).unwrap_or(Percent(0.0));
        items.push(format!(
            "{name} asks for `numa pinned`: that is latency sensitivity **High**, which vSphere powers on \
             only with all memory reserved, and the topology reserves {reserved}. Reserve `100%` memory in \
             the program (then `vms.tf` sets it), or reserve all memory and set Edit Settings > VM Options > \
             Advanced > Latency Sensitivity to High in vCenter.{}",
            if vm.numa_hugepages.is_some() {
                " Its NUMA node pinning (`hugepages`) needs the same: `vms.tf` writes it only with High."
            } else {
                ""
            }
        ));
    }
    if let Some(g) = &vm.gpu {
        let model = &ctx.t.gpu_model(g.model).name;
        let how = if g.passthrough {
            "enable passthrough for the GPUs on the hosts (host > Configure > Hardware > PCI Devices), then \
             Edit Settings > Add New Device > PCI Device (DirectPath I/O) for each GPU"
        } else {
            "install the NVIDIA vGPU host driver, then Edit Settings > Add New Device > PCI Device > NVIDIA \
             GRID vGPU with a profile for this model"
        };
        items.push(format!(
            "{name} asks for {} {} GPU(s): the provider attaches PCI devices by host device id \
             (`pci_device_id`), which the program does not know. In vCenter, {how}; a vm with PCI devices \
             needs all of its memory reserved ({} MiB).",
            g.count,
            code(model),
            memory_mib(vm)
        ));
    }
    // With `nsx`, `nsx.tf` enforces it (HY6014 warns without).
    if !vm.allow_from.is_empty() && ctx.vs.nsx.is_none() {
        items.push(allow_from_gap(ctx, p));
    }
    if let Some(Address::Ip(ip)) = vm.address.as_ref().map(|a| &a.value) {
        let network = ctx.t.vm_network(vm).map(|n| ctx.t.network(n));
        let on = network.map(|n| format!(" on network {} ({})", code(&n.name), n.cidr.value)).unwrap_or_default();
        items.push(format!(
            "{name} is reached at {} (its `address`){on}: the provider sets a static address only through \
             guest customization (`clone.customize`), which needs the guest's operating system family, and \
             the program does not state it. Give the vm that address in the guest, or with a DHCP reservation \
             for its network adapter, after `terraform apply`: the mesh and the network policies reach it there, and \
             the firewall rules of the workloads it calls admit it from there alone.",
            code(&ip.to_string())
        ));
    }
    if vm.ha.is_some() && ctx.vs.ha.is_none() {
        items.push(format!(
            "{name} has its own HA restart priority (`vsphere_ha_vm_override` in `rules.tf`), but the \
             topology turns no `ha` on for this cluster: the override only acts once vSphere HA is on."
        ));
    }
}

/// A vm with SR-IOV adapters runs on the host of its physical functions:
/// vMotion (and so DRS and maintenance mode) cannot move it.
fn sriov_gap(p: &PlacedVm<'_>) -> Option<String> {
    let host = p.sriov_host.as_ref()?;
    Some(format!(
        "{} has SR-IOV network adapters, on physical functions of the host `var.{host}` names: `vms.tf` \
         places it there (`host_system_id`). vMotion cannot move a vm with SR-IOV adapters, so DRS leaves it \
         in place and maintenance mode waits for it: power it off before maintenance of that host. If the host \
         fails, the vm stays down until the host is back, or until you set its host and physical function \
         variables to another host's and apply again.",
        code(&p.w.name)
    ))
}

/// A vm's `allow-from`: the vSphere provider has no firewall, so the
/// operator enforces it, by the addresses each caller connects from.
fn allow_from_gap(ctx: &Ctx<'_>, p: &PlacedVm<'_>) -> String {
    let t = ctx.t;
    let ports: Vec<String> = p.vm.ports.iter().map(|port| port.number.to_string()).collect();
    let ports = if ports.is_empty() { "every TCP port".to_string() } else { format!("TCP {}", ports.join(", ")) };
    let callers: Vec<String> =
        p.vm.allow_from
            .iter()
            .map(|id| t.workload(id.value))
            // Its own traffic never crosses its firewall.
            .filter(|w| w.name != p.w.name)
            .map(|w| {
                let ranges: Vec<String> =
                    t.source_ranges(w).unwrap_or_default().iter().map(|r| code(&r.to_string())).collect();
                format!("{} ({})", code(&w.name), ranges.join(", "))
            })
            .collect();
    let allow = if callers.is_empty() {
        "admit nothing".to_string()
    } else {
        format!("allow {ports} from {} and nothing else", callers.join(", "))
    };
    format!(
        "{} admits only its `allow-from` workloads, and the provider has no firewall to say so: in NSX (a \
         distributed firewall rule on the vm) or in the guest's own firewall, {allow}.",
        code(&p.w.name)
    )
}
