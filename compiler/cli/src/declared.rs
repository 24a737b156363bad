//! Which declaration of the program produced each output file, as a diff
//! shows it beside an object (`mini.hybrid:10`): a workload's file holds
//! that workload's objects alone (the targets record it as they write it,
//! `OutputTree::declare`), so its objects point at the workload's
//! declaration; the cluster-wide files, the kustomizations, the OpenStack
//! and vSphere files hold the objects of many declarations and point at
//! none. Each workload's declaration is found once, before rendering, so
//! that a build frees the sources before it renders and the topology once
//! the targets have emitted.

use crate::diff::Declared;
use hybrid_diagnostics::SourceMap;
use hybrid_emit::OutputTree;
use hybrid_model::Topology;
use std::path::{Path, PathBuf};

/// Output path → the declaration of the workload whose file it is, with
/// the program file named relative to the program's root (the folder
/// given, or the folder of the file given). Looked up for the objects a
/// report lists, not computed for every file.
#[derive(Debug)]
pub struct Declarations {
    /// Each source's name, relative to the program's root, by file id.
    files: Vec<String>,
    /// The file (its index in `files`) and line of each workload's
    /// declaration, by workload id.
    lines: Vec<(usize, usize)>,
}

impl Declarations {
    pub fn new(t: &Topology, sources: &SourceMap, program: &Path) -> Self {
        let root = program_root(program);
        let files = sources.files().map(|(_, f)| relative(&f.name, &root)).collect();
        let lines = t
            .workloads
            .iter()
            .map(|w| {
                let line = sources.get(w.span.file).map_or(0, |f| f.line_index(w.span.start as usize));
                (w.span.file.0 as usize, line + 1)
            })
            .collect();
        Declarations { files, lines }
    }

    /// The declaration the file at `path` of `tree` comes from, when one
    /// alone.
    pub fn of(&self, tree: &OutputTree, path: &str) -> Option<Declared> {
        let id = tree.declaration(path)?;
        let &(file, line) = self.lines.get(id.index())?;
        Some(Declared { file: self.files.get(file)?.clone(), line })
    }
}

/// The folder program files are named relative to.
fn program_root(program: &Path) -> PathBuf {
    let program = hybrid_core::load::normalize(program);
    if program.is_dir() {
        program
    } else {
        program.parent().map(Path::to_path_buf).unwrap_or_default()
    }
}

/// A source name relative to the root, `/`-separated; as loaded when it
/// lies outside the root (an import from above it, the stdlib's `std/…`).
fn relative(name: &str, root: &Path) -> String {
    let rel = Path::new(name).strip_prefix(root).map(Path::to_path_buf).unwrap_or_else(|_| PathBuf::from(name));
    rel.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_relative_to_the_programs_folder() {
        assert_eq!(relative("infra/net/a.hybrid", Path::new("infra")), "net/a.hybrid");
        assert_eq!(relative("../shared/x.hybrid", Path::new("infra")), "../shared/x.hybrid");
        assert_eq!(relative("std/gpu", Path::new("")), "std/gpu");
        assert_eq!(program_root(Path::new("./main.hybrid")), PathBuf::new());
    }

    /// Every workload file the targets write for the examples is one whose
    /// workload is known, and each of its objects is that workload's.
    #[test]
    fn every_workload_file_of_the_examples_has_its_declaration() {
        let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
        let mut seen = 0;
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(&examples).unwrap().map(|e| e.unwrap().path()).collect();
        dirs.sort();
        for dir in dirs {
            let name = dir.file_name().unwrap().to_string_lossy().to_string();
            let c = crate::compile(&dir, &crate::RealFs).unwrap();
            let t = c.topology.as_ref().unwrap();
            let tree = crate::render(t, crate::TARGETS, &hybrid_emit::EmitOptions::default());
            let declared = Declarations::new(t, &c.sources, &dir);
            for (path, bytes) in tree.files() {
                let Some(rest) = path.split_once("/kubernetes/").map(|(_, r)| r) else { continue };
                if !rest.contains('/') {
                    continue; // a cluster-wide file
                }
                let d = declared.of(&tree, path).unwrap_or_else(|| panic!("{name}: {path} has no declaration"));
                let w = &t.workloads[tree.declaration(path).unwrap().index()];
                let program = std::fs::read_to_string(dir.join(&d.file)).unwrap();
                let line = program.lines().nth(d.line - 1).unwrap_or_default();
                assert!(line.trim_start().starts_with(&format!("{} {}", w.kind_word(), w.name)), "{d}: {line}");
                let text = String::from_utf8_lossy(bytes);
                assert!(text.contains(&format!("name: {}\n", w.name)), "{path} holds {}'s objects", w.name);
                seen += 1;
            }
        }
        assert!(seen > 20, "the examples have workload files: {seen}");
    }
}
