//! Applying `override`s to the emitted tree: after every target has
//! written its files and before the kustomizations, prerequisites and
//! manifest are assembled. The YAML files are still values underneath:
//! each file holding an addressed object is read back, edited and written
//! again by the one YAML writer; a file no override touches keeps its bytes.
//!
//! A Kubernetes object is found by `kind`, `metadata.name` (and
//! `metadata.namespace`) in the clusters' `kubernetes/` folders; a Heat
//! resource by its name and `type` in the stacks' `heat/` folders; a
//! Terraform `resource TYPE NAME` in the blocks the targets handed to
//! [`OutputTree::add_hcl`] (see `terraform`). What the
//! overrides found — an object or path that is not there, a generated field
//! replaced — is returned as [`Finding`]s, which the command line turns
//! into diagnostics (HY0041, HY0042, HY6012).

mod terraform;

use crate::{yaml, OutputTree, Value};
use hybrid_model::{overrides::path_text, EditOp, Override, OverrideTarget, Scalar, Segment};

/// What applying the overrides found, by index into `Topology::overrides`
/// (and into its `edits`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Finding {
    /// No object of the override's kind and name; the names of that kind.
    ObjectNotFound { over: usize, known: Vec<String> },
    /// The step at `missing` of the edit's path is not in the object:
    /// `found` is the path that is, `have` what is there instead.
    PathNotFound { over: usize, edit: usize, found: String, missing: String, have: Vec<String> },
    /// A generated field replaced (`new` = `None`: removed), as JSON.
    Replaced { over: usize, edit: usize, old: String, new: Option<String> },
}

/// The folder of a target's files below a cluster's folder.
fn folder(target: OverrideTarget) -> &'static str {
    match target {
        OverrideTarget::Kubernetes => "/kubernetes/",
        OverrideTarget::Heat => "/heat/",
        OverrideTarget::Terraform => "/terraform/",
    }
}

/// Which overrides matched an object, and the names of their kind seen.
struct Seen {
    matched: Vec<bool>,
    known: Vec<Vec<String>>,
}

/// Applies `overrides` to the tree's files; the findings, sorted, once each.
/// The Terraform files' blocks, kept for the overrides, go then: only
/// their text is written.
pub fn apply(tree: &mut OutputTree, overrides: &[Override]) -> Vec<Finding> {
    let findings = edit(tree, overrides);
    tree.hcl.clear();
    findings
}

fn edit(tree: &mut OutputTree, overrides: &[Override]) -> Vec<Finding> {
    let mut findings = Vec::new();
    if overrides.is_empty() {
        return findings;
    }
    let mut seen = Seen { matched: vec![false; overrides.len()], known: vec![Vec::new(); overrides.len()] };
    let paths: Vec<String> = tree.files().map(|(p, _)| p.to_string()).collect();
    for path in paths {
        let Some(target) = [OverrideTarget::Kubernetes, OverrideTarget::Heat]
            .into_iter()
            .find(|t| path.contains(folder(*t)) && path.ends_with(".yaml") && !path.ends_with("/kustomization.yaml"))
        else {
            continue;
        };
        if !overrides.iter().any(|o| o.target.value == target) {
            continue;
        }
        let text = String::from_utf8_lossy(tree.get(&path).unwrap_or_default()).into_owned();
        let Ok(mut docs) = yaml::read_values(&text) else { continue };
        let mut changed = false;
        for (i, o) in overrides.iter().enumerate().filter(|(_, o)| o.target.value == target) {
            let Some((m, k)) = seen.matched.get_mut(i).zip(seen.known.get_mut(i)) else { continue };
            for obj in objects(&mut docs, target, o, k) {
                *m = true;
                changed = true;
                edit_object(obj, i, o, &mut findings);
            }
        }
        if changed {
            let out = match target {
                OverrideTarget::Kubernetes => yaml::documents(&docs),
                _ => docs.first().map(yaml::document).unwrap_or_default(),
            };
            tree.replace(&path, out);
        }
    }
    terraform::apply(tree, overrides, &mut seen, &mut findings);
    for (over, (m, mut k)) in seen.matched.into_iter().zip(seen.known).enumerate() {
        if !m {
            k.sort();
            k.dedup();
            findings.push(Finding::ObjectNotFound { over, known: k });
        }
    }
    findings.sort();
    findings.dedup();
    findings
}

/// The objects of `docs` the override addresses; the names of its kind
/// are added to `known`.
fn objects<'a>(
    docs: &'a mut [Value],
    target: OverrideTarget,
    o: &Override,
    known: &mut Vec<String>,
) -> Vec<&'a mut Value> {
    let s = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
    let mut out = Vec::new();
    match target {
        OverrideTarget::Kubernetes => {
            for d in docs.iter_mut().filter(|d| s(d, "kind").as_deref() == Some(o.kind.value.as_str())) {
                let meta = d.get("metadata").cloned().unwrap_or_default();
                let name = s(&meta, "name").unwrap_or_default();
                let ns_ok = o.namespace.as_ref().is_none_or(|n| s(&meta, "namespace").as_deref() == Some(n.as_str()));
                if name == o.name.value && ns_ok {
                    out.push(d);
                } else {
                    known.push(name);
                }
            }
        }
        OverrideTarget::Terraform => {}
        OverrideTarget::Heat => {
            let resources = docs.iter_mut().filter_map(|d| d.get_mut("resources").and_then(Value::as_object_mut));
            for (name, r) in resources.flatten() {
                if s(r, "type").as_deref() != Some(o.kind.value.as_str()) {
                    continue;
                }
                if *name == o.name.value {
                    out.push(r);
                } else {
                    known.push(name.to_string());
                }
            }
        }
    }
    out
}

/// Applies every edit of override `over` to one object.
fn edit_object(obj: &mut Value, over: usize, o: &Override, findings: &mut Vec<Finding>) {
    for (edit, e) in o.edits.iter().enumerate() {
        let Some((last, parents)) = e.segments.split_last() else { continue };
        let parent = match walk(obj, parents) {
            Ok(p) => p,
            Err((at, have)) => {
                let found = path_text(parents.get(..at).unwrap_or_default());
                let missing = parents.get(at).map(ToString::to_string).unwrap_or_default();
                findings.push(Finding::PathNotFound { over, edit, found, missing, have });
                continue;
            }
        };
        let new = e.value.as_ref().map(|v| json(&v.value));
        match change(parent, last, new.clone(), e.op) {
            Ok(Some(old)) if Some(&old) != new.as_ref() => {
                let new = new.map(|n| short(&n));
                findings.push(Finding::Replaced { over, edit, old: short(&old), new });
            }
            Ok(_) => {}
            Err(have) => {
                let found = path_text(parents);
                findings.push(Finding::PathNotFound { over, edit, found, missing: last.to_string(), have });
            }
        }
    }
}

/// The value at `path` below `v`; `Err` is the index of the first step
/// that is not there and what is there instead.
fn walk<'a>(v: &'a mut Value, path: &[Segment]) -> Result<&'a mut Value, (usize, Vec<String>)> {
    let mut cur = v;
    for (i, seg) in path.iter().enumerate() {
        let have = choices(cur, seg);
        cur = step(cur, seg).ok_or((i, have))?;
    }
    Ok(cur)
}

fn step<'a>(v: &'a mut Value, seg: &Segment) -> Option<&'a mut Value> {
    match seg {
        Segment::Key(k) => v.as_object_mut()?.get_mut(k),
        Segment::Index(i) => v.as_array_mut()?.get_mut(*i),
        Segment::Match { key, value } => v.as_array_mut()?.iter_mut().find(|item| matches(item, key, value)),
    }
}

fn matches(item: &Value, key: &str, value: &str) -> bool {
    match item.get(key) {
        Some(Value::String(s)) => s == value,
        Some(n @ (Value::Int(_) | Value::UInt(_) | Value::Float(_))) => {
            value.parse::<f64>().ok().is_some_and(|v| n.as_f64() == Some(v))
        }
        Some(Value::Bool(b)) => value.parse::<bool>().ok() == Some(*b),
        _ => false,
    }
}

/// What a step could have named at `v`: its keys, positions or items.
fn choices(v: &Value, seg: &Segment) -> Vec<String> {
    match (v, seg) {
        (Value::Object(m), _) => m.keys().map(|k| Segment::Key(k.to_string()).to_string()).collect(),
        (Value::Array(a), Segment::Match { key, .. }) => a
            .iter()
            .filter_map(|item| {
                item.get(key).map(|x| format!("[{key}={}]", x.as_str().map_or(x.to_string(), str::to_string)))
            })
            .collect(),
        (Value::Array(a), _) => (0..a.len()).map(|i| format!("[{i}]")).collect(),
        _ => Vec::new(),
    }
}

/// Sets or removes `last` in `parent`: `Ok` with the value it held, `Err`
/// with what `parent` holds instead when the step cannot be taken.
fn change(parent: &mut Value, last: &Segment, new: Option<Value>, op: EditOp) -> Result<Option<Value>, Vec<String>> {
    let have = choices(parent, last);
    match (parent, last, op, new) {
        (Value::Object(m), Segment::Key(k), EditOp::Set, Some(n)) => Ok(m.insert(k.clone(), n)),
        (Value::Object(m), Segment::Key(k), EditOp::Remove, _) => m.shift_remove(k).map(Some).ok_or(have),
        (Value::Array(a), seg @ (Segment::Index(_) | Segment::Match { .. }), op, new) => {
            let at = match seg {
                Segment::Index(i) => Some(*i).filter(|i| *i < a.len()),
                Segment::Match { key, value } => a.iter().position(|item| matches(item, key, value)),
                Segment::Key(_) => None,
            }
            .ok_or(have)?;
            match (op, new) {
                (EditOp::Set, Some(n)) => Ok(a.get_mut(at).map(|slot| std::mem::replace(slot, n))),
                _ => Ok(Some(a.remove(at))),
            }
        }
        _ => Err(have),
    }
}

fn json(s: &Scalar) -> Value {
    match s {
        Scalar::Null => Value::Null,
        Scalar::Bool(b) => Value::Bool(*b),
        Scalar::Int(i) => Value::from(*i),
        Scalar::Float(f) => Value::from(*f),
        Scalar::Str(s) => Value::from(s.clone()),
    }
}

/// A value for a message: compact JSON, at most 60 characters.
fn short(v: &Value) -> String {
    json_text(&v.to_string())
}

/// A value's text for a message, at most 60 characters.
fn json_text(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or_default()),
        None => text.to_string(),
    }
}
