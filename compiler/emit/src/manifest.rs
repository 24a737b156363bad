//! `hybrid-manifest.json`: every generated path with its sha256 and the
//! compiler version. A build removes only files the previous manifest
//! lists, and `build --check` compares against it.

use crate::OutputTree;
use serde_json::Value;
use sha2::{Digest, Sha256};

pub const MANIFEST: &str = "hybrid-manifest.json";

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digit = |nibble: u8| HEX.get(usize::from(nibble)).copied().unwrap_or(b'0');
    let digits: Vec<u8> = digest.iter().flat_map(|&b| [digit(b >> 4), digit(b & 0xF)]).collect();
    String::from_utf8(digits).unwrap_or_default()
}

/// The fingerprint of a build's input: the compiler, the targets and
/// options chosen, and the text of every source file in load order. The
/// output is a pure function of these, so when a manifest records the same
/// fingerprint and every file it lists is on disk unchanged, OUT is already
/// what the program compiles to (see `hybridc build`).
pub fn input_fingerprint<'a>(
    compiler_version: &str,
    selection: &str,
    sources: impl IntoIterator<Item = &'a str>,
) -> String {
    let mut h = Sha256::new();
    for part in [compiler_version, selection] {
        h.update(part.len().to_le_bytes());
        h.update(part.as_bytes());
    }
    for text in sources {
        h.update(text.len().to_le_bytes());
        h.update(text.as_bytes());
    }
    hex(&h.finalize())
}

/// What a manifest records of a build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The input fingerprint, when the build recorded one.
    pub input: Option<String>,
    /// The files, as `(path, sha256)`, in the manifest's order.
    pub files: Vec<(String, String)>,
}

/// What a manifest records, read in one pass (a manifest of 20,000 files
/// is 3 MB); `None` when it does not parse.
pub fn recorded(manifest: &str) -> Option<Recorded> {
    let v: Value = serde_json::from_str(manifest).ok()?;
    let input = v.get("input").and_then(Value::as_str).map(str::to_string);
    let files = v.get("files").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let files = files
        .iter()
        .filter_map(|f| {
            let path = f.get("path").and_then(Value::as_str)?;
            let sha = f.get("sha256").and_then(Value::as_str)?;
            Some((path.to_string(), sha.to_string()))
        })
        .collect();
    Some(Recorded { input, files })
}

/// The manifest of a tree (not listing itself).
pub fn render(topology: &str, compiler_version: &str, tree: &OutputTree) -> String {
    render_with_input(topology, compiler_version, None, tree)
}

/// [`render`], recording the input fingerprint.
pub fn render_with_input(topology: &str, compiler_version: &str, input: Option<&str>, tree: &OutputTree) -> String {
    let listed: Vec<(&str, &[u8])> = tree.files().filter(|(p, _)| *p != MANIFEST).collect();
    // Hashing is most of the cost of a manifest: spread over the threads.
    let hashes: Vec<String> = crate::par_map(&listed, |(_, b)| sha256_hex(b));
    // Written directly (the layout `serde_json::to_string_pretty` gives),
    // one line per file; strings escaped by serde_json.
    let q = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    let mut out = String::with_capacity(128 + listed.len() * 160);
    out.push_str("{\n");
    out.push_str(&format!("  \"compiler\": {},\n", q(&format!("hybridc {compiler_version}"))));
    out.push_str(&format!("  \"topology\": {},\n", q(topology)));
    if let Some(input) = input {
        out.push_str(&format!("  \"input\": {},\n", q(input)));
    }
    if listed.is_empty() {
        out.push_str("  \"files\": []\n}\n");
        return out;
    }
    out.push_str("  \"files\": [\n");
    for (i, ((path, _), sha)) in listed.iter().zip(&hashes).enumerate() {
        out.push_str("    {\n      \"path\": ");
        // A path serde_json would write as it is (most are) is copied.
        if path.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
            out.push('"');
            out.push_str(path);
            out.push('"');
        } else {
            out.push_str(&q(path));
        }
        out.push_str(",\n      \"sha256\": \"");
        out.push_str(sha);
        out.push_str(if i + 1 < listed.len() { "\"\n    },\n" } else { "\"\n    }\n" });
    }
    out.push_str("  ]\n}\n");
    out
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
    fn records_the_input_fingerprint() {
        let mut t = OutputTree::new();
        t.add("a.yaml", "x: 1\n");
        let input = input_fingerprint("0.1.0", "all", ["topology a {}"]);
        assert_ne!(input, input_fingerprint("0.1.0", "all", ["topology b {}"]));
        assert_ne!(input, input_fingerprint("0.1.0", "kubernetes", ["topology a {}"]));
        // Where one text ends and the next begins is part of the input.
        assert_ne!(input_fingerprint("v", "s", ["ab", "c"]), input_fingerprint("v", "s", ["a", "bc"]));
        let m = render_with_input("a", "0.1.0", Some(&input), &t);
        let r = recorded(&m).unwrap();
        assert_eq!(r.input, Some(input));
        assert_eq!(r.files, vec![("a.yaml".to_string(), sha256_hex(b"x: 1\n"))]);
        assert_eq!(recorded(&render("a", "0.1.0", &t)).unwrap().input, None);
        assert_eq!(recorded("not json"), None);
    }

    #[test]
    fn written_as_serde_json_pretty_prints_it() {
        let mut t = OutputTree::new();
        t.add("a/b \"q\".yaml", "x: 1\n");
        t.add("c.tf", "y = 2\n");
        // Copied as they are, or escaped: serde_json's spelling either way.
        for path in ["d\\e.yaml", "f\u{1}g\tj.yaml", "h\u{7f}é日.yaml", "k/l-m_n.o.yaml"] {
            t.add(path, "z: 3\n");
        }
        for input in [None, Some("abc")] {
            let m = render_with_input("shop", "0.1.0", input, &t);
            let v: Value = serde_json::from_str(&m).unwrap();
            assert_eq!(serde_json::to_string_pretty(&v).unwrap() + "\n", m);
        }
        let empty = render("shop", "0.1.0", &OutputTree::new());
        let v: Value = serde_json::from_str(&empty).unwrap();
        assert_eq!(serde_json::to_string_pretty(&v).unwrap() + "\n", empty);
    }

    #[test]
    fn lists_paths_with_hashes() {
        let mut t = OutputTree::new();
        t.add("a/b.yaml", "x: 1\n");
        let m = render("shop", "0.1.0", &t);
        assert_eq!(listed_paths(&m), vec!["a/b.yaml".to_string()]);
        assert!(m.contains(&sha256_hex(b"x: 1\n")));
    }
}
