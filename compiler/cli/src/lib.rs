//! The `hybridc` commands as a library, so that tests run them in-process.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

mod fs;
mod report;

pub use fs::RealFs;

use clap::{Parser, Subcommand, ValueEnum};
use hybrid_diagnostics::Code;
use report::{Format, Reporter};
use std::io::Write;
use std::path::PathBuf;

/// hybridc — a compiler for hybrid infrastructure topologies.
#[derive(Debug, Parser)]
#[command(name = "hybridc", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
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
    /// Print the long explanation of a diagnostic code, e.g. `hybridc explain HY0002`
    Explain {
        /// A code (`HY0002`) or its name (`unknown-node`)
        code: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    /// Source snippets with labels and help (colour on a terminal unless NO_COLOR is set)
    Human,
    /// One line per diagnostic: `file:line:col: severity[CODE]: message`
    Short,
    /// One JSON object per diagnostic per line, on stdout
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Every warning becomes an error
    Warnings,
}

/// Runs a command; returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Check { path, message_format, deny } => {
            let format = match message_format {
                MessageFormat::Human => Format::Human,
                MessageFormat::Short => Format::Short,
                MessageFormat::Json => Format::Json,
            };
            check(&path, &mut Reporter::stdio(format), deny.contains(&Deny::Warnings))
        }
        Command::Explain { code } => explain(&code),
    }
}

/// `hybridc check`: compile, report, write nothing.
pub fn check(path: &std::path::Path, reporter: &mut Reporter, deny_warnings: bool) -> u8 {
    let compilation = match hybrid_core::compile(path, &RealFs) {
        Ok(c) => c,
        Err(e) => {
            reporter.fatal(&e.to_string());
            return 2;
        }
    };
    let errors = reporter.diagnostics(&compilation, &path.display().to_string(), deny_warnings);
    if errors > 0 {
        1
    } else {
        if let Some(t) = &compilation.topology {
            reporter.success(&format!(
                "checked `{}`: {}, {}, {}",
                t.name,
                count(t.sites.len(), "site"),
                count(t.clusters.len(), "cluster"),
                count(t.workloads.len(), "workload")
            ));
        }
        0
    }
}

fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn explain(key: &str) -> u8 {
    match Code::find(key) {
        Some(code) => {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{}", code.explanation.trim_end());
            0
        }
        None => {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "error: `{key}` is not a hybridc diagnostic code");
            let ids: Vec<&str> = hybrid_diagnostics::CODES.iter().map(|c| c.id).collect();
            if let Some(s) = hybrid_diagnostics::did_you_mean(&key.to_ascii_uppercase(), ids) {
                let _ = writeln!(err, "help: did you mean `{s}`?");
            }
            2
        }
    }
}
