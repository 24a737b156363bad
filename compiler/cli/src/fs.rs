//! The real filesystem behind the compiler's `FileSystem` trait.

use hybrid_core::FileSystem;
use std::path::{Path, PathBuf};

/// Reads files from disk. Folders are walked without following links.
#[derive(Debug, Clone, Copy, Default)]
pub struct RealFs;

impl FileSystem for RealFs {
    fn read(&self, path: &Path) -> Result<String, String> {
        if path.is_dir() {
            return Err("it is a folder".to_string());
        }
        let bytes = std::fs::read(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        })?;
        String::from_utf8(bytes).map_err(|e| format!("not valid UTF-8 (byte {})", e.utf8_error().valid_up_to()))
    }

    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }

    fn hybrid_files(&self, dir: &Path) -> Result<Vec<PathBuf>, String> {
        let mut out = Vec::new();
        for entry in walkdir::WalkDir::new(dir).follow_links(false) {
            let entry = entry.map_err(|e| e.to_string())?;
            if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "hybrid") {
                out.push(entry.path().to_path_buf());
            }
        }
        out.sort();
        Ok(out)
    }
}
