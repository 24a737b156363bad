//! What a cluster's files assume of the platform, collected from every
//! target while it emits ([`OutputTree::require`]) and written once per
//! cluster folder: `SITE/CLUSTER/prerequisites.yaml`, for tools (the
//! conformance referee reads its `secrets` and `nodeLabels`), and
//! `SITE/CLUSTER/PREREQUISITES.md` rendered from the same data, for the
//! operator who installs the cluster.
//!
//! A requirement says what must exist — an operator at a minimum version
//! with its CRDs, a namespace the output does not create, a Secret with its
//! keys (and, when the operator cannot make it from values of their own,
//! where it comes from), labels on a pool's nodes, a DNS record, a resource
//! of the cloud (an external network, a key pair, a flavor, an image), the
//! Istio agent on a vm outside Kubernetes that joins the mesh — and, in
//! `for`, which generated objects need it; and what the program declares
//! about the platform itself, which the checks assumed (`crate::platform`). What no generated object can do
//! (a system the output does not manage) is a procedure: numbered steps for
//! the operator. Everything is kept sorted and deduplicated, so the files
//! never depend on the order targets emit in.

use crate::yaml;
use crate::yaml::{list, Emit};
use crate::OutputTree;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// The file tools read, in each cluster folder.
pub const FILE: &str = "prerequisites.yaml";
/// The same, for people.
pub const README: &str = "PREREQUISITES.md";

/// An operator (or platform component) the output's objects are written
/// for: its CRDs, and the oldest release that serves every API version and
/// field the output uses.
#[derive(Debug, PartialEq, Eq)]
pub struct Operator {
    pub name: &'static str,
    pub min_version: &'static str,
    /// Where it is installed, when the output depends on it (Rook's
    /// namespace is part of the CSI driver's name).
    pub namespace: Option<&'static str>,
    pub crds: &'static [&'static str],
    /// Where to read how to install it.
    pub docs: &'static str,
}

/// Istio: `networking.istio.io/v1` and `security.istio.io/v1` are served
/// from 1.22.
pub static ISTIO: Operator = Operator {
    name: "Istio",
    min_version: "1.22",
    namespace: Some("istio-system"),
    crds: &[
        "virtualservices.networking.istio.io",
        "destinationrules.networking.istio.io",
        "gateways.networking.istio.io",
        "serviceentries.networking.istio.io",
        "workloadentries.networking.istio.io",
        "envoyfilters.networking.istio.io",
        "peerauthentications.security.istio.io",
        "authorizationpolicies.security.istio.io",
    ],
    docs: "https://istio.io/latest/docs/setup/install/",
};

/// Flagger for Istio: `flagger.app/v1beta1` Canaries with `service.appProtocol`
/// and Istio traffic policies, installed beside Istio (its Helm chart's
/// `meshProvider=istio`), given the Prometheus it reads its built-in
/// metrics from (`metricsServer`). 1.42 is the release whose Canary schema
/// the output is checked against.
pub static FLAGGER: Operator = Operator {
    name: "Flagger",
    min_version: "1.42",
    namespace: Some("istio-system"),
    crds: &["canaries.flagger.app"],
    docs: "https://docs.flagger.app/tutorials/istio-progressive-delivery",
};

/// The Prometheus that scrapes Istio's standard metrics from every sidecar
/// (`istio_requests_total`, `istio_request_duration_milliseconds`), which
/// Flagger's built-in `request-success-rate` and `request-duration` query.
pub static PROMETHEUS: Operator = Operator {
    name: "Prometheus (scraping Istio's metrics)",
    min_version: "2.0",
    namespace: Some("istio-system"),
    crds: &[],
    docs: "https://istio.io/latest/docs/ops/integrations/prometheus/",
};

/// external-dns with its `istio-gateway` source, which reads the hosts of
/// Istio Gateways and the set identifier and TTL of their annotations
/// (0.14 and later); it has no CRDs of its own there.
pub static EXTERNAL_DNS: Operator = Operator {
    name: "external-dns",
    min_version: "0.14",
    namespace: None,
    crds: &[],
    docs: "https://kubernetes-sigs.github.io/external-dns/latest/docs/sources/istio/",
};

/// Rook with Ceph: the RBD CSI driver registered as
/// `rook-ceph.rbd.csi.ceph.com` by an operator in `rook-ceph`, and
/// `CephBlockPool` mirroring with peers (1.14 and later).
pub static ROOK: Operator = Operator {
    name: "Rook (Ceph)",
    min_version: "1.14",
    namespace: Some("rook-ceph"),
    crds: &["cephclusters.ceph.rook.io", "cephblockpools.ceph.rook.io", "cephrbdmirrors.ceph.rook.io"],
    docs: "https://rook.io/docs/rook/latest/Getting-Started/quickstart/",
};

/// Longhorn: its CSI driver `driver.longhorn.io`.
pub static LONGHORN: Operator = Operator {
    name: "Longhorn",
    min_version: "1.6",
    namespace: Some("longhorn-system"),
    crds: &["volumes.longhorn.io"],
    docs: "https://longhorn.io/docs/latest/deploy/install/",
};

/// The vSphere CSI driver `csi.vsphere.vmware.com`, for vSAN-backed
/// storage classes.
pub static VSPHERE_CSI: Operator = Operator {
    name: "vSphere CSI driver",
    min_version: "3.1",
    namespace: Some("vmware-system-csi"),
    crds: &[],
    docs: "https://docs.vmware.com/en/VMware-vSphere-Container-Storage-Plug-in/index.html",
};

/// Velero: `Schedule` with `template.ttl` and `includedNamespaces`.
pub static VELERO: Operator = Operator {
    name: "Velero",
    min_version: "1.13",
    namespace: Some("velero"),
    crds: &["schedules.velero.io", "backupstoragelocations.velero.io"],
    docs: "https://velero.io/docs/main/basic-install/",
};

/// Argo CD: `Application` with `syncPolicy.automated` and
/// `ignoreDifferences`.
pub static ARGO_CD: Operator = Operator {
    name: "Argo CD",
    min_version: "2.10",
    namespace: Some("argocd"),
    crds: &["applications.argoproj.io"],
    docs: "https://argo-cd.readthedocs.io/en/stable/getting_started/",
};

/// KubeVirt: `kubevirt.io/v1` VirtualMachines with `runStrategy`.
pub static KUBEVIRT: Operator = Operator {
    name: "KubeVirt",
    min_version: "1.2",
    namespace: Some("kubevirt"),
    crds: &["virtualmachines.kubevirt.io"],
    docs: "https://kubevirt.io/user-guide/cluster_admin/installation/",
};

/// The Containerized Data Importer, for a vm's `dataVolumeTemplates`.
pub static CDI: Operator = Operator {
    name: "CDI (Containerized Data Importer)",
    min_version: "1.58",
    namespace: Some("cdi"),
    crds: &["datavolumes.cdi.kubevirt.io"],
    docs: "https://kubevirt.io/user-guide/storage/containerized_data_importer/",
};

/// The NVIDIA GPU Operator: `ClusterPolicy` with the MIG manager and the
/// device plugin's per-node configs.
pub static GPU_OPERATOR: Operator = Operator {
    name: "NVIDIA GPU Operator",
    min_version: "24.3",
    namespace: Some("gpu-operator"),
    crds: &["clusterpolicies.nvidia.com"],
    docs: "https://docs.nvidia.com/datacenter/cloud-native/gpu-operator/latest/getting-started.html",
};

/// The NVIDIA Network Operator, for pools with RDMA: a `NicClusterPolicy`
/// with the DOCA (MOFED) driver, which the GPU Operator's GPUDirect RDMA
/// loads `nvidia-peermem` against, and the RDMA shared device plugin
/// advertising `rdma/rdma_shared_device_a` on the pools' nodes (the resource
/// name of the Network Operator's own examples).
pub static NETWORK_OPERATOR: Operator = Operator {
    name: "NVIDIA Network Operator",
    min_version: "24.1",
    namespace: Some("nvidia-network-operator"),
    crds: &["nicclusterpolicies.mellanox.com"],
    docs: "https://docs.nvidia.com/networking/display/kubernetes2570/index.html",
};

/// Volcano: `batch.volcano.sh/v1alpha1` Jobs and `scheduling.volcano.sh/v1beta1` Queues.
pub static VOLCANO: Operator = Operator {
    name: "Volcano",
    min_version: "1.9",
    namespace: Some("volcano-system"),
    crds: &["jobs.batch.volcano.sh", "queues.scheduling.volcano.sh"],
    docs: "https://volcano.sh/en/docs/installation/",
};

/// A sorted set of strings that is one list while it is small: most sets
/// of a cluster's prerequisites hold one or two strings (a Secret's keys,
/// the object that reads it, one per service), where a `BTreeSet` would
/// allocate a node for eleven; past [`Set::FEW`] it is a `BTreeSet`
/// (an operator's objects), so that adding stays logarithmic.
#[derive(Debug, Clone)]
pub(crate) enum Set {
    Few(Vec<String>),
    Many(BTreeSet<String>),
}

impl Default for Set {
    fn default() -> Self {
        Set::Few(Vec::new())
    }
}

impl PartialEq for Set {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for Set {}

impl Set {
    /// The most strings held as a list.
    const FEW: usize = 8;

    pub(crate) fn insert(&mut self, s: String) {
        match self {
            Set::Few(list) => match list.binary_search(&s) {
                Ok(_) => {}
                Err(at) if list.len() < Self::FEW => list.insert(at, s),
                Err(_) => {
                    let mut set: BTreeSet<String> = std::mem::take(list).into_iter().collect();
                    set.insert(s);
                    *self = Set::Many(set);
                }
            },
            Set::Many(set) => {
                set.insert(s);
            }
        }
    }

    pub(crate) fn extend(&mut self, strings: impl IntoIterator<Item = String>) {
        for s in strings {
            self.insert(s);
        }
    }

    /// In order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &String> {
        let (few, many) = match self {
            Set::Few(list) => (Some(list.iter()), None),
            Set::Many(set) => (None, Some(set.iter())),
        };
        few.into_iter().flatten().chain(many.into_iter().flatten())
    }

    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Set::Few(list) => list.is_empty(),
            Set::Many(set) => set.is_empty(),
        }
    }
}

impl<'a> IntoIterator for &'a Set {
    type Item = &'a String;
    type IntoIter = Box<dyn Iterator<Item = &'a String> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

/// What one cluster's files assume, by kind; each entry with the objects
/// that need it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Prerequisites {
    operators: BTreeMap<&'static str, (&'static Operator, Set)>,
    namespaces: BTreeMap<String, Set>,
    secrets: BTreeMap<(String, String), Secret>,
    /// By pool and the labels that select its nodes.
    node_labels: BTreeMap<(String, BTreeMap<String, String>), NodeLabels>,
    dns: BTreeMap<String, (String, Set)>,
    /// By title: the steps, in order.
    procedures: BTreeMap<String, Vec<String>>,
    /// By kind and name (empty: chosen when applying, through an input).
    cloud: BTreeMap<(String, String), CloudResource>,
    /// By vm name.
    mesh_vms: BTreeMap<String, MeshVm>,
    /// What the program declares about the platform, by subject (as
    /// written), in the order stated (`crate::platform`).
    platform: BTreeMap<String, (Phrase, Vec<Phrase>)>,
}

/// Text that names program text: `plain` holds it exactly as written (for
/// tools), `markdown` as code spans no character of it can break (for
/// people).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    pub plain: String,
    pub markdown: String,
}

impl Phrase {
    /// `build` writes the phrase, passing each piece of program text
    /// through the function it is given.
    pub fn new(build: impl Fn(&dyn Fn(&str) -> String) -> String) -> Phrase {
        Phrase { plain: build(&|s| s.to_string()), markdown: build(&crate::markdown::code) }
    }
}

impl From<String> for Phrase {
    /// A phrase that names no program text.
    fn from(text: String) -> Phrase {
        Phrase { plain: text.clone(), markdown: text }
    }
}

/// A resource of the cloud the output names but does not create.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct CloudResource {
    /// The inputs (Heat parameters, Terraform variables) that name it.
    inputs: Set,
    why: Set,
}

/// Where Istio's documentation says how to run its agent on a vm.
pub const MESH_VM_DOCS: &str = "https://istio.io/latest/docs/setup/install/virtual-machine/";

/// A vm outside Kubernetes that joins the mesh.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct MeshVm {
    address: String,
    namespace: String,
    service_account: String,
    why: Set,
}

/// A Secret that must exist.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Secret {
    keys: Set,
    why: Set,
    /// Where it comes from, when not from the operator's own values.
    source: Set,
}

/// Labels every node of a pool must carry.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct NodeLabels {
    labels: BTreeMap<String, String>,
    why: Set,
}

impl Prerequisites {
    /// An operator the objects named in `why` are written for.
    pub fn operator(&mut self, op: &'static Operator, why: impl Into<String>) -> &mut Self {
        self.operators.entry(op.name).or_insert_with(|| (op, Set::default())).1.insert(why.into());
        self
    }

    /// A namespace the output uses but does not create.
    pub fn namespace(&mut self, name: impl Into<String>, why: impl Into<String>) -> &mut Self {
        self.namespaces.entry(name.into()).or_default().insert(why.into());
        self
    }

    /// A Secret that must exist, with the keys read from it.
    pub fn secret(
        &mut self,
        namespace: impl Into<String>,
        name: impl Into<String>,
        keys: &[&str],
        why: impl Into<String>,
    ) -> &mut Self {
        let entry = self.secrets.entry((namespace.into(), name.into())).or_default();
        entry.keys.extend(keys.iter().map(|k| k.to_string()));
        entry.why.insert(why.into());
        self
    }

    /// Where a Secret of [`Self::secret`] comes from, when the operator
    /// does not fill it with values of their own: written by an operator,
    /// or copied from another system (say how, with the commands).
    pub fn secret_source(
        &mut self,
        namespace: impl Into<String>,
        name: impl Into<String>,
        source: impl Into<String>,
    ) -> &mut Self {
        self.secrets.entry((namespace.into(), name.into())).or_default().source.insert(source.into());
        self
    }

    /// Steps the operator takes by hand, for what no generated object can
    /// do; one procedure per title (the same title twice keeps the first:
    /// callers derive both from the same facts).
    pub fn procedure(&mut self, title: impl Into<String>, steps: Vec<String>) -> &mut Self {
        self.procedures.entry(title.into()).or_insert(steps);
        self
    }

    /// Labels the nodes of `pool` must carry; `selector` are labels they
    /// already carry (empty: the pool's own nodes, however the platform
    /// knows them).
    pub fn node_labels(
        &mut self,
        pool: impl Into<String>,
        selector: &[(&str, &str)],
        labels: &[(&str, &str)],
        why: impl Into<String>,
    ) -> &mut Self {
        let selector = selector.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let entry = self.node_labels.entry((pool.into(), selector)).or_default();
        entry.labels.extend(labels.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        entry.why.insert(why.into());
        self
    }

    /// A DNS name that must resolve to `target`.
    pub fn dns(&mut self, name: impl Into<String>, target: impl Into<String>, why: impl Into<String>) -> &mut Self {
        let entry = self.dns.entry(name.into()).or_default();
        entry.0 = target.into();
        entry.1.insert(why.into());
        self
    }

    /// A resource of the cloud (`kind`: `Nova key pair`, `Glance image`, …)
    /// that must exist: by `name` when the output names it, else (an empty
    /// name) the one the operator gives to `inputs` when applying.
    pub fn cloud_resource(
        &mut self,
        kind: impl Into<String>,
        name: impl Into<String>,
        inputs: &[&str],
        why: impl Into<String>,
    ) -> &mut Self {
        let entry = self.cloud.entry((kind.into(), name.into())).or_default();
        entry.inputs.extend(inputs.iter().map(|i| i.to_string()));
        entry.why.insert(why.into());
        self
    }

    /// A vm outside Kubernetes, reached at `address`, that joins the mesh:
    /// the Istio agent runs on it, bootstrapped as ServiceAccount
    /// `namespace/service_account` of this cluster's mesh.
    pub fn mesh_vm(
        &mut self,
        vm: impl Into<String>,
        address: impl Into<String>,
        namespace: impl Into<String>,
        service_account: impl Into<String>,
        why: impl Into<String>,
    ) -> &mut Self {
        let entry = self.mesh_vms.entry(vm.into()).or_default();
        entry.address = address.into();
        entry.namespace = namespace.into();
        entry.service_account = service_account.into();
        entry.why.insert(why.into());
        self
    }

    /// A fact the program declares about the platform (`subject`: `node
    /// pool `gpu``), which the checks assumed and no object creates.
    pub fn platform(&mut self, subject: &Phrase, fact: impl Into<Phrase>) -> &mut Self {
        let (_, facts) = self.platform.entry(subject.plain.clone()).or_insert_with(|| (subject.clone(), Vec::new()));
        let fact = fact.into();
        if !facts.contains(&fact) {
            facts.push(fact);
        }
        self
    }

    pub fn is_empty(&self) -> bool {
        self.operators.is_empty()
            && self.namespaces.is_empty()
            && self.secrets.is_empty()
            && self.node_labels.is_empty()
            && self.dns.is_empty()
            && self.procedures.is_empty()
            && self.cloud.is_empty()
            && self.mesh_vms.is_empty()
            && self.platform.is_empty()
    }

    /// The machine-readable form, one `prerequisites` map, written as it
    /// is described (a cluster of 50,000 services lists as many Secrets).
    pub fn emit(&self) -> impl Emit + '_ {
        yaml!({ "prerequisites": {
            "operators": (!self.operators.is_empty()).then(|| list(self.operators.values().map(|(op, why)| {
                yaml!({
                    "name": op.name,
                    "minVersion": op.min_version,
                    "namespace": op.namespace,
                    "crds": list(op.crds.iter().copied()),
                    "docs": op.docs,
                    "for": strings(why),
                })
            }))),
            "namespaces": (!self.namespaces.is_empty()).then(|| {
                list(self.namespaces.iter().map(|(name, why)| yaml!({ "name": name, "for": strings(why) })))
            }),
            "secrets": (!self.secrets.is_empty()).then(|| list(self.secrets.iter().map(|((ns, name), s)| {
                yaml!({
                    "namespace": ns,
                    "name": name,
                    "keys": strings(&s.keys),
                    "source": (!s.source.is_empty()).then(|| strings(&s.source)),
                    "for": strings(&s.why),
                })
            }))),
            "nodeLabels": (!self.node_labels.is_empty()).then(|| {
                list(self.node_labels.iter().map(|((pool, selector), n)| {
                    yaml!({
                        "pool": pool,
                        "nodeSelector": (!selector.is_empty()).then(|| pairs(selector)),
                        "labels": pairs(&n.labels),
                        "for": strings(&n.why),
                    })
                }))
            }),
            "dns": (!self.dns.is_empty()).then(|| {
                list(self.dns.iter().map(|(name, (target, why))| {
                    yaml!({ "name": name, "target": target, "for": strings(why) })
                }))
            }),
            "procedures": (!self.procedures.is_empty()).then(|| {
                list(self.procedures.iter().map(|(title, steps)| {
                    yaml!({ "title": title, "steps": list(steps.iter().map(String::as_str)) })
                }))
            }),
            "cloudResources": (!self.cloud.is_empty()).then(|| list(self.cloud.iter().map(|((kind, name), r)| {
                yaml!({
                    "kind": kind,
                    "name": (!name.is_empty()).then_some(name),
                    "inputs": (!r.inputs.is_empty()).then(|| strings(&r.inputs)),
                    "for": strings(&r.why),
                })
            }))),
            "meshVms": (!self.mesh_vms.is_empty()).then(|| list(self.mesh_vms.iter().map(|(name, v)| {
                yaml!({
                    "name": name,
                    "address": &v.address,
                    "namespace": &v.namespace,
                    "serviceAccount": &v.service_account,
                    "docs": MESH_VM_DOCS,
                    "for": strings(&v.why),
                })
            }))),
            "platform": (!self.platform.is_empty()).then(|| {
                list(self.platform.iter().map(|(subject, (_, facts))| {
                    yaml!({ "subject": subject, "declared": list(facts.iter().map(|f| f.plain.as_str())) })
                }))
            }),
        } })
    }

    /// The same, for the operator installing the cluster.
    pub fn to_markdown(&self, cluster: &str) -> String {
        use crate::markdown::{cell, code, push_code_cell};
        let mut out = format!(
            "# Before applying {}\n\nWhat the files of this folder assume of the platform. Generated by hybridc \
             from the topology, with `{FILE}` beside it for tools; nothing here is created by the output itself.\n",
            code(cluster)
        );
        // A cell of code spans, one per string of the set.
        let push_codes = |out: &mut String, set: &Set| {
            for (i, s) in set.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_code_cell(out, s);
            }
        };
        let why = |set: &Set| {
            let mut cell = String::new();
            push_codes(&mut cell, set);
            cell
        };
        if !self.operators.is_empty() {
            out.push_str("\n## Operators\n\n| operator | version | namespace | CRDs | for |\n|---|---|---|---|---|\n");
            for (op, w) in self.operators.values() {
                let crds: Vec<String> = op.crds.iter().map(|c| format!("`{c}`")).collect();
                let _ = writeln!(
                    out,
                    "| [{}]({}) | {} or later | {} | {} | {} |",
                    op.name,
                    op.docs,
                    op.min_version,
                    op.namespace.map_or_else(|| "any".to_string(), |n| format!("`{n}`")),
                    if crds.is_empty() { "none".to_string() } else { crds.join(", ") },
                    why(w)
                );
            }
        }
        if !self.namespaces.is_empty() {
            out.push_str("\n## Namespaces\n\n| namespace | for |\n|---|---|\n");
            for (name, w) in &self.namespaces {
                let _ = writeln!(out, "| {} | {} |", cell(&code(name)), why(w));
            }
        }
        if !self.secrets.is_empty() {
            out.push_str(
                "\n## Secrets\n\nEach must exist in its namespace, with these keys (never commit their values):\n\n\
                 | namespace | Secret | keys | for |\n|---|---|---|---|\n",
            );
            // A row per Secret, written in place: a cluster of 50,000
            // services has as many.
            for ((ns, name), s) in &self.secrets {
                out.push_str("| ");
                push_code_cell(&mut out, ns);
                out.push_str(" | ");
                push_code_cell(&mut out, name);
                out.push_str(" | ");
                push_codes(&mut out, &s.keys);
                out.push_str(" | ");
                push_codes(&mut out, &s.why);
                out.push_str(" |\n");
            }
            let sourced: Vec<_> = self.secrets.iter().filter(|(_, s)| !s.source.is_empty()).collect();
            if !sourced.is_empty() {
                out.push_str("\nWhere they come from:\n\n");
                for ((ns, name), s) in sourced {
                    for source in &s.source {
                        let _ = writeln!(out, "- {}: {source}", code(&format!("{ns}/{name}")));
                    }
                }
            }
        }
        if !self.node_labels.is_empty() {
            out.push_str("\n## Node labels\n\n| pool | nodes | labels | for |\n|---|---|---|---|\n");
            for ((pool, selector), n) in &self.node_labels {
                let pairs = |m: &BTreeMap<String, String>| {
                    cell(&m.iter().map(|(k, v)| code(&format!("{k}={v}"))).collect::<Vec<_>>().join(", "))
                };
                let nodes = if selector.is_empty() { "every node of the pool".into() } else { pairs(selector) };
                let _ = writeln!(out, "| {} | {nodes} | {} | {} |", cell(&code(pool)), pairs(&n.labels), why(&n.why));
            }
        }
        if !self.dns.is_empty() {
            out.push_str("\n## DNS records\n\n| name | points to | for |\n|---|---|---|\n");
            for (name, (target, w)) in &self.dns {
                let _ = writeln!(out, "| {} | {} | {} |", cell(&code(name)), cell(target), why(w));
            }
        }
        for (title, steps) in &self.procedures {
            let _ = writeln!(out, "\n## {title}\n");
            for (n, step) in steps.iter().enumerate() {
                let _ = writeln!(out, "{}. {step}", n + 1);
            }
        }
        if !self.cloud.is_empty() {
            out.push_str(
                "\n## Cloud resources\n\nThe output names these but does not create them; an input names the one \
                 to use when applying (its default, if any, is the name shown).\n\n\
                 | resource | name | input | for |\n|---|---|---|---|\n",
            );
            for ((kind, name), r) in &self.cloud {
                let inputs: Vec<String> = r.inputs.iter().map(|i| code(i)).collect();
                let name = if name.is_empty() { "chosen when applying".to_string() } else { cell(&code(name)) };
                let _ = writeln!(out, "| {} | {name} | {} | {} |", cell(kind), cell(&inputs.join(", ")), why(&r.why));
            }
        }
        self.platform_markdown(&mut out);
        if !self.mesh_vms.is_empty() {
            let _ = write!(
                out,
                "\n## Virtual machines in the mesh\n\nRun the Istio agent on each vm, bootstrapped as its \
                 ServiceAccount in this cluster's mesh ([virtual machine installation]({MESH_VM_DOCS})): until \
                 it runs, the vm has no mesh identity, and sidecars cannot reach it with mutual TLS.\n\n\
                 | vm | address | ServiceAccount | for |\n|---|---|---|---|\n"
            );
            for (name, v) in &self.mesh_vms {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    cell(&code(name)),
                    cell(&code(&v.address)),
                    cell(&code(&format!("{}/{}", v.namespace, v.service_account))),
                    why(&v.why)
                );
            }
        }
        out
    }
}

impl Prerequisites {
    /// The platform section of the README.
    fn platform_markdown(&self, out: &mut String) {
        if self.platform.is_empty() {
            return;
        }
        out.push_str(
            "\n## Platform\n\nWhat the topology declares about the platform, and every check of it assumed (capacity, \
             quorum, overlapping networks): make sure the platform matches before applying.\n\n\
             | what | declared |\n|---|---|\n",
        );
        for (subject, facts) in self.platform.values() {
            let facts: Vec<&str> = facts.iter().map(|f| f.markdown.as_str()).collect();
            let _ = writeln!(
                out,
                "| {} | {} |",
                crate::markdown::cell(&subject.markdown),
                crate::markdown::cell(&facts.join("; "))
            );
        }
    }
}

/// A set's strings, as a list.
fn strings(set: &Set) -> impl Emit + '_ {
    list(set.iter().map(String::as_str))
}

/// Labels, as a map.
fn pairs(m: &BTreeMap<String, String>) -> impl Emit + '_ {
    yaml::object(m.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// Writes every cluster's prerequisites, collected in the tree, as
/// `SITE/CLUSTER/prerequisites.yaml` and `PREREQUISITES.md`.
pub fn assemble(tree: &mut OutputTree) {
    // Written, then forgotten: only the files are kept until written.
    let collected = std::mem::take(&mut tree.prerequisites);
    for (dir, p) in collected.iter().filter(|(_, p)| !p.is_empty()) {
        let mut text = String::with_capacity(1024);
        p.emit().document(&mut text);
        tree.add(format!("{dir}/{FILE}"), text);
        tree.add(format!("{dir}/{README}"), p.to_markdown(dir));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A set is sorted and without repeats whether it holds a few strings
    /// (a list) or many (a tree), and equal sets are equal either way.
    #[test]
    fn sets_stay_sorted_past_a_few() {
        let mut few = Set::default();
        let mut many = Set::default();
        for i in (0..=Set::FEW).rev() {
            many.insert(format!("s{i:02}"));
            many.insert(format!("s{i:02}"));
            if i < Set::FEW {
                few.insert(format!("s{i:02}"));
            }
        }
        assert!(matches!(few, Set::Few(_)) && matches!(many, Set::Many(_)));
        let expected: Vec<String> = (0..=Set::FEW).map(|i| format!("s{i:02}")).collect();
        assert_eq!(many.iter().cloned().collect::<Vec<_>>(), expected);
        assert_eq!(few.iter().cloned().collect::<Vec<_>>(), expected[..Set::FEW]);
        few.insert(format!("s{:02}", Set::FEW));
        assert_eq!(few, many);
        assert!(Set::default().is_empty() && !few.is_empty());
    }

    /// A cloud resource named twice merges its inputs and the objects that
    /// need it; one chosen when applying has no name.
    #[test]
    fn cloud_resources_merge_by_kind_and_name() {
        let mut p = Prerequisites::default();
        p.cloud_resource("Nova key pair", "", &["key_name"], "vm b");
        p.cloud_resource("Nova key pair", "", &["key_pair"], "vm a");
        p.cloud_resource("Nova flavor", "m1", &[], "vm a");
        assert!(!p.is_empty());
        let v = p.emit().into_value();
        let cloud = &v["prerequisites"]["cloudResources"];
        assert_eq!(cloud[0], json!({ "kind": "Nova flavor", "name": "m1", "for": ["vm a"] }));
        assert_eq!(
            cloud[1],
            json!({ "kind": "Nova key pair", "inputs": ["key_name", "key_pair"], "for": ["vm a", "vm b"] })
        );
        let md = p.to_markdown("dc/cloud");
        assert!(
            md.contains("| Nova key pair | chosen when applying | `key_name`, `key_pair` | `vm a`, `vm b` |"),
            "{md}"
        );
        assert!(md.contains("| Nova flavor | `m1` |  | `vm a` |"), "{md}");
    }
}
