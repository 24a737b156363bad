//! What this target's objects in one cluster assume of the platform: the
//! operators whose APIs they use, the Secrets they read (a mirrored pool's
//! peers' bootstrap tokens among them, with where each comes from), the
//! labels their node affinity selects pools by and the labels that select
//! each GPU sharing pool's config for its nodes, and the steps no object
//! can take (enabling a mirrored pool's images, the key management system
//! of an encrypted storage class), and the platform the
//! program declares (`emit::platform`). Read from the model
//! beside the modules that write the objects; `emit::prerequisites` writes
//! them out.

use crate::storage::{
    cephfs_name, CEPHFS_DATA_POOL, CEPHFS_NODE_SECRET, CEPHFS_PROVISIONER_SECRET, CEPHFS_SECRET_KEYS, KMS_CONFIG_MAP,
    RBD_NODE_SECRET, RBD_PROVISIONER_SECRET, RBD_SECRET_KEYS, ROOK_NAMESPACE,
};
use crate::{gpu, rdma, replication, Ctx};
use hybrid_emit::ceph::{self, PEER_SECRET_KEYS};
use hybrid_emit::labels::POOL;
use hybrid_emit::markdown::code;
use hybrid_emit::prerequisites::{self as pre, Prerequisites};
use hybrid_model::scheduling::{eligible_pools, restricted};
use hybrid_model::{BackupTarget, GpuSharing, StorageBackend, Workload, WorkloadKind};

/// Adds the cluster's prerequisites; `placed` are the workloads it runs.
pub fn collect(ctx: &Ctx<'_>, placed: &[&Workload], p: &mut Prerequisites) {
    hybrid_emit::platform::kubernetes(ctx.t, ctx.id, ctx.k, p);
    for pool in ctx.k.storage_classes.iter().filter_map(|sc| sc.pool) {
        hybrid_emit::platform::ceph(ctx.t, pool, p);
    }
    storage(ctx, p);
    mirroring(ctx, p);
    for b in &ctx.t.backups {
        let here = match b.of.value {
            BackupTarget::Cluster(id) => id == ctx.id,
            BackupTarget::Workload(wid) => placed.iter().any(|w| std::ptr::eq(*w, ctx.t.workload(wid))),
        };
        if here {
            p.operator(&pre::VELERO, format!("Schedule {}", b.name));
        }
    }
    if ctx.k.gitops.is_some() {
        p.operator(&pre::ARGO_CD, format!("Application {}", ctx.t.cluster(ctx.id).name));
    }
    if ctx.k.pools.iter().any(|pool| pool.gpu.is_some()) {
        p.operator(&pre::GPU_OPERATOR, "ClusterPolicy cluster-policy");
    }
    gpu_sharing(ctx, p);
    rdma(ctx, placed, p);
    for pool in ctx.k.pools.iter().filter(|pool| !pool.labels.is_empty()) {
        let labels: Vec<(&str, &str)> = pool.labels.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        p.node_labels(&pool.name, &[], &labels, format!("the labels of node pool {}", pool.name));
    }
    for w in placed {
        workload(ctx, w, p);
    }
}

/// Rook for Ceph storage classes — with its CephCluster's namespace, the
/// CSI Secrets Rook writes there and, for CephFS, the CephFilesystem to
/// create — and mirrored pools; the CSI driver
/// of the other backends.
fn storage(ctx: &Ctx<'_>, p: &mut Prerequisites) {
    for sc in &ctx.k.storage_classes {
        let op = match sc.backend {
            StorageBackend::CephRbd | StorageBackend::Cephfs => &pre::ROOK,
            StorageBackend::Longhorn => &pre::LONGHORN,
            StorageBackend::Vsan => &pre::VSPHERE_CSI,
            StorageBackend::Local => continue,
        };
        let class = format!("StorageClass {}", sc.name);
        p.operator(op, class.clone());
        let (secrets, keys) = match sc.backend {
            StorageBackend::CephRbd => ([RBD_PROVISIONER_SECRET, RBD_NODE_SECRET], RBD_SECRET_KEYS),
            StorageBackend::Cephfs => ([CEPHFS_PROVISIONER_SECRET, CEPHFS_NODE_SECRET], CEPHFS_SECRET_KEYS),
            _ => continue,
        };
        p.namespace(ROOK_NAMESPACE, format!("CephCluster (clusterID of {class})"));
        for secret in secrets {
            p.secret(ROOK_NAMESPACE, secret, keys, class.clone()).secret_source(
                ROOK_NAMESPACE,
                secret,
                format!("written by the Rook operator once the CephCluster in `{ROOK_NAMESPACE}` runs"),
            );
        }
        if let (StorageBackend::CephRbd, Some(_), Some(kms)) = (sc.backend, sc.encrypted, &sc.kms) {
            p.procedure(
                format!("ceph-csi key management system {}", code(kms)),
                vec![
                    format!(
                        "In namespace `{ROOK_NAMESPACE}` (where Rook runs ceph-csi), create ConfigMap `{KMS_CONFIG_MAP}` \
                         (or add to it) an entry {} whose `encryptionKMSType` names the KMS that keeps the volumes' \
                         LUKS passphrases (`vaulttokens`, `vault`, `kmip`, `aws-metadata`, `azure-kv`, or `metadata` \
                         for Kubernetes Secrets) with that KMS's connection settings, as in ceph-csi's \
                         `examples/kms/vault/kms-config.yaml`: the `encryptionKMSID` of {class}",
                        code(kms)
                    ),
                    "Create the Secret the entry names (the KMS token or credentials) where its type reads it, and \
                     restart the `csi-rbdplugin` and `csi-rbdplugin-provisioner` pods so that they read the entry"
                        .to_string(),
                ],
            );
        }
        if sc.backend == StorageBackend::Cephfs {
            let fs = cephfs_name(ctx, sc);
            p.procedure(
                format!("CephFilesystem {fs}"),
                vec![format!(
                    "Create a `ceph.rook.io/v1` CephFilesystem `{fs}` in namespace `{ROOK_NAMESPACE}` with a data pool named `{CEPHFS_DATA_POOL}` (Rook creates it as `{fs}-{CEPHFS_DATA_POOL}`) and an active metadata server, as in Rook's `deploy/examples/filesystem.yaml`: the `fsName` and `pool` of {class}"
                )],
            );
        }
    }
}

/// For each pool this cluster mirrors: Rook, the Secret of each peer's
/// bootstrap token and where it comes from, and, on a source, the step that
/// enables its images.
fn mirroring(ctx: &Ctx<'_>, p: &mut Prerequisites) {
    let t = ctx.t;
    let pools = replication::pools(ctx);
    for &id in &pools {
        let why = format!("CephBlockPool {}", t.storage(id).name);
        p.operator(&pre::ROOK, why.clone()).namespace(ROOK_NAMESPACE, why.clone());
        for peer in ceph::peers(t, id) {
            let secret = ceph::peer_secret(t, id, peer);
            let peer_site = &t.site(t.storage_site(peer)).name;
            p.secret(ROOK_NAMESPACE, &secret, PEER_SECRET_KEYS, format!("{why} (mirroring peer {peer_site})"))
                .secret_source(ROOK_NAMESPACE, &secret, ceph::peer_secret_source(t, id, peer));
        }
        let toolbox = format!("From Rook's toolbox (`kubectl -n {ROOK_NAMESPACE} exec -it deploy/rook-ceph-tools -- bash`; a claim's image is its PersistentVolume's `spec.csi.volumeAttributes.imageName`)");
        if let Some(step) = ceph::enable_images_step(t, id, &toolbox) {
            p.procedure(ceph::procedure_title(t, id), vec![step]);
        }
    }
    if !pools.is_empty() {
        let why = format!("CephRBDMirror {}", replication::RBD_MIRROR);
        p.operator(&pre::ROOK, why.clone()).namespace(ROOK_NAMESPACE, why);
    }
}

/// The label that selects each MIG and time-slicing pool's config on that
/// pool's nodes alone (`nvidia.com/mig.config` or
/// `nvidia.com/device-plugin.config`, the pool's config key), on the nodes
/// of `hybrid.dev/pool=POOL`; and that pool label on the pool's nodes.
fn gpu_sharing(ctx: &Ctx<'_>, p: &mut Prerequisites) {
    for pool in &ctx.k.pools {
        let Some(g) = &pool.gpu else { continue };
        let (label, config_map, what) = match g.sharing.value {
            GpuSharing::Mig => (gpu::MIG_CONFIG_LABEL, gpu::MIG_CONFIG, "mig-parted config"),
            GpuSharing::TimeSlicing => {
                (gpu::DEVICE_PLUGIN_CONFIG_LABEL, gpu::TIME_SLICING_CONFIG, "time-slicing config")
            }
            GpuSharing::Exclusive => continue,
        };
        let key = gpu::config_key(pool);
        let why = format!("{what} {key} of ConfigMap {}/{config_map}", gpu::NAMESPACE);
        p.node_labels(&pool.name, &[(POOL, pool.name.as_str())], &[(label, key)], why.clone());
        p.node_labels(&pool.name, &[], &[(POOL, pool.name.as_str())], why);
    }
}

/// The Network Operator for each RDMA pool: its driver under GPUDirect
/// RDMA, its shared RDMA device in the pods that run on RDMA pools.
fn rdma(ctx: &Ctx<'_>, placed: &[&Workload], p: &mut Prerequisites) {
    for pool in ctx.k.pools.iter().filter(|pool| pool.rdma) {
        p.operator(&pre::NETWORK_OPERATOR, format!("{} on the nodes of pool {}", rdma::RESOURCE, pool.name));
        if pool.gpu.is_some() {
            p.operator(&pre::NETWORK_OPERATOR, "ClusterPolicy cluster-policy (driver.rdma: the DOCA driver)");
        }
    }
    let ns = crate::meta::default_namespace(ctx.t);
    for w in placed.iter().filter(|w| rdma::on_rdma_pools(ctx, w)) {
        let owner = match &w.kind {
            WorkloadKind::Service(s) => {
                format!(
                    "{} {}/{}",
                    if s.volumes.is_empty() { "Deployment" } else { "StatefulSet" },
                    s.namespace,
                    w.name
                )
            }
            _ => format!("Job {ns}/{}", w.name),
        };
        p.operator(&pre::NETWORK_OPERATOR, format!("{owner} ({})", rdma::RESOURCE));
    }
}

/// What one workload's objects read: the operator of its kind, its
/// Secrets, the pool label its affinity selects by.
fn workload(ctx: &Ctx<'_>, w: &Workload, p: &mut Prerequisites) {
    match &w.kind {
        WorkloadKind::Service(s) if !s.secret_env.is_empty() => {
            // Once per service and Secret: joined, not formatted.
            let kind = if s.volumes.is_empty() { "Deployment" } else { "StatefulSet" };
            let owner = [kind, " ", &s.namespace, "/", &w.name].concat();
            for e in &s.secret_env {
                p.secret(&s.namespace, &e.secret, &[e.key.as_str()], [&owner, " (env ", &e.name, ")"].concat());
            }
        }
        // A service that reads no Secret assumes nothing of its own.
        WorkloadKind::Service(_) => {}
        WorkloadKind::Vm(v) => {
            let ns = crate::meta::default_namespace(ctx.t);
            p.operator(&pre::KUBEVIRT, format!("VirtualMachine {ns}/{}", w.name));
            if !v.disks.is_empty() {
                p.operator(&pre::CDI, format!("VirtualMachine {ns}/{} (dataVolumeTemplates)", w.name));
            }
            if let Some(size) = crate::vm::numa_hugepages(v) {
                numa_pinning(size, p);
            }
        }
        WorkloadKind::Job(j) => {
            if j.runs_on_volcano(ctx.k) {
                p.operator(&pre::VOLCANO, format!("Job {}/{}", crate::meta::default_namespace(ctx.t), w.name));
            }
        }
    }
    if restricted(w, ctx.id) {
        for pool in eligible_pools(w, ctx.id, ctx.k) {
            let label = [(POOL, pool.name.as_str())];
            p.node_labels(&pool.name, &[], &label, format!("node affinity of {}", w.name));
        }
    }
}

/// What NUMA node pinning (`numa pinned=#true hugepages=SIZE`) needs of the
/// cluster: KubeVirt's `NUMA` feature gate, the kubelet's static CPU
/// manager policy, and huge pages of that size preallocated on the nodes.
fn numa_pinning(size: hybrid_model::HugePageSize, p: &mut Prerequisites) {
    let size = size.as_str();
    p.procedure(
        format!("NUMA node pinning with {size} huge pages"),
        vec![
            "add `NUMA` to `spec.configuration.developerConfiguration.featureGates` of the KubeVirt CR".to_string(),
            "run the kubelet of every node that may host the vm with `cpuManagerPolicy: static` (dedicated cpus)"
                .to_string(),
            format!(
                "preallocate huge pages of {size} on those nodes (kernel `hugepagesz={size} hugepages=N`), enough for the vm's memory"
            ),
        ],
    );
}
