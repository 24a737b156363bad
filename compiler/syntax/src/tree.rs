//! The hybridc syntax tree, flat: a [`Document`] holds one [`Declaration`]
//! per top-level node, and each holds its nodes in one array in preorder
//! and their entries in another, both appended to while parsing, so that
//! each declaration's syntax can be freed once it is decoded. A node's
//! entries are contiguous, its children follow it, and it records where
//! its subtree ends, so its next sibling is found by a jump. Names, keys,
//! strings and literals are byte ranges into the source text, which the
//! document shares with the source map; a string whose value differs from
//! its bytes (escapes, a multi-line string's dedent) is kept decoded in its
//! declaration's side text.
//!
//! Consumers read through small `Copy` handles: [`Node`] and [`Entry`],
//! whose spans carry the document's [`FileId`]. Values keep their literal
//! text ([`Entry::raw`]) so that later stages can show what was written
//! (`version=1.30` is a float whose text is `1.30`).

use hybrid_diagnostics::{FileId, Span};
use std::sync::Arc;

/// A byte range of the source or of the decoded text (`u32`: [`parse`]
/// refuses a text longer than `u32` offsets address).
///
/// [`parse`]: crate::parse
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Range {
    pub start: u32,
    pub end: u32,
}

impl Range {
    fn get(self, text: &str) -> &str {
        text.get(self.start as usize..self.end as usize).unwrap_or("")
    }
}

/// Where a name's or a string's text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Str {
    /// Its bytes in the source: an identifier, a string without escapes.
    Source(Range),
    /// In the document's decoded text: a string with escapes or dedented.
    Decoded(Range),
}

/// A value as stored: a number's 64 bits as two `u32`s, so that an entry
/// is aligned to 4 bytes and holds no padding.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Val {
    Str(Str),
    Int([u32; 2]),
    Float([u32; 2]),
    Bool(bool),
    Null,
}

impl Val {
    pub fn int(i: i64) -> Val {
        Val::Int(split(i as u64))
    }

    pub fn float(f: f64) -> Val {
        Val::Float(split(f.to_bits()))
    }
}

fn split(bits: u64) -> [u32; 2] {
    [bits as u32, (bits >> 32) as u32]
}

fn join([low, high]: [u32; 2]) -> u64 {
    u64::from(low) | (u64::from(high) << 32)
}

/// A node as stored: 44 bytes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NodeData {
    pub name: Str,
    pub name_span: Range,
    pub span: Range,
    /// Its entries: indices into the document's entries.
    pub entries: Range,
    /// The index of the first node after its subtree: its next sibling's.
    pub subtree_end: u32,
    /// Whether a `(type)` annotation was written (its span is in the
    /// document's list of them, as almost none is).
    pub annotated: bool,
    /// Whether a `{ }` block was written.
    pub block: bool,
}

/// An entry as stored: 44 bytes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EntryData {
    /// `None` for a positional argument.
    pub key: Option<Str>,
    pub key_span: Range,
    pub value: Val,
    /// Where the literal is written (`"1Ti"`, `1.30`, `#true`): its text
    /// is the entry's `raw`.
    pub value_span: Range,
    /// Whether a `(type)` annotation was written (see [`NodeData`]).
    pub annotated: bool,
}

/// One parsed file: its top-level declarations, each with its own arrays
/// (a [`Declaration`]), so that a declaration's syntax can be freed once
/// it is decoded while the others are still read.
#[derive(Debug, Clone)]
pub struct Document {
    pub file: FileId,
    source: Arc<str>,
    declarations: Vec<Declaration>,
}

/// One top-level node with everything below it: its nodes in preorder
/// (the top-level node first) and their entries, indices counted from its
/// own start, and the file's text, shared.
#[derive(Debug, Clone)]
pub struct Declaration {
    text: Arc<Text>,
    /// The values of its strings that differ from their bytes (escapes, a
    /// multi-line string's dedent), decoded.
    decoded: String,
    nodes: Vec<NodeData>,
    entries: Vec<EntryData>,
    annotations: Annotations,
}

/// The file a declaration reads its names and strings from.
#[derive(Debug)]
pub(crate) struct Text {
    pub file: FileId,
    pub source: Arc<str>,
}

/// The `(type)` annotations written, by the index of their node or entry,
/// in ascending order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Annotations {
    pub nodes: Vec<(u32, Range)>,
    pub entries: Vec<(u32, Range)>,
}

fn annotation(list: &[(u32, Range)], index: u32) -> Option<Range> {
    let at = list.binary_search_by_key(&index, |(i, _)| *i).ok()?;
    list.get(at).map(|(_, r)| *r)
}

impl Document {
    pub(crate) fn new(file: FileId, source: Arc<str>, declarations: Vec<Declaration>) -> Document {
        Document { file, source, declarations }
    }

    /// A document without nodes (a file that did not parse).
    pub fn empty(file: FileId) -> Document {
        Document::new(file, Arc::from(""), Vec::new())
    }

    /// The top-level nodes.
    pub fn nodes(&self) -> Children<'_> {
        Children(Level::Top(self.declarations.iter()))
    }

    /// Every node, at every level, in preorder (the order written).
    pub fn all_nodes(&self) -> impl Iterator<Item = Node<'_>> {
        self.declarations
            .iter()
            .flat_map(|d| (0..).zip(&d.nodes).map(move |(index, data)| Node { doc: d, data, index }))
    }

    /// The text parsed.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// How many nodes the document holds, at every level.
    pub fn node_count(&self) -> usize {
        self.declarations.iter().map(|d| d.nodes.len()).sum()
    }

    /// Its top-level declarations, each owning its syntax, to be read and
    /// dropped one by one.
    pub fn into_declarations(self) -> Vec<Declaration> {
        self.declarations
    }
}

impl Declaration {
    pub(crate) fn new(
        text: Arc<Text>,
        decoded: String,
        nodes: Vec<NodeData>,
        entries: Vec<EntryData>,
        annotations: Annotations,
    ) -> Declaration {
        Declaration { text, decoded, nodes, entries, annotations }
    }

    /// Its top-level node; `None` only for a declaration made empty.
    pub fn node(&self) -> Option<Node<'_>> {
        self.node_at(0)
    }

    fn str(&self, s: Str) -> &str {
        match s {
            Str::Source(r) => r.get(&self.text.source),
            Str::Decoded(r) => r.get(&self.decoded),
        }
    }

    fn span(&self, r: Range) -> Span {
        Span { file: self.text.file, start: r.start, end: r.end }
    }

    fn node_at(&self, index: u32) -> Option<Node<'_>> {
        let data = self.nodes.get(index as usize)?;
        Some(Node { doc: self, data, index })
    }

    fn entry<'d>(&'d self, data: &'d EntryData, index: u32) -> Entry<'d> {
        Entry(Repr::Read(self, data, index))
    }

    fn value(&self, v: Val) -> Value<'_> {
        match v {
            Val::Str(s) => Value::String(self.str(s)),
            Val::Int(bits) => Value::Int(join(bits) as i64),
            Val::Float(bits) => Value::Float(f64::from_bits(join(bits))),
            Val::Bool(b) => Value::Bool(b),
            Val::Null => Value::Null,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'d> {
    String(&'d str),
    /// 64-bit, as in the `kdl` crate.
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
}

impl Value<'_> {
    /// What kind of value this is, for messages (`a number`, `a string`).
    pub fn describe(&self) -> &'static str {
        match self {
            Value::String(_) => "a string",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Bool(_) => "a boolean",
            Value::Null => "#null",
        }
    }
}

/// A node of a document.
#[derive(Clone, Copy)]
pub struct Node<'d> {
    doc: &'d Declaration,
    data: &'d NodeData,
    index: u32,
}

impl std::fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Node")
            .field("name", &self.name())
            .field("span", &self.span())
            .field("entries", &self.entries().collect::<Vec<_>>())
            .field("children", &self.children().collect::<Vec<_>>())
            .finish()
    }
}

impl<'d> Node<'d> {
    pub fn name(&self) -> &'d str {
        self.doc.str(self.data.name)
    }

    pub fn name_span(&self) -> Span {
        self.doc.span(self.data.name_span)
    }

    /// From its `(type)` or name to its last entry or its block's `}`.
    pub fn span(&self) -> Span {
        self.doc.span(self.data.span)
    }

    /// The span of a `(type)` annotation, if one was written.
    pub fn type_annotation(&self) -> Option<Span> {
        if !self.data.annotated {
            return None;
        }
        annotation(&self.doc.annotations.nodes, self.index).map(|a| self.doc.span(a))
    }

    /// Its arguments and properties, in the order written.
    pub fn entries(&self) -> Entries<'d> {
        let r = self.data.entries;
        let list = self.doc.entries.get(r.start as usize..r.end as usize).unwrap_or_default();
        Entries { doc: self.doc, iter: list.iter(), next: r.start }
    }

    pub fn args(&self) -> impl Iterator<Item = Entry<'d>> + Clone + 'd {
        let doc = self.doc;
        let entries = self.entries();
        (entries.next..).zip(entries.iter).filter(|(_, e)| e.key.is_none()).map(move |(i, e)| doc.entry(e, i))
    }

    pub fn props(&self) -> impl Iterator<Item = Entry<'d>> + Clone + 'd {
        let doc = self.doc;
        let entries = self.entries();
        (entries.next..).zip(entries.iter).filter(|(_, e)| e.key.is_some()).map(move |(i, e)| doc.entry(e, i))
    }

    /// Its child nodes (none without a block).
    pub fn children(&self) -> Children<'d> {
        Children(Level::Below { doc: self.doc, next: self.index.saturating_add(1), end: self.data.subtree_end })
    }

    /// Whether a `{ }` block was written (it may be empty).
    pub fn has_block(&self) -> bool {
        self.data.block
    }
}

/// The nodes of one level: siblings, each found at the end of the one
/// before's subtree.
#[derive(Debug, Clone)]
pub struct Children<'d>(Level<'d>);

#[derive(Debug, Clone)]
enum Level<'d> {
    /// A document's top-level nodes: each declaration's first.
    Top(std::slice::Iter<'d, Declaration>),
    /// A node's children, in its declaration, up to its subtree's end.
    Below { doc: &'d Declaration, next: u32, end: u32 },
}

impl Children<'_> {
    pub fn is_empty(&self) -> bool {
        match &self.0 {
            Level::Top(declarations) => declarations.len() == 0,
            Level::Below { next, end, .. } => next >= end,
        }
    }
}

impl<'d> Iterator for Children<'d> {
    type Item = Node<'d>;

    #[inline]
    fn next(&mut self) -> Option<Node<'d>> {
        match &mut self.0 {
            Level::Top(declarations) => declarations.find_map(Declaration::node),
            Level::Below { doc, next, end } => {
                if *next >= *end {
                    return None;
                }
                let node = doc.node_at(*next)?;
                // A subtree ends after its node: the walk always moves on.
                *next = node.data.subtree_end.max(*next + 1);
                Some(node)
            }
        }
    }
}

/// A node's entries.
#[derive(Debug, Clone)]
pub struct Entries<'d> {
    doc: &'d Declaration,
    iter: std::slice::Iter<'d, EntryData>,
    /// The index of the next entry in the document.
    next: u32,
}

impl<'d> Iterator for Entries<'d> {
    type Item = Entry<'d>;

    #[inline]
    fn next(&mut self) -> Option<Entry<'d>> {
        let e = self.iter.next()?;
        let index = self.next;
        self.next += 1;
        Some(self.doc.entry(e, index))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.iter.size_hint()
    }
}

impl DoubleEndedIterator for Entries<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let e = self.iter.next_back()?;
        // The last one left: after those still ahead.
        let index = self.next + self.iter.len() as u32;
        Some(self.doc.entry(e, index))
    }
}

impl ExactSizeIterator for Entries<'_> {}

/// A positional argument (no key) or a property, read out of its
/// document as it is asked for; or made for a value no file holds
/// ([`Entry::new`]).
#[derive(Clone, Copy)]
pub struct Entry<'d>(Repr<'d>);

#[derive(Clone, Copy)]
enum Repr<'d> {
    /// An entry of a document, and its index there.
    Read(&'d Declaration, &'d EntryData, u32),
    Made {
        value: Value<'d>,
        raw: &'d str,
        value_span: Span,
    },
}

impl std::fmt::Debug for Entry<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("key", &self.key())
            .field("value", &self.value())
            .field("raw", &self.raw())
            .field("value_span", &self.value_span())
            .finish()
    }
}

impl<'d> Entry<'d> {
    /// An argument no file holds: `value`, written `raw`, reported at
    /// `value_span` (a schema's default, at the node it fills in).
    pub fn new(value: Value<'d>, raw: &'d str, value_span: Span) -> Entry<'d> {
        Entry(Repr::Made { value, raw, value_span })
    }

    /// A property's key; `None` for an argument.
    pub fn key(&self) -> Option<&'d str> {
        match self.0 {
            Repr::Read(doc, data, _) => data.key.map(|k| doc.str(k)),
            Repr::Made { .. } => None,
        }
    }

    pub fn key_span(&self) -> Option<Span> {
        match self.0 {
            Repr::Read(doc, data, _) => data.key.map(|_| doc.span(data.key_span)),
            Repr::Made { .. } => None,
        }
    }

    pub fn value(&self) -> Value<'d> {
        match self.0 {
            Repr::Read(doc, data, _) => doc.value(data.value),
            Repr::Made { value, .. } => value,
        }
    }

    /// The literal as written (`"1Ti"`, `1.30`, `#true`).
    pub fn raw(&self) -> &'d str {
        match self.0 {
            Repr::Read(doc, data, _) => data.value_span.get(&doc.text.source),
            Repr::Made { raw, .. } => raw,
        }
    }

    pub fn value_span(&self) -> Span {
        match self.0 {
            Repr::Read(doc, data, _) => doc.span(data.value_span),
            Repr::Made { value_span, .. } => value_span,
        }
    }

    /// The span of a `(type)` annotation, if one was written.
    pub fn type_annotation(&self) -> Option<Span> {
        match self.0 {
            Repr::Read(doc, data, index) if data.annotated => {
                annotation(&doc.annotations.entries, index).map(|a| doc.span(a))
            }
            Repr::Read(..) => None,
            Repr::Made { .. } => None,
        }
    }

    /// The whole entry: `key=value` for a property, `(type)value` for an
    /// argument with a type annotation (a property's annotation follows
    /// its `=`).
    pub fn span(&self) -> Span {
        let start = match (self.key_span(), self.type_annotation()) {
            (Some(key), _) => key,
            (None, Some(ty)) => ty,
            (None, None) => self.value_span(),
        };
        Span { end: self.value_span().end, ..start }
    }
}
