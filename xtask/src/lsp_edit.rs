//! The language server's edit latency, for `bench`: the server runs
//! in-process over an in-memory connection (the JSON-RPC messages an
//! editor sends) on the synthetic program as a folder of one file, and
//! each measurement is one `didChange` of that file until its
//! `publishDiagnostics` arrives — a full re-check through the server.

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The budget of one edit re-checked, by the number of services (release
/// build); `bench` fails when a median goes over it.
pub const BUDGETS: &[(usize, Duration)] = &[(1_000, Duration::from_millis(50)), (10_000, Duration::from_millis(400))];

const TIMEOUT: Duration = Duration::from_secs(120);

fn send(conn: &Connection, msg: Message) -> Result<(), String> {
    conn.sender.send(msg).map_err(|e| e.to_string())
}

fn notify(conn: &Connection, method: &str, params: Value) -> Result<(), String> {
    send(conn, Message::Notification(Notification::new(method.into(), params)))
}

/// Waits for the diagnostics of `uri`.
fn published(conn: &Connection, uri: &str) -> Result<(), String> {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match conn.receiver.recv_timeout(left).map_err(|_| "no diagnostics in time".to_string())? {
            Message::Notification(n) if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri => {
                return Ok(())
            }
            _ => {}
        }
    }
}

/// The median time from a one-line `didChange` to its diagnostics.
pub fn edit_latency(text: &str, changed: &str, runs: usize) -> Result<Duration, String> {
    let path = "/bench/synth.hybrid";
    let fs = hybrid_core::MemoryFs::new().with(path, text);
    let (server, client) = Connection::memory();
    let handle = std::thread::spawn(move || hybrid_lsp::serve(server, hybridc::compile_with_names, Arc::new(fs)));
    let uri = format!("file://{path}");
    let init = json!({ "processId": null, "rootUri": "file:///bench", "capabilities": {} });
    send(&client, Message::Request(Request::new(RequestId::from(1), "initialize".into(), init)))?;
    notify(&client, "initialized", json!({}))?;
    let item = json!({ "uri": uri, "languageId": "hybrid", "version": 1, "text": text });
    notify(&client, "textDocument/didOpen", json!({ "textDocument": item }))?;
    published(&client, &uri)?;
    let mut times = Vec::new();
    for i in 0..runs.max(1) {
        let body = if i % 2 == 0 { changed } else { text };
        let doc = json!({ "uri": uri, "version": i + 2 });
        let t = Instant::now();
        notify(
            &client,
            "textDocument/didChange",
            json!({ "textDocument": doc, "contentChanges": [{ "text": body }] }),
        )?;
        published(&client, &uri)?;
        times.push(t.elapsed());
    }
    send(&client, Message::Request(Request::new(RequestId::from(2), "shutdown".into(), Value::Null)))?;
    notify(&client, "exit", Value::Null)?;
    handle.join().map_err(|_| "the server panicked".to_string())??;
    times.sort();
    Ok(times.get(times.len() / 2).copied().unwrap_or_default())
}
