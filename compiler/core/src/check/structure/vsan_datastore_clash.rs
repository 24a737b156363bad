//! HY0032 vsan-datastore-clash: the vSANs of two vSphere clusters in one
//! datacenter of a site are looked up by the same datastore name. Every
//! vSAN datastore is created as `vsanDatastore`; vCenter names the second
//! one of a datacenter `vsanDatastore (1)`, so a lookup by the shared name
//! finds one cluster's datastore for both, and vms land on the wrong
//! cluster's storage or fail to clone.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    // The first vsan seen for each (site, datacenter, datastore name).
    let mut seen: Vec<(SiteId, &str, &str, &Storage, ClusterId)> = Vec::new();
    for s in &t.storage {
        let StorageKind::Vsan(v) = &s.kind else { continue };
        let Some(vs) = t.cluster(v.cluster).vsphere() else { continue };
        let key = (s.site, vs.datacenter.as_str(), v.datastore.as_str());
        match seen.iter().find(|(site, dc, name, _, _)| (*site, *dc, *name) == key) {
            Some((_, _, _, first, cluster)) if *cluster != v.cluster => {
                out.push(vsan_datastore_clash(s, first, &t.cluster(v.cluster).name, &vs.datacenter, &v.datastore));
            }
            Some(_) => {}
            None => seen.push((key.0, key.1, key.2, s, v.cluster)),
        }
    }
}

/// HY0032
pub fn vsan_datastore_clash(s: &Storage, first: &Storage, cluster: &str, datacenter: &str, name: &str) -> Diagnostic {
    Diagnostic::new(
        &codes::VSAN_DATASTORE_CLASH,
        format!(
            "vsan `{}` looks its datastore up as `{name}`, like vsan `{}` of another cluster in datacenter `{datacenter}`",
            s.name, first.name
        ),
        s.span,
        "same datastore name",
    )
    .with_label(first.span, "also looked up by this name")
    .with_help(format!(
        "rename this cluster's vSAN datastore in vCenter and write its name, e.g. `vsan {} datastore=\"{cluster}-vsan\"`",
        s.name
    ))
}
