//! The language reference, generated from the schema: one section per node
//! kind with its arguments, properties and children. The book's
//! `reference/language.md` is this text (`cargo xtask reference` writes it;
//! a test fails when it is stale), so the reference cannot drift from the
//! compiler.

use crate::schema::{self, NodeSchema, PropSchema, Repeat};
use std::fmt::Write;

fn anchor(key: &str) -> String {
    key.replace('.', "-")
}

fn parents(key: &str) -> Vec<&'static str> {
    let mut out: Vec<&'static str> =
        schema::nodes().filter(|n| n.all_children().any(|c| c.key == key)).map(|n| n.key).collect();
    if schema::TOP_LEVEL.contains(&key) {
        out.insert(0, "(top level)");
    }
    out
}

fn section(out: &mut String, n: &'static NodeSchema) {
    let _ = writeln!(out, "## `{}` {{#{}}}\n", n.key, anchor(n.key));
    let mut syntax = n.name.to_string();
    for a in n.args {
        let arg = if a.variadic { format!("{}...", a.name) } else { a.name.to_string() };
        syntax.push(' ');
        syntax.push_str(&if a.required { arg } else { format!("[{arg}]") });
    }
    for p in n.props {
        syntax.push_str(&format!(" {}=…", p.name));
    }
    if n.all_children().next().is_some() {
        syntax.push_str(" { … }");
    }
    let _ = writeln!(out, "{}.\n", capitalise(n.doc));
    let _ = writeln!(out, "```text\n{syntax}\n```\n");
    let ps: Vec<String> = parents(n.key)
        .iter()
        .map(|p| if p.starts_with('(') { (*p).to_string() } else { format!("[`{p}`](#{})", anchor(p)) })
        .collect();
    if !ps.is_empty() {
        let _ = writeln!(out, "Appears in: {}.\n", ps.join(", "));
    }
    if let Some(kind) = n.declares {
        let _ = writeln!(out, "Declares a {} (its first argument is its name).\n", kind.word());
    }
    if !n.args.is_empty() {
        let _ = writeln!(out, "| argument | type | required | default |\n|---|---|---|---|");
        for a in n.args {
            let _ = writeln!(
                out,
                "| `{}`{}{} | {} | {} | {} |",
                a.name,
                if a.variadic { " (one or more)" } else { "" },
                if a.check_only { format!(" ({CHECK_ONLY})") } else { String::new() },
                a.ty.short(),
                if a.required { "yes" } else { "no" },
                a.default.map(|d| format!("`{d}`")).unwrap_or_default()
            );
        }
        out.push('\n');
    }
    if !n.props.is_empty() {
        out.push_str(PROPERTY_HEADER);
        for p in n.props {
            property_row(out, p);
        }
        out.push('\n');
    }
    if n.all_children().next().is_some() {
        let _ = writeln!(out, "| child | how often | required |\n|---|---|---|");
        for c in n.all_children() {
            let Some(child) = schema::node(c.key) else { continue };
            let how = match c.repeat {
                Repeat::Once => "once",
                Repeat::Keyed => "many, one per name/key",
                Repeat::Union => "many",
            };
            let _ = writeln!(
                out,
                "| [`{}`](#{}) | {how} | {} |",
                child.name,
                anchor(c.key),
                if c.required { "yes" } else { "no" }
            );
        }
        out.push('\n');
    }
}

/// The header of a table of properties.
const PROPERTY_HEADER: &str = "| property | type | required | default | meaning |\n|---|---|---|---|---|\n";

fn property_row(out: &mut String, p: &PropSchema) {
    let _ = writeln!(
        out,
        "| `{}` | {} | {} | {} | {} |",
        p.name,
        p.ty.short(),
        if p.required { "yes" } else { "no" },
        p.default.map(|d| format!("`{d}`")).unwrap_or_default(),
        if p.check_only { format!("{} ({CHECK_ONLY})", p.doc) } else { p.doc.to_string() }
    );
}

/// The reference section of one node kind (as in the book's language
/// reference), for an editor's hover.
pub fn node_reference(n: &'static NodeSchema) -> String {
    let mut out = String::new();
    section(&mut out, n);
    out
}

/// One property of a node kind, as its row of the reference's table.
pub fn property_reference(n: &NodeSchema, p: &PropSchema) -> String {
    let mut out = format!("`{}` property of `{}`\n\n{PROPERTY_HEADER}", p.name, n.name);
    property_row(&mut out, p);
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// How the reference marks a property that no output depends on.
pub const CHECK_ONLY: &str = "*check-only*";

/// The closing section: every property and argument only the checks read,
/// one row each.
pub fn check_only_section() -> String {
    let mut out = String::from(
        "## Check-only properties {#check-only}\n\n\
         Every property and argument changes some target's output, except these: the checks read them (and the rules named\n\
         in the [error index](errors.md) compare them), but no generated file depends on them. Each is marked\n\
         *check-only* in its node's table above.\n\n| node | property | meaning |\n|---|---|---|\n",
    );
    for n in schema::nodes() {
        for a in n.args.iter().filter(|a| a.check_only) {
            let _ = writeln!(out, "| [`{}`](#{}) | `{}` | {} |", n.key, anchor(n.key), a.name, n.doc);
        }
        for p in n.props.iter().filter(|p| p.check_only) {
            let _ = writeln!(out, "| [`{}`](#{}) | `{}` | {} |", n.key, anchor(n.key), p.name, p.doc);
        }
    }
    out
}

/// The whole reference page.
pub fn language_reference() -> String {
    let mut out = String::from(
        "# Language reference\n\n<!-- Generated from compiler/core/src/schema.rs by `cargo xtask reference`; do not edit. -->\n\n\
         Every node kind of the language, with its arguments, properties and children. Types are those of the\n\
         [values](../language/values.md) chapter; `ref (…)` is a [reference](../language/names.md).\n\
         A `profile` holds any child that a `service`, `vm` or `job` accepts. A property marked *check-only* changes\n\
         no output: only the checks read it ([the list](#check-only)).\n\n",
    );
    for n in schema::nodes() {
        section(&mut out, n);
    }
    out.push_str(&check_only_section());
    out
}
