//! What targets share: the [`Target`] trait, the in-memory [`OutputTree`]
//! (path → bytes), the one YAML module ([`yaml`]), and the assembly done
//! over all targets' files — each cluster's `kustomization.yaml`, its
//! `prerequisites.yaml` and `PREREQUISITES.md` ([`prerequisites`]), and the
//! `hybrid-manifest.json`.
//!
//! And the contracts between targets, each written once: the label keys
//! objects agree on ([`labels`]), the paths one target writes and another
//! appends to ([`cluster_dir`], [`kubernetes_dir`], [`workload_file`]),
//! the cluster-wide files each target registers with its place in the
//! kustomization ([`Target::cluster_files`]), and the unique-name allocator
//! of the Terraform and Heat targets ([`hcl::Names`]).
//!
//! Targets are pure: they read an error-free [`Topology`] and return files.
//! They never reject a program (anything that can be wrong is a check in
//! the compiler); a broken assumption is a bug.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

#[macro_use]
pub mod value;
pub mod ceph;
pub mod hcl;
pub mod labels;
pub mod manifest;
pub mod markdown;
pub mod mesh;
pub mod overrides;
pub mod platform;
pub mod prerequisites;
pub mod yaml;

pub use value::{Map, Str, Value};

use hybrid_model::{ClusterId, Topology, WorkloadId};
use std::collections::BTreeMap;

/// Options every target may read.
#[derive(Debug, Clone, Default)]
pub struct EmitOptions {
    /// OpenStack output: `heat`, `terraform` or both (empty = both).
    pub openstack: Vec<String>,
}

/// One platform's code generator.
pub trait Target: Sync {
    /// The name used by `--target`.
    fn name(&self) -> &'static str;
    /// Every file this target generates for the topology.
    fn emit(&self, t: &Topology, opts: &EmitOptions, out: &mut OutputTree);
    /// The cluster-wide files this target writes (or appends to) directly
    /// in a cluster's `kubernetes/` folder — not the workload files — each
    /// with its place in the folder's `kustomization.yaml`.
    fn cluster_files(&self) -> &'static [ClusterFile] {
        &[]
    }
}

/// A file a target writes once per cluster in the cluster's `kubernetes/`
/// folder (see [`kubernetes_dir`]), and its place in the folder's
/// kustomization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClusterFile {
    /// The file's name in the folder (`namespaces.yaml`).
    pub name: &'static str,
    /// Its place among the cluster-wide files of every target: lower ranks
    /// are listed first, all of them before the workload files (which
    /// follow in path order). Ranks are compared across targets, so a
    /// target places its file between another target's two by its number.
    pub rank: u16,
}

/// The generated files, by path (`/`-separated, relative to OUT), in sorted
/// order so that output never depends on generation order.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct OutputTree {
    files: BTreeMap<String, File>,
    /// The blocks of each Terraform file, kept until the overrides have
    /// edited them (see [`Self::add_hcl`]); the header comment first.
    hcl: BTreeMap<String, (String, Vec<hcl::Block>)>,
    /// What each cluster folder (`SITE/CLUSTER`) assumes of its platform,
    /// written by [`prerequisites::assemble`].
    prerequisites: BTreeMap<String, prerequisites::Prerequisites>,
}

/// A file of the tree: its bytes, and the workload whose declaration
/// produced it (see [`OutputTree::declare`]), kept beside them so that a
/// path is held once.
#[derive(Debug, Default, Clone, PartialEq)]
struct File {
    bytes: Vec<u8>,
    owner: Owner,
}

impl File {
    fn new(mut bytes: Vec<u8>) -> File {
        bytes.shrink_to_fit();
        File { bytes, owner: Owner::Undeclared }
    }

    /// Records that workload `id` wrote objects into the file.
    fn declare(&mut self, id: WorkloadId) {
        self.owner = match self.owner {
            Owner::Undeclared => Owner::One(id),
            Owner::One(o) if o == id => Owner::One(id),
            Owner::One(_) | Owner::Shared => Owner::Shared,
        };
    }
}

/// Which workload wrote a file.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
enum Owner {
    /// None declared it (a cluster-wide file).
    #[default]
    Undeclared,
    One(WorkloadId),
    /// Two workloads declared it: it belongs to neither.
    Shared,
}

impl OutputTree {
    pub fn new() -> Self {
        OutputTree::default()
    }

    /// Adds a file. Two targets writing one path is a bug in a target; the
    /// second write is kept out and recorded as a clash (see [`Self::clashes`]).
    /// The tree holds each file in exactly its length: the whole output is
    /// in memory until it is written (so that an error writes nothing).
    pub fn add(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        let path = path.into();
        let file = File::new(bytes.into());
        if self.files.contains_key(&path) {
            self.files.insert(format!("{path}.clash"), file);
        } else {
            self.files.insert(path, file);
        }
    }

    /// [`Self::add`] and [`Self::declare`] of many workloads' files at once
    /// (a cluster's, rendered in parallel), in one pass: sorted once and
    /// merged into the tree, where adding them one by one searches the
    /// tree from its root for each, through paths spread over memory (at
    /// 100,000 services that searching grew faster than the files). The
    /// same tree as adding them one by one in the given order.
    pub fn add_declared(&mut self, mut files: Vec<(String, WorkloadId, Vec<u8>)>) {
        // Stable: a path given twice keeps its order, as one by one.
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let repeated = files.windows(2).any(|w| matches!(w, [a, b] if a.0 == b.0));
        if repeated || any_present(&self.files, &files) {
            for (path, id, bytes) in files {
                self.add(path.clone(), bytes);
                self.declare(&path, id);
            }
            return;
        }
        let mut added: BTreeMap<String, File> = files
            .into_iter()
            .map(|(path, id, bytes)| (path, File { owner: Owner::One(id), ..File::new(bytes) }))
            .collect();
        self.files.append(&mut added);
    }

    /// Records that the file at `path` holds objects of workload `id`, so
    /// that `hybridc diff` names the declaration an output object comes
    /// from. Every target writing a workload's objects into a file records
    /// it, once the file is in the tree; a file two workloads wrote
    /// belongs to neither.
    pub fn declare(&mut self, path: &str, id: WorkloadId) {
        if let Some(file) = self.files.get_mut(path) {
            file.declare(id);
        }
    }

    /// The workload whose file `path` is, when one alone wrote it.
    pub fn declaration(&self, path: &str) -> Option<WorkloadId> {
        match self.files.get(path)?.owner {
            Owner::One(id) => Some(id),
            Owner::Undeclared | Owner::Shared => None,
        }
    }

    /// Adds a Terraform file: `header` (a comment) and its blocks, kept as
    /// blocks for the overrides to edit ([`overrides::apply`]).
    pub fn add_hcl(&mut self, path: impl Into<String>, header: &str, blocks: Vec<hcl::Block>) {
        let path = path.into();
        self.add(path.clone(), format!("{header}{}", hcl::file(&blocks)));
        self.hcl.insert(path, (header.to_string(), blocks));
    }

    /// The Terraform files' blocks, by path, for the overrides to edit;
    /// [`Self::replace`] writes an edited file back.
    pub(crate) fn hcl_files_mut(&mut self) -> impl Iterator<Item = (&String, &mut (String, Vec<hcl::Block>))> {
        self.hcl.iter_mut()
    }

    /// Replaces the bytes of a file already in the tree (an override's edit).
    pub fn replace(&mut self, path: &str, bytes: impl Into<Vec<u8>>) {
        if let Some(file) = self.files.get_mut(path) {
            file.bytes = bytes.into();
        }
    }

    /// Appends YAML documents to a multi-document file (another target's
    /// objects of the same workload go into the same file, after its own).
    pub fn append_documents(&mut self, path: impl Into<String>, docs: &[Value]) {
        if !docs.is_empty() {
            self.append_yaml(path, &yaml::documents(docs));
        }
    }

    /// [`Self::append_documents`] for documents already written as YAML.
    pub fn append_yaml(&mut self, path: impl Into<String>, text: &str) {
        if text.is_empty() {
            return;
        }
        append(&mut self.files.entry(path.into()).or_default().bytes, text);
    }

    /// [`Self::append_yaml`] and [`Self::declare`] of many workloads' texts,
    /// each to its own file, on all the threads of the pool: each file
    /// grows on a thread that is writing others, which reuses the room the
    /// old copies give back (grown one after the other on one thread, each
    /// file's old copy stayed with the thread that wrote it). An empty text
    /// is neither appended nor declared. The same tree as appending and
    /// declaring them one by one; so it does when a path comes twice or
    /// names no file yet.
    pub fn append_declared(&mut self, mut texts: Vec<(String, WorkloadId, String)>) {
        texts.retain(|(_, _, text)| !text.is_empty());
        texts.sort_by(|a, b| a.0.cmp(&b.0));
        let twice = texts.windows(2).any(|w| matches!(w, [a, b] if a.0 == b.0));
        if twice || texts.iter().any(|(path, _, _)| !self.files.contains_key(path)) {
            for (path, id, text) in texts {
                self.append_yaml(path.clone(), &text);
                self.declare(&path, id);
            }
            return;
        }
        let mut each: Vec<(&mut Vec<u8>, &str)> = Vec::with_capacity(texts.len());
        let mut next = texts.iter().peekable();
        for (path, file) in &mut self.files {
            if let Some((_, id, text)) = next.next_if(|(p, _, _)| p == path) {
                file.declare(*id);
                each.push((&mut file.bytes, text));
            }
        }
        use rayon::prelude::*;
        each.par_iter_mut().for_each(|(bytes, text)| append(bytes, text));
    }

    /// The prerequisites of the cluster folder `dir` (`SITE/CLUSTER`, see
    /// [`cluster_dir`]), for a target to add what its objects assume.
    pub fn require(&mut self, dir: &str) -> &mut prerequisites::Prerequisites {
        self.prerequisites.entry(dir.to_string()).or_default()
    }

    /// The prerequisites collected for the cluster folder `dir`.
    pub fn prerequisites(&self, dir: &str) -> Option<&prerequisites::Prerequisites> {
        self.prerequisites.get(dir).filter(|p| !p.is_empty())
    }

    /// Paths written twice (always empty unless a target is wrong).
    pub fn clashes(&self) -> Vec<&str> {
        self.files.keys().filter(|k| k.ends_with(".clash")).map(String::as_str).collect()
    }

    pub fn files(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(k, f)| (k.as_str(), f.bytes.as_slice()))
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(|f| f.bytes.as_slice())
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Whether `files` holds any of the paths of `sorted` (sorted by path): one
/// walk of the tree's paths between the first path and the last.
fn any_present(files: &BTreeMap<String, File>, sorted: &[(String, WorkloadId, Vec<u8>)]) -> bool {
    use std::ops::Bound::Included;
    let (Some(first), Some(last)) = (sorted.first(), sorted.last()) else { return false };
    let mut paths = sorted.iter().map(|(path, _, _)| path.as_str()).peekable();
    for key in files.range::<str, _>((Included(first.0.as_str()), Included(last.0.as_str()))).map(|(k, _)| k.as_str()) {
        while paths.next_if(|path| *path < key).is_some() {}
        if paths.peek() == Some(&key) {
            return true;
        }
    }
    false
}

/// Appends a non-empty YAML text to a file: after a `---` line when the
/// file has documents already.
fn append(file: &mut Vec<u8>, text: &str) {
    if !file.is_empty() {
        file.reserve_exact(4 + text.len());
        file.extend_from_slice(b"---\n");
    } else {
        file.reserve_exact(text.len());
    }
    file.extend_from_slice(text.as_bytes());
}

/// `f` over `items` on all the threads of the pool (see `hybridc --jobs`),
/// results in the order of `items`: output never depends on scheduling.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    use rayon::prelude::*;
    items.par_iter().map(f).collect()
}

/// `SITE/CLUSTER` — the folder of a cluster's output.
pub fn cluster_dir(t: &Topology, cluster: ClusterId) -> String {
    t.cluster_dir(cluster)
}

/// The name of the folder of a cluster's Kubernetes objects, in its
/// [`cluster_dir`] (the model's, which the checker reads too).
pub const KUBERNETES: &str = hybrid_model::KUBERNETES_DIR;

/// `SITE/CLUSTER/kubernetes` — the folder of a cluster's Kubernetes objects
/// (every target's), with one `kustomization.yaml` listing them. The model
/// spells it, so the checker holds a `gitops` path to the same folder.
pub fn kubernetes_dir(t: &Topology, cluster: ClusterId) -> String {
    t.kubernetes_dir(cluster)
}

/// `SITE/CLUSTER/kubernetes/NAMESPACE/WORKLOAD.yaml` — the file of one
/// workload's objects on one cluster, in the cluster's folder `dir`
/// ([`kubernetes_dir`]). The Kubernetes target writes it; the Istio target
/// appends the mesh objects of the same workload to it.
pub fn workload_file(dir: &str, namespace: &str, workload: &str) -> String {
    // Joined by hand: one per workload and cluster, and `format!` costs
    // several times as much.
    let mut path = String::with_capacity(dir.len() + namespace.len() + workload.len() + ".yaml".len() + 2);
    for part in [dir, "/", namespace, "/", workload, ".yaml"] {
        path.push_str(part);
    }
    path
}

/// Adds a `kustomization.yaml` to every `…/kubernetes/` folder of the tree,
/// listing every YAML file below it: the cluster-wide files `targets`
/// register ([`Target::cluster_files`]) by rank, then the others (the
/// workload files) in path order. Each carries the `common` labels
/// ([`labels::common`]): the topology itself is not needed any more.
pub fn assemble_kustomizations(common: &Map, tree: &mut OutputTree, targets: &[&dyn Target]) {
    let marker = format!("/{KUBERNETES}/");
    // Each folder's files, borrowed, in the tree's order: by name.
    let mut dirs: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (path, _) in tree.files() {
        if let Some((dir, rest)) = path.split_once(&marker) {
            // `DIR/kubernetes`: the path up to the marker's last `/`.
            let Some(folder) = path.get(..dir.len() + marker.len() - 1) else { continue };
            if rest.ends_with(".yaml") && rest != "kustomization.yaml" {
                dirs.entry(folder).or_default().push(rest);
            }
        }
    }
    let rank = |file: &str| {
        let ranks = targets.iter().flat_map(|target| target.cluster_files()).filter(|c| c.name == file);
        ranks.map(|c| c.rank).min().unwrap_or(u16::MAX)
    };
    let kustomizations: Vec<(String, String)> = dirs
        .into_iter()
        .map(|(dir, mut files)| {
            // Stable: files of one rank (the workloads') stay in name order.
            files.sort_by_cached_key(|f| rank(f));
            let name = dir.replace('/', "-").trim_end_matches(&format!("-{KUBERNETES}")).to_string();
            let mut text = yaml::Documents::with_capacity(256 + files.iter().map(|f| f.len() + 3).sum::<usize>());
            text.push(yaml!({
                "apiVersion": "kustomize.config.k8s.io/v1beta1",
                "kind": "Kustomization",
                "metadata": { "name": name, "labels": common },
                "resources": yaml::list(files),
            }));
            (format!("{dir}/kustomization.yaml"), text.finish())
        })
        .collect();
    for (path, text) in kustomizations {
        tree.add(path, text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A target that registers cluster-wide files and writes nothing.
    struct Registers(&'static [ClusterFile]);

    impl Target for Registers {
        fn name(&self) -> &'static str {
            "registers"
        }
        fn emit(&self, _: &Topology, _: &EmitOptions, _: &mut OutputTree) {}
        fn cluster_files(&self) -> &'static [ClusterFile] {
            self.0
        }
    }

    /// Appending many workloads' texts at once gives the tree of appending
    /// and declaring them one by one: to files with documents, to an empty
    /// one, to a path that is not there yet and to one named twice.
    #[test]
    fn appending_each_is_appending_one_by_one() {
        let w = WorkloadId::from_index;
        let start = |tree: &mut OutputTree| {
            tree.add("a.yaml", "a: 1\n");
            tree.add("b.yaml", "b: 1\n");
            tree.add("e.yaml", "");
        };
        let batches: [&[(&str, usize, &str)]; 3] = [
            &[("b.yaml", 1, "b: 2\n"), ("a.yaml", 0, "a: 2\n"), ("e.yaml", 2, "e: 1\n"), ("a.yaml", 3, "")],
            &[("a.yaml", 0, "a: 3\n"), ("new.yaml", 4, "n: 1\n")],
            &[("b.yaml", 1, "b: 3\n"), ("b.yaml", 5, "b: 4\n")],
        ];
        let (mut each, mut one) = (OutputTree::new(), OutputTree::new());
        start(&mut each);
        start(&mut one);
        for batch in batches {
            each.append_declared(batch.iter().map(|(p, i, t)| (p.to_string(), w(*i), t.to_string())).collect());
            for (p, i, t) in batch {
                one.append_yaml(*p, t);
                if !t.is_empty() {
                    one.declare(p, w(*i));
                }
            }
        }
        assert_eq!(each.declaration("a.yaml"), Some(w(0)));
        assert_eq!(each.declaration("new.yaml"), Some(w(4)));
        assert_eq!(each.declaration("b.yaml"), None);
        assert_eq!(each, one);
        assert_eq!(each.get("a.yaml"), Some(&b"a: 1\n---\na: 2\n---\na: 3\n"[..]));
        assert_eq!(each.get("b.yaml"), Some(&b"b: 1\n---\nb: 2\n---\nb: 3\n---\nb: 4\n"[..]));
        assert_eq!(each.get("e.yaml"), Some(&b"e: 1\n"[..]));
    }

    /// Adding a cluster's files at once gives the tree of declaring and
    /// adding them one by one: into an empty tree and beside other files
    /// (merged in one pass), and with a path given twice, a path already
    /// in the tree or one another workload declared (one by one).
    #[test]
    fn adding_declared_files_at_once_is_adding_them_one_by_one() {
        let w = WorkloadId::from_index;
        let start = |tree: &mut OutputTree| {
            tree.add("a/kustomization.yaml", "k: 1\n");
            tree.add("c/other.yaml", "o: 0\n");
            tree.declare("c/other.yaml", w(9));
        };
        let batches: [&[(&str, usize, &str)]; 4] = [
            &[("b/z.yaml", 0, "z: 1\n"), ("b/a.yaml", 1, "a: 1\n"), ("d/m.yaml", 2, "m: 1\n")],
            &[("e/x.yaml", 3, "x: 1\n"), ("e/x.yaml", 4, "x: 2\n")],
            &[("a/y.yaml", 5, "y: 1\n"), ("a/kustomization.yaml", 5, "k: 2\n"), ("a/b.yaml", 5, "b: 1\n")],
            &[("c/other.yaml", 6, "o: 1\n")],
        ];
        let (mut each, mut one) = (OutputTree::new(), OutputTree::new());
        start(&mut each);
        start(&mut one);
        for batch in batches {
            each.add_declared(batch.iter().map(|(p, i, t)| (p.to_string(), w(*i), t.as_bytes().to_vec())).collect());
            for (p, i, t) in batch {
                one.add(*p, *t);
                one.declare(p, w(*i));
            }
        }
        assert_eq!(each, one);
        assert_eq!(each.declaration("b/z.yaml"), Some(w(0)));
        assert_eq!(each.declaration("e/x.yaml"), None);
        assert_eq!(each.get("e/x.yaml.clash"), Some(&b"x: 2\n"[..]));
        assert_eq!(each.declaration("c/other.yaml"), None);
        assert_eq!(each.get("c/other.yaml.clash"), Some(&b"o: 1\n"[..]));
        assert_eq!(each.files().count(), 11);
    }

    #[test]
    fn kustomizations_list_registered_files_by_rank_across_targets() {
        let t = Topology { name: "demo".into(), ..Topology::default() };
        let mut tree = OutputTree::new();
        for f in ["b.yaml", "a.yaml", "unregistered.yaml", "ns/web.yaml", "ns/api.yaml", "c.yaml", "notes.md"] {
            tree.add(format!("site/one/{KUBERNETES}/{f}"), "x: 1\n");
        }
        tree.add("site/one/heat/stack.yaml", "x: 1\n");
        let first = Registers(&[ClusterFile { name: "b.yaml", rank: 10 }, ClusterFile { name: "c.yaml", rank: 30 }]);
        let second = Registers(&[ClusterFile { name: "a.yaml", rank: 20 }]);
        assemble_kustomizations(&labels::common(&t), &mut tree, &[&first, &second]);
        let text = String::from_utf8_lossy(tree.get("site/one/kubernetes/kustomization.yaml").unwrap_or_default());
        let resources: Vec<&str> = text.lines().skip_while(|l| *l != "resources:").skip(1).collect();
        assert_eq!(
            resources,
            ["- b.yaml", "- a.yaml", "- c.yaml", "- ns/api.yaml", "- ns/web.yaml", "- unregistered.yaml"]
        );
        assert!(text.contains("name: site-one\n"), "{text}");
        assert_eq!(tree.len(), 9, "one kustomization, none for heat/");

        // Past a few files, the workloads' keep their name order too.
        let mut tree = OutputTree::new();
        let names: Vec<String> = (0..200).map(|i| format!("{}{i:03}.yaml", ['a', 'x'][i % 2])).collect();
        for f in names.iter().map(String::as_str).chain(["c.yaml", "b.yaml"]) {
            tree.add(format!("site/one/{KUBERNETES}/{f}"), "x: 1\n");
        }
        assemble_kustomizations(&labels::common(&t), &mut tree, &[&first, &second]);
        let text = String::from_utf8_lossy(tree.get("site/one/kubernetes/kustomization.yaml").unwrap_or_default());
        let resources: Vec<&str> = text.lines().skip_while(|l| *l != "resources:").skip(1).collect();
        let mut expected = vec!["- b.yaml".to_string(), "- c.yaml".to_string()];
        expected.extend((0..200).step_by(2).map(|i| format!("- a{i:03}.yaml")));
        expected.extend((1..200).step_by(2).map(|i| format!("- x{i:03}.yaml")));
        assert_eq!(resources, expected);
    }

    #[test]
    fn workload_files_live_in_the_clusters_kubernetes_folder() {
        use hybrid_model::{Cluster, ClusterKind, OpenStack, Site, SiteId, Span};
        let t = Topology {
            sites: vec![Site {
                name: "dc-a".into(),
                span: Span::default(),
                region: "r".into(),
                kind: None,
                provider: None,
                networks: vec![],
                clusters: vec![ClusterId(0)],
                storage: vec![],
            }],
            clusters: vec![Cluster {
                name: "prod".into(),
                span: Span::default(),
                site: SiteId(0),
                kind: ClusterKind::OpenStack(OpenStack {
                    release: "2024.1".into(),
                    controllers: 3,
                    compute: None,
                    flavors: vec![],
                    networks: vec![],
                    volume_types: vec![],
                }),
            }],
            ..Topology::default()
        };
        assert_eq!(cluster_dir(&t, ClusterId(0)), "dc-a/prod");
        assert_eq!(kubernetes_dir(&t, ClusterId(0)), "dc-a/prod/kubernetes");
        assert_eq!(
            workload_file(&kubernetes_dir(&t, ClusterId(0)), "shop", "web"),
            "dc-a/prod/kubernetes/shop/web.yaml"
        );
    }
}
