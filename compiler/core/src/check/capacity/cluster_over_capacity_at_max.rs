//! HY4002 cluster-over-capacity-at-max: the same sum as HY4001 with every
//! autoscaler at its maximum: the cluster cannot scale as far as promised.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    let mut at_min = Vec::new();
    super::cluster_over_capacity::over_capacity(t, Scale::Min, &mut at_min);
    let mut at_max = Vec::new();
    super::cluster_over_capacity::over_capacity(t, Scale::Max, &mut at_max);
    // Where the minimum already does not fit, HY4001 says it; do not repeat.
    out.extend(at_max.into_iter().filter(|d| !at_min.iter().any(|m| m.span() == d.span())));
}
