//! Resolution: decoded declarations become the [`Topology`]. Names are
//! declared per scope, references are looked up (see `names`), profile
//! defaults are already merged, and every id in the result indexes the
//! result's own vectors.
//!
//! When the front end reported any error, the caller discards the model:
//! placeholders used here for unresolved references never reach a target.

use crate::decode::{decode, decode_plain, DNode, DVal};
use crate::diags;
use crate::names::{Names, Scope};
use crate::profiles::{self, Profiles};
use crate::schema::{self, DeclKind};
use crate::secrets::{self, looks_secret};
use crate::stdlib;
use hybrid_diagnostics::{codes, did_you_mean, Code, Diagnostic, SourceMap, Span};
use hybrid_model::*;
use hybrid_syntax::Document;
use indexmap::IndexMap;

const CLUSTERS: &[DeclKind] = &[DeclKind::Kubernetes, DeclKind::OpenStack, DeclKind::VSphere];
const WORKLOADS: &[DeclKind] = &[DeclKind::Service, DeclKind::Vm, DeclKind::Job];

/// The decoded top-level declarations, by kind, in program order.
#[derive(Default)]
struct Decoded {
    topology: Vec<DNode>,
    sites: Vec<DNode>,
    links: Vec<DNode>,
    replications: Vec<DNode>,
    backups: Vec<DNode>,
    workloads: Vec<(DNode, Vec<String>)>,
    migrations: Vec<DNode>,
    gpu_models: Vec<DNode>,
}

/// Ids handed out while declaring, by name or `(parent, name)`.
#[derive(Default)]
struct Ids {
    sites: IndexMap<String, SiteId>,
    networks: IndexMap<(String, String), NetworkId>,
    clusters: IndexMap<String, ClusterId>,
    storage: IndexMap<(String, String), StorageId>,
    workloads: IndexMap<String, WorkloadId>,
    gpus: IndexMap<String, GpuModelId>,
}

struct Resolver<'a> {
    names: Names,
    ids: Ids,
    /// Indexes into `Decoded::sites` / `Decoded::workloads` of the ones
    /// declared (a duplicate is reported and left out).
    declared_sites: Vec<usize>,
    declared_workloads: Vec<usize>,
    diags: &'a mut Vec<Diagnostic>,
}

/// Resolves the parsed documents of a program into a topology.
///
/// `complete` is false when a file failed to parse: its declarations are
/// missing, so "no topology" would be a consequence, not a finding.
pub fn resolve(sources: &SourceMap, docs: &[Document], complete: bool, diags: &mut Vec<Diagnostic>) -> Topology {
    let mut profiles = Profiles::default();
    let mut names = Names::default();
    secrets::scan(docs, diags);
    std_hints(sources, &mut names, &mut profiles);

    // Profiles first: workloads need them to decode.
    for node in docs.iter().flat_map(|d| &d.nodes).filter(|n| n.name.text == "profile") {
        let Some(schema) = schema::node("profile") else { continue };
        let dn = decode(node, &[], schema, diags);
        profiles::check_profile(node, diags);
        if names.declare(DeclKind::Profile, dn.name(), None, dn.name_arg_span(), diags) {
            profiles.by_name.insert(dn.name().to_string(), node);
        }
    }
    for (name, node) in &profiles.by_name {
        profiles::check_uses(node, name, &profiles, diags);
    }

    let mut decoded = Decoded::default();
    for node in docs.iter().flat_map(|d| &d.nodes) {
        let Some(schema) = schema::top_level(&node.name.text) else {
            diags.push(diags::unknown_top_level_node(node, schema::TOP_LEVEL));
            continue;
        };
        match schema.key {
            "profile" => {}
            "service" | "vm" | "job" => {
                let (children, applied) = profiles::expand(node, &profiles, diags);
                decoded.workloads.push((decode(node, &children, schema, diags), applied));
            }
            key => {
                let dn = decode_plain(node, schema, diags);
                match key {
                    "topology" => decoded.topology.push(dn),
                    "site" => decoded.sites.push(dn),
                    "link" => decoded.links.push(dn),
                    "replication" => decoded.replications.push(dn),
                    "backup" => decoded.backups.push(dn),
                    "migrate" => decoded.migrations.push(dn),
                    "gpu-model" => decoded.gpu_models.push(dn),
                    _ => {} // `import` was handled by the loader
                }
            }
        }
    }

    let mut r =
        Resolver { names, ids: Ids::default(), declared_sites: Vec::new(), declared_workloads: Vec::new(), diags };
    r.declare_all(&decoded);
    r.build(&decoded, docs, complete)
}

/// Records the names the standard library declares, so that a reference to
/// one that was not imported gets a help line saying which import adds it.
fn std_hints(sources: &SourceMap, names: &mut Names, profiles: &mut Profiles<'_>) {
    let loaded: Vec<&str> = sources.files().map(|(_, f)| f.name.as_str()).collect();
    for (module, text) in stdlib::MODULES {
        if loaded.contains(module) {
            continue;
        }
        let (doc, _) = hybrid_syntax::parse(hybrid_diagnostics::FileId(u32::MAX), text);
        for n in &doc.nodes {
            let Some(name) = n.args().next().and_then(|a| match &a.value {
                hybrid_syntax::Value::String(s) => Some(s.clone()),
                _ => None,
            }) else {
                continue;
            };
            match n.name.text.as_str() {
                "gpu-model" => names.std_only.push((DeclKind::GpuModel, name, module)),
                "profile" => profiles.std_names.push(name),
                _ => {}
            }
        }
    }
}

// Small readers over decoded values.
fn s(n: &DNode, prop: &str) -> Option<String> {
    n.prop(prop).and_then(DVal::str).map(str::to_string)
}
fn u(n: &DNode, prop: &str) -> Option<u32> {
    n.prop(prop).and_then(DVal::u32)
}
fn b(n: &DNode, prop: &str) -> bool {
    n.prop(prop).and_then(DVal::bool).unwrap_or(false)
}
fn arg_str(n: &DNode, i: usize) -> Option<String> {
    n.arg(i).and_then(DVal::str).map(str::to_string)
}
fn arg_u32(n: &DNode, i: usize) -> Option<u32> {
    n.arg(i).and_then(DVal::u32)
}
fn flag(n: Option<&DNode>) -> bool {
    n.and_then(|c| c.arg(0)).and_then(DVal::bool).unwrap_or(false)
}
fn spanned_u32(n: &DNode, prop: &str, default: u32) -> Spanned<u32> {
    match n.prop(prop) {
        Some(v) => Spanned::new(v.u32().unwrap_or(default), v.span),
        None => Spanned::new(default, n.name_span),
    }
}
fn cidr_or(n: &DNode, prop: &str) -> Spanned<IpNet> {
    match n.prop(prop) {
        Some(v) => Spanned::new(v.cidr().unwrap_or_default(), v.span),
        None => Spanned::new(IpNet::default(), n.name_span),
    }
}
fn spanned_str(n: &DNode, prop: &str) -> Spanned<String> {
    match n.prop(prop) {
        Some(v) => Spanned::new(v.str().unwrap_or_default().to_string(), v.span),
        None => Spanned::new(String::new(), n.name_span),
    }
}
fn word(n: &DNode, prop: &str) -> String {
    s(n, prop).unwrap_or_default()
}

impl Resolver<'_> {
    fn declare(&mut self, kind: DeclKind, n: &DNode, parent: Option<&str>) -> bool {
        self.names.declare(kind, n.name(), parent, n.name_arg_span(), self.diags)
    }

    fn declare_all(&mut self, d: &Decoded) {
        for t in &d.topology {
            self.declare(DeclKind::Topology, t, None);
        }
        for g in &d.gpu_models {
            if self.declare(DeclKind::GpuModel, g, None) {
                let id = GpuModelId::from_index(self.ids.gpus.len());
                self.ids.gpus.insert(g.name().to_string(), id);
            }
            for p in g.children_named("mig-profile") {
                self.declare(DeclKind::MigProfile, p, Some(g.name()));
            }
        }
        for (i, site) in d.sites.iter().enumerate() {
            if !self.declare(DeclKind::Site, site, None) {
                continue;
            }
            self.declared_sites.push(i);
            let sname = site.name().to_string();
            self.ids.sites.insert(sname.clone(), SiteId::from_index(self.ids.sites.len()));
            for net in site.children_named("network") {
                if self.declare(DeclKind::Network, net, Some(&sname)) {
                    let id = NetworkId::from_index(self.ids.networks.len());
                    self.ids.networks.insert((sname.clone(), net.name().to_string()), id);
                }
            }
            for c in &site.children {
                let kind = match c.schema.key {
                    "kubernetes" => DeclKind::Kubernetes,
                    "openstack" => DeclKind::OpenStack,
                    "vsphere" => DeclKind::VSphere,
                    _ => continue,
                };
                if !self.declare(kind, c, None) {
                    continue;
                }
                let cname = c.name().to_string();
                self.ids.clusters.insert(cname.clone(), ClusterId::from_index(self.ids.clusters.len()));
                for item in &c.children {
                    let kind = match item.schema.key {
                        "pool" => DeclKind::Pool,
                        "storage-class" => DeclKind::StorageClass,
                        "flavor" => DeclKind::Flavor,
                        "volume-type" => DeclKind::VolumeType,
                        "vsan" => DeclKind::Vsan,
                        _ => continue,
                    };
                    if self.declare(kind, item, Some(&cname)) && kind == DeclKind::Vsan {
                        let id = StorageId::from_index(self.ids.storage.len());
                        self.ids.storage.insert((cname.clone(), item.name().to_string()), id);
                    }
                }
            }
            for ceph in site.children_named("ceph") {
                if self.declare(DeclKind::Ceph, ceph, Some(&sname)) {
                    let id = StorageId::from_index(self.ids.storage.len());
                    self.ids.storage.insert((sname.clone(), ceph.name().to_string()), id);
                }
            }
        }
        for r in &d.replications {
            self.declare(DeclKind::Replication, r, None);
        }
        for b in &d.backups {
            self.declare(DeclKind::Backup, b, None);
        }
        for m in &d.migrations {
            self.declare(DeclKind::Migrate, m, None);
        }
        for (i, (w, _)) in d.workloads.iter().enumerate() {
            let kind = match w.schema.key {
                "service" => DeclKind::Service,
                "vm" => DeclKind::Vm,
                _ => DeclKind::Job,
            };
            if self.declare(kind, w, None) {
                self.declared_workloads.push(i);
                let id = WorkloadId::from_index(self.ids.workloads.len());
                self.ids.workloads.insert(w.name().to_string(), id);
            }
        }
    }

    /// Looks up a reference and returns the declaration's `(parent, name)`.
    fn lookup(
        &mut self,
        v: &DVal,
        accepts: &[DeclKind],
        scope: Scope<'_>,
        expected: &str,
    ) -> Option<(Option<String>, String, DeclKind)> {
        let text = v.str()?;
        self.names
            .lookup(text, v.span, accepts, scope, expected, self.diags)
            .map(|d| (d.parent.clone(), d.name.clone(), d.kind))
    }

    /// Re-codes the reference diagnostics pushed since `from`: where a rule
    /// of CHECKS.md covers a kind of reference (an unknown site in a link,
    /// an unknown `allow-from` workload, …), its own code is reported
    /// instead of the generic HY0012 / HY0014.
    fn recode(&mut self, from: usize, unknown: Option<&'static Code>, wrong_kind: Option<&'static Code>) {
        for d in self.diags.iter_mut().skip(from) {
            if d.code.id == codes::UNKNOWN_REFERENCE.id {
                if let Some(c) = unknown {
                    d.code = c;
                    d.severity = c.severity;
                }
            } else if d.code.id == codes::WRONG_REFERENCE_KIND.id {
                if let Some(c) = wrong_kind {
                    d.code = c;
                    d.severity = c.severity;
                }
            }
        }
    }

    fn cluster_ref(&mut self, v: &DVal) -> Option<Spanned<ClusterId>> {
        let (_, name, _) = self.lookup(v, CLUSTERS, Scope::Topology, "cluster")?;
        self.ids.clusters.get(&name).map(|id| Spanned::new(*id, v.span))
    }

    fn workload_ref(&mut self, v: &DVal) -> Option<Spanned<WorkloadId>> {
        let (_, name, _) = self.lookup(v, WORKLOADS, Scope::Topology, "workload")?;
        self.ids.workloads.get(&name).map(|id| Spanned::new(*id, v.span))
    }

    fn site_ref(&mut self, v: &DVal) -> Option<Spanned<SiteId>> {
        let mark = self.diags.len();
        let found = self.lookup(v, &[DeclKind::Site], Scope::Topology, "site");
        self.recode(mark, Some(&codes::LINK_UNKNOWN_SITE), Some(&codes::LINK_UNKNOWN_SITE));
        let (_, name, _) = found?;
        self.ids.sites.get(&name).map(|id| Spanned::new(*id, v.span))
    }

    fn network_ref(&mut self, v: &DVal, site: &str) -> Option<Spanned<NetworkId>> {
        let (parent, name, _) = self.lookup(v, &[DeclKind::Network], Scope::Within(&[site]), "network")?;
        let key = (parent.unwrap_or_default(), name);
        self.ids.networks.get(&key).map(|id| Spanned::new(*id, v.span))
    }

    /// The site networks a cloud or vSphere cluster offers (`network REF`, repeatable).
    fn network_refs(&mut self, c: &DNode, site: &str) -> Vec<NetworkId> {
        let refs: Vec<DVal> = c.children_named("network").filter_map(|n| n.arg(0).cloned()).collect();
        refs.iter().filter_map(|v| self.network_ref(v, site)).map(|id| id.value).collect()
    }

    fn storage_ref(
        &mut self,
        v: &DVal,
        accepts: &[DeclKind],
        scope: Scope<'_>,
        expected: &str,
    ) -> Option<Spanned<StorageId>> {
        let (parent, name, _) = self.lookup(v, accepts, scope, expected)?;
        let key = (parent.unwrap_or_default(), name);
        self.ids.storage.get(&key).map(|id| Spanned::new(*id, v.span))
    }

    fn gpu_ref(&mut self, v: &DVal) -> Option<GpuModelId> {
        let mark = self.diags.len();
        let found = self.lookup(v, &[DeclKind::GpuModel], Scope::Topology, "gpu model");
        self.recode(mark, Some(&codes::UNKNOWN_GPU_MODEL), None);
        let (_, name, _) = found?;
        self.ids.gpus.get(&name).copied()
    }

    fn build(&mut self, d: &Decoded, docs: &[Document], complete: bool) -> Topology {
        let mut t = Topology::default();
        match d.topology.as_slice() {
            [] if !complete => {}
            [] => {
                let span = docs
                    .iter()
                    .find(|doc| doc.file.0 != u32::MAX)
                    .map(|doc| Span::new(doc.file, 0, 0))
                    .unwrap_or_default();
                self.diags.push(diags::missing_topology(span));
            }
            [first, rest @ ..] => {
                for other in rest {
                    self.diags.push(diags::second_topology(other.name_span, first.name_span));
                }
                t.name = first.name().to_string();
                t.span = first.name_arg_span();
                t.owner = first.child("owner").and_then(|o| arg_str(o, 0));
                t.labels =
                    first.children_named("label").filter_map(|l| Some((arg_str(l, 0)?, arg_str(l, 1)?))).collect();
            }
        }
        t.gpu_models = d.gpu_models.iter().filter(|g| self.ids.gpus.contains_key(g.name())).map(gpu_model).collect();
        // Sites with their networks, clusters and storage. Ids were handed
        // out in this same order while declaring.
        for i in self.declared_sites.clone() {
            if let Some(site) = d.sites.get(i) {
                self.build_site(site, &mut t);
            }
        }
        for l in &d.links {
            if let Some(link) = self.build_link(l) {
                t.links.push(link);
            }
        }
        for r in &d.replications {
            let mark = self.diags.len();
            let from = r
                .prop("from")
                .and_then(|v| self.storage_ref(v, &[DeclKind::Ceph, DeclKind::Vsan], Scope::Topology, "storage pool"));
            let to = r
                .prop("to")
                .and_then(|v| self.storage_ref(v, &[DeclKind::Ceph, DeclKind::Vsan], Scope::Topology, "storage pool"));
            self.recode(mark, None, Some(&codes::REPLICATION_NOT_STORAGE));
            let (Some(from), Some(to)) = (from, to) else { continue };
            let mode = r.prop("mode").map(|v| {
                let m = if v.str() == Some("sync") { ReplicationMode::Sync } else { ReplicationMode::Async };
                Spanned::new(m, v.span)
            });
            let rpo = r.prop("rpo").and_then(|v| Some(Spanned::new(v.duration()?, v.span)));
            let (Some(mode), Some(rpo)) = (mode, rpo) else { continue };
            t.replications.push(Replication {
                name: r.name().to_string(),
                span: r.name_arg_span(),
                from,
                to,
                mode,
                rpo,
                rto: r.prop("rto").and_then(|v| Some(Spanned::new(v.duration()?, v.span))),
            });
        }
        for i in self.declared_workloads.clone() {
            if let Some((w, applied)) = d.workloads.get(i) {
                let workload = self.build_workload(w, applied, &t);
                t.workloads.push(workload);
            }
        }
        for bk in &d.backups {
            let mark = self.diags.len();
            let of = bk.prop("of").and_then(|v| {
                let accepts = [DeclKind::Kubernetes, DeclKind::Service, DeclKind::Vm, DeclKind::Job];
                let (_, name, kind) = self.lookup(v, &accepts, Scope::Topology, "kubernetes cluster or workload")?;
                let target = if kind == DeclKind::Kubernetes {
                    BackupTarget::Cluster(*self.ids.clusters.get(&name)?)
                } else {
                    BackupTarget::Workload(*self.ids.workloads.get(&name)?)
                };
                Some(Spanned::new(target, v.span))
            });
            self.recode(mark, Some(&codes::BACKUP_UNKNOWN_TARGET), None);
            let schedule = bk.prop("schedule").and_then(|v| Some(Spanned::new(v.cron()?.clone(), v.span)));
            let retain = bk.prop("retain").and_then(|v| Some(Spanned::new(v.duration()?, v.span)));
            let (Some(of), Some(schedule), Some(retain)) = (of, schedule, retain) else { continue };
            t.backups.push(Backup { name: bk.name().to_string(), span: bk.name_arg_span(), of, schedule, retain });
        }
        for m in &d.migrations {
            let from = m.prop("from").and_then(|v| self.workload_ref(v));
            let to = m.prop("to").and_then(|v| self.workload_ref(v));
            let weight = m.prop("weight").and_then(|v| Some(Spanned::new(v.int()?, v.span)));
            let (Some(from), Some(to), Some(weight)) = (from, to, weight) else { continue };
            t.migrations.push(Migration { name: m.name().to_string(), span: m.name_arg_span(), from, to, weight });
        }
        t
    }

    fn build_site(&mut self, site: &DNode, t: &mut Topology) {
        let sname = site.name().to_string();
        let site_id = SiteId::from_index(t.sites.len());
        let mut out = Site {
            name: sname.clone(),
            span: site.name_arg_span(),
            region: word(site, "region"),
            kind: s(site, "kind").map(|k| match k.as_str() {
                "public-cloud" => SiteKind::PublicCloud,
                "edge" => SiteKind::Edge,
                _ => SiteKind::OnPrem,
            }),
            provider: s(site, "provider"),
            networks: Vec::new(),
            clusters: Vec::new(),
            storage: Vec::new(),
        };
        for net in site.children_named("network") {
            let Some(id) = self.ids.networks.get(&(sname.clone(), net.name().to_string())).copied() else { continue };
            if id.index() != t.networks.len() {
                continue;
            }
            t.networks.push(Network {
                name: net.name().to_string(),
                span: net.name_arg_span(),
                site: site_id,
                cidr: cidr_or(net, "cidr"),
                vlan: net.prop("vlan").and_then(|v| Some(Spanned::new(v.int()?, v.span))),
                zone: s(net, "zone"),
            });
            out.networks.push(id);
        }
        // Ceph pools get their ids after the site's vSANs were declared, so
        // insert storage in id order.
        let mut storage: Vec<(StorageId, Storage)> = Vec::new();
        for ceph in site.children_named("ceph") {
            let Some(id) = self.ids.storage.get(&(sname.clone(), ceph.name().to_string())).copied() else { continue };
            storage.push((
                id,
                Storage {
                    name: ceph.name().to_string(),
                    span: ceph.name_arg_span(),
                    site: site_id,
                    kind: StorageKind::Ceph(Ceph {
                        nodes: u(ceph, "nodes").unwrap_or(0),
                        media: match s(ceph, "media").as_deref() {
                            Some("hdd") => Media::Hdd,
                            Some("nvme") => Media::Nvme,
                            _ => Media::Ssd,
                        },
                        replicas: u(ceph, "replicas").unwrap_or(3),
                        failure_domain: s(ceph, "failure-domain").map(|f| match f.as_str() {
                            "rack" => FailureDomain::Rack,
                            "zone" => FailureDomain::Zone,
                            _ => FailureDomain::Host,
                        }),
                        capacity: ceph.prop("capacity").and_then(DVal::size),
                    }),
                },
            ));
        }
        for c in &site.children {
            let Some(cid) = self.ids.clusters.get(c.name()).copied() else { continue };
            if cid.index() != t.clusters.len() || !matches!(c.schema.key, "kubernetes" | "openstack" | "vsphere") {
                continue;
            }
            let kind = match c.schema.key {
                "kubernetes" => ClusterKind::Kubernetes(self.build_kubernetes(c, &sname)),
                "openstack" => ClusterKind::OpenStack(self.build_openstack(c, &sname)),
                _ => {
                    let cname = c.name().to_string();
                    let mut vs = self.build_vsphere(c, &sname);
                    for v in c.children_named("vsan") {
                        let Some(id) = self.ids.storage.get(&(cname.clone(), v.name().to_string())).copied() else {
                            continue;
                        };
                        vs.vsans.push(id);
                        storage.push((
                            id,
                            Storage {
                                name: v.name().to_string(),
                                span: v.name_arg_span(),
                                site: site_id,
                                kind: StorageKind::Vsan(Vsan {
                                    cluster: cid,
                                    dedup: b(v, "dedup"),
                                    compression: b(v, "compression"),
                                }),
                            },
                        ));
                    }
                    ClusterKind::VSphere(vs)
                }
            };
            t.clusters.push(Cluster { name: c.name().to_string(), span: c.name_arg_span(), site: site_id, kind });
            out.clusters.push(cid);
        }
        storage.sort_by_key(|(id, _)| *id);
        for (id, st) in storage {
            out.storage.push(id);
            if id.index() >= t.storage.len() {
                t.storage.push(st);
            }
        }
        t.sites.push(out);
    }

    fn build_kubernetes(&mut self, c: &DNode, site: &str) -> Kubernetes {
        let cname = c.name().to_string();
        let cp = c.child("control-plane");
        let mut k = Kubernetes {
            version: word(c, "version"),
            control_plane_replicas: match cp {
                Some(cp) => spanned_u32(cp, "replicas", 3),
                None => Spanned::new(3, c.name_span),
            },
            pod_cidr: cidr_or(c, "pod-cidr"),
            service_cidr: cidr_or(c, "service-cidr"),
            network: None,
            cni: c.child("cni").map(|n| Cni {
                plugin: if arg_str(n, 0).as_deref() == Some("cilium") { CniPlugin::Cilium } else { CniPlugin::Calico },
                mode: s(n, "mode").map(|m| match m.as_str() {
                    "bgp" => CniMode::Bgp,
                    "ebpf" => CniMode::Ebpf,
                    _ => CniMode::Vxlan,
                }),
            }),
            mesh: c.child("mesh").map(|n| Mesh {
                span: n.name_span,
                mtls: match n.prop("mtls") {
                    Some(v) => Spanned::new(
                        if v.str() == Some("permissive") { Mtls::Permissive } else { Mtls::Strict },
                        v.span,
                    ),
                    None => Spanned::new(Mtls::Strict, n.name_span),
                },
            }),
            kubevirt: flag(c.child("kubevirt")),
            volcano: c.child("scheduler").is_some(),
            gitops: c.child("gitops").map(|g| GitOps {
                repo: word(g, "repo"),
                path: s(g, "path"),
                revision: s(g, "revision").unwrap_or_else(|| "HEAD".to_string()),
            }),
            pools: Vec::new(),
            storage_classes: Vec::new(),
        };
        if let Some(v) = c.child("network").and_then(|n| n.arg(0)) {
            k.network = self.network_ref(v, site).map(|n| n.value);
        }
        for p in c.children_named("pool") {
            let gpu = p.child("gpu").and_then(|g| {
                let model = self.gpu_ref(g.arg(0)?)?;
                Some(PoolGpu {
                    span: g.name_span,
                    model,
                    count: u(g, "count").unwrap_or(1),
                    sharing: match g.prop("sharing") {
                        Some(v) => Spanned::new(
                            match v.str() {
                                Some("mig") => GpuSharing::Mig,
                                Some("time-slicing") => GpuSharing::TimeSlicing,
                                _ => GpuSharing::Exclusive,
                            },
                            v.span,
                        ),
                        None => Spanned::new(GpuSharing::Exclusive, g.name_span),
                    },
                    profile: g.prop("profile").and_then(|v| Some(Spanned::new(v.str()?.to_string(), v.span))),
                    replicas: u(g, "replicas"),
                })
            });
            k.pools.push(Pool {
                name: p.name().to_string(),
                span: p.name_arg_span(),
                nodes: spanned_u32(p, "nodes", 0),
                cpu: p.prop("cpu").and_then(DVal::cpu).unwrap_or_default(),
                memory: p.prop("memory").and_then(DVal::size).unwrap_or_default(),
                gpu,
                taints: p
                    .children_named("taint")
                    .map(|t| Taint {
                        key: arg_str(t, 0).unwrap_or_default(),
                        value: s(t, "value"),
                        effect: match s(t, "effect").as_deref() {
                            Some("PreferNoSchedule") => TaintEffect::PreferNoSchedule,
                            Some("NoExecute") => TaintEffect::NoExecute,
                            _ => TaintEffect::NoSchedule,
                        },
                    })
                    .collect(),
                labels: p.children_named("label").filter_map(|l| Some((arg_str(l, 0)?, arg_str(l, 1)?))).collect(),
                rdma: flag(p.child("rdma")),
            });
        }
        for sc in c.children_named("storage-class") {
            let pool = sc
                .prop("pool")
                .and_then(|v| self.storage_ref(v, &[DeclKind::Ceph], Scope::WithinThenTopology(site), "ceph pool"));
            k.storage_classes.push(StorageClass {
                name: sc.name().to_string(),
                span: sc.name_arg_span(),
                backend: match s(sc, "backend").as_deref() {
                    Some("longhorn") => StorageBackend::Longhorn,
                    Some("vsan") => StorageBackend::Vsan,
                    Some("local") => StorageBackend::Local,
                    _ => StorageBackend::CephRbd,
                },
                pool: pool.map(|p| p.value),
                default: b(sc, "default"),
            });
        }
        let _ = cname;
        k
    }

    fn build_openstack(&mut self, c: &DNode, site: &str) -> OpenStack {
        let networks = self.network_refs(c, site);
        let mut volume_types = Vec::new();
        for vt in c.children_named("volume-type") {
            let backend = vt
                .prop("backend")
                .and_then(|v| self.storage_ref(v, &[DeclKind::Ceph], Scope::WithinThenTopology(site), "ceph pool"));
            volume_types.push(VolumeType {
                name: vt.name().to_string(),
                span: vt.name_arg_span(),
                backend: backend.map(|b| b.value),
            });
        }
        OpenStack {
            release: word(c, "release"),
            controllers: c.child("controllers").and_then(|n| arg_u32(n, 0)).unwrap_or(3),
            compute: c.child("compute").map(|n| capacity(n, "nodes")),
            flavors: c
                .children_named("flavor")
                .map(|f| Flavor {
                    name: f.name().to_string(),
                    span: f.name_arg_span(),
                    cpu: f.prop("cpu").and_then(DVal::cpu).unwrap_or_default(),
                    memory: f.prop("memory").and_then(DVal::size).unwrap_or_default(),
                    disk: f.prop("disk").and_then(DVal::size).unwrap_or_default(),
                })
                .collect(),
            networks,
            volume_types,
        }
    }

    fn build_vsphere(&mut self, c: &DNode, site: &str) -> VSphere {
        let networks = self.network_refs(c, site);
        VSphere {
            version: word(c, "version"),
            datacenter: word(c, "datacenter"),
            hosts: c.child("hosts").map(|n| capacity(n, "count")),
            ha: c.child("ha").map(|h| VsphereHa {
                span: h.name_span,
                restart_priority: s(h, "restart-priority").map(|p| priority(&p)),
                isolation_response: s(h, "isolation-response").map(|p| match p.as_str() {
                    "shutdown" => IsolationResponse::Shutdown,
                    "power-off" => IsolationResponse::PowerOff,
                    _ => IsolationResponse::None,
                }),
                admission_reserve: h.prop("admission-reserve").and_then(|v| Some(Spanned::new(v.percent()?, v.span))),
            }),
            drs: c.child("drs").map(|d| match s(d, "automation").as_deref() {
                Some("manual") => DrsAutomation::Manual,
                Some("partially-automated") => DrsAutomation::PartiallyAutomated,
                _ => DrsAutomation::FullyAutomated,
            }),
            networks,
            vsans: Vec::new(),
        }
    }

    fn build_link(&mut self, l: &DNode) -> Option<Link> {
        let a = self.site_ref(l.arg(0)?);
        let b2 = self.site_ref(l.arg(1)?);
        let latency = l.prop("latency").and_then(|v| Some(Spanned::new(v.duration()?, v.span)));
        let bandwidth = l.prop("bandwidth").and_then(|v| Some(Spanned::new(v.bandwidth()?, v.span)));
        Some(Link {
            span: l.name_span,
            a: a?,
            b: b2?,
            latency: latency?,
            bandwidth: bandwidth?,
            kind: l.prop("kind").and_then(|v| {
                let k = match v.str()? {
                    "dark-fiber" => LinkKind::DarkFiber,
                    "wan" => LinkKind::Wan,
                    "vpn" => LinkKind::Vpn,
                    _ => LinkKind::Internet,
                };
                Some(Spanned::new(k, v.span))
            }),
            encrypted: b(l, "encrypted"),
        })
    }

    fn build_workload(&mut self, w: &DNode, applied: &[String], t: &Topology) -> Workload {
        let kind = match w.schema.key {
            "service" => WorkloadKind::Service(Box::new(self.build_service(w, t))),
            "vm" => WorkloadKind::Vm(self.build_vm(w, t)),
            _ => WorkloadKind::Job(self.build_job(w, t)),
        };
        Workload {
            name: w.name().to_string(),
            span: w.name_arg_span(),
            critical: flag(w.child("critical")),
            profiles: applied.to_vec(),
            kind,
        }
    }

    fn placeholder_cluster(&self, span: Span) -> Spanned<ClusterId> {
        Spanned::new(ClusterId(0), span)
    }

    fn build_service(&mut self, w: &DNode, t: &Topology) -> Service {
        let pl = w.child("placement");
        let mut placement = Vec::new();
        if let Some(pl) = pl {
            for a in &pl.args {
                if let Some(c) = self.cluster_ref(a) {
                    placement.push(c);
                }
            }
        }
        let mut allow_from = Vec::new();
        for af in w.children_named("allow-from") {
            for a in &af.args {
                let mark = self.diags.len();
                let found = self.workload_ref(a);
                self.recode(mark, Some(&codes::ALLOW_FROM_UNKNOWN), None);
                if let Some(id) = found {
                    allow_from.push(id);
                }
            }
        }
        let mut volumes = Vec::new();
        for v in w.children_named("volume") {
            let storage_class = v.prop("storage-class").and_then(|sc| self.storage_class_name(sc));
            volumes.push(Volume {
                name: v.name().to_string(),
                span: v.name_arg_span(),
                size: v.prop("size").and_then(DVal::size).unwrap_or_default(),
                storage_class,
                mount: word(v, "mount"),
            });
        }
        for e in w.children_named("env") {
            if let (Some(name), Some(value)) = (arg_str(e, 0), e.arg(1)) {
                if looks_secret(&name) {
                    self.diags.push(diags::literal_secret(&name, value.span));
                }
            }
        }
        let traffic = w.child("traffic").map(|tr| self.build_traffic(w, tr));
        Service {
            placement,
            placement_span: pl.map(|p| p.name_span).unwrap_or(w.name_span),
            mode: match pl.and_then(|p| s(p, "mode")).as_deref() {
                Some("active-passive") => PlacementMode::ActivePassive,
                _ => PlacementMode::ActiveActive,
            },
            namespace: w.child("namespace").and_then(|n| arg_str(n, 0)).unwrap_or_else(|| t.name.clone()),
            image: image(w),
            replicas: match w.child("replicas") {
                Some(r) => Spanned::new(arg_u32(r, 0).unwrap_or(1), r.arg(0).map(|a| a.span).unwrap_or(r.name_span)),
                None => Spanned::new(1, w.name_span),
            },
            ports: w.children_named("port").map(port).collect(),
            resources: w.child("resources").map(resources),
            autoscale: w.child("autoscale").map(|a| Autoscale {
                span: a.name_span,
                min: u(a, "min"),
                max: u(a, "max"),
                cpu: a.prop("cpu").and_then(DVal::percent),
                memory: a.prop("memory").and_then(DVal::percent),
            }),
            disruption: w.child("disruption").and_then(|d| {
                if let Some(v) = d.prop("max-unavailable") {
                    Some(Disruption::MaxUnavailable(Spanned::new(v.u32()?, v.span)))
                } else {
                    let v = d.prop("min-available")?;
                    Some(Disruption::MinAvailable(Spanned::new(v.u32()?, v.span)))
                }
            }),
            spread: w.child("spread").map(|sp| Spread {
                span: sp.name_span,
                over: if arg_str(sp, 0).as_deref() == Some("zone") { SpreadOver::Zone } else { SpreadOver::Hostname },
                required: b(sp, "required"),
            }),
            probe: w.child("probe").map(|p| Probe {
                liveness: s(p, "liveness"),
                readiness: s(p, "readiness"),
                startup: s(p, "startup"),
                port: u(p, "port").and_then(|v| u16::try_from(v).ok()),
            }),
            env: w
                .children_named("env")
                .filter_map(|e| Some(Env { name: arg_str(e, 0)?, value: arg_str(e, 1)? }))
                .collect(),
            secret_env: w
                .children_named("secret-env")
                .filter_map(|e| Some(SecretEnv { name: arg_str(e, 0)?, secret: s(e, "secret")?, key: s(e, "key")? }))
                .collect(),
            volumes,
            expose: w.child("expose").map(|e| Expose {
                span: e.name_span,
                host: word(e, "host"),
                tls: match e.prop("tls") {
                    Some(v) => Spanned::new(v.bool().unwrap_or(false), v.span),
                    None => Spanned::new(false, e.name_span),
                },
            }),
            allow_from,
            traffic,
        }
    }

    /// A storage class named by a volume: it must exist in some cluster;
    /// whether it exists in each placement cluster is a placement check.
    fn storage_class_name(&mut self, v: &DVal) -> Option<Spanned<String>> {
        let written = v.str()?;
        // `cluster.class` names the class explicitly; the placement rule
        // (HY7004) checks it exists in every placement cluster.
        let text = match written.split_once('.') {
            Some((cluster, class)) => {
                if self
                    .names
                    .named(class)
                    .any(|d| d.kind == DeclKind::StorageClass && d.parent.as_deref() == Some(cluster))
                {
                    return Some(Spanned::new(class.to_string(), v.span));
                }
                written
            }
            None => written,
        };
        if self.names.named(text).any(|d| d.kind == DeclKind::StorageClass) {
            return Some(Spanned::new(text.to_string(), v.span));
        }
        let classes: Vec<String> =
            self.names.iter().filter(|d| d.kind == DeclKind::StorageClass).map(|d| d.name.clone()).collect();
        if let Some(other) = self.names.named(text).next() {
            self.diags.push(diags::wrong_reference_kind(text, v.span, other.kind.word(), "storage class", other.span));
            return None;
        }
        let suggestion = did_you_mean(text, classes.iter().map(String::as_str)).map(str::to_string);
        self.diags.push(diags::unknown_reference(text, v.span, "storage class", suggestion, None));
        None
    }

    fn build_traffic(&mut self, w: &DNode, tr: &DNode) -> Traffic {
        let mut versions: Vec<(String, Span)> = Vec::new();
        let mut declare_version = |diags: &mut Vec<Diagnostic>, n: &DNode| {
            let name = n.name().to_string();
            if let Some((_, first)) = versions.iter().find(|(v, _)| *v == name) {
                diags.push(diags::duplicate_declaration_named(
                    "traffic version",
                    &name,
                    n.name_arg_span(),
                    *first,
                    &format!("service `{}`", w.name()),
                ));
            } else {
                versions.push((name, n.name_arg_span()));
            }
        };
        let header_match = |m: &DNode| {
            let (kind, value) = if let Some(v) = s(m, "exact") {
                (MatchKind::Exact, v)
            } else if let Some(v) = s(m, "prefix") {
                (MatchKind::Prefix, v)
            } else {
                (MatchKind::Regex, s(m, "regex").unwrap_or_default())
            };
            HeaderMatch { header: word(m, "header"), kind, value }
        };
        let mut out = Traffic { span: tr.name_span, ..Traffic::default() };
        for c in tr.children_named("canary") {
            declare_version(self.diags, c);
            out.canaries.push(Canary {
                name: c.name().to_string(),
                span: c.name_arg_span(),
                image: spanned_str(c, "image"),
                weight: c
                    .prop("weight")
                    .map(|v| Spanned::new(v.int().unwrap_or(0), v.span))
                    .unwrap_or(Spanned::new(0, c.name_span)),
                matches: c.child("match").map(header_match),
            });
        }
        for v in tr.children_named("variant") {
            declare_version(self.diags, v);
            out.variants.push(Variant {
                name: v.name().to_string(),
                span: v.name_arg_span(),
                image: spanned_str(v, "image"),
                matches: v.child("match").map(header_match).unwrap_or(HeaderMatch {
                    header: String::new(),
                    kind: MatchKind::Exact,
                    value: String::new(),
                }),
            });
        }
        if let Some(m) = tr.child("mirror") {
            declare_version(self.diags, m);
            out.mirror = Some(Mirror {
                name: m.name().to_string(),
                span: m.name_arg_span(),
                image: m.prop("image").and_then(|v| Some(Spanned::new(v.str()?.to_string(), v.span))),
                percent: m.prop("percent").and_then(DVal::percent).unwrap_or(Percent(100.0)),
            });
        }
        out.blue_green = tr.child("blue-green").map(|bg| BlueGreen {
            span: bg.name_span,
            active: if s(bg, "active").as_deref() == Some("green") { Colour::Green } else { Colour::Blue },
            blue: spanned_str(bg, "blue"),
            green: spanned_str(bg, "green"),
        });
        out.circuit_breaker = tr.child("circuit-breaker").map(|cb| CircuitBreaker {
            consecutive_errors: u(cb, "consecutive-errors"),
            interval: cb.prop("interval").and_then(DVal::duration),
            ejection: cb.prop("ejection").and_then(DVal::duration),
            max_ejection: cb.prop("max-ejection").and_then(DVal::percent),
        });
        out.retry = tr.child("retry").map(|r| Retry {
            span: r.name_span,
            attempts: u(r, "attempts"),
            per_try_timeout: r.prop("per-try-timeout").and_then(DVal::duration),
            on: s(r, "on"),
        });
        out.timeout = tr.child("timeout").and_then(|tm| {
            let a = tm.arg(0)?;
            Some(Spanned::new(a.duration()?, a.span))
        });
        out
    }

    fn build_vm(&mut self, w: &DNode, t: &Topology) -> Vm {
        let placement = w
            .child("placement")
            .and_then(|p| p.arg(0))
            .and_then(|a| self.cluster_ref(a))
            .unwrap_or_else(|| self.placeholder_cluster(w.name_span));
        let cluster = t.clusters.get(placement.value.index());
        let site = cluster.map(|c| t.site(c.site).name.clone()).unwrap_or_default();
        let cname = cluster.map(|c| c.name.clone()).unwrap_or_default();
        let network = w.child("network").and_then(|n| n.arg(0)).and_then(|a| self.network_ref(a, &site));
        let mut disks = Vec::new();
        for d in w.children_named("disk") {
            let storage_ref = d.prop("storage").and_then(|v| Some(Spanned::new(v.str()?.to_string(), v.span)));
            let storage = d.prop("storage").and_then(|v| self.disk_storage(v, &cname, cluster));
            disks.push(Disk {
                name: d.name().to_string(),
                span: d.name_arg_span(),
                size: d.prop("size").and_then(DVal::size).unwrap_or_default(),
                storage_ref,
                storage,
                boot: b(d, "boot"),
            });
        }
        let gpu = w.child("gpu").and_then(|g| {
            let model = self.gpu_ref(g.arg(0)?)?;
            Some(VmGpu {
                span: g.name_span,
                model,
                count: u(g, "count").unwrap_or(1),
                passthrough: b(g, "passthrough"),
            })
        });
        Vm {
            placement,
            image: image(w),
            cpu: w
                .child("cpu")
                .and_then(|c| Some(Spanned::new(arg_u32(c, 0)?, c.arg(0)?.span)))
                .unwrap_or(Spanned::new(0, w.name_span)),
            memory: w
                .child("memory")
                .and_then(|m| Some(Spanned::new(m.arg(0)?.size()?, m.arg(0)?.span)))
                .unwrap_or(Spanned::new(Bytes(0), w.name_span)),
            disks,
            network,
            ports: w.children_named("port").map(port).collect(),
            ha: w.child("ha").and_then(|h| s(h, "restart-priority")).map(|p| priority(&p)),
            fault_tolerance: w.child("fault-tolerance").map(|f| Spanned::new(flag(Some(f)), f.name_span)),
            reserve: w.child("reserve").map(|r| Reserve {
                span: r.name_span,
                cpu: r.prop("cpu").and_then(DVal::percent),
                memory: r.prop("memory").and_then(DVal::percent),
            }),
            numa_pinned: w.child("numa").is_some_and(|n| b(n, "pinned")),
            gpu,
            anti_affinity: w.child("anti-affinity").and_then(|a| arg_str(a, 0)),
        }
    }

    /// A disk's storage in the vm's cluster. A name found only in another
    /// cluster stays unresolved (a placement check reports it); a name found
    /// nowhere is an unknown reference.
    fn disk_storage(&mut self, v: &DVal, cname: &str, cluster: Option<&Cluster>) -> Option<DiskStorage> {
        let text = v.str()?;
        let kinds = [DeclKind::StorageClass, DeclKind::VolumeType, DeclKind::Vsan];
        let (parent, name) = match text.rsplit_once('.') {
            Some((p, n)) => (p.to_string(), n.to_string()),
            None => (cname.to_string(), text.to_string()),
        };
        let found = self
            .names
            .named(&name)
            .find(|d| kinds.contains(&d.kind) && d.parent.as_deref() == Some(&parent))
            .map(|d| d.kind);
        let exists_anywhere = self.names.named(&name).any(|d| kinds.contains(&d.kind));
        match found {
            Some(kind) if parent == cname => {
                let cid = *self.ids.clusters.get(cname)?;
                match kind {
                    DeclKind::StorageClass => Some(DiskStorage::StorageClass(cid, name)),
                    DeclKind::VolumeType => Some(DiskStorage::VolumeType(cid, name)),
                    _ => self.ids.storage.get(&(parent, name)).map(|id| DiskStorage::Vsan(*id)),
                }
            }
            Some(_) => None,
            None if exists_anywhere => None,
            None => {
                let _ = cluster;
                let mut candidates: Vec<String> =
                    self.names.iter().filter(|d| kinds.contains(&d.kind)).map(|d| d.name.clone()).collect();
                candidates.dedup();
                let suggestion = did_you_mean(&name, candidates.iter().map(String::as_str)).map(str::to_string);
                self.diags.push(diags::unknown_reference(
                    text,
                    v.span,
                    "storage class, volume type or vsan",
                    suggestion,
                    None,
                ));
                None
            }
        }
    }

    fn build_job(&mut self, w: &DNode, t: &Topology) -> Job {
        let mut pool = None;
        let placement = w.child("placement").and_then(|p| p.arg(0)).and_then(|a| {
            let text = a.str()?;
            if let Some((cluster, pool_name)) = text.split_once('.') {
                // `cluster.pool`: the cluster first (unknown → HY0012 on it).
                let cv = DVal { v: crate::decode::V::Ref(cluster.to_string()), span: a.span };
                let cid = self.cluster_ref(&cv)?;
                let Some(k) = t.clusters.get(cid.value.index()).and_then(Cluster::kubernetes) else {
                    // Not kubernetes: the placement rule (HY7001) says so.
                    return Some(cid);
                };
                if k.pool(pool_name).is_none() {
                    let pools: Vec<&str> = k.pools.iter().map(|p| p.name.as_str()).collect();
                    self.diags.push(diags::job_pool_not_found(cluster, pool_name, a.span, &pools));
                    return None;
                }
                pool = Some(pool_name.to_string());
                return Some(cid);
            }
            self.cluster_ref(a)
        });
        Job {
            placement: placement.unwrap_or_else(|| self.placeholder_cluster(w.name_span)),
            pool,
            image: image(w),
            workers: match w.child("workers") {
                Some(n) => Spanned::new(arg_u32(n, 0).unwrap_or(1), n.arg(0).map(|a| a.span).unwrap_or(n.name_span)),
                None => Spanned::new(1, w.name_span),
            },
            resources: w.child("resources").map(resources),
            gang: w.child("gang").map(|g| Spanned::new(flag(Some(g)), g.name_span)),
            queue: w.child("queue").and_then(|q| arg_str(q, 0)),
            command: w
                .child("command")
                .map(|c| c.args.iter().filter_map(|a| a.str().map(str::to_string)).collect())
                .unwrap_or_default(),
        }
    }
}

fn image(w: &DNode) -> Spanned<String> {
    w.child("image")
        .and_then(|i| Some(Spanned::new(i.arg(0)?.str()?.to_string(), i.arg(0)?.span)))
        .unwrap_or(Spanned::new(String::new(), w.name_span))
}

fn port(p: &DNode) -> Port {
    Port {
        span: p.arg(0).map(|a| a.span).unwrap_or(p.name_span),
        number: arg_u32(p, 0).and_then(|v| u16::try_from(v).ok()).unwrap_or(0),
        protocol: match s(p, "protocol").as_deref() {
            Some("grpc") => Protocol::Grpc,
            Some("tcp") => Protocol::Tcp,
            _ => Protocol::Http,
        },
        name: s(p, "name"),
    }
}

fn resources(r: &DNode) -> Resources {
    Resources {
        span: r.name_span,
        cpu: r.prop("cpu").and_then(DVal::cpu),
        memory: r.prop("memory").and_then(DVal::size),
        gpu: r.prop("gpu").and_then(|v| Some(Spanned::new(v.u32()?, v.span))),
        gpu_profile: r.prop("gpu-profile").and_then(|v| Some(Spanned::new(v.str()?.to_string(), v.span))),
    }
}

fn capacity(n: &DNode, count: &str) -> Capacity {
    Capacity {
        span: n.name_span,
        count: u(n, count).unwrap_or(0),
        cpu: n.prop("cpu").and_then(DVal::cpu).unwrap_or_default(),
        memory: n.prop("memory").and_then(DVal::size).unwrap_or_default(),
    }
}

fn priority(p: &str) -> Priority {
    match p {
        "low" => Priority::Low,
        "high" => Priority::High,
        _ => Priority::Medium,
    }
}

fn gpu_model(g: &DNode) -> GpuModel {
    GpuModel {
        name: g.name().to_string(),
        span: g.name_arg_span(),
        memory: g.prop("memory").and_then(DVal::size).unwrap_or_default(),
        mig: b(g, "mig"),
        vendor: s(g, "vendor"),
        mig_profiles: g
            .children_named("mig-profile")
            .map(|p| MigProfile {
                name: p.name().to_string(),
                instances: u(p, "instances").unwrap_or(1),
                memory: p.prop("memory").and_then(DVal::size),
            })
            .collect(),
    }
}
