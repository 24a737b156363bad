//! HY1007 link-to-itself: a `link` whose two ends are the same site.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for l in &t.links {
        if l.a.value == l.b.value {
            out.push(link_to_itself(&t.site(l.a.value).name, l));
        }
    }
}

/// HY1007
pub fn link_to_itself(site: &str, l: &Link) -> Diagnostic {
    Diagnostic::new(&codes::LINK_TO_ITSELF, format!("link from `{site}` to itself"), l.b.span, "same site again")
        .with_label(l.a.span, "first end")
        .with_help("a link joins two different sites; name the other site")
}
