//! The README's `## vSphere Replication`: for each `replication` that
//! starts or ends on a vSAN of the cluster, a table of what it copies and
//! over which link, the vms concerned, what its mode and RPO mean for
//! vSphere Replication, and the steps for this side (source, target or
//! both).

use super::{cell, code, Md};
use crate::network::port_group_name;
use crate::{disk_vsan, vm_vsan, vsphere_dir, Ctx};
use hybrid_model::{
    format_duration, LinkKind, Replication, ReplicationMechanism, ReplicationMode, SiteId, StorageId, StorageKind,
    Topology, Vm, Workload,
};

/// vSphere Replication, whose best RPO the model holds.
const VR: ReplicationMechanism = ReplicationMechanism::VsphereReplication;

/// `## vSphere Replication`, one subsection per replication touching a vSAN of this cluster.
pub(super) fn section(ctx: &Ctx<'_>) -> String {
    let t = ctx.t;
    let mine = |s: StorageId| ctx.vs.vsans.contains(&s);
    let reps: Vec<&Replication> = t.replications.iter().filter(|r| mine(r.from.value) || mine(r.to.value)).collect();
    if reps.is_empty() {
        return String::new();
    }
    let mut md = Md::default();
    md.line("## vSphere Replication");
    md.blank();
    md.line(
        "The provider cannot configure vSphere Replication. Each replication of the topology that starts \
         or ends on a vSAN of this cluster is below, with the steps for this side.",
    );
    for r in reps {
        Entry::new(t, r, mine(r.from.value), mine(r.to.value)).write(&mut md);
    }
    md.text
}

/// One replication as this cluster sees it: what each step of its subsection reads.
struct Entry<'a> {
    t: &'a Topology,
    r: &'a Replication,
    /// This cluster holds the source.
    source: bool,
    /// This cluster holds the target.
    target: bool,
    /// The vms with disks on the source, and the GiB of those disks.
    vms: Vec<(&'a Workload, &'a Vm, u64)>,
    /// The GiB of all of them.
    total: u64,
    /// The sites of the source and of the target.
    sites: (SiteId, SiteId),
    /// Both ends are vSANs (vSphere Replication applies).
    both_vsan: bool,
}

impl<'a> Entry<'a> {
    /// Gathers what the steps read about `r`.
    fn new(t: &'a Topology, r: &'a Replication, source: bool, target: bool) -> Entry<'a> {
        let (from, to) = (r.from.value, r.to.value);
        let vms = vms_on(t, from);
        let total: u64 = vms.iter().map(|(_, _, g)| g).sum();
        let both_vsan =
            matches!(t.storage(from).kind, StorageKind::Vsan(_)) && matches!(t.storage(to).kind, StorageKind::Vsan(_));
        Entry { t, r, source, target, vms, total, sites: (t.storage_site(from), t.storage_site(to)), both_vsan }
    }

    /// `### NAME`: the table, the vms, the mode, then this side's steps (for two vSANs only).
    fn write(&self, md: &mut Md) {
        self.summary(md);
        if !self.both_vsan {
            self.outside_vsphere(md);
        }
        self.vm_table(md);
        self.mode(md);
        if !self.both_vsan {
            return;
        }
        md.blank();
        if self.source {
            self.source_steps(md);
        }
        if self.target {
            self.target_steps(md);
        } else {
            self.see_target(md);
        }
    }

    /// The heading and the table: ends, mode, RPO, RTO, the link between sites, the replicated GiB.
    fn summary(&self, md: &mut Md) {
        let (t, r) = (self.t, self.r);
        let role = match (self.source, self.target) {
            (true, true) => "source and target",
            (true, false) => "source",
            _ => "target",
        };
        let mode = match r.mode.value {
            ReplicationMode::Sync => "sync",
            ReplicationMode::Async => "async",
        };
        md.blank();
        md.line(format!("### {} (this cluster is the {role})", code(&r.name)));
        md.blank();
        md.line("| | |");
        md.line("|---|---|");
        md.line(format!("| from | {} |", cell(&endpoint(t, r.from.value))));
        md.line(format!("| to | {} |", cell(&endpoint(t, r.to.value))));
        md.line(format!("| mode | {mode} |"));
        md.line(format!("| RPO | {} |", self.rpo()));
        md.line(format!("| RTO | {} |", self.rto()));
        if let Some(link) = self.link() {
            md.line(format!("| link | {} |", cell(&link)));
        }
        md.line(format!("| replicated disks | {} GiB declared |", self.total));
    }

    /// The link between the two sites (`none declared`); `None` when both ends share a site.
    fn link(&self) -> Option<String> {
        let t = self.t;
        let (sa, sb) = self.sites;
        if sa == sb {
            return None;
        }
        Some(match t.link_between(sa, sb) {
            Some(l) => format!(
                "{} to {}: {} round trip, {}{}, {}",
                code(&t.site(sa).name),
                code(&t.site(sb).name),
                format_duration(l.latency.value),
                l.bandwidth.value,
                l.kind.as_ref().map(|k| format!(", {}", link_kind(k.value))).unwrap_or_default(),
                if l.encrypted { "encrypted" } else { "not encrypted" }
            ),
            None => "none declared".to_string(),
        })
    }

    /// The RPO delivered, with the promise beside it when it is lower.
    fn rpo(&self) -> String {
        let (promised, delivered) = (self.r.rpo.value, self.t.delivered_rpo(self.r));
        if promised == delivered {
            format_duration(delivered)
        } else {
            format!(
                "{} delivered ({} promised, below what {} can keep)",
                format_duration(delivered),
                format_duration(promised),
                VR.name()
            )
        }
    }

    /// The RTO as written, or `not set`.
    fn rto(&self) -> String {
        self.r.rto.as_ref().map(|d| format_duration(d.value)).unwrap_or_else(|| "not set".into())
    }

    /// The note that one end (a Ceph pool) is out of vSphere Replication's reach.
    fn outside_vsphere(&self, md: &mut Md) {
        let t = self.t;
        let (from, to) = (self.r.from.value, self.r.to.value);
        md.blank();
        md.line(format!(
            "vSphere Replication copies vms only between vSphere datastores, and {} is not one: replicate \
             this data at the storage or application layer instead; nothing below applies to the Ceph side.",
            code(&t.storage_path(if matches!(t.storage(from).kind, StorageKind::Vsan(_)) { to } else { from }))
        ));
    }

    /// The vms with disks on the source and the port group each joins at the target.
    fn vm_table(&self, md: &mut Md) {
        let t = self.t;
        md.blank();
        if self.vms.is_empty() {
            md.line(format!("No vm of the topology has disks on {} yet.", code(&t.storage_path(self.r.from.value))));
        } else {
            md.line("| vm | disks on the source | port group at the target |");
            md.line("|---|---|---|");
            for (w, vm, gib) in &self.vms {
                md.line(format!(
                    "| {} | {gib} GiB | {} |",
                    cell(&code(&w.name)),
                    cell(&target_port_group(t, vm, self.r.to.value))
                ));
            }
        }
    }

    /// What the mode and RPO mean for vSphere Replication, which is asynchronous from its best RPO on.
    fn mode(&self, md: &mut Md) {
        md.blank();
        let rpo = format_duration(self.r.rpo.value);
        let (best, delivered) = (format_duration(VR.best_rpo()), format_duration(self.t.delivered_rpo(self.r)));
        match self.r.mode.value {
            ReplicationMode::Sync => md.line(format!(
                "**Mode sync.** vSphere Replication is asynchronous and cannot give an RPO of {rpo}: the steps \
                 below replicate asynchronously with an RPO of {delivered}, the RPO this output delivers ({best} is \
                 the lowest vSphere Replication accepts). Synchronous protection of a vSAN needs a vSAN stretched \
                 cluster (the hosts of both sites in one cluster, a witness host at a third site, at most 5 ms round \
                 trip between the data sites) or synchronous replication in the application."
            )),
            ReplicationMode::Async if self.r.rpo.value < VR.best_rpo() => md.line(format!(
                "**Mode async, RPO {rpo}.** vSphere Replication accepts RPOs from {best} to 24h: the steps \
                 below set {delivered}, the RPO this output delivers, not {rpo}."
            )),
            ReplicationMode::Async => md.line(format!(
                "**Mode async, RPO {rpo}.** Set exactly this RPO in the replication settings ({best} to 24h): \
                 vSphere Replication is asynchronous, so up to {rpo} of writes are lost with the source site."
            )),
        }
    }

    /// Steps 1–4 at the source: appliances, site pair, replication per vm, initial sync.
    fn source_steps(&self, md: &mut Md) {
        let (t, r) = (self.t, self.r);
        let (sa, sb) = self.sites;
        let encrypted = t.link_between(sa, sb).is_some_and(|l| l.encrypted);
        md.line("Steps at the source:");
        md.blank();
        md.line(format!(
            "1. Deploy the vSphere Replication appliance (OVF) in the vCenter of each side (datacenters {} and {}) and \
             register it with that vCenter.",
            datacenter(t, r.from.value),
            datacenter(t, r.to.value)
        ));
        md.line("2. vSphere Client > Site Recovery > Site Pairs: pair the source vCenter with the target vCenter.");
        md.line(format!(
            "3. For each vm in the table: right-click it > All Site Recovery actions > **Configure Replication**; \
             target site: the target vCenter; target datastore: {}; RPO: {}; enable network compression{}.",
            self.target_datastore(),
            format_duration(t.delivered_rpo(r)),
            if encrypted { "" } else { "; enable network encryption (the link between the sites is not encrypted)" }
        ));
        md.line("4. Wait for the initial full synchronisation; each replication's status must be **OK**.");
    }

    /// The steps at the target (numbered on from the source's when this cluster is both): space, recovery.
    fn target_steps(&self, md: &mut Md) {
        let first = if self.source {
            5
        } else {
            md.line("Steps at the target:");
            md.blank();
            1
        };
        md.line(format!(
            "{first}. Keep at least {} GiB free on {} for the replica disks (more with point-in-time instances).",
            self.total,
            self.target_datastore()
        ));
        md.line(format!(
            "{}. To recover (RTO {}): Site Recovery > Replications > Incoming > select the vms > **Recover**, \
             then connect each to the port group in the table and power it on. By hand this takes minutes per \
             vm; to hold the RTO, automate it with a Site Recovery Manager recovery plan and test it regularly.",
            first + 1,
            self.rto()
        ));
    }

    /// For a source only: the pointer to the target cluster's README.
    fn see_target(&self, md: &mut Md) {
        let t = self.t;
        let target_readme = match &t.storage(self.r.to.value).kind {
            StorageKind::Vsan(v) => format!("{}/README.md", vsphere_dir(t, v.cluster)),
            StorageKind::Ceph(_) => String::new(),
        };
        md.blank();
        md.line(format!(
            "The target side keeps space for the replicas and runs the recovery: see {}.",
            code(&target_readme)
        ));
    }

    /// The target vSAN's datastore, as a code span.
    fn target_datastore(&self) -> String {
        code(crate::datastore_name(self.t, self.r.to.value))
    }
}

/// The datacenter of a vSAN's cluster, as a code span (empty for a Ceph pool).
fn datacenter(t: &Topology, sid: StorageId) -> String {
    match &t.storage(sid).kind {
        StorageKind::Vsan(v) => t.cluster(v.cluster).vsphere().map(|vs| code(&vs.datacenter)).unwrap_or_default(),
        StorageKind::Ceph(_) => String::new(),
    }
}

/// How a storage pool is described: its path and where it lives.
fn endpoint(t: &Topology, sid: StorageId) -> String {
    let s = t.storage(sid);
    let site = &t.site(s.site).name;
    match &s.kind {
        StorageKind::Vsan(v) => {
            let c = t.cluster(v.cluster);
            let dc = c.vsphere().map(|vs| format!(", datacenter {}", code(&vs.datacenter))).unwrap_or_default();
            format!("{} (vSAN of cluster {}, site {}{dc})", code(&t.storage_path(sid)), code(&c.name), code(site))
        }
        StorageKind::Ceph(_) => format!("{} (Ceph pool at site {})", code(&t.storage_path(sid)), code(site)),
    }
}

/// The vms whose disks live on a vSAN, with the GiB of their declared disks there.
fn vms_on(t: &Topology, sid: StorageId) -> Vec<(&Workload, &Vm, u64)> {
    let StorageKind::Vsan(v) = &t.storage(sid).kind else { return Vec::new() };
    let Some(vs) = t.cluster(v.cluster).vsphere() else { return Vec::new() };
    let mut out = Vec::new();
    for w in &t.workloads {
        let Some(vm) = w.vm() else { continue };
        if vm.placement.value != v.cluster {
            continue;
        }
        let home = vm_vsan(vs, vm);
        let gib: u64 =
            vm.disks.iter().filter(|d| disk_vsan(vs, d).or(home) == Some(sid)).map(|d| d.size.gib_ceil()).sum();
        if home == Some(sid) || gib > 0 {
            out.push((w, vm, gib));
        }
    }
    out
}

/// The port group a recovered vm joins on the target cluster: the one for
/// the network of the same name, if the target cluster offers it.
fn target_port_group(t: &Topology, vm: &Vm, target: StorageId) -> String {
    let source_vs = t.cluster(vm.placement.value).vsphere();
    let network = vm.network.as_ref().map(|n| n.value).or_else(|| source_vs.and_then(|v| v.networks.first().copied()));
    let Some(net) = network.map(|n| &t.network(n).name) else { return "none".to_string() };
    let StorageKind::Vsan(v) = &t.storage(target).kind else { return "—".to_string() };
    let target_cluster = t.cluster(v.cluster);
    let offered = target_cluster.vsphere().is_some_and(|tv| tv.networks.iter().any(|n| &t.network(*n).name == net));
    if offered {
        code(&port_group_name(&target_cluster.name, net))
    } else {
        format!("choose one ({} does not offer {})", code(&target_cluster.name), code(net))
    }
}

/// A link's kind as written in the table.
fn link_kind(k: LinkKind) -> &'static str {
    match k {
        LinkKind::DarkFiber => "dark fiber",
        LinkKind::Wan => "WAN",
        LinkKind::Vpn => "VPN",
        LinkKind::Internet => "internet",
    }
}
