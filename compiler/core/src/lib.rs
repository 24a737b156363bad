//! The hybridc compiler, pure: no filesystem, clock or environment (the CLI
//! passes a [`FileSystem`]). The pipeline:
//!
//! `load` (files, imports, stdlib) → `syntax::parse` → `decode` (schema,
//! typed values, profiles merged) → `resolve` (names, references) →
//! [`hybrid_model::Topology`] → `check` (rules) → [`Compilation`].
//!
//! Every stage returns a value and diagnostics; a program with any error
//! has no topology in its compilation, so nothing is ever emitted from it.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

pub mod acknowledge;
pub mod check;
pub mod decode;
pub mod diags;
pub mod hash;
pub mod load;
pub mod names;
pub mod profiles;
pub mod reference;
pub mod reroute;
pub mod resolve;
pub mod schema;
pub mod secrets;
pub mod simulate;
pub mod stdlib;
pub mod values;

pub use load::{FileSystem, LoadError, Loaded, MemoryFs};

pub use acknowledge::Acknowledged;

use hybrid_diagnostics::{Diagnostic, SourceMap};
use hybrid_model::Topology;
use names::Names;
use std::path::Path;

/// The result of compiling a program.
#[derive(Debug)]
pub struct Compilation {
    pub sources: SourceMap,
    /// `Some` exactly when there is no error.
    pub topology: Option<Topology>,
    /// Sorted by file and position; each reported once.
    pub diagnostics: Vec<Diagnostic>,
    /// The warnings the program acknowledges (`acknowledge`), in the same
    /// order: counted, not printed, and never an error under `--deny warnings`.
    pub acknowledged: Vec<Acknowledged>,
    /// Every declaration and every reference that resolved to one, for
    /// [`compile_with_names`] (the language server's navigation); empty
    /// from [`compile`], and when the files did not parse.
    pub names: Names,
}

impl Compilation {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// Adds diagnostics found after compiling a program without errors
    /// (those of the overrides, once the targets have emitted), sorted with
    /// the others; an error among them drops the topology. The
    /// acknowledgements are applied again over every warning, so that an
    /// override's warning can be acknowledged like any other, and an
    /// acknowledgement is called stale only when nothing matches it.
    pub fn with_findings(self, more: Vec<Diagnostic>) -> Compilation {
        let Compilation { sources, topology, diagnostics, acknowledged, names } = self;
        let unused = hybrid_diagnostics::codes::UNUSED_ACKNOWLEDGEMENT.id;
        let mut diagnostics: Vec<Diagnostic> = diagnostics
            .into_iter()
            .filter(|d| d.code.id != unused)
            .chain(acknowledged.into_iter().map(|a| a.diagnostic))
            .chain(more)
            .collect();
        let acks = topology.as_ref().map(|t| t.acknowledgements.as_slice()).unwrap_or_default();
        let checked = topology.is_some();
        let acknowledged = acknowledge::apply(acks, &mut diagnostics, checked);
        finish(sources, topology, diagnostics, acknowledged, names)
    }
}

/// Compiles the program at `entry` (a file or a folder), as a command
/// does: the name table is freed once the program is resolved, before the
/// rules run (2 MB of `hybridc check`'s peak for 10,000 services with a
/// warning each).
pub fn compile(entry: &Path, fs: &dyn FileSystem) -> Result<Compilation, LoadError> {
    load::load(entry, fs).map(|loaded| compile_loaded(loaded, false))
}

/// [`compile`], keeping the name table ([`Compilation::names`]) for
/// navigation: where a name is declared, what refers to it.
pub fn compile_with_names(entry: &Path, fs: &dyn FileSystem) -> Result<Compilation, LoadError> {
    load::load(entry, fs).map(|loaded| compile_loaded(loaded, true))
}

/// Compiles already loaded sources, keeping the name table when asked.
fn compile_loaded(loaded: Loaded, keep_names: bool) -> Compilation {
    let Loaded { sources, documents, mut diagnostics, failed } = loaded;
    let syntax_ok = diagnostics.iter().all(|d| !d.is_error());
    let (topology, names) = if syntax_ok || !documents.is_empty() {
        // The syntax tree goes to `resolve`, which drops it once it is decoded.
        let (t, names) = resolve::resolve(&sources, documents, syntax_ok, &failed, &mut diagnostics);
        (Some(t), if keep_names { names } else { Names::default() })
    } else {
        (None, Names::default())
    };
    // Semantic rules read a fully resolved topology: they run only when the
    // front end found no error, so a broken reference is reported once and
    // never again through its consequences.
    let checked = topology.as_ref().filter(|_| !diagnostics.iter().any(Diagnostic::is_error));
    if let Some(t) = checked {
        // Moved, not copied, when they are the first: the failure analysis
        // can report once per workload.
        for found in [check::run(t), simulate::findings(t)] {
            if diagnostics.is_empty() {
                diagnostics = found;
            } else {
                diagnostics.extend(found);
            }
        }
    }
    let checked = checked.is_some();
    let acks = topology.as_ref().map(|t| t.acknowledgements.as_slice()).unwrap_or_default();
    let acknowledged = acknowledge::apply(acks, &mut diagnostics, checked);
    finish(sources, topology, diagnostics, acknowledged, names)
}

fn order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    a.sort_key().cmp(&b.sort_key()).then_with(|| a.message.cmp(&b.message))
}

fn same(a: &Diagnostic, b: &Diagnostic) -> bool {
    a.code.id == b.code.id && a.span() == b.span() && a.message == b.message
}

fn finish(
    sources: SourceMap,
    topology: Option<Topology>,
    mut diagnostics: Vec<Diagnostic>,
    mut acknowledged: Vec<Acknowledged>,
    names: Names,
) -> Compilation {
    diagnostics.sort_by(order);
    diagnostics.dedup_by(|a, b| same(a, b));
    acknowledged.sort_by(|a, b| order(&a.diagnostic, &b.diagnostic));
    acknowledged.dedup_by(|a, b| same(&a.diagnostic, &b.diagnostic));
    let has_errors = diagnostics.iter().any(Diagnostic::is_error);
    Compilation { sources, topology: if has_errors { None } else { topology }, diagnostics, acknowledged, names }
}
