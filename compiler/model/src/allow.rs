//! The program's `allow-from` graph as one set of edges: who may call
//! whom, on which port. Every target that filters traffic by caller — the
//! Kubernetes NetworkPolicies, the Istio AuthorizationPolicies, the
//! OpenStack security groups, the NSX-T distributed firewall of a vSphere
//! cluster — reads a workload's callers from [`Topology::allowed_callers`],
//! so that each platform admits the same edges.
//!
//! A workload's callers are its `allow-from` workloads, in the order
//! written, without repeats. A vm naming itself (a profile shared by a
//! group of vms) is not its own caller: its own traffic never crosses its
//! firewall. A service naming itself is: its replicas call each other over
//! the network.

use crate::{Port, Topology, WorkloadId, WorkloadKind};

/// One allowed call: `caller` may open connections to `callee` on TCP
/// `port` (`None`: every TCP port, for a workload without ports).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AllowedEdge {
    pub caller: WorkloadId,
    pub callee: WorkloadId,
    pub port: Option<u16>,
}

impl Topology {
    /// The workloads `callee` admits (its `allow-from`, see the module
    /// doc); empty when it names none, and then nothing filters by caller.
    pub fn allowed_callers(&self, callee: WorkloadId) -> Vec<WorkloadId> {
        let Some(w) = self.workloads.get(callee.index()) else { return Vec::new() };
        let (allow_from, is_vm) = match &w.kind {
            WorkloadKind::Service(s) => (&s.allow_from, false),
            WorkloadKind::Vm(v) => (&v.allow_from, true),
            WorkloadKind::Job(_) => return Vec::new(),
        };
        let mut out: Vec<WorkloadId> = Vec::new();
        // A vm's own traffic never crosses its firewall.
        let own = |caller: WorkloadId| is_vm && caller == callee;
        for caller in allow_from.iter().map(|c| c.value).filter(|c| !own(*c)) {
            if !out.contains(&caller) {
                out.push(caller);
            }
        }
        out
    }

    /// Every allowed edge of the program, by callee in declaration order,
    /// then caller, then port.
    pub fn allowed_edges(&self) -> Vec<AllowedEdge> {
        let mut out = Vec::new();
        for (i, w) in self.workloads.iter().enumerate() {
            let callee = WorkloadId::from_index(i);
            let ports: &[Port] = match &w.kind {
                WorkloadKind::Service(s) => &s.ports,
                WorkloadKind::Vm(v) => &v.ports,
                WorkloadKind::Job(_) => continue,
            };
            for caller in self.allowed_callers(callee) {
                if ports.is_empty() {
                    out.push(AllowedEdge { caller, callee, port: None });
                }
                for p in ports {
                    out.push(AllowedEdge { caller, callee, port: Some(p.number) });
                }
            }
        }
        out
    }
}
