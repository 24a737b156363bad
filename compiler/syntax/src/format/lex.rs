//! The formatter's lexer: the text as a flat list of tokens, split with
//! the parser's lexical rules. A string of any kind (quoted, raw,
//! multi-line), a number, a keyword or an identifier is one `Word`, kept as
//! written; whitespace, newlines, comments, `/-`, `\` and punctuation are
//! tokens of their own, so the layout sees every comment.

use super::{unformattable, Res};
use crate::parser::{is_ident_char, is_newline, is_ws};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
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
pub(super) struct Tok<'a> {
    pub(super) kind: Kind,
    pub(super) text: &'a str,
}

/// The tokens of `src`, after a byte order mark if it has one.
pub(super) fn lex(src: &str) -> Res<Vec<Tok<'_>>> {
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
