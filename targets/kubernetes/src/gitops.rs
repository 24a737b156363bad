//! `gitops.yaml`: with `gitops`, an Argo CD `Application` (namespace
//! `argocd`, named after the cluster) that syncs this cluster from the
//! repository: the `path` given, else this cluster's output folder
//! (`SITE/CLUSTER/kubernetes`); automated sync with prune and self-heal,
//! server-side apply.

use crate::meta::meta;
use crate::Ctx;
use hybrid_emit::{json, Value};

/// The namespace Argo CD runs in.
pub const ARGOCD_NAMESPACE: &str = "argocd";

pub fn objects(ctx: &Ctx<'_>) -> Vec<Value> {
    let Some(g) = &ctx.k.gitops else { return Vec::new() };
    let name = &ctx.t.cluster(ctx.id).name;
    let path = g.path.clone().unwrap_or_else(|| ctx.dir.clone());
    vec![json!({
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": meta(ctx.t, name, ARGOCD_NAMESPACE, &[]),
        "spec": {
            "project": "default",
            "source": { "repoURL": &g.repo, "targetRevision": &g.revision, "path": path },
            "destination": { "server": "https://kubernetes.default.svc" },
            "syncPolicy": {
                "automated": { "prune": true, "selfHeal": true },
                "syncOptions": ["ServerSideApply=true"],
            },
        },
    })]
}
