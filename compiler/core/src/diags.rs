//! Constructors for the structure-and-type diagnostics (HY0xxx, and the
//! CIDR syntax rule HY1001 that the value parser reports). One function per
//! code, named after the code's kebab name; each takes the tokens involved
//! and builds the message, the labels and the help.

use crate::schema::{ArgSchema, DeclKind, NodeSchema, PropSchema, Ty};
use crate::values;
use hybrid_diagnostics::{codes, did_you_mean, join_quoted, Diagnostic, Span};
use hybrid_model::IpNet;
use hybrid_syntax::{Entry, Ident, Node, Value};

/// HY0002
pub fn unknown_node(node: &Node, parent: &NodeSchema) -> Diagnostic {
    let name = &node.name.text;
    let names = parent.child_names();
    let mut d = Diagnostic::new(
        &codes::UNKNOWN_NODE,
        format!("unknown node `{name}` in `{}`", parent.name),
        node.name.span,
        "unknown node",
    );
    if let Some(s) = did_you_mean(name, names.iter().copied()) {
        d = d.with_help(format!("did you mean `{s}`?"));
    } else if names.is_empty() {
        d = d.with_help(format!("`{}` takes no child nodes; remove this one", parent.name));
    } else {
        d = d.with_help(format!("`{}` accepts {}", parent.name, join_quoted(&names)));
    }
    d
}

/// HY0002 for a node at the top level of a file.
pub fn unknown_top_level_node(node: &Node, allowed: &[&str]) -> Diagnostic {
    let name = &node.name.text;
    let mut d = Diagnostic::new(
        &codes::UNKNOWN_NODE,
        format!("unknown top-level node `{name}`"),
        node.name.span,
        "unknown node",
    );
    if let Some(s) = did_you_mean(name, allowed.iter().copied()) {
        d = d.with_help(format!("did you mean `{s}`?"));
    } else {
        d = d.with_help(format!("a file holds {}", join_quoted(allowed)));
    }
    d
}

/// HY0003
pub fn unknown_property(node: &Node, key: &Ident, schema: &NodeSchema) -> Diagnostic {
    let names: Vec<&str> = schema.props.iter().map(|p| p.name).collect();
    let mut d = Diagnostic::new(
        &codes::UNKNOWN_PROPERTY,
        format!("unknown property `{}` on `{}`", key.text, node.name.text),
        key.span,
        "unknown property",
    );
    if let Some(s) = did_you_mean(&key.text, names.iter().copied()) {
        d = d.with_help(format!("did you mean `{s}`?"));
    } else if names.is_empty() {
        d = d.with_help(format!("`{}` takes no properties", node.name.text));
    } else {
        d = d.with_help(format!("`{}` accepts {}", node.name.text, join_quoted(&names)));
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
        format!("`{}` takes {takes}", node.name.text),
        entry.value_span,
        "unexpected argument",
    )
    .with_help(if has_props { "remove it, or write it as a property `key=value`" } else { "remove it" })
}

/// HY0005
pub fn missing_node(node: &Node, required: &NodeSchema) -> Diagnostic {
    let what = match node.args().next().map(|a| &a.value) {
        Some(Value::String(n)) => format!("`{} {n}`", node.name.text),
        _ => format!("`{}`", node.name.text),
    };
    Diagnostic::new(
        &codes::MISSING_NODE,
        format!("{what} has no `{}` node", required.name),
        node.name.span,
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
        format!("`{}` needs a {ordinal}{} argument", node.name.text, arg.name.to_lowercase()),
        node.name.span,
        format!("{} missing", arg.name),
    )
    .with_help({
        let mut written = node.name.text.clone();
        for a in node.args() {
            written.push(' ');
            written.push_str(&a.raw);
        }
        format!("write {} after `{written}`", arg.ty.expected())
    })
}

/// HY0007
pub fn missing_property(node: &Node, prop: &PropSchema) -> Diagnostic {
    Diagnostic::new(
        &codes::MISSING_PROPERTY,
        format!("`{}` needs the property `{}`", node.name.text, prop.name),
        node.name.span,
        format!("`{}` missing", prop.name),
    )
    .with_help(format!("add `{}=` with {} ({})", prop.name, prop.ty.expected(), prop.doc))
}

/// HY0008
pub fn wrong_type(entry: &Entry, ty: &Ty) -> Diagnostic {
    let what = entry.name.as_ref().map(|n| format!("`{}`", n.text)).unwrap_or_else(|| "this argument".into());
    let mut d = Diagnostic::new(
        &codes::WRONG_TYPE,
        format!("{what} expects {}", ty.expected()),
        entry.value_span,
        format!("{} here", entry.value.describe()),
    );
    let quoted = matches!(entry.value, Value::String(_));
    let prefix = entry.name.as_ref().map(|n| format!("{}=", n.text)).unwrap_or_default();
    let help = match (ty, &entry.value) {
        (
            Ty::Str | Ty::LabelValue | Ty::PortName | Ty::Hostname | Ty::HeaderName,
            Value::Int(_) | Value::Float(_) | Value::Bool(_),
        ) => Some(format!("quote it: {prefix}\"{}\"", entry.raw)),
        (Ty::Int { .. }, Value::String(s)) if s.parse::<i64>().is_ok() => {
            Some(format!("remove the quotes: {prefix}{s}"))
        }
        (Ty::Bool, Value::String(s)) if matches!(s.as_str(), "true" | "yes" | "on") => {
            Some(format!("write {prefix}#true"))
        }
        (Ty::Bool, Value::String(s)) if matches!(s.as_str(), "false" | "no" | "off") => {
            Some(format!("write {prefix}#false"))
        }
        (Ty::Percent, Value::Int(i)) => Some(format!("write a quoted percentage: {prefix}\"{i}%\"")),
        (Ty::Size, Value::String(s)) if s.to_ascii_lowercase().ends_with('b') => {
            let fixed = s.trim_end_matches(['B', 'b']).replace("k", "Ki");
            let fixed = if fixed.ends_with(['K', 'M', 'G', 'T', 'P']) { format!("{fixed}i") } else { fixed };
            Some(format!("Kubernetes units have no `B`: {prefix}\"{fixed}\""))
        }
        (Ty::Size, Value::Int(_) | Value::Float(_)) => {
            Some(format!("write a quoted size with its unit, such as {prefix}\"16Gi\" or {prefix}\"512Mi\""))
        }
        (Ty::Duration, Value::Int(i)) => Some(format!("add a unit and quote it, e.g. {prefix}\"{i}s\"")),
        _ if !quoted => Some(format!("write {}", ty.expected())),
        _ => None,
    };
    if let Some(h) = help {
        d = d.with_help(h);
    }
    d
}

/// HY0009
pub fn unknown_enum_value(entry: &Entry, word: &str, allowed: &[&str], what: &str) -> Diagnostic {
    let mut d = Diagnostic::new(
        &codes::UNKNOWN_ENUM_VALUE,
        format!("`{word}` is not a valid `{what}`"),
        entry.value_span,
        "not allowed here",
    );
    d = match did_you_mean(word, allowed.iter().copied()) {
        Some(s) => d.with_help(format!("did you mean `{s}`? `{what}` is one of {}", join_quoted(allowed))),
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
        entry.value_span,
        "invalid name",
    )
    .with_help(format!(
        "names are lowercase letters, digits and `-`, start with a letter, end with a letter or digit, at most 63 characters: `{fixed}`"
    ))
}

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
pub fn unknown_reference(
    name: &str,
    span: Span,
    expected: &str,
    suggestion: Option<String>,
    extra: Option<String>,
) -> Diagnostic {
    let mut d = Diagnostic::new(
        &codes::UNKNOWN_REFERENCE,
        format!("unknown {expected} `{name}`"),
        span,
        format!("no {expected} named `{name}`"),
    );
    if let Some(s) = suggestion {
        d = d.with_help(format!("did you mean `{s}`?"));
    } else if let Some(x) = extra {
        d = d.with_help(x);
    }
    d
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
        Some(s) => d.with_help(format!("did you mean `{s}`?")),
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
        d.with_help(format!("did you mean `{s}`?"))
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

/// HY0018
pub fn version_as_number(entry: &Entry) -> Diagnostic {
    let key = entry.name.as_ref().map(|n| format!("{}=", n.text)).unwrap_or_default();
    Diagnostic::new(
        &codes::VERSION_AS_NUMBER,
        format!("version written as a number: `{}`", entry.raw),
        entry.value_span,
        "a number, not a version",
    )
    .with_help(format!("quote it so no digit is lost: {key}\"{}\"", entry.raw))
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
        format!("a `{kind}` does not accept `{}` from its profile", node.name.text),
        node.name.span,
        format!("not accepted by a {kind}"),
    )
    .with_label(use_span, "profile applied here")
    .with_help(format!("remove `{}` from the profile, or use another profile for this {kind}", node.name.text))
}

/// HY0023
pub fn value_out_of_range(entry: &Entry, node: &str, min: i64, max: i64, percent: bool) -> Diagnostic {
    let what = entry.name.as_ref().map(|n| format!("`{}`", n.text)).unwrap_or_else(|| format!("`{node}`"));
    let range = match (percent, max == i64::MAX) {
        (true, _) => format!("from \"{min}%\" to \"{max}%\""),
        (false, true) => format!("at least {min}"),
        (false, false) => format!("from {min} to {max}"),
    };
    Diagnostic::new(&codes::VALUE_OUT_OF_RANGE, format!("{what} must be {range}"), entry.value_span, "out of range")
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
        format!("`{}` needs one of the properties {}", node.name.text, join_quoted(choice)),
        node.name.span,
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

/// `key=` in front of a property's value, nothing for an argument.
fn key_prefix(entry: &Entry) -> String {
    entry.name.as_ref().map(|n| format!("{}=", n.text)).unwrap_or_default()
}

/// HY0026: a label value (of `label`, or a taint's `value=`, which
/// Kubernetes checks the same way) that Kubernetes rejects.
pub fn invalid_label_value(entry: &Entry, value: &str, why: &str) -> Diagnostic {
    let what = if entry.name.is_some() { "taint value" } else { "label value" };
    let fixed = values::fix_label_value(value);
    Diagnostic::new(
        &codes::INVALID_LABEL_VALUE,
        format!("{what} `{}` {why}", values::printable(value)),
        entry.value_span,
        "not a Kubernetes label value",
    )
    .with_help(format!(
        "write {}\"{fixed}\"; a label value is at most 63 letters, digits, `-`, `_` and `.`, beginning and ending with a letter or digit",
        key_prefix(entry)
    ))
}

/// HY0027
pub fn invalid_port_name(entry: &Entry, name: &str, why: &str) -> Diagnostic {
    let fixed = values::fix_port_name(name);
    let rule = "a port name is at most 15 lowercase letters, digits and `-`, with a letter, without `-` at either end or twice in a row";
    let help = if fixed.is_empty() {
        format!("remove `name=` to name the port `PROTOCOL-NUMBER`; {rule}")
    } else {
        format!("write name=\"{fixed}\"; {rule}")
    };
    Diagnostic::new(
        &codes::INVALID_PORT_NAME,
        format!("port name `{}` {why}", values::printable(name)),
        entry.value_span,
        "not a Kubernetes port name",
    )
    .with_help(help)
}

/// HY0030
pub fn invalid_hostname(entry: &Entry, host: &str, why: &str) -> Diagnostic {
    let help = match values::fix_hostname(host) {
        Some(fixed) => format!("write host=\"{fixed}\": the host name alone, in lowercase"),
        None => "write a DNS name of lowercase letters, digits, `-` and `.`, such as host=\"shop.example.com\" or host=\"*.example.com\"".to_string(),
    };
    Diagnostic::new(
        &codes::INVALID_HOSTNAME,
        format!("host name `{}` {why}", values::printable(host)),
        entry.value_span,
        "not a DNS name",
    )
    .with_help(help)
}

/// HY0031
pub fn invalid_header_name(entry: &Entry, header: &str, why: &str) -> Diagnostic {
    let help = match values::fix_header_name(header) {
        Some(fixed) => format!("write header=\"{fixed}\"; a header name is letters, digits and ``!#$%&'*+-.^_`|~``"),
        None => {
            "write a header name of letters, digits and ``!#$%&'*+-.^_`|~``, such as header=\"x-user-type\"".to_string()
        }
    };
    Diagnostic::new(
        &codes::INVALID_HEADER_NAME,
        format!("header name `{}` {why}", values::printable(header)),
        entry.value_span,
        "not an HTTP header name",
    )
    .with_help(help)
}

/// HY7003: a job pinned to a pool its kubernetes cluster does not have.
pub fn job_pool_not_found(cluster: &str, pool: &str, span: Span, pools: &[&str]) -> Diagnostic {
    let d = Diagnostic::new(
        &codes::JOB_POOL_NOT_FOUND,
        format!("cluster `{cluster}` has no pool `{pool}`"),
        span,
        format!("no pool `{pool}` in `{cluster}`"),
    );
    match did_you_mean(pool, pools.iter().copied()) {
        Some(s) => d.with_help(format!("did you mean `{cluster}.{s}`?")),
        None if pools.is_empty() => {
            d.with_help(format!("`{cluster}` declares no pools; pin the job to a cluster with one"))
        }
        None => d.with_help(format!("`{cluster}` has the pools {}", join_quoted(pools))),
    }
}

/// HY1001
pub fn invalid_cidr(entry: &Entry, fixed: Option<IpNet>) -> Diagnostic {
    let raw = &entry.raw;
    match fixed {
        Some(net) => Diagnostic::new(
            &codes::INVALID_CIDR,
            format!("CIDR {raw} has host bits set"),
            entry.value_span,
            "host bits set",
        )
        .with_help(format!("write the network address: \"{net}\"")),
        None => {
            Diagnostic::new(&codes::INVALID_CIDR, format!("{raw} is not a CIDR"), entry.value_span, "malformed CIDR")
                .with_help("write an address and prefix length, e.g. \"10.10.0.0/16\" or \"fd00::/64\"")
        }
    }
}
