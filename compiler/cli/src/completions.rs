//! `hybridc completions SHELL`: the shell's completion script, generated
//! by `clap_complete` from the command-line definition ([`crate::Cli`]), so
//! every command, option and value is completed as `--help` lists it.

use clap::CommandFactory;
use std::io::Write;

/// Writes the completion script for `shell` to `out`; exit code 0, or 2
/// when it cannot be written (a closed pipe).
pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> u8 {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut crate::Cli::command(), "hybridc", &mut script);
    match out.write_all(&script).and_then(|()| out.flush()) {
        Ok(()) => 0,
        Err(_) => 2,
    }
}
