//! `hybridc build`: compile, render every selected target into one
//! in-memory tree, add each cluster's `kustomization.yaml` and the
//! `hybrid-manifest.json`, then write the tree atomically (see `write`).
//! Any error — in the program, a clash between targets, an unmanaged file
//! in the way — leaves OUT exactly as it was.

use crate::report::Reporter;
use crate::write::{self, WriteError};
use hybrid_emit::manifest::{self, MANIFEST};
use hybrid_emit::{assemble_kustomizations, EmitOptions, OutputTree, Target};
use hybrid_model::Topology;
use std::path::Path;

/// Every target, in output order.
pub static TARGETS: &[&dyn Target] = &[
    &hybrid_target_kubernetes::KubernetesTarget,
    &hybrid_target_istio::IstioTarget,
    &hybrid_target_openstack::OpenStackTarget,
    &hybrid_target_vsphere::VSphereTarget,
];

/// The targets named by `--target` (all when empty); `Err` lists unknown names.
pub fn targets(names: &[String]) -> Result<Vec<&'static dyn Target>, String> {
    if names.is_empty() {
        return Ok(TARGETS.to_vec());
    }
    let mut out = Vec::new();
    for n in names {
        match TARGETS.iter().find(|t| t.name() == n.trim()) {
            Some(t) => out.push(*t),
            None => {
                let known: Vec<&str> = TARGETS.iter().map(|t| t.name()).collect();
                return Err(format!(
                    "unknown target `{n}`; the targets are {}",
                    hybrid_diagnostics::join_quoted(&known)
                ));
            }
        }
    }
    Ok(out)
}

/// The whole output tree of a topology: every target's files, the
/// kustomizations and the manifest. Pure and deterministic.
pub fn render(t: &Topology, targets: &[&dyn Target], opts: &EmitOptions) -> OutputTree {
    let mut tree = OutputTree::new();
    for target in targets {
        target.emit(t, opts, &mut tree);
    }
    assemble_kustomizations(t, &mut tree);
    let m = manifest::render(&t.name, env!("CARGO_PKG_VERSION"), &tree);
    tree.add(MANIFEST, m);
    tree
}

pub fn build(
    path: &Path,
    out: &Path,
    names: &[String],
    opts: &EmitOptions,
    reporter: &mut Reporter,
    deny_warnings: bool,
) -> u8 {
    let selected = match targets(names) {
        Ok(t) => t,
        Err(e) => {
            reporter.fatal(&e);
            return 2;
        }
    };
    let compilation = match crate::compile_reported(path, reporter, deny_warnings) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let Some(t) = compilation.topology.as_ref() else { return 1 };
    let tree = render(t, &selected, opts);
    let clashes = tree.clashes();
    if !clashes.is_empty() {
        reporter.fatal(&format!("internal error: two targets wrote {}; nothing was written", clashes.join(", ")));
        return 2;
    }
    match write::write(out, &tree) {
        Ok(changes) => {
            for p in &changes.added {
                reporter.info(&format!("  + {p}"));
            }
            for p in &changes.changed {
                reporter.info(&format!("  ~ {p}"));
            }
            for p in &changes.removed {
                reporter.info(&format!("  - {p}"));
            }
            let summary = if !changes.written {
                format!("built `{}` into {}: no change ({} files)", t.name, out.display(), changes.unchanged)
            } else {
                format!(
                    "built `{}` into {}: {} added, {} changed, {} removed, {} unchanged",
                    t.name,
                    out.display(),
                    changes.added.len(),
                    changes.changed.len(),
                    changes.removed.len(),
                    changes.unchanged
                )
            };
            reporter.success(&summary);
            0
        }
        Err(e @ WriteError::Unmanaged(_)) | Err(e @ WriteError::NotADirectory(_)) | Err(e @ WriteError::Io(..)) => {
            reporter.fatal(&format!("{e}; nothing was written"));
            2
        }
    }
}
