//! `gitops.yaml`: with `gitops`, an Argo CD `Application` (namespace
//! `argocd`, named after the cluster) that syncs this cluster from the
//! repository: the folder the build writes for it, `OUT/SITE/CLUSTER/kubernetes`
//! where `out=` says where OUT sits in the repository (the checker holds a
//! written `path=` to the same folder); automated sync with prune and
//! self-heal, server-side apply.
//!
//! Self-heal must not undo what another owner does to a replica count: an
//! autoscaler scaling its target, an operator scaling a passive copy up
//! to fail over. Those counts (`service::replicas_not_from_git`) are listed
//! in `ignoreDifferences` and kept on sync (`RespectIgnoreDifferences`),
//! as Argo CD's "Diffing Customization" describes; the repository's count
//! is applied only when the object is created.

use crate::meta::meta;
use crate::{service, Ctx};
use hybrid_emit::{json, key, Value};

/// The namespace Argo CD runs in.
pub const ARGOCD_NAMESPACE: &str = "argocd";

/// The JSON pointer of a pod set's replica count.
const REPLICAS: &str = "/spec/replicas";

pub fn objects(ctx: &Ctx<'_>) -> Vec<Value> {
    let Some(g) = &ctx.k.gitops else { return Vec::new() };
    let name = &ctx.t.cluster(ctx.id).name;
    let ignored = ignored_replicas(ctx);
    let mut sync_options = vec![json!("ServerSideApply=true")];
    let mut spec = json!({
        "project": "default",
        "source": { "repoURL": &g.repo, "targetRevision": &g.revision, "path": g.application_path(&ctx.dir) },
        "destination": { "server": "https://kubernetes.default.svc" },
    });
    if !ignored.is_empty() {
        sync_options.push(json!("RespectIgnoreDifferences=true"));
        if let Some(m) = spec.as_object_mut() {
            m.insert(key!("ignoreDifferences"), Value::Array(ignored));
        }
    }
    if let Some(m) = spec.as_object_mut() {
        m.insert(
            "syncPolicy",
            json!({ "automated": { "prune": true, "selfHeal": true }, "syncOptions": sync_options }),
        );
    }
    vec![json!({
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": meta(ctx.t, name, ARGOCD_NAMESPACE, &[]),
        "spec": spec,
    })]
}

/// One `ignoreDifferences` entry per pod set of this cluster whose replica
/// count is not the repository's, in program order.
fn ignored_replicas(ctx: &Ctx<'_>) -> Vec<Value> {
    let mut out = Vec::new();
    for w in ctx.t.placed_on(ctx.id) {
        let Some(s) = w.service() else { continue };
        for (kind, object) in service::replicas_not_from_git(ctx, w, s) {
            out.push(json!({
                "group": "apps",
                "kind": kind,
                "name": object,
                "namespace": &s.namespace,
                "jsonPointers": [REPLICAS],
            }));
        }
    }
    out
}
