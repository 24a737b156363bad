//! Nothing written is silently dropped: every property of the schema either
//! changes some target's output or is marked check-only in the schema and
//! listed as such in the language reference.
//!
//! For each property that is not check-only, the construct fixtures under
//! `tests/constructs/` that write it are built in memory, then built again
//! with its value changed (another word, number, size, name…) or the
//! property removed; some such change must change the rendered files. A
//! change the compiler refuses (an error) proves nothing and the next one
//! is tried. A check-only property must be listed in the reference, and no
//! such change of it may change the output. Positional arguments are
//! proved the same way, except the name a node declares, the few that are
//! the program's structure ([`STRUCTURE`]) and a word with no other choice.

use hybrid_core::schema::{self, ArgSchema, NodeSchema, Ty};
use hybrid_core::{compile, MemoryFs};
use hybrid_diagnostics::FileId;
use hybrid_emit::EmitOptions;
use hybrid_syntax::{Children, Entry, Value};
use hybrid_tests::root;
use hybridc::{render, TARGETS};
use std::collections::BTreeMap;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Where the fixtures are, for messages.
const FIXTURES: &str = "tests/constructs/";

/// One property as written in a fixture.
struct Occurrence {
    file: PathBuf,
    text: String,
    /// `key=value`, and the value alone.
    entry: Range<usize>,
    value: Range<usize>,
    /// The value written, a string's text aside (in `written_text`).
    written: Value<'static>,
    written_text: String,
    ty: Ty,
    required: bool,
    /// Every name the fixture declares (`name`, `site.name`): what a
    /// reference may be changed to.
    names: Vec<String>,
    /// Every string the fixture writes: what free text may be changed to
    /// (another MIG profile, another path).
    strings: Vec<String>,
}

type Key = (&'static str, &'static str);

/// The schema of a node written `name` under `parent` (a profile holds a
/// workload's children).
fn schema_of(parent: Option<&'static NodeSchema>, name: &str) -> Option<&'static NodeSchema> {
    match parent {
        None => schema::top_level(name),
        Some(p) if p.key == "profile" => {
            schema::WORKLOAD_KEYS.iter().filter_map(|k| schema::node(k)).find_map(|w| w.child(name)).map(|(_, n)| n)
        }
        Some(p) => p.child(name).map(|(_, n)| n),
    }
}

/// Every declared name of a document, bare and under its parent's name.
fn names(nodes: Children, parent: Option<&str>, out: &mut Vec<String>) {
    for n in nodes {
        let Some(Value::String(name)) = n.args().next().map(|a| a.value()) else { continue };
        out.push(name.to_string());
        if let Some(p) = parent {
            out.push(format!("{p}.{name}"));
        }
        names(n.children(), Some(name), out);
    }
}

/// Every string value of a document.
fn strings(nodes: Children, out: &mut Vec<String>) {
    for n in nodes {
        out.extend(n.entries().filter_map(|e| match e.value() {
            Value::String(s) => Some(s.to_string()),
            _ => None,
        }));
        strings(n.children(), out);
    }
}

fn walk(
    nodes: Children,
    parent: Option<&'static NodeSchema>,
    file: &(PathBuf, String, Vec<String>, Vec<String>),
    out: &mut BTreeMap<Key, Vec<Occurrence>>,
) {
    for n in nodes {
        let Some(s) = schema_of(parent, n.name()) else { continue };
        let mut add = |name: &'static str, e: &Entry, ty: Ty, required: bool| {
            out.entry((s.key, name)).or_default().push(Occurrence {
                file: file.0.clone(),
                text: file.1.clone(),
                entry: e.span().range(),
                value: e.value_span().range(),
                written: match e.value() {
                    Value::String(_) => Value::String(""),
                    Value::Int(i) => Value::Int(i),
                    Value::Float(f) => Value::Float(f),
                    Value::Bool(b) => Value::Bool(b),
                    Value::Null => Value::Null,
                },
                written_text: match e.value() {
                    Value::String(s) => s.to_string(),
                    _ => String::new(),
                },
                ty,
                required,
                names: file.2.clone(),
                strings: file.3.clone(),
            });
        };
        for e in n.props() {
            let Some(p) = e.key().and_then(|k| s.prop(k)) else { continue };
            add(p.name, &e, p.ty, p.required);
        }
        for (i, e) in n.args().enumerate() {
            let Some(a) = arg_schema(s, i) else { continue };
            add(a.name, &e, a.ty, a.required);
        }
        walk(n.children(), Some(s), file, out);
    }
}

/// The schema of the `i`th argument of a node, unless it is the name the
/// node declares (a name changes every output that names it, trivially).
fn arg_schema(s: &NodeSchema, i: usize) -> Option<&'static ArgSchema> {
    if s.declares.is_some() && i == 0 {
        return None;
    }
    let args: &'static [ArgSchema] = s.args;
    args.get(i).or_else(|| args.last().filter(|a| a.variadic))
}

/// Every property written in a construct fixture, by node key and name.
fn occurrences() -> BTreeMap<Key, Vec<Occurrence>> {
    let mut out = BTreeMap::new();
    let mut files: Vec<PathBuf> = fs::read_dir(root().join(FIXTURES)).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for path in files.into_iter().filter(|p| p.extension().is_some_and(|x| x == "hybrid")) {
        let text = fs::read_to_string(&path).unwrap();
        let (doc, diags) = hybrid_syntax::parse(FileId(0), &text);
        assert!(diags.is_empty(), "{} does not parse", path.display());
        let mut declared = Vec::new();
        names(doc.nodes(), None, &mut declared);
        for (module, module_text) in hybrid_core::stdlib::MODULES {
            if text.contains(&format!("import \"{module}\"")) {
                names(hybrid_syntax::parse(FileId(0), *module_text).0.nodes(), None, &mut declared);
            }
        }
        let mut written = Vec::new();
        strings(doc.nodes(), &mut written);
        written.sort();
        written.dedup();
        walk(doc.nodes(), None, &(path, text, declared, written), &mut out);
    }
    out
}

/// The rendered files of a program, or `None` when it has errors.
fn build(path: &Path, text: &str) -> Option<Vec<(String, Vec<u8>)>> {
    let fs = MemoryFs::new().with(path, text);
    let t = compile(path, &fs).ok()?.topology?;
    let tree = render(&t, TARGETS, &EmitOptions::default());
    Some(tree.files().map(|(p, b)| (p.to_string(), b.to_vec())).collect())
}

/// Other values of the property's type, as written in a program.
fn other_values(o: &Occurrence) -> Vec<String> {
    let quoted = |v: &[&str]| v.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>();
    let text = o.written_text.clone();
    match o.ty {
        Ty::Int { .. } => {
            let n = match o.written {
                Value::Int(n) => n,
                _ => 0,
            };
            [n + 1, n - 1, n * 2, 1, 2, 3, 0].iter().map(|v| v.to_string()).collect()
        }
        Ty::Bool => vec![if o.written == Value::Bool(true) { "#false" } else { "#true" }.into()],
        Ty::Enum(words) => quoted(words),
        Ty::Str => {
            let mut v = vec![format!("\"{text}-x\""), "\"x\"".into()];
            v.extend(o.strings.iter().map(|s| format!("\"{s}\"")));
            v
        }
        Ty::Version => quoted(&["1.30", "1.29", "8.1", "7.0"]),
        Ty::Size => quoted(&["1Ti", "64Gi", "16Gi", "2Ti", "1Gi", "200Gi"]),
        Ty::Cpu => vec!["16".into(), "8".into(), "2".into(), "128".into(), "\"500m\"".into()],
        Ty::Percent => quoted(&["50%", "30%", "90%", "10%"]),
        Ty::Duration => quoted(&["1ms", "2ms", "45s", "2h", "30d", "10m"]),
        Ty::Seconds { .. } => quoted(&["20s", "5s", "2m"]),
        Ty::Bandwidth => quoted(&["1Gbps", "40Gbps", "100Gbps"]),
        Ty::Frequency => quoted(&["2.0GHz", "3.5GHz", "2400MHz"]),
        Ty::Cidr => quoted(&["10.200.0.0/16", "172.30.0.0/16", "10.201.0.0/24"]),
        Ty::Cron => quoted(&["0 3 * * *", "30 1 * * 0"]),
        Ty::Name | Ty::LabelValue => vec![format!("\"{text}x\"")],
        Ty::EnvName => quoted(&["OTHER_NAME"]),
        Ty::LabelKey => vec![format!("\"{text}x\"")],
        Ty::PortName => quoted(&["other-port"]),
        Ty::Hostname => vec![format!("\"x{text}\"")],
        Ty::Address => quoted(&["10.99.0.9", "other.example.com"]),
        Ty::HeaderName => quoted(&["x-other-header"]),
        Ty::Ref(_) => o.names.iter().map(|n| format!("\"{n}\"")).collect(),
        Ty::Scalar => vec!["12345".into(), format!("\"{text}-x\""), "#null".into()],
    }
}

/// The programs that differ from the fixture in this property alone: each
/// other value, then (when it may be left out) without it.
fn variants(o: &Occurrence) -> Vec<String> {
    let splice = |r: &Range<usize>, with: &str| format!("{}{with}{}", &o.text[..r.start], &o.text[r.end..]);
    let current = &o.text[o.value.clone()];
    let mut out: Vec<String> = other_values(o)
        .into_iter()
        .filter(|v| v != current && v.trim_matches('"') != current.trim_matches('"'))
        .map(|v| splice(&o.value, &v))
        .collect();
    if !o.required {
        out.push(splice(&o.entry, ""));
    }
    out
}

/// Arguments that are the program's structure rather than a fact of the
/// estate, with why no output shows them: their effect is proved where it
/// lands.
const STRUCTURE: &[(Key, &str)] = &[
    (("import", "PATH"), "brings in declarations, whose own properties are proved where they are declared"),
    (("use", "PROFILE"), "applies a profile's properties, each proved on the node it lands on"),
    (("link", "SITE"), "names the link, as a declared name names a node; its properties are proved"),
];

/// Whether the argument or property has a single possible value: a
/// required word of a one-word table (`mesh istio`) is the node's only
/// form, and the node's presence is what the output shows.
fn single_form(key: Key, found: &BTreeMap<Key, Vec<Occurrence>>) -> bool {
    found.get(&key).is_some_and(|written| {
        written.iter().all(|o| o.required && matches!(o.ty, Ty::Enum(words) if words.len() == 1))
    })
}

/// Whether some change of this occurrence changes the output.
fn changes_output(o: &Occurrence) -> bool {
    let Some(before) = build(&o.file, &o.text) else { panic!("{} has errors", o.file.display()) };
    variants(o).iter().any(|v| build(&o.file, v).is_some_and(|after| after != before))
}

/// Why a property is not proved, or `None` when it is.
fn unproved(key: Key, check_only: bool, found: &BTreeMap<Key, Vec<Occurrence>>) -> Option<String> {
    let (node, prop) = key;
    if check_only {
        let reference = fs::read_to_string(root().join("book/src/reference/language.md")).unwrap();
        let row = format!("| [`{node}`](#{}) | `{prop}` |", node.replace('.', "-"));
        if !reference.contains(&row) {
            return Some(format!(
                "`{node}` `{prop}` is check-only but not listed in the reference: run `cargo xtask reference`"
            ));
        }
        let changes = found.get(&key).is_some_and(|written| written.iter().any(changes_output));
        return changes.then(|| {
            format!("`{node}` `{prop}` is marked check-only but changes output: remove its `check_only(…)` mark")
        });
    }
    if STRUCTURE.iter().any(|(k, _)| *k == key) || single_form(key, found) {
        return None;
    }
    let Some(written) = found.get(&key) else {
        return Some(format!(
            "`{node}` `{prop}` appears in no fixture under {FIXTURES}: write it in one (so that changing it shows in \
             the output), or, if only the checks read it, mark it `check_only(…)` in compiler/core/src/schema/"
        ));
    };
    if written.iter().any(changes_output) {
        return None;
    }
    let mut files: Vec<String> =
        written.iter().map(|o| o.file.strip_prefix(root()).unwrap_or(&o.file).display().to_string()).collect();
    files.dedup();
    Some(format!(
        "`{node}` `{prop}` changes no output: changing or removing it in {} leaves every rendered file the same. \
         Realise it in a target (or in the prerequisites or README the target writes), or, if only the checks read \
         it, mark it `check_only(…)` in compiler/core/src/schema/",
        files.join(", ")
    ))
}

#[test]
fn every_property_changes_output_or_is_check_only() {
    let found = occurrences();
    let failures: Vec<String> = schema::nodes()
        .flat_map(|n| {
            let args = n.args.iter().enumerate().filter(|(i, _)| arg_schema(n, *i).is_some());
            let args = args.map(move |(_, a)| ((n.key, a.name), a.check_only));
            n.props.iter().map(move |p| ((n.key, p.name), p.check_only)).chain(args)
        })
        .filter_map(|(key, check_only)| unproved(key, check_only, &found))
        .collect();
    assert!(failures.is_empty(), "{} properties are silently dropped:\n{}", failures.len(), failures.join("\n"));
}

/// The proof can fail: a property that changes no output — the gitops
/// `path`, which must be the folder the Application always syncs, so only
/// a check reads it — is found out as soon as it is not marked.
#[test]
fn a_property_without_effect_is_caught() {
    let found = occurrences();
    let key = ("kubernetes.gitops", "path");
    let path = schema::node(key.0).and_then(|n| n.prop(key.1)).unwrap();
    assert!(path.check_only);
    assert!(unproved(key, true, &found).is_none());
    let written = found.get(&key).expect("a fixture writes a gitops path");
    assert!(written.iter().all(|o| !variants(o).is_empty() && !changes_output(o)));
    let message = unproved(key, false, &found).unwrap();
    assert!(message.contains("`kubernetes.gitops` `path` changes no output"), "{message}");
}

/// Arguments are proved too: `critical`'s flag, which only sets how severe
/// a loss is, is found out as soon as it is not marked check-only.
#[test]
fn an_argument_without_effect_is_caught() {
    let found = occurrences();
    let key = ("critical", "ENABLED");
    let flag = schema::node(key.0).and_then(|n| n.args.first()).unwrap();
    assert!(flag.check_only);
    assert!(unproved(key, true, &found).is_none());
    let message = unproved(key, false, &found).unwrap();
    assert!(message.contains("`critical` `ENABLED` changes no output"), "{message}");
}
