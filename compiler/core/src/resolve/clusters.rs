//! Clusters: Kubernetes (with its pools and storage classes), OpenStack
//! and vSphere; and the GPU models the pools name.

use super::read::{
    arg_string, arg_word, child_arg_u32, child_prop_u32, flag_node, prop_flag, prop_string, prop_u32, prop_word,
    spanned, spanned_word,
};
use super::Resolver;
use crate::decode::{DNode, DVal};
use crate::names::Scope;
use crate::schema::DeclKind;
use hybrid_model::*;

impl Resolver<'_> {
    pub(super) fn build_kubernetes(&mut self, c: &DNode, site: &str) -> Kubernetes {
        let mut k = Kubernetes {
            version: prop_string(c, "version").unwrap_or_default(),
            control_plane_replicas: child_prop_u32(c, "control-plane", "replicas")
                .unwrap_or_else(|| Spanned::new(0, c.name_span)),
            pod_cidr: cidr(c, "pod-cidr"),
            service_cidr: cidr(c, "service-cidr"),
            network: None,
            cni: c.child("cni").and_then(|n| Some(Cni { plugin: arg_word(n, 0)?, mode: prop_word(n, "mode") })),
            mesh: c.child("mesh").and_then(mesh),
            kubevirt: flag_node(c.child("kubevirt")),
            volcano: c.child("scheduler").and_then(|n| arg_word(n, 0)).is_some_and(|s| match s {
                SchedulerKind::Volcano => true,
            }),
            gitops: c.child("gitops").and_then(gitops),
            pools: Vec::new(),
            storage_classes: Vec::new(),
        };
        if let Some(v) = c.child("network").and_then(|n| n.arg(0)) {
            k.network = self.network_ref(v, site).map(|n| n.value);
        }
        for p in c.children_named("pool") {
            let pool = self.pool(p);
            k.pools.push(pool);
        }
        for sc in c.children_named("storage-class") {
            let pool = sc
                .prop("pool")
                .and_then(|v| self.storage_ref(v, &[DeclKind::Ceph], Scope::WithinThenTopology(site), "ceph pool"));
            let Some(backend) = prop_word(sc, "backend") else { continue };
            k.storage_classes.push(StorageClass {
                name: sc.name().to_string(),
                span: sc.name_arg_span(),
                backend,
                pool: pool.map(|p| p.value),
                default: prop_flag(sc, "default"),
                encrypted: sc.prop("encrypted").filter(|d| d.bool() == Some(true)).map(|d| d.span),
                kms: spanned(sc, "kms", |v| v.str().map(str::to_string)),
            });
        }
        k
    }

    /// A node pool, with its GPUs, taints and labels.
    fn pool(&mut self, p: &DNode) -> Pool {
        let gpu = p.child("gpu").and_then(|g| {
            let model = self.gpu_ref(g.arg(0)?)?;
            Some(PoolGpu {
                span: g.name_span,
                model,
                count: prop_u32(g, "count")?,
                sharing: spanned_word(g, "sharing")?,
                profile: spanned(g, "profile", |v| v.str().map(str::to_string)),
                replicas: prop_u32(g, "replicas"),
            })
        });
        Pool {
            name: p.name().to_string(),
            span: p.name_arg_span(),
            nodes: spanned(p, "nodes", DVal::u32).unwrap_or_else(|| Spanned::new(0, p.name_span)),
            cpu: p.prop("cpu").and_then(DVal::cpu).unwrap_or_default(),
            memory: p.prop("memory").and_then(DVal::size).unwrap_or_default(),
            gpu,
            taints: p
                .children_named("taint")
                .filter_map(|t| {
                    Some(Taint {
                        key: arg_string(t, 0).unwrap_or_default(),
                        value: prop_string(t, "value"),
                        effect: prop_word(t, "effect")?,
                    })
                })
                .collect(),
            labels: p.children_named("label").filter_map(|l| Some((arg_string(l, 0)?, arg_string(l, 1)?))).collect(),
            rdma: flag_node(p.child("rdma")),
        }
    }

    pub(super) fn build_openstack(&mut self, c: &DNode, site: &str) -> OpenStack {
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
                encrypted: prop_flag(vt, "encrypted"),
            });
        }
        OpenStack {
            release: prop_string(c, "release").unwrap_or_default(),
            controllers: child_arg_u32(c, "controllers").map(|n| n.value).unwrap_or_default(),
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

    pub(super) fn build_vsphere(&mut self, c: &DNode, site: &str) -> VSphere {
        let networks = self.network_refs(c, site);
        let vmotion = c.child("vmotion").and_then(|n| n.arg(0)).and_then(|v| self.network_ref(v, site));
        VSphere {
            version: prop_string(c, "version").unwrap_or_default(),
            datacenter: prop_string(c, "datacenter").unwrap_or_default(),
            hosts: c.child("hosts").map(|n| capacity(n, "count")),
            host_clock: c.child("hosts").and_then(|n| spanned(n, "clock", DVal::frequency)),
            vmotion,
            ha: c.child("ha").map(|h| VsphereHa {
                span: h.name_span,
                restart_priority: prop_word(h, "restart-priority"),
                isolation_response: prop_word(h, "isolation-response"),
                admission_reserve: spanned(h, "admission-reserve", DVal::percent),
            }),
            drs: c.child("drs").and_then(|d| prop_word(d, "automation")),
            networks,
            vsans: Vec::new(),
            nsx: c
                .child("nsx")
                .map(|n| Nsx { span: n.name_span, manager: prop_string(n, "manager").unwrap_or_default() }),
        }
    }
}

/// A CIDR property (defaulted by the schema), or a placeholder at the
/// node's name when it is invalid (reported).
fn cidr(n: &DNode, prop: &str) -> Spanned<IpNet> {
    spanned(n, prop, DVal::cidr).unwrap_or_else(|| Spanned::new(IpNet::default(), n.name_span))
}

/// `mesh istio mtls=…`.
fn mesh(n: &DNode) -> Option<Mesh> {
    match arg_word(n, 0)? {
        MeshKind::Istio => Some(Mesh { span: n.name_span, mtls: spanned_word(n, "mtls")? }),
    }
}

/// `gitops argocd repo=… out=… path=… revision=…`.
fn gitops(g: &DNode) -> Option<GitOps> {
    match arg_word(g, 0)? {
        GitOpsTool::ArgoCd => Some(GitOps {
            repo: prop_string(g, "repo").unwrap_or_default(),
            path: spanned(g, "path", |v| v.str().map(str::to_string)),
            out: spanned(g, "out", |v| v.str().map(str::to_string))?,
            revision: prop_string(g, "revision")?,
        }),
    }
}

/// `compute` of an OpenStack cloud, `hosts` of a vSphere cluster: how
/// many machines (the property `count`) and the size of each.
fn capacity(n: &DNode, count: &str) -> Capacity {
    Capacity {
        span: n.name_span,
        count: prop_u32(n, count).unwrap_or_default(),
        cpu: n.prop("cpu").and_then(DVal::cpu).unwrap_or_default(),
        memory: n.prop("memory").and_then(DVal::size).unwrap_or_default(),
    }
}

/// A GPU model of `std/gpu` or of the program.
pub(super) fn gpu_model(g: &DNode) -> GpuModel {
    GpuModel {
        name: g.name().to_string(),
        span: g.name_arg_span(),
        memory: g.prop("memory").and_then(DVal::size).unwrap_or_default(),
        mig: prop_flag(g, "mig"),
        vendor: prop_string(g, "vendor"),
        mig_profiles: g
            .children_named("mig-profile")
            .filter_map(|p| {
                Some(MigProfile {
                    name: p.name().to_string(),
                    instances: prop_u32(p, "instances")?,
                    memory: p.prop("memory").and_then(DVal::size),
                })
            })
            .collect(),
    }
}
