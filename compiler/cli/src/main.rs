//! The `hybridc` command line: argument parsing, the real filesystem,
//! rendering diagnostics, exit codes. Everything else lives in the library
//! crates; this is the only place that touches the world, and the only one
//! that reads the environment and asks whether output goes to a terminal.
//!
//! Exit codes: 0 = no errors (warnings allowed), 1 = the program has
//! errors, 2 = a usage or IO problem, 3 = `build` wrote OUT but could not
//! remove the previous tree beside it (HY8007).

use clap::{CommandFactory, FromArgMatches};
use std::io::IsTerminal;
use std::process::ExitCode;

/// mimalloc: building output allocates many small strings and maps; it
/// makes a large build about a fifth faster than the system allocator.
/// Version 2 (the workspace's `Cargo.toml` says why), set up in `hybrid-alloc`.
#[global_allocator]
static ALLOCATOR: hybrid_alloc::Allocator = hybrid_alloc::Allocator;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let clap_color = hybridc::ColorChoice::in_args(&args).for_clap();
    let matches = hybridc::Cli::command().color(clap_color).get_matches_from(args);
    let cli = hybridc::Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let surroundings =
        hybridc::Surroundings::from_vars(std::io::stdout().is_terminal(), std::io::stderr().is_terminal(), |name| {
            std::env::var_os(name)
        });
    ExitCode::from(hybridc::run(cli, &surroundings))
}
