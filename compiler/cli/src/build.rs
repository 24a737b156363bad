//! `hybridc build`, `hybridc build --check` and `hybridc diff`: compile,
//! render every selected target into one in-memory tree, add each cluster's
//! `kustomization.yaml` and the `hybrid-manifest.json`, then write the tree
//! atomically (see `write`) or compare it with OUT (see `diff`). Any error —
//! in the program, a clash between targets, an unmanaged file in the way —
//! leaves OUT exactly as it was. The sources are freed before rendering
//! (each workload's declaration found first, `declared`), the topology as
//! soon as every target has emitted: what follows reads only the tree and
//! the program's name and labels ([`Assembly`]).

use crate::report::Reporter;
use crate::write::{self, WriteError};
use crate::{declared, diff, diff_markdown, diff_render};
use hybrid_diagnostics::{codes, PathDiagnostic};
use hybrid_emit::manifest::{self, MANIFEST};
use hybrid_emit::{assemble_kustomizations, labels, EmitOptions, Map, OutputTree, Target};
use hybrid_model::Topology;
use std::path::Path;

/// Every target, in output order.
pub static TARGETS: &[&dyn Target] = &[
    &hybrid_target_kubernetes::KubernetesTarget,
    &hybrid_target_istio::IstioTarget,
    &hybrid_target_openstack::OpenStackTarget,
    &hybrid_target_vsphere::VSphereTarget,
];

/// The targets named by `--target` (all when empty); `Err` is HY8008 for
/// the first unknown name.
pub fn targets(names: &[String]) -> Result<Vec<&'static dyn Target>, PathDiagnostic> {
    if names.is_empty() {
        return Ok(TARGETS.to_vec());
    }
    let mut out = Vec::new();
    for n in names {
        match TARGETS.iter().find(|t| t.name() == n.trim()) {
            Some(t) => out.push(*t),
            None => {
                let known: Vec<&str> = TARGETS.iter().map(|t| t.name()).collect();
                let d = PathDiagnostic::new(
                    &codes::UNKNOWN_TARGET,
                    format!("unknown target `{n}`; the targets are {}", hybrid_diagnostics::join_quoted(&known)),
                    "--target",
                );
                return Err(match hybrid_diagnostics::did_you_mean(n.trim(), known.iter().copied()) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_help("leave `--target` out to build every target"),
                });
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
    let (mut tree, assembly) = emit(t, targets, opts, &mut |_, _| {});
    assembly.finish(&mut tree, targets, input);
    tree
}

/// [`render_with_input`] of a topology it frees once every target has
/// emitted, as `hybridc build` renders.
pub fn render_freeing(t: Topology, targets: &[&dyn Target], opts: &EmitOptions, input: Option<&str>) -> OutputTree {
    render_telling(t, targets, opts, input, &mut |_, _| {})
}

/// [`render_freeing`], telling `on_target` the index and name of each
/// target before it renders (the progress line). The topology is freed
/// once every target has emitted: the rest reads only the tree and the
/// [`Assembly`].
fn render_telling(
    t: Topology,
    targets: &[&dyn Target],
    opts: &EmitOptions,
    input: Option<&str>,
    on_target: &mut dyn FnMut(usize, &str),
) -> OutputTree {
    let (mut tree, assembly) = emit(&t, targets, opts, on_target);
    drop(t);
    assembly.finish(&mut tree, targets, input);
    tree
}

/// Every target's files, the program's overrides applied, and what the
/// rest of the assembly reads of the topology.
fn emit(
    t: &Topology,
    targets: &[&dyn Target],
    opts: &EmitOptions,
    on_target: &mut dyn FnMut(usize, &str),
) -> (OutputTree, Assembly) {
    let mut tree = OutputTree::new();
    for (i, target) in targets.iter().enumerate() {
        on_target(i, target.name());
        target.emit(t, opts, &mut tree);
    }
    // Reported when the program was compiled (`overrides::compile`).
    let _findings = hybrid_emit::overrides::apply(&mut tree, &t.overrides);
    (tree, Assembly::of(t))
}

/// What follows the targets' emission: the overrides applied, the
/// kustomizations, the prerequisites files, the manifest.
pub fn assemble(t: &Topology, tree: &mut OutputTree, targets: &[&dyn Target], input: Option<&str>) {
    // Reported when the program was compiled (`overrides::compile`).
    let _findings = hybrid_emit::overrides::apply(tree, &t.overrides);
    Assembly::of(t).finish(tree, targets, input);
}

/// What the assembly after the overrides reads of the topology: its name
/// (the manifest's) and the labels every object carries (the
/// kustomizations').
#[derive(Debug)]
struct Assembly {
    name: String,
    labels: Map,
}

impl Assembly {
    fn of(t: &Topology) -> Self {
        Assembly { name: t.name.clone(), labels: labels::common(t) }
    }

    /// The kustomizations, the prerequisites files, the manifest.
    fn finish(&self, tree: &mut OutputTree, targets: &[&dyn Target], input: Option<&str>) {
        assemble_kustomizations(&self.labels, tree, targets);
        hybrid_emit::prerequisites::assemble(tree);
        let m = manifest::render_with_input(&self.name, env!("CARGO_PKG_VERSION"), input, tree);
        tree.add(MANIFEST, m);
    }
}

/// The fingerprint of what a build reads: this compiler, the targets and
/// options, every source text in load order.
pub fn fingerprint(sources: &hybrid_diagnostics::SourceMap, targets: &[&dyn Target], opts: &EmitOptions) -> String {
    let names: Vec<&str> = targets.iter().map(|t| t.name()).collect();
    let selection = format!("targets={};openstack={}", names.join(","), opts.openstack.join(","));
    manifest::input_fingerprint(env!("CARGO_PKG_VERSION"), &selection, sources.files().map(|(_, f)| &*f.text))
}

/// What a command needs: the selected targets and output options.
#[derive(Debug)]
pub struct Request<'a> {
    pub path: &'a Path,
    pub out: &'a Path,
    pub targets: &'a [String],
    pub opts: &'a EmitOptions,
    pub deny_warnings: bool,
    /// `build`: wait for another build of OUT to finish (else HY8005).
    pub wait: bool,
}

/// The exit code of a build that wrote OUT (or found it up to date) but
/// left the previous tree beside it (HY8007).
pub const EXIT_LEFT_BEHIND: u8 = 3;

/// Compiles an error-free program for the selected targets; `Err(exit
/// code)` when there is nothing to render.
fn compile_for(
    req: &Request<'_>,
    reporter: &mut Reporter,
) -> Result<(hybrid_core::Compilation, Vec<&'static dyn Target>), u8> {
    let selected = targets(req.targets).map_err(|d| {
        reporter.problem(&d);
        2
    })?;
    let compilation = crate::compile_reported(req.path, reporter, req.deny_warnings)?;
    if compilation.topology.is_none() {
        return Err(1);
    }
    Ok((compilation, selected))
}

/// Renders, freeing the topology once the targets have emitted; refuses a
/// tree in which two targets wrote one path.
fn render_checked(
    t: Topology,
    selected: &[&dyn Target],
    req: &Request<'_>,
    input: &str,
    reporter: &mut Reporter,
) -> Result<OutputTree, u8> {
    let n = selected.len();
    let tree = render_telling(t, selected, req.opts, Some(input), &mut |i, name| {
        reporter.stage(format!("rendering {name}, target {} of {n}", i + 1));
    });
    let clashes = tree.clashes();
    if !clashes.is_empty() {
        reporter.problem(
            &PathDiagnostic::new(
                &codes::INTERNAL_ERROR,
                format!(
                    "internal error: two targets wrote {}; nothing was written",
                    hybrid_diagnostics::join_quoted(&clashes)
                ),
                req.out.display().to_string(),
            )
            .with_help("this is a bug in hybridc; please report it with the program that triggers it"),
        );
        return Err(2);
    }
    Ok(tree)
}

/// Compiles, renders and compares with OUT (`build --check`, `diff`): the
/// program's name and the report, its objects linked to their
/// declarations; `Err(exit code)` when there is nothing to render.
fn compared(req: &Request<'_>, reporter: &mut Reporter) -> Result<(String, diff::Report), u8> {
    reporter.stage(format!("checking {}", req.path.display()));
    let verifying = write::Verifying::start(req.out);
    let (compilation, selected) = compile_for(req, reporter)?;
    let hybrid_core::Compilation { topology: Some(t), sources, .. } = compilation else { return Err(1) };
    let input = fingerprint(&sources, &selected, req.opts);
    // Built from this very input and untouched since: nothing to render.
    if let Some(files) = verifying.finish(&input) {
        return Ok((t.name, diff::all_unchanged(req.out, files)));
    }
    let name = t.name.clone();
    let declarations = declared::Declarations::new(&t, &sources, req.path);
    // The sources are read by nothing that follows.
    drop(sources);
    let tree = render_checked(t, &selected, req, &input, reporter)?;
    reporter.stage(format!("comparing {} files with {}", tree.files().count(), req.out.display()));
    let mut report = diff::compare(req.out, &tree);
    report.declare(|path| declarations.of(&tree, path));
    Ok((name, report))
}

/// `hybridc build`: writes OUT and prints what changed, object by object.
/// Holds OUT's lock from the compiled program to the exchange: what it
/// reads of OUT while the program compiles stands only if no build
/// replaced OUT meanwhile ([`write::Verifying`]), everything else is read
/// under the lock.
pub fn build(req: &Request<'_>, reporter: &mut Reporter) -> u8 {
    let fail = |reporter: &mut Reporter, e: WriteError| {
        reporter.problem(&e.diagnostic(req.out));
        2
    };
    if let Err(e) = write::refuse_out_holding(req.out, req.path) {
        return fail(reporter, e);
    }
    reporter.stage(format!("checking {}", req.path.display()));
    // OUT is checked against its manifest while the program compiles.
    let verifying = write::Verifying::start(req.out);
    let (compilation, selected) = match compile_for(req, reporter) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let hybrid_core::Compilation { topology: Some(t), sources, .. } = compilation else { return 1 };
    let name = t.name.clone();
    let out = req.out.display();
    let waiting = |pid: Option<u32>| {
        let by = pid.map(|p| format!(" by process {p}")).unwrap_or_default();
        format!("waiting for the build of {out}{by} to finish (`--no-wait` fails instead)")
    };
    let lock = match write::lock(req.out, req.wait, &mut |pid| reporter.info(&waiting(pid))) {
        Ok(l) => l,
        Err(e) => return fail(reporter, e),
    };
    let input = fingerprint(&sources, &selected, req.opts);
    if let Some(files) = verifying.finish_locked(req.out, &input, &lock) {
        reporter.success(&format!("built `{name}` into {out}: no change ({} files)", files.len()));
        say_prerequisites(reporter, req.out, files.iter().map(String::as_str));
        return left_behind(reporter, write::clean_stale(req.out));
    }
    let declarations = declared::Declarations::new(&t, &sources, req.path);
    // The sources are read by nothing that follows.
    drop(sources);
    let tree = match render_checked(t, &selected, req, &input, reporter) {
        Ok(tree) => tree,
        Err(code) => return code,
    };
    if let Err(e) = write::place(req.out) {
        return fail(reporter, e);
    }
    reporter.stage(format!("comparing {} files with {out}", tree.files().count()));
    let mut report = diff::compare_summary(req.out, &tree, SUMMARY_LINES);
    report.declare(|path| declarations.of(&tree, path));
    let written = if !report.links.is_empty() {
        Err(WriteError::Links(report.links.clone()))
    } else if !report.unmanaged.is_empty() {
        Err(WriteError::Unmanaged(report.unmanaged.clone()))
    } else {
        let files = reporter.count(format!("writing into {out}"), tree.files().count());
        write::write_planned_telling(req.out, &tree, planned(&report), &|| files.one())
    };
    match written {
        Ok(changes) => {
            if !report.is_empty() {
                reporter.info(diff_render::summary_capped(&report, SUMMARY_LINES).trim_end());
            }
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
            say_prerequisites(reporter, req.out, tree.files().map(|(p, _)| p));
            left_behind(reporter, changes.left_behind)
        }
        Err(e) => fail(reporter, e),
    }
}

/// Where each cluster's prerequisites are, after a build: what the
/// platform must provide before the files are applied.
fn say_prerequisites<'a>(reporter: &mut Reporter, out: &Path, paths: impl IntoIterator<Item = &'a str>) {
    let readme = format!("/{}", hybrid_emit::prerequisites::README);
    let files: Vec<String> =
        paths.into_iter().filter(|p| p.ends_with(&readme)).map(|p| out.join(p).display().to_string()).collect();
    match files.as_slice() {
        [] => {}
        [one] => reporter.info(&format!("before applying, provide what {one} lists")),
        many => {
            let shown: Vec<&str> = many.iter().take(5).map(String::as_str).collect();
            let more = if many.len() > 5 { format!(" and {} more", many.len() - 5) } else { String::new() };
            reporter.info(&format!(
                "before applying, provide what each cluster's {} lists: {}{more}",
                hybrid_emit::prerequisites::README,
                shown.join(", ")
            ));
        }
    }
}

/// Warns of a previous tree left beside OUT (HY8007): exit code 3, else 0.
fn left_behind(reporter: &mut Reporter, left: Option<(std::path::PathBuf, String)>) -> u8 {
    match left {
        Some((dir, why)) => {
            reporter.problem(&write::left_behind_warning(&dir, &why));
            EXIT_LEFT_BEHIND
        }
        None => 0,
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
    let (name, report) = match compared(req, reporter) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let out = req.out.display();
    if report.is_empty() {
        for p in &report.foreign {
            reporter.info(&format!("? {p}: not generated by hybridc (left alone)"));
        }
        reporter.success(&format!("`{name}`: {out} is up to date ({} files)", report.unchanged));
        0
    } else {
        reporter.info(diff_render::summary(&report).trim_end());
        reporter.problem(
            &PathDiagnostic::new(
                &codes::STALE_OUTPUT,
                format!("`{out}` is not what `{name}` compiles to"),
                out.to_string(),
            )
            .with_help(format!("run `hybridc build {} --out {out}` and commit the result", req.path.display())),
        );
        1
    }
}

/// `hybridc diff`: 0 no change, 1 changes, 2 the program has errors (or
/// cannot be read). Writes nothing.
pub fn diff(
    req: &Request<'_>,
    format: crate::DiffFormat,
    stat: bool,
    comment: &diff_markdown::Comment<'_>,
    console: &crate::Console,
) -> u8 {
    use std::io::Write;
    let mut reporter = Reporter::stdio(crate::report::Format::Human, console);
    let Ok((_, report)) = compared(req, &mut reporter) else { return 2 };
    let text = match format {
        crate::DiffFormat::Json => serde_json::to_string_pretty(&diff_render::json(&report)).unwrap_or_default() + "\n",
        crate::DiffFormat::Markdown => diff_markdown::markdown(&report, comment),
        crate::DiffFormat::Human => {
            let mut s = diff_render::summary(&report);
            if !stat && !report.is_empty() {
                s.push('\n');
                s.push_str(&diff_render::text_diffs(&report, console.color_stdout));
            }
            s
        }
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    u8::from(!report.is_empty())
}
