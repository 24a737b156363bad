//! The diagnostics of `override`s, decided once the targets have emitted:
//! [`compile`] is the compiler's `compile` followed, for a program with
//! overrides, by a render of every target and [`hybrid_emit::overrides`]'s
//! findings as HY0041 (no such object), HY0042 (no such path) and HY6012
//! (a generated field replaced). `check`, `build` and `diff` all compile
//! through it, so they agree.

use hybrid_core::{Compilation, FileSystem, LoadError};
use hybrid_diagnostics::{codes, did_you_mean, join_quoted, Diagnostic};
use hybrid_emit::overrides::{apply, Finding};
use hybrid_emit::{EmitOptions, OutputTree};
use hybrid_model::{Edit, EditOp, Override, Topology};
use std::path::Path;

/// Compiles the program at `entry`, the overrides' findings included.
pub fn compile(entry: &Path, fs: &dyn FileSystem) -> Result<Compilation, LoadError> {
    hybrid_core::compile(entry, fs).map(with_overrides)
}

/// [`compile`], keeping the name table: the language server's compile.
pub fn compile_with_names(entry: &Path, fs: &dyn FileSystem) -> Result<Compilation, LoadError> {
    hybrid_core::compile_with_names(entry, fs).map(with_overrides)
}

/// `c` with the findings of its overrides (an error drops the topology).
pub fn with_overrides(c: Compilation) -> Compilation {
    let Some(t) = c.topology.as_ref().filter(|t| !t.overrides.is_empty()) else { return c };
    let mut tree = OutputTree::new();
    for target in crate::TARGETS {
        target.emit(t, &EmitOptions::default(), &mut tree);
    }
    let found: Vec<Diagnostic> = apply(&mut tree, &t.overrides).iter().filter_map(|f| diagnostic(t, f)).collect();
    c.with_findings(found)
}

fn diagnostic(t: &Topology, f: &Finding) -> Option<Diagnostic> {
    Some(match f {
        Finding::ObjectNotFound { over, known } => override_object_not_found(t.overrides.get(*over)?, known),
        Finding::PathNotFound { over, edit, found, missing, have } => {
            let o = t.overrides.get(*over)?;
            override_path_not_found(o, o.edits.get(*edit)?, found, missing, have)
        }
        Finding::Replaced { over, edit, old, new } => {
            let o = t.overrides.get(*over)?;
            override_replaces_managed_field(o, o.edits.get(*edit)?, old, new.as_deref())
        }
    })
}

/// `Deployment` `web` (in `shop`).
fn object(o: &Override) -> String {
    let ns = o.namespace.as_ref().map(|n| format!(" in `{}`", n.value)).unwrap_or_default();
    format!("`{}` `{}`{ns}", o.kind.value, o.name.value)
}

/// HY0041
pub fn override_object_not_found(o: &Override, known: &[String]) -> Diagnostic {
    let d = Diagnostic::new(
        &codes::OVERRIDE_OBJECT_NOT_FOUND,
        format!("the {} output has no {}", o.target.value, object(o)),
        o.name.span,
        "no such object",
    )
    .with_label(o.kind.span, "of this kind");
    match did_you_mean(&o.name.value, known.iter().map(String::as_str)) {
        Some(s) => d.with_help(format!("did you mean `{s}`? write name=\"{s}\"")),
        None if known.is_empty() => d.with_help(format!(
            "the build generates no `{}` for {}: name a kind it generates (see the output of `hybridc build`)",
            o.kind.value, o.target.value
        )),
        None => d.with_help(format!("name one of the `{}` objects it generates: {}", o.kind.value, join_quoted(known))),
    }
}

/// HY0042
pub fn override_path_not_found(o: &Override, e: &Edit, found: &str, missing: &str, have: &[String]) -> Diagnostic {
    let at = if found.is_empty() { "the object".to_string() } else { format!("`{found}`") };
    let d = Diagnostic::new(
        &codes::OVERRIDE_PATH_NOT_FOUND,
        format!("`{}` is not in {}: {at} has no `{missing}`", e.path.value, object(o)),
        e.path.span,
        match e.op {
            EditOp::Set => "the parent of this field is not in the generated object",
            EditOp::Remove => "not in the generated object",
        },
    );
    match did_you_mean(missing, have.iter().map(String::as_str)) {
        Some(s) => d.with_help(format!("did you mean `{s}`?")),
        None if have.is_empty() => d.with_help(format!("{at} holds no fields or items: address a field that exists")),
        None => d.with_help(format!("{at} holds {}", join_quoted(have))),
    }
}

/// HY6012
pub fn override_replaces_managed_field(o: &Override, e: &Edit, old: &str, new: Option<&str>) -> Diagnostic {
    let change = match new {
        Some(new) => format!("replaces `{old}` with `{new}`"),
        None => format!("removes `{old}`"),
    };
    let d = Diagnostic::new(
        &codes::OVERRIDE_REPLACES_MANAGED_FIELD,
        format!("the override of {} {change} at `{}`, a field hybridc generated", object(o), e.path.value),
        e.path.span,
        "generated field overridden",
    )
    .with_help(
        "say it in the language where it can; otherwise keep the override: this warning shows reviewers what it bends",
    );
    match &e.value {
        Some(v) => d.with_label(v.span, "the new value"),
        None => d,
    }
}
