//! A KDL v2 parser written for speed: one pass over the bytes, recursive
//! descent straight into the flat syntax tree (each top-level declaration's
//! nodes and entries appended to two arrays, handed over whole; names and
//! strings as byte ranges of the source, only decoded strings copied),
//! spans as byte offsets. It follows
//! the KDL 2.0 grammar (identifier, quoted, raw and multi-line strings with
//! dedent and escapes; decimal, hex, octal and binary numbers; `#true`,
//! `#false`, `#null`, `#inf`, `#-inf`, `#nan`; `//`, nested `/* */` and
//! `/-` comments; line continuations; type annotations) and is checked
//! against the official test suite and, differentially, against the `kdl`
//! crate (`oracle.rs` in this crate).
//!
//! It stops at the first error and reports where it is and why.
//!
//! This module holds the parser's state and cursor, and the structure of a
//! document: nodes, their names, entries, type annotations and children
//! blocks. `chars` holds the character classes, `space` whitespace,
//! newlines, comments and line continuations, `strings` the quoted, raw and
//! multi-line strings, and `numbers` numbers and `#keywords`.

mod chars;
mod numbers;
mod space;
mod strings;

use chars::is_ident_byte;
pub(crate) use chars::{is_ident_char, is_newline, is_ws};
use space::may_start_node_space;

use crate::tree::{Annotations, Declaration, Document, EntryData, NodeData, Range, Str, Text, Val};
use hybrid_diagnostics::FileId;
use std::sync::Arc;

/// The first syntax error: a byte range, a message, a label and maybe a help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseError {
    pub start: usize,
    pub end: usize,
    pub message: String,
    pub label: &'static str,
    pub help: Option<String>,
}

/// Boxed: every step of the parser returns a `Res`, and a small `Err`
/// keeps the common `Ok` path cheap.
type Res<T> = Result<T, Box<ParseError>>;

/// The longest text parsed: every offset of the tree is a `u32`.
pub(crate) const MAX_LEN: usize = u32::MAX as usize;

pub(crate) fn parse(file: FileId, text: Arc<str>) -> Res<Document> {
    if text.len() > MAX_LEN {
        return Err(Box::new(too_long(text.len(), MAX_LEN)));
    }
    let mut p = Parser::new(&text, Arc::new(Text { file, source: Arc::clone(&text) }));
    // Room for a dense program's declarations (one per 128 bytes; a
    // program of 1,000 services has one per 360): the list then never
    // moves, and the room a file does not use is never touched.
    p.declarations.reserve(text.len() / 128);
    if text.starts_with('\u{FEFF}') {
        p.pos = 3;
    }
    p.nodes(false)?;
    let declarations = p.declarations;
    Ok(Document::new(file, text, declarations))
}

/// The error for a text of `len` bytes, longer than `max`.
pub(crate) fn too_long(len: usize, max: usize) -> ParseError {
    ParseError {
        start: 0,
        end: 0,
        message: format!("the file is {len} bytes long, more than the {max} a file may hold"),
        label: "too long",
        help: Some("split it into files that import each other".into()),
    }
}

/// `start..end` as a [`Range`]: every offset fits `u32`, as the text does.
#[inline(always)]
fn range(start: usize, end: usize) -> Range {
    Range { start: start as u32, end: end as u32 }
}

struct Parser<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
    /// Children blocks open at `pos` (bounded by [`MAX_DEPTH`]).
    depth: usize,
    /// The current top-level declaration's nodes in preorder and their
    /// entries, appended as they are parsed; what a `/-` comments out is
    /// cut off again. Each declaration, once parsed, is copied out at its
    /// exact size (see [`Self::declared`]) and these are emptied for the
    /// next, keeping their room.
    nodes: Vec<NodeData>,
    entries: Vec<EntryData>,
    annotations: Annotations,
    /// The values of the current declaration's strings that differ from
    /// their bytes.
    decoded: String,
    /// The file, shared by its declarations.
    text: Arc<Text>,
    /// The declarations parsed.
    declarations: Vec<Declaration>,
}

/// The deepest nesting of children blocks accepted. The descent recurses
/// once per level, so without a bound a hostile file (`a { a { a { …`)
/// would overflow the stack; a hybridc program nests four or five levels.
pub(crate) const MAX_DEPTH: usize = 100;

/// What a token in value position turned out to be.
enum Tok {
    /// A string of any kind, an identifier too.
    Str(Str),
    Other(Val),
}

impl Tok {
    #[inline(always)]
    fn value(self) -> Val {
        match self {
            Tok::Str(s) => Val::Str(s),
            Tok::Other(v) => v,
        }
    }
}

/// How long the arrays and the decoded text are: where a slashdashed
/// item's part of them starts, to cut it off again.
#[derive(Clone, Copy)]
struct Mark {
    nodes: usize,
    entries: usize,
    decoded: usize,
    node_annotations: usize,
    entry_annotations: usize,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str, text: Arc<Text>) -> Self {
        Parser {
            src,
            b: src.as_bytes(),
            pos: 0,
            text,
            depth: 0,
            nodes: Vec::new(),
            entries: Vec::new(),
            decoded: String::new(),
            annotations: Annotations::default(),
            declarations: Vec::new(),
        }
    }

    /// The top-level node just parsed, with everything below it, copied
    /// out as a declaration of its own: its syntax can then be freed once
    /// it is decoded, while the file's other declarations are still read.
    fn declared(&mut self) {
        let annotations = Annotations {
            nodes: std::mem::take(&mut self.annotations.nodes),
            entries: std::mem::take(&mut self.annotations.entries),
        };
        let decoded = std::mem::take(&mut self.decoded);
        // Handed over whole, and the next declaration's made with room for
        // as many (declarations of one kind follow one another): most are
        // then parsed into lists of their exact size, never copied.
        let (room_nodes, room_entries) = (self.nodes.len(), self.entries.len());
        let nodes = std::mem::replace(&mut self.nodes, Vec::with_capacity(room_nodes));
        let entries = std::mem::replace(&mut self.entries, Vec::with_capacity(room_entries));
        self.declarations.push(Declaration::new(Arc::clone(&self.text), decoded, nodes, entries, annotations));
    }

    fn mark(&self) -> Mark {
        Mark {
            nodes: self.nodes.len(),
            entries: self.entries.len(),
            decoded: self.decoded.len(),
            node_annotations: self.annotations.nodes.len(),
            entry_annotations: self.annotations.entries.len(),
        }
    }

    /// Cuts off what was parsed since `m` (a slashdashed item).
    fn cut(&mut self, m: Mark) {
        self.nodes.truncate(m.nodes);
        self.entries.truncate(m.entries);
        self.decoded.truncate(m.decoded);
        self.annotations.nodes.truncate(m.node_annotations);
        self.annotations.entries.truncate(m.entry_annotations);
    }

    /// `s` appended to the decoded text.
    pub(super) fn decoded(&mut self, s: &str) -> Str {
        let start = self.decoded.len();
        self.decoded.push_str(s);
        Str::Decoded(range(start, self.decoded.len()))
    }

    #[cold]
    #[inline(never)]
    fn err<T>(
        &self,
        start: usize,
        end: usize,
        message: impl Into<String>,
        label: &'static str,
        help: Option<String>,
    ) -> Res<T> {
        // Widened to whole characters: a span never splits a UTF-8 sequence.
        let mut start = start.min(self.src.len());
        while !self.src.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = end.clamp(start, self.src.len());
        while !self.src.is_char_boundary(end) {
            end += 1;
        }
        Err(Box::new(ParseError { start, end, message: message.into(), label, help }))
    }

    #[inline]
    fn peek(&self) -> Option<char> {
        match self.b.get(self.pos) {
            Some(&c) if c < 0x80 => Some(c as char),
            Some(_) => self.src.get(self.pos..).and_then(|s| s.chars().next()),
            None => None,
        }
    }

    #[inline]
    fn peek_at(&self, offset: usize) -> Option<u8> {
        self.b.get(self.pos + offset).copied()
    }

    #[inline]
    fn starts(&self, s: &str) -> bool {
        self.b.get(self.pos..).is_some_and(|rest| rest.starts_with(s.as_bytes()))
    }

    #[inline]
    fn bump(&mut self, c: char) {
        self.pos += c.len_utf8();
    }

    fn nodes(&mut self, in_children: bool) -> Res<()> {
        loop {
            self.line_space()?;
            match self.b.get(self.pos) {
                None => break,
                Some(b'}') if in_children => break,
                Some(b'}') => {
                    return self.err(
                        self.pos,
                        self.pos + 1,
                        "unexpected `}`",
                        "no block to close",
                        Some("remove it, or open a block with `{`".into()),
                    )
                }
                Some(b';') => {
                    return self.err(
                        self.pos,
                        self.pos + 1,
                        "`;` ends a node, but there is no node here",
                        "nothing to end",
                        Some("remove the `;`".into()),
                    );
                }
                Some(b'/') if self.peek_at(1) == Some(b'-') => {
                    self.pos += 2;
                    self.line_space()?;
                    let m = self.mark();
                    self.node()?;
                    self.cut(m);
                }
                Some(_) => {
                    self.node()?;
                    if !in_children {
                        self.declared();
                    }
                }
            }
        }
        Ok(())
    }

    /// A `(type)` annotation, if one starts here. Before every node and
    /// entry, and seldom written: the test that there is none is inlined.
    #[inline(always)]
    fn type_annotation(&mut self) -> Res<Option<Range>> {
        if self.b.get(self.pos) != Some(&b'(') {
            return Ok(None);
        }
        self.type_annotation_at()
    }

    /// [`type_annotation`](Self::type_annotation), at its `(`.
    fn type_annotation_at(&mut self) -> Res<Option<Range>> {
        let start = self.pos;
        self.pos += 1;
        self.node_space()?;
        let m = self.mark();
        self.string_token("a type name")?;
        // Its name is not kept.
        self.cut(m);
        self.node_space()?;
        if self.peek() != Some(')') {
            return self.err(self.pos, self.pos + 1, "expected `)` to close the type annotation", "here", None);
        }
        self.pos += 1;
        Ok(Some(range(start, self.pos)))
    }

    /// A string in name position: identifier, quoted or raw.
    fn string_token(&mut self, what: &str) -> Res<(Str, usize, usize)> {
        let start = self.pos;
        match self.value_token()? {
            Tok::Str(s) => Ok((s, start, self.pos)),
            Tok::Other(_) => self.err(
                start,
                self.pos,
                format!("expected {what}, found a number or keyword"),
                "not a string",
                Some("quote it to use it as a name".into()),
            ),
        }
    }

    /// One node, appended to the nodes with its entries, then its
    /// children: `(type)`, name, entries and children block, up to its end
    /// (a `;`, a newline or a line comment, consumed; a `}` or the end of
    /// the text, not).
    fn node(&mut self) -> Res<()> {
        let start = self.pos;
        let annotation = self.type_annotation()?;
        if annotation.is_some() {
            self.node_space()?;
        }
        let (name, ns, ne) = self.node_name()?;
        let index = self.nodes.len();
        if let Some(a) = annotation {
            self.annotations.nodes.push((index as u32, a));
        }
        let first = self.entries.len() as u32;
        self.nodes.push(NodeData {
            name,
            name_span: range(ns, ne),
            span: range(start, ne),
            entries: Range { start: first, end: first },
            subtree_end: 0,
            annotated: annotation.is_some(),
            block: false,
        });
        let (end, entries_end, block) = self.node_body(ne)?;
        let subtree_end = self.nodes.len() as u32;
        if let Some(n) = self.nodes.get_mut(index) {
            n.span.end = end as u32;
            n.entries.end = entries_end;
            n.subtree_end = subtree_end;
            n.block = block;
        }
        Ok(())
    }

    /// A node's name: an identifier, a quoted or a raw string.
    fn node_name(&mut self) -> Res<(Str, usize, usize)> {
        let start = self.pos;
        // Most names are identifiers of ASCII letters.
        if self.b.get(start).is_some_and(u8::is_ascii_alphabetic) {
            self.word(start)?;
            return Ok((Str::Source(range(start, self.pos)), start, self.pos));
        }
        match self.peek() {
            Some(c) if c == '"' || c == '#' || is_ident_char(c) => self.string_token("a node name"),
            _ => {
                let c = self.peek().unwrap_or(' ');
                let end = self.pos + c.len_utf8();
                self.err(
                    self.pos,
                    end,
                    format!("expected a node name, found `{}`", c.escape_default()),
                    "not a node name",
                    None,
                )
            }
        }
    }

    /// The entries (appended to the entries) and children block of a node
    /// after its name, up to the node's end. Returns where the node's span
    /// ends (after its last entry or its children block, else `name_end`),
    /// where its entries end, and whether it has a children block.
    fn node_body(&mut self, name_end: usize) -> Res<(usize, u32, bool)> {
        let mut end = name_end;
        let mut children = false;
        // Entries come before the block (one after it is refused, and a
        // slashdashed block is cut off): the node's are those appended
        // before its block's children.
        let mut entries_end = None;
        // A children block, even a slashdashed one, ends the entries.
        let mut had_block = false;
        loop {
            let spaced = self.node_space()?;
            // Matched on the byte: every token that ends the entries or
            // opens the block is ASCII.
            match self.b.get(self.pos) {
                None => break,
                Some(b';') => {
                    self.pos += 1;
                    break;
                }
                Some(b'\n') => {
                    self.pos += 1;
                    break;
                }
                Some(b'\r' | b'\x0B' | b'\x0C') => {
                    self.newline();
                    break;
                }
                Some(b'}') => break,
                Some(b'/') if self.peek_at(1) == Some(b'/') => {
                    self.line_comment()?;
                    break;
                }
                Some(b'/') if self.peek_at(1) == Some(b'-') => {
                    if self.slashdashed(spaced, had_block)? {
                        had_block = true;
                    }
                }
                Some(b'{') => {
                    if children {
                        return self.err(self.pos, self.pos + 1, "a node has one children block", "second block", None);
                    }
                    entries_end = Some(self.entries.len() as u32);
                    self.children()?;
                    children = true;
                    had_block = true;
                    end = self.pos;
                }
                Some(&b) => {
                    // Every ASCII newline is matched above.
                    let c = if b < 0x80 { char::from(b) } else { self.peek().unwrap_or(' ') };
                    if b >= 0x80 && is_newline(c) {
                        self.newline();
                        break;
                    }
                    if had_block {
                        return self.err(
                            self.pos,
                            self.pos + 1,
                            "entries must come before the children block",
                            "after `}`",
                            Some("end the node with a newline or `;` after its block".into()),
                        );
                    }
                    if !spaced {
                        let e = self.pos + c.len_utf8();
                        return self.err(
                            self.pos,
                            e,
                            format!("expected a space before `{}`", c.escape_default()),
                            "no space before this",
                            Some("separate entries with a space".into()),
                        );
                    }
                    end = self.entry()?;
                }
            }
        }
        let entries_end = entries_end.unwrap_or(self.entries.len() as u32);
        Ok((end, entries_end, children))
    }

    /// An entry or a children block after `/-` (at the `/`), parsed and
    /// dropped. `spaced`: whether space came before it; `had_block`:
    /// whether a children block already did. Returns whether it was a block.
    fn slashdashed(&mut self, spaced: bool, had_block: bool) -> Res<bool> {
        let dash = self.pos;
        if !spaced {
            return self.err(
                dash,
                dash + 2,
                "expected a space before `/-`",
                "no space before this",
                Some("separate entries with a space".into()),
            );
        }
        self.pos += 2;
        self.line_space()?;
        let m = self.mark();
        if self.peek() == Some('{') {
            self.children()?;
            self.cut(m);
            Ok(true)
        } else if had_block {
            self.err(self.pos, self.pos + 1, "only a children block may follow a children block", "here", None)
        } else {
            self.entry()?;
            self.cut(m);
            Ok(false)
        }
    }

    fn children(&mut self) -> Res<()> {
        let open = self.pos;
        if self.depth >= MAX_DEPTH {
            return self.err(
                open,
                open + 1,
                format!("nesting deeper than {MAX_DEPTH} levels"),
                "one level too many",
                Some(
                    "a hybridc program nests a few levels (site, cluster, pool); close the blocks above this one"
                        .into(),
                ),
            );
        }
        self.depth += 1;
        self.pos += 1;
        self.nodes(true)?;
        self.depth -= 1;
        if self.peek() != Some('}') {
            return self.err(
                open,
                open + 1,
                "no closing `}` for this block",
                "opened here",
                Some("close the block with `}`".into()),
            );
        }
        self.pos += 1;
        Ok(())
    }

    /// A property `key=value` or an argument `value`, with optional
    /// `(type)`, appended to the entries. Returns where its value ends.
    #[inline(always)]
    fn entry(&mut self) -> Res<usize> {
        let annotation = self.type_annotation()?;
        if annotation.is_some() {
            self.node_space()?;
        }
        let vstart = self.pos;
        let tok = self.value_token()?;
        let vend = self.pos;
        // A string followed by `=` is a property's key. Most are followed
        // by `=` at once, or by one space and the next token.
        if let (None, Tok::Str(key)) = (annotation, &tok) {
            let key = *key;
            let save = self.pos;
            let property = match self.b.get(self.pos) {
                Some(b'=') => true,
                // One space, then neither `=` nor more space: an argument.
                Some(b' ') if self.peek_at(1) != Some(b'=') && !may_start_node_space(self.peek_at(1)) => false,
                b if may_start_node_space(b.copied()) => {
                    self.node_space()?;
                    self.peek() == Some('=')
                }
                _ => false,
            };
            if property {
                self.pos += 1;
                self.node_space()?;
                let annotation = self.type_annotation()?;
                if annotation.is_some() {
                    self.node_space()?;
                }
                let v0 = self.pos;
                let value = self.value_token()?;
                self.annotate(annotation);
                self.entries.push(EntryData {
                    key: Some(key),
                    key_span: range(vstart, vend),
                    value: value.value(),
                    value_span: range(v0, self.pos),
                    annotated: annotation.is_some(),
                });
                return Ok(self.pos);
            }
            self.pos = save;
        }
        self.annotate(annotation);
        self.entries.push(EntryData {
            key: None,
            key_span: Range::default(),
            value: tok.value(),
            value_span: range(vstart, vend),
            annotated: annotation.is_some(),
        });
        Ok(vend)
    }

    /// Records the annotation, if any, of the entry about to be appended.
    #[inline(always)]
    fn annotate(&mut self, annotation: Option<Range>) {
        if let Some(a) = annotation {
            self.annotations.entries.push((self.entries.len() as u32, a));
        }
    }

    /// One string, number or keyword, told apart by its first byte.
    #[inline(always)]
    fn value_token(&mut self) -> Res<Tok> {
        let start = self.pos;
        match self.b.get(start) {
            Some(&b) if is_ident_byte(b) && !matches!(b, b'0'..=b'9' | b'+' | b'-' | b'.') => self.word(start),
            Some(b'"') => self.quoted(0).map(Tok::Str),
            Some(b'#') => {
                let mut n = 0;
                while self.peek_at(n) == Some(b'#') {
                    n += 1;
                }
                if self.peek_at(n) == Some(b'"') {
                    self.pos += n;
                    return self.quoted(n).map(Tok::Str);
                }
                self.keyword().map(Tok::Other)
            }
            Some(b'0'..=b'9') => self.number(),
            Some(b'+' | b'-') if self.peek_at(1).is_some_and(|d| d.is_ascii_digit()) => self.number(),
            Some(b'.') if self.peek_at(1).is_some_and(|d| d.is_ascii_digit()) => {
                let end = self.ident_end();
                self.err(
                    start,
                    end,
                    "a number cannot start with `.`",
                    "invalid number",
                    Some(format!("write `0{}`", self.src.get(start..end).unwrap_or(""))),
                )
            }
            Some(_) => match self.peek() {
                Some(c) if is_ident_char(c) => self.word(start),
                c => {
                    let c = c.unwrap_or(' ');
                    let end = self.pos + c.len_utf8();
                    self.err(start, end, format!("unexpected `{}`", c.escape_default()), "expected a value", None)
                }
            },
            None => self.err(start, start, "unexpected end of file", "expected a value", None),
        }
    }

    /// An identifier string from `start`, its first character known to be
    /// one (and not a number's); a bare keyword is an error.
    #[inline(always)]
    fn word(&mut self, start: usize) -> Res<Tok> {
        let end = self.ident_end();
        let word = self.src.get(start..end).unwrap_or("");
        self.pos = end;
        // The keywords are 3 to 5 bytes long: most words are not compared.
        if (3..=5).contains(&word.len()) && matches!(word, "true" | "false" | "null" | "inf" | "-inf" | "nan") {
            return self.err(
                start,
                end,
                format!("`{word}` is a keyword in KDL v2"),
                "bare keyword",
                Some(format!("write `#{word}`, or quote it as a string: \"{word}\"")),
            );
        }
        Ok(Tok::Str(Str::Source(range(start, end))))
    }
}
