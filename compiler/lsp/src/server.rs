//! The message loop: the handshake, the buffers (full-text sync), the
//! snapshots handed to the worker, each request answered from the latest
//! analysis, and shutdown/exit.

use crate::program::{Analysis, Buffers, Compile, Disk, Versions};
use crate::worker::{self, Job, Shared};
use crate::{complete, edit, hover, navigate};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest,
    PrepareRenameRequest, References, Rename, Request as _,
};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, HoverProviderCapability, InitializeParams, OneOf, RenameOptions,
    ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind, Url,
};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// What the server offers.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["=".into(), " ".into(), "\"".into(), ".".into()]),
            ..CompletionOptions::default()
        }),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

/// The workspace folder: the first of `workspaceFolders`, else `rootUri`.
#[allow(deprecated)] // `root_uri` is how older clients name the folder.
fn root_of(params: &InitializeParams) -> Option<PathBuf> {
    let folder = params.workspace_folders.as_ref().and_then(|f| f.first()).map(|f| f.uri.clone());
    folder.or_else(|| params.root_uri.clone()).and_then(|u| u.to_file_path().ok())
}

/// Serves one client over `connection` until `exit`.
pub fn serve(connection: Connection, compile: Compile, disk: Disk) -> Result<(), String> {
    let caps = serde_json::to_value(capabilities()).map_err(|e| e.to_string())?;
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).map_err(|e| e.to_string())?;
    let info = ServerInfo { name: "hybridc".into(), version: Some(env!("CARGO_PKG_VERSION").into()) };
    let result = serde_json::json!({ "capabilities": caps, "serverInfo": info });
    connection.initialize_finish(id, result).map_err(|e| e.to_string())?;

    let shared = Arc::new(Shared::default());
    let (jobs, queue) = crossbeam_channel::unbounded::<Job>();
    let worker = {
        let (shared, out) = (shared.clone(), connection.sender.clone());
        std::thread::spawn(move || worker::run(queue, compile, disk, shared, out))
    };
    let mut server =
        Server { root: root_of(&params), buffers: Buffers::new(), versions: Versions::new(), shared, jobs };
    server.snapshot();
    for msg in &connection.receiver {
        match msg {
            Message::Request(req) => {
                if connection.handle_shutdown(&req).map_err(|e| e.to_string())? {
                    break;
                }
                let response = server.request(req);
                let _ = connection.sender.send(Message::Response(response));
            }
            // `exit` without `shutdown` first: the protocol's exit code 1.
            Message::Notification(n) if n.method == lsp_types::notification::Exit::METHOD => {
                return Err("`exit` before `shutdown`".into());
            }
            Message::Notification(n) => server.notification(n),
            Message::Response(_) => {}
        }
    }
    let Server { jobs, .. } = server;
    drop(jobs);
    worker.join().map_err(|_| "the analysis thread stopped".to_string())
}

struct Server {
    root: Option<PathBuf>,
    buffers: Buffers,
    versions: Versions,
    shared: Arc<Shared>,
    jobs: crossbeam_channel::Sender<Job>,
}

fn params<P: DeserializeOwned>(value: Value) -> Option<P> {
    serde_json::from_value(value).ok()
}

fn path_of(uri: &Url) -> Option<PathBuf> {
    uri.to_file_path().ok().map(|p| hybrid_core::load::normalize(&p))
}

impl Server {
    /// Hands the current buffers to the worker as the newest generation.
    fn snapshot(&mut self) {
        let generation = self.shared.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let (root, buffers, versions) = (self.root.clone(), self.buffers.clone(), self.versions.clone());
        let job = Job { generation, root, buffers, versions };
        let _ = self.jobs.send(job);
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Some(p) = params::<lsp_types::DidOpenTextDocumentParams>(n.params) else { return };
                let Some(path) = path_of(&p.text_document.uri) else { return };
                self.versions.insert(path.clone(), p.text_document.version);
                self.buffers.insert(path, p.text_document.text);
            }
            DidChangeTextDocument::METHOD => {
                let Some(p) = params::<lsp_types::DidChangeTextDocumentParams>(n.params) else { return };
                let Some(path) = path_of(&p.text_document.uri) else { return };
                // Full sync: the last change holds the whole text.
                let Some(change) = p.content_changes.into_iter().next_back() else { return };
                self.versions.insert(path.clone(), p.text_document.version);
                self.buffers.insert(path, change.text);
            }
            DidCloseTextDocument::METHOD => {
                let Some(p) = params::<lsp_types::DidCloseTextDocumentParams>(n.params) else { return };
                let Some(path) = path_of(&p.text_document.uri) else { return };
                self.versions.remove(&path);
                self.buffers.remove(&path);
            }
            // The disk changed: read it again.
            DidSaveTextDocument::METHOD | DidChangeWatchedFiles::METHOD => {}
            // Requests are answered as they come, so none is ever pending
            // when its cancellation arrives: `$/cancelRequest` and the
            // other notifications change nothing.
            _ => return,
        }
        self.snapshot();
    }

    /// The text of an open buffer (else the analysed one).
    fn text(&self, uri: &Url, analysis: &Analysis) -> Option<String> {
        let path = path_of(uri)?;
        self.buffers.get(&path).cloned().or_else(|| analysis.find(&path).map(|(_, _, f)| f.text.to_string()))
    }

    fn request(&self, req: Request) -> Response {
        let analysis = self.shared.latest();
        let id = req.id.clone();
        let method = req.method.clone();
        // A bug answering one request is an error response, never the end
        // of the server.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.answer(req, &analysis)))
            .unwrap_or_else(|_| {
                Err((ErrorCode::InternalError, format!("hybridc failed to answer `{method}` (a bug)")))
            });
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        }
    }

    fn answer(&self, req: Request, analysis: &Analysis) -> Result<Value, (ErrorCode, String)> {
        let Request { method, params: value, .. } = req;
        let bad = || (ErrorCode::InvalidParams, format!("invalid parameters for `{method}`"));
        macro_rules! on {
            ($ty:ty, $f:expr) => {{
                let p: <$ty as lsp_types::request::Request>::Params = params(value).ok_or_else(bad)?;
                let r: Result<<$ty as lsp_types::request::Request>::Result, (ErrorCode, String)> = $f(p);
                serde_json::to_value(r?).map_err(|e| (ErrorCode::InternalError, e.to_string()))
            }};
        }
        match method.as_str() {
            GotoDefinition::METHOD => on!(GotoDefinition, |p| Ok(navigate::definition(analysis, p))),
            References::METHOD => on!(References, |p| Ok(navigate::references(analysis, p))),
            PrepareRenameRequest::METHOD => on!(PrepareRenameRequest, |p| navigate::prepare_rename(analysis, p)),
            Rename::METHOD => on!(Rename, |p| navigate::rename(analysis, p)),
            HoverRequest::METHOD => on!(HoverRequest, |p: lsp_types::HoverParams| {
                let uri = &p.text_document_position_params.text_document.uri;
                let text = self.text(uri, analysis).unwrap_or_default();
                Ok(hover::hover(analysis, &text, p))
            }),
            Completion::METHOD => on!(Completion, |p: lsp_types::CompletionParams| {
                let text = self.text(&p.text_document_position.text_document.uri, analysis).unwrap_or_default();
                Ok(complete::complete(&self.shared.parsed(), &text, p))
            }),
            DocumentSymbolRequest::METHOD => on!(DocumentSymbolRequest, |p: lsp_types::DocumentSymbolParams| {
                let text = self.text(&p.text_document.uri, analysis).unwrap_or_default();
                Ok(edit::symbols(&text))
            }),
            Formatting::METHOD => on!(Formatting, |p: lsp_types::DocumentFormattingParams| {
                let text = self.text(&p.text_document.uri, analysis).unwrap_or_default();
                Ok(edit::format(&text))
            }),
            CodeActionRequest::METHOD => on!(CodeActionRequest, |p| Ok(edit::code_actions(analysis, p))),
            _ => Err((ErrorCode::MethodNotFound, format!("`{method}` is not supported"))),
        }
    }
}
