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
use crate::hash::{HashMap, IndexMap};
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

/// Merges `over` into `base`: the rules of the module doc. Linear in the
/// nodes: past a few, each node's earlier one is found by its name and key
/// ([`merge_indexed`]), not by scanning `base` for each.
fn merge<'a>(base: &mut Vec<(Node<'a>, Origin)>, over: Vec<(Node<'a>, Origin)>) {
    if base.len().saturating_add(over.len()) > SCAN_LIMIT {
        merge_indexed(base, over);
    } else {
        merge_scanning(base, over);
    }
}

/// [`merge`] of a few nodes: each node's earlier one found by scanning.
fn merge_scanning<'a>(base: &mut Vec<(Node<'a>, Origin)>, over: Vec<(Node<'a>, Origin)>) {
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

/// [`merge`] of many nodes: `base` as slots (a single node's earlier
/// copies emptied rather than removed, so that no slot moves), each
/// single node's slots by name and each keyed node's first slot by name
/// and key.
fn merge_indexed<'a>(base: &mut Vec<(Node<'a>, Origin)>, over: Vec<(Node<'a>, Origin)>) {
    let mut slots: Vec<Option<(Node<'a>, Origin)>> = Vec::with_capacity(base.len() + over.len());
    let mut index = SlotIndex::default();
    for (node, origin) in base.drain(..) {
        index.place(&node, slots.len());
        slots.push(Some((node, origin)));
    }
    for (node, origin) in over {
        let name = node.name();
        match repeat_of(name) {
            Repeat::Once => {
                for at in index.single.remove(name).unwrap_or_default() {
                    if let Some(slot) = slots.get_mut(at) {
                        *slot = None;
                    }
                }
            }
            Repeat::Keyed => {
                if let Some(slot) = index.keyed.get(&(name, key_of(&node))).and_then(|&at| slots.get_mut(at)) {
                    *slot = Some((node, origin));
                    continue;
                }
            }
            Repeat::Union => {}
        }
        index.place(&node, slots.len());
        slots.push(Some((node, origin)));
    }
    base.extend(slots.into_iter().flatten());
}

/// Where [`merge_indexed`]'s nodes are: each single node's slots by name,
/// each keyed node's first slot by name and key.
#[derive(Default)]
struct SlotIndex<'a> {
    single: HashMap<&'a str, Vec<usize>>,
    keyed: HashMap<(&'a str, Option<&'a str>), usize>,
}

impl<'a> SlotIndex<'a> {
    fn place(&mut self, node: &Node<'a>, at: usize) {
        match repeat_of(node.name()) {
            Repeat::Once => self.single.entry(node.name()).or_default().push(at),
            Repeat::Keyed => {
                self.keyed.entry((node.name(), key_of(node))).or_insert(at);
            }
            Repeat::Union => {}
        }
    }
}

/// Up to this many nodes, an earlier node of the same name and key is
/// found by scanning them (a workload's dozen nodes are scanned faster
/// than they are hashed); past it, by a map, so that a workload of
/// thousands of variables is not checked in the square of their number.
const SCAN_LIMIT: usize = 32;

/// The name and key of each node kept, in order, for finding the first
/// node of a name and key: scanned up to [`SCAN_LIMIT`] nodes, looked up
/// in a map past it.
#[derive(Default)]
struct Kept<'a> {
    keys: Vec<(&'a str, Option<&'a str>)>,
    first: HashMap<(&'a str, Option<&'a str>), usize>,
}

impl<'a> Kept<'a> {
    /// The position of the first node kept with this name and key.
    fn find(&self, key: (&'a str, Option<&'a str>)) -> Option<usize> {
        if self.keys.len() <= SCAN_LIMIT {
            self.keys.iter().position(|k| *k == key)
        } else {
            self.first.get(&key).copied()
        }
    }

    fn push(&mut self, key: (&'a str, Option<&'a str>)) {
        self.keys.push(key);
        if self.keys.len() == SCAN_LIMIT + 1 {
            for (at, k) in self.keys.iter().enumerate() {
                self.first.entry(*k).or_insert(at);
            }
        } else if self.keys.len() > SCAN_LIMIT {
            self.first.entry(key).or_insert(self.keys.len() - 1);
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
    let mut kept = Kept::default();
    for c in node.children() {
        let name = c.name();
        if name == "use" {
            continue;
        }
        let repeat = repeat_of(name);
        let key = if repeat == Repeat::Keyed { key_of(&c) } else { None };
        let earlier = match repeat {
            Repeat::Once | Repeat::Keyed => kept.find((name, key)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use hybrid_diagnostics::FileId;
    use proptest::prelude::*;

    /// Children of three kinds: single (`replicas`, `image`), keyed by
    /// their first argument (`env`, `port`) and a union (`allow-from`),
    /// with few keys so that they repeat.
    fn child() -> impl Strategy<Value = String> {
        (0..5usize, 0..4usize).prop_map(|(kind, key)| match kind {
            0 => format!("replicas {key}"),
            1 => format!("image \"i{key}\""),
            2 => format!("env V{key} x"),
            3 => format!("port {}", 8080 + key),
            _ => format!("allow-from w{key}"),
        })
    }

    /// Each node of a merge by where it is written, and its origin.
    fn spans(nodes: &[(Node<'_>, Origin)]) -> Vec<(Span, Origin)> {
        nodes.iter().map(|(n, o)| (n.name_span(), *o)).collect()
    }

    proptest! {
        /// Finding nodes by a map gives the very merge a scan gives, at
        /// any size (past the scan's limit too).
        #[test]
        fn an_indexed_merge_is_the_scanning_merge(
            base in proptest::collection::vec(child(), 0..60),
            over in proptest::collection::vec(child(), 0..60),
        ) {
            let text = format!("base {{\n{}\n}}\nover {{\n{}\n}}\n", base.join("\n"), over.join("\n"));
            let (doc, diags) = hybrid_syntax::parse(FileId(0), text.as_str());
            prop_assert!(diags.is_empty(), "{diags:?}");
            let mut top = doc.nodes();
            let (Some(b), Some(o)) = (top.next(), top.next()) else { panic!("two nodes") };
            let via = Origin::Profile(b.name_span());
            let start: Vec<(Node<'_>, Origin)> = b.children().map(|n| (n, via)).collect();
            let over: Vec<(Node<'_>, Origin)> = o.children().map(|n| (n, Origin::Written)).collect();
            let (mut scanned, mut indexed) = (start.clone(), start);
            merge_scanning(&mut scanned, over.clone());
            merge_indexed(&mut indexed, over);
            prop_assert_eq!(spans(&scanned), spans(&indexed));
        }

        /// The first position of a name and key is the same whether it is
        /// scanned for or looked up, before and past the scan's limit.
        #[test]
        fn kept_nodes_are_found_where_a_scan_finds_them(
            keys in proptest::collection::vec((0..3usize, proptest::option::of(0..30usize)), 0..120),
        ) {
            const NAMES: [&str; 3] = ["env", "port", "replicas"];
            const KEYS: [&str; 30] = [
                "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14",
                "15", "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29",
            ];
            let mut kept = Kept::default();
            let mut all: Vec<(&str, Option<&str>)> = Vec::new();
            for (name, key) in keys {
                let key = (NAMES[name], key.map(|k| KEYS[k]));
                prop_assert_eq!(kept.find(key), all.iter().position(|k| *k == key));
                kept.push(key);
                all.push(key);
            }
            for name in NAMES {
                for key in std::iter::once(None).chain(KEYS.iter().map(|k| Some(*k))) {
                    prop_assert_eq!(kept.find((name, key)), all.iter().position(|k| *k == (name, key)));
                }
            }
        }
    }

    /// A profile of thousands of variables under a workload that sets
    /// half of them again: every variable once, the workload's value where
    /// it set one, in the order a scan gives.
    #[test]
    fn thousands_of_variables_merge_as_a_few_do() {
        let n = 3000;
        let profile: String = (0..n).map(|i| format!("env V{i} p\n")).collect();
        let own: String = (n / 2..n + n / 2).map(|i| format!("env V{i} w\n")).collect();
        let text = format!("p {{\n{profile}}}\nw {{\n{own}}}\n");
        let (doc, _) = hybrid_syntax::parse(FileId(0), text.as_str());
        let mut top = doc.nodes();
        let (Some(p), Some(w)) = (top.next(), top.next()) else { panic!("two nodes") };
        let via = Origin::Profile(p.name_span());
        let mut merged: Vec<(Node<'_>, Origin)> = p.children().map(|n| (n, via)).collect();
        merge(&mut merged, w.children().map(|n| (n, Origin::Written)).collect());
        assert_eq!(merged.len(), n + n / 2);
        let written = merged.iter().filter(|(_, o)| *o == Origin::Written).count();
        assert_eq!(written, n);
        let keys: Vec<&str> = merged.iter().filter_map(|(node, _)| key_of(node)).collect();
        let expected: Vec<String> = (0..n + n / 2).map(|i| format!("V{i}")).collect();
        assert_eq!(keys, expected);
    }
}
