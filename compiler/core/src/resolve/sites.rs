//! Sites with their networks, clusters and storage pools, and the links
//! between sites.

use super::read::{prop_flag, prop_string, prop_u32, prop_word, spanned, spanned_word};
use super::Resolver;
use crate::decode::{DNode, DVal};
use crate::schema::DeclKind;
use hybrid_model::*;

impl Resolver<'_> {
    pub(super) fn build_site(&mut self, site: &DNode, t: &mut Topology) {
        let sname = site.name().to_string();
        let site_id = SiteId::from_index(t.sites.len());
        let mut out = Site {
            name: sname.clone(),
            span: site.name_arg_span(),
            region: prop_string(site, "region").unwrap_or_default(),
            kind: prop_word(site, "kind"),
            provider: prop_string(site, "provider"),
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
                cidr: spanned(net, "cidr", DVal::cidr).unwrap_or_else(|| Spanned::new(IpNet::default(), net.name_span)),
                vlan: spanned(net, "vlan", DVal::int),
                zone: prop_string(net, "zone"),
            });
            out.networks.push(id);
        }
        // Ceph pools get their ids after the site's vSANs were declared, so
        // storage is inserted in id order.
        let mut storage: Vec<(StorageId, Storage)> = Vec::new();
        for ceph in site.children_named("ceph") {
            let Some(id) = self.ids.storage.get(&(sname.clone(), ceph.name().to_string())).copied() else { continue };
            if let Some(pool) = ceph_pool(ceph, site_id) {
                storage.push((id, pool));
            }
        }
        for c in &site.children {
            let Some(cid) = self.ids.clusters.get(c.name()).copied() else { continue };
            if cid.index() != t.clusters.len() {
                continue;
            }
            let kind = match c.schema.declares {
                Some(DeclKind::Kubernetes) => ClusterKind::Kubernetes(self.build_kubernetes(c, &sname)),
                Some(DeclKind::OpenStack) => ClusterKind::OpenStack(self.build_openstack(c, &sname)),
                Some(DeclKind::VSphere) => {
                    let mut vs = self.build_vsphere(c, &sname);
                    for (id, vsan) in self.vsans(c, cid, site_id) {
                        vs.vsans.push(id);
                        storage.push((id, vsan));
                    }
                    ClusterKind::VSphere(vs)
                }
                _ => continue,
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

    /// The vSAN pools of a vSphere cluster, with their ids.
    fn vsans(&self, c: &DNode, cluster: ClusterId, site: SiteId) -> Vec<(StorageId, Storage)> {
        let cname = c.name().to_string();
        c.children_named("vsan")
            .filter_map(|v| {
                let id = self.ids.storage.get(&(cname.clone(), v.name().to_string())).copied()?;
                let asked = |prop: &str| v.prop(prop).filter(|d| d.bool() == Some(true)).map(|d| d.span);
                let kind = StorageKind::Vsan(Vsan {
                    cluster,
                    dedup: prop_flag(v, "dedup"),
                    compression: prop_flag(v, "compression"),
                    efficiency_span: asked("dedup").or_else(|| asked("compression")),
                    all_flash: prop_flag(v, "all-flash"),
                    datastore: prop_string(v, "datastore").unwrap_or_default(),
                    encrypted: prop_flag(v, "encrypted"),
                    encrypted_in_transit: prop_flag(v, "encrypted-in-transit"),
                });
                Some((id, Storage { name: v.name().to_string(), span: v.name_arg_span(), site, kind }))
            })
            .collect()
    }

    pub(super) fn build_link(&mut self, l: &DNode) -> Option<Link> {
        let a = self.site_ref(l.arg(0)?);
        let b = self.site_ref(l.arg(1)?);
        Some(Link {
            span: l.name_span,
            a: a?,
            b: b?,
            latency: spanned(l, "latency", DVal::duration)?,
            bandwidth: spanned(l, "bandwidth", DVal::bandwidth)?,
            kind: spanned_word(l, "kind"),
            encrypted: prop_flag(l, "encrypted"),
        })
    }
}

/// A Ceph pool of a site.
fn ceph_pool(ceph: &DNode, site: SiteId) -> Option<Storage> {
    Some(Storage {
        name: ceph.name().to_string(),
        span: ceph.name_arg_span(),
        site,
        kind: StorageKind::Ceph(Ceph {
            nodes: prop_u32(ceph, "nodes").unwrap_or_default(),
            media: prop_word(ceph, "media")?,
            replicas: prop_u32(ceph, "replicas")?,
            failure_domain: prop_word(ceph, "failure-domain"),
            capacity: ceph.prop("capacity").and_then(DVal::size),
            encrypted: prop_flag(ceph, "encrypted"),
        }),
    })
}
