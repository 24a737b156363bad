//! `hybridc lsp`: a language server (LSP 3.17 over stdio) on the same front
//! end and checker as `hybridc check`. The message loop (`server`) keeps
//! the open buffers and answers requests from the latest analysis; the
//! analysis runs on its own thread (`worker`) over the workspace folder as
//! one program, with the buffers laid over the disk (`program`).
//!
//! Features: diagnostics (`diagnostics`), go to definition, references and
//! rename (`navigate`), hover and completion from the schema (`hover`,
//! `complete`, over the cursor's context read by `context`), the outline,
//! formatting and quick fixes (`edit`). Positions are converted between
//! bytes and UTF-16 by `position`.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

mod complete;
mod context;
pub mod diagnostics;
mod edit;
mod hover;
mod navigate;
pub mod position;
pub mod program;
mod server;
mod worker;

pub use program::{Compile, Disk};
pub use server::serve;

/// Runs the server on stdin/stdout until the client says `exit`; returns
/// the process exit code (0 after an orderly shutdown).
pub fn run_stdio(compile: Compile, disk: Disk) -> u8 {
    let (connection, io) = lsp_server::Connection::stdio();
    let code = match serve(connection, compile, disk) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("hybridc lsp: {e}");
            1
        }
    };
    match io.join() {
        Ok(()) => code,
        Err(_) => 1,
    }
}
