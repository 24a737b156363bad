//! What carries a `replication` between two sites, and the best recovery
//! point it can deliver: the one place these facts are written (the
//! checker's HY3011, `hybridc simulate` and the targets' text all read
//! them from here).
//!
//! * vSAN to vSAN is vSphere Replication: asynchronous, with an RPO of
//!   5 minutes to 24 hours (vSphere Replication administration guide, "How
//!   the 5 Minute Recovery Point Objective Works"; VMware's reference
//!   architectures: "a Recovery Point Objective of five minutes to 24
//!   hours").
//! * Ceph pool to Ceph pool is Ceph RBD mirroring: asynchronous in both of
//!   its modes (Ceph's RBD mirroring guide: "RBD images can be
//!   asynchronously mirrored between two Ceph clusters"). The output
//!   configures snapshot-based mirroring, whose schedule is written in
//!   whole minutes, days or hours (`rbd mirror snapshot schedule add …
//!   INTERVAL`, `d`, `h` or `m`): one minute at best.
//!
//! Neither can keep an RPO of zero. What can is named by
//! [`ReplicationMechanism::zero_rpo_way`].

use crate::{Replication, ReplicationMode, StorageKind, Topology};
use std::time::Duration;

/// The mechanism that realises a replication between two sites.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplicationMechanism {
    /// vSAN to vSAN.
    VsphereReplication,
    /// Ceph pool to Ceph pool.
    RbdMirroring,
}

impl ReplicationMechanism {
    /// Its name, as messages and the generated text write it.
    pub fn name(self) -> &'static str {
        match self {
            ReplicationMechanism::VsphereReplication => "vSphere Replication",
            ReplicationMechanism::RbdMirroring => "Ceph RBD mirroring",
        }
    }

    /// The lowest RPO it can deliver (it is asynchronous: never zero).
    pub fn best_rpo(self) -> Duration {
        match self {
            ReplicationMechanism::VsphereReplication => Duration::from_secs(5 * 60),
            ReplicationMechanism::RbdMirroring => Duration::from_secs(60),
        }
    }

    /// The mode it runs in, whatever the program promised: both
    /// mechanisms are asynchronous.
    pub fn mode(self) -> ReplicationMode {
        ReplicationMode::Async
    }

    /// How the same data gets an RPO of zero instead.
    pub fn zero_rpo_way(self) -> &'static str {
        match self {
            ReplicationMechanism::VsphereReplication => {
                "a vSAN stretched cluster (the hosts of both sites in one cluster, a witness host in a third site)"
            }
            ReplicationMechanism::RbdMirroring => {
                "a stretched Ceph cluster (one cluster over both sites, an arbiter monitor in a third site)"
            }
        }
    }
}

impl Topology {
    /// What carries `r`: none when its pools are in one site or of two
    /// kinds (HY3003 and HY3009 refuse those).
    pub fn replication_mechanism(&self, r: &Replication) -> Option<ReplicationMechanism> {
        let (from, to) = (self.storage(r.from.value), self.storage(r.to.value));
        if from.site == to.site {
            return None;
        }
        match (&from.kind, &to.kind) {
            (StorageKind::Vsan(_), StorageKind::Vsan(_)) => Some(ReplicationMechanism::VsphereReplication),
            (StorageKind::Ceph(_), StorageKind::Ceph(_)) => Some(ReplicationMechanism::RbdMirroring),
            _ => None,
        }
    }

    /// The RPO the output delivers for `r`: the promised one, or the
    /// mechanism's best when the promise is below it (a synchronous
    /// replication included: its mechanism is asynchronous).
    pub fn delivered_rpo(&self, r: &Replication) -> Duration {
        match self.replication_mechanism(r) {
            Some(m) => r.rpo.value.max(m.best_rpo()),
            None => r.rpo.value,
        }
    }

    /// The mode the output runs `r` in: its mechanism's, or the promised
    /// one when no mechanism carries it.
    pub fn delivered_mode(&self, r: &Replication) -> ReplicationMode {
        self.replication_mechanism(r).map_or(r.mode.value, ReplicationMechanism::mode)
    }
}
