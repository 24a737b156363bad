//! HY5007 migrate-weight-out-of-range: the share of a vm's traffic moved
//! to the service is a percentage, 0 to 100.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for m in &t.migrations {
        if !(0..=MAX_WEIGHT).contains(&m.weight.value) {
            out.push(migrate_weight_out_of_range(m));
        }
    }
}

/// HY5007
pub fn migrate_weight_out_of_range(m: &Migration) -> Diagnostic {
    Diagnostic::new(
        &codes::MIGRATE_WEIGHT_OUT_OF_RANGE,
        format!("`migrate {}` has weight {}; a weight is a percentage from 0 to {MAX_WEIGHT}", m.name, m.weight.value),
        m.weight.span,
        "not a percentage",
    )
    .with_help(format!("write the share of traffic sent to the service, from 0 to {MAX_WEIGHT}"))
}
