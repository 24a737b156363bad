//! The canonical layout of `.hybrid` files (`hybridc fmt`).
//!
//! A small lexer splits the text into tokens with the parser's lexical
//! rules (strings of every kind, numbers and keywords are one `Word` each,
//! comments are tokens), a layout pass groups them into lines — nodes,
//! comment lines, blank lines — and a printer writes them back: two spaces
//! per level, one space between entries, `key=value`, `{` on the node's
//! line, `}` alone at the node's indentation, at most one blank line, one
//! newline at the end. Values, comments and slashdashed entries keep the
//! text they were written with; only the whitespace between tokens changes.
//!
//! The result is parsed again and must give the same tree (names, values,
//! literals, type annotations) as the input; if not, the text is not
//! formatted and [`FormatError::Unformattable`] says why.

use crate::parser::{self, is_ident_char, is_newline, is_ws};
use crate::tree::{Node, Value};
use hybrid_diagnostics::{FileId, Span};
use std::fmt;

/// Why a text was not formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// The text is not KDL v2; [`crate::parse`] gives its HY0001 diagnostic.
    Syntax { message: String, start: usize, end: usize },
    /// The layout could not be produced without changing what the file
    /// says (a construct the formatter does not lay out); it is left alone.
    Unformattable(String),
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormatError::Syntax { message, .. } => write!(f, "not valid KDL: {message}"),
            FormatError::Unformattable(why) => write!(f, "cannot be formatted without changing it: {why}"),
        }
    }
}

impl std::error::Error for FormatError {}

type Res<T> = Result<T, FormatError>;

fn unformattable<T>(why: impl Into<String>) -> Res<T> {
    Err(FormatError::Unformattable(why.into()))
}

/// Lays `text` out canonically. A text that does not parse is an error; the
/// result always parses to the same tree as `text`.
pub fn format(text: &str) -> Result<String, FormatError> {
    let before = parser::parse(FileId(0), text).map_err(|e| FormatError::Syntax {
        message: e.message,
        start: e.start,
        end: e.end,
    })?;
    let tokens = lex(text)?;
    let mut layout = Layout { toks: &tokens, pos: 0 };
    let (_, items) = layout.items(false)?;
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    if text.starts_with('\u{FEFF}') {
        out.push('\u{FEFF}');
    }
    print_items(&items, 0, &mut out);
    let after = parser::parse(FileId(0), &out)
        .map_err(|e| FormatError::Unformattable(format!("the result does not parse ({})", e.message)))?;
    if !same_nodes(&before.nodes, text, &after.nodes, &out) {
        return unformattable("the result parses to a different tree");
    }
    Ok(out)
}

// ---------------------------------------------------------------- lexing

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ws,
    Newline,
    LineComment,
    BlockComment,
    Slashdash,
    Escline,
    Open,
    Close,
    Semi,
    Eq,
    LParen,
    RParen,
    /// A string of any kind, a number, a keyword or an identifier.
    Word,
}

#[derive(Debug, Clone, Copy)]
struct Tok<'a> {
    kind: Kind,
    text: &'a str,
}

fn lex(src: &str) -> Res<Vec<Tok<'_>>> {
    let mut out = Vec::new();
    let mut i = if src.starts_with('\u{FEFF}') { 3 } else { 0 };
    while let Some(rest) = src.get(i..) {
        let Some(c) = rest.chars().next() else { break };
        let (kind, len) = if rest.starts_with("\r\n") {
            (Kind::Newline, 2)
        } else if is_newline(c) {
            (Kind::Newline, c.len_utf8())
        } else if is_ws(c) {
            (Kind::Ws, run(rest, is_ws))
        } else if rest.starts_with("//") {
            (Kind::LineComment, run(rest, |c| !is_newline(c)))
        } else if rest.starts_with("/*") {
            (Kind::BlockComment, block_comment_len(rest)?)
        } else if rest.starts_with("/-") {
            (Kind::Slashdash, 2)
        } else {
            match c {
                '\\' => (Kind::Escline, 1),
                '{' => (Kind::Open, 1),
                '}' => (Kind::Close, 1),
                ';' => (Kind::Semi, 1),
                '=' => (Kind::Eq, 1),
                '(' => (Kind::LParen, 1),
                ')' => (Kind::RParen, 1),
                '"' | '#' => (Kind::Word, string_len(rest)?),
                c if is_ident_char(c) => (Kind::Word, run(rest, is_ident_char)),
                c => return unformattable(format!("unexpected `{}`", c.escape_default())),
            }
        };
        let Some(text) = src.get(i..i + len) else { return unformattable("a token splits a character") };
        out.push(Tok { kind, text });
        i += len;
    }
    Ok(out)
}

/// The length of the run of characters matching `f` at the start of `s`.
fn run(s: &str, f: impl Fn(char) -> bool) -> usize {
    s.char_indices().find(|&(_, c)| !f(c)).map_or(s.len(), |(i, _)| i)
}

fn next_char_len(s: &str, at: usize) -> usize {
    s.get(at..).and_then(|r| r.chars().next()).map_or(1, char::len_utf8)
}

/// `/* … */`, nested.
fn block_comment_len(s: &str) -> Res<usize> {
    let mut depth = 0usize;
    let mut j = 0;
    while let Some(rest) = s.get(j..).filter(|r| !r.is_empty()) {
        if rest.starts_with("/*") {
            depth += 1;
            j += 2;
        } else if rest.starts_with("*/") {
            depth = depth.saturating_sub(1);
            j += 2;
            if depth == 0 {
                return Ok(j);
            }
        } else {
            j += next_char_len(s, j);
        }
    }
    unformattable("unclosed block comment")
}

/// A quoted, raw or multi-line string, or a `#keyword`.
fn string_len(s: &str) -> Res<usize> {
    let hashes = s.len() - s.trim_start_matches('#').len();
    let body = s.get(hashes..).unwrap_or("");
    if !body.starts_with('"') {
        return Ok(1 + run(s.get(1..).unwrap_or(""), is_ident_char));
    }
    let quotes = if body.starts_with("\"\"\"") { "\"\"\"" } else { "\"" };
    let closing = format!("{quotes}{}", "#".repeat(hashes));
    let mut j = hashes + quotes.len();
    while let Some(rest) = s.get(j..).filter(|r| !r.is_empty()) {
        if rest.starts_with(&closing) {
            return Ok(j + closing.len());
        }
        let escape = hashes == 0 && rest.starts_with('\\');
        j += next_char_len(s, j);
        if escape {
            j += next_char_len(s, j);
        }
    }
    unformattable("unclosed string")
}

// ---------------------------------------------------------------- layout

/// A line (or lines) at one nesting level.
#[derive(Debug)]
enum Item<'a> {
    /// One empty line.
    Blank,
    /// Comments on a line of their own.
    Comments(Vec<&'a str>),
    Node(FNode<'a>),
}

#[derive(Debug)]
struct FNode<'a> {
    /// The head (with any comment before it), entries, comments and blocks.
    parts: Vec<Part<'a>>,
    /// Comments after the node on its last line.
    trailing: Vec<&'a str>,
}

#[derive(Debug)]
enum Part<'a> {
    /// Printed after one space.
    Text(String),
    /// A line continuation `\`, with the comments after it.
    Continue(Vec<&'a str>),
    /// A line comment between `/-` and what it comments out.
    LineBreak(&'a str),
    /// A children block; `prefix` is `/-` (and comments) for a slashdashed one.
    Block { prefix: String, open: Vec<&'a str>, items: Vec<Item<'a>> },
}

/// Whose line the comments seen next are on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    /// The line of the `{` that opened this block.
    Open,
    /// The line of the last node.
    Node,
    /// A line of their own.
    Line,
}

struct Layout<'t, 'a> {
    toks: &'t [Tok<'a>],
    pos: usize,
}

/// The state of one level while its items are read.
struct Level<'a> {
    open: Vec<&'a str>,
    items: Vec<Item<'a>>,
    pending: Vec<&'a str>,
    owner: Owner,
    newlines: usize,
}

impl<'a> Level<'a> {
    /// A blank line before the next item, if the author wrote one.
    fn blank(&mut self) {
        if self.newlines >= 2 && !self.items.is_empty() {
            self.items.push(Item::Blank);
        }
    }

    /// Gives the pending comments to the line they are on.
    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let comments = std::mem::take(&mut self.pending);
        match (self.owner, self.items.last_mut()) {
            (Owner::Open, _) => self.open.extend(comments),
            (Owner::Node, Some(Item::Node(n))) => n.trailing.extend(comments),
            _ => {
                self.blank();
                self.items.push(Item::Comments(comments));
                self.newlines = 0;
            }
        }
    }
}

impl<'a> Layout<'_, 'a> {
    fn peek(&self) -> Option<Tok<'a>> {
        self.toks.get(self.pos).copied()
    }

    fn peek_kind(&self) -> Option<Kind> {
        self.peek().map(|t| t.kind)
    }

    fn skip_ws(&mut self) {
        while self.peek_kind() == Some(Kind::Ws) {
            self.pos += 1;
        }
    }

    /// Whitespace and block comments (node-space without continuations);
    /// the comments go to `pieces`.
    fn node_space(&mut self, pieces: &mut Vec<&'a str>) {
        while let Some(t) = self.peek() {
            match t.kind {
                Kind::Ws => {}
                Kind::BlockComment => pieces.push(t.text),
                _ => break,
            }
            self.pos += 1;
        }
    }

    /// The items of a level, up to its `}` (consumed) or the end of the
    /// text; also the comments on the line of the `{`.
    fn items(&mut self, in_block: bool) -> Res<(Vec<&'a str>, Vec<Item<'a>>)> {
        let mut level = Level {
            open: Vec::new(),
            items: Vec::new(),
            pending: Vec::new(),
            owner: if in_block { Owner::Open } else { Owner::Line },
            newlines: 0,
        };
        loop {
            let Some(tok) = self.peek() else {
                if in_block {
                    return unformattable("unclosed block");
                }
                level.flush();
                return Ok((level.open, level.items));
            };
            match tok.kind {
                // A line continuation between nodes is only whitespace.
                Kind::Ws | Kind::Escline => self.pos += 1,
                Kind::Newline => {
                    level.flush();
                    level.owner = Owner::Line;
                    level.newlines += 1;
                    self.pos += 1;
                }
                Kind::LineComment | Kind::BlockComment => {
                    level.pending.push(tok.text);
                    self.pos += 1;
                }
                Kind::Close if in_block => {
                    self.pos += 1;
                    level.flush();
                    return Ok((level.open, level.items));
                }
                Kind::Slashdash | Kind::Word | Kind::LParen => {
                    if level.owner == Owner::Line {
                        level.blank();
                    }
                    let leading = std::mem::take(&mut level.pending);
                    let node = self.node(leading)?;
                    level.items.push(Item::Node(node));
                    level.owner = Owner::Node;
                    level.newlines = 0;
                }
                Kind::Close | Kind::Semi | Kind::Eq | Kind::RParen | Kind::Open => {
                    return unformattable(format!("unexpected `{}`", tok.text))
                }
            }
        }
    }

    /// One node, from its head (or its `/-`) to its end: before a newline,
    /// a line comment or a `}`, or after its `;`.
    fn node(&mut self, leading: Vec<&'a str>) -> Res<FNode<'a>> {
        let mut parts: Vec<Part<'a>> = leading.into_iter().map(|c| Part::Text(c.to_string())).collect();
        let mut prefix = String::new();
        if self.peek_kind() == Some(Kind::Slashdash) {
            self.pos += 1;
            prefix = self.slashdash_gap(&mut parts);
        }
        let mut head = Vec::new();
        self.type_annotation(&mut head)?;
        head.push(self.word()?);
        parts.push(Part::Text(prefix + &compact(&head)));
        loop {
            self.skip_ws();
            let Some(tok) = self.peek() else { break };
            match tok.kind {
                Kind::Newline | Kind::Close | Kind::LineComment => break,
                Kind::Semi => {
                    self.pos += 1;
                    break;
                }
                Kind::BlockComment => {
                    self.pos += 1;
                    parts.push(Part::Text(tok.text.to_string()));
                }
                Kind::Escline => {
                    self.pos += 1;
                    let mut comments = Vec::new();
                    self.node_space(&mut comments);
                    if let Some(c) = self.peek().filter(|t| t.kind == Kind::LineComment) {
                        comments.push(c.text);
                        self.pos += 1;
                    }
                    if self.peek_kind() == Some(Kind::Newline) {
                        self.pos += 1;
                    }
                    // Two continuations in a row continue one line.
                    if !(comments.is_empty() && matches!(parts.last(), Some(Part::Continue(_) | Part::LineBreak(_)))) {
                        parts.push(Part::Continue(comments));
                    }
                }
                Kind::Slashdash => {
                    self.pos += 1;
                    let prefix = self.slashdash_gap(&mut parts);
                    if self.peek_kind() == Some(Kind::Open) {
                        self.pos += 1;
                        let (open, items) = self.items(true)?;
                        parts.push(Part::Block { prefix, open, items });
                    } else {
                        let entry = self.entry()?;
                        parts.push(Part::Text(prefix + &entry));
                    }
                }
                Kind::Open => {
                    self.pos += 1;
                    let (open, items) = self.items(true)?;
                    parts.push(Part::Block { prefix: String::new(), open, items });
                }
                _ => {
                    let entry = self.entry()?;
                    parts.push(Part::Text(entry));
                }
            }
        }
        // A continuation that continues nothing is dropped; its comments stay.
        let mut trailing = Vec::new();
        while let Some(Part::Continue(_)) = parts.last() {
            if let Some(Part::Continue(comments)) = parts.pop() {
                trailing.splice(0..0, comments);
            }
        }
        Ok(FNode { parts, trailing })
    }

    /// What follows `/-` up to what it comments out: whitespace, newlines
    /// and comments. Returns the text to write before that (`/-` itself
    /// unless a line comment came between); line comments become parts.
    fn slashdash_gap(&mut self, parts: &mut Vec<Part<'a>>) -> String {
        let mut cur = String::from("/-");
        while let Some(t) = self.peek() {
            match t.kind {
                Kind::Ws | Kind::Newline | Kind::Escline => {}
                Kind::BlockComment => {
                    if !cur.is_empty() {
                        cur.push(' ');
                    }
                    cur.push_str(t.text);
                }
                Kind::LineComment => {
                    if !cur.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut cur)));
                    }
                    parts.push(Part::LineBreak(t.text));
                }
                _ => break,
            }
            self.pos += 1;
        }
        if !cur.is_empty() && cur != "/-" {
            cur.push(' ');
        }
        cur
    }

    fn word(&mut self) -> Res<&'a str> {
        match self.peek() {
            Some(t) if t.kind == Kind::Word => {
                self.pos += 1;
                Ok(t.text)
            }
            Some(t) => unformattable(format!("expected a value, found `{}`", t.text.escape_default())),
            None => unformattable("expected a value, found the end"),
        }
    }

    /// `(type)` and the space after it, if there is one, into `pieces`.
    fn type_annotation(&mut self, pieces: &mut Vec<&'a str>) -> Res<()> {
        if self.peek_kind() != Some(Kind::LParen) {
            return Ok(());
        }
        self.pos += 1;
        pieces.push("(");
        self.node_space(pieces);
        pieces.push(self.word()?);
        self.node_space(pieces);
        if self.peek_kind() != Some(Kind::RParen) {
            return unformattable("a type annotation this formatter does not lay out");
        }
        self.pos += 1;
        pieces.push(")");
        self.node_space(pieces);
        Ok(())
    }

    /// An argument or a `key=value` property, without the spaces.
    fn entry(&mut self) -> Res<String> {
        let mut pieces = Vec::new();
        self.type_annotation(&mut pieces)?;
        pieces.push(self.word()?);
        let save = self.pos;
        let mut between = Vec::new();
        self.node_space(&mut between);
        if self.peek_kind() == Some(Kind::Eq) {
            self.pos += 1;
            pieces.extend(between);
            pieces.push("=");
            self.node_space(&mut pieces);
            self.type_annotation(&mut pieces)?;
            pieces.push(self.word()?);
        } else {
            self.pos = save;
        }
        Ok(compact(&pieces))
    }
}

/// Tokens joined without spaces, except around comments.
fn compact(pieces: &[&str]) -> String {
    let comment = |s: &str| s.starts_with("/*");
    let mut out = String::new();
    let mut prev: Option<&str> = None;
    for &p in pieces {
        if let Some(q) = prev {
            if (comment(q) && p != ")") || (comment(p) && q != "(") {
                out.push(' ');
            }
        }
        out.push_str(p);
        prev = Some(p);
    }
    out
}

// ---------------------------------------------------------------- printing

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

/// A comment without trailing whitespace on any of its lines.
fn push_comment(out: &mut String, comment: &str) {
    let trim = |l: &str| l.trim_end_matches(|c| is_ws(c) || c == '\r').to_string();
    let lines: Vec<String> = comment.split('\n').map(trim).collect();
    out.push_str(&lines.join("\n"));
}

fn print_items(items: &[Item<'_>], level: usize, out: &mut String) {
    for item in items {
        match item {
            Item::Blank => out.push('\n'),
            Item::Comments(comments) => {
                indent(out, level);
                for (i, c) in comments.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    push_comment(out, c);
                }
                out.push('\n');
            }
            Item::Node(node) => print_node(node, level, out),
        }
    }
}

fn print_node(node: &FNode<'_>, level: usize, out: &mut String) {
    indent(out, level);
    let mut line_start = true;
    for part in &node.parts {
        if !line_start {
            out.push(' ');
        }
        line_start = false;
        match part {
            Part::Text(t) if t.starts_with("/*") => push_comment(out, t),
            Part::Text(t) => out.push_str(t),
            Part::Continue(comments) => {
                out.push('\\');
                for c in comments {
                    out.push(' ');
                    push_comment(out, c);
                }
                out.push('\n');
                indent(out, level + 1);
                line_start = true;
            }
            Part::LineBreak(c) => {
                push_comment(out, c);
                out.push('\n');
                indent(out, level + 1);
                line_start = true;
            }
            Part::Block { prefix, open, items } => {
                out.push_str(prefix);
                out.push('{');
                for c in open {
                    out.push(' ');
                    push_comment(out, c);
                }
                if !items.is_empty() || !open.is_empty() {
                    out.push('\n');
                    print_items(items, level + 1, out);
                    indent(out, level);
                }
                out.push('}');
            }
        }
    }
    // The comments of a continuation that continues nothing join those
    // after the node: one written after a line comment starts a line of its
    // own, as the line comment would swallow it (and a line break inside
    // it, U+2028 or a lone CR, would then end that line comment).
    let mut after_line_comment = false;
    for c in &node.trailing {
        if after_line_comment {
            out.push('\n');
            indent(out, level);
        } else {
            out.push(' ');
        }
        push_comment(out, c);
        after_line_comment = c.starts_with("//");
    }
    out.push('\n');
}

// ---------------------------------------------------------------- the guard

/// Two node lists say the same (names, entries, raw literals, values,
/// type annotations, children), ignoring spans and layout: the guard
/// `format` keeps, and what its fuzz target checks.
pub fn same_nodes(a: &[Node], ta: &str, b: &[Node], tb: &str) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.name.text == y.name.text
                && annotation(x.type_annotation, ta) == annotation(y.type_annotation, tb)
                && x.entries.len() == y.entries.len()
                && x.entries.iter().zip(&y.entries).all(|(e, f)| {
                    e.name.as_ref().map(|n| &n.text) == f.name.as_ref().map(|n| &n.text)
                        && e.raw == f.raw
                        && same_value(&e.value, &f.value)
                        && annotation(e.type_annotation, ta) == annotation(f.type_annotation, tb)
                })
                && x.children.is_some() == y.children.is_some()
                && same_nodes(x.children(), ta, y.children(), tb)
        })
}

fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
        _ => a == b,
    }
}

/// A type annotation's text without its whitespace.
fn annotation(span: Option<Span>, text: &str) -> Option<String> {
    span.map(|s| text.get(s.range()).unwrap_or("").chars().filter(|&c| !is_ws(c) && !is_newline(c)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        match format(text) {
            Ok(out) => out,
            Err(e) => panic!("{e}\ninput:\n{text}"),
        }
    }

    /// Formats, then checks idempotence.
    fn canon(text: &str) -> String {
        let once = fmt(text);
        let twice = fmt(&once);
        assert_eq!(once, twice, "not idempotent; input:\n{text}");
        once
    }

    #[test]
    fn a_messy_file_gets_the_canonical_layout() {
        let messy = "\n\n// the shop\nsite   dc-a  region=\"eu\"{\n\tcluster  a\t{\n      pool gpu  memory = \"16Gi\"   count=4 ;  pool cpu\n\n\n   }   \n    network prod vlan=110   // prod\n}\n\n\n\nservice x { image \"a:1\"; port 80 }\n\n";
        let want = "// the shop\nsite dc-a region=\"eu\" {\n  cluster a {\n    pool gpu memory=\"16Gi\" count=4\n    pool cpu\n  }\n  network prod vlan=110 // prod\n}\n\nservice x {\n  image \"a:1\"\n  port 80\n}\n";
        assert_eq!(canon(messy), want);
        assert_eq!(canon(want), want, "formatted text is left alone");
    }

    #[test]
    fn values_are_kept_as_written() {
        let text = "n 1.30 0x1F 1_000 1e3 #true #null #-inf #nan \"16Gi\" #\"raw \\ \"q\"\"# ident (u8)7 k=(t)\"v\" \"a\\tb\\u{41}\"\n";
        assert_eq!(canon(text), text);
        let spaced = "n   1.30   k = ( t ) \"v\"  ( u8 )  7\n";
        assert_eq!(canon(spaced), "n 1.30 k=(t)\"v\" (u8)7\n");
    }

    #[test]
    fn comments_are_kept() {
        let text = "  // top\n/* block */\nsite a { // opens\n      // inside\n  x 1 /* mid */ 2 // end\n  /* before */ y\n    // last\n} // after\nz; // semi\n";
        let want = "// top\n/* block */\nsite a { // opens\n  // inside\n  x 1 /* mid */ 2 // end\n  /* before */ y\n  // last\n} // after\nz // semi\n";
        assert_eq!(canon(text), want);
    }

    #[test]
    fn multi_line_block_comments_keep_their_text() {
        let text = "a {\n      /* one\n   two   \n    */\n  b\n}\n";
        assert_eq!(canon(text), "a {\n  /* one\n   two\n    */\n  b\n}\n");
    }

    #[test]
    fn nested_blocks_are_indented_two_spaces_per_level() {
        let text = "a{b{c{d 1}}}\ne {}\nf {\n}\n";
        assert_eq!(canon(text), "a {\n  b {\n    c {\n      d 1\n    }\n  }\n}\ne {}\nf {}\n");
    }

    #[test]
    fn slashdash_is_kept() {
        let text = "/-  old 1 {\n        x\n}\nnode /-  gone=1 kept /- \"arg\" /-{\n a\n } {\n b\n}\n";
        let want = "/-old 1 {\n  x\n}\nnode /-gone=1 kept /-\"arg\" /-{\n  a\n} {\n  b\n}\n";
        assert_eq!(canon(text), want);
    }

    #[test]
    fn multi_line_strings_are_unchanged() {
        let text = "a {\n        script \"\"\"\n      echo  hi   \n        done\n      \"\"\"\n  raw #\"\"\"\n  \\x\n  \"\"\"#\n}\n";
        let out = canon(text);
        assert_eq!(
            out,
            "a {\n  script \"\"\"\n      echo  hi   \n        done\n      \"\"\"\n  raw #\"\"\"\n  \\x\n  \"\"\"#\n}\n"
        );
    }

    #[test]
    fn blank_lines_are_collapsed_and_trimmed_at_block_edges() {
        let text = "a {\n\n\n  b\n\n\n\n  c\n\n}\n\n\n\nd\n\n\n";
        assert_eq!(canon(text), "a {\n  b\n\n  c\n}\n\nd\n");
    }

    #[test]
    fn line_continuations_are_kept() {
        let text = "a 1 \\\n        2 \\ // why\n   3\nb \\\n";
        assert_eq!(canon(text), "a 1 \\\n  2 \\ // why\n  3\nb\n");
    }

    /// A continuation that continues nothing leaves its comments on the
    /// node's line; a comment after them that was on the next line (after
    /// `;` here) must not land after the line comment: inside a block the
    /// tail of a multi-line comment would be re-indented by a second pass,
    /// and a line break other than `\n` (U+2028, NEL, a lone CR) would end
    /// the line comment there.
    #[test]
    fn a_comment_after_a_dropped_continuation_keeps_its_own_line() {
        let text = "x {\n  a \\ // c\n  ;/* d\n// */\n}\n";
        assert_eq!(canon(text), "x {\n  a // c\n  /* d\n// */\n}\n");
        let text = "a \\ // c\n;/*\u{2028}// */\n";
        assert_eq!(canon(text), "a // c\n/*\u{2028}// */\n");
        // Formatted instead of refused: after the line comment, the rest of
        // the block comment would not parse. Two continuations that
        // continue nothing, the second with a block comment; then `;`.
        let text = "x {\n  a \\ // c\n  \\ /* d\u{85}e */\n}\n";
        assert_eq!(canon(text), "x {\n  a // c\n  /* d\u{85}e */\n}\n");
        let text = "a 1 \\ // c\n; /* d\n e */\n";
        assert_eq!(canon(text), "a 1 // c\n/* d\n e */\n");
    }

    #[test]
    fn crlf_and_bom() {
        assert_eq!(canon("\u{FEFF}a 1\r\nb {\r\n c\r\n}\r\n"), "\u{FEFF}a 1\nb {\n  c\n}\n");
    }

    #[test]
    fn empty_and_comment_only_files() {
        assert_eq!(canon(""), "");
        assert_eq!(canon("\n\n  \n"), "");
        assert_eq!(canon("// only\n\n\n"), "// only\n");
    }

    #[test]
    fn a_file_that_does_not_parse_is_an_error() {
        assert!(matches!(format("a {\n"), Err(FormatError::Syntax { .. })));
        assert!(matches!(format("pool x memory=128Gi\n"), Err(FormatError::Syntax { .. })));
    }

    #[test]
    fn the_guard_compares_names_values_and_literals() {
        let parse = |t: &str| parser::parse(FileId(0), t).unwrap();
        let (a, b) = ("n 1.30 k=\"v\"\n", "n 1.3 k=\"v\"\n");
        assert!(!same_nodes(&parse(a).nodes, a, &parse(b).nodes, b));
        let c = "n 1.30 k=\"v\" {\n}\n";
        assert!(!same_nodes(&parse(a).nodes, a, &parse(c).nodes, c));
        let d = "n  1.30\tk=\"v\"";
        assert!(same_nodes(&parse(a).nodes, a, &parse(d).nodes, d));
    }

    /// Every valid case of the official KDL v2 test suite is formatted (or,
    /// for the odd layouts the formatter does not handle, refused), to a
    /// fixed point, and never changes its meaning (`format` checks that).
    #[test]
    fn official_suite_formats_idempotently() {
        let dir = crate::oracle::suite_dir();
        let mut formatted = 0;
        let mut refused = Vec::new();
        for entry in std::fs::read_dir(dir.join("input")).unwrap() {
            let path = entry.unwrap().path();
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            match format(&text) {
                Ok(once) => {
                    assert_eq!(format(&once).as_ref(), Ok(&once), "{}", path.display());
                    formatted += 1;
                }
                Err(FormatError::Syntax { .. }) => {}
                Err(e) => refused.push(format!("{}: {e}", path.display())),
            }
        }
        assert!(formatted > 150, "{formatted}");
        assert!(refused.len() <= 5, "refused:\n{}", refused.join("\n"));
    }
}
