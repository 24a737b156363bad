//! HY1005 vlan-reused: two networks of one site on the same VLAN (they
//! would be one broadcast domain).

use crate::check::prelude::*;
use std::collections::BTreeMap;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for site in &t.sites {
        let mut seen: BTreeMap<i64, &Network> = BTreeMap::new();
        for n in site.networks.iter().map(|id| t.network(*id)) {
            let Some(v) = &n.vlan else { continue };
            match seen.get(&v.value) {
                Some(first) => out.push(vlan_reused(first, n, v)),
                None => {
                    seen.insert(v.value, n);
                }
            }
        }
    }
}

/// HY1005
pub fn vlan_reused(first: &Network, second: &Network, v: &Spanned<i64>) -> Diagnostic {
    let first_span = first.vlan.as_ref().map(|f| f.span).unwrap_or(first.span);
    Diagnostic::new(
        &codes::VLAN_REUSED,
        format!("VLAN {} is used by both `{}` and `{}`", v.value, first.name, second.name),
        v.span,
        "VLAN used again",
    )
    .with_label(first_span, format!("first used by `{}`", first.name))
    .with_help("give each network of a site its own VLAN id")
}
