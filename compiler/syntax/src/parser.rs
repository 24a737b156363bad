//! A KDL v2 parser written for speed: one pass over the bytes, recursive
//! descent straight into the syntax tree, spans as byte offsets. It follows
//! the KDL 2.0 grammar (identifier, quoted, raw and multi-line strings with
//! dedent and escapes; decimal, hex, octal and binary numbers; `#true`,
//! `#false`, `#null`, `#inf`, `#-inf`, `#nan`; `//`, nested `/* */` and
//! `/-` comments; line continuations; type annotations) and is checked
//! against the official test suite and, differentially, against the `kdl`
//! crate (tests/kdl_suite.rs in this crate).
//!
//! It stops at the first error and reports where it is and why.

use crate::tree::{Document, Entry, Ident, Node, Value};
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
    let mut p = Parser { src: text, b: text.as_bytes(), pos: 0, file, depth: 0 };
    if text.starts_with('\u{FEFF}') {
        p.pos = 3;
    }
    let nodes = p.nodes(false)?;
    Ok(Document { file, nodes })
}

pub(crate) fn is_ws(c: char) -> bool {
    matches!(c, '\t' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}')
}

pub(crate) fn is_newline(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{0B}' | '\u{0C}' | '\u{2028}' | '\u{2029}')
}

fn is_disallowed(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{E}'..='\u{1F}' | '\u{7F}' | '\u{200E}' | '\u{200F}'
        | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

pub(crate) fn is_ident_char(c: char) -> bool {
    match u8::try_from(c) {
        Ok(b) if b < 0x80 => IDENT_ASCII.get(usize::from(b)).copied().unwrap_or(false),
        _ => !(is_ws(c) || is_newline(c) || is_disallowed(c)),
    }
}

/// `is_ident_char` for ASCII, computed at compile time.
#[allow(clippy::indexing_slicing)] // evaluated by the compiler: `i < 128` indexes a `[_; 128]`
static IDENT_ASCII: [bool; 128] = {
    let mut t = [false; 128];
    let mut i = 0;
    while i < 128 {
        let c = i as u8;
        t[i] = c > 0x20
            && c != 0x7F
            && !matches!(c, b'\\' | b'/' | b'(' | b')' | b'{' | b'}' | b';' | b'[' | b']' | b'"' | b'#' | b'=');
        i += 1;
    }
    t
};

struct Parser<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
    file: FileId,
    /// Children blocks open at `pos` (bounded by [`MAX_DEPTH`]).
    depth: usize,
}

/// The deepest nesting of children blocks accepted. The descent recurses
/// once per level, so without a bound a hostile file (`a { a { a { …`)
/// would overflow the stack; a hybridc program nests four or five levels.
pub(crate) const MAX_DEPTH: usize = 100;

/// What a token in value position turned out to be.
enum Tok {
    Str(String),
    Ident(String),
    Other(Value),
}

impl<'a> Parser<'a> {
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

    fn peek(&self) -> Option<char> {
        match self.b.get(self.pos) {
            Some(&c) if c < 0x80 => Some(c as char),
            Some(_) => self.src.get(self.pos..).and_then(|s| s.chars().next()),
            None => None,
        }
    }

    fn peek_at(&self, offset: usize) -> Option<u8> {
        self.b.get(self.pos + offset).copied()
    }

    fn starts(&self, s: &str) -> bool {
        self.b.get(self.pos..).is_some_and(|rest| rest.starts_with(s.as_bytes()))
    }

    fn bump(&mut self, c: char) {
        self.pos += c.len_utf8();
    }

    /// Consumes one newline (CRLF counts as one); false if none here.
    fn newline(&mut self) -> bool {
        if self.starts("\r\n") {
            self.pos += 2;
            return true;
        }
        match self.peek() {
            Some(c) if is_newline(c) => {
                self.bump(c);
                true
            }
            _ => false,
        }
    }

    /// `/* … */`, nested. Called at `/*`.
    fn block_comment(&mut self) -> Res<()> {
        let start = self.pos;
        let mut depth = 0usize;
        while self.pos < self.b.len() {
            if self.starts("/*") {
                depth += 1;
                self.pos += 2;
            } else if self.starts("*/") {
                depth -= 1;
                self.pos += 2;
                if depth == 0 {
                    return Ok(());
                }
            } else {
                let c = self.peek().unwrap_or(' ');
                self.disallowed(c)?;
                self.bump(c);
            }
        }
        self.err(start, start + 2, "unclosed block comment", "opened here", Some("close it with `*/`".into()))
    }

    /// `// …` up to and including the newline (or the end).
    fn line_comment(&mut self) -> Res<()> {
        while let Some(c) = self.peek() {
            if is_newline(c) {
                self.newline();
                return Ok(());
            }
            self.disallowed(c)?;
            self.bump(c);
        }
        Ok(())
    }

    /// An error at `c` when KDL forbids it, in comments too: a bidi
    /// control in a comment can make code read differently from what it
    /// is ("Trojan Source").
    fn disallowed(&self, c: char) -> Res<()> {
        if is_disallowed(c) {
            return self.err(
                self.pos,
                self.pos + c.len_utf8(),
                format!("character U+{:04X} is not allowed in KDL", c as u32),
                "disallowed character",
                Some("remove it, or write it as an escape such as `\\u{202E}` in a string".into()),
            );
        }
        Ok(())
    }

    /// Plain whitespace and block comments. Returns whether any was consumed.
    fn ws(&mut self) -> Res<bool> {
        let start = self.pos;
        loop {
            match self.peek() {
                Some(c) if is_ws(c) => self.bump(c),
                Some('/') if self.peek_at(1) == Some(b'*') => self.block_comment()?,
                _ => break,
            }
        }
        Ok(self.pos > start)
    }

    /// node-space: whitespace, block comments and line continuations.
    fn node_space(&mut self) -> Res<bool> {
        let start = self.pos;
        loop {
            self.ws()?;
            if self.peek() == Some('\\') {
                let esc = self.pos;
                self.pos += 1;
                self.ws()?;
                if self.starts("//") {
                    self.line_comment()?;
                } else if !self.newline() && self.pos < self.b.len() {
                    return self.err(
                        esc,
                        esc + 1,
                        "`\\` outside a string must end the line",
                        "line continuation",
                        Some("put nothing but a comment after a line continuation `\\`".into()),
                    );
                }
                continue;
            }
            break;
        }
        Ok(self.pos > start)
    }

    /// line-space: whitespace, newlines, comments and line continuations
    /// between nodes.
    fn line_space(&mut self) -> Res<()> {
        loop {
            let before = self.pos;
            self.node_space()?;
            if self.newline() {
                continue;
            }
            if self.starts("//") {
                self.line_comment()?;
                continue;
            }
            if self.pos == before {
                return Ok(());
            }
        }
    }

    fn nodes(&mut self, in_children: bool) -> Res<Vec<Node>> {
        let mut out = Vec::new();
        loop {
            self.line_space()?;
            match self.peek() {
                None => {
                    return Ok(out);
                }
                Some('}') if in_children => return Ok(out),
                Some('}') => {
                    return self.err(
                        self.pos,
                        self.pos + 1,
                        "unexpected `}`",
                        "no block to close",
                        Some("remove it, or open a block with `{`".into()),
                    )
                }
                Some(';') => {
                    return self.err(
                        self.pos,
                        self.pos + 1,
                        "`;` ends a node, but there is no node here",
                        "nothing to end",
                        Some("remove the `;`".into()),
                    );
                }
                Some('/') if self.peek_at(1) == Some(b'-') => {
                    self.pos += 2;
                    self.line_space()?;
                    self.node()?;
                }
                Some(_) => out.push(self.node()?),
            }
        }
    }

    fn type_annotation(&mut self) -> Res<Option<(Span, String)>> {
        if self.peek() != Some('(') {
            return Ok(None);
        }
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
    fn string_token(&mut self, what: &str) -> Res<(String, usize, usize)> {
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

    fn node(&mut self) -> Res<Node> {
        let start = self.pos;
        let ty = self.type_annotation()?;
        if ty.is_some() {
            self.node_space()?;
        }
        let (name, ns, ne) = match self.peek() {
            Some(c) if c == '"' || c == '#' || is_ident_char(c) => self.string_token("a node name")?,
            _ => {
                let c = self.peek().unwrap_or(' ');
                let end = self.pos + c.len_utf8();
                return self.err(
                    self.pos,
                    end,
                    format!("expected a node name, found `{}`", c.escape_default()),
                    "not a node name",
                    None,
                );
            }
        };
        let mut node = Node {
            name: Ident { text: name, span: self.span(ns, ne) },
            entries: Vec::new(),
            children: None,
            span: self.span(start, ne),
            type_annotation: ty.map(|(s, _)| s),
        };
        let mut end = ne;
        // A children block, even a slashdashed one, ends the entries.
        let mut had_block = false;
        loop {
            let spaced = self.node_space()?;
            match self.peek() {
                None => break,
                Some(';') => {
                    self.pos += 1;
                    break;
                }
                Some(c) if is_newline(c) => {
                    self.newline();
                    break;
                }
                Some('}') => break,
                Some('/') if self.peek_at(1) == Some(b'/') => {
                    self.line_comment()?;
                    break;
                }
                Some('/') if self.peek_at(1) == Some(b'-') => {
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
                        had_block = true;
                    } else if had_block {
                        return self.err(
                            self.pos,
                            self.pos + 1,
                            "only a children block may follow a children block",
                            "here",
                            None,
                        );
                    } else {
                        self.entry()?;
                    }
                }
                Some('{') => {
                    if node.children.is_some() {
                        return self.err(self.pos, self.pos + 1, "a node has one children block", "second block", None);
                    }
                    node.children = Some(self.children()?);
                    had_block = true;
                    end = self.pos;
                }
                Some(_) if had_block => {
                    return self.err(
                        self.pos,
                        self.pos + 1,
                        "entries must come before the children block",
                        "after `}`",
                        Some("end the node with a newline or `;` after its block".into()),
                    );
                }
                Some(c) => {
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
                    let e = self.entry()?;
                    end = e.span.end as usize;
                    node.entries.push(e);
                }
            }
        }
        node.span = self.span(start, end);
        Ok(node)
    }

    fn children(&mut self) -> Res<Vec<Node>> {
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

    /// A property `key=value` or an argument `value`, with optional `(type)`.
    fn entry(&mut self) -> Res<Entry> {
        let start = self.pos;
        let ty = self.type_annotation()?;
        if ty.is_some() {
            self.node_space()?;
        }
        let vstart = self.pos;
        let tok = self.value_token()?;
        let vend = self.pos;
        // A string followed by `=` is a property's key (moved, not copied).
        let tok = match tok {
            Tok::Str(key) | Tok::Ident(key) if ty.is_none() => {
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
                    let value = self.value()?;
                    return Ok(Entry {
                        name: Some(Ident { text: key, span: self.span(vstart, vend) }),
                        value,
                        raw: self.src.get(v0..self.pos).unwrap_or("").to_string(),
                        value_span: self.span(v0, self.pos),
                        span: self.span(start, self.pos),
                        type_annotation: ty.map(|(s, _)| s),
                    });
                }
                self.pos = save;
                Tok::Str(key)
            }
            other => other,
        };
        let value = self.tok_value(tok, vstart, vend)?;
        Ok(Entry {
            name: None,
            value,
            raw: self.src.get(vstart..vend).unwrap_or("").to_string(),
            value_span: self.span(vstart, vend),
            span: self.span(start, vend),
            type_annotation: ty.map(|(s, _)| s),
        })
    }

    fn value(&mut self) -> Res<Value> {
        let start = self.pos;
        let tok = self.value_token()?;
        self.tok_value(tok, start, self.pos)
    }

    fn tok_value(&self, tok: Tok, start: usize, end: usize) -> Res<Value> {
        match tok {
            Tok::Str(s) | Tok::Ident(s) => Ok(Value::String(s)),
            Tok::Other(v) => {
                let _ = (start, end);
                Ok(v)
            }
        }
    }

    /// One string, number or keyword.
    fn value_token(&mut self) -> Res<Tok> {
        let start = self.pos;
        match self.peek() {
            Some('"') => self.quoted(0).map(Tok::Str),
            Some('#') => {
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
            Some(c) if c.is_ascii_digit() => self.number(),
            Some('+' | '-') if self.peek_at(1).is_some_and(|d| d.is_ascii_digit()) => self.number(),
            Some('.') if self.peek_at(1).is_some_and(|d| d.is_ascii_digit()) => {
                let end = self.ident_end();
                self.err(
                    start,
                    end,
                    "a number cannot start with `.`",
                    "invalid number",
                    Some(format!("write `0{}`", self.src.get(start..end).unwrap_or(""))),
                )
            }
            Some(c) if is_ident_char(c) => {
                let end = self.ident_end();
                let word = self.src.get(start..end).unwrap_or("").to_string();
                self.pos = end;
                match word.as_str() {
                    "true" | "false" | "null" | "inf" | "-inf" | "nan" => self.err(
                        start,
                        end,
                        format!("`{word}` is a keyword in KDL v2"),
                        "bare keyword",
                        Some(format!("write `#{word}`, or quote it as a string: \"{word}\"")),
                    ),
                    _ => Ok(Tok::Ident(word)),
                }
            }
            Some(c) => {
                let end = self.pos + c.len_utf8();
                self.err(start, end, format!("unexpected `{}`", c.escape_default()), "expected a value", None)
            }
            None => self.err(start, start, "unexpected end of file", "expected a value", None),
        }
    }

    /// The end of a run of identifier characters from here.
    fn ident_end(&self) -> usize {
        let mut i = self.pos;
        while let Some(&c) = self.b.get(i) {
            if c < 0x80 {
                if !IDENT_ASCII.get(usize::from(c)).copied().unwrap_or(false) {
                    break;
                }
                i += 1;
            } else {
                match self.src.get(i..).and_then(|s| s.chars().next()) {
                    Some(ch) if is_ident_char(ch) => i += ch.len_utf8(),
                    _ => break,
                }
            }
        }
        i
    }

    fn keyword(&mut self) -> Res<Value> {
        let start = self.pos;
        self.pos += 1;
        let end = self.ident_end();
        let word = self.src.get(self.pos..end).unwrap_or("");
        let v = match word {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "null" => Value::Null,
            "inf" => Value::Float(f64::INFINITY),
            "-inf" => Value::Float(f64::NEG_INFINITY),
            "nan" => Value::Float(f64::NAN),
            _ => {
                return self.err(
                    start,
                    end.max(start + 1),
                    format!("unknown keyword `#{word}`"),
                    "not a keyword",
                    Some("KDL keywords are #true, #false, #null, #inf, #-inf and #nan".into()),
                );
            }
        };
        self.pos = end;
        Ok(v)
    }

    fn number(&mut self) -> Res<Tok> {
        let start = self.pos;
        let end = self.ident_end();
        let text = self.src.get(start..end).unwrap_or("");
        self.pos = end;
        match parse_number(text) {
            Some(v) => Ok(Tok::Other(v)),
            None => self.err(
                start,
                end,
                format!("`{text}` is not a number"),
                "invalid number",
                Some(format!("a value that starts with a digit must be a number; quote it if it is text: \"{text}\"")),
            ),
        }
    }

    /// A quoted string at `"` (after `hashes` `#` for a raw string).
    fn quoted(&mut self, hashes: usize) -> Res<String> {
        let open = self.pos - hashes;
        if self.starts("\"\"\"") {
            return self.multiline(hashes, open);
        }
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return self.err(
                    open,
                    open + 1 + hashes,
                    "unclosed string",
                    "opened here",
                    Some("close it with `\"`".into()),
                );
            };
            if c == '"' && (0..hashes).all(|k| self.peek_at(1 + k) == Some(b'#')) {
                self.pos += 1 + hashes;
                return Ok(out);
            }
            if is_newline(c) {
                return self.err(
                    open,
                    self.pos,
                    "a quoted string cannot span lines",
                    "string opened here",
                    Some("use a multi-line string: \"\"\" on its own line, then the text, then \"\"\"".into()),
                );
            }
            self.disallowed(c)?;
            if c == '\\' && hashes == 0 {
                self.escape(&mut out)?;
                continue;
            }
            out.push(c);
            self.bump(c);
        }
    }

    /// An escape at `\`, appended to `out`.
    fn escape(&mut self, out: &mut String) -> Res<()> {
        let start = self.pos;
        self.pos += 1;
        let Some(c) = self.peek() else {
            return self.err(start, start + 1, "unfinished escape", "here", None);
        };
        match c {
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{C}'),
            's' => out.push(' '),
            'u' => {
                self.pos += 1;
                if self.peek() != Some('{') {
                    return self.err(
                        start,
                        self.pos,
                        "expected `{` after `\\u`",
                        "unicode escape",
                        Some("write `\\u{1F600}`".into()),
                    );
                }
                self.pos += 1;
                let hs = self.pos;
                while self.peek().is_some_and(|h| h.is_ascii_hexdigit()) {
                    self.pos += 1;
                }
                let hex = self.src.get(hs..self.pos).unwrap_or("");
                if self.peek() != Some('}') || hex.is_empty() || hex.len() > 6 {
                    return self.err(
                        start,
                        self.pos,
                        "a unicode escape is `\\u{…}` with 1 to 6 hex digits",
                        "unicode escape",
                        None,
                    );
                }
                let ch = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
                match ch {
                    Some(ch) => out.push(ch),
                    None => {
                        return self.err(
                            start,
                            self.pos + 1,
                            format!("`\\u{{{hex}}}` is not a unicode scalar value"),
                            "unicode escape",
                            None,
                        )
                    }
                }
                self.pos += 1;
                return Ok(());
            }
            c if is_ws(c) || is_newline(c) => {
                // Whitespace escape: skip all whitespace and newlines.
                while let Some(w) = self.peek() {
                    if is_ws(w) || is_newline(w) {
                        self.bump(w);
                    } else {
                        break;
                    }
                }
                return Ok(());
            }
            other => {
                return self.err(start, self.pos + other.len_utf8(), format!("unknown escape `\\{}`", other.escape_default()), "escape", Some("escapes are \\n \\r \\t \\\\ \\\" \\b \\f \\s \\u{…}; write a raw string #\"…\"# to keep backslashes".into()));
            }
        }
        self.bump(c);
        Ok(())
    }

    /// A multi-line string at `"""`: dedented by the closing line's indent.
    fn multiline(&mut self, hashes: usize, open: usize) -> Res<String> {
        self.pos += 3;
        if !self.newline() {
            return self.err(
                open,
                self.pos,
                "a multi-line string starts with a newline after `\"\"\"`",
                "here",
                Some("put the text on the lines after `\"\"\"`".into()),
            );
        }
        let body_start = self.pos;
        // Find the closing `"""` + hashes, not escaped.
        let close = loop {
            let Some(c) = self.peek() else {
                return self.err(
                    open,
                    open + 3 + hashes,
                    "unclosed multi-line string",
                    "opened here",
                    Some("close it with `\"\"\"` on its own line".into()),
                );
            };
            if self.starts("\"\"\"") && (0..hashes).all(|k| self.peek_at(3 + k) == Some(b'#')) {
                break self.pos;
            }
            if c == '\\' && hashes == 0 {
                self.pos += 1;
                if let Some(n) = self.peek() {
                    self.bump(n);
                }
                continue;
            }
            self.disallowed(c)?;
            self.bump(c);
        };
        self.pos = close + 3 + hashes;
        let raw_body = self.src.get(body_start..close).unwrap_or("");
        // Whitespace escapes (`\` then whitespace and newlines) go first, so
        // they can join lines and even reach into the closing line.
        let joined;
        let body = if hashes == 0 && raw_body.contains('\\') {
            joined = remove_whitespace_escapes(raw_body);
            joined.as_str()
        } else {
            raw_body
        };
        // Split into lines (any newline kind); the last line is the indent.
        let mut lines: Vec<&str> = Vec::new();
        let mut rest = body;
        loop {
            match rest.char_indices().find(|(_, c)| is_newline(*c)) {
                Some((i, c)) => {
                    lines.push(rest.get(..i).unwrap_or(""));
                    let mut skip = i + c.len_utf8();
                    if c == '\r' && rest.get(skip..).is_some_and(|r| r.starts_with('\n')) {
                        skip += 1;
                    }
                    rest = rest.get(skip..).unwrap_or("");
                }
                None => {
                    lines.push(rest);
                    break;
                }
            }
        }
        let indent = lines.pop().unwrap_or("");
        if !indent.chars().all(is_ws) {
            return self.err(close, close + 3, "the closing `\"\"\"` must be on its own line", "here", None);
        }
        let mut text = String::new();
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            if line.chars().all(is_ws) {
                continue;
            }
            match line.strip_prefix(indent) {
                Some(l) => text.push_str(l),
                None => {
                    return self.err(
                        open,
                        close + 3,
                        "every line of a multi-line string must start with the closing line's indentation",
                        "inconsistent indentation",
                        None,
                    );
                }
            }
        }
        if hashes > 0 {
            return Ok(text);
        }
        // Escapes, after dedent.
        let mut sub = Parser { src: &text, b: text.as_bytes(), pos: 0, file: self.file, depth: 0 };
        let mut out = String::new();
        while let Some(c) = sub.peek() {
            if c == '\\' {
                if let Err(mut e) = sub.escape(&mut out) {
                    e.start = open;
                    e.end = close + 3;
                    return Err(e);
                }
            } else {
                out.push(c);
                sub.bump(c);
            }
        }
        Ok(out)
    }
}

/// Drops every whitespace escape (`\` followed by whitespace or newlines,
/// with all of them); other escapes are kept for later.
fn remove_whitespace_escapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some(&n) if is_ws(n) || is_newline(n) => {
                while chars.peek().is_some_and(|&w| is_ws(w) || is_newline(w)) {
                    chars.next();
                }
            }
            Some(&n) => {
                out.push('\\');
                out.push(n);
                chars.next();
            }
            None => out.push('\\'),
        }
    }
    out
}

/// A KDL number: decimal (with `_`, fraction, exponent), `0x`, `0o`, `0b`.
pub(crate) fn parse_number(text: &str) -> Option<Value> {
    let (neg, body) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..)?),
        Some(b'+') => (false, text.get(1..)?),
        _ => (false, text),
    };
    let radix = |digits: &str, radix: u32| -> Option<Value> {
        if !digits.chars().next()?.is_digit(radix) || !digits.chars().all(|c| c == '_' || c.is_digit(radix)) {
            return None;
        }
        let clean: String = digits.chars().filter(|c| *c != '_').collect();
        let v = i128::from_str_radix(&clean, radix).ok()?;
        let v = if neg { -v } else { v };
        // Integers are 64-bit, as in the `kdl` crate.
        i64::try_from(v).ok().map(|v| Value::Int(i128::from(v)))
    };
    if let Some(h) = body.strip_prefix("0x") {
        return radix(h, 16);
    }
    if let Some(o) = body.strip_prefix("0o") {
        return radix(o, 8);
    }
    if let Some(b) = body.strip_prefix("0b") {
        return radix(b, 2);
    }
    let digits = |s: &str| {
        s.chars().next().is_some_and(|c| c.is_ascii_digit()) && s.chars().all(|c| c == '_' || c.is_ascii_digit())
    };
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(p) => (body.get(..p)?, Some(body.get(p + 1..)?)),
        None => (body, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (mantissa, None),
    };
    if !digits(int) || frac.is_some_and(|f| !digits(f)) {
        return None;
    }
    if let Some(e) = exp {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        if !digits(e) {
            return None;
        }
    }
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    if frac.is_none() && exp.is_none() {
        return clean.parse::<i64>().ok().map(|v| Value::Int(i128::from(v)));
    }
    clean.parse::<f64>().ok().map(Value::Float)
}
