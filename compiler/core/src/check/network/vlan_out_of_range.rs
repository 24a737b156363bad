//! HY1004 vlan-out-of-range: a VLAN id outside 1..4094 (802.1Q reserves 0
//! and 4095).

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for n in &t.networks {
        if let Some(v) = &n.vlan {
            if v.value < VLAN_MIN || v.value > VLAN_MAX {
                out.push(vlan_out_of_range(n, v));
            }
        }
    }
}

/// HY1004
pub fn vlan_out_of_range(n: &Network, v: &Spanned<i64>) -> Diagnostic {
    Diagnostic::new(
        &codes::VLAN_OUT_OF_RANGE,
        format!("VLAN {} of network `{}` is outside {VLAN_MIN}..{VLAN_MAX}", v.value, n.name),
        v.span,
        "not a usable VLAN id",
    )
    .with_help(format!("use a VLAN id from {VLAN_MIN} to {VLAN_MAX}"))
}
