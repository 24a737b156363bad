//! The layout pass: groups the tokens into the lines of each nesting
//! level — nodes, comment lines, blank lines — and decides whose line each
//! comment is on: the `{` that opened a block, the node before it, or a
//! line of its own. A node becomes parts: its head and each entry
//! compacted (`key=value`, `(type)value`), its comments, line
//! continuations and children blocks.

use super::lex::{Kind, Tok};
use super::{unformattable, Res};

/// The items of a whole text.
pub(super) fn lay_out<'a>(toks: &[Tok<'a>]) -> Res<Vec<Item<'a>>> {
    let (_, items) = Layout { toks, pos: 0 }.items(false)?;
    Ok(items)
}

/// A line (or lines) at one nesting level.
#[derive(Debug)]
pub(super) enum Item<'a> {
    /// One empty line.
    Blank,
    /// Comments on a line of their own.
    Comments(Vec<&'a str>),
    Node(FNode<'a>),
}

#[derive(Debug)]
pub(super) struct FNode<'a> {
    /// The head (with any comment before it), entries, comments and blocks.
    pub(super) parts: Vec<Part<'a>>,
    /// Comments after the node on its last line.
    pub(super) trailing: Vec<&'a str>,
}

#[derive(Debug)]
pub(super) enum Part<'a> {
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
                    self.continuation(&mut parts);
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

    /// A line continuation, after its `\`: its comments and its newline
    /// are consumed, and the comments become a `Continue` part.
    fn continuation(&mut self, parts: &mut Vec<Part<'a>>) {
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
