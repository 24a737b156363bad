//! Constructors for the diagnostics of declarations and references:
//! duplicate names, unknown, ambiguous and wrong-kind references, imports
//! and profiles.

use crate::schema::DeclKind;
use hybrid_diagnostics::{codes, did_you_mean_help, join_quoted, Diagnostic, Span};

/// HY0011
pub fn duplicate_declaration(
    kind: DeclKind,
    first_kind: DeclKind,
    name: &str,
    span: Span,
    first: Span,
    scope: &str,
) -> Diagnostic {
    let message = if kind == first_kind {
        format!("{} `{name}` is declared twice in {scope}", kind.word())
    } else {
        format!("`{name}` is declared twice in {scope}, as a {} and as a {}", first_kind.word(), kind.word())
    };
    Diagnostic::new(&codes::DUPLICATE_DECLARATION, message, span, "declared again here")
        .with_label(first, format!("first declared here, as a {}", first_kind.word()))
        .with_help(format!("rename one of them or remove the second `{name}`"))
}

/// HY0011 for an item that is not a declaration kind of its own (a disk,
/// a volume, a traffic version).
pub fn duplicate_declaration_named(what: &str, name: &str, span: Span, first: Span, scope: &str) -> Diagnostic {
    Diagnostic::new(
        &codes::DUPLICATE_DECLARATION,
        format!("{what} `{name}` is declared twice in {scope}"),
        span,
        "declared again here",
    )
    .with_label(first, "first declared here")
    .with_help(format!("rename one of them or remove the second `{name}`"))
}

/// HY0012
pub fn unknown_reference(name: &str, span: Span, expected: &str, close: &[&str], extra: Option<String>) -> Diagnostic {
    let d = Diagnostic::new(
        &codes::UNKNOWN_REFERENCE,
        format!("unknown {expected} `{name}`"),
        span,
        format!("no {expected} named `{name}`"),
    );
    let d = match close {
        [one] => d.with_fix(span, *one),
        _ => d,
    };
    match did_you_mean_help(close).or(extra) {
        Some(help) => d.with_help(help),
        None => d,
    }
}

/// HY0013
pub fn ambiguous_reference(name: &str, span: Span, expected: &str, candidates: &[String]) -> Diagnostic {
    Diagnostic::new(&codes::AMBIGUOUS_REFERENCE, format!("`{name}` could be several {expected}s"), span, "ambiguous")
        .with_help(format!("write the full path: {}", join_quoted(candidates)))
}

/// HY0014
pub fn wrong_reference_kind(name: &str, span: Span, found: &str, expected: &str, declared: Span) -> Diagnostic {
    let (found, expected) = (a_or_an(found), a_or_an(expected));
    Diagnostic::new(
        &codes::WRONG_REFERENCE_KIND,
        format!("`{name}` is {found}, but {expected} is expected here"),
        span,
        format!("expected {expected}"),
    )
    .with_label(declared, format!("`{name}` is declared as {found} here"))
    .with_help(format!("name {expected}"))
}

/// HY0014: `cluster.pool` where only a cluster is accepted; the label on
/// the path alone, the help with the cluster written alone (`help` when the
/// place knows better, e.g. a vm's `placement`).
pub fn pool_not_cluster(path: &str, cluster: &str, span: Span, expected: &str, help: Option<String>) -> Diagnostic {
    let expected = a_or_an(expected);
    Diagnostic::new(
        &codes::WRONG_REFERENCE_KIND,
        format!("`{path}` is a node pool of `{cluster}`, but {expected} is expected here"),
        span,
        format!("a pool, not {expected}"),
    )
    .with_help(help.unwrap_or_else(|| format!("name the cluster alone: `{cluster}`")))
}

/// `a vm`, `an openstack cluster`, `an 8ms link`.
pub fn a_or_an(word: &str) -> String {
    let vowel_sound =
        word.starts_with(['a', 'e', 'i', 'o', 'u', '8']) || word.starts_with("11") || word.starts_with("18");
    format!("{} {word}", if vowel_sound { "an" } else { "a" })
}

/// HY0015
pub fn import_not_found(path: &str, span: Span, suggestion: Option<&str>) -> Diagnostic {
    let d = Diagnostic::new(&codes::IMPORT_NOT_FOUND, format!("cannot find `{path}` to import"), span, "no such file");
    match suggestion {
        Some(s) => d.with_help(format!("did you mean `{s}`?")).with_fix(span, s),
        None if path.starts_with("std/") => d.with_help("the standard library has `std/gpu` and `std/profiles`"),
        None => d.with_help("paths are relative to the importing file, e.g. `./net.hybrid`"),
    }
}

/// HY0015: an import that names a folder, a FIFO, a socket or a device.
pub fn import_not_a_file(path: &str, span: Span, what: &str) -> Diagnostic {
    Diagnostic::new(
        &codes::IMPORT_NOT_FOUND,
        format!("cannot import `{path}`: it is {what}, not a file"),
        span,
        "not a file",
    )
    .with_help("an import names one `.hybrid` file")
}

/// HY0015: an import whose file exists but cannot be read (permission, a
/// loop of links, too large).
pub fn import_unreadable(path: &str, span: Span, resolved: &std::path::Path, reason: &str) -> Diagnostic {
    Diagnostic::new(&codes::IMPORT_NOT_FOUND, format!("cannot read `{path}` to import"), span, "unreadable")
        .with_help(format!("`{}`: {reason}", resolved.display()))
}

/// HY0016
pub fn unknown_profile(name: &str, span: Span, suggestion: Option<&str>, std_has_it: bool) -> Diagnostic {
    let d = Diagnostic::new(&codes::UNKNOWN_PROFILE, format!("unknown profile `{name}`"), span, "no such profile");
    if std_has_it {
        d.with_help("`std/profiles` declares it: add `import \"std/profiles\"`")
    } else if let Some(s) = suggestion {
        d.with_help(format!("did you mean `{s}`?")).with_fix(span, s)
    } else {
        d.with_help("declare it with `profile NAME { … }` or import `std/profiles`")
    }
}

/// HY0017
pub fn use_cycle(chain: &[String], span: Span, first: Span) -> Diagnostic {
    Diagnostic::new(
        &codes::USE_CYCLE,
        format!("profiles use each other in a cycle: {}", chain.join(" → ")),
        span,
        "this `use` closes the cycle",
    )
    .with_label(first, "the cycle starts here")
    .with_help("remove one of the `use` nodes in the chain")
}
