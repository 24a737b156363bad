//! The name table: every declaration with its kind, its parent (the site,
//! cluster or model it is declared in) and its span; uniqueness per scope
//! (HY0011) and reference lookup (HY0012 unknown with "did you mean",
//! HY0013 ambiguous, HY0014 wrong kind).
//!
//! A bare name is looked up among the accepted kinds in the scope the
//! reference searches; a dotted path `parent.name` names `name` inside the
//! declaration `parent`.
//!
//! Every reference that resolves is recorded (its span and the declaration
//! it names) so that tools can go from a use to its declaration and back.

use crate::diags;
use crate::load::FailedImports;
use crate::schema::DeclKind;
use hashbrown::HashTable;
use hybrid_diagnostics::{close_matches, Diagnostic, Span};
use std::hash::{BuildHasher, Hash};

#[derive(Debug, Clone)]
pub struct Decl {
    pub kind: DeclKind,
    pub name: String,
    pub parent: Option<String>,
    pub span: Span,
}

impl Decl {
    pub fn path(&self) -> String {
        match &self.parent {
            Some(p) => format!("{p}.{}", self.name),
            None => self.name.clone(),
        }
    }
}

/// Where a bare name is searched.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// Anywhere in the topology.
    Topology,
    /// Only inside these parents.
    Within(&'a [&'a str]),
    /// Inside this parent first, then anywhere.
    WithinThenTopology(&'a str),
}

/// Kinds that share one namespace.
fn group(kind: DeclKind) -> u8 {
    match kind {
        DeclKind::Kubernetes | DeclKind::OpenStack | DeclKind::VSphere => 1,
        DeclKind::Service | DeclKind::Vm | DeclKind::Job => 2,
        other => 10 + other as u8,
    }
}

#[derive(Debug, Default)]
pub struct Names {
    decls: Vec<Decl>,
    /// Each declaration's index, found by the hash of its scope key (its
    /// kind's group, its parent and its name), which is read from `decls`
    /// rather than stored again.
    unique: HashTable<u32>,
    /// The first and the last declaration of each name, found by the hash
    /// of the name; each declaration's next of the same name is in
    /// `next_named`. Never iterated in a way that reaches output.
    by_name: HashTable<(u32, u32)>,
    next_named: Vec<u32>,
    /// Names the standard library declares that the program did not import.
    pub std_only: Vec<(DeclKind, String, &'static str)>,
    /// What failed imports would have declared.
    pub failed: FailedImports,
    /// Every resolved reference: its span and the index of the declaration
    /// (in [`Names::iter`] order), in resolution order.
    refs: Vec<(Span, usize)>,
}

/// The end of a chain of `next_named`.
const NONE: u32 = u32::MAX;

fn hash(key: impl Hash) -> u64 {
    foldhash::fast::FixedState::default().hash_one(key)
}

fn scope_hash(group: u8, parent: Option<&str>, name: &str) -> u64 {
    hash((group, parent, name))
}

fn decl_at(decls: &[Decl], i: u32) -> Option<&Decl> {
    decls.get(i as usize)
}

/// The hash `unique` files declaration `i` under.
fn scope_hash_at(decls: &[Decl], i: u32) -> u64 {
    decl_at(decls, i).map_or(0, |d| scope_hash(group(d.kind), d.parent.as_deref(), &d.name))
}

/// The hash `by_name` files the name of declaration `i` under.
fn name_hash_at(decls: &[Decl], i: u32) -> u64 {
    decl_at(decls, i).map_or(0, |d| hash(d.name.as_str()))
}

impl Names {
    /// Room for `n` declarations (a program declares about one per
    /// top-level declaration): the tables then grow seldom, if at all.
    pub fn reserve(&mut self, n: usize) {
        self.decls.reserve(n);
        self.next_named.reserve(n);
        let decls = &self.decls;
        self.unique.reserve(n, |i| scope_hash_at(decls, *i));
        self.by_name.reserve(n, |(head, _)| name_hash_at(decls, *head));
    }

    /// Declares a name; reports HY0011 and returns false when its scope
    /// already has it.
    pub fn declare(
        &mut self,
        kind: DeclKind,
        name: &str,
        parent: Option<&str>,
        span: Span,
        diags: &mut Vec<Diagnostic>,
    ) -> bool {
        if name.is_empty() {
            return false;
        }
        let Ok(index) = u32::try_from(self.decls.len()) else { return false };
        if let Some(first) = self.scoped(kind, parent, name) {
            let (first, first_kind) = (first.span, first.kind);
            let scope = match parent {
                Some(p) => format!("`{p}`"),
                None => "the topology".to_string(),
            };
            diags.push(diags::duplicate_declaration(kind, first_kind, name, span, first, &scope));
            return false;
        }
        self.decls.push(Decl { kind, name: name.to_string(), parent: parent.map(str::to_string), span });
        let decls = &self.decls;
        self.unique.insert_unique(scope_hash(group(kind), parent, name), index, |i| scope_hash_at(decls, *i));
        self.next_named.push(NONE);
        let named = |(head, _): &(u32, u32)| decl_at(decls, *head).is_some_and(|d| d.name == name);
        match self.by_name.find_mut(hash(name), named) {
            Some((_, tail)) => {
                if let Some(next) = self.next_named.get_mut(*tail as usize) {
                    *next = index;
                }
                *tail = index;
            }
            None => {
                self.by_name.insert_unique(hash(name), (index, index), |(head, _)| name_hash_at(decls, *head));
            }
        }
        true
    }

    /// The declaration of this kind's group, parent and name, if any.
    fn scoped(&self, kind: DeclKind, parent: Option<&str>, name: &str) -> Option<&Decl> {
        let g = group(kind);
        let same = |d: &Decl| group(d.kind) == g && d.parent.as_deref() == parent && d.name == name;
        let i = self.unique.find(scope_hash(g, parent, name), |i| decl_at(&self.decls, *i).is_some_and(same))?;
        decl_at(&self.decls, *i)
    }

    pub fn taken(&self, kind: DeclKind, parent: Option<&str>, name: &str) -> bool {
        self.scoped(kind, parent, name).is_some()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Decl> {
        self.decls.iter()
    }

    /// Every declaration with this name, in declaration order.
    pub fn named<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a Decl> + 'a {
        self.named_at(name).map(|(_, d)| d)
    }

    /// [`Names::named`] with each declaration's index.
    fn named_at<'a>(&'a self, name: &str) -> impl Iterator<Item = (usize, &'a Decl)> + 'a {
        let head =
            self.by_name.find(hash(name), |(head, _)| decl_at(&self.decls, *head).is_some_and(|d| d.name == name));
        let mut next = head.map_or(NONE, |(head, _)| *head);
        std::iter::from_fn(move || {
            let i = next;
            let d = decl_at(&self.decls, i)?;
            next = self.next_named.get(i as usize).copied().unwrap_or(NONE);
            Some((i as usize, d))
        })
    }

    /// The declaration at an index of [`Names::references`].
    pub fn decl(&self, index: usize) -> Option<&Decl> {
        self.decls.get(index)
    }

    /// Every resolved reference: its span and the index of the declaration
    /// it names, in resolution order.
    pub fn references(&self) -> &[(Span, usize)] {
        &self.refs
    }

    /// Records a reference resolved outside [`Names::lookup`] (a `use` of a
    /// profile, a disk's or a volume's storage): every declaration named
    /// `name` that `names` accepts.
    pub fn record(&mut self, span: Span, name: &str, names: impl Fn(&Decl) -> bool) {
        let found: Vec<usize> = self.named_at(name).filter(|(_, d)| names(d)).map(|(i, _)| i).collect();
        self.refs.extend(found.into_iter().map(|i| (span, i)));
    }

    /// Resolves a reference; reports and returns `None` when it names
    /// nothing, several things, or something of another kind.
    pub fn lookup(
        &mut self,
        text: &str,
        span: Span,
        accepts: &[DeclKind],
        scope: Scope<'_>,
        expected: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<&Decl> {
        let i = self.find(text, span, accepts, scope, expected, diags)?;
        self.refs.push((span, i));
        self.decls.get(i)
    }

    /// The index of the declaration a reference names, or `None` with its
    /// diagnostic.
    fn find(
        &self,
        text: &str,
        span: Span,
        accepts: &[DeclKind],
        scope: Scope<'_>,
        expected: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<usize> {
        let accepted = |d: &&Decl| accepts.contains(&d.kind);
        if let Some((parent, name)) = text.rsplit_once('.') {
            let found = self
                .named_at(name)
                .find(|(_, d)| accepts.contains(&d.kind) && d.parent.as_deref() == Some(parent))
                .map(|(i, _)| i);
            if found.is_none() {
                if let Some(other) = self.named(name).find(|d| d.parent.as_deref() == Some(parent)) {
                    diags.push(match other.kind {
                        DeclKind::Pool => diags::pool_not_cluster(text, parent, span, expected, None),
                        _ => diags::wrong_reference_kind(text, span, other.kind.word(), expected, other.span),
                    });
                    return None;
                }
                let paths: Vec<String> = self.decls.iter().filter(accepted).map(Decl::path).collect();
                let close = close_matches(text, paths.iter().map(String::as_str));
                if !self.failed.may_declare(None) {
                    diags.push(diags::unknown_reference(text, span, expected, &close, None));
                }
            }
            return found;
        }
        let in_scope = |d: &Decl, s: Scope<'_>| match s {
            Scope::Topology => true,
            Scope::Within(ps) => d.parent.as_deref().is_some_and(|p| ps.contains(&p)),
            Scope::WithinThenTopology(p) => d.parent.as_deref() == Some(p),
        };
        let ok = |d: &Decl| accepts.contains(&d.kind);
        let mut found: Vec<(usize, &Decl)> = self.named_at(text).filter(|(_, d)| ok(d) && in_scope(d, scope)).collect();
        if found.is_empty() {
            if let Scope::WithinThenTopology(_) = scope {
                found = self.named_at(text).filter(|(_, d)| ok(d)).collect();
            }
        }
        match found.as_slice() {
            [(one, _)] => return Some(*one),
            [] => {}
            many => {
                let mut candidates: Vec<String> = many.iter().map(|(_, d)| d.path()).collect();
                candidates.sort();
                diags.push(diags::ambiguous_reference(text, span, expected, &candidates));
                return None;
            }
        }
        // Nothing of the accepted kinds: is it something else?
        if let Some(other) = self.named(text).find(|d| !accepts.contains(&d.kind)) {
            diags.push(diags::wrong_reference_kind(text, span, other.kind.word(), expected, other.span));
            return None;
        }
        // Declared in another scope?
        let elsewhere: Vec<String> = self.named(text).filter(accepted).map(Decl::path).collect();
        if !elsewhere.is_empty() {
            let help = format!(
                "`{text}` is declared as {}, which this reference cannot reach from here",
                hybrid_diagnostics::join_quoted(&elsewhere)
            );
            diags.push(diags::unknown_reference(text, span, expected, &[], Some(help)));
            return None;
        }
        // A name a failed import would have declared: HY0015 said so.
        let std_module = self.std_only.iter().find(|(k, n, _)| accepts.contains(k) && n == text).map(|(_, _, m)| *m);
        if self.failed.may_declare(std_module) {
            return None;
        }
        if let Some(module) = std_module {
            let help = format!("`{module}` declares it: add `import \"{module}\"`");
            diags.push(diags::unknown_reference(text, span, expected, &[], Some(help)));
            return None;
        }
        let names: Vec<&str> = self
            .decls
            .iter()
            .filter(accepted)
            .filter(|d| in_scope(d, scope) || matches!(scope, Scope::WithinThenTopology(_)))
            .map(|d| d.name.as_str())
            .collect();
        let close = close_matches(text, names);
        diags.push(diags::unknown_reference(text, span, expected, &close, None));
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const KINDS: [DeclKind; 5] =
        [DeclKind::Kubernetes, DeclKind::VSphere, DeclKind::Service, DeclKind::Job, DeclKind::Pool];
    const PARENTS: [Option<&str>; 3] = [None, Some("a"), Some("b")];
    const WORDS: [&str; 4] = ["x", "y", "general", "a"];

    proptest! {
        /// The table agrees with a plain list of what was declared: a name
        /// is refused (HY0011) exactly when its group, parent and name were
        /// declared before, and `named` lists every declaration of a name
        /// in declaration order (room reserved at any point).
        #[test]
        fn the_name_table_agrees_with_a_list(
            decls in proptest::collection::vec((0..KINDS.len(), 0..PARENTS.len(), 0..WORDS.len()), 0..200),
            (reserve_at, room) in (0usize..200, 0usize..300),
        ) {
            let mut names = Names::default();
            let mut model: Vec<(DeclKind, Option<&str>, &str)> = Vec::new();
            let (mut diags, mut refused) = (Vec::new(), 0);
            for (at, (k, p, w)) in decls.into_iter().enumerate() {
                if at == reserve_at {
                    names.reserve(room);
                }
                let (Some(&kind), Some(&parent), Some(&name)) = (KINDS.get(k), PARENTS.get(p), WORDS.get(w)) else {
                    continue;
                };
                let taken = model.iter().any(|(k, p, n)| group(*k) == group(kind) && *p == parent && *n == name);
                prop_assert_eq!(names.taken(kind, parent, name), taken);
                prop_assert_eq!(names.declare(kind, name, parent, Span::default(), &mut diags), !taken);
                if taken {
                    refused += 1;
                } else {
                    model.push((kind, parent, name));
                }
            }
            prop_assert_eq!(diags.len(), refused);
            prop_assert_eq!(names.iter().count(), model.len());
            for word in WORDS {
                let listed: Vec<(DeclKind, Option<&str>)> = names.named(word).map(|d| (d.kind, d.parent.as_deref())).collect();
                let expected: Vec<(DeclKind, Option<&str>)> =
                    model.iter().filter(|(_, _, n)| *n == word).map(|(k, p, _)| (*k, *p)).collect();
                prop_assert_eq!(listed, expected);
            }
        }
    }
}
