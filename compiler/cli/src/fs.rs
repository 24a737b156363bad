//! The real filesystem behind the compiler's `FileSystem` trait.
//!
//! Only regular files are read: a FIFO, socket or device is refused before
//! it is read (a FIFO would block forever, `/dev/zero` never end), and the
//! check is made on the opened file, so nothing can be swapped in between.
//! Folders are walked without following links; a folder holding a
//! `hybrid-manifest.json` is a build's output (OUT, even inside the
//! program's folder) and hybridc's staging folders beside OUT are never
//! read as input.

use hybrid_core::load::ReadError;
use hybrid_core::FileSystem;
use hybrid_emit::manifest::MANIFEST;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Reads files from disk. Folders are walked without following links.
#[derive(Debug, Clone, Copy, Default)]
pub struct RealFs;

/// The largest `.hybrid` file read (spans are 32-bit byte offsets).
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// What a file that is not a regular file is, for a message.
fn kind(ft: fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_dir() {
        "a folder"
    } else if ft.is_fifo() {
        "a FIFO"
    } else if ft.is_socket() {
        "a socket"
    } else if ft.is_block_device() || ft.is_char_device() {
        "a device"
    } else {
        "not a regular file"
    }
}

fn io_reason(e: &io::Error) -> ReadError {
    match e.kind() {
        io::ErrorKind::NotFound => ReadError::NotFound,
        io::ErrorKind::PermissionDenied => ReadError::Other("permission denied".to_string()),
        _ if e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) => {
            ReadError::Other("a loop of symbolic links".to_string())
        }
        _ => ReadError::Other(e.to_string()),
    }
}

/// Whether the walk of a program's folder skips `dir` (below the top).
pub fn is_output_folder(dir: &Path) -> bool {
    let hidden_staging = dir.file_name().and_then(|n| n.to_str()).is_some_and(crate::write::is_staging_name);
    hidden_staging || dir.join(MANIFEST).is_file()
}

impl FileSystem for RealFs {
    fn read(&self, path: &Path) -> Result<Arc<str>, ReadError> {
        use std::os::unix::fs::OpenOptionsExt;
        // Refused before opening when it is not a file (opening a device
        // can have effects), and checked again on the open file.
        let meta = fs::metadata(path).map_err(|e| io_reason(&e))?;
        if !meta.is_file() {
            return Err(ReadError::NotAFile(kind(meta.file_type())));
        }
        // Without blocking: a FIFO put in its place meanwhile does not
        // wait for a writer (and is refused just below).
        let nonblock = rustix::fs::OFlags::NONBLOCK.bits() as i32;
        let file = fs::OpenOptions::new().read(true).custom_flags(nonblock).open(path).map_err(|e| io_reason(&e))?;
        let meta = file.metadata().map_err(|e| io_reason(&e))?;
        if !meta.is_file() {
            return Err(ReadError::NotAFile(kind(meta.file_type())));
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(ReadError::Other(format!("larger than {} MiB", MAX_FILE_BYTES >> 20)));
        }
        let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| io_reason(&e))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(ReadError::Other(format!("larger than {} MiB", MAX_FILE_BYTES >> 20)));
        }
        String::from_utf8(bytes).map(Arc::from).map_err(|e| ReadError::not_utf8(e.into_bytes()))
    }

    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }

    fn hybrid_files(&self, dir: &Path) -> Result<Vec<PathBuf>, String> {
        let mut out = Vec::new();
        let walk = walkdir::WalkDir::new(dir)
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_type().is_dir() || !is_output_folder(e.path()));
        for entry in walk {
            let entry = entry.map_err(|e| e.to_string())?;
            if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "hybrid") {
                out.push(entry.path().to_path_buf());
            }
        }
        out.sort();
        Ok(out)
    }

    fn identity(&self, path: &Path) -> PathBuf {
        fs::canonicalize(path).unwrap_or_else(|_| hybrid_core::load::normalize(path))
    }
}
