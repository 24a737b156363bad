//! Where a vm is attached and where a workload's connections come from, as
//! a firewall outside its cluster sees them: the one definition that the
//! check of unknown sources (HY6011) and the targets that filter by address
//! (OpenStack security groups, NSX-T rules, the vSphere README) share.
//!
//! A vm on OpenStack or vSphere sits on its `network`, else its cluster's
//! first network, and connects from its IP `address` when it has one (the
//! OpenStack port's fixed IP; on vSphere the address the operator gives
//! it, which the mesh and the NetworkPolicies rely on too), else from
//! anywhere in that network. Everything on a Kubernetes cluster (pods, and KubeVirt
//! vms on the pod network) leaves the cluster with the address of its node,
//! on the cluster's `network` (the CNIs source-NAT traffic that leaves the
//! pod network by default); with `cni … mode=bgp` the pod network is routed
//! beyond the cluster, so the pods' own addresses (`pod-cidr`) count too.

use crate::{Address, ClusterId, CniMode, IpNet, Topology, Workload, WorkloadKind};

impl Topology {
    /// The address ranges a workload's connections come from, in placement
    /// order, without repeats (a vm outside Kubernetes with an IP `address`:
    /// that address alone); `Err` names the first cluster whose addresses
    /// the program does not give (a Kubernetes cluster without `network`,
    /// an OpenStack or vSphere cluster where the vm has none).
    pub fn source_ranges(&self, w: &Workload) -> Result<Vec<IpNet>, ClusterId> {
        let mut out: Vec<IpNet> = Vec::new();
        let mut add = |net: IpNet| {
            if !out.contains(&net) {
                out.push(net);
            }
        };
        if let WorkloadKind::Vm(v) = &w.kind {
            if self.clusters.get(v.placement.value.index()).and_then(|c| c.kubernetes()).is_none() {
                if let Some(Address::Ip(ip)) = v.address.as_ref().map(|a| &a.value) {
                    add(IpNet::from(*ip));
                    return Ok(out);
                }
                let n = self.vm_network(v).ok_or(v.placement.value)?;
                add(self.networks.get(n.index()).ok_or(v.placement.value)?.cidr.value);
                return Ok(out);
            }
        }
        for id in w.placement() {
            let k = self.clusters.get(id.index()).and_then(|c| c.kubernetes()).ok_or(id)?;
            let node_network = k.network.and_then(|n| self.networks.get(n.index())).ok_or(id)?;
            add(node_network.cidr.value);
            if k.cni.as_ref().and_then(|c| c.mode) == Some(CniMode::Bgp) {
                add(k.pod_cidr.value);
            }
        }
        Ok(out)
    }
}
