//! `hybridc lsp` over a real pipe: the LSP framing on stdin and stdout, a
//! folder program's diagnostics, go to definition (the name table, which
//! only the language server's compile keeps), and the exit codes of the
//! protocol (0 after `shutdown` then `exit`, 1 for `exit` alone).

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdout, Command, Stdio};

fn start() -> (Child, BufReader<ChildStdout>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hybridc"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = BufReader::new(child.stdout.take().unwrap());
    (child, out)
}

fn send(child: &mut Child, msg: Value) {
    let body = msg.to_string();
    let stdin = child.stdin.as_mut().unwrap();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    stdin.flush().unwrap();
}

fn receive(out: &mut BufReader<ChildStdout>) -> Value {
    let mut length = 0;
    loop {
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    out.read_exact(&mut body).unwrap();
    serde_json::from_slice(&body).unwrap()
}

/// The next message that is `method`, or the answer to request `id`.
fn wait(out: &mut BufReader<ChildStdout>, pick: impl Fn(&Value) -> bool) -> Value {
    loop {
        let msg = receive(out);
        if pick(&msg) {
            return msg;
        }
    }
}

/// A server started on a folder holding `main.hybrid` with `program`,
/// initialized, once it has published the file's diagnostics.
struct Session {
    _dir: tempfile::TempDir,
    uri: String,
    child: Child,
    out: BufReader<ChildStdout>,
    /// The answer to `initialize`.
    init: Value,
    /// The file's first `publishDiagnostics`.
    published: Value,
}

fn open(program: &str) -> Session {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("main.hybrid");
    std::fs::write(&file, program).unwrap();
    let root = format!("file://{}", dir.path().display());
    let uri = format!("file://{}", file.display());
    let (mut child, mut out) = start();
    send(
        &mut child,
        json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "processId": null, "rootUri": root, "capabilities": {} } }),
    );
    let init = wait(&mut out, |m| m["id"] == 1);
    send(&mut child, json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));
    let published = wait(&mut out, |m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri);
    Session { _dir: dir, uri, child, out, init, published }
}

/// `shutdown` (request `id`) then `exit`: exit code 0.
fn shut_down(mut s: Session, id: u64) {
    send(&mut s.child, json!({ "jsonrpc": "2.0", "id": id, "method": "shutdown" }));
    assert_eq!(wait(&mut s.out, |m| m["id"] == id)["result"], Value::Null);
    send(&mut s.child, json!({ "jsonrpc": "2.0", "method": "exit" }));
    assert_eq!(s.child.wait().unwrap().code(), Some(0));
}

#[test]
fn serves_a_folder_over_stdio_and_exits_cleanly() {
    let s = open("topology t { owner me }\nsevrice a\n");
    assert_eq!(s.init["result"]["serverInfo"]["name"], "hybridc");
    assert_eq!(s.published["params"]["diagnostics"][0]["code"], "HY0002");
    shut_down(s, 2);
}

#[test]
fn go_to_definition_finds_the_cluster_a_placement_names() {
    let mut s = open("topology t { owner me }\nsite a region=r {\n  kubernetes k1 version=\"1.31\"\n}\nservice s {\n  placement k1\n}\n");
    // `placement k1`, on `k1` → `kubernetes k1`.
    let at = json!({ "textDocument": { "uri": s.uri }, "position": { "line": 5, "character": 13 } });
    send(&mut s.child, json!({ "jsonrpc": "2.0", "id": 2, "method": "textDocument/definition", "params": at }));
    let def = wait(&mut s.out, |m| m["id"] == 2);
    assert_eq!(def["result"]["uri"], s.uri.as_str(), "{def}");
    assert_eq!(def["result"]["range"]["start"], json!({ "line": 2, "character": 13 }), "{def}");
    shut_down(s, 3);
}

#[test]
fn exit_without_shutdown_is_exit_code_1() {
    let (mut child, mut out) = start();
    send(
        &mut child,
        json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "processId": null, "capabilities": {} } }),
    );
    wait(&mut out, |m| m["id"] == 1);
    send(&mut child, json!({ "jsonrpc": "2.0", "method": "exit" }));
    assert_eq!(child.wait().unwrap().code(), Some(1));
}
