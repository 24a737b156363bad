//! `hybridc build`, `hybridc build --check` and `hybridc diff`: compile,
//! render every selected target into one in-memory tree, add each cluster's
//! `kustomization.yaml` and the `hybrid-manifest.json`, then write the tree
//! atomically (see `write`) or compare it with OUT (see `diff`). Any error —
//! in the program, a clash between targets, an unmanaged file in the way —
//! leaves OUT exactly as it was.

use crate::report::Reporter;
use crate::write::{self, WriteError};
use crate::{diff, diff_render};
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
    render_with_input(t, targets, opts, None)
}

/// [`render`], with the manifest recording the input's fingerprint (see
/// [`fingerprint`]) so that the next build of the same input can skip
/// rendering.
pub fn render_with_input(t: &Topology, targets: &[&dyn Target], opts: &EmitOptions, input: Option<&str>) -> OutputTree {
    let mut tree = OutputTree::new();
    for target in targets {
        target.emit(t, opts, &mut tree);
    }
    assemble_kustomizations(t, &mut tree);
    let m = manifest::render_with_input(&t.name, env!("CARGO_PKG_VERSION"), input, &tree);
    tree.add(MANIFEST, m);
    tree
}

/// The fingerprint of what a build reads: this compiler, the targets and
/// options, every source text in load order.
pub fn fingerprint(sources: &hybrid_diagnostics::SourceMap, targets: &[&dyn Target], opts: &EmitOptions) -> String {
    let names: Vec<&str> = targets.iter().map(|t| t.name()).collect();
    let selection = format!("targets={};openstack={}", names.join(","), opts.openstack.join(","));
    manifest::input_fingerprint(env!("CARGO_PKG_VERSION"), &selection, sources.files().map(|(_, f)| f.text.as_str()))
}

/// What a command needs: the selected targets and output options.
pub struct Request<'a> {
    pub path: &'a Path,
    pub out: &'a Path,
    pub targets: &'a [String],
    pub opts: &'a EmitOptions,
    pub deny_warnings: bool,
}

/// Compiles and renders; `Err(exit code)` when there is nothing to render.
fn compiled_tree(req: &Request<'_>, reporter: &mut Reporter) -> Result<(String, OutputTree), u8> {
    match compiled(req, reporter, false)? {
        Compiled::Rendered(name, tree) => Ok((name, tree)),
        // Not asked for: `up_to_date` is false.
        Compiled::UpToDate(..) => Err(2),
    }
}

enum Compiled {
    Rendered(String, OutputTree),
    /// OUT already holds this input's output: the topology's name and the
    /// number of files.
    UpToDate(String, usize),
}

/// Compiles, then renders — unless `up_to_date` is allowed and OUT's
/// manifest records this very input with every file it lists unchanged.
fn compiled(req: &Request<'_>, reporter: &mut Reporter, up_to_date: bool) -> Result<Compiled, u8> {
    let selected = targets(req.targets).map_err(|e| {
        reporter.fatal(&e);
        2
    })?;
    let compilation = crate::compile_reported(req.path, reporter, req.deny_warnings)?;
    let Some(t) = compilation.topology.as_ref() else { return Err(1) };
    let input = fingerprint(&compilation.sources, &selected, req.opts);
    if up_to_date {
        if let Some(files) = write::up_to_date(req.out, &input) {
            return Ok(Compiled::UpToDate(t.name.clone(), files));
        }
    }
    let tree = render_with_input(t, &selected, req.opts, Some(&input));
    let clashes = tree.clashes();
    if !clashes.is_empty() {
        reporter.fatal(&format!("internal error: two targets wrote {}; nothing was written", clashes.join(", ")));
        return Err(2);
    }
    Ok(Compiled::Rendered(t.name.clone(), tree))
}

/// `hybridc build`: writes OUT and prints what changed, object by object.
pub fn build(req: &Request<'_>, reporter: &mut Reporter) -> u8 {
    if let Err(e) = write::refuse_out_holding(req.out, req.path) {
        reporter.fatal(&format!("{e}; nothing was written"));
        return 2;
    }
    let (name, tree) = match compiled(req, reporter, true) {
        Ok(Compiled::Rendered(name, tree)) => (name, tree),
        Ok(Compiled::UpToDate(name, files)) => {
            write::clean_stale(req.out);
            reporter.success(&format!("built `{name}` into {}: no change ({files} files)", req.out.display()));
            return 0;
        }
        Err(code) => return code,
    };
    if req.out.exists() && !req.out.is_dir() {
        reporter.fatal(&format!("{}; nothing was written", WriteError::NotADirectory(req.out.to_path_buf())));
        return 2;
    }
    let report = diff::compare_summary(req.out, &tree);
    let written = if report.unmanaged.is_empty() {
        write::write_planned(req.out, &tree, planned(&report))
    } else {
        Err(WriteError::Unmanaged(report.unmanaged.clone()))
    };
    match written {
        Ok(changes) => {
            if !report.is_empty() {
                reporter.info(diff_render::summary_capped(&report, SUMMARY_LINES).trim_end());
            }
            let out = req.out.display();
            let summary = if !changes.written {
                format!("built `{name}` into {out}: no change ({} files)", changes.unchanged)
            } else {
                format!(
                    "built `{name}` into {out}: {} files added, {} changed, {} removed, {} unchanged",
                    changes.added.len(),
                    changes.changed.len(),
                    changes.removed.len(),
                    changes.unchanged
                )
            };
            reporter.success(&summary);
            0
        }
        Err(e) => {
            reporter.fatal(&format!("{e}; nothing was written"));
            2
        }
    }
}

/// How many objects `hybridc build` lists before it only counts them
/// (`hybridc diff` lists every one).
const SUMMARY_LINES: usize = 200;

/// The write plan of a comparison: the same files, by kind.
fn planned(report: &diff::Report) -> write::Changes {
    let mut changes = write::Changes { unchanged: report.unchanged, ..Default::default() };
    for f in &report.files {
        let list = match f.kind {
            diff::Kind::Added => &mut changes.added,
            diff::Kind::Changed => &mut changes.changed,
            diff::Kind::Removed => &mut changes.removed,
        };
        list.push(f.path.clone());
    }
    changes
}

/// `hybridc build --check`: exit 1 with the summary when OUT is stale,
/// edited by hand or missing files; writes nothing.
pub fn check_out(req: &Request<'_>, reporter: &mut Reporter) -> u8 {
    let (name, tree) = match compiled_tree(req, reporter) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let report = diff::compare(req.out, &tree);
    let out = req.out.display();
    if report.is_empty() {
        for p in &report.foreign {
            reporter.info(&format!("? {p}: not generated by hybridc (left alone)"));
        }
        reporter.success(&format!("`{name}`: {out} is up to date ({} files)", report.unchanged));
        0
    } else {
        reporter.info(diff_render::summary(&report).trim_end());
        reporter.fatal(&format!("{out} is not what `{name}` compiles to; run `hybridc build` and commit the result"));
        1
    }
}

/// `hybridc diff`: 0 no change, 1 changes, 2 the program has errors (or
/// cannot be read). Writes nothing.
pub fn diff(req: &Request<'_>, format: crate::DiffFormat, stat: bool) -> u8 {
    use std::io::{IsTerminal, Write};
    let mut reporter = Reporter::stdio(crate::report::Format::Human);
    let Ok((_, tree)) = compiled_tree(req, &mut reporter) else { return 2 };
    let report = diff::compare(req.out, &tree);
    let text = match format {
        crate::DiffFormat::Json => serde_json::to_string_pretty(&diff_render::json(&report)).unwrap_or_default() + "\n",
        crate::DiffFormat::Markdown => diff_render::markdown(&report),
        crate::DiffFormat::Human => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            let mut s = diff_render::summary(&report);
            if !stat && !report.is_empty() {
                s.push('\n');
                s.push_str(&diff_render::text_diffs(&report, color));
            }
            s
        }
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    u8::from(!report.is_empty())
}
