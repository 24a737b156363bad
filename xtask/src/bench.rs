//! `cargo xtask bench [N...]`: every stage of the compiler timed on
//! synthetic topologies (see `synth`), in-process, medians of repeated
//! runs, with the peak memory of the whole run — and the **floor**: the
//! same output objects written by the direct writers with no compiler work
//! (YAML documents read back from the output and written again; other
//! files copied), so each figure reads as a ratio to the cost of producing
//! the bytes at all.
//!
//! Each size runs in child processes (`xtask bench-one N`): one times the
//! stages, another (`--peak`) only compiles, renders and writes — what
//! `hybridc build` does — so that its peak memory (`VmHWM` of
//! `/proc/self/status`, Linux) is the build's own, and a third
//! (`--peak-check`) only compiles, for the peak of `hybridc check`. Then
//! the real binary (`target/release/hybridc`, when built) is timed end to
//! end: `check`, `build` into an empty OUT, a no-change `build`, and
//! `diff` against a one-line change (medians of three runs).
//! Run it with `cargo build --release -p hybridc && cargo run --release -p
//! xtask -- bench 1000 10000 100000`. `--shape peers` measures the peers'
//! workload instead (see `synth`); `--instructions` adds the instructions
//! of every stage, counted by callgrind (see `instructions`).

use crate::synth::Shape;
use hybrid_emit::{yaml, EmitOptions, OutputTree};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

/// The stages, in pipeline order, with the column each is printed under.
const STAGES: &[&str] = &[
    "parse",
    "decode + resolve",
    "rules",
    "failure analysis",
    "emit kubernetes",
    "emit istio",
    "emit openstack",
    "emit vsphere",
    "kustomize + manifest",
    "serialize (floor)",
    "write (empty OUT)",
    "write floor",
    "no-change rebuild",
    "diff (one-line change)",
    "lsp edit → diagnostics",
];

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// Times `f` `runs` times; the median and the last result.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs.max(1) {
        drop(last.take());
        let t = Instant::now();
        let v = f();
        times.push(t.elapsed());
        last = Some(v);
    }
    match last {
        Some(v) => (median(times), v),
        None => unreachable!("runs.max(1) ≥ 1"),
    }
}

/// Times `f` on what `setup` makes, `runs` times, `setup` untimed: the
/// median and the last result.
fn time_after<S, T>(runs: usize, mut setup: impl FnMut() -> S, mut f: impl FnMut(S) -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs.max(1) {
        drop(last.take());
        let input = setup();
        let t = Instant::now();
        let v = f(input);
        times.push(t.elapsed());
        last = Some(v);
    }
    match last {
        Some(v) => (median(times), v),
        None => unreachable!("runs.max(1) ≥ 1"),
    }
}

/// The peak resident set of this process so far, in bytes (Linux).
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Where OUT is written: `HYBRIDC_BENCH_DIR` (a folder on the filesystem
/// to measure — file creation costs differ tenfold between a tmpfs and a
/// disk), else the system's temporary folder.
pub fn scratch(name: &str) -> PathBuf {
    let base = std::env::var_os("HYBRIDC_BENCH_DIR").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    base.join(format!("hybridc-bench-{}-{name}", std::process::id()))
}

/// The floor of writing: the same files with `std::fs::write`, one after
/// the other, into an empty folder — no comparison, no staging, no swap.
fn write_floor(tree: &OutputTree, dir: &Path) -> Result<(), String> {
    let mut made = std::collections::BTreeSet::new();
    for (path, bytes) in tree.files() {
        let dest = dir.join(path);
        if let Some(parent) = dest.parent() {
            if made.insert(parent.to_path_buf()) {
                std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
            }
        }
        std::fs::write(&dest, bytes).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// One size: prints `stage\tmilliseconds` lines and the totals.
pub fn one(n: usize, shape: Shape) -> Result<(), String> {
    let runs = if n >= 10_000 { 3 } else { 5 };
    let text = shape.program(n);
    let changed = text.replacen("replicas 2", "replicas 3", 1);
    let mut rows: Vec<(&str, Duration)> = Vec::new();

    // Shared with the tree, as the loader shares the source map's text.
    let shared: std::sync::Arc<str> = std::sync::Arc::from(text.as_str());
    let (parse, _) = time(runs, || hybrid_syntax::parse(hybrid_diagnostics::FileId(0), &shared));
    rows.push(("parse", parse));

    let fs = hybrid_core::MemoryFs::new().with("synth.hybrid", text.as_str());
    let entry = Path::new("synth.hybrid");
    // Each run resolves a program loaded (and parsed) before its clock starts.
    let loaded = || hybrid_core::load::load(entry, &fs).map_err(|e| e.to_string());
    let (resolve, topology) = time_after(runs, loaded, |l| -> Result<_, String> {
        let l = l?;
        let mut diags = l.diagnostics;
        let (t, _) = hybrid_core::resolve::resolve(&l.sources, l.documents, true, &l.failed, &mut diags);
        if diags.iter().any(|d| d.is_error()) {
            return Err(format!("the synthetic program has errors ({} diagnostics)", diags.len()));
        }
        Ok(t)
    });
    let topology = topology?;
    rows.push(("decode + resolve", resolve));
    // Each run checks a topology as resolving leaves it, before anything
    // has asked for each cluster's workloads (the rules build that index:
    // part of their cost, paid once, in every run at every size).
    let fresh = || {
        let mut t = topology.clone();
        t.placed = hybrid_model::PlacedIndex::default();
        t
    };
    let (rules, _) = time_after(runs, fresh, |t| (hybrid_core::check::run(&t), t));
    rows.push(("rules", rules));
    // The failure analysis runs after the rules, on the index they built.
    let _ = hybrid_core::check::run(&topology);
    let (analysis, _) = time(runs, || hybrid_core::simulate::findings(&topology));
    rows.push(("failure analysis", analysis));

    let opts = EmitOptions::default();
    // Each target emits into the tree the targets before it wrote, as a
    // build emits them (the Istio target appends to the Kubernetes
    // target's workload files): each run on a copy of that tree.
    let mut emitted = OutputTree::new();
    for target in hybridc::TARGETS {
        let stage = STAGES.iter().copied().find(|s| *s == format!("emit {}", target.name())).unwrap_or("emit");
        let (d, t) = time_after(
            runs,
            || emitted.clone(),
            |mut t| {
                target.emit(&topology, &opts, &mut t);
                t
            },
        );
        emitted = t;
        rows.push((stage, d));
    }
    // What follows the emission, timed alone on the emitted tree.
    let mut assembled = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let mut tree = emitted.clone();
        let t = Instant::now();
        hybridc::assemble(&topology, &mut tree, hybridc::TARGETS, None);
        assembled.push(t.elapsed());
    }
    drop(emitted);
    rows.push(("kustomize + manifest", median(assembled)));
    let full = hybridc::render(&topology, hybridc::TARGETS, &opts);
    let bytes: usize = full.files().map(|(_, b)| b.len()).sum();

    // The floor: the same objects, already built, written again.
    let mut docs = Vec::new();
    let mut others: Vec<&[u8]> = Vec::new();
    for (path, b) in full.files() {
        let text = std::str::from_utf8(b).map_err(|e| format!("{path}: {e}"))?;
        if path.ends_with(".yaml") {
            docs.push(yaml::read_values(text).map_err(|e| format!("{path}: {e}"))?);
        } else {
            others.push(b);
        }
    }
    let (floor, floor_bytes) = time(runs, || {
        let mut total = 0;
        for d in &docs {
            total += yaml::documents(d).len();
        }
        for b in &others {
            total += b.to_vec().len();
        }
        total
    });
    rows.push(("serialize (floor)", floor));

    let out = scratch("out");
    let _ = std::fs::remove_dir_all(&out);
    let t = Instant::now();
    hybridc::write::write(&out, &full).map_err(|e| e.to_string())?;
    rows.push(("write (empty OUT)", t.elapsed()));
    let floor_dir = scratch("floor");
    let _ = std::fs::remove_dir_all(&floor_dir);
    let t = Instant::now();
    write_floor(&full, &floor_dir)?;
    rows.push(("write floor", t.elapsed()));
    let _ = std::fs::remove_dir_all(&floor_dir);
    // What a no-change `hybridc build` does after compiling: fingerprint
    // the input, find it recorded in OUT's manifest, hash OUT's files.
    let sources = hybrid_core::load::load(entry, &fs).map_err(|e| e.to_string())?.sources;
    let input = hybridc::fingerprint(&sources, hybridc::TARGETS, &opts);
    let recorded = hybridc::render_with_input(&topology, hybridc::TARGETS, &opts, Some(&input));
    hybridc::write::write(&out, &recorded).map_err(|e| e.to_string())?;
    let (rebuild, unchanged) = time(runs, || {
        let input = hybridc::fingerprint(&sources, hybridc::TARGETS, &opts);
        hybridc::write::up_to_date(&out, &input)
    });
    if unchanged.is_none() {
        return Err("the no-change rebuild found a change".into());
    }
    rows.push(("no-change rebuild", rebuild));
    let compile_changed = || {
        let fs = hybrid_core::MemoryFs::new().with("synth.hybrid", changed.as_str());
        hybrid_core::compile(entry, &fs).ok().and_then(|c| c.topology)
    };
    let changed_topology = compile_changed().ok_or("the changed program does not compile")?;
    let changed_tree = hybridc::render(&changed_topology, hybridc::TARGETS, &opts);
    let (diff, report) = time(runs, || hybridc::diff::compare(&out, &changed_tree));
    // `replicas` of svc-0: its file in each of its clusters.
    if report.files.len() != shape.changed_files() {
        return Err(format!("a one-line change changed {} files, expected svc-0's", report.files.len()));
    }
    rows.push(("diff (one-line change)", diff));
    let _ = std::fs::remove_dir_all(&out);
    rows.push(("lsp edit → diagnostics", crate::lsp_edit::edit_latency(&text, &changed, runs)?));

    println!("program\t{}", text.len());
    println!("output\t{bytes}\t{}", full.len());
    println!("floor-bytes\t{floor_bytes}");
    for (stage, d) in rows {
        println!("{stage}\t{}", d.as_nanos());
    }
    println!("peak\t{}", peak_rss().unwrap_or(0));
    Ok(())
}

/// `bench-one N --peak`: only what `hybridc build` does — load, compile,
/// render, write into an empty OUT — then the peak memory and the output
/// size. Like `hybridc build`, it holds the program's text once (in the
/// sources), keeps no name table, frees the sources before rendering and
/// the topology once the targets have emitted.
pub fn peak(n: usize, shape: Shape) -> Result<(), String> {
    let fs = hybrid_core::MemoryFs::new().with("synth.hybrid", shape.program(n));
    let mut c = hybrid_core::compile(Path::new("synth.hybrid"), &fs).map_err(|e| e.to_string())?;
    drop(fs);
    let t = c.topology.take().ok_or("the synthetic program has errors")?;
    let opts = EmitOptions::default();
    let input = hybridc::fingerprint(&c.sources, hybridc::TARGETS, &opts);
    drop(c);
    let tree = hybridc::render_freeing(t, hybridc::TARGETS, &opts, Some(&input));
    let out = scratch("peak");
    let _ = std::fs::remove_dir_all(&out);
    hybridc::write::write(&out, &tree).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(&out);
    println!("output\t{}", tree.files().map(|(_, b)| b.len()).sum::<usize>());
    println!("peak\t{}", peak_rss().unwrap_or(0));
    Ok(())
}

/// `bench-one N --peak-check`: only what `hybridc check` does — load and
/// compile — then the peak memory.
pub fn peak_check(n: usize, shape: Shape) -> Result<(), String> {
    // The filesystem's text is the one the source map keeps, as a file
    // read from disk is: one copy.
    let fs = hybrid_core::MemoryFs::new().with("synth.hybrid", shape.program(n));
    let c = hybrid_core::compile(Path::new("synth.hybrid"), &fs).map_err(|e| e.to_string())?;
    c.topology.as_ref().ok_or("the synthetic program has errors")?;
    println!("peak\t{}", peak_rss().unwrap_or(0));
    Ok(())
}

/// `key\tn\tn…` lines of a child's output.
pub type Fields = Vec<(String, Vec<u128>)>;

fn child(exe: &Path, args: &[&str]) -> Result<Fields, String> {
    let o = Command::new(exe).args(args).output().map_err(|e| e.to_string())?;
    if !o.status.success() {
        return Err(String::from_utf8_lossy(&o.stderr).into_owned());
    }
    Ok(String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| {
            let mut parts = l.split('\t');
            let k = parts.next()?.to_string();
            Some((k, parts.filter_map(|p| p.parse().ok()).collect()))
        })
        .collect())
}

type Get<'a> = dyn Fn(&Fields, &str, usize) -> u128 + 'a;

/// Adds a row to the table: its label, and how a size's fields are shown.
type Row<'a> = dyn FnMut(&str, &dyn Fn(&Fields) -> String) + 'a;

/// The rows of `--instructions`: each stage's instructions, parse per
/// input byte, rendering and its floor per output byte.
fn instruction_rows(row: &mut Row<'_>, get: &Get<'_>) {
    let ir = |f: &Fields, s: &str| get(f, &format!("ir {s}"), 0);
    let count = |n: u128| match n {
        0 => "–".to_string(),
        n if n >= 10_000_000_000 => format!("{:.1} G", n as f64 / 1e9),
        n => format!("{:.1} M", n as f64 / 1e6),
    };
    let per = |n: u128, bytes: u128| format!("{:.1}", n as f64 / bytes.max(1) as f64);
    row("**instructions** (callgrind)", &|_| String::new());
    row("parse (per input byte)", &|f| {
        format!("{} ({}/B)", count(ir(f, "parse")), per(ir(f, "parse"), get(f, "program", 0)))
    });
    for stage in
        crate::instructions::STAGES.iter().skip(1).filter(|s| !s.starts_with("render") && !s.starts_with("serial"))
    {
        row(stage, &|f| count(ir(f, stage)));
    }
    let emitted = |f: &Fields| {
        crate::instructions::STAGES.iter().filter(|s| s.starts_with("emit")).map(|s| ir(f, s)).sum::<u128>()
    };
    row("kustomize + manifest", &|f| count(ir(f, "render").saturating_sub(emitted(f))));
    row("render (per output byte)", &|f| {
        format!("{} ({}/B)", count(ir(f, "render")), per(ir(f, "render"), get(f, "output", 0)))
    });
    row("serialize floor (per output byte)", &|f| {
        let floor = ir(f, "serialize (floor)");
        format!("{} ({}/B)", count(floor), per(floor, get(f, "output", 0)))
    });
    row("render ÷ floor (instructions)", &|f| {
        format!("{:.1}×", ir(f, "render") as f64 / ir(f, "serialize (floor)").max(1) as f64)
    });
    // Valgrind hides the CPU's SHA extensions: the manifest's hashes run in
    // software under callgrind, at a cost they do not have natively.
    row("of which SHA-256 in software (manifest)", &|f| count(get(f, "ir sha256", 0)));
    let unhashed = |f: &Fields| ir(f, "render").saturating_sub(get(f, "ir sha256", 0));
    row("render without SHA-256 (per output byte)", &|f| {
        format!("{} ({}/B)", count(unhashed(f)), per(unhashed(f), get(f, "output", 0)))
    });
    row("render without SHA-256 ÷ floor", &|f| {
        format!("{:.1}×", unhashed(f) as f64 / ir(f, "serialize (floor)").max(1) as f64)
    });
    row("`hybridc check`", &|f| count(get(f, "ir cli check", 0)));
}

/// Median wall time of `hybridc ARGS` over three runs, after `setup`.
fn cli(hybridc: &Path, args: &[&str], setup: &dyn Fn()) -> Result<u128, String> {
    let mut times = Vec::new();
    for _ in 0..3 {
        setup();
        let t = Instant::now();
        let o = Command::new(hybridc).args(args).output().map_err(|e| e.to_string())?;
        times.push(t.elapsed());
        // `diff` exits 1 when there is a change; 2 is an error.
        if o.status.code().is_none_or(|c| c > 1) {
            return Err(format!("hybridc {}: {}", args.join(" "), String::from_utf8_lossy(&o.stderr)));
        }
    }
    Ok(median(times).as_nanos())
}

/// End-to-end figures of the real binary for one size.
fn cli_figures(hybridc: &Path, n: usize, shape: Shape) -> Result<Fields, String> {
    let dir = scratch(&format!("cli-{n}"));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let program = dir.join("synth.hybrid");
    let changed = dir.join("changed.hybrid");
    let text = shape.program(n);
    std::fs::write(&program, &text).map_err(|e| e.to_string())?;
    std::fs::write(&changed, text.replacen("replicas 2", "replicas 3", 1)).map_err(|e| e.to_string())?;
    let out = dir.join("out");
    let (p, c, o) = (program.to_string_lossy(), changed.to_string_lossy(), out.to_string_lossy());
    let empty = || {
        let _ = std::fs::remove_dir_all(&out);
    };
    let f = vec![
        ("cli check".into(), vec![cli(hybridc, &["check", &p], &|| ())?]),
        ("cli build".into(), vec![cli(hybridc, &["build", &p, "--out", &o], &empty)?]),
        ("cli no-change build".into(), vec![cli(hybridc, &["build", &p, "--out", &o], &|| ())?]),
        ("cli diff".into(), vec![cli(hybridc, &["diff", &c, "--out", &o, "--stat"], &|| ())?]),
    ];
    let _ = std::fs::remove_dir_all(&dir);
    Ok(f)
}

/// What `bench` measures besides the sizes.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub shape: Shape,
    /// Instructions per stage, under callgrind (slow).
    pub instructions: bool,
}

/// Runs `bench-one` for every size and prints the table.
pub fn run(sizes: &[usize], opts: Options) -> ExitCode {
    match run_sizes(sizes, opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run_sizes(sizes: &[usize], opts: Options) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let hybridc = exe.with_file_name("hybridc");
    let mut results: Vec<(usize, Fields)> = Vec::new();
    for &n in sizes {
        eprintln!("bench: {n} services ({} shape)…", opts.shape.name());
        let (size, shape) = (n.to_string(), opts.shape.name());
        let mut fields = child(&exe, &["bench-one", &size, "--shape", shape])?;
        let peak = child(&exe, &["bench-one", &size, "--peak", "--shape", shape])?;
        fields.extend(peak.into_iter().map(|(k, v)| (format!("build {k}"), v)));
        let peak = child(&exe, &["bench-one", &size, "--peak-check", "--shape", shape])?;
        fields.extend(peak.into_iter().map(|(k, v)| (format!("check {k}"), v)));
        let built = hybridc.is_file().then_some(hybridc.as_path());
        match built {
            Some(h) => fields.extend(cli_figures(h, n, opts.shape)?),
            None => eprintln!("bench: {} is not built; no end-to-end figures", hybridc.display()),
        }
        if opts.instructions {
            eprintln!("bench: {n} services under callgrind…");
            fields.extend(crate::instructions::measure(&exe, n, opts.shape, built)?);
        }
        results.push((n, fields));
    }
    let get = |f: &Fields, k: &str, i: usize| {
        f.iter().find(|(key, _)| key == k).and_then(|(_, v)| v.get(i).copied()).unwrap_or(0)
    };
    let mb = |b: u128| format!("{:.1} MB", b as f64 / 1e6);
    let msf = |ns: u128| if ns == 0 { "–".to_string() } else { format!("{:.1} ms", ns as f64 / 1e6) };
    let mut table = String::from("| stage |");
    for (n, _) in &results {
        table.push_str(&format!(" {n} services |"));
    }
    table.push_str("\n|---|");
    for _ in &results {
        table.push_str("---:|");
    }
    table.push('\n');
    let mut row = |label: &str, cell: &dyn Fn(&Fields) -> String| {
        table.push_str(&format!("| {label} |"));
        for (_, f) in &results {
            table.push_str(&format!(" {} |", cell(f)));
        }
        table.push('\n');
    };
    row("program", &|f| mb(get(f, "program", 0)));
    row("output", &|f| format!("{} in {} files", mb(get(f, "output", 0)), get(f, "output", 1)));
    row("parse", &|f| {
        let secs = get(f, "parse", 0) as f64 / 1e9;
        format!("{} ({:.0} MB/s)", msf(get(f, "parse", 0)), get(f, "program", 0) as f64 / 1e6 / secs.max(1e-9))
    });
    for stage in STAGES.iter().skip(1) {
        row(stage, &|f| msf(get(f, stage, 0)));
    }
    let check = |f: &Fields| STAGES.iter().take(4).map(|s| get(f, s, 0)).sum::<u128>();
    let render = |f: &Fields| {
        STAGES
            .iter()
            .filter(|s| s.starts_with("emit") || **s == "kustomize + manifest")
            .map(|s| get(f, s, 0))
            .sum::<u128>()
    };
    row("**check** (parse … failure analysis)", &|f| msf(check(f)));
    row("**render** (emit + kustomize + manifest)", &|f| msf(render(f)));
    row("render ÷ floor", &|f| format!("{:.1}×", render(f) as f64 / get(f, "serialize (floor)", 0).max(1) as f64));
    row("**build** (check + render + write)", &|f| msf(check(f) + render(f) + get(f, "write (empty OUT)", 0)));
    row("write ÷ write floor", &|f| {
        format!("{:.1}×", get(f, "write (empty OUT)", 0) as f64 / get(f, "write floor", 0).max(1) as f64)
    });
    row("check peak memory", &|f| {
        let (peak, program) = (get(f, "check peak", 0), get(f, "program", 0));
        format!("{} ({:.0} B per program byte)", mb(peak), peak as f64 / program.max(1) as f64)
    });
    row("build peak memory", &|f| {
        let (peak, out) = (get(f, "build peak", 0), get(f, "build output", 0));
        format!("{} ({:.1}× output)", mb(peak), peak as f64 / out.max(1) as f64)
    });
    row("`hybridc check`", &|f| msf(get(f, "cli check", 0)));
    row("`hybridc build` (empty OUT)", &|f| msf(get(f, "cli build", 0)));
    row("`hybridc build` (no change)", &|f| msf(get(f, "cli no-change build", 0)));
    row("`hybridc diff` (one-line change)", &|f| msf(get(f, "cli diff", 0)));
    if opts.instructions {
        instruction_rows(&mut row, &get);
    }
    print!("{table}");
    if opts.instructions {
        let ir = |f: &Fields, stage: &str| get(f, &format!("ir {stage}"), 0);
        let worst = worst_scaling(&results, &ir);
        if let Some((stage, from, to, ratio)) = &worst {
            println!("\nworst scaling: {stage}, {ratio:.2}× the instructions per service from {from} to {to} services");
        }
        if let Some((stage, from, to, ratio)) = worst.filter(|w| w.3 > MAX_SCALING) {
            return Err(format!(
                "{stage} is not linear: from {from} to {to} services its instructions per service grew {ratio:.2}× \
                 (at most {MAX_SCALING}×)"
            ));
        }
    }
    over_budget(&results, &|f| get(f, "lsp edit → diagnostics", 0))
}

/// How much more a stage may cost per service at a larger size: 10× the
/// services may cost at most 11× the instructions. Instructions, not time,
/// so that the verdict holds on a busy machine.
const MAX_SCALING: f64 = 1.1;

/// The stage whose instructions per service grew most between two
/// consecutive sizes, with the sizes and the growth. Stages under a
/// million instructions are left out: their fixed costs dominate.
fn worst_scaling(
    results: &[(usize, Fields)],
    ir: &dyn Fn(&Fields, &str) -> u128,
) -> Option<(String, usize, usize, f64)> {
    let mut worst: Option<(String, usize, usize, f64)> = None;
    for pair in results.windows(2) {
        let [(n1, f1), (n2, f2)] = pair else { continue };
        for stage in crate::instructions::STAGES.iter().chain(&["cli check"]) {
            let (a, b) = (ir(f1, stage), ir(f2, stage));
            if a < 1_000_000 || *n1 == 0 {
                continue;
            }
            let ratio = (b as f64 / *n2 as f64) / (a as f64 / *n1 as f64);
            if worst.as_ref().is_none_or(|w| ratio > w.3) {
                worst = Some((stage.to_string(), *n1, *n2, ratio));
            }
        }
    }
    worst
}

/// An error when an edit re-checked through the language server took
/// longer than its budget (release builds only: a debug build is slower).
fn over_budget(results: &[(usize, Fields)], edit: &dyn Fn(&Fields) -> u128) -> Result<(), String> {
    if cfg!(debug_assertions) {
        return Ok(());
    }
    for (n, f) in results {
        let Some((_, budget)) = crate::lsp_edit::BUDGETS.iter().find(|(size, _)| size == n) else { continue };
        if edit(f) > budget.as_nanos() {
            return Err(format!(
                "an edit at {n} services took {} ms, over its budget of {budget:?}",
                edit(f) / 1_000_000
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, u128)]) -> Fields {
        pairs.iter().map(|(k, v)| (format!("ir {k}"), vec![*v])).collect()
    }

    #[test]
    fn scaling_finds_the_stage_that_grows_faster_than_the_program() {
        let get = |f: &Fields, k: &str| {
            f.iter().find(|(key, _)| key == &format!("ir {k}")).and_then(|(_, v)| v.first().copied()).unwrap_or(0)
        };
        let results = vec![
            (1_000, fields(&[("parse", 50_000_000), ("rules", 10_000_000), ("report (human)", 900_000)])),
            (10_000, fields(&[("parse", 500_000_000), ("rules", 1_000_000_000), ("report (human)", 900_000_000)])),
        ];
        let (stage, from, to, ratio) = worst_scaling(&results, &get).unwrap();
        // `report` is under a million at 1,000: fixed costs, left out.
        assert_eq!((stage.as_str(), from, to), ("rules", 1_000, 10_000));
        assert!((ratio - 10.0).abs() < 1e-9, "{ratio}");
        let linear = vec![results[0].clone(), (10_000, fields(&[("parse", 500_000_000), ("rules", 100_000_000)]))];
        assert!(worst_scaling(&linear, &get).unwrap().3 <= MAX_SCALING);
    }
}
