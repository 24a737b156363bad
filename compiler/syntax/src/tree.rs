//! The hybridc syntax tree and its construction from the `kdl` crate's
//! document. Values keep their literal text (`raw`) so that later stages can
//! show what was written (`version=1.30` is a float whose text is `1.30`).

use hybrid_diagnostics::{FileId, Span};

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub file: FileId,
    pub nodes: Vec<Node>,
}

/// A node name or property key with its span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(String),
    Int(i128),
    Float(f64),
    Bool(bool),
    Null,
}

impl Value {
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

/// A positional argument (`name` is `None`) or a property.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub name: Option<Ident>,
    pub value: Value,
    /// The literal as written (`"1Ti"`, `1.30`, `#true`).
    pub raw: String,
    pub value_span: Span,
    /// The whole entry, `key=value` for a property.
    pub span: Span,
    /// The span of a `(type)` annotation, if one was written.
    pub type_annotation: Option<Span>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub name: Ident,
    pub entries: Vec<Entry>,
    /// `None` when the node has no `{ }` block.
    pub children: Option<Vec<Node>>,
    pub span: Span,
    pub type_annotation: Option<Span>,
}

impl Node {
    pub fn args(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.name.is_none())
    }

    pub fn props(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.name.is_some())
    }

    pub fn children(&self) -> &[Node] {
        self.children.as_deref().unwrap_or(&[])
    }
}

fn span_of(file: FileId, s: &miette::SourceSpan) -> Span {
    Span::new(file, s.offset(), s.offset() + s.len())
}

pub(crate) fn lower(file: FileId, text: &str, doc: &kdl::KdlDocument) -> Document {
    Document { file, nodes: doc.nodes().iter().map(|n| lower_node(file, text, n)).collect() }
}

fn lower_node(file: FileId, text: &str, node: &kdl::KdlNode) -> Node {
    let name = Ident { text: node.name().value().to_string(), span: span_of(file, &node.name().span()) };
    let entries = node.entries().iter().map(|e| lower_entry(file, text, e)).collect();
    let children = node.children().map(|c| c.nodes().iter().map(|n| lower_node(file, text, n)).collect());
    Node {
        name,
        entries,
        children,
        span: span_of(file, &node.span()),
        type_annotation: node.ty().map(|t| annotation_span(file, text, &t.span())),
    }
}

/// The span of `(type)`: the identifier's span widened to its parentheses.
fn annotation_span(file: FileId, text: &str, s: &miette::SourceSpan) -> Span {
    let mut start = s.offset();
    let mut end = s.offset() + s.len();
    if start > 0 && text.as_bytes().get(start - 1) == Some(&b'(') {
        start -= 1;
    }
    if text.as_bytes().get(end) == Some(&b')') {
        end += 1;
    }
    Span::new(file, start, end)
}

fn lower_entry(file: FileId, text: &str, entry: &kdl::KdlEntry) -> Entry {
    let span = span_of(file, &entry.span());
    let value = match entry.value() {
        kdl::KdlValue::String(s) => Value::String(s.clone()),
        kdl::KdlValue::Integer(i) => Value::Int(*i),
        kdl::KdlValue::Float(f) => Value::Float(*f),
        kdl::KdlValue::Bool(b) => Value::Bool(*b),
        kdl::KdlValue::Null => Value::Null,
    };
    // The literal is the tail of the entry's text: `key=value` ends with
    // the value, and an argument is the value itself.
    let entry_text = text.get(span.range()).unwrap_or("");
    let raw = entry
        .format()
        .map(|f| f.value_repr.trim().to_string())
        .filter(|r| !r.is_empty() && entry_text.ends_with(r.as_str()))
        .unwrap_or_else(|| match &entry.name() {
            Some(_) => entry_text.split_once('=').map(|(_, v)| v.trim()).unwrap_or(entry_text).to_string(),
            None => entry_text.to_string(),
        });
    let start = (span.end as usize).saturating_sub(raw.len()).max(span.start as usize);
    Entry {
        name: entry.name().map(|n| Ident { text: n.value().to_string(), span: span_of(file, &n.span()) }),
        value,
        raw,
        value_span: Span::new(file, start, span.end as usize),
        span,
        type_annotation: entry.ty().map(|t| annotation_span(file, text, &t.span())),
    }
}
