//! The hybridc syntax tree. Values keep their literal text (`raw`) so that
//! later stages can show what was written (`version=1.30` is a float whose
//! text is `1.30`).

use hybrid_diagnostics::{FileId, Span};

/// The text of a name, key, string value or literal: up to 24 bytes are
/// held inline, so that the short words most of a program is made of cost
/// no allocation.
pub type Text = compact_str::CompactString;

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub file: FileId,
    pub nodes: Vec<Node>,
}

/// A node name or property key with its span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    pub text: Text,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(Text),
    /// 64-bit, as in the `kdl` crate.
    Int(i64),
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
    pub raw: Text,
    pub value_span: Span,
    /// The span of a `(type)` annotation, if one was written: boxed, as
    /// almost no entry has one (see [`Entry::type_annotation`]).
    pub annotation: Option<Box<Span>>,
}

impl Entry {
    /// The span of a `(type)` annotation, if one was written.
    pub fn type_annotation(&self) -> Option<Span> {
        self.annotation.as_deref().copied()
    }

    /// The whole entry: `key=value` for a property, `(type)value` for an
    /// argument with a type annotation (a property's annotation follows
    /// its `=`).
    pub fn span(&self) -> Span {
        let start = match (&self.name, self.type_annotation()) {
            (Some(key), _) => key.span,
            (None, Some(ty)) => ty,
            (None, None) => self.value_span,
        };
        Span { end: self.value_span.end, ..start }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub name: Ident,
    pub entries: Box<[Entry]>,
    /// `None` when the node has no `{ }` block.
    pub children: Option<Box<[Node]>>,
    pub span: Span,
    /// The span of a `(type)` annotation, if one was written: boxed, as
    /// almost no node has one (see [`Node::type_annotation`]).
    pub annotation: Option<Box<Span>>,
}

impl Node {
    pub fn args(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.name.is_none())
    }

    pub fn props(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.name.is_some())
    }

    /// The span of a `(type)` annotation, if one was written.
    pub fn type_annotation(&self) -> Option<Span> {
        self.annotation.as_deref().copied()
    }

    pub fn children(&self) -> &[Node] {
        self.children.as_deref().unwrap_or(&[])
    }
}
