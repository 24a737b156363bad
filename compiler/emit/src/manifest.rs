//! `hybrid-manifest.json`: every generated path with its sha256 and the
//! compiler version. A build removes only files the previous manifest
//! lists, and `build --check` compares against it.

use crate::OutputTree;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub const MANIFEST: &str = "hybrid-manifest.json";

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest.iter() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// The manifest of a tree (not listing itself).
pub fn render(topology: &str, compiler_version: &str, tree: &OutputTree) -> String {
    let files: Vec<Value> = tree
        .files()
        .filter(|(p, _)| *p != MANIFEST)
        .map(|(p, b)| json!({ "path": p, "sha256": sha256_hex(b) }))
        .collect();
    let doc = json!({ "compiler": format!("hybridc {compiler_version}"), "topology": topology, "files": files });
    serde_json::to_string_pretty(&doc).map(|s| s + "\n").unwrap_or_default()
}

/// The paths a manifest lists (empty when it does not parse).
pub fn listed_paths(manifest: &str) -> Vec<String> {
    let Ok(v) = serde_json::from_str::<Value>(manifest) else { return Vec::new() };
    v.get("files")
        .and_then(Value::as_array)
        .map(|files| files.iter().filter_map(|f| f.get("path").and_then(Value::as_str).map(str::to_string)).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_paths_with_hashes() {
        let mut t = OutputTree::new();
        t.add("a/b.yaml", "x: 1\n");
        let m = render("shop", "0.1.0", &t);
        assert_eq!(listed_paths(&m), vec!["a/b.yaml".to_string()]);
        assert!(m.contains(&sha256_hex(b"x: 1\n")));
    }
}
