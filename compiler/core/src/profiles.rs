//! Profiles: `use NAME` applies a profile's nodes to a workload before the
//! workload's own. A node the workload writes replaces the profile's node
//! of the same name; repeatable nodes merge by key (`port` by number, `env`
//! and `secret-env` by variable, `volume` and `disk` by name), `allow-from`
//! as a union. Profiles may `use` profiles; a cycle is HY0017.
//!
//! Merging works on syntax nodes so that the merged workload is then
//! decoded once against its own kind's schema; nodes from a profile keep
//! their spans (in the profile) and remember the `use` that brought them.

use crate::decode::Origin;
use crate::diags;
use crate::hash::IndexMap;
use crate::load::FailedImports;
use crate::schema::{self, Repeat};
use hybrid_diagnostics::{did_you_mean, Diagnostic, Span};
use hybrid_syntax::{Node, Value};

/// The declared profiles, by name, with their syntax nodes.
#[derive(Debug, Default)]
pub struct Profiles<'a> {
    pub by_name: IndexMap<String, Node<'a>>,
    /// Profiles the standard library declares, with their module, for a
    /// help when not imported.
    pub std_names: Vec<(String, &'static str)>,
    /// What failed imports would have declared.
    pub failed: FailedImports,
}

fn repeat_of(name: &str) -> Repeat {
    schema::workload_repeat(name)
}

fn key_of<'d>(node: &Node<'d>) -> Option<&'d str> {
    node.args().next().map(|a| match a.value() {
        Value::String(s) => s,
        _ => a.raw(),
    })
}

fn use_target(node: &Node) -> Option<(String, Span)> {
    let a = node.args().next()?;
    match a.value() {
        Value::String(s) => Some((s.to_string(), a.value_span())),
        _ => None,
    }
}

/// Merges `over` into `base`: the rules of the module doc.
fn merge<'a>(base: &mut Vec<(Node<'a>, Origin)>, over: Vec<(Node<'a>, Origin)>) {
    for (node, origin) in over {
        let name = node.name();
        match repeat_of(name) {
            Repeat::Once => {
                base.retain(|(n, _)| n.name() != name);
                base.push((node, origin));
            }
            Repeat::Keyed => {
                let key = key_of(&node);
                match base.iter_mut().find(|(n, _)| n.name() == name && key_of(n) == key) {
                    Some(slot) => *slot = (node, origin),
                    None => base.push((node, origin)),
                }
            }
            Repeat::Union => base.push((node, origin)),
        }
    }
}

/// The children of `workload` after its profiles are applied, each with its
/// origin, and the names of the profiles applied (outermost first).
pub fn expand<'a>(
    workload: Node<'a>,
    profiles: &Profiles<'a>,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<(Node<'a>, Origin)>, Vec<String>) {
    let mut applied = Vec::new();
    let mut stack = Vec::new();
    let merged = expand_inner(workload, None, profiles, &mut stack, &mut applied, false, diags);
    (merged, applied)
}

/// Expands a profile on its own, so that a profile no workload uses is
/// checked too. A `use` cycle is reported here only, once per cycle: from
/// the profile whose name sorts first among the cycle's members.
pub fn check_uses<'a>(profile: Node<'a>, name: &str, profiles: &Profiles<'a>, diags: &mut Vec<Diagnostic>) {
    let mut applied = Vec::new();
    let mut stack = vec![(name.to_string(), profile.name_span())];
    let mut found = Vec::new();
    expand_inner(profile, None, profiles, &mut stack, &mut applied, true, &mut found);
    for d in found {
        let is_cycle = d.code.id == hybrid_diagnostics::codes::USE_CYCLE.id;
        if !is_cycle || d.message.split(": ").nth(1).is_some_and(|chain| smallest_is(chain, name)) {
            diags.push(d);
        }
    }
}

/// Whether `name` is the first, in sorted order, of the names in a chain
/// written `a → b → a`.
fn smallest_is(chain: &str, name: &str) -> bool {
    chain.split(" → ").min() == Some(name)
}

fn expand_inner<'a>(
    node: Node<'a>,
    via: Option<Span>,
    profiles: &Profiles<'a>,
    stack: &mut Vec<(String, Span)>,
    applied: &mut Vec<String>,
    report_cycles: bool,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(Node<'a>, Origin)> {
    let mut merged: Vec<(Node<'a>, Origin)> = Vec::new();
    for child in node.children().filter(|c| c.name() == "use") {
        let Some((name, span)) = use_target(&child) else { continue };
        if let Some(pos) = stack.iter().position(|(n, _)| *n == name) {
            // Reported by `check_uses` on the profiles themselves; from a
            // workload the cycle is only cut here.
            if report_cycles {
                let mut chain: Vec<String> = stack.iter().skip(pos).map(|(n, _)| n.clone()).collect();
                chain.push(name.clone());
                let first = stack.get(pos + 1).map(|(_, s)| *s).unwrap_or(span);
                diags.push(diags::use_cycle(&chain, span, first));
            }
            continue;
        }
        let Some(profile) = profiles.by_name.get(&name) else {
            let module = profiles.std_names.iter().find(|(n, _)| *n == name).map(|(_, m)| *m);
            // A profile a failed import would have declared: HY0015 said so.
            if !profiles.failed.may_declare(module) {
                let suggestion = did_you_mean(&name, profiles.by_name.keys().map(String::as_str));
                diags.push(diags::unknown_profile(&name, span, suggestion, module.is_some()));
            }
            continue;
        };
        stack.push((name.clone(), span));
        if !applied.contains(&name) {
            applied.push(name.clone());
        }
        // Nodes of a profile are attributed to the outermost `use`, the one
        // the workload wrote.
        let origin_span = via.unwrap_or(span);
        let inner = expand_inner(*profile, Some(origin_span), profiles, stack, applied, report_cycles, diags);
        stack.pop();
        merge(&mut merged, inner);
    }
    let own = without_duplicates(node, via, diags);
    if merged.is_empty() {
        // No profile: nothing to merge with.
        return own;
    }
    merge(&mut merged, own);
    merged
}

/// The node's own children (not `use`), reporting and dropping a second
/// copy of a single node (HY0020) or of a keyed one (HY0011 for named
/// items such as disks, HY0020 for ports and variables).
fn without_duplicates<'a>(node: Node<'a>, via: Option<Span>, diags: &mut Vec<Diagnostic>) -> Vec<(Node<'a>, Origin)> {
    let origin = via.map(Origin::Profile).unwrap_or(Origin::Written);
    let mut out: Vec<(Node<'a>, Origin)> = Vec::new();
    // The name and key of each node kept, read once.
    let mut kept: Vec<(&str, Option<&str>)> = Vec::new();
    for c in node.children() {
        let name = c.name();
        if name == "use" {
            continue;
        }
        let repeat = repeat_of(name);
        let key = if repeat == Repeat::Keyed { key_of(&c) } else { None };
        let earlier = match repeat {
            Repeat::Once | Repeat::Keyed => kept.iter().position(|(n, k)| *n == name && *k == key),
            Repeat::Union => None,
        };
        let first = earlier.and_then(|i| out.get(i)).map(|(n, _)| match repeat {
            Repeat::Keyed if NAMED_ITEMS.contains(&name) => {
                n.args().next().map(|a| a.value_span()).unwrap_or(n.name_span())
            }
            _ => n.name_span(),
        });
        match first {
            Some(first) if repeat == Repeat::Keyed && NAMED_ITEMS.contains(&name) => {
                let span = c.args().next().map(|a| a.value_span()).unwrap_or(c.name_span());
                let scope = format!("workload `{}`", key_of(&node).unwrap_or_default());
                diags.push(diags::duplicate_declaration_named(
                    name,
                    key_of(&c).unwrap_or_default(),
                    span,
                    first,
                    &scope,
                ));
            }
            Some(first) if repeat == Repeat::Keyed => {
                let what = format!("{name} {}", key_of(&c).unwrap_or_default());
                diags.push(diags::duplicate_entry(&what, c.name_span(), first, true));
            }
            Some(first) => diags.push(diags::duplicate_entry(name, c.name_span(), first, true)),
            None => {
                out.push((c, origin));
                kept.push((name, key));
            }
        }
    }
    out
}

/// Keyed children that declare a name (the others are ports and variables).
const NAMED_ITEMS: &[&str] = &["disk", "volume"];

/// Checks that a profile's nodes are accepted by at least one workload kind,
/// and that it gives no secret-looking variable a literal (HY0019).
pub fn check_profile(profile: &Node, diags: &mut Vec<Diagnostic>) {
    let names = schema::profile_child_names();
    for child in profile.children() {
        if child.name() == "env" {
            let mut args = child.args();
            if let (Some(var), Some(value)) = (args.next(), args.next()) {
                if let Value::String(var) = var.value() {
                    if crate::secrets::looks_secret(var) {
                        diags.push(diags::literal_secret(var, value.value_span()));
                    }
                }
            }
        }
        if child.name() != "use" && !names.contains(&child.name()) {
            let mut d = Diagnostic::new(
                &hybrid_diagnostics::codes::UNKNOWN_NODE,
                format!("unknown node `{}` in `profile`", child.name()),
                child.name_span(),
                "not a node of a service, vm or job",
            );
            if let Some(s) = did_you_mean(child.name(), names.iter().copied()) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            diags.push(d);
        }
    }
}
