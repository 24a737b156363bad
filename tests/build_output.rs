//! `hybridc build`, in process: a golden snapshot of every example's whole
//! output tree, and determinism (twice, and with the folder's files
//! discovered in another order). The writing guarantees are tested on the
//! real binary in `compiler/cli/tests/build.rs`.

use hybrid_core::{compile, FileSystem};
use hybrid_emit::{EmitOptions, OutputTree};
use hybrid_tests::root;
use hybridc::{render, RealFs, TARGETS};
use std::fs;
use std::path::{Path, PathBuf};

fn examples() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && p.join("README.md").exists())
        .collect();
    v.sort();
    v
}

fn tree_of(path: &Path, fs: &dyn FileSystem) -> OutputTree {
    let c = compile(path, fs).unwrap();
    let t = c.topology.unwrap_or_else(|| panic!("{} has errors", path.display()));
    render(&t, TARGETS, &EmitOptions::default())
}

fn listing(tree: &OutputTree) -> String {
    let mut s = String::new();
    for (path, bytes) in tree.files() {
        s.push_str(&format!("=== {path}\n{}\n", String::from_utf8_lossy(bytes)));
    }
    s
}

#[test]
fn golden_output_of_every_example() {
    for ex in examples() {
        let name = ex.file_name().unwrap().to_string_lossy().to_string();
        let tree = tree_of(&ex, &RealFs);
        assert!(tree.clashes().is_empty());
        insta::with_settings!({ snapshot_path => root().join("tests/snapshots/build"), prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("build-{name}"), listing(&tree));
        });
    }
}

/// The real filesystem, but a folder's files come back in reverse order.
struct Reversed;
impl FileSystem for Reversed {
    fn read(&self, path: &Path) -> Result<String, String> {
        RealFs.read(path)
    }
    fn is_dir(&self, path: &Path) -> bool {
        RealFs.is_dir(path)
    }
    fn hybrid_files(&self, dir: &Path) -> Result<Vec<PathBuf>, String> {
        RealFs.hybrid_files(dir).map(|mut v| {
            v.reverse();
            v
        })
    }
}

#[test]
fn output_is_deterministic() {
    for ex in examples() {
        let a = tree_of(&ex, &RealFs);
        let b = tree_of(&ex, &RealFs);
        let c = tree_of(&ex, &Reversed);
        assert_eq!(a, b, "{}", ex.display());
        assert_eq!(a, c, "{} depends on discovery order", ex.display());
    }
}

/// Small programs, one per construct, and the files each one produces.
#[test]
fn golden_output_per_construct() {
    let dir = root().join("tests/constructs");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 5);
    for f in files {
        let name = f.file_stem().unwrap().to_string_lossy().to_string();
        let tree = tree_of(&f, &RealFs);
        insta::with_settings!({ snapshot_path => root().join("tests/snapshots/constructs"), prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("construct-{name}"), listing(&tree));
        });
    }
}
