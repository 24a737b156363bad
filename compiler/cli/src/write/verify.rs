//! Whether OUT is still what its manifest says, checked on another thread
//! while the program compiles: a build whose input did not change then
//! costs the longer of the two, not their sum.
//!
//! The thread reads the manifest first and hands over the input it
//! records, so a build whose input changed stops it and never waits for
//! the hashing; otherwise it reads and hashes every listed file (on every
//! thread, never through a link).
//!
//! A build reads OUT before it holds OUT's lock here; once it holds it,
//! the answer stands only if OUT is still the folder the thread read (a
//! build that replaced OUT meanwhile gave it a new folder), else OUT is
//! checked again under the lock.

use super::{ancestors, links_in_the_way, read_regular, OutLock};
use hybrid_emit::manifest::{recorded, sha256_hex, Recorded, MANIFEST};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;

/// OUT being checked against its own manifest.
#[derive(Debug)]
pub struct Verifying {
    /// The input the manifest records (`None`: no manifest, or it records
    /// none); sent once the manifest is read.
    input: mpsc::Receiver<Option<String>>,
    /// The listed files, when every one is on disk as listed.
    files: Option<JoinHandle<Option<Vec<String>>>>,
    /// Set when the answer is no longer wanted: the hashing stops.
    stop: Arc<AtomicBool>,
    /// OUT's folder when the check started.
    folder: Option<Folder>,
}

/// Which folder a path is: device, inode and change time (a folder put in
/// OUT's place by a rename has a new change time even if its inode number
/// was used before).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Folder(u64, u64, i64, i64);

fn folder(out: &Path) -> Option<Folder> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::symlink_metadata(out).ok().filter(std::fs::Metadata::is_dir)?;
    Some(Folder(m.dev(), m.ino(), m.ctime(), m.ctime_nsec()))
}

impl Verifying {
    /// Starts checking OUT.
    pub fn start(out: &Path) -> Verifying {
        let folder = folder(out);
        let (send, input) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let out = out.to_path_buf();
        let stopped = Arc::clone(&stop);
        let files = Some(std::thread::spawn(move || intact(&out, &send, &stopped)));
        Verifying { input, files, stop, folder }
    }

    /// The files OUT's manifest lists when it records the build input
    /// `input` and every one of them is on disk with the listed sha256:
    /// then OUT is exactly what this input builds and nothing needs
    /// rendering or writing. `None` otherwise, as soon as the manifest
    /// says the input differs.
    pub fn finish(mut self, input: &str) -> Option<Vec<String>> {
        if self.input.recv().ok().flatten().as_deref() != Some(input) {
            return None;
        }
        self.files.take()?.join().ok().flatten()
    }

    /// [`finish`](Self::finish) for a build holding OUT's lock: checked
    /// again, under the lock, when OUT is no longer the folder first read.
    pub fn finish_locked(self, out: &Path, input: &str, _lock: &OutLock) -> Option<Vec<String>> {
        let first = self.folder;
        let files = self.finish(input);
        if first.is_some() && folder(out) == first {
            files
        } else {
            up_to_date(out, input)
        }
    }
}

impl Drop for Verifying {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// The manifest's input and files, when it is there and parses.
fn recorded_in(out: &Path) -> Option<Recorded> {
    read_regular(&out.join(MANIFEST)).and_then(|m| String::from_utf8(m).ok()).and_then(|m| recorded(&m))
}

/// The thread's work: the manifest's input, sent, then its files checked.
fn intact(out: &Path, send: &mpsc::Sender<Option<String>>, stop: &AtomicBool) -> Option<Vec<String>> {
    let recorded = recorded_in(out);
    let _ = send.send(recorded.as_ref().and_then(|r| r.input.clone()));
    listed_intact(out, recorded?.files, stop)
}

/// [`Verifying`] on this thread: the files OUT's manifest lists when it
/// records `input` and every one is on disk as listed.
pub fn up_to_date(out: &Path, input: &str) -> Option<Vec<String>> {
    let recorded = recorded_in(out).filter(|r| r.input.as_deref() == Some(input))?;
    listed_intact(out, recorded.files, &AtomicBool::new(false))
}

/// The paths of `files` (`(path, sha256)`) when each is a regular file in
/// OUT with that sha256, and no folder on the way is a link.
fn listed_intact(out: &Path, files: Vec<(String, String)>, stop: &AtomicBool) -> Option<Vec<String>> {
    // The folders only: each file is opened with `O_NOFOLLOW`, so a link
    // in a file's place reads as changed.
    let dirs: Vec<&str> = ancestors(files.iter().map(|(p, _)| p.as_str())).into_iter().collect();
    if !links_in_the_way(out, &dirs).is_empty() {
        return None;
    }
    let same = hybrid_emit::par_map(&files, |(path, sha)| {
        !stop.load(Ordering::Relaxed) && read_regular(&out.join(path)).is_some_and(|b| sha256_hex(&b) == *sha)
    });
    same.iter().all(|s| *s).then(|| files.into_iter().map(|(path, _)| path).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hybrid_emit::OutputTree;

    /// OUT holding `a.yaml` with `text`, its manifest recording input `x`.
    fn built(out: &Path, text: &str) {
        let mut tree = OutputTree::new();
        tree.add("a.yaml", text.to_string());
        let manifest = hybrid_emit::manifest::render_with_input("t", "0", Some("x"), &tree);
        std::fs::create_dir_all(out).unwrap();
        std::fs::write(out.join("a.yaml"), text).unwrap();
        std::fs::write(out.join(MANIFEST), manifest).unwrap();
    }

    /// Waits until the thread has checked every file.
    fn checked(v: &Verifying) {
        while !v.files.as_ref().unwrap().is_finished() {
            std::thread::yield_now();
        }
    }

    #[test]
    fn an_intact_out_built_from_the_input_is_up_to_date() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        built(&out, "a: 1\n");
        assert_eq!(Verifying::start(&out).finish("x"), Some(vec!["a.yaml".to_string()]));
        assert_eq!(Verifying::start(&out).finish("y"), None, "another input");
        std::fs::write(out.join("a.yaml"), "a: 2\n").unwrap();
        assert_eq!(Verifying::start(&out).finish("x"), None, "a file edited by hand");
        assert_eq!(Verifying::start(&tmp.path().join("none")).finish("x"), None, "no OUT");
    }

    #[test]
    fn an_out_replaced_before_the_lock_is_checked_again_under_it() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        built(&out, "a: 1\n");
        let v = Verifying::start(&out);
        checked(&v);
        // Another build puts a tree in OUT's place (here one whose file
        // does not match the manifest) before this one takes the lock.
        std::fs::rename(&out, tmp.path().join("old")).unwrap();
        built(&out, "a: 1\n");
        std::fs::write(out.join("a.yaml"), "a: 2\n").unwrap();
        let lock = super::super::lock(&out, false, &mut |_| {}).unwrap();
        assert_eq!(v.finish_locked(&out, "x", &lock), None);
        // Not replaced: the answer of the thread stands.
        built(&out, "a: 1\n");
        let v = Verifying::start(&out);
        assert_eq!(v.finish_locked(&out, "x", &lock), Some(vec!["a.yaml".to_string()]));
    }
}
