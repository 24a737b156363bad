//! Project chores, run as `cargo xtask COMMAND`:
//!
//! * `bless` — run the test suite with insta allowed to write snapshots,
//!   then again to prove it passes.
//! * `reference` — regenerate the book's pages that come from the compiler
//!   (the language reference and the error index).
//! * `synth N` — print a valid synthetic topology with N services.
//! * `bench [N...]` — time `check` stage by stage (load and parse, decode
//!   and resolve, rules, failure analysis; medians of five runs) on
//!   synthetic topologies in-process; run it with
//!   `cargo run --release -p xtask -- bench 1000 10000`.

mod synth;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The generated book pages: `(path under the root, contents)`.
fn generated() -> Vec<(&'static str, String)> {
    vec![
        ("book/src/reference/language.md", hybrid_core::reference::language_reference()),
        ("book/src/reference/errors.md", hybrid_diagnostics::codes::error_index()),
    ]
}

fn bless() -> ExitCode {
    let run = |update: bool| {
        let mut c = Command::new(env!("CARGO"));
        c.current_dir(root()).args(["test", "--workspace"]);
        if update {
            c.env("INSTA_UPDATE", "always").env("INSTA_FORCE_PASS", "1").env_remove("CI");
        }
        c.status().map(|s| s.success()).unwrap_or(false)
    };
    if run(true) && run(false) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn reference() -> ExitCode {
    for (path, text) in generated() {
        let p = root().join(path);
        if let Some(dir) = p.parent() {
            if let Err(e) = std::fs::create_dir_all(dir) {
                eprintln!("error: {}: {e}", dir.display());
                return ExitCode::FAILURE;
            }
        }
        if let Err(e) = std::fs::write(&p, text) {
            eprintln!("error: {}: {e}", p.display());
            return ExitCode::FAILURE;
        }
        println!("wrote {path}");
    }
    ExitCode::SUCCESS
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// Times of one run, stage by stage.
#[derive(Default)]
struct Stages {
    parse: Duration,
    resolve: Duration,
    check: Duration,
    simulate: Duration,
}

fn run_stages(fs: &hybrid_core::MemoryFs) -> Result<(Stages, usize), String> {
    let mut st = Stages::default();
    let t0 = Instant::now();
    let loaded = hybrid_core::load::load(Path::new("synth.hybrid"), fs).map_err(|e| e.to_string())?;
    st.parse = t0.elapsed();
    let t1 = Instant::now();
    let mut diags = loaded.diagnostics;
    let topology = hybrid_core::resolve::resolve(&loaded.sources, &loaded.documents, true, &mut diags);
    st.resolve = t1.elapsed();
    if diags.iter().any(|d| d.is_error()) {
        return Err(format!("the synthetic program has errors: {}", diags.len()));
    }
    let t2 = Instant::now();
    diags.extend(hybrid_core::check::run(&topology));
    st.check = t2.elapsed();
    let t3 = Instant::now();
    let analysis = hybrid_core::simulate::analyse(&topology);
    diags.extend(hybrid_core::simulate::findings_for(&topology, &analysis));
    st.simulate = t3.elapsed();
    Ok((st, diags.len()))
}

fn bench(sizes: &[usize]) -> ExitCode {
    println!("| services | program | parse | decode + resolve | rules | failure analysis | total | diagnostics |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    for &n in sizes {
        let text = synth::program(n);
        let fs = hybrid_core::MemoryFs::new().with("synth.hybrid", text.as_str());
        let mut runs = Vec::new();
        let mut diags = 0;
        for _ in 0..5 {
            match run_stages(&fs) {
                Ok((st, d)) => {
                    runs.push(st);
                    diags = d;
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::FAILURE;
                }
            }
        }
        let pick = |f: fn(&Stages) -> Duration| median(runs.iter().map(f).collect());
        let (p, r, c, s) = (pick(|s| s.parse), pick(|s| s.resolve), pick(|s| s.check), pick(|s| s.simulate));
        println!(
            "| {n} | {:.1} MB | {} | {} | {} | {} | {} | {diags} |",
            text.len() as f64 / 1e6,
            ms(p),
            ms(r),
            ms(c),
            ms(s),
            ms(p + r + c + s)
        );
    }
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("bless") => bless(),
        Some("reference") => reference(),
        Some("synth") => match args.get(1).and_then(|n| n.parse().ok()) {
            Some(n) => {
                print!("{}", synth::program(n));
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("usage: cargo xtask synth N");
                ExitCode::from(2)
            }
        },
        Some("bench") => {
            let sizes: Vec<usize> = args.iter().skip(1).filter_map(|a| a.parse().ok()).collect();
            bench(if sizes.is_empty() { &[1_000, 10_000] } else { &sizes })
        }
        _ => {
            eprintln!("usage: cargo xtask bless | reference | synth N | bench [N...]");
            ExitCode::from(2)
        }
    }
}
