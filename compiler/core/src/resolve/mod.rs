//! Resolution: decoded declarations become the [`Topology`]. Names are
//! declared per scope, references are looked up (see `names`), profile
//! defaults are already merged, and every id in the result indexes the
//! result's own vectors.
//!
//! One file per concern: `declare` (names and ids, reference lookup),
//! `sites` (sites, networks, storage pools, links), `clusters`
//! (Kubernetes, OpenStack, vSphere), `workloads` (services, vms, jobs),
//! `traffic` (traffic policies, migrations), `meshes` (meshes that span
//! clusters), `data` (replication and backups); `read` holds the readers over decoded values.
//!
//! When the front end reported any error, the caller discards the model:
//! placeholders used here for unresolved references never reach a target.

mod clusters;
mod data;
mod declare;
mod meshes;
mod overrides;
mod read;
mod sites;
mod traffic;
mod workloads;

use crate::acknowledge;
use crate::decode::{decode, decode_plain, DNode};
use crate::diags;
use crate::hash::IndexMap;
use crate::load::FailedImports;
use crate::names::{Names, Scope};
use crate::profiles::{self, Profiles};
use crate::schema::{self, DeclKind};
use crate::secrets;
use crate::stdlib;
use hybrid_diagnostics::{Diagnostic, FileId, SourceMap, Span};
use hybrid_model::*;
use hybrid_syntax::{Declaration, Document, Text};
use read::{arg_string, spanned};

/// The decoded top-level declarations, by kind, in program order.
#[derive(Default)]
struct Decoded {
    topology: Vec<DNode>,
    sites: Vec<DNode>,
    links: Vec<DNode>,
    meshes: Vec<DNode>,
    replications: Vec<DNode>,
    backups: Vec<DNode>,
    workloads: Vec<(DNode, Vec<String>)>,
    migrations: Vec<DNode>,
    gpu_models: Vec<DNode>,
    overrides: Vec<DNode>,
}

impl Decoded {
    /// Every decoded declaration, in kind order (then program order).
    fn all(&self) -> impl Iterator<Item = &DNode> {
        let workloads = self.workloads.iter().map(|(w, _)| w);
        let lists = [&self.topology, &self.sites, &self.links, &self.meshes, &self.replications, &self.backups];
        let lists = lists.into_iter().chain([&self.migrations, &self.gpu_models]).flatten();
        lists.chain(workloads)
    }
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
/// The documents are taken by value: each top-level declaration's syntax
/// is dropped once it is decoded (the profiles' once every workload is),
/// and each decoded declaration once it is in the topology, so that the
/// program is never held three times over.
///
/// `complete` is false when a file failed to parse: its declarations are
/// missing, so "no topology" would be a consequence, not a finding.
///
/// `failed` holds what failed imports would have declared: a reference
/// to such a name is not reported again.
///
/// Also returns the name table, with every reference that resolved.
pub fn resolve(
    sources: &SourceMap,
    docs: Vec<Document>,
    complete: bool,
    failed: &FailedImports,
    diags: &mut Vec<Diagnostic>,
) -> (Topology, Names) {
    let mut profiles = Profiles { failed: failed.clone(), ..Profiles::default() };
    let mut names = Names::default();
    names.failed = failed.clone();
    // What reads the syntax of the whole program runs before it is decoded.
    secrets::scan(&docs, diags);
    std_hints(sources, &mut names, &mut profiles);
    let first_file = docs.iter().map(|doc| doc.file).find(|file| file.0 != u32::MAX);
    let uses = profile_uses(&docs);

    // Each top-level declaration owns its syntax: a profile's is kept until
    // every workload is decoded, every other one is dropped once decoded.
    let (profile_declarations, others): (Vec<Declaration>, Vec<Declaration>) = docs
        .into_iter()
        .flat_map(Document::into_declarations)
        .partition(|d| d.node().is_some_and(|n| n.name() == "profile"));
    names.reserve(profile_declarations.len() + others.len());
    // Profiles first: workloads need them to decode.
    for node in profile_declarations.iter().filter_map(Declaration::node) {
        let Some(schema) = schema::node("profile") else { continue };
        let dn = decode(&node, &[], schema, diags);
        profiles::check_profile(&node, diags);
        if names.declare(DeclKind::Profile, dn.name(), None, dn.name_arg_span(), diags) {
            profiles.by_name.insert(dn.name().to_string(), node);
        }
    }
    for (name, node) in &profiles.by_name {
        profiles::check_uses(*node, name, &profiles, diags);
    }

    let decoded = decode_all(others, &profiles, diags);
    drop(profiles);
    drop(profile_declarations);
    // What reads every decoded declaration runs before the build consumes them.
    let acknowledgements = acknowledge::collect(decoded.all(), diags);
    let mut overrides = Vec::new();
    let workloads = decoded.workloads.iter().map(|(w, _)| w);
    overrides::collect(decoded.sites.iter().chain(workloads).chain(&decoded.overrides), &mut overrides, diags);
    let mut r =
        Resolver { names, ids: Ids::default(), declared_sites: Vec::new(), declared_workloads: Vec::new(), diags };
    r.declare_all(&decoded);
    let mut topology = r.build(decoded, first_file, complete);
    topology.overrides = overrides;
    topology.overrides.sort_by_key(|o| o.target.span);
    topology.acknowledgements = acknowledgements;
    let mut names = r.names;
    // Recorded last, after the references the build resolved.
    for (span, name) in &uses {
        names.record(*span, name, |d| d.kind == DeclKind::Profile);
    }
    (topology, names)
}

/// Each `use` of a profile (in a workload or a profile): the span and the
/// name written, to record as references once the names are declared.
fn profile_uses(docs: &[Document]) -> Vec<(Span, Text)> {
    let top = docs.iter().flat_map(Document::nodes);
    let uses = top.flat_map(|n| n.children()).filter(|c| c.name() == "use");
    let args = uses.flat_map(|u| u.args());
    args.filter_map(|arg| match arg.value() {
        hybrid_syntax::Value::String(name) => Some((arg.value_span(), Text::from(name))),
        _ => None,
    })
    .collect()
}

/// Decodes every top-level node but profiles, workloads with their
/// profiles applied.
fn decode_all(declarations: Vec<Declaration>, profiles: &Profiles<'_>, diags: &mut Vec<Diagnostic>) -> Decoded {
    let mut decoded = Decoded::default();
    // Each declaration's syntax is dropped at the end of its turn.
    for declaration in declarations {
        let Some(node) = declaration.node() else { continue };
        let Some(schema) = schema::top_level(node.name()) else {
            diags.push(diags::unknown_top_level_node(&node, schema::TOP_LEVEL));
            continue;
        };
        match schema.declares {
            // Taken out, declared and checked before.
            Some(DeclKind::Profile) => {}
            Some(DeclKind::Service | DeclKind::Vm | DeclKind::Job) => {
                let (children, applied) = profiles::expand(node, profiles, diags);
                decoded.workloads.push((decode(&node, &children, schema, diags), applied));
            }
            declares => {
                let dn = decode_plain(&node, schema, diags);
                let list = match (declares, schema.key) {
                    (Some(DeclKind::Topology), _) => &mut decoded.topology,
                    (Some(DeclKind::Site), _) => &mut decoded.sites,
                    (Some(DeclKind::Replication), _) => &mut decoded.replications,
                    (Some(DeclKind::Backup), _) => &mut decoded.backups,
                    (Some(DeclKind::Mesh), _) => &mut decoded.meshes,
                    (Some(DeclKind::Migrate), _) => &mut decoded.migrations,
                    (Some(DeclKind::GpuModel), _) => &mut decoded.gpu_models,
                    (None, "link") => &mut decoded.links,
                    (None, "override") => &mut decoded.overrides,
                    // `import` was handled by the loader.
                    _ => continue,
                };
                list.push(dn);
            }
        }
    }
    decoded
}

/// The items of `list` at the indexes `picked` (ascending), by value; the
/// others are dropped.
fn picked<'a, T: 'a>(list: Vec<T>, picked: &'a [usize]) -> impl Iterator<Item = T> + 'a {
    let mut next = picked.iter().copied().peekable();
    list.into_iter().enumerate().filter_map(move |(i, item)| next.next_if_eq(&i).map(|_| item))
}

/// Records the names the standard library declares, so that a reference to
/// one that was not imported gets a help line saying which import adds it.
fn std_hints(sources: &SourceMap, names: &mut Names, profiles: &mut Profiles<'_>) {
    let loaded: Vec<&str> = sources.files().map(|(_, f)| f.name.as_str()).collect();
    for (module, kind, name) in stdlib::declared() {
        if loaded.contains(module) {
            continue;
        }
        match kind {
            DeclKind::Profile => profiles.std_names.push((name.clone(), module)),
            kind => names.std_only.push((*kind, name.clone(), module)),
        }
    }
}

impl Resolver<'_> {
    /// The topology, in declaration order: the `topology` node, GPU
    /// models, sites (with their networks, clusters and storage), links,
    /// meshes, replications, workloads, backups, migrations. Each decoded
    /// declaration is dropped once built; overrides and acknowledgements
    /// were read before.
    fn build(&mut self, d: Decoded, first_file: Option<FileId>, complete: bool) -> Topology {
        let Decoded {
            topology, sites, links, meshes, replications, backups, workloads, migrations, gpu_models, ..
        } = d;
        let mut t = Topology::default();
        self.build_header(topology, first_file, complete, &mut t);
        t.gpu_models = gpu_models
            .into_iter()
            .filter(|g| self.ids.gpus.contains_key(g.name()))
            .map(|g| clusters::gpu_model(&g))
            .collect();
        // Ids were handed out in this same order while declaring.
        let declared_sites = std::mem::take(&mut self.declared_sites);
        for site in picked(sites, &declared_sites) {
            self.build_site(&site, &mut t);
        }
        for l in links {
            if let Some(link) = self.build_link(&l) {
                t.links.push(link);
            }
        }
        for m in meshes {
            if let Some(mesh) = self.build_mesh(&m) {
                t.meshes.push(mesh);
            }
        }
        for r in replications {
            if let Some(rep) = self.build_replication(&r) {
                t.replications.push(rep);
            }
        }
        let declared_workloads = std::mem::take(&mut self.declared_workloads);
        t.workloads.reserve_exact(declared_workloads.len());
        for (w, applied) in picked(workloads, &declared_workloads) {
            let workload = self.build_workload(&w, &applied, &t);
            t.workloads.push(workload);
        }
        for b in backups {
            if let Some(backup) = self.build_backup(&b) {
                t.backups.push(backup);
            }
        }
        for m in migrations {
            if let Some(migration) = self.build_migration(&m) {
                t.migrations.push(migration);
            }
        }
        t
    }

    /// The `topology` node: exactly one.
    /// A missing one is reported at the start of `first_file`, the
    /// program's first file.
    fn build_header(&mut self, topology: Vec<DNode>, first_file: Option<FileId>, complete: bool, t: &mut Topology) {
        match topology.as_slice() {
            [] if !complete => {}
            [] => {
                let span = first_file.map(|file| Span::new(file, 0, 0)).unwrap_or_default();
                self.diags.push(diags::missing_topology(span));
            }
            [first, rest @ ..] => {
                for other in rest {
                    self.diags.push(diags::second_topology(other.name_span, first.name_span));
                }
                t.name = first.name().to_string();
                t.span = first.name_arg_span();
                t.owner = first.child("owner").and_then(|o| arg_string(o, 0));
                t.labels = first
                    .children_named("label")
                    .filter_map(|l| Some((arg_string(l, 0)?, arg_string(l, 1)?)))
                    .collect();
                t.encryption_requirements = first
                    .children_named("encrypt-at-rest")
                    .map(|e| EncryptionRequirement {
                        span: e.name_span,
                        zone: spanned(e, "zone", |v| v.str().map(str::to_string)),
                        site: e.prop("site").and_then(|v| {
                            let (_, name, _) = self.lookup(v, &[DeclKind::Site], Scope::Topology, "site")?;
                            self.ids.sites.get(&name).map(|id| Spanned::new(*id, v.span))
                        }),
                    })
                    .collect();
            }
        }
    }
}
