//! The analysis thread: it compiles the latest snapshot of the buffers off
//! the message loop, so the editor is never blocked. Snapshots queued while
//! it was busy are coalesced (only the newest is compiled), and a result
//! whose generation is no longer the latest is dropped unpublished: a newer
//! snapshot is already queued. Requests read the latest completed analysis;
//! completion of names reads the latest in which every file parsed, so
//! that a half-typed line elsewhere does not empty the list.

use crate::diagnostics;
use crate::program::{analyse, Analysis, Buffers, Compile, Disk, Versions};
use crossbeam_channel::{Receiver, Sender};
use lsp_server::{Message, Notification};
use lsp_types::notification::{Notification as _, PublishDiagnostics};
use lsp_types::{PublishDiagnosticsParams, Url};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// One snapshot to analyse.
#[derive(Debug)]
pub struct Job {
    pub generation: u64,
    pub root: Option<PathBuf>,
    pub buffers: Buffers,
    pub versions: Versions,
}

/// What the loop and the worker share.
#[derive(Debug, Default)]
pub struct Shared {
    /// The generation of the newest snapshot sent.
    pub generation: AtomicU64,
    latest: Mutex<Arc<Analysis>>,
    /// The latest completed analysis in which every file parsed.
    parsed: Mutex<Arc<Analysis>>,
}

impl Shared {
    /// The latest completed analysis.
    pub fn latest(&self) -> Arc<Analysis> {
        self.latest.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }
    /// The latest completed analysis in which every file parsed (the
    /// latest when none has yet).
    pub fn parsed(&self) -> Arc<Analysis> {
        let parsed = self.parsed.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        if parsed.programs.is_empty() {
            return self.latest();
        }
        parsed
    }
    fn store(&self, analysis: Analysis) {
        let analysis = Arc::new(analysis);
        if analysis.parsed() {
            *self.parsed.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = analysis.clone();
        }
        *self.latest.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = analysis;
    }
}

/// Runs until the job channel closes.
pub fn run(jobs: Receiver<Job>, compile: Compile, disk: Disk, shared: Arc<Shared>, out: Sender<Message>) {
    let mut published: BTreeSet<Url> = BTreeSet::new();
    while let Ok(mut job) = jobs.recv() {
        while let Ok(newer) = jobs.try_recv() {
            job = newer;
        }
        // A bug in the compiler loses this analysis, not the server.
        let analysed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            analyse(compile, disk.as_ref(), job.root.as_deref(), &job.buffers)
        }));
        let Ok(mut analysis) = analysed else { continue };
        analysis.versions = job.versions;
        if shared.generation.load(Ordering::SeqCst) != job.generation {
            continue;
        }
        let mut now: BTreeMap<Url, Vec<lsp_types::Diagnostic>> = BTreeMap::new();
        for program in &analysis.programs {
            for (uri, mut list) in diagnostics::by_file(program) {
                now.entry(uri).or_default().append(&mut list);
            }
        }
        for gone in published.iter().filter(|u| !now.contains_key(*u)) {
            let version = analysis.version(gone);
            send(&out, PublishDiagnosticsParams { uri: gone.clone(), diagnostics: Vec::new(), version });
        }
        published = now.keys().cloned().collect();
        // Each with the version of the buffer it was computed from.
        let versions: Vec<Option<i32>> = now.keys().map(|uri| analysis.version(uri)).collect();
        shared.store(analysis);
        for ((uri, diagnostics), version) in now.into_iter().zip(versions) {
            send(&out, PublishDiagnosticsParams { uri, diagnostics, version });
        }
    }
}

fn send(out: &Sender<Message>, params: PublishDiagnosticsParams) {
    let _ = out.send(Message::Notification(Notification::new(PublishDiagnostics::METHOD.to_string(), params)));
}
