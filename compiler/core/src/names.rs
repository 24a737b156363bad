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
use crate::hash::IndexMap;
use crate::load::FailedImports;
use crate::schema::DeclKind;
use hybrid_diagnostics::{close_matches, Diagnostic, Span};

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
    unique: IndexMap<(u8, Option<String>, String), usize>,
    /// Declarations by name, for lookups in constant time (never iterated
    /// in a way that reaches output: candidates are sorted before use).
    by_name: IndexMap<String, Vec<usize>>,
    /// Names the standard library declares that the program did not import.
    pub std_only: Vec<(DeclKind, String, &'static str)>,
    /// What failed imports would have declared.
    pub failed: FailedImports,
    /// Every resolved reference: its span and the index of the declaration
    /// (in [`Names::iter`] order), in resolution order.
    refs: Vec<(Span, usize)>,
}

impl Names {
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
        let key = (group(kind), parent.map(str::to_string), name.to_string());
        if let Some(&i) = self.unique.get(&key) {
            let (first, first_kind) = self.decls.get(i).map(|d| (d.span, d.kind)).unwrap_or((span, kind));
            let scope = match parent {
                Some(p) => format!("`{p}`"),
                None => "the topology".to_string(),
            };
            diags.push(diags::duplicate_declaration(kind, first_kind, name, span, first, &scope));
            return false;
        }
        self.unique.insert(key, self.decls.len());
        self.by_name.entry(name.to_string()).or_default().push(self.decls.len());
        self.decls.push(Decl { kind, name: name.to_string(), parent: parent.map(str::to_string), span });
        true
    }

    /// Whether a declaration of `kind` named `name` in `parent` would clash
    /// with one already declared (HY0011).
    pub fn taken(&self, kind: DeclKind, parent: Option<&str>, name: &str) -> bool {
        self.unique.contains_key(&(group(kind), parent.map(str::to_string), name.to_string()))
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
        self.by_name.get(name).into_iter().flatten().filter_map(|i| Some((*i, self.decls.get(*i)?)))
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
