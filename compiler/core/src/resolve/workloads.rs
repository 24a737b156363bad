//! Workloads: services, vms and jobs, with their placement, storage and
//! the parts they share (image, ports, resources).

use super::read::{
    arg_string, arg_u32, arg_word, child_arg_u32, child_prop_word, flag_node, prop_flag, prop_string, prop_u32,
    prop_word, reported, spanned, spanned_word,
};
use super::Resolver;
use crate::decode::{DNode, DVal, V};
use crate::diags;
use crate::schema::DeclKind;
use crate::secrets::looks_secret;
use hybrid_diagnostics::{close_matches, codes, Span};
use hybrid_model::*;

impl Resolver<'_> {
    pub(super) fn build_workload(&mut self, w: &DNode, applied: &[String], t: &Topology) -> Workload {
        let kind = match w.schema.declares {
            Some(DeclKind::Service) => WorkloadKind::Service(Box::new(self.build_service(w, t))),
            Some(DeclKind::Vm) => WorkloadKind::Vm(Box::new(self.build_vm(w, t))),
            _ => WorkloadKind::Job(Box::new(self.build_job(w, t))),
        };
        Workload {
            name: w.name().to_string(),
            span: w.name_arg_span(),
            critical: flag_node(w.child("critical")),
            profiles: applied.to_vec(),
            kind,
        }
    }

    /// Where an unresolved placement points: never read, since the
    /// unresolved reference was reported.
    fn placeholder_cluster(&self, span: Span) -> Spanned<ClusterId> {
        Spanned::new(ClusterId(0), span)
    }

    fn build_service(&mut self, w: &DNode, t: &Topology) -> Service {
        let pl = w.child("placement");
        let mut placement = Vec::new();
        let mut pools = Vec::new();
        for a in pl.map(|p| p.args.as_slice()).unwrap_or_default() {
            if let Some((cluster, pool)) = self.pool_placement(a, t) {
                if let Some(pool) = pool {
                    pools.push(PinnedPool { cluster: cluster.value, pool });
                }
                placement.push(cluster);
            }
        }
        let allow_from = self.allow_from(w);
        let volumes = self.volumes(w);
        for e in w.children_named("env") {
            if let (Some(name), Some(value)) = (arg_string(e, 0), e.arg(1)) {
                if looks_secret(&name) {
                    self.diags.push(diags::literal_secret(&name, value.span));
                }
            }
        }
        let traffic = w.child("traffic").map(|tr| Box::new(self.build_traffic(w, tr)));
        Service {
            placement,
            pools,
            placement_span: pl.map(|p| p.name_span).unwrap_or(w.name_span),
            mode: reported(child_prop_word(w, "placement", "mode")),
            namespace: w.child("namespace").and_then(|n| arg_string(n, 0)).unwrap_or_else(|| t.name.clone()),
            image: image(w),
            replicas: child_arg_u32(w, "replicas").unwrap_or_else(|| Spanned::new(0, w.name_span)),
            replicas_written: w.child("replicas").is_some(),
            ports: w.children_named("port").filter_map(port).collect(),
            resources: w.child("resources").map(resources),
            autoscale: w.child("autoscale").map(|a| Autoscale {
                span: a.name_span,
                min: spanned(a, "min", DVal::u32),
                max: spanned(a, "max", DVal::u32),
                cpu: a.prop("cpu").and_then(DVal::percent),
                memory: a.prop("memory").and_then(DVal::percent),
                scale_down_window: spanned(a, "scale-down-window", DVal::duration),
                scale_down_rate: a.prop("scale-down-rate").and_then(DVal::percent),
            }),
            disruption: w.child("disruption").and_then(|d| match spanned(d, "max-unavailable", DVal::u32) {
                Some(v) => Some(Disruption::MaxUnavailable(v)),
                None => spanned(d, "min-available", DVal::u32).map(Disruption::MinAvailable),
            }),
            spread: w.child("spread").and_then(|sp| {
                Some(Spread { span: sp.name_span, over: arg_word(sp, 0)?, required: prop_flag(sp, "required") })
            }),
            probe: w.child("probe").map(|p| Probe {
                liveness: spanned(p, "liveness", |v| v.str().map(str::to_string)),
                readiness: spanned(p, "readiness", |v| v.str().map(str::to_string)),
                startup: spanned(p, "startup", |v| v.str().map(str::to_string)),
                port: prop_u32(p, "port").and_then(|v| u16::try_from(v).ok()),
                initial_delay: p.prop("initial-delay").and_then(DVal::duration),
                period: p.prop("period").and_then(DVal::duration),
                timeout: p.prop("timeout").and_then(DVal::duration),
                failure_threshold: prop_u32(p, "failure-threshold"),
            }),
            env: w
                .children_named("env")
                .filter_map(|e| Some(Env { name: arg_string(e, 0)?, value: arg_string(e, 1)? }))
                .collect(),
            secret_env: w
                .children_named("secret-env")
                .filter_map(|e| {
                    Some(SecretEnv {
                        name: arg_string(e, 0)?,
                        secret: prop_string(e, "secret")?,
                        key: prop_string(e, "key")?,
                    })
                })
                .collect(),
            volumes,
            expose: w.child("expose").map(|e| Expose {
                span: e.name_span,
                host: prop_string(e, "host").unwrap_or_default(),
                tls: spanned(e, "tls", DVal::bool).unwrap_or_else(|| Spanned::new(false, e.name_span)),
            }),
            allow_from,
            traffic,
        }
    }

    /// The workloads named by `allow-from` (unknown ones are HY6004).
    fn allow_from(&mut self, w: &DNode) -> Vec<Spanned<WorkloadId>> {
        let mut out = Vec::new();
        for af in w.children_named("allow-from") {
            for a in &af.args {
                let mark = self.diags.len();
                let found = self.workload_ref(a);
                self.recode(mark, Some(&codes::ALLOW_FROM_UNKNOWN), None);
                out.extend(found);
            }
        }
        out
    }

    fn volumes(&mut self, w: &DNode) -> Vec<Volume> {
        let mut out = Vec::new();
        for v in w.children_named("volume") {
            let storage_class = v.prop("storage-class").and_then(|sc| self.storage_class_name(sc));
            out.push(Volume {
                name: v.name().to_string(),
                span: v.name_arg_span(),
                size: v.prop("size").and_then(DVal::size).unwrap_or_default(),
                storage_class,
                mount: prop_string(v, "mount").unwrap_or_default(),
            });
        }
        out
    }

    /// A storage class named by a volume: it must exist in some cluster;
    /// whether it exists in each placement cluster is a placement check.
    fn storage_class_name(&mut self, v: &DVal) -> Option<Spanned<String>> {
        let written = v.str()?;
        // `cluster.class` names the class explicitly; the placement rule
        // (HY7004) checks it exists in every placement cluster.
        let text = match written.split_once('.') {
            Some((cluster, class)) => {
                let here =
                    |d: &crate::names::Decl| d.kind == DeclKind::StorageClass && d.parent.as_deref() == Some(cluster);
                if self.names.named(class).any(here) {
                    self.names.record(v.span, class, here);
                    return Some(Spanned::new(class.to_string(), v.span));
                }
                written
            }
            None => written,
        };
        if self.names.named(text).any(|d| d.kind == DeclKind::StorageClass) {
            // The class of that name in each cluster the workload is placed in.
            self.names.record(v.span, text, |d| d.kind == DeclKind::StorageClass);
            return Some(Spanned::new(text.to_string(), v.span));
        }
        let classes: Vec<String> =
            self.names.iter().filter(|d| d.kind == DeclKind::StorageClass).map(|d| d.name.clone()).collect();
        if let Some(other) = self.names.named(text).next() {
            self.diags.push(diags::wrong_reference_kind(text, v.span, other.kind.word(), "storage class", other.span));
            return None;
        }
        let close = close_matches(text, classes.iter().map(String::as_str));
        self.diags.push(diags::unknown_reference(text, v.span, "storage class", &close, None));
        None
    }

    fn build_vm(&mut self, w: &DNode, t: &Topology) -> Vm {
        let placement = w
            .child("placement")
            .and_then(|p| p.arg(0))
            .and_then(|a| self.vm_placement(a))
            .unwrap_or_else(|| self.placeholder_cluster(w.name_span));
        let cluster = t.clusters.get(placement.value.index());
        let site = cluster.map(|c| t.site(c.site).name.clone()).unwrap_or_default();
        let cname = cluster.map(|c| c.name.clone()).unwrap_or_default();
        let network = w.child("network").and_then(|n| n.arg(0)).and_then(|a| self.network_ref(a, &site));
        let nics = w
            .children_named("nic")
            .filter_map(|n| {
                let network = self.network_ref(n.arg(0)?, &site)?;
                let sriov = n.prop("sriov").filter(|v| v.bool() == Some(true)).map(|v| v.span);
                Some(Nic { span: n.name_span, network, sriov })
            })
            .collect();
        let mut disks = Vec::new();
        for d in w.children_named("disk") {
            let storage_ref = spanned(d, "storage", |v| v.str().map(str::to_string));
            let storage = d.prop("storage").and_then(|v| self.disk_storage(v, &cname));
            disks.push(Disk {
                name: d.name().to_string(),
                span: d.name_arg_span(),
                size: d.prop("size").and_then(DVal::size).unwrap_or_default(),
                storage_ref,
                storage,
                boot: prop_flag(d, "boot"),
            });
        }
        let gpu = w.child("gpu").and_then(|g| {
            let model = self.gpu_ref(g.arg(0)?)?;
            Some(VmGpu {
                span: g.name_span,
                model,
                count: prop_u32(g, "count")?,
                passthrough: prop_flag(g, "passthrough"),
            })
        });
        Vm {
            placement,
            address: w.prop("address").and_then(|a| Some(Spanned::new(a.address()?.clone(), a.span))),
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
            nics,
            ports: w.children_named("port").filter_map(port).collect(),
            mesh: w.child("mesh").and_then(|m| match arg_word(m, 0)? {
                MeshKind::Istio => Some(m.name_span),
            }),
            ha: w.child("ha").and_then(|h| spanned_word(h, "restart-priority")),
            fault_tolerance: w.child("fault-tolerance").map(|f| Spanned::new(flag_node(Some(f)), f.name_span)),
            reserve: w.child("reserve").map(|r| Reserve {
                span: r.name_span,
                cpu: r.prop("cpu").and_then(DVal::percent),
                cpu_span: r.prop("cpu").map(|v| v.span),
                memory: r.prop("memory").and_then(DVal::percent),
            }),
            numa_pinned: w.child("numa").is_some_and(|n| prop_flag(n, "pinned")),
            numa_hugepages: w.child("numa").and_then(|n| spanned_word(n, "hugepages")),
            gpu,
            anti_affinity: w.child("anti-affinity").and_then(|a| arg_string(a, 0)),
            allow_from: self.allow_from(w),
        }
    }

    /// A disk's storage in the vm's cluster. A name found only in another
    /// cluster stays unresolved (a placement check reports it); a name found
    /// nowhere is an unknown reference.
    fn disk_storage(&mut self, v: &DVal, cname: &str) -> Option<DiskStorage> {
        let text = v.str()?;
        let kinds = [DeclKind::StorageClass, DeclKind::VolumeType, DeclKind::Vsan];
        let (parent, name) = match text.rsplit_once('.') {
            Some((p, n)) => (p.to_string(), n.to_string()),
            None => (cname.to_string(), text.to_string()),
        };
        let here = |d: &crate::names::Decl| kinds.contains(&d.kind) && d.parent.as_deref() == Some(&parent);
        let found = self.names.named(&name).find(|d| here(d)).map(|d| d.kind);
        self.names.record(v.span, &name, here);
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
                let mut candidates: Vec<String> =
                    self.names.iter().filter(|d| kinds.contains(&d.kind)).map(|d| d.name.clone()).collect();
                candidates.dedup();
                let close = close_matches(&name, candidates.iter().map(String::as_str));
                let expected = "storage class, volume type or vsan";
                self.diags.push(diags::unknown_reference(text, v.span, expected, &close, None));
                None
            }
        }
    }

    fn build_job(&mut self, w: &DNode, t: &Topology) -> Job {
        let placement = w.child("placement").and_then(|p| p.arg(0)).and_then(|a| self.pool_placement(a, t));
        let (placement, pool) = match placement {
            Some((cluster, pool)) => (cluster, pool.map(|p| p.value)),
            None => (self.placeholder_cluster(w.name_span), None),
        };
        Job {
            placement,
            pool,
            image: image(w),
            workers: child_arg_u32(w, "workers").unwrap_or_else(|| Spanned::new(0, w.name_span)),
            resources: w.child("resources").map(resources),
            gang: w.child("gang").map(|g| Spanned::new(flag_node(Some(g)), g.name_span)),
            queue: w.child("queue").and_then(|q| arg_string(q, 0)),
            command: w
                .child("command")
                .map(|c| c.args.iter().filter_map(|a| a.str().map(str::to_string)).collect())
                .unwrap_or_default(),
            shm: w.child("shm").and_then(|s| s.arg(0)).and_then(|a| Some(Spanned::new(a.size()?, a.span))),
            framework: w
                .child("framework")
                .and_then(|f| f.arg(0))
                .and_then(|a| Some(Spanned::new(a.str().and_then(Framework::parse)?, a.span))),
            volumes: self.volumes(w),
        }
    }

    /// A vm's placement: one cluster. `cluster.pool` is refused with the
    /// fix written out, since a vm is never pinned to a pool.
    fn vm_placement(&mut self, a: &DVal) -> Option<Spanned<ClusterId>> {
        if let Some((cluster, pool)) = a.str().and_then(|t| t.split_once('.')) {
            let of_cluster = |d: &crate::names::Decl| d.kind == DeclKind::Pool && d.parent.as_deref() == Some(cluster);
            if self.names.named(pool).any(of_cluster) {
                let help = format!(
                    "write `placement {cluster}`: a vm runs on the nodes of its cluster and is not pinned to a pool \
                     (only a service or a job is, with `placement {cluster}.{pool}`)"
                );
                self.diags.push(diags::pool_not_cluster(
                    &format!("{cluster}.{pool}"),
                    cluster,
                    a.span,
                    "cluster",
                    Some(help),
                ));
                return None;
            }
        }
        self.cluster_ref(a)
    }

    /// One placement of a service or job: a cluster, or `cluster.pool`
    /// (then the pool, with the span of the whole path).
    #[allow(clippy::type_complexity)]
    fn pool_placement(&mut self, a: &DVal, t: &Topology) -> Option<(Spanned<ClusterId>, Option<Spanned<String>>)> {
        let text = a.str()?;
        let Some((cluster, pool_name)) = text.split_once('.') else { return Some((self.cluster_ref(a)?, None)) };
        // `cluster.pool`: the cluster first (unknown → HY0012 on it).
        let cv = DVal { v: V::Ref(cluster.into()), span: a.span };
        let cid = self.cluster_ref(&cv)?;
        let Some(k) = t.clusters.get(cid.value.index()).and_then(Cluster::kubernetes) else {
            // Not kubernetes: the placement rule (HY7001) says so.
            return Some((cid, None));
        };
        if k.pool(pool_name).is_none() {
            let pools: Vec<&str> = k.pools.iter().map(|p| p.name.as_str()).collect();
            self.diags.push(diags::job_pool_not_found(cluster, pool_name, a.span, &pools));
            return None;
        }
        Some((cid, Some(Spanned::new(pool_name.to_string(), a.span))))
    }
}

fn image(w: &DNode) -> Spanned<String> {
    w.child("image")
        .and_then(|i| Some(Spanned::new(i.arg(0)?.str()?.to_string(), i.arg(0)?.span)))
        .unwrap_or(Spanned::new(String::new(), w.name_span))
}

fn port(p: &DNode) -> Option<Port> {
    Some(Port {
        span: p.arg(0).map(|a| a.span).unwrap_or(p.name_span),
        number: arg_u32(p, 0).and_then(|v| u16::try_from(v).ok()).unwrap_or(0),
        protocol: prop_word(p, "protocol")?,
        name: prop_string(p, "name"),
        service_port: spanned(p, "service-port", |v| v.u32().and_then(|n| u16::try_from(n).ok())),
        public: p.prop("public").filter(|v| v.bool() == Some(true)).map(|v| v.span),
    })
}

fn resources(r: &DNode) -> Resources {
    Resources {
        span: r.name_span,
        cpu: r.prop("cpu").and_then(DVal::cpu),
        memory: r.prop("memory").and_then(DVal::size),
        cpu_limit: spanned(r, "cpu-limit", DVal::cpu),
        memory_limit: spanned(r, "memory-limit", DVal::size),
        gpu: spanned(r, "gpu", DVal::u32),
        gpu_profile: spanned(r, "gpu-profile", |v| v.str().map(str::to_string)),
    }
}
