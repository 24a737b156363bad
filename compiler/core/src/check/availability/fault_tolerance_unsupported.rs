//! HY2007 fault-tolerance-unsupported: `fault-tolerance` on a vm larger
//! than vSphere FT supports (8 vCPU, 128Gi), or on a cluster that is not
//! vSphere.

use crate::check::prelude::*;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(vm) = w.vm() else { return };
    let Some(ft) = &vm.fault_tolerance else { return };
    if !ft.value {
        return;
    }
    let cluster = t.cluster(vm.placement.value);
    if cluster.vsphere().is_none() {
        out.push(
            fault_tolerance_unsupported(
                w,
                ft.span,
                Help::NotVsphere,
                format!(
                    "`{}` is {} cluster; Fault Tolerance is a vSphere feature",
                    cluster.name,
                    crate::diags::a_or_an(cluster.kind_word())
                ),
            )
            .with_label(vm.placement.span, "placed here"),
        );
    } else if vm.cpu.value > FT_MAX_VCPU {
        out.push(
            fault_tolerance_unsupported(
                w,
                ft.span,
                Help::TooLarge,
                format!("{} vCPU is above the {FT_MAX_VCPU} vCPU Fault Tolerance supports", vm.cpu.value),
            )
            .with_label(vm.cpu.span, format!("{} vCPU", vm.cpu.value)),
        );
    } else if vm.memory.value.0 > FT_MAX_MEMORY_BYTES {
        out.push(
            fault_tolerance_unsupported(
                w,
                ft.span,
                Help::TooLarge,
                format!("{} is above the {} Fault Tolerance supports", vm.memory.value, Bytes(FT_MAX_MEMORY_BYTES)),
            )
            .with_label(vm.memory.span, format!("{}", vm.memory.value)),
        );
    }
}

/// Which fix applies.
#[derive(Clone, Copy, Debug)]
pub enum Help {
    NotVsphere,
    TooLarge,
}

/// HY2007
pub fn fault_tolerance_unsupported(w: &Workload, span: Span, help: Help, why: String) -> Diagnostic {
    let help = match help {
        Help::NotVsphere => "remove `fault-tolerance`, or place the vm on a vsphere cluster",
        Help::TooLarge => {
            "size the vm within 8 vCPU and 128Gi, or drop `fault-tolerance` and use `ha restart-priority=high`"
        }
    };
    Diagnostic::new(
        &codes::FAULT_TOLERANCE_UNSUPPORTED,
        format!("vm `{}` cannot use Fault Tolerance: {why}", w.name),
        span,
        "fault tolerance",
    )
    .with_help(help)
}
