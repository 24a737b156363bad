//! The mutation test: from every example, a deterministic seeded set of
//! mutants — lines deleted, duplicated or swapped; the text truncated at a
//! random byte; numbers made 0, -1 or huge; strings made empty, very long,
//! full of control and bidi characters, YAML and HCL metacharacters or
//! `../`; references renamed; imports made cyclic — each run through the
//! whole tool: `check` rendered in all three message formats, `build` into
//! an OUT holding the example's output, `fmt`, `simulate` and `graph`.
//!
//! Nothing may panic or hang (each mutant has a time limit); every
//! diagnostic has a registered code, one primary label inside its file and
//! a JSON line with a file, line and column; a build that fails leaves OUT
//! byte for byte as it was, with nothing beside it; a build that succeeds
//! leaves exactly the files its manifest lists; `fmt` reaches its fixed
//! point in one pass.

use hybrid_diagnostics::{render_human, render_json_line, render_short, Code, HumanOptions};
use hybrid_tests::{examples, Rng};
use hybridc::{Format, Reporter, Request};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Mutants per example: six examples make well over 2,000.
const PER_EXAMPLE: usize = 360;

/// A mutant that takes longer than this hangs (a debug build on a busy
/// machine takes well under a second).
const LIMIT: Duration = Duration::from_secs(30);

type Files = Vec<(String, Vec<u8>)>;

/// The example's files: name and bytes, sorted.
fn read_example(dir: &Path) -> Files {
    let mut files: Files = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "hybrid"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    files.sort();
    files
}

/// The byte ranges of the string literals (`"…"`, not raw or multi-line)
/// of a text, quotes included.
fn strings(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let (mut out, mut i) = (Vec::new(), 0);
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' if !text[i..].starts_with("\"\"\"") => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                if i < b.len() && b[i] == b'"' {
                    out.push((start, i + 1));
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The byte ranges of bare integers (a digit run after ` ` or `=`).
fn numbers(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 1;
    while i < b.len() {
        if b[i].is_ascii_digit() && matches!(b[i - 1], b' ' | b'=') {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == b.len() || matches!(b[i], b' ' | b'\n' | b'}' | b';') {
                out.push((start, i));
            }
        }
        i += 1;
    }
    out
}

/// The byte ranges of the references of a text: the bare words after the
/// entries that name other declarations.
fn references(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for key in ["placement ", "from=", "to=", "of=", "use ", "allow-from ", "network ", "pool=", "backend=", "storage="]
    {
        for (at, _) in text.match_indices(key) {
            let start = at + key.len();
            let len = text[start..].find([' ', '\n', '}', ';', '"']).unwrap_or(text.len() - start);
            if len > 0 && text[start..].starts_with(|c: char| c.is_ascii_lowercase()) {
                out.push((start, start + len));
            }
        }
    }
    out.sort();
    out
}

/// What a string literal is replaced by.
const STRINGS: &[&str] = &[
    "\"\"",
    // Control, bidi and zero-width characters, escaped in KDL.
    "\"a\\u{202E}b\\u{0}c\\u{1b}[2Jd\\u{200B}e\\u{7f}\"",
    // YAML and HCL metacharacters.
    "\"x: y # z {{ a }} ${b} %{ if c } - &d *e !!str ---\\n'\\\\\\\"\"",
    "\"../../etc/passwd\"",
    "\"/abs/../x\"",
    // A raw bidi control in the source: KDL forbids it.
    "\"\u{202E}evil\"",
];

/// One mutant of an example: operator `op` with parameters from `seed`.
fn mutate(files: &Files, op: usize, seed: u64) -> Files {
    let mut rng = Rng(seed | 1);
    let mut out = files.clone();
    let pick = rng.below(out.len());
    let Some((_, bytes)) = out.get_mut(pick) else { return out };
    let text = String::from_utf8_lossy(bytes).to_string();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let splice = |text: &str, (a, b): (usize, usize), with: &str| format!("{}{with}{}", &text[..a], &text[b..]);
    let replaced: Option<String> = match op {
        0 if !lines.is_empty() => {
            let k = rng.below(lines.len());
            Some(lines.iter().enumerate().filter(|(i, _)| *i != k).map(|(_, l)| *l).collect())
        }
        1 if !lines.is_empty() => {
            let k = rng.below(lines.len());
            let mut v = lines.clone();
            v.insert(k, lines[k]);
            Some(v.concat())
        }
        2 if lines.len() > 1 => {
            let k = rng.below(lines.len() - 1);
            let mut v = lines.clone();
            v.swap(k, k + 1);
            Some(v.concat())
        }
        3 => {
            // Truncated at any byte, even inside a UTF-8 sequence.
            let cut = rng.below(bytes.len() + 1);
            bytes.truncate(cut);
            None
        }
        4 => {
            let n = numbers(&text);
            (!n.is_empty()).then(|| {
                let with = ["0", "-1", "99999999999999999999", "4294967296", "2147483648"][rng.below(5)];
                splice(&text, n[rng.below(n.len())], with)
            })
        }
        5 | 6 => {
            let s = strings(&text);
            (!s.is_empty()).then(|| {
                let with = if op == 6 {
                    format!("\"{}\"", "a".repeat(70_000))
                } else {
                    STRINGS[rng.below(STRINGS.len())].to_string()
                };
                splice(&text, s[rng.below(s.len())], &with)
            })
        }
        7 => {
            let r = references(&text);
            (!r.is_empty()).then(|| {
                let at = r[rng.below(r.len())];
                let renamed = match rng.below(3) {
                    0 => format!("{}-gone", &text[at.0..at.1]),
                    // Another reference of the file: a name of another kind.
                    1 => {
                        let other = r[rng.below(r.len())];
                        text[other.0..other.1].to_string()
                    }
                    _ => "a.b.c".to_string(),
                };
                splice(&text, at, &renamed)
            })
        }
        8 => {
            // Every file imports the next and itself: a cycle.
            let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
            for (i, (_, b)) in out.iter_mut().enumerate() {
                let next = &names[(i + 1) % names.len()];
                let mut t = format!("import \"./{next}\"\nimport \"./{}\"\n", names[i]).into_bytes();
                t.extend_from_slice(b);
                *b = t;
            }
            return out;
        }
        _ => {
            // Several of the others at once.
            let mut m = files.clone();
            for _ in 0..2 + rng.below(2) {
                m = mutate(&m, rng.below(8), rng.next_u64());
            }
            return m;
        }
    };
    if let Some(t) = replaced {
        *bytes = t.into_bytes();
    }
    out
}

/// Every entry below and beside OUT: files with their bytes, folders, links.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let bytes = e.file_type().is_file().then(|| std::fs::read(e.path()).unwrap());
            (e.path().to_path_buf(), bytes)
        })
        .collect()
}

/// Runs one mutant through every command; `Err` says what went wrong.
fn run_mutant(program: &Path, out: &Path, files: &Files) -> Result<&'static str, String> {
    if program.exists() {
        std::fs::remove_dir_all(program).map_err(|e| e.to_string())?;
    }
    std::fs::create_dir_all(program).map_err(|e| e.to_string())?;
    for (name, bytes) in files {
        std::fs::write(program.join(name), bytes).map_err(|e| e.to_string())?;
    }
    // check, in all three formats.
    let compilation = match hybrid_core::compile(program, &hybridc::RealFs) {
        Ok(c) => c,
        Err(e) => return Err(format!("the program could not be loaded: {e}")),
    };
    for d in &compilation.diagnostics {
        if !Code::find(d.code.id).is_some_and(|k| std::ptr::eq(k, d.code)) {
            return Err(format!("unregistered code {}", d.code.id));
        }
        let span = d.span();
        let Some(file) = compilation.sources.get(span.file) else { return Err(format!("{}: no file", d.code.id)) };
        let inside = span.start <= span.end
            && (span.end as usize) <= file.text.len()
            && file.text.is_char_boundary(span.start as usize)
            && file.text.is_char_boundary(span.end as usize);
        if !inside || d.labels.iter().filter(|l| l.primary).count() != 1 || d.message.is_empty() {
            return Err(format!("{} `{}`: its label is not one primary span inside its file", d.code.id, d.message));
        }
        let human = render_human(d, &compilation.sources, HumanOptions::default());
        let short = render_short(d, &compilation.sources);
        let json: serde_json::Value = serde_json::from_str(&render_json_line(d, &compilation.sources))
            .map_err(|e| format!("{}: JSON line does not parse: {e}", d.code.id))?;
        let located = json["file"].as_str().is_some_and(|f| !f.is_empty())
            && json["line"].as_u64().is_some_and(|l| l > 0)
            && json["column"].as_u64().is_some_and(|c| c > 0);
        if !located || json["code"] != d.code.id || !human.contains(d.code.id) || !short.contains(d.code.id) {
            return Err(format!("{}: a rendering without its code or location", d.code.id));
        }
    }
    // build, into an OUT holding earlier output.
    let parent = out.parent().ok_or("OUT has no parent")?;
    let before = snapshot(parent);
    let opts = hybrid_emit::EmitOptions { openstack: vec!["heat".into(), "terraform".into()] };
    let req = Request { path: program, out, targets: &[], opts: &opts, deny_warnings: false, wait: true };
    let mut sink = Reporter::to(Format::Json, Box::new(std::io::sink()), Box::new(std::io::sink()));
    let code = hybridc::build(&req, &mut sink);
    let after = snapshot(parent);
    let outcome = match code {
        0 => {
            if compilation.topology.is_none() {
                return Err("`build` succeeded where `check` found errors".to_string());
            }
            // Exactly the manifest's files (and their folders).
            let manifest: serde_json::Value = serde_json::from_slice(
                &std::fs::read(out.join("hybrid-manifest.json")).map_err(|e| format!("no manifest: {e}"))?,
            )
            .map_err(|e| e.to_string())?;
            let listed = manifest["files"].as_array().map_or(0, |f| f.len());
            let on_disk = after.iter().filter(|(p, b)| b.is_some() && p.starts_with(out)).count();
            if on_disk != listed + 1 {
                return Err(format!("OUT holds {on_disk} files, its manifest lists {listed}"));
            }
            "built"
        }
        1 | 2 => {
            if after != before {
                let changed: Vec<_> =
                    after.keys().chain(before.keys()).filter(|k| after.get(*k) != before.get(*k)).take(3).collect();
                return Err(format!("a failed build (exit {code}) changed {changed:?}"));
            }
            "refused"
        }
        n => return Err(format!("`build` exited {n}")),
    };
    // fmt: one pass reaches the fixed point.
    for (name, bytes) in files {
        let Ok(text) = std::str::from_utf8(bytes) else { continue };
        if let Ok(once) = hybrid_syntax::format(text) {
            if hybrid_syntax::format(&once).as_deref() != Ok(once.as_str()) {
                return Err(format!("`fmt` of {name} is not idempotent"));
            }
        }
    }
    // simulate and graph, on an error-free program.
    if let Some(t) = &compilation.topology {
        let analysis = hybrid_core::simulate::analyse(t);
        let _ = hybridc::simulate::table_text(t, &analysis);
        let _ = hybridc::simulate::json(t, &analysis);
        if let Some(site) = t.sites.first() {
            let _ = hybrid_core::simulate::analyse_one(t, &site.name);
        }
        let _ = hybridc::graph::dot(t);
        let _ = hybridc::graph::mermaid(t);
    }
    Ok(outcome)
}

/// One mutant on its own thread, with the time limit.
fn run_limited(program: &Path, out: &Path, files: Files) -> Result<&'static str, String> {
    let (tx, rx) = mpsc::channel();
    let (program, out) = (program.to_path_buf(), out.to_path_buf());
    let spawned = std::thread::Builder::new().name("mutant".into()).spawn(move || {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_mutant(&program, &out, &files)));
        let _ = tx.send(result.unwrap_or_else(|p| {
            let what = p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()));
            Err(format!("panicked: {}", what.unwrap_or_default()))
        }));
    });
    if let Err(e) = spawned {
        return Err(format!("no thread: {e}"));
    }
    rx.recv_timeout(LIMIT).unwrap_or_else(|_| Err(format!("hung: no result within {LIMIT:?}")))
}

#[test]
fn mutants_of_every_example_never_panic_hang_or_half_write() {
    let start = Instant::now();
    let examples = examples();
    assert!(examples.len() >= 6, "{examples:?}");
    // A mutant's panic is caught and reported with the mutant; keep the
    // default hook's message for every other thread.
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() != Some("mutant") {
            default(info);
        }
    }));
    // One lane per core: each example's mutants on one thread, in order.
    let lanes: Vec<_> = examples
        .chunks(examples.len().div_ceil(2))
        .map(|chunk| {
            let chunk = chunk.to_vec();
            std::thread::spawn(move || {
                let tmp = tempfile::tempdir().unwrap();
                let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
                let mut failures = Vec::new();
                for (e, example) in chunk.iter().enumerate() {
                    let files = read_example(example);
                    let name = example.file_name().unwrap().to_string_lossy().to_string();
                    let program = tmp.path().join(format!("p{e}"));
                    let out = tmp.path().join(format!("o{e}")).join("out");
                    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
                    // OUT starts with the example's own output.
                    assert_eq!(run_limited(&program, &out, files.clone()), Ok("built"), "{name} itself");
                    for i in 0..PER_EXAMPLE {
                        let seed = (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ name.len() as u64;
                        let mutant = mutate(&files, i % 10, seed);
                        match run_limited(&program, &out, mutant) {
                            Ok(outcome) => *counts.entry(outcome).or_default() += 1,
                            Err(why) => {
                                failures
                                    .push(format!("{name} mutant {i} (operator {}, seed {seed:#x}): {why}", i % 10));
                                if why.starts_with("hung") {
                                    // The thread still runs: this lane's OUT is not ours any more.
                                    return (counts, failures);
                                }
                            }
                        }
                    }
                }
                (counts, failures)
            })
        })
        .collect();
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for lane in lanes {
        let (c, f) = lane.join().unwrap();
        for (k, v) in c {
            *counts.entry(k).or_default() += v;
        }
        failures.extend(f);
    }
    let total: usize = counts.values().sum::<usize>() + failures.len();
    eprintln!("{total} mutants in {:?}: {counts:?}, {} failures", start.elapsed(), failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(total >= 2000, "{total} mutants");
    // Both outcomes are exercised: the mutants are not all refused.
    assert!(
        counts.get("built").is_some_and(|n| *n > 100) && counts.get("refused").is_some_and(|n| *n > 1000),
        "{counts:?}"
    );
}
