//! Constructors for the structure-and-type diagnostics (HY0xxx, and the
//! CIDR syntax rule HY1001 that the value parser reports). One function per
//! code, named after the code's kebab name; each takes the tokens involved
//! and builds the message, the labels and the help. By concern: the shape
//! of nodes and entries here; a value of the wrong type and its literal fix
//! in `wrong_type.rs`; declarations, references, imports and
//! profiles in `names.rs`; values Kubernetes and Istio would refuse in
//! `refused.rs`; `acknowledge` itself in `acknowledge.rs`.

mod acknowledge;
mod names;
mod overrides;
mod refused;
mod wrong_type;

pub use acknowledge::*;
pub use names::*;
pub use overrides::*;
pub use refused::*;
pub use wrong_type::wrong_type;

use crate::schema::{ArgSchema, NodeSchema, PropSchema};
use crate::values;
use hybrid_diagnostics::{codes, did_you_mean, join_quoted, Diagnostic, Span};
use hybrid_syntax::{Entry, Node, Value};

/// HY0002
pub fn unknown_node(node: &Node, parent: &'static NodeSchema) -> Diagnostic {
    let name = &node.name();
    let names = parent.child_names();
    let mut d = Diagnostic::new(
        &codes::UNKNOWN_NODE,
        format!("unknown node `{name}` in `{}`", parent.name),
        node.name_span(),
        "unknown node",
    );
    if let Some(s) = did_you_mean(name, names.iter().copied()) {
        d = d.with_help(format!("did you mean `{s}`?")).with_fix(node.name_span(), s);
    } else if names.is_empty() {
        d = d.with_help(format!("`{}` takes no child nodes; remove this one", parent.name));
    } else {
        d = d.with_help(format!("`{}` accepts {}", parent.name, join_quoted(&names)));
    }
    d
}

/// HY0002 for a node at the top level of a file.
pub fn unknown_top_level_node(node: &Node, allowed: &[&str]) -> Diagnostic {
    let name = &node.name();
    let mut d = Diagnostic::new(
        &codes::UNKNOWN_NODE,
        format!("unknown top-level node `{name}`"),
        node.name_span(),
        "unknown node",
    );
    if let Some(s) = did_you_mean(name, allowed.iter().copied()) {
        d = d.with_help(format!("did you mean `{s}`?")).with_fix(node.name_span(), s);
    } else {
        d = d.with_help(format!("a file holds {}", join_quoted(allowed)));
    }
    d
}

/// HY0003
pub fn unknown_property(node: &Node, prop: &Entry, schema: &NodeSchema) -> Diagnostic {
    let names: Vec<&str> = schema.props.iter().map(|p| p.name).collect();
    let key = prop.key().unwrap_or_default();
    let key_span = prop.key_span().unwrap_or_else(|| prop.span());
    let mut d = Diagnostic::new(
        &codes::UNKNOWN_PROPERTY,
        format!("unknown property `{key}` on `{}`", node.name()),
        key_span,
        "unknown property",
    );
    if let Some(s) = did_you_mean(key, names.iter().copied()) {
        d = d.with_help(format!("did you mean `{s}`?")).with_fix(key_span, s);
    } else if names.is_empty() {
        d = d.with_help(format!("`{}` takes no properties", node.name()));
    } else {
        d = d.with_help(format!("`{}` accepts {}", node.name(), join_quoted(&names)));
    }
    d
}

/// HY0004
pub fn unexpected_argument(node: &Node, entry: &Entry, expected: usize, has_props: bool) -> Diagnostic {
    let takes = match expected {
        0 => "no arguments".to_string(),
        1 => "one argument".to_string(),
        n => format!("{n} arguments"),
    };
    Diagnostic::new(
        &codes::UNEXPECTED_ARGUMENT,
        format!("`{}` takes {takes}", node.name()),
        entry.value_span(),
        "unexpected argument",
    )
    .with_help(if has_props { "remove it, or write it as a property `key=value`" } else { "remove it" })
}

/// HY0005
pub fn missing_node(node: &Node, required: &NodeSchema) -> Diagnostic {
    let what = match node.args().next().map(|a| a.value()) {
        Some(Value::String(n)) => format!("`{} {n}`", node.name()),
        _ => format!("`{}`", node.name()),
    };
    Diagnostic::new(
        &codes::MISSING_NODE,
        format!("{what} has no `{}` node", required.name),
        node.name_span(),
        format!("no `{}` here", required.name),
    )
    .with_help(format!("add `{}` ({})", example_of(required), required.doc))
}

fn example_of(schema: &NodeSchema) -> String {
    let mut s = schema.name.to_string();
    for a in schema.args.iter().filter(|a| a.required) {
        s.push(' ');
        s.push_str(a.name);
    }
    for p in schema.props.iter().filter(|p| p.required) {
        s.push_str(&format!(" {}=…", p.name));
    }
    s
}

/// HY0006
pub fn missing_argument(node: &Node, arg: &ArgSchema, index: usize) -> Diagnostic {
    let ordinal = match index {
        0 => "",
        1 => "second ",
        _ => "another ",
    };
    Diagnostic::new(
        &codes::MISSING_ARGUMENT,
        format!("`{}` needs a {ordinal}{} argument", node.name(), arg.name.to_lowercase()),
        node.name_span(),
        format!("{} missing", arg.name),
    )
    .with_help({
        let mut written = node.name().to_string();
        for a in node.args() {
            written.push(' ');
            written.push_str(a.raw());
        }
        format!("write {} after `{written}`", arg.ty.expected())
    })
}

/// HY0007
pub fn missing_property(node: &Node, prop: &PropSchema) -> Diagnostic {
    Diagnostic::new(
        &codes::MISSING_PROPERTY,
        format!("`{}` needs the property `{}`", node.name(), prop.name),
        node.name_span(),
        format!("`{}` missing", prop.name),
    )
    .with_help(format!("add `{}=` with {} ({})", prop.name, prop.ty.expected(), prop.doc))
}

/// HY0009
pub fn unknown_enum_value(entry: &Entry, word: &str, allowed: &[&str], what: &str) -> Diagnostic {
    let mut d = Diagnostic::new(
        &codes::UNKNOWN_ENUM_VALUE,
        format!("`{word}` is not a valid `{what}`"),
        entry.value_span(),
        "not allowed here",
    );
    d = match did_you_mean(word, allowed.iter().copied()) {
        Some(s) => d
            .with_help(format!("did you mean `{s}`? `{what}` is one of {}", join_quoted(allowed)))
            .with_fix(entry.value_span(), s),
        None => d.with_help(format!("`{what}` is one of {}", join_quoted(allowed))),
    };
    d
}

/// HY0010
pub fn invalid_name(entry: &Entry, name: &str) -> Diagnostic {
    let fixed = values::fix_dns_label(name);
    Diagnostic::new(
        &codes::INVALID_NAME,
        format!("`{name}` is not a valid name"),
        entry.value_span(),
        "invalid name",
    )
    .with_help(format!(
        "names are lowercase letters, digits and `-`, start with a letter, end with a letter or digit, at most 63 characters: `{fixed}`"
    ))
}

/// HY0018
pub fn version_as_number(entry: &Entry) -> Diagnostic {
    let key = entry.key().map(|k| format!("{k}=")).unwrap_or_default();
    Diagnostic::new(
        &codes::VERSION_AS_NUMBER,
        format!("version written as a number: `{}`", entry.raw()),
        entry.value_span(),
        "a number, not a version",
    )
    .with_help(format!("quote it so no digit is lost: {key}\"{}\"", entry.raw()))
}

/// HY0019
pub fn literal_secret(var: &str, value_span: Span) -> Diagnostic {
    Diagnostic::new(
        &codes::LITERAL_SECRET,
        format!("`{var}` looks like a secret but is given a literal value"),
        value_span,
        "literal secret",
    )
    .with_help(format!("read it from a secret: secret-env {var} secret=NAME key=KEY"))
}

/// HY0019: a string whose value looks like a secret, wherever it is written
/// (`var` is the variable when it is an `env` value).
pub fn literal_secret_value(kind: &str, var: Option<&str>, value_span: Span) -> Diagnostic {
    let (message, help) = match var {
        Some(var) => (
            format!("`{var}` is given a literal that looks like {kind}"),
            format!("read it from a secret: secret-env {var} secret=NAME key=KEY"),
        ),
        None if kind == crate::secrets::IMAGE_CREDENTIALS => (
            format!("this literal looks like {kind}"),
            "write the image without credentials and give the cluster a pull secret for the registry".to_string(),
        ),
        None => (
            format!("this literal looks like {kind}"),
            "remove it and keep it in a secret, read with: secret-env NAME secret=SECRET key=KEY".to_string(),
        ),
    };
    Diagnostic::new(&codes::LITERAL_SECRET, message, value_span, "literal secret").with_help(help)
}

/// HY0020
pub fn duplicate_entry(name: &str, span: Span, first: Span, node: bool) -> Diagnostic {
    let what = if node { "node" } else { "property" };
    Diagnostic::new(&codes::DUPLICATE_ENTRY, format!("`{name}` is written twice"), span, format!("second `{name}`"))
        .with_label(first, "first written here")
        .with_help(format!("keep one `{name}` {what}"))
}

/// HY0021: no `topology` at all.
pub fn missing_topology(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::TOPOLOGY_COUNT, "the program declares no `topology`", span, "no topology in this program")
        .with_help("add `topology NAME { owner TEAM }` to one file")
}

/// HY0021: a second `topology`.
pub fn second_topology(span: Span, first: Span) -> Diagnostic {
    Diagnostic::new(&codes::TOPOLOGY_COUNT, "the program declares more than one `topology`", span, "second topology")
        .with_label(first, "first topology")
        .with_help("a program has exactly one `topology`; remove this one or build the files separately")
}

/// HY0022
pub fn profile_node_not_accepted(node: &Node, kind: &str, use_span: Span) -> Diagnostic {
    Diagnostic::new(
        &codes::PROFILE_NODE_NOT_ACCEPTED,
        format!("a `{kind}` does not accept `{}` from its profile", node.name()),
        node.name_span(),
        format!("not accepted by a {kind}"),
    )
    .with_label(use_span, "profile applied here")
    .with_help(format!("remove `{}` from the profile, or use another profile for this {kind}", node.name()))
}

/// HY0023
pub fn value_out_of_range(entry: &Entry, node: &str, min: i64, max: i64, percent: bool) -> Diagnostic {
    let what = entry.key().map(|k| format!("`{k}`")).unwrap_or_else(|| format!("`{node}`"));
    let range = match (percent, max == i64::MAX) {
        (true, _) => format!("from \"{min}%\" to \"{max}%\""),
        (false, true) => format!("at least {min}"),
        (false, false) => format!("from {min} to {max}"),
    };
    Diagnostic::new(&codes::VALUE_OUT_OF_RANGE, format!("{what} must be {range}"), entry.value_span(), "out of range")
        .with_help(format!("write a value {range}"))
}

/// HY0024
pub fn type_annotation(span: Span, on_node: bool) -> Diagnostic {
    let help = if on_node {
        "remove the `(…)` annotation; nodes have no types in hybridc"
    } else {
        "remove the `(…)` annotation; each value has one type already"
    };
    Diagnostic::new(&codes::TYPE_ANNOTATION, "type annotations are not used by hybridc", span, "type annotation")
        .with_help(help)
}

/// HY0007 for a node that needs one of several properties.
pub fn missing_one_of(node: &Node, choice: &[&str]) -> Diagnostic {
    Diagnostic::new(
        &codes::MISSING_PROPERTY,
        format!("`{}` needs one of the properties {}", node.name(), join_quoted(choice)),
        node.name_span(),
        "which one?",
    )
    .with_help(format!("write exactly one of {}", join_quoted(choice)))
}

/// HY0025
pub fn conflicting_properties(node: &str, first: &str, first_span: Span, second: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        &codes::CONFLICTING_PROPERTIES,
        format!("`{node}` takes `{first}` or `{second}`, not both"),
        span,
        format!("conflicts with `{first}`"),
    )
    .with_label(first_span, format!("`{first}` written here"))
    .with_help(format!("keep one of `{first}` and `{second}`"))
}
