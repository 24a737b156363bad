//! Declaring names and handing out ids, in declaration order, then looking
//! references up: each `*_ref` reads a reference value and returns the id
//! it names, with the diagnostics of `names` (unknown, ambiguous, wrong
//! kind) re-coded where a rule of CHECKS.md owns the reference.

use super::{Decoded, Resolver};
use crate::decode::{DNode, DVal};
use crate::names::Scope;
use crate::schema::DeclKind;
use hybrid_diagnostics::{close_matches, codes, join_quoted, Code};
use hybrid_model::*;

pub(super) const CLUSTERS: &[DeclKind] = &[DeclKind::Kubernetes, DeclKind::OpenStack, DeclKind::VSphere];
pub(super) const WORKLOADS: &[DeclKind] = &[DeclKind::Service, DeclKind::Vm, DeclKind::Job];

impl Resolver<'_> {
    fn declare(&mut self, kind: DeclKind, n: &DNode, parent: Option<&str>) -> bool {
        self.names.declare(kind, n.name(), parent, n.name_arg_span(), self.diags)
    }

    /// Declares every name of the program; the ids of sites, networks,
    /// clusters, storage pools, workloads and GPU models follow the order
    /// of declaration.
    pub(super) fn declare_all(&mut self, d: &Decoded) {
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
            if self.declare(DeclKind::Site, site, None) {
                self.declared_sites.push(i);
                self.declare_site(site);
            }
        }
        for m in &d.meshes {
            self.declare(DeclKind::Mesh, m, None);
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
            let Some(kind) = w.schema.declares else { continue };
            if self.declare(kind, w, None) {
                self.declared_workloads.push(i);
                let id = WorkloadId::from_index(self.ids.workloads.len());
                self.ids.workloads.insert(w.name().to_string(), id);
            }
        }
    }

    /// What a site declares: its networks, clusters (with their pools,
    /// classes, flavors, volume types and vSANs) and Ceph pools.
    fn declare_site(&mut self, site: &DNode) {
        let sname = site.name().to_string();
        self.ids.sites.insert(sname.clone(), SiteId::from_index(self.ids.sites.len()));
        for net in site.children_named("network") {
            if self.declare(DeclKind::Network, net, Some(&sname)) {
                let id = NetworkId::from_index(self.ids.networks.len());
                self.ids.networks.insert((sname.clone(), net.name().to_string()), id);
            }
        }
        for c in &site.children {
            match c.schema.declares {
                Some(kind) if CLUSTERS.contains(&kind) => self.declare_cluster(kind, c),
                _ => {}
            }
        }
        for ceph in site.children_named("ceph") {
            if self.declare(DeclKind::Ceph, ceph, Some(&sname)) {
                let id = StorageId::from_index(self.ids.storage.len());
                self.ids.storage.insert((sname.clone(), ceph.name().to_string()), id);
            }
        }
    }

    fn declare_cluster(&mut self, kind: DeclKind, c: &DNode) {
        if !self.declare(kind, c, None) {
            return;
        }
        let cname = c.name().to_string();
        self.ids.clusters.insert(cname.clone(), ClusterId::from_index(self.ids.clusters.len()));
        for item in &c.children {
            let Some(kind) = item.schema.declares else { continue };
            if self.declare(kind, item, Some(&cname)) && kind == DeclKind::Vsan {
                let id = StorageId::from_index(self.ids.storage.len());
                self.ids.storage.insert((cname.clone(), item.name().to_string()), id);
            }
        }
    }

    /// Looks up a reference and returns the declaration's `(parent, name)`.
    pub(super) fn lookup(
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
    pub(super) fn recode(&mut self, from: usize, unknown: Option<&'static Code>, wrong_kind: Option<&'static Code>) {
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

    pub(super) fn cluster_ref(&mut self, v: &DVal) -> Option<Spanned<ClusterId>> {
        let (_, name, _) = self.lookup(v, CLUSTERS, Scope::Topology, "cluster")?;
        self.ids.clusters.get(&name).map(|id| Spanned::new(*id, v.span))
    }

    pub(super) fn workload_ref(&mut self, v: &DVal) -> Option<Spanned<WorkloadId>> {
        let (_, name, _) = self.lookup(v, WORKLOADS, Scope::Topology, "workload")?;
        self.ids.workloads.get(&name).map(|id| Spanned::new(*id, v.span))
    }

    pub(super) fn site_ref(&mut self, v: &DVal) -> Option<Spanned<SiteId>> {
        let mark = self.diags.len();
        let found = self.lookup(v, &[DeclKind::Site], Scope::Topology, "site");
        self.recode(mark, Some(&codes::LINK_UNKNOWN_SITE), Some(&codes::LINK_UNKNOWN_SITE));
        let (_, name, _) = found?;
        self.ids.sites.get(&name).map(|id| Spanned::new(*id, v.span))
    }

    pub(super) fn network_ref(&mut self, v: &DVal, site: &str) -> Option<Spanned<NetworkId>> {
        let (parent, name, _) = self.lookup(v, &[DeclKind::Network], Scope::Within(&[site]), "network")?;
        let key = (parent.unwrap_or_default(), name);
        self.ids.networks.get(&key).map(|id| Spanned::new(*id, v.span))
    }

    /// The site networks a cloud or vSphere cluster offers (`network REF`, repeatable).
    pub(super) fn network_refs(&mut self, c: &DNode, site: &str) -> Vec<NetworkId> {
        let refs: Vec<DVal> = c.children_named("network").filter_map(|n| n.arg(0).cloned()).collect();
        refs.iter().filter_map(|v| self.network_ref(v, site)).map(|id| id.value).collect()
    }

    pub(super) fn storage_ref(
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

    /// An unknown gpu model with nothing close: its help lists the models
    /// the program knows (or says none is declared).
    fn list_gpu_models(&mut self, mark: usize, written: &str) {
        let mut models: Vec<&str> =
            self.names.iter().filter(|d| d.kind == DeclKind::GpuModel).map(|d| d.name.as_str()).collect();
        models.sort_unstable();
        let std_models = self.names.std_only.iter().filter(|(k, _, _)| *k == DeclKind::GpuModel);
        let in_std = close_matches(written, std_models.map(|(_, n, _)| n.as_str()));
        let help = match models.as_slice() {
            [] if !in_std.is_empty() => {
                format!("`std/gpu` declares {}: add `import \"std/gpu\"`", join_quoted(&in_std))
            }
            [] => "declare it with `gpu-model`, or add `import \"std/gpu\"` for the common models".to_string(),
            known => format!("write one of the known gpu models: {}", join_quoted(known)),
        };
        for d in self.diags.iter_mut().skip(mark) {
            if d.code.id == codes::UNKNOWN_GPU_MODEL.id && d.help.is_none() {
                d.help = Some(help.clone().into());
            }
        }
    }

    pub(super) fn gpu_ref(&mut self, v: &DVal) -> Option<GpuModelId> {
        let mark = self.diags.len();
        let found = self.lookup(v, &[DeclKind::GpuModel], Scope::Topology, "gpu model");
        self.recode(mark, Some(&codes::UNKNOWN_GPU_MODEL), None);
        if found.is_none() {
            self.list_gpu_models(mark, v.str().unwrap_or_default());
        }
        let (_, name, _) = found?;
        self.ids.gpus.get(&name).copied()
    }
}
