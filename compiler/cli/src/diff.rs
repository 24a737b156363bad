//! Comparing what a program compiles to with what is in OUT, object by
//! object: Kubernetes objects by kind, namespace and name; Heat resources
//! by name; Terraform blocks by address; any other file as a whole. A
//! changed object lists the field paths that changed with old → new values
//! (`spec.http[default].route[stable].weight: 95 → 90`, named as
//! `diff_path` says), compared structurally, so key order or formatting
//! never shows as a change. Used by `hybridc diff`,
//! `hybridc build --check` and the summary `hybridc build` prints.

use crate::diff_path::flatten;
use crate::write;
use hybrid_emit::manifest::MANIFEST;
use hybrid_emit::{yaml, OutputTree};
use indexmap::IndexMap;
use serde_json::Value;
use std::path::Path;

/// What an object is: `Deployment shop/order-service`,
/// `resource openstack_compute_instance_v2.db`, `file README.md`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjectKey {
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
}

impl std::fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{} {ns}/{}", self.kind, self.name),
            None => write!(f, "{} {}", self.kind, self.name),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub path: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Added,
    Changed,
    Removed,
}

impl Kind {
    pub fn sign(self) -> char {
        match self {
            Kind::Added => '+',
            Kind::Changed => '~',
            Kind::Removed => '-',
        }
    }
    pub fn word(self) -> &'static str {
        match self {
            Kind::Added => "added",
            Kind::Changed => "changed",
            Kind::Removed => "removed",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ObjectChange {
    pub file: String,
    pub key: ObjectKey,
    pub kind: Kind,
    pub fields: Vec<FieldChange>,
    /// The declaration that produced the object, when one did alone (see
    /// [`Report::declare`]).
    pub declared: Option<Declared>,
}

/// Where a declaration is written: a file of the program, relative to the
/// program's root, and the line of the declaration's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    pub file: String,
    pub line: usize,
}

impl std::fmt::Display for Declared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

impl ObjectChange {
    fn new(file: &str, key: &ObjectKey, kind: Kind, fields: Vec<FieldChange>) -> Self {
        ObjectChange { file: file.into(), key: key.clone(), kind, fields, declared: None }
    }
}

#[derive(Debug, Clone)]
pub struct FileChange {
    pub path: String,
    pub kind: Kind,
    pub old: String,
    pub new: String,
}

/// Everything that differs between OUT and the compiled tree.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub files: Vec<FileChange>,
    pub objects: Vec<ObjectChange>,
    /// Generated paths where OUT holds a file hybridc did not write.
    pub unmanaged: Vec<String>,
    /// Other files in OUT that hybridc did not write (left alone).
    pub foreign: Vec<String>,
    /// Symbolic links below OUT where generated files go: the path and
    /// what it points to. Nothing is read through them; what lies below
    /// one counts as missing.
    pub links: Vec<(String, String)>,
    pub unchanged: usize,
    /// The objects that differ beyond those in `objects` (see
    /// [`compare_summary`]), counted by kind.
    pub unlisted: Tally,
}

/// A count of objects by kind of change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally([usize; 3]);

impl Tally {
    fn at(kind: Kind) -> usize {
        match kind {
            Kind::Changed => 0,
            Kind::Added => 1,
            Kind::Removed => 2,
        }
    }
    pub fn add(&mut self, kind: Kind, count: usize) {
        if let Some(n) = self.0.get_mut(Self::at(kind)) {
            *n += count;
        }
    }
    pub fn of(&self, kind: Kind) -> usize {
        self.0.get(Self::at(kind)).copied().unwrap_or(0)
    }
    pub fn total(&self) -> usize {
        self.0.iter().sum()
    }
}

impl Report {
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.unmanaged.is_empty() && self.links.is_empty()
    }
    /// The objects of a kind, listed or not.
    pub fn count(&self, kind: Kind) -> usize {
        self.objects.iter().filter(|o| o.kind == kind).count() + self.unlisted.of(kind)
    }
    /// Every object that differs, listed or not.
    pub fn object_count(&self) -> usize {
        self.objects.len() + self.unlisted.total()
    }
    /// Links each object listed to the declaration that produced its file
    /// (`of`: output path → declaration); objects of other files keep none.
    pub fn declare(&mut self, of: impl Fn(&str) -> Option<Declared>) {
        for o in &mut self.objects {
            o.declared = of(&o.file);
        }
    }
}

/// Compares OUT with the tree; reads only, never writes. The report keeps
/// both texts of every changed file (for unified diffs).
pub fn compare(out: &Path, tree: &OutputTree) -> Report {
    compare_with(out, tree, true, usize::MAX)
}

/// [`compare`] without keeping file texts, listing the first `list`
/// objects and counting the others: what `hybridc build` prints needs
/// only those objects and the fields that changed.
pub fn compare_summary(out: &Path, tree: &OutputTree, list: usize) -> Report {
    compare_with(out, tree, false, list)
}

fn compare_with(out: &Path, tree: &OutputTree, keep_text: bool, list: usize) -> Report {
    let managed = write::managed(out);
    let mut report = Report::default();
    let entries = entries(tree, &managed);
    let paths: Vec<&str> = entries.iter().map(|e| e.path).collect();
    report.links = write::links_in_the_way(out, &paths);
    let behind_link = |p: &str| {
        report.links.iter().any(|(l, _)| p == l || p.strip_prefix(l.as_str()).is_some_and(|r| r.starts_with('/')))
    };
    report.foreign = foreign(out, &|rel| managed.contains(rel) || tree.get(rel).is_some() || behind_link(rel));
    // A first build (no OUT yet) has nothing in the way of any path.
    let present = std::fs::symlink_metadata(out).is_ok();
    // Each path is read and compared on its own: on every thread, results
    // gathered in path order, a slice of paths at a time so that the
    // objects not listed are never all held at once. While objects are
    // still to be listed, a slice is no longer than the list's room:
    // past it, an added or removed file's objects are only counted.
    let mut rest = entries.as_slice();
    while !rest.is_empty() {
        let room = list.saturating_sub(report.objects.len());
        let size = if room > 0 { room.min(CHUNK) } else { CHUNK };
        let (slice, after) = rest.split_at(size.min(rest.len()));
        rest = after;
        let per_path = hybrid_emit::par_map(slice, |entry| {
            compare_path(out, entry, keep_text, !present || behind_link(entry.path), room > 0)
        });
        for p in per_path {
            match p {
                PathResult::Unchanged => report.unchanged += 1,
                PathResult::Differs { unmanaged, file, objects, counted } => {
                    if let Some(u) = unmanaged {
                        report.unmanaged.push(u);
                    }
                    for o in objects {
                        if report.objects.len() < list {
                            report.objects.push(o);
                        } else {
                            report.unlisted.add(o.kind, 1);
                        }
                    }
                    report.unlisted.add(file.kind, counted);
                    report.files.push(file);
                }
            }
        }
    }
    report
}

/// The most paths compared at once (their objects held until gathered).
const CHUNK: usize = 4096;

/// A path to compare: the tree's bytes there, and whether OUT's manifest
/// lists it.
struct Entry<'a> {
    path: &'a str,
    new: Option<&'a [u8]>,
    managed: bool,
}

/// Every path of the tree and of OUT's manifest but the manifest's own,
/// in path order: the two are sorted, so they are merged, and no path is
/// looked up in either.
fn entries<'a>(tree: &'a OutputTree, managed: &'a std::collections::BTreeSet<String>) -> Vec<Entry<'a>> {
    use std::cmp::Ordering;
    let generated = tree.get(MANIFEST).is_some();
    let mut files = tree.files().filter(|(p, _)| *p != MANIFEST).peekable();
    let mut listed = managed.iter().map(String::as_str).filter(|m| !generated || *m != MANIFEST).peekable();
    let mut entries = Vec::with_capacity(tree.len());
    loop {
        let order = match (files.peek(), listed.peek()) {
            (Some(&(path, _)), Some(&m)) => path.cmp(m),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => break,
        };
        let entry = match order {
            Ordering::Less => files.next().map(|(path, new)| Entry { path, new: Some(new), managed: false }),
            Ordering::Equal => {
                files.next().zip(listed.next()).map(|((path, new), _)| Entry { path, new: Some(new), managed: true })
            }
            Ordering::Greater => listed.next().map(|path| Entry { path, new: None, managed: true }),
        };
        entries.extend(entry);
    }
    entries
}

/// The report for an OUT that [`write::Verifying`] finds built from this
/// very input (its manifest records the input, every file it lists is on
/// disk as listed): every file unchanged, known without rendering.
pub fn all_unchanged(out: &Path, listed: Vec<String>) -> Report {
    let listed: std::collections::BTreeSet<String> = listed.into_iter().collect();
    Report { unchanged: listed.len(), foreign: foreign(out, &|rel| listed.contains(rel)), ..Report::default() }
}

/// The files in OUT, but its manifest, that `known` does not claim: what
/// hybridc did not write and leaves alone, in path order.
fn foreign(out: &Path, known: &dyn Fn(&str) -> bool) -> Vec<String> {
    if !out.is_dir() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for e in walkdir::WalkDir::new(out).min_depth(1).sort_by_file_name().into_iter().filter_map(Result::ok) {
        if !e.file_type().is_file() && !e.file_type().is_symlink() {
            continue;
        }
        let rel = e.path().strip_prefix(out).map(|p| p.to_string_lossy().replace('\\', "/")).unwrap_or_default();
        if rel != MANIFEST && !known(&rel) {
            found.push(rel);
        }
    }
    found
}

enum PathResult {
    Unchanged,
    /// `objects` as compared; `counted` more, of the file's kind of
    /// change, only counted.
    Differs {
        unmanaged: Option<String>,
        file: FileChange,
        objects: Vec<ObjectChange>,
        counted: usize,
    },
}

fn compare_path(out: &Path, entry: &Entry<'_>, keep_text: bool, unread: bool, listing: bool) -> PathResult {
    let Entry { path, new, managed } = *entry;
    let mut unmanaged = None;
    // Nothing is read behind a link, nor in an OUT that is not there.
    let old = if unread {
        None
    } else if managed {
        write::read_regular(&out.join(path))
    } else {
        // Anything in the way, a link included (one `lstat`).
        if std::fs::symlink_metadata(out.join(path)).is_ok() {
            unmanaged = Some(path.to_string());
        }
        None
    };
    // Bytes first: an unchanged file is never decoded.
    if old.as_deref() == new {
        return PathResult::Unchanged;
    }
    let kind = match (&old, new) {
        (None, _) => Kind::Added,
        (_, None) => Kind::Removed,
        _ => Kind::Changed,
    };
    // Past the objects listed, a whole YAML file's are counted as
    // [`object_changes`] would name them: neither decoded nor copied.
    let whole = match (old.as_deref(), new) {
        (None, Some(b)) | (Some(b), None) if !listing && path.ends_with(".yaml") => count_keys(b),
        _ => None,
    };
    if let Some(counted) = whole {
        let file = FileChange { path: path.to_string(), kind, old: String::new(), new: String::new() };
        return PathResult::Differs { unmanaged, file, objects: Vec::new(), counted };
    }
    let old = old.map(|b| String::from_utf8(b).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()));
    let new = new.map(text).unwrap_or_default();
    let old = old.unwrap_or_default();
    let objects = object_changes(path, &old, &new);
    let (old, new) = if keep_text { (old, new.into_owned()) } else { (String::new(), String::new()) };
    PathResult::Differs { unmanaged, file: FileChange { path: path.to_string(), kind, old, new }, objects, counted: 0 }
}

/// Bytes as text: borrowed when they are UTF-8 (always, for generated
/// files), replaced characters otherwise.
fn text(b: &[u8]) -> std::borrow::Cow<'_, str> {
    std::str::from_utf8(b).map(std::borrow::Cow::Borrowed).unwrap_or_else(|_| String::from_utf8_lossy(b))
}

/// The objects of one file, by key, in file order.
fn objects(path: &str, text: &str) -> IndexMap<ObjectKey, Value> {
    let mut out = IndexMap::new();
    if text.is_empty() {
        return out;
    }
    let whole = |out: &mut IndexMap<ObjectKey, Value>| {
        out.insert(
            ObjectKey { kind: "file".into(), namespace: None, name: path.to_string() },
            Value::from(text.to_string()),
        );
    };
    if path.ends_with(".yaml") || path.ends_with(".yml") {
        let Ok(docs) = yaml::read_documents(text) else {
            whole(&mut out);
            return out;
        };
        for doc in docs {
            if doc.get("heat_template_version").is_some() {
                if let Some(resources) = doc.get("resources").and_then(Value::as_object) {
                    for (name, r) in resources {
                        let kind = r.get("type").and_then(Value::as_str).unwrap_or("resource").to_string();
                        out.insert(ObjectKey { kind, namespace: None, name: name.clone() }, r.clone());
                    }
                }
                let mut rest = doc.clone();
                if let Some(m) = rest.as_object_mut() {
                    m.remove("resources");
                }
                out.insert(ObjectKey { kind: "template".into(), namespace: None, name: path.to_string() }, rest);
                continue;
            }
            let kind = doc.get("kind").and_then(Value::as_str).unwrap_or("document").to_string();
            let meta = doc.get("metadata");
            let name = meta.and_then(|m| m.get("name")).and_then(Value::as_str).unwrap_or("").to_string();
            let namespace = meta.and_then(|m| m.get("namespace")).and_then(Value::as_str).map(str::to_string);
            out.insert(ObjectKey { kind, namespace, name }, doc);
        }
        return out;
    }
    if path.ends_with(".tf") {
        for (address, fields) in hcl_blocks(text) {
            let (kind, name) = match address.split_once(' ') {
                Some((k, n)) => (k.to_string(), n.to_string()),
                None => (address.clone(), String::new()),
            };
            out.insert(ObjectKey { kind, namespace: None, name }, Value::Object(fields));
        }
        return out;
    }
    whole(&mut out);
    out
}

/// Top-level blocks of an HCL file as written by hybridc: the address
/// (`resource openstack_compute_instance_v2.db`) and its attributes by
/// path (`network[0].name`). Lines of other shapes are kept verbatim.
fn hcl_blocks(text: &str) -> Vec<(String, serde_json::Map<String, Value>)> {
    let mut out = Vec::new();
    let mut current: Option<(String, serde_json::Map<String, Value>)> = None;
    let mut stack: Vec<String> = Vec::new();
    let mut counts: IndexMap<String, usize> = IndexMap::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if !line.starts_with(' ') && trimmed.ends_with('{') {
            let words: Vec<String> =
                trimmed.trim_end_matches('{').split_whitespace().map(|w| w.trim_matches('"').to_string()).collect();
            let address = match words.split_first() {
                Some((kind, labels)) if !labels.is_empty() => format!("{kind} {}", labels.join(".")),
                Some((kind, _)) => kind.clone(),
                None => String::new(),
            };
            current = Some((address, serde_json::Map::new()));
            stack.clear();
            counts.clear();
            continue;
        }
        if trimmed == "}" {
            if stack.pop().is_none() {
                if let Some(block) = current.take() {
                    out.push(block);
                }
            }
            continue;
        }
        let Some((_, fields)) = current.as_mut() else { continue };
        if trimmed.ends_with('{') && !trimmed.contains('=') {
            let name = trimmed.trim_end_matches('{').trim().replace('"', "");
            let parent = stack.join(".");
            let key = if parent.is_empty() { name.clone() } else { format!("{parent}.{name}") };
            let n = counts.entry(key.clone()).or_insert(0);
            stack.push(format!("{name}[{n}]"));
            *n += 1;
            continue;
        }
        let prefix = if stack.is_empty() { String::new() } else { format!("{}.", stack.join(".")) };
        match trimmed.split_once('=') {
            Some((k, v)) => {
                let raw = v.trim();
                // Numbers, booleans and quoted strings compare as values.
                let value = serde_json::from_str::<Value>(raw).ok().filter(|v| !v.is_array() && !v.is_object());
                fields.insert(format!("{prefix}{}", k.trim()), value.unwrap_or_else(|| Value::from(raw.to_string())));
            }
            None => {
                let n = fields.len();
                fields.insert(format!("{prefix}line{n}"), Value::from(trimmed.to_string()));
            }
        }
    }
    out
}

/// The keys of the Kubernetes objects of a YAML file as hybridc writes it
/// (`kind:` at the start of a line, `name:`/`namespace:` under
/// `metadata:`), without parsing it; a document with no `kind` (a
/// cluster's `prerequisites.yaml`) is a `document`, as [`objects`] names
/// it. `None` when the file has another shape (a Heat template, a
/// Kubernetes object without a name, no document). An added or removed
/// file needs only its objects' keys, and a first build adds every file.
fn scan_keys(text: &[u8]) -> Option<Vec<ObjectKey>> {
    let owned = |b: &[u8], unquote: bool| {
        let s = String::from_utf8_lossy(b);
        let s = s.trim();
        if unquote { s.trim_matches('\'') } else { s }.to_string()
    };
    let mut keys = Vec::new();
    scan(text, |kind, namespace, name| {
        keys.push(ObjectKey {
            kind: kind.map_or_else(|| "document".into(), |k| owned(k, false)),
            namespace: namespace.map(|n| owned(n, true)),
            name: name.map(|n| owned(n, true)).unwrap_or_default(),
        });
    })?;
    Some(keys)
}

/// How many objects [`scan_keys`] finds, none of them copied: a file's
/// objects past those a summary lists are only counted.
fn count_keys(text: &[u8]) -> Option<usize> {
    let mut n = 0;
    scan(text, |_, _, _| n += 1)?;
    Some(n)
}

/// [`scan_keys`]'s reading: each document's kind (none for a
/// `document`), namespace and name, in file order, as they are written
/// (`key` is called before a later document is found to have another
/// shape). A document is read until its key is whole: a `kind:` line, a
/// name, and the end of the `metadata:` block that gave it (hybridc
/// writes them first); a line is found with `memchr`, only its first
/// bytes are looked at, and an indented line is skipped outside
/// `metadata:`.
fn scan<'t>(text: &'t [u8], mut key: impl FnMut(Option<&'t [u8]>, Option<&'t [u8]>, Option<&'t [u8]>)) -> Option<()> {
    let ends = memchr::memmem::find_iter(text, b"\n---\n").map(|at| (at, at + 5));
    let mut start = 0;
    for (end, next) in ends.chain(std::iter::once((text.len(), text.len()))) {
        let doc = text.get(start..end).unwrap_or_default();
        start = next;
        let (mut kind, mut name, mut namespace) = (None, None, None);
        let mut in_meta = false;
        // Whether the document has a key of its own (a line at the top level).
        let mut top = false;
        let mut from = 0;
        let newlines = memchr::memchr_iter(b'\n', doc).map(Some).chain(std::iter::once(None));
        for nl in newlines {
            let line = match nl {
                Some(at) => doc.get(from..at).map(|l| l.strip_suffix(b"\r").unwrap_or(l)),
                None => doc.get(from..),
            }
            .unwrap_or_default();
            from = nl.map_or(doc.len(), |at| at + 1);
            if line.first() == Some(&b' ') {
                if in_meta && line.get(1) == Some(&b' ') && line.get(2) != Some(&b' ') {
                    if let Some(v) = line.strip_prefix(b"  name: ") {
                        name = Some(v);
                    } else if let Some(v) = line.strip_prefix(b"  namespace: ") {
                        namespace = Some(v);
                    }
                }
                continue;
            }
            if !line.is_empty() && line.first() != Some(&b'#') {
                top = true;
            }
            if line.starts_with(b"heat_template_version:") {
                return None;
            }
            if let Some(k) = line.strip_prefix(b"kind: ") {
                kind = Some(k);
                in_meta = false;
            } else {
                in_meta = line == b"metadata:";
            }
            if kind.is_some() && name.is_some() && !in_meta {
                break;
            }
        }
        match kind {
            Some(_) if name.is_none() => return None,
            None if !top => return None,
            _ => key(kind, namespace, name),
        }
    }
    Some(())
}

fn object_changes(file: &str, old: &str, new: &str) -> Vec<ObjectChange> {
    // A whole file added or removed: its objects' keys are enough.
    let whole = if old.is_empty() {
        Some((new, Kind::Added))
    } else if new.is_empty() {
        Some((old, Kind::Removed))
    } else {
        None
    };
    if let Some((text, kind)) = whole {
        let keys = if file.ends_with(".yaml") {
            scan_keys(text.as_bytes())
        } else if !text.is_empty() && !file.ends_with(".yml") && !file.ends_with(".tf") {
            // A file of another kind is one object: its path (see `objects`),
            // its text never copied.
            Some(vec![ObjectKey { kind: "file".into(), namespace: None, name: file.to_string() }])
        } else {
            None
        };
        if let Some(keys) = keys {
            return keys.into_iter().map(|key| ObjectChange::new(file, &key, kind, Vec::new())).collect();
        }
    }
    let (a, b) = (objects(file, old), objects(file, new));
    let mut out = Vec::new();
    for (key, nv) in &b {
        match a.get(key) {
            None => out.push(ObjectChange::new(file, key, Kind::Added, Vec::new())),
            Some(ov) if ov != nv => {
                let (mut fa, mut fb) = (IndexMap::new(), IndexMap::new());
                flatten(ov, "", &mut fa);
                flatten(nv, "", &mut fb);
                let mut fields = Vec::new();
                for (p, v) in &fb {
                    if fa.get(p) != Some(v) {
                        fields.push(FieldChange { path: p.clone(), old: fa.get(p).cloned(), new: Some(v.clone()) });
                    }
                }
                for (p, v) in &fa {
                    if !fb.contains_key(p) {
                        fields.push(FieldChange { path: p.clone(), old: Some(v.clone()), new: None });
                    }
                }
                if !fields.is_empty() {
                    out.push(ObjectChange::new(file, key, Kind::Changed, fields));
                }
            }
            Some(_) => {}
        }
    }
    for key in a.keys() {
        if !b.contains_key(key) {
            out.push(ObjectChange::new(file, key, Kind::Removed, Vec::new()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A build's summary lists the first objects and counts every one.
    #[test]
    fn a_summary_lists_the_first_objects_and_counts_them_all() {
        let tmp = tempfile::tempdir().unwrap();
        let mut tree = OutputTree::new();
        for i in 0..5 {
            tree.add(
                format!("k/{i}.yaml"),
                format!("kind: A\nmetadata:\n  name: a{i}\n---\nkind: B\nmetadata:\n  name: b{i}\n"),
            );
        }
        let full = compare(&tmp.path().join("out"), &tree);
        let summary = compare_summary(&tmp.path().join("out"), &tree, 3);
        assert_eq!((full.objects.len(), full.object_count(), full.count(Kind::Added)), (10, 10, 10));
        assert_eq!((summary.objects.len(), summary.object_count(), summary.count(Kind::Added)), (3, 10, 10));
        assert_eq!(summary.files.len(), 5);
        let listed: Vec<String> = summary.objects.iter().map(|o| o.key.to_string()).collect();
        assert_eq!(listed, ["A a0", "B b0", "A a1"]);
        let text = crate::diff_render::summary_capped(&summary, 3);
        assert_eq!(text, crate::diff_render::summary_capped(&full, 3));
        assert!(
            text.contains("… and 7 more objects")
                && text.contains("0 changed, 10 added, 0 removed (10 objects in 5 files)"),
            "{text}"
        );
    }

    /// Past the objects a summary lists, an added or removed file's are
    /// counted as the full comparison names them; the tree's paths and
    /// those OUT's manifest lists are compared in one path order.
    #[test]
    fn a_summary_counts_what_the_full_comparison_names() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let doc = |i: usize, n: usize| {
            let objects: Vec<String> =
                (0..n).map(|j| format!("kind: K\nmetadata:\n  name: o{j}\n  namespace: n{i}\nspec: {{}}\n")).collect();
            objects.join("---\n")
        };
        let with_manifest = |mut tree: OutputTree| {
            let manifest = hybrid_emit::manifest::render("t", "0", &tree);
            tree.add(MANIFEST, manifest);
            tree
        };
        let mut before = OutputTree::new();
        for i in [0, 2, 3, 5] {
            before.add(format!("a/{i}.yaml"), doc(i, 2));
        }
        before.add("b.yaml", doc(9, 3));
        write::write(&out, &with_manifest(before)).unwrap();
        let mut after = OutputTree::new();
        for i in [1, 2, 4, 5] {
            after.add(format!("a/{i}.yaml"), doc(i, if i == 5 { 3 } else { 2 }));
        }
        let after = with_manifest(after);
        let full = compare(&out, &after);
        let summary = compare_summary(&out, &after, 1);
        let files = |r: &Report| r.files.iter().map(|f| format!("{} {}", f.kind.sign(), f.path)).collect::<Vec<_>>();
        let expected = ["- a/0.yaml", "+ a/1.yaml", "- a/3.yaml", "+ a/4.yaml", "~ a/5.yaml", "- b.yaml"];
        assert_eq!(
            (files(&full), files(&summary)),
            (expected.map(String::from).to_vec(), expected.map(String::from).to_vec())
        );
        assert_eq!((full.unchanged, summary.unchanged), (1, 1));
        assert!(full.unmanaged.is_empty() && summary.unmanaged.is_empty());
        let counts = |r: &Report| (r.count(Kind::Added), r.count(Kind::Changed), r.count(Kind::Removed));
        assert_eq!((counts(&full), counts(&summary)), ((5, 0, 7), (5, 0, 7)));
        assert_eq!((full.objects.len(), summary.objects.len(), summary.object_count()), (12, 1, 12));
        assert_eq!(count_keys(doc(9, 3).as_bytes()), Some(3));
    }

    #[test]
    fn field_paths_with_old_and_new() {
        let old = "kind: VirtualService\nmetadata:\n  name: a\n  namespace: shop\nspec:\n  http:\n  - route:\n    - weight: 95\n";
        let new = "kind: VirtualService\nmetadata: {namespace: shop, name: a}\nspec:\n  http:\n  - route:\n    - weight: 90\n";
        let c = object_changes("x.yaml", old, new);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].key.to_string(), "VirtualService shop/a");
        assert_eq!(
            c[0].fields,
            vec![FieldChange {
                path: "spec.http[0].route[0].weight".into(),
                old: Some("95".into()),
                new: Some("90".into())
            }]
        );
        // Key order and formatting alone are no change.
        assert!(object_changes("x.yaml", "a: 1\nb: 2\nkind: K\n", "kind: K\nb: 2\na: 1\n").is_empty());
    }

    /// An inserted canary reads as a new route beside the stable one, not
    /// as every route after it changing.
    #[test]
    fn an_inserted_canary_is_a_new_route_by_subset() {
        let vs = |routes: &str| {
            format!("kind: VirtualService\nmetadata: {{name: a, namespace: shop}}\nspec:\n  http:\n  - name: default\n    route:\n{routes}")
        };
        let stable = |w: u32| format!("    - destination: {{host: a, subset: stable}}\n      weight: {w}\n");
        let canary = "    - destination: {host: a, subset: v2}\n      weight: 10\n";
        let c = object_changes("x.yaml", &vs(&stable(100)), &vs(&format!("{canary}{}", stable(90))));
        let fields: Vec<String> = c[0]
            .fields
            .iter()
            .map(|f| format!("{}: {:?} → {:?}", f.path, f.old.as_deref(), f.new.as_deref()))
            .collect();
        assert_eq!(
            fields,
            [
                "spec.http[default].route[v2].destination.host: None → Some(\"\\\"a\\\"\")",
                "spec.http[default].route[v2].destination.subset: None → Some(\"\\\"v2\\\"\")",
                "spec.http[default].route[v2].weight: None → Some(\"10\")",
                "spec.http[default].route[stable].weight: Some(\"100\") → Some(\"90\")",
            ]
        );
    }

    #[test]
    fn scanned_keys_match_parsed_ones() {
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  namespace: shop\n  labels:\n    name: x\nspec: {}\n---\nkind: Namespace\nmetadata:\n  name: 'on'\n";
        let keys = scan_keys(text.as_bytes()).unwrap();
        let parsed: Vec<ObjectKey> = objects("x.yaml", text).into_keys().collect();
        assert_eq!(keys, parsed);
        assert_eq!(keys[1].to_string(), "Namespace on");
    }

    /// A document with no `kind` (a cluster's `prerequisites.yaml`) and a
    /// file that is not YAML are named by scanning as by parsing, so an
    /// added one is never parsed nor copied; a Heat template still is.
    #[test]
    fn whole_files_are_named_without_parsing() {
        let prerequisites = "prerequisites:\n  secrets:\n  - namespace: shop\n    name: db\n    kind: x\n";
        let keys = scan_keys(prerequisites.as_bytes()).unwrap();
        let parsed: Vec<ObjectKey> = objects("dc/k8s/prerequisites.yaml", prerequisites).into_keys().collect();
        assert_eq!(keys, parsed);
        assert_eq!(keys[0].to_string(), "document ");
        let heat = "heat_template_version: 2021-04-16\nresources:\n  a:\n    type: OS::Nova::Server\n";
        assert_eq!(scan_keys(heat.as_bytes()), None);
        assert_eq!(scan_keys(b"# only a comment\n"), None);
        for (path, text) in [("dc/k8s/PREREQUISITES.md", "# Before applying\n"), ("dc/os/stack.yaml", heat)] {
            let added: Vec<ObjectKey> = object_changes(path, "", text).into_iter().map(|o| o.key).collect();
            let removed: Vec<ObjectKey> = object_changes(path, text, "").into_iter().map(|o| o.key).collect();
            let parsed: Vec<ObjectKey> = objects(path, text).into_keys().collect();
            assert_eq!((&added, &removed), (&parsed, &parsed), "{path}");
        }
    }

    #[test]
    fn terraform_by_address() {
        let old = "resource \"vsphere_virtual_machine\" \"db\" {\n  num_cpus = 4\n  disk {\n    size = 10\n  }\n}\n";
        let new = "resource \"vsphere_virtual_machine\" \"db\" {\n  num_cpus = 8\n  disk {\n    size = 10\n  }\n}\n";
        let c = object_changes("vms.tf", old, new);
        assert_eq!(c[0].key.to_string(), "resource vsphere_virtual_machine.db");
        assert_eq!(c[0].fields[0].path, "num_cpus");
        assert_eq!((c[0].fields[0].old.as_deref(), c[0].fields[0].new.as_deref()), (Some("4"), Some("8")));
    }
}
