//! HY3016 unencrypted-volume: a volume in the scope of an `encrypt-at-rest`
//! requirement that is not encrypted. The scope is a zone (the vms on its
//! networks, the services and jobs on kubernetes clusters whose `network`
//! is in it), a site (everything placed there, and every storage class,
//! volume type and vSAN of its clusters), both, or the whole program. A
//! disk or volume is encrypted when the volume type, storage class or vSAN
//! it lives on is (`encrypted=#true`), or the ceph pool behind that type or
//! class is (its OSDs on dm-crypt): the one it names, else its
//! cluster's default storage class or first vSAN; a disk of an openstack
//! vm that names no volume type is on the cloud's default type, which the
//! program does not encrypt. Each storage definition is reported once, at
//! itself when the scope holds it, else at the first volume on it.

use crate::check::prelude::*;
use std::collections::BTreeSet;

/// What a volume lives on.
#[derive(Clone, Copy)]
enum On<'a> {
    Class(ClusterId, &'a StorageClass),
    Type(ClusterId, &'a VolumeType),
    Vsan(StorageId),
    /// No storage the program declares (the platform's default).
    Nothing(ClusterId),
}

impl On<'_> {
    fn encrypted(self, t: &Topology) -> bool {
        match self {
            On::Class(_, sc) => sc.encrypted.is_some() || pool_encrypted(t, sc.pool),
            On::Type(_, vt) => vt.encrypted || pool_encrypted(t, vt.backend),
            On::Vsan(id) => matches!(&t.storage(id).kind, StorageKind::Vsan(v) if v.encrypted),
            On::Nothing(_) => false,
        }
    }

    /// The declaration's name span, when it is one.
    fn span(self, t: &Topology) -> Option<Span> {
        match self {
            On::Class(_, sc) => Some(sc.span),
            On::Type(_, vt) => Some(vt.span),
            On::Vsan(id) => Some(t.storage(id).span),
            On::Nothing(_) => None,
        }
    }

    /// `volume type `ssd` of `cloud``, for messages.
    fn describe(self, t: &Topology) -> String {
        match self {
            On::Class(c, sc) => format!("storage class `{}` of `{}`", sc.name, t.cluster(c).name),
            On::Type(c, vt) => format!("volume type `{}` of `{}`", vt.name, t.cluster(c).name),
            On::Vsan(id) => format!("vsan `{}`", t.storage_path(id)),
            On::Nothing(c) => format!("the default storage of `{}`", t.cluster(c).name),
        }
    }

    /// The fix as a replacement of the declaration's name, where the help
    /// is one: `ssd` → `ssd encrypted=#true` on a volume type or vsan
    /// whose name is written bare in the file of the diagnostic's `primary`
    /// token (the language server edits that file).
    fn fix(self, t: &Topology, primary: Span) -> Option<(Span, String)> {
        let (span, name) = match self {
            On::Type(_, vt) => (vt.span, vt.name.as_str()),
            On::Vsan(id) => (t.storage(id).span, t.storage(id).name.as_str()),
            On::Class(..) | On::Nothing(_) => return None,
        };
        let bare = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            && (span.end - span.start) as usize == name.len()
            && span.file == primary.file;
        bare.then(|| (span, format!("{name} encrypted=#true")))
    }

    /// The literal fix.
    fn help(self, t: &Topology, volume: &str) -> String {
        match self {
            On::Class(_, sc) if sc.backend == StorageBackend::CephRbd => {
                format!("encrypt storage class `{}`: add `encrypted=#true kms=\"KMS-ID\"` to it", sc.name)
            }
            On::Class(_, sc) => format!(
                "back storage class `{}` by ceph and encrypt it: `backend=ceph-rbd pool=POOL encrypted=#true kms=\"KMS-ID\"`",
                sc.name
            ),
            On::Type(_, vt) => format!("encrypt volume type `{}`: add `encrypted=#true` to it", vt.name),
            On::Vsan(id) => format!("encrypt vsan `{}`: add `encrypted=#true` to it", t.storage(id).name),
            On::Nothing(c) => match &t.cluster(c).kind {
                ClusterKind::OpenStack(os) => match os.volume_types.iter().find(|vt| vt.encrypted) {
                    Some(vt) => format!("put {volume} on an encrypted volume type: `storage={}`", vt.name),
                    None => format!(
                        "declare an encrypted volume type in `{}` and name it: `volume-type NAME encrypted=#true`, then `storage=NAME`",
                        t.cluster(c).name
                    ),
                },
                ClusterKind::Kubernetes(k) => match k.storage_classes.iter().find(|sc| sc.encrypted.is_some()) {
                    Some(sc) => format!("put {volume} on an encrypted storage class: `storage-class={}`", sc.name),
                    None => format!(
                        "declare an encrypted storage class in `{}` and name it: `storage-class NAME backend=ceph-rbd pool=POOL encrypted=#true kms=\"KMS-ID\"`",
                        t.cluster(c).name
                    ),
                },
                ClusterKind::VSphere(_) => {
                    format!("declare an encrypted vsan in `{}`: `vsan NAME encrypted=#true`", t.cluster(c).name)
                }
            },
        }
    }
}

/// Whether a ceph pool's OSDs are on dm-crypt.
fn pool_encrypted(t: &Topology, pool: Option<StorageId>) -> bool {
    pool.is_some_and(|p| matches!(&t.storage(p).kind, StorageKind::Ceph(c) if c.encrypted))
}

/// What a disk of a vm on cluster `c` lives on; `None` when its `storage=`
/// names nothing of the cluster (reported elsewhere).
fn disk_on<'a>(t: &'a Topology, c: ClusterId, d: &Disk) -> Option<On<'a>> {
    let cluster = t.cluster(c);
    match &d.storage {
        Some(DiskStorage::StorageClass(k, name)) => {
            t.cluster(*k).kubernetes()?.storage_class(name).map(|sc| On::Class(*k, sc))
        }
        Some(DiskStorage::VolumeType(o, name)) => {
            t.cluster(*o).openstack()?.volume_types.iter().find(|vt| &vt.name == name).map(|vt| On::Type(*o, vt))
        }
        Some(DiskStorage::Vsan(id)) => Some(On::Vsan(*id)),
        None if d.storage_ref.is_some() => None,
        None => Some(match &cluster.kind {
            ClusterKind::Kubernetes(k) => k.default_storage_class().map_or(On::Nothing(c), |sc| On::Class(c, sc)),
            ClusterKind::OpenStack(_) => On::Nothing(c),
            ClusterKind::VSphere(vs) => vs.vsans.first().map_or(On::Nothing(c), |id| On::Vsan(*id)),
        }),
    }
}

/// What a volume of a service or job on kubernetes cluster `c` lives on.
fn volume_on<'a>(t: &'a Topology, c: ClusterId, v: &Volume) -> Option<On<'a>> {
    let k = t.cluster(c).kubernetes()?;
    match &v.storage_class {
        Some(name) => k.storage_class(&name.value).map(|sc| On::Class(c, sc)),
        None => Some(k.default_storage_class().map_or(On::Nothing(c), |sc| On::Class(c, sc))),
    }
}

/// The scope of a requirement, for messages.
fn scope(t: &Topology, r: &EncryptionRequirement) -> String {
    match (&r.zone, &r.site) {
        (Some(z), Some(s)) => format!("zone `{}` at site `{}`", z.value, t.site(s.value).name),
        (Some(z), None) => format!("zone `{}`", z.value),
        (None, Some(s)) => format!("site `{}`", t.site(s.value).name),
        (None, None) => "the whole program".to_string(),
    }
}

fn zone_of(t: &Topology, n: Option<NetworkId>) -> Option<&str> {
    n.and_then(|n| t.network(n).zone.as_deref())
}

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    let mut reported: BTreeSet<(u32, u32, u32)> = BTreeSet::new();
    let key = |s: Span| (s.file.0, s.start, s.end);
    for r in &t.encryption_requirements {
        let at_site = |site: SiteId| r.site.as_ref().is_none_or(|s| s.value == site);
        let in_zone = |n: Option<NetworkId>| r.zone.as_ref().is_none_or(|z| zone_of(t, n) == Some(z.value.as_str()));
        let scope = scope(t, r);
        // Every storage definition of the scope's clusters, when the scope is not a zone.
        if r.zone.is_none() {
            for id in t.cluster_ids() {
                let c = t.cluster(id);
                if !at_site(c.site) {
                    continue;
                }
                let defs: Vec<On<'_>> = match &c.kind {
                    ClusterKind::Kubernetes(k) => k.storage_classes.iter().map(|sc| On::Class(id, sc)).collect(),
                    ClusterKind::OpenStack(os) => os.volume_types.iter().map(|vt| On::Type(id, vt)).collect(),
                    ClusterKind::VSphere(vs) => vs.vsans.iter().map(|s| On::Vsan(*s)).collect(),
                };
                for on in defs.into_iter().filter(|on| !on.encrypted(t)) {
                    let Some(span) = on.span(t) else { continue };
                    if reported.insert(key(span)) {
                        let d = unencrypted_volume(&on.describe(t), span, None, r.span, &scope, on.help(t, "it"));
                        out.push(with_fix(d, on.fix(t, span)));
                    }
                }
            }
        }
        // Every volume of the scope's workloads.
        for w in &t.workloads {
            let mut volumes: Vec<(String, Span, On<'_>)> = Vec::new();
            // The volumes of a service or job in Kubernetes cluster `c`, when `c` is in the scope.
            let mut in_kubernetes = |c: ClusterId, list: &[Volume], of: &str| {
                let k = t.cluster(c).kubernetes().and_then(|k| k.network);
                if !at_site(t.cluster(c).site) || !in_zone(k) {
                    return;
                }
                for v in list {
                    if let Some(on) = volume_on(t, c, v) {
                        let span = v.storage_class.as_ref().map_or(v.span, |s| s.span);
                        volumes.push((format!("volume `{}` of {of} `{}`", v.name, w.name), span, on));
                    }
                }
            };
            match &w.kind {
                WorkloadKind::Service(s) => {
                    for p in &s.placement {
                        in_kubernetes(p.value, &s.volumes, "service");
                    }
                }
                WorkloadKind::Job(j) => in_kubernetes(j.placement.value, &j.volumes, "job"),
                WorkloadKind::Vm(v) => {
                    let c = v.placement.value;
                    if !at_site(t.cluster(c).site) || !in_zone(t.vm_network(v)) {
                        continue;
                    }
                    for d in &v.disks {
                        if let Some(on) = disk_on(t, c, d) {
                            let span = d.storage_ref.as_ref().map_or(d.span, |s| s.span);
                            volumes.push((format!("disk `{}` of vm `{}`", d.name, w.name), span, on));
                        }
                    }
                }
            }
            for (what, span, on) in volumes.into_iter().filter(|(_, _, on)| !on.encrypted(t)) {
                // A definition is reported once, wherever first; a volume on the platform's default each time.
                let first = match on.span(t) {
                    Some(def) => reported.insert(key(def)),
                    None => reported.insert(key(span)),
                };
                if first {
                    let help = on.help(t, &what);
                    let d = unencrypted_volume(&what, span, Some((on.describe(t), on.span(t))), r.span, &scope, help);
                    out.push(with_fix(d, on.fix(t, span)));
                }
            }
        }
    }
}

fn with_fix(d: Diagnostic, fix: Option<(Span, String)>) -> Diagnostic {
    match fix {
        Some((span, text)) => d.with_fix(span, text),
        None => d,
    }
}

/// HY3016: `what` at `span` is not encrypted; for a volume, `on` is what it
/// lives on (with its declaration, when the program declares it).
pub fn unencrypted_volume(
    what: &str,
    span: Span,
    on: Option<(String, Option<Span>)>,
    requirement: Span,
    scope: &str,
    help: String,
) -> Diagnostic {
    let (message, label) = match &on {
        Some((on, _)) => (format!("{what} is not encrypted at rest: {on} does not encrypt"), format!("on {on}")),
        None => (format!("{what} is not encrypted at rest"), "not encrypted".to_string()),
    };
    let mut d = Diagnostic::new(&codes::UNENCRYPTED_VOLUME, message, span, label);
    if let Some((_, Some(def))) = on {
        d = d.with_label(def, "declared without `encrypted=#true`");
    }
    d.with_label(requirement, format!("requires every volume of {scope} to be encrypted")).with_help(help)
}
