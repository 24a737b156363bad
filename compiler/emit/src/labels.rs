//! The label keys (and their fixed values) that generated objects agree on
//! across targets, each written once: who writes it, who reads it. A target
//! never spells one of these keys itself; it names the constant.
//!
//! Keys that one target alone writes and reads for its own objects (the
//! GPU Operator's node labels, CSI parameters) stay in that target.

use crate::yaml::{object, Emit};
use crate::{Map, Str, Value};
use hybrid_model::{Topology, Workload};

/// Marks an object as generated. Written on every object and resource by
/// every target ([`common`]: Kubernetes and Istio labels, OpenStack
/// metadata and tags, vSphere annotations and descriptions), and on each
/// cluster's `kustomization.yaml`; read by the operator and by tools that
/// select what hybridc manages.
pub const MANAGED_BY: &str = "app.kubernetes.io/managed-by";
/// The value of [`MANAGED_BY`].
pub const MANAGED_BY_HYBRIDC: &str = "hybridc";

/// The topology an object was generated from. Written beside
/// [`MANAGED_BY`] by every target ([`common`]); read by the operator to
/// tell the objects of two programs apart. The vSphere target also tags
/// each vm with it in NSX-T (a tag of this scope), and its NSX groups
/// select their vms by it.
pub const TOPOLOGY: &str = "hybrid.dev/topology";

/// The workload a pod, a vm or a mesh object belongs to. Written by the
/// Kubernetes target on every workload's objects and pod templates; read
/// by the Kubernetes target's own selectors (Service, NetworkPolicy,
/// backups) and by the Istio target (AuthorizationPolicy selectors,
/// WorkloadEntry labels, ServiceEntry workload selectors, mesh objects'
/// labels). The vSphere target tags each vm with its name in NSX-T (a tag
/// of this scope), which its NSX groups select by.
pub const APP: &str = "app.kubernetes.io/name";

/// The service a pod belongs to, on the pods of a service Flagger rolls
/// out (`progressive`). Flagger's primary copies every label of the
/// service's pods but renames [`APP`] to `NAME-primary`, so this one is
/// what marks both. Written by the Kubernetes target beside [`APP`] on such
/// a service's Deployment and pods; read through [`pod_selector`] by every
/// selector of its pods (NetworkPolicies, AuthorizationPolicy,
/// PodDisruptionBudget, spread, backups, the EnvoyFilter of its rate
/// limit).
pub const WORKLOAD: &str = "hybrid.dev/workload";

/// The traffic version of a service's pods (`stable`, a canary's or a
/// variant's name: `Service::versions`). Written by the Kubernetes target on
/// each version's Deployment and pods; read by the Istio target's
/// DestinationRule subsets, so that every subset routes to real pods.
pub const VERSION: &str = "version";

/// The pool a node belongs to. Set on the nodes by whoever provisions a
/// pool (the book's Kubernetes page says so); read by the Kubernetes
/// target's node affinity for workloads pinned to pools or asking for GPUs.
pub const POOL: &str = "hybrid.dev/pool";

/// The `anti-affinity` group of a vm. Written by the Kubernetes target on
/// a KubeVirt vm's pod template and read by the pod anti-affinity of the
/// other vms of the group.
pub const ANTI_AFFINITY: &str = "hybrid.dev/anti-affinity";

/// The label Kubernetes puts on every namespace, its name. Read by the
/// Kubernetes target's NetworkPolicies to select a caller's namespace (an
/// `allow-from` caller's, the ingress gateway's); never written.
pub const NAMESPACE_NAME: &str = "kubernetes.io/metadata.name";

/// Istio's sidecar injection switch on a namespace. Written (with
/// [`ISTIO_INJECTION_ENABLED`]) by the Kubernetes target on every namespace
/// of a cluster with a mesh; read by Istio, whose target's objects (mTLS,
/// routing, authorization) only act on pods with a sidecar.
pub const ISTIO_INJECTION: &str = "istio-injection";
/// The value of [`ISTIO_INJECTION`] that turns injection on.
pub const ISTIO_INJECTION_ENABLED: &str = "enabled";

/// Istio's sidecar injection switch on one pod, which wins over its
/// namespace's [`ISTIO_INJECTION`]. Written (with [`SIDECAR_INJECT_OFF`]) by
/// the Kubernetes target on the pod templates of every job in a namespace
/// with injection: the sidecar never exits, so a job's pods would never
/// complete. Read by Istio's injector.
pub const SIDECAR_INJECT: &str = "sidecar.istio.io/inject";
/// The value of [`SIDECAR_INJECT`] that keeps the sidecar out.
pub const SIDECAR_INJECT_OFF: &str = "false";

/// The labels every generated object carries, in this order: [`MANAGED_BY`],
/// [`TOPOLOGY`], then the topology's own `label`s.
pub fn common(t: &Topology) -> Map {
    Labels::new(t).into_map()
}

/// The labels of one object: [`common`]'s, then the object's own. A key
/// given again keeps its first place and takes its last value, as an
/// insert into a [`Map`] does. Written in place by `yaml!` (one list of
/// borrowed pairs is all it allocates), or made a map to edit.
#[derive(Debug, Clone)]
pub struct Labels<'a> {
    entries: Vec<(&'a str, &'a str)>,
}

impl<'a> Labels<'a> {
    /// [`common`]'s alone.
    pub fn new(t: &'a Topology) -> Labels<'a> {
        Labels::with(t, &[])
    }

    /// [`common`]'s, then `own` in order.
    pub fn with(t: &'a Topology, own: &[(&'a str, &'a str)]) -> Labels<'a> {
        let mut entries = Vec::with_capacity(2 + t.labels.len() + own.len());
        let all = [(MANAGED_BY, MANAGED_BY_HYBRIDC), (TOPOLOGY, t.name.as_str())]
            .into_iter()
            .chain(t.labels.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .chain(own.iter().copied());
        for (key, value) in all {
            match entries.iter_mut().find(|(k, _)| *k == key) {
                Some((_, v)) => *v = value,
                None => entries.push((key, value)),
            }
        }
        Labels { entries }
    }

    /// As a map, to add to.
    pub fn into_map(self) -> Map {
        let mut m = Map::with_capacity(self.entries.len());
        for (k, v) in self.entries {
            m.insert(Str::from(k.to_string()), Value::from(v));
        }
        m
    }
}

impl Emit for Labels<'_> {
    #[inline]
    fn value(self, out: &mut String, indent: usize, explicit: bool) {
        object(self.entries).value(out, indent, explicit);
    }

    #[inline]
    fn item(self, out: &mut String, indent: usize) {
        object(self.entries).item(out, indent);
    }

    fn document(self, out: &mut String) {
        object(self.entries).document(out);
    }

    fn into_value(self) -> Value {
        Value::Object(self.into_map())
    }
}

impl From<Labels<'_>> for Value {
    fn from(labels: Labels<'_>) -> Value {
        labels.into_value()
    }
}

/// The labels that select a workload's pods wherever they run: [`APP`],
/// or [`WORKLOAD`] for a service Flagger rolls out (whose primary's pods
/// carry `APP: NAME-primary`).
pub fn pod_selector(w: &Workload) -> Map {
    let mut m = Map::with_capacity(1);
    m.insert(pod_selector_key(w), Value::from(w.name.clone()));
    m
}

/// The key of [`pod_selector`]'s one label.
pub fn pod_selector_key(w: &Workload) -> &'static str {
    if w.service().is_some_and(|s| s.progressive().is_some()) {
        WORKLOAD
    } else {
        APP
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_labels_come_first_then_the_programs() {
        let t = Topology { name: "shop".into(), labels: vec![("team".into(), "web".into())], ..Topology::default() };
        let labels = common(&t);
        let keys: Vec<(&str, &str)> =
            labels.iter().map(|(k, v)| (k.as_str(), v.as_str().unwrap_or_default())).collect();
        assert_eq!(keys, [(MANAGED_BY, "hybridc"), (TOPOLOGY, "shop"), ("team", "web")]);
    }

    #[test]
    fn a_label_given_again_keeps_its_place_and_takes_the_last_value() {
        let labels = vec![("team".into(), "web".into()), (APP.into(), "user".into()), ("team".into(), "api".into())];
        let t = Topology { name: "shop".into(), labels, ..Topology::default() };
        let own = [(APP, "cart"), (VERSION, "stable"), (TOPOLOGY, "other")];
        let mut expected = common(&t);
        for (k, v) in own {
            expected.insert(k, Value::from(v));
        }
        let labels = Labels::with(&t, &own);
        let mut written = crate::yaml::Documents::new();
        written.push(labels.clone());
        assert_eq!(written.finish(), crate::yaml::documents(&[Value::Object(expected.clone())]));
        assert_eq!(labels.into_map(), expected);
        let keys: Vec<String> =
            expected.iter().map(|(k, v)| format!("{}={}", k.as_str(), v.as_str().unwrap_or_default())).collect();
        assert_eq!(
            keys,
            [
                format!("{MANAGED_BY}=hybridc"),
                format!("{TOPOLOGY}=other"),
                "team=api".into(),
                format!("{APP}=cart"),
                format!("{VERSION}=stable")
            ]
        );
    }
}
