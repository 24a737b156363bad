//! Shared helpers for the integration tests: the workspace root, compiling
//! a program held in memory, and the fixture annotation syntax.

use std::path::{Path, PathBuf};

/// The workspace root (the folder holding `Cargo.toml` of the workspace).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Every example folder (a folder of `examples/` with a README), sorted.
pub fn examples() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    v.retain(|p| p.is_dir() && p.join("README.md").exists());
    v.sort();
    v
}

/// Generates one `#[test]` per example, named after it, calling `$body`
/// with the example's folder name, so one mismatch never hides another:
///
/// ```text
/// fn golden(name: &str) { /* … */ }
/// mod golden { hybrid_tests::per_example!(super::golden); }
/// ```
///
/// The examples are listed here, once; `per_example!(@names)` is the list
/// itself, and `tests/examples.rs` fails when a folder of `examples/` is
/// missing from it.
#[macro_export]
macro_rules! per_example {
    (@names) => {
        $crate::per_example!(@list @names)
    };
    (@list $($mode:tt)*) => {
        $crate::per_example! {
            $($mode)*;
            gpu_training "gpu-training"
            hospital "hospital"
            migration "migration"
            multi_region "multi-region"
            shop "shop"
            trading "trading"
        }
    };
    (@names; $($test:ident $name:literal)*) => {
        &[$($name),*]
    };
    (@tests $body:path; $($test:ident $name:literal)*) => {
        $(
            #[test]
            fn $test() {
                $body($name)
            }
        )*
    };
    ($body:path) => {
        $crate::per_example!(@list @tests $body);
    };
}

/// The examples [`per_example!`] generates tests for.
pub const LISTED_EXAMPLES: &[&str] = per_example!(@names);

/// A small deterministic generator (xorshift) so a failing seed reproduces.
#[derive(Debug)]
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// One expected diagnostic, written in a fixture as a caret line under the
/// token (`//  ^^^^ HY0002`) or explicitly (`// HY0021 at 1:1`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Expected {
    pub code: String,
    pub line: usize,
    pub column: usize,
    /// Characters covered; `None` for the explicit form.
    pub len: Option<usize>,
}

/// Reads the annotations of a fixture.
pub fn annotations(text: &str) -> Vec<Expected> {
    let mut out = Vec::new();
    let mut last_code_line = 0;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("//") {
            let rest_trim = rest.trim();
            // Explicit form: `// HY0021 at 3:5`.
            if let Some((code, at)) = rest_trim.split_once(" at ") {
                if is_code(code) {
                    if let Some((l, c)) = at.trim().split_once(':') {
                        if let (Ok(l), Ok(c)) = (l.parse(), c.parse()) {
                            out.push(Expected { code: code.to_string(), line: l, column: c, len: None });
                            continue;
                        }
                    }
                }
            }
            // Caret form: carets under the previous code line.
            if rest.trim_start().starts_with('^') {
                let start = line.find('^').unwrap_or(0);
                let carets = line[start..].chars().take_while(|c| *c == '^').count();
                let code = line[start + carets..].trim();
                if is_code(code) {
                    let column = line[..start].chars().count() + 1;
                    out.push(Expected { code: code.to_string(), line: last_code_line, column, len: Some(carets) });
                    continue;
                }
            }
            continue;
        }
        last_code_line = n;
    }
    out.sort();
    out
}

/// `(info string, body)` of every fenced code block of a Markdown text.
pub fn fenced_blocks(md: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in md.lines() {
        if let Some(info) = line.strip_prefix("```") {
            match current.take() {
                Some(block) => out.push(block),
                None => current = Some((info.trim().to_string(), String::new())),
            }
        } else if let Some((_, body)) = current.as_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

fn is_code(s: &str) -> bool {
    s.len() == 6 && s.starts_with("HY") && s[2..].chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_annotation_forms() {
        let text = "a {\n  replcas 3\n//^^^^^^^ HY0002\n}\n// HY0021 at 1:1\n";
        let got = annotations(text);
        assert_eq!(
            got,
            vec![
                Expected { code: "HY0002".into(), line: 2, column: 3, len: Some(7) },
                Expected { code: "HY0021".into(), line: 1, column: 1, len: None },
            ]
        );
    }
}
