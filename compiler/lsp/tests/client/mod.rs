//! A test client: runs the server in-process over an in-memory connection
//! (the same JSON-RPC messages an editor sends) on a program held in a
//! `MemoryFs`, and waits for answers with a timeout.

#![allow(dead_code)]

use hybrid_core::MemoryFs;
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use lsp_types::Url;
use serde_json::{json, Value};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct Client {
    conn: Connection,
    server: Option<JoinHandle<Result<(), String>>>,
    next: i32,
    /// Notifications received and not yet looked at.
    pub notes: Vec<Notification>,
    /// The URI and version of every `publishDiagnostics` looked at, in order.
    pub published: Vec<(String, Value)>,
}

/// A disk the test changes while the server runs.
#[derive(Debug, Clone, Default)]
pub struct Disk(pub Arc<std::sync::Mutex<MemoryFs>>);

impl hybrid_core::FileSystem for Disk {
    fn read(&self, path: &std::path::Path) -> Result<Arc<str>, hybrid_core::load::ReadError> {
        self.0.lock().unwrap().read(path)
    }
    fn is_dir(&self, path: &std::path::Path) -> bool {
        self.0.lock().unwrap().is_dir(path)
    }
    fn hybrid_files(&self, dir: &std::path::Path) -> Result<Vec<std::path::PathBuf>, String> {
        self.0.lock().unwrap().hybrid_files(dir)
    }
}

pub fn uri(path: &str) -> Url {
    Url::from_file_path(path).unwrap()
}

/// The shop example under `/shop`.
pub fn shop() -> MemoryFs {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/shop");
    let mut fs = MemoryFs::new();
    for f in ["sites.hybrid", "services.hybrid"] {
        fs = fs.with(format!("/shop/{f}"), std::fs::read_to_string(format!("{dir}/{f}")).unwrap());
    }
    fs
}

pub fn text(fs: &MemoryFs, path: &str) -> String {
    fs.files[std::path::Path::new(path)].to_string()
}

impl Client {
    pub fn start(fs: MemoryFs, root: Option<&str>) -> Client {
        Client::start_with(fs, root, hybrid_core::compile_with_names)
    }

    /// With another compile (a slow one, to see edits queue up).
    pub fn start_with(fs: MemoryFs, root: Option<&str>, compile: hybrid_lsp::Compile) -> Client {
        Client::start_on(Arc::new(fs), root, compile)
    }

    pub fn start_on(disk: hybrid_lsp::Disk, root: Option<&str>, compile: hybrid_lsp::Compile) -> Client {
        let (server, client) = Connection::memory();
        let handle = std::thread::spawn(move || hybrid_lsp::serve(server, compile, disk));
        let mut c = Client { conn: client, server: Some(handle), next: 0, notes: Vec::new(), published: Vec::new() };
        let root = root.map(|r| uri(r).to_string());
        let init = c.request("initialize", json!({ "processId": null, "rootUri": root, "capabilities": {} }));
        assert!(init["capabilities"]["hoverProvider"].as_bool().unwrap());
        c.notify("initialized", json!({}));
        c
    }

    pub fn notify(&self, method: &str, params: Value) {
        self.conn.sender.send(Message::Notification(Notification::new(method.into(), params))).unwrap();
    }

    /// Sends a request and returns its answer: the result, or the error
    /// object as `{"error": …}`.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = RequestId::from(self.next);
        self.conn.sender.send(Message::Request(Request::new(id.clone(), method.into(), params))).unwrap();
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.conn.receiver.recv_timeout(left).expect("no answer in time") {
                Message::Response(r) if r.id == id => {
                    return match r.error {
                        Some(e) => json!({ "error": { "code": e.code, "message": e.message } }),
                        None => r.result.unwrap_or(Value::Null),
                    }
                }
                Message::Notification(n) => self.notes.push(n),
                _ => {}
            }
        }
    }

    /// Waits for diagnostics of `uri` that satisfy `ok`; returns them.
    pub fn diagnostics_until(&mut self, uri: &Url, ok: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let deadline = Instant::now() + TIMEOUT;
        let mut last = None;
        loop {
            for n in self.notes.drain(..) {
                if n.method == "textDocument/publishDiagnostics" {
                    let who = n.params["uri"].as_str().unwrap_or_default().to_string();
                    self.published.push((who, n.params["version"].clone()));
                }
                if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri.as_str() {
                    let list = n.params["diagnostics"].as_array().cloned().unwrap_or_default();
                    if ok(&list) {
                        return list;
                    }
                    last = Some(list);
                }
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.conn.receiver.recv_timeout(left) {
                Ok(Message::Notification(n)) => self.notes.push(n),
                Ok(_) => {}
                Err(_) => panic!("no matching diagnostics for {uri} in time; last: {last:#?}"),
            }
        }
    }

    /// Waits for the diagnostics of `path` computed from buffer `version`.
    pub fn wait_version(&mut self, path: &str, version: i32) {
        let u = uri(path);
        let deadline = Instant::now() + TIMEOUT;
        while !self.published.iter().any(|(p, v)| p == u.as_str() && *v == json!(version)) {
            assert!(Instant::now() < deadline, "no diagnostics of version {version} of {path}: {:?}", self.published);
            self.diagnostics_until(&u, |_| true);
        }
    }

    pub fn open(&self, path: &str, text: &str) {
        let item = json!({ "uri": uri(path), "languageId": "hybrid", "version": 1, "text": text });
        self.notify("textDocument/didOpen", json!({ "textDocument": item }));
    }

    pub fn change(&self, path: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri(path), "version": version }, "contentChanges": [{ "text": text }] }),
        );
    }

    /// A request at a position of a file.
    pub fn at(&mut self, method: &str, path: &str, line: u32, character: u32, extra: Value) -> Value {
        let mut params =
            json!({ "textDocument": { "uri": uri(path) }, "position": { "line": line, "character": character } });
        if let (Some(p), Some(e)) = (params.as_object_mut(), extra.as_object()) {
            p.extend(e.clone());
        }
        self.request(method, params)
    }

    /// Shuts the server down; it must stop cleanly.
    pub fn stop(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let result = self.server.take().unwrap().join().unwrap();
        assert_eq!(result, Ok(()));
    }
}

/// The 0-based line and UTF-16 column of the first `needle` in `text`
/// (plus `skip` characters into it).
pub fn pos(text: &str, needle: &str, skip: usize) -> (u32, u32) {
    let at = text.find(needle).unwrap_or_else(|| panic!("`{needle}` not in text"));
    let before = &text[..at];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[start..at].encode_utf16().count() + needle[..skip].encode_utf16().count();
    (line as u32, col as u32)
}
