//! What a program declares about the platform it runs on — the site, the
//! cluster's version, control plane, CNI and networks, the machines of its
//! pools, hosts and compute nodes, its GPUs, the Ceph pools behind its
//! storage, a vSAN's disk groups (all-flash or hybrid), an OpenStack
//! cloud's flavors — which no generated file creates but every check of
//! the topology assumed (capacity, quorum, overlaps).
//! Each target states it in the prerequisites of the clusters it writes
//! for (`Prerequisites::platform`), so the operator can make sure the
//! platform matches before applying: a check that passed against a
//! declared 3-node control plane proves nothing on a 1-node one. Each
//! phrase keeps the program's text exactly for `prerequisites.yaml`, and as
//! code spans for the README ([`Phrase`]).

use crate::prerequisites::{Phrase, Prerequisites};
use hybrid_model::{Capacity, ClusterId, Kubernetes, OpenStack, Pool, StorageId, StorageKind, Topology, VSphere};

/// The topology's owner (whom to ask about these assumptions), and the
/// site of cluster `id`: its region, kind and provider.
pub fn site(t: &Topology, id: ClusterId, p: &mut Prerequisites) {
    if let Some(owner) = &t.owner {
        let topology = Phrase::new(|c| format!("topology {}", c(&t.name)));
        p.platform(&topology, Phrase::new(|c| format!("owned by {}", c(owner))));
    }
    let s = t.site(t.cluster(id).site);
    let subject = Phrase::new(|c| format!("site {}", c(&s.name)));
    p.platform(&subject, Phrase::new(|c| format!("region {}", c(&s.region))));
    if let Some(kind) = s.kind {
        p.platform(&subject, format!("a site of kind {}", kind.as_str()));
    }
    if let Some(provider) = &s.provider {
        p.platform(&subject, Phrase::new(|c| format!("provided by {}", c(provider))));
    }
}

/// A kubernetes cluster: its version, control plane, CNI, networks and
/// pools.
pub fn kubernetes(t: &Topology, id: ClusterId, k: &Kubernetes, p: &mut Prerequisites) {
    site(t, id, p);
    let subject = Phrase::new(|c| format!("Kubernetes cluster {}", c(&t.cluster(id).name)));
    p.platform(&subject, Phrase::new(|c| format!("Kubernetes {}", c(&k.version))));
    let cp = k.control_plane_replicas.value;
    p.platform(&subject, format!("a control plane of {cp} nodes, with etcd on each (a quorum of {})", cp / 2 + 1));
    if let Some(cni) = &k.cni {
        let mode = cni.mode.map(|m| format!(" in {} mode", m.as_str())).unwrap_or_default();
        p.platform(&subject, format!("the {} CNI{mode}", cni.plugin.as_str()));
    }
    if k.kubevirt {
        p.platform(&subject, "KubeVirt, on which the cluster's vms run".to_string());
    }
    p.platform(&subject, format!("pod network {}", k.pod_cidr.value));
    p.platform(&subject, format!("service network {}", k.service_cidr.value));
    for pool in &k.pools {
        self::pool(t, pool, p);
    }
}

/// A node pool: its machines and GPUs.
fn pool(t: &Topology, pool: &Pool, p: &mut Prerequisites) {
    let subject = Phrase::new(|c| format!("node pool {}", c(&pool.name)));
    p.platform(&subject, machines(pool.nodes.value, "nodes", &pool.cpu.to_string(), &pool.memory.to_string()));
    let Some(g) = &pool.gpu else { return };
    let model = t.gpu_model(g.model);
    let gpus = Phrase::new(|c| {
        let vendor = model.vendor.as_ref().map(|v| format!("{}, ", c(v))).unwrap_or_default();
        format!("{} × {} GPU ({vendor}{} each) per node", g.count, c(&model.name), model.memory)
    });
    p.platform(&subject, gpus);
    if let Some(profile) = g.profile.as_ref().and_then(|pr| model.mig_profile(&pr.value)) {
        let memory = profile.memory.map(|m| format!(" of {m}")).unwrap_or_default();
        p.platform(
            &subject,
            Phrase::new(|c| {
                format!("each GPU split into {} MIG instances {}{memory}", profile.instances, c(&profile.name))
            }),
        );
    }
}

/// `COUNT WHAT, each CPU cores and MEMORY`.
fn machines(count: u32, what: &str, cpu: &str, memory: &str) -> String {
    format!("{count} {what}, each with {cpu} cores and {memory} of memory")
}

/// A Ceph pool behind the cluster's storage: its nodes, disks, copies,
/// capacity and the encryption of its OSDs.
pub fn ceph(t: &Topology, id: StorageId, p: &mut Prerequisites) {
    let s = t.storage(id);
    let StorageKind::Ceph(pool) = &s.kind else { return };
    let subject = Phrase::new(|c| format!("Ceph pool {} of site {}", c(&s.name), c(&t.site(s.site).name)));
    p.platform(&subject, format!("{} storage nodes with {} disks", pool.nodes, pool.media.as_str()));
    let domain = pool.failure_domain.map(|d| format!(", each on a different {}", d.as_str())).unwrap_or_default();
    p.platform(&subject, format!("{} copies of each object{domain}", pool.replicas));
    if let Some(capacity) = pool.capacity {
        p.platform(&subject, format!("{capacity} of usable capacity"));
    }
    if pool.encrypted {
        p.platform(
            &subject,
            "every OSD on dm-crypt (LUKS), its key in the monitors' config-key store: created with \
             `ceph-volume lvm create --dmcrypt` (cephadm: `encrypted: true` in the OSD service spec; Rook: \
             `encryptedDevice: \"true\"` in the CephCluster's storage config)"
                .to_string(),
        );
    }
}

/// An OpenStack cloud: its release, controllers, compute nodes, the Ceph
/// pools behind its volume types and its flavors.
pub fn openstack(t: &Topology, id: ClusterId, o: &OpenStack, p: &mut Prerequisites) {
    site(t, id, p);
    let subject = Phrase::new(|c| format!("OpenStack cloud {}", c(&t.cluster(id).name)));
    p.platform(&subject, Phrase::new(|c| format!("OpenStack release {}", c(&o.release))));
    p.platform(&subject, format!("{} controller nodes", o.controllers));
    if let Some(compute) = &o.compute {
        p.platform(&subject, capacity(compute, "compute nodes"));
    }
    for pool in o.volume_types.iter().filter_map(|v| v.backend) {
        ceph(t, pool, p);
    }
    for f in &o.flavors {
        p.platform(
            &Phrase::new(|c| format!("Nova flavor {}", c(&f.name))),
            format!("{} vCPUs, {} of memory, a root disk of {}", f.cpu, f.memory, f.disk),
        );
    }
}

/// A vSphere cluster: its version and hosts.
pub fn vsphere(t: &Topology, id: ClusterId, v: &VSphere, p: &mut Prerequisites) {
    site(t, id, p);
    let subject = Phrase::new(|c| format!("vSphere cluster {}", c(&t.cluster(id).name)));
    p.platform(&subject, Phrase::new(|c| format!("vSphere {}", c(&v.version))));
    if let Some(h) = &v.hosts {
        p.platform(&subject, capacity(h, "ESXi hosts"));
    }
    for &pool in &v.vsans {
        let storage = t.storage(pool);
        let StorageKind::Vsan(vsan) = &storage.kind else { continue };
        let subject = Phrase::new(|c| format!("vSAN {}", c(&storage.name)));
        p.platform(
            &subject,
            if vsan.all_flash {
                "all-flash disk groups: flash cache and flash capacity disks (each capacity disk tagged capacityFlash)"
            } else {
                "hybrid disk groups: a flash cache disk and magnetic capacity disks"
            }
            .to_string(),
        );
    }
}

fn capacity(c: &Capacity, what: &str) -> String {
    machines(c.count, what, &c.cpu.to_string(), &c.memory.to_string())
}
