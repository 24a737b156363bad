//! The `hybridc` command line: argument parsing, the real filesystem,
//! rendering diagnostics, exit codes. Everything else lives in the library
//! crates; this is the only place that touches the world, and the only one
//! that reads the environment and asks whether output goes to a terminal.
//!
//! Exit codes: 0 = no errors (warnings allowed), 1 = the program has
//! errors, 2 = a usage or IO problem, 3 = `build` wrote OUT but could not
//! remove the previous tree beside it (HY8007).

use clap::Parser;
use std::io::IsTerminal;
use std::process::ExitCode;

/// mimalloc: building output allocates many small strings and maps; it
/// makes a large build about a fifth faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = hybridc::Cli::parse();
    let surroundings =
        hybridc::Surroundings::from_vars(std::io::stdout().is_terminal(), std::io::stderr().is_terminal(), |name| {
            std::env::var_os(name)
        });
    ExitCode::from(hybridc::run(cli, &surroundings))
}
