//! Project chores, run as `cargo xtask COMMAND`:
//!
//! * `bless` — run the test suite with insta allowed to write snapshots,
//!   then again to prove it passes.
//! * `reference` — regenerate the book's pages that come from the compiler
//!   (the language reference and the error index).
//! * `man [DIR]` — write the manual pages (`hybridc.1`, `hybridc-build.1`,
//!   …) into DIR, by default `target/man` (see `man`).
//! * `synth N [--shape peers]` — print a valid synthetic topology with N
//!   services (the peers' workload with `--shape peers`).
//! * `bench [N...]` — time every stage (parse, decode and resolve, rules,
//!   failure analysis, each target's emit, the manifest, writing, a
//!   no-change rebuild, a diff) against the floor, with peak memory, on
//!   synthetic topologies in-process (see `bench`); `--shape peers` for the
//!   peers' workload, `--instructions` for each stage's instructions under
//!   callgrind (see `instructions`); run it with
//!   `cargo run --release -p xtask -- bench 1000 10000 100000`.

mod bench;
mod instructions;
mod lsp_edit;
mod man;
mod synth;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The same allocator as the `hybridc` binary, so the bench measures it.
#[global_allocator]
static ALLOCATOR: hybrid_alloc::Allocator = hybrid_alloc::Allocator;

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

/// The value of `--shape` (the estate when absent); `None` when unknown.
fn shape(args: &[String]) -> Option<synth::Shape> {
    match args.iter().position(|a| a == "--shape") {
        None => Some(synth::Shape::Estate),
        Some(i) => args.get(i + 1).and_then(|w| synth::Shape::parse(w)),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("bless") => bless(),
        Some("reference") => reference(),
        Some("man") => man::write(&args.get(1).map_or_else(|| root().join("target/man"), PathBuf::from)),
        Some("synth") => match args.get(1).and_then(|n| n.parse().ok()).zip(shape(&args)) {
            Some((n, shape)) => {
                print!("{}", shape.program(n));
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("usage: cargo xtask synth N [--shape estate|peers]");
                ExitCode::from(2)
            }
        },
        Some("bench") => {
            let sizes: Vec<usize> = args.iter().skip(1).filter_map(|a| a.parse().ok()).collect();
            let Some(shape) = shape(&args) else {
                eprintln!("usage: cargo xtask bench [N...] [--shape estate|peers] [--instructions]");
                return ExitCode::from(2);
            };
            let opts = bench::Options { shape, instructions: args.iter().any(|a| a == "--instructions") };
            bench::run(if sizes.is_empty() { &[1_000, 10_000] } else { &sizes }, opts)
        }
        Some("bench-one") => match args.get(1).and_then(|n| n.parse().ok()).zip(shape(&args)).map(|(n, shape)| {
            if args.iter().any(|a| a == "--peak") {
                bench::peak(n, shape)
            } else if args.iter().any(|a| a == "--peak-check") {
                bench::peak_check(n, shape)
            } else if args.iter().any(|a| a == "--stages") {
                instructions::stages(n, shape)
            } else {
                bench::one(n, shape)
            }
        }) {
            Some(Ok(())) => ExitCode::SUCCESS,
            Some(Err(e)) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
            None => ExitCode::from(2),
        },
        _ => {
            eprintln!("usage: cargo xtask bless | reference | man [DIR] | synth N | bench [N...]");
            ExitCode::from(2)
        }
    }
}
