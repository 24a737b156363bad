//! A KDL v2 parser written for speed: one pass over the bytes, recursive
//! descent straight into the syntax tree, spans as byte offsets. It follows
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

use crate::tree::{Document, Entry, Ident, Node, Text, Value};
use hybrid_diagnostics::{FileId, Span};

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

pub(crate) fn parse(file: FileId, text: &str) -> Res<Document> {
    let mut p = Parser::new(text, file);
    if text.starts_with('\u{FEFF}') {
        p.pos = 3;
    }
    let nodes = p.nodes(false)?.into_vec();
    Ok(Document { file, nodes })
}

/// The items of `stack` from `mark` on, moved out (one copy) into a boxed
/// slice of their exact length; the stack keeps its room.
fn take_from<T>(stack: &mut Vec<T>, mark: usize) -> Box<[T]> {
    if mark == 0 {
        // `split_off(0)` would hand over the stack itself, room and all.
        let mut list = Vec::with_capacity(stack.len());
        list.append(stack);
        return list.into_boxed_slice();
    }
    stack.split_off(mark).into_boxed_slice()
}

struct Parser<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
    file: FileId,
    /// Children blocks open at `pos` (bounded by [`MAX_DEPTH`]).
    depth: usize,
    /// The nodes and entries parsed and not yet given to their parent, as
    /// stacks: each is pushed where it is parsed, and each list moved out
    /// once, whole, into a boxed slice of its exact length, instead of
    /// growing one push at a time.
    nodes: Vec<Node>,
    entries: Vec<Entry>,
}

/// The deepest nesting of children blocks accepted. The descent recurses
/// once per level, so without a bound a hostile file (`a { a { a { …`)
/// would overflow the stack; a hybridc program nests four or five levels.
pub(crate) const MAX_DEPTH: usize = 100;

/// What a token in value position turned out to be.
enum Tok {
    Str(Text),
    Ident(Text),
    Other(Value),
}

impl Tok {
    /// A string's text (a key); empty for a number or keyword.
    #[inline(always)]
    fn text(self) -> Text {
        match self {
            Tok::Str(s) | Tok::Ident(s) => s,
            Tok::Other(_) => Text::default(),
        }
    }

    #[inline(always)]
    fn value(self) -> Value {
        match self {
            Tok::Str(s) | Tok::Ident(s) => Value::String(s),
            Tok::Other(v) => v,
        }
    }
}

impl<'a> Parser<'a> {
    fn new(src: &'a str, file: FileId) -> Self {
        Parser { src, b: src.as_bytes(), pos: 0, file, depth: 0, nodes: Vec::new(), entries: Vec::new() }
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

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
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

    fn nodes(&mut self, in_children: bool) -> Res<Box<[Node]>> {
        let mark = self.nodes.len();
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
                    self.node()?;
                    self.nodes.pop();
                }
                Some(_) => self.node()?,
            }
        }
        Ok(take_from(&mut self.nodes, mark))
    }

    /// A `(type)` annotation, if one starts here. Before every node and
    /// entry, and seldom written: the test that there is none is inlined.
    #[inline(always)]
    fn type_annotation(&mut self) -> Res<Option<(Span, Text)>> {
        if self.b.get(self.pos) != Some(&b'(') {
            return Ok(None);
        }
        self.type_annotation_at()
    }

    /// [`type_annotation`](Self::type_annotation), at its `(`.
    fn type_annotation_at(&mut self) -> Res<Option<(Span, Text)>> {
        let start = self.pos;
        self.pos += 1;
        self.node_space()?;
        let (name, _, _) = self.string_token("a type name")?;
        self.node_space()?;
        if self.peek() != Some(')') {
            return self.err(self.pos, self.pos + 1, "expected `)` to close the type annotation", "here", None);
        }
        self.pos += 1;
        Ok(Some((self.span(start, self.pos), name)))
    }

    /// A string in name position: identifier, quoted or raw.
    fn string_token(&mut self, what: &str) -> Res<(Text, usize, usize)> {
        let start = self.pos;
        match self.value_token()? {
            Tok::Str(s) | Tok::Ident(s) => Ok((s, start, self.pos)),
            Tok::Other(_) => self.err(
                start,
                self.pos,
                format!("expected {what}, found a number or keyword"),
                "not a string",
                Some("quote it to use it as a name".into()),
            ),
        }
    }

    /// One node, pushed on the nodes stack: `(type)`, name, entries and
    /// children block, up to its end (a `;`, a newline or a line comment,
    /// consumed; a `}` or the end of the text, not).
    fn node(&mut self) -> Res<()> {
        let start = self.pos;
        let ty = self.type_annotation()?;
        if ty.is_some() {
            self.node_space()?;
        }
        let (name, ns, ne) = self.node_name()?;
        let mark = self.entries.len();
        let (end, children) = self.node_body(ne)?;
        let entries = take_from(&mut self.entries, mark);
        self.nodes.push(Node {
            name: Ident { text: name, span: self.span(ns, ne) },
            entries,
            children,
            span: self.span(start, end),
            annotation: ty.map(|(s, _)| Box::new(s)),
        });
        Ok(())
    }

    /// A node's name: an identifier, a quoted or a raw string.
    fn node_name(&mut self) -> Res<(Text, usize, usize)> {
        let start = self.pos;
        // Most names are identifiers of ASCII letters.
        if self.b.get(start).is_some_and(u8::is_ascii_alphabetic) {
            return Ok((self.word(start)?.text(), start, self.pos));
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

    /// The entries (pushed on the entries stack) and children block of a
    /// node after its name, up to the node's end. Returns where the node's
    /// span ends (after its last entry or its children block, else
    /// `name_end`) and its children.
    fn node_body(&mut self, name_end: usize) -> Res<(usize, Option<Box<[Node]>>)> {
        let mut end = name_end;
        let mut children = None;
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
                    if children.is_some() {
                        return self.err(self.pos, self.pos + 1, "a node has one children block", "second block", None);
                    }
                    children = Some(self.children()?);
                    had_block = true;
                    end = self.pos;
                }
                Some(&b) => {
                    let c = if b < 0x80 { char::from(b) } else { self.peek().unwrap_or(' ') };
                    if is_newline(c) {
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
        Ok((end, children))
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
        if self.peek() == Some('{') {
            self.children()?;
            Ok(true)
        } else if had_block {
            self.err(self.pos, self.pos + 1, "only a children block may follow a children block", "here", None)
        } else {
            self.entry()?;
            self.entries.pop();
            Ok(false)
        }
    }

    fn children(&mut self) -> Res<Box<[Node]>> {
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
        let nodes = self.nodes(true)?;
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
        Ok(nodes)
    }

    /// A property `key=value` or an argument `value`, with optional
    /// `(type)`, pushed on the entries stack. Returns where its value ends.
    fn entry(&mut self) -> Res<usize> {
        let ty = self.type_annotation()?;
        if ty.is_some() {
            self.node_space()?;
        }
        let vstart = self.pos;
        let tok = self.value_token()?;
        let vend = self.pos;
        // A string followed by `=` is a property's key (moved, not copied).
        if ty.is_none() && matches!(tok, Tok::Str(_) | Tok::Ident(_)) {
            let save = self.pos;
            self.node_space()?;
            if self.peek() == Some('=') {
                self.pos += 1;
                self.node_space()?;
                let ty = self.type_annotation()?;
                if ty.is_some() {
                    self.node_space()?;
                }
                let v0 = self.pos;
                let value = self.value_token()?;
                self.entries.push(Entry {
                    name: Some(Ident { text: tok.text(), span: self.span(vstart, vend) }),
                    raw: self.literal(&value, v0, self.pos),
                    value: value.value(),
                    value_span: self.span(v0, self.pos),
                    annotation: ty.map(|(s, _)| Box::new(s)),
                });
                return Ok(self.pos);
            }
            self.pos = save;
        }
        self.entries.push(Entry {
            name: None,
            raw: self.literal(&tok, vstart, vend),
            value: tok.value(),
            value_span: self.span(vstart, vend),
            annotation: ty.map(|(s, _)| Box::new(s)),
        });
        Ok(vend)
    }

    /// The literal of the token read from `start` to `end`: an
    /// identifier's text is its literal (shared, not read again).
    #[inline(always)]
    fn literal(&self, tok: &Tok, start: usize, end: usize) -> Text {
        match tok {
            Tok::Ident(word) => word.clone(),
            _ => Text::new(self.src.get(start..end).unwrap_or("")),
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
        Ok(Tok::Ident(Text::new(word)))
    }
}
