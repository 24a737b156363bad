//! The `hybridc` commands as a library, so that tests run them in-process.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

mod build;
mod completions;
pub mod console;
mod declared;
pub mod diff;
pub mod diff_markdown;
mod diff_path;
mod diff_render;
mod fmt;
mod fs;
pub mod graph;
mod overrides;
pub mod progress;
mod report;
pub mod simulate;
pub mod write;

pub use build::{
    assemble, build, fingerprint, render, render_freeing, render_with_input, targets, Request, EXIT_LEFT_BEHIND,
    TARGETS,
};
pub use completions::completions;
pub use console::{ColorChoice, Console, Surroundings};
pub use fs::RealFs;
pub use overrides::{compile, compile_with_names};
pub use report::{Format, Reporter};

use clap::{Parser, Subcommand, ValueEnum};
use hybrid_diagnostics::{codes, Code, PathDiagnostic};
use std::io::Write;
use std::path::PathBuf;

/// What `hybridc --version` says: the version, then the commit it was
/// built from when known (`0.1.0 (abc1234def56 2026-12-04)`, see build.rs).
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), env!("HYBRIDC_COMMIT"));

/// hybridc — a compiler for hybrid infrastructure topologies.
#[derive(Debug, Parser)]
#[command(name = "hybridc", version = VERSION, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Threads for rendering, hashing and writing output (default: one per core)
    #[arg(long, short = 'j', global = true, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// When to colour diagnostics, diffs, help and usage errors
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Type-check a program (a `.hybrid` file or a folder of them)
    Check {
        /// The entry file or folder
        path: PathBuf,
        /// How diagnostics are printed
        #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
        message_format: MessageFormat,
        /// Treat warnings as errors (`--deny warnings`)
        #[arg(long, value_name = "LINT")]
        deny: Vec<Deny>,
    },
    /// Compile a program into files real tools apply: Kubernetes, Istio, OpenStack, vSphere
    Build {
        /// The entry file or folder
        path: PathBuf,
        /// The output folder (written atomically; only files hybridc generated are ever replaced)
        #[arg(long, value_name = "OUT")]
        out: PathBuf,
        /// Only these targets, comma-separated (default: all)
        #[arg(long, value_delimiter = ',', value_name = "TARGET")]
        target: Vec<String>,
        /// OpenStack output: Heat templates, Terraform, or both
        #[arg(long, value_enum, default_value_t = OpenStackFormat::Both)]
        openstack: OpenStackFormat,
        /// How diagnostics are printed
        #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
        message_format: MessageFormat,
        /// Treat warnings as errors (`--deny warnings`)
        #[arg(long, value_name = "LINT")]
        deny: Vec<Deny>,
        /// Write nothing; exit 1 with a summary when OUT is not what the program compiles to
        #[arg(long)]
        check: bool,
        /// When another build is writing OUT, fail at once (exit 2) instead of waiting for it
        #[arg(long)]
        no_wait: bool,
    },
    /// Compare what the program compiles to with OUT, object by object; writes nothing
    Diff {
        /// The entry file or folder
        path: PathBuf,
        /// The output folder to compare with
        #[arg(long, value_name = "OUT")]
        out: PathBuf,
        /// human (summary + text diffs), markdown (a pull-request comment) or json
        #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
        format: DiffFormat,
        /// Only the summary by object and the counts
        #[arg(long)]
        stat: bool,
        /// Only these targets, comma-separated (default: all)
        #[arg(long, value_delimiter = ',', value_name = "TARGET")]
        target: Vec<String>,
        /// OpenStack output: Heat templates, Terraform, or both
        #[arg(long, value_enum, default_value_t = OpenStackFormat::Both)]
        openstack: OpenStackFormat,
        /// markdown: the longest comment, in UTF-16 code units (default: GitHub's limit)
        #[arg(long, value_name = "N", default_value_t = diff_markdown::GITHUB_COMMENT_LIMIT, value_parser = diff_markdown::max_chars)]
        max_chars: usize,
        /// markdown: where the full diff can be read, linked when the comment leaves some out
        #[arg(long, value_name = "URL")]
        full_diff_url: Option<String>,
    },
    /// Show what is lost when each site or cluster fails
    Simulate {
        /// The entry file or folder
        path: PathBuf,
        /// Only this failure: a site or cluster name
        #[arg(long, value_name = "SITE|CLUSTER")]
        fail: Option<String>,
        /// Table for people, JSON for tools
        #[arg(long, value_enum, default_value_t = SimulateFormat::Table)]
        format: SimulateFormat,
    },
    /// Draw the topology: sites, clusters, pools, workloads, links and replication
    Graph {
        /// The entry file or folder
        path: PathBuf,
        /// Graphviz DOT (`| dot -Tsvg`) or a Mermaid flowchart
        #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
        format: GraphFormat,
    },
    /// Lay `.hybrid` files out canonically, in place (folders: every `*.hybrid` under them)
    Fmt {
        /// Files or folders
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Write nothing; list the files that would change and exit 1 if any
        #[arg(long)]
        check: bool,
    },
    /// Print the long explanation of a diagnostic code, e.g. `hybridc explain HY0002`
    Explain {
        /// A code (`HY0002`) or its name (`unknown-node`)
        code: String,
    },
    /// Run the language server on stdin/stdout (for editors)
    Lsp,
    /// Print a shell's completion script on stdout (`hybridc completions bash`)
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    /// Source snippets with labels and help (coloured as `--color` says)
    Human,
    /// One line per diagnostic: `file:line:col: severity[CODE]: message`
    Short,
    /// One JSON object per diagnostic per line, on stdout
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// A summary by object, then unified diffs (coloured as `--color` says)
    Human,
    /// A pull-request comment
    Markdown,
    /// For tools
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OpenStackFormat {
    /// Heat Orchestration Templates (`openstack stack create`)
    Heat,
    /// Terraform with the openstack provider
    Terraform,
    /// Both
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SimulateFormat {
    /// A table per failure
    Table,
    /// One JSON document (stable keys and order)
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT
    Dot,
    /// A Mermaid flowchart
    Mermaid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Every warning becomes an error
    Warnings,
}

/// Runs a command in the given surroundings (read by `main`); returns the
/// process exit code.
pub fn run(cli: Cli, surroundings: &Surroundings) -> u8 {
    let console = Console::decide(cli.color, surroundings);
    if let Some(jobs) = cli.jobs {
        // Output never depends on the number of threads (`emit::par_map`
        // keeps order); only the time does. The pool can only be set once
        // per process; a second `run` keeps the first setting.
        let _ = rayon::ThreadPoolBuilder::new().num_threads(usize::from(jobs)).build_global();
    }
    match cli.command {
        Command::Check { path, message_format, deny } => {
            let format = match message_format {
                MessageFormat::Human => Format::Human,
                MessageFormat::Short => Format::Short,
                MessageFormat::Json => Format::Json,
            };
            check(&path, &mut Reporter::stdio(format, &console), deny.contains(&Deny::Warnings))
        }
        Command::Simulate { path, fail, format } => simulate(&path, fail.as_deref(), format, &console),
        Command::Graph { path, format } => graph_command(&path, format, &console),
        Command::Diff { path, out, format, stat, target, openstack, max_chars, full_diff_url } => {
            let opts = emit_options(openstack);
            let req = build::Request {
                path: &path,
                out: &out,
                targets: &target,
                opts: &opts,
                deny_warnings: false,
                wait: true,
            };
            let comment = diff_markdown::Comment {
                program: &path.to_string_lossy(),
                out: &out.to_string_lossy(),
                max_chars,
                full_diff_url: full_diff_url.as_deref(),
            };
            build::diff(&req, format, stat, &comment, &console)
        }
        Command::Build { path, out, target, openstack, message_format, deny, check, no_wait } => {
            let format = match message_format {
                MessageFormat::Human => Format::Human,
                MessageFormat::Short => Format::Short,
                MessageFormat::Json => Format::Json,
            };
            let opts = emit_options(openstack);
            let mut reporter = Reporter::stdio(format, &console);
            let req = build::Request {
                path: &path,
                out: &out,
                targets: &target,
                opts: &opts,
                deny_warnings: deny.contains(&Deny::Warnings),
                wait: !no_wait,
            };
            if check {
                build::check_out(&req, &mut reporter)
            } else {
                build::build(&req, &mut reporter)
            }
        }
        Command::Fmt { paths, check } => fmt::fmt(&paths, check, &console),
        Command::Explain { code } => explain(&code, &console),
        Command::Lsp => hybrid_lsp::run_stdio(compile_with_names, std::sync::Arc::new(RealFs)),
        Command::Completions { shell } => completions(shell, &mut std::io::stdout().lock()),
    }
}

/// Compiles and prints the diagnostics; `Err(exit code)` when the program
/// cannot be used (1: it has errors, 2: it cannot be read).
pub(crate) fn compile_reported(
    path: &std::path::Path,
    reporter: &mut Reporter,
    deny_warnings: bool,
) -> Result<hybrid_core::Compilation, u8> {
    let compilation = match overrides::compile(path, &RealFs) {
        Ok(c) => c,
        Err(e) => {
            reporter.problem(&unreadable(&e));
            return Err(2);
        }
    };
    let errors = reporter.diagnostics(&compilation, &path.display().to_string(), deny_warnings);
    if errors > 0 {
        Err(1)
    } else {
        Ok(compilation)
    }
}

/// HY8001 for a program that cannot be read.
fn unreadable(e: &hybrid_core::load::LoadError) -> PathDiagnostic {
    use hybrid_core::load::LoadError;
    let (path, help) = match e {
        LoadError::Unreadable { path, .. } => (path, "pass an existing `.hybrid` file or a folder holding some"),
        LoadError::NoFiles { dir } => (dir, "a folder program is every `*.hybrid` file below the folder: add one"),
    };
    PathDiagnostic::new(&codes::PROGRAM_UNREADABLE, e.to_string(), path.display().to_string()).with_help(help)
}

/// `hybridc check`: compile, report, write nothing.
pub fn check(path: &std::path::Path, reporter: &mut Reporter, deny_warnings: bool) -> u8 {
    reporter.stage(format!("checking {}", path.display()));
    let compilation = match compile_reported(path, reporter, deny_warnings) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if let Some(t) = &compilation.topology {
        reporter.success(&format!(
            "checked `{}`: {}, {}, {}",
            t.name,
            count(t.sites.len(), "site"),
            count(t.clusters.len(), "cluster"),
            count(t.workloads.len(), "workload")
        ));
    }
    drop_later(compilation);
    0
}

/// Frees what a command held, on another thread: the answer does not wait
/// for a large program's millions of allocations to be freed one by one
/// (the process may end first; the system takes its memory back whole).
pub(crate) fn drop_later<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

/// Compiles a program for a command that needs it error-free (simulate,
/// graph): diagnostics are printed only when there are errors.
fn compile_error_free(path: &std::path::Path, reporter: &mut Reporter) -> Result<hybrid_core::Compilation, u8> {
    let compilation = overrides::compile(path, &RealFs).map_err(|e| {
        reporter.problem(&unreadable(&e));
        2u8
    })?;
    if compilation.topology.is_none() {
        reporter.diagnostics(&compilation, &path.display().to_string(), false);
        return Err(1);
    }
    Ok(compilation)
}

/// `hybridc simulate`: the failure analysis of an error-free program.
pub fn simulate(path: &std::path::Path, fail: Option<&str>, format: SimulateFormat, console: &Console) -> u8 {
    let mut reporter = Reporter::stdio(Format::Human, console);
    let compilation = match compile_error_free(path, &mut reporter) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let Some(t) = compilation.topology.as_ref() else { return 1 };
    let analysis = match fail {
        None => hybrid_core::simulate::analyse(t),
        Some(name) => match hybrid_core::simulate::analyse_one(t, name) {
            Some(a) => a,
            None => {
                let names: Vec<&str> =
                    t.sites.iter().map(|s| s.name.as_str()).chain(t.clusters.iter().map(|c| c.name.as_str())).collect();
                let help = match hybrid_diagnostics::did_you_mean(name, names.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the sites and clusters are {}", hybrid_diagnostics::join_quoted(&names)),
                };
                reporter.problem(
                    &PathDiagnostic::new(
                        &codes::UNKNOWN_FAILURE,
                        format!("`{name}` is not a site or cluster of `{}`", t.name),
                        "--fail",
                    )
                    .with_help(help),
                );
                return 2;
            }
        },
    };
    let text = match format {
        SimulateFormat::Table => simulate::table_text(t, &analysis),
        SimulateFormat::Json => {
            let v = simulate::json(t, &analysis);
            serde_json::to_string_pretty(&v).map(|s| s + "\n").unwrap_or_default()
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    0
}

/// `hybridc graph`: the picture of an error-free program on stdout.
pub fn graph_command(path: &std::path::Path, format: GraphFormat, console: &Console) -> u8 {
    let mut reporter = Reporter::stdio(Format::Human, console);
    let compilation = match compile_error_free(path, &mut reporter) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let Some(t) = compilation.topology.as_ref() else { return 1 };
    let text = match format {
        GraphFormat::Dot => graph::dot(t),
        GraphFormat::Mermaid => graph::mermaid(t),
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    0
}

fn emit_options(openstack: OpenStackFormat) -> hybrid_emit::EmitOptions {
    hybrid_emit::EmitOptions {
        openstack: match openstack {
            OpenStackFormat::Heat => vec!["heat".into()],
            OpenStackFormat::Terraform => vec!["terraform".into()],
            OpenStackFormat::Both => vec!["heat".into(), "terraform".into()],
        },
    }
}

fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn explain(key: &str, console: &Console) -> u8 {
    match Code::find(key) {
        Some(code) => {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{}", code.explanation.trim_end());
            0
        }
        None => {
            let ids: Vec<&str> = hybrid_diagnostics::CODES.iter().map(|c| c.id).collect();
            let d = PathDiagnostic::new(&codes::UNKNOWN_CODE, format!("`{key}` is not a hybridc diagnostic code"), key);
            let d = match hybrid_diagnostics::did_you_mean(&key.to_ascii_uppercase(), ids) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help("the codes are listed by the error index of the book"),
            };
            Reporter::stdio(Format::Human, console).problem(&d);
            2
        }
    }
}
