//! HY4017 vsan-efficiency-without-all-flash: a `vsan` asks for
//! deduplication or compression without `all-flash=#true`. vSAN offers
//! both only on all-flash disk groups: on a hybrid vSAN (magnetic capacity
//! disks) vCenter refuses to turn them on, so the space the program counts
//! on is never saved.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for s in &t.storage {
        let StorageKind::Vsan(v) = &s.kind else { continue };
        if v.all_flash {
            continue;
        }
        if let Some(span) = v.efficiency_span {
            let what = if v.dedup { "deduplication" } else { "compression" };
            out.push(vsan_efficiency_without_all_flash(s, span, what));
        }
    }
}

/// HY4017
pub fn vsan_efficiency_without_all_flash(s: &Storage, span: Span, what: &str) -> Diagnostic {
    Diagnostic::new(
        &codes::VSAN_EFFICIENCY_WITHOUT_ALL_FLASH,
        format!("vsan `{}` asks for {what}, which vSAN offers only on all-flash disks", s.name),
        span,
        "needs an all-flash vSAN",
    )
    .with_label(s.span, "not declared `all-flash=#true`")
    .with_help(
        "write `all-flash=#true` on the vsan if its capacity disks are flash, or remove `dedup` and `compression`",
    )
}
