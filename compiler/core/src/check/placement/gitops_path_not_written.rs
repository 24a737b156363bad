//! HY7006 gitops-path-not-written: the Argo CD Application of a cluster
//! syncs the folder `hybridc build` writes for that cluster,
//! `OUT/SITE/CLUSTER/kubernetes`, where `out=` says where OUT sits in the
//! repository (its root by default). A written `path=` must name that
//! folder, and `out=` must be a folder inside the repository; anything
//! else points Argo CD at a folder the build never writes, and the
//! Application fails to sync ("app path does not exist") or syncs stale
//! files.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for id in t.cluster_ids() {
        let c = t.cluster(id);
        let Some(g) = c.kubernetes().and_then(|k| k.gitops.as_ref()) else { continue };
        if outside_repository(&g.out.value) {
            out.push(gitops_path_not_written(c, &g.out, None));
            continue;
        }
        let Some(path) = &g.path else { continue };
        let written = g.application_path(&t.kubernetes_dir(id));
        if normalize_repo_path(&path.value) != written {
            out.push(gitops_path_not_written(c, path, Some(&written)));
        }
    }
}

/// Whether a repository folder written as `out=` leaves the repository:
/// absolute, or climbing out with `..`.
fn outside_repository(out: &str) -> bool {
    out.starts_with('/') || out.split('/').any(|s| s == "..")
}

/// HY7006: `written` is the folder the build writes for the cluster when
/// `value` is a `path=`; `None` when `value` is an `out=` outside the
/// repository.
pub fn gitops_path_not_written(c: &Cluster, value: &Spanned<String>, written: Option<&str>) -> Diagnostic {
    let d = match written {
        Some(written) => Diagnostic::new(
            &codes::GITOPS_PATH_NOT_WRITTEN,
            format!(
                "the Application of `{}` would sync `{}`, but the build writes the cluster's files to `{written}`",
                c.name, value.value
            ),
            value.span,
            "not a folder the build writes",
        )
        .with_help(format!(
            "remove `path=\"{}\"`: the Application then syncs `{written}`; if OUT is not the repository's root, write where it is with `out=`, e.g. `out=\"deploy\"`",
            value.value
        )),
        None => Diagnostic::new(
            &codes::GITOPS_PATH_NOT_WRITTEN,
            format!("`out=\"{}\"` of `{}` is not a folder inside the repository", value.value, c.name),
            value.span,
            "outside the repository",
        )
        .with_help("write OUT's folder relative to the repository's root, e.g. `out=\"deploy\"`, or leave `out` out when OUT is the root"),
    };
    d.with_label(c.span, "the cluster whose files the Application syncs")
}
