//! HY1008 duplicate-link: two `link`s between the same pair of sites
//! (which latency and bandwidth apply would be ambiguous).

use crate::check::prelude::*;
use std::collections::BTreeMap;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<(SiteId, SiteId), &Link> = BTreeMap::new();
    for l in &t.links {
        let key = if l.a.value <= l.b.value { (l.a.value, l.b.value) } else { (l.b.value, l.a.value) };
        match seen.get(&key) {
            Some(first) => out.push(duplicate_link(t, first, l)),
            None => {
                seen.insert(key, l);
            }
        }
    }
}

/// HY1008
pub fn duplicate_link(t: &Topology, first: &Link, second: &Link) -> Diagnostic {
    Diagnostic::new(
        &codes::DUPLICATE_LINK,
        format!("`{}` and `{}` are linked twice", t.site(second.a.value).name, t.site(second.b.value).name),
        second.span,
        "second link",
    )
    .with_label(first.span, "first link")
    .with_help("declare one link per pair of sites")
}
