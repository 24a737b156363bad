//! The space between tokens: whitespace, newlines (CRLF counts as one),
//! `//` line comments, nested `/* */` block comments and `\` line
//! continuations, as KDL's node-space (between the entries of a node) and
//! line-space (between nodes). Characters KDL forbids are refused in
//! comments too.

use super::chars::{is_disallowed, is_newline, is_ws};
use super::{Parser, Res};

impl Parser<'_> {
    /// Consumes one newline (CRLF counts as one); false if none here.
    #[inline]
    pub(super) fn newline(&mut self) -> bool {
        match self.b.get(self.pos) {
            Some(b'\n' | b'\x0B' | b'\x0C') => {
                self.pos += 1;
                true
            }
            Some(b'\r') => {
                self.pos += if self.peek_at(1) == Some(b'\n') { 2 } else { 1 };
                true
            }
            Some(&c) if c >= 0x80 => match self.peek() {
                Some(c) if is_newline(c) => {
                    self.bump(c);
                    true
                }
                _ => false,
            },
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
    pub(super) fn line_comment(&mut self) -> Res<()> {
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
    pub(super) fn disallowed(&self, c: char) -> Res<()> {
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
            // Spaces and tabs byte by byte: most of a file's whitespace.
            match self.b.get(self.pos) {
                Some(b' ' | b'\t') => self.pos += 1,
                Some(b'/') if self.peek_at(1) == Some(b'*') => self.block_comment()?,
                Some(&c) if c >= 0x80 => match self.peek() {
                    Some(c) if is_ws(c) => self.bump(c),
                    _ => break,
                },
                _ => break,
            }
        }
        Ok(self.pos > start)
    }

    /// node-space: whitespace, block comments and line continuations.
    /// This runs before and after every entry: when the next byte cannot
    /// start any, it returns without a call, and so it does after the one
    /// space most entries are separated by.
    #[inline(always)]
    pub(super) fn node_space(&mut self) -> Res<bool> {
        match self.b.get(self.pos) {
            Some(b' ') if !may_start_node_space(self.peek_at(1)) => {
                self.pos += 1;
                Ok(true)
            }
            Some(&c) if may_start_node_space(Some(c)) => self.node_space_run(),
            _ => Ok(false),
        }
    }

    /// [`node_space`](Self::node_space) from a byte that may start some:
    /// spaces and tabs are skipped byte by byte.
    fn node_space_run(&mut self) -> Res<bool> {
        let start = self.pos;
        loop {
            match self.b.get(self.pos) {
                Some(b' ' | b'\t') => self.pos += 1,
                Some(b'/') if self.peek_at(1) == Some(b'*') => self.block_comment()?,
                Some(b'\\') => self.continuation()?,
                Some(&c) if c >= 0x80 => match self.peek() {
                    Some(c) if is_ws(c) => self.bump(c),
                    _ => break,
                },
                _ => break,
            }
        }
        Ok(self.pos > start)
    }

    /// A line continuation at `\`: space, maybe a line comment, then the
    /// newline (or the end of the text).
    fn continuation(&mut self) -> Res<()> {
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
        Ok(())
    }

    /// line-space: whitespace, newlines, comments and line continuations
    /// between nodes. Spaces, tabs and `\n` (most of it: indentation and
    /// line ends) are skipped byte by byte in one loop.
    #[inline]
    pub(super) fn line_space(&mut self) -> Res<()> {
        loop {
            match self.b.get(self.pos) {
                Some(b' ' | b'\t' | b'\n') => self.pos += 1,
                Some(b'\r' | b'\x0B' | b'\x0C') => {
                    self.newline();
                }
                Some(b'/') => match self.peek_at(1) {
                    Some(b'/') => self.line_comment()?,
                    Some(b'*') => self.block_comment()?,
                    _ => return Ok(()),
                },
                Some(b'\\') => self.continuation()?,
                Some(&c) if c >= 0x80 => match self.peek() {
                    Some(c) if is_ws(c) || is_newline(c) => self.bump(c),
                    _ => return Ok(()),
                },
                _ => return Ok(()),
            }
        }
    }
}

/// Whether node-space may start at byte `b`: a space, a tab, a `/*`, a
/// `\` or a non-ASCII character (a Unicode space).
#[inline(always)]
pub(super) fn may_start_node_space(b: Option<u8>) -> bool {
    matches!(b, Some(b' ' | b'\t' | b'/' | b'\\' | 0x80..))
}
