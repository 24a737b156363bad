//! Strings: quoted (`"…"`) with their escapes, raw (`#"…"#`, any number of
//! `#`) without, and multi-line (`"""` on its own line, then the text, then
//! `"""`), which are dedented by the closing line's indentation before
//! their escapes are read. Whitespace escapes (`\` then whitespace and
//! newlines) are removed first, so they can join lines. A string whose
//! value is its bytes (no escape, not multi-line) is a range of the
//! source; any other is decoded into the document's side text.

use super::chars::{is_newline, is_ws};
use super::{range, Parser, Res};
use crate::tree::Str;

impl Parser<'_> {
    /// A quoted string at `"` (after `hashes` `#` for a raw string).
    pub(super) fn quoted(&mut self, hashes: usize) -> Res<Str> {
        let open = self.pos - hashes;
        if self.starts("\"\"\"") {
            let text = self.multiline(hashes, open)?;
            return Ok(self.decoded(&text));
        }
        self.pos += 1;
        // Most strings are a run of printable ASCII other than `"` and `\`
        // up to the closing quote: taken as one slice.
        let body = self.pos;
        self.pos += self.plain_run();
        if self.peek_at(0) == Some(b'"') && (0..hashes).all(|k| self.peek_at(1 + k) == Some(b'#')) {
            let text = Str::Source(range(body, self.pos));
            self.pos += 1 + hashes;
            return Ok(text);
        }
        // The value is copied out only from its first escape on.
        let mut out: Option<String> = None;
        loop {
            let run = self.plain_run();
            if run > 0 {
                if let Some(out) = &mut out {
                    out.push_str(self.src.get(self.pos..self.pos + run).unwrap_or(""));
                }
                self.pos += run;
            }
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
                let text = match out {
                    Some(out) => self.decoded(&out),
                    None => Str::Source(range(body, self.pos)),
                };
                self.pos += 1 + hashes;
                return Ok(text);
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
                let out = out.get_or_insert_with(|| String::from(self.src.get(body..self.pos).unwrap_or("")));
                self.escape(out)?;
                continue;
            }
            if let Some(out) = &mut out {
                out.push(c);
            }
            self.bump(c);
        }
    }

    /// The length of the run of printable ASCII other than `"` and `\`
    /// from here, read eight bytes at a time: the run ends at the lowest
    /// byte [`not_plain`] marks in a word. Only the file's last seven
    /// bytes are read one by one.
    #[inline]
    fn plain_run(&self) -> usize {
        let rest = self.b.get(self.pos..).unwrap_or_default();
        let mut n = 0;
        while let Some(eight) = rest.get(n..).and_then(<[u8]>::first_chunk::<8>) {
            let stops = not_plain(u64::from_le_bytes(*eight));
            if stops != 0 {
                return n + (stops.trailing_zeros() / 8) as usize;
            }
            n += 8;
        }
        let tail = rest.get(n..).unwrap_or_default();
        n + tail.iter().position(|&b| !(0x20..0x7F).contains(&b) || b == b'"' || b == b'\\').unwrap_or(tail.len())
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
            'u' => return self.unicode_escape(start, out),
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

    /// `\u{…}`: 1 to 6 hex digits naming a unicode scalar value. At the `u`
    /// of the escape that starts at `start`.
    fn unicode_escape(&mut self, start: usize, out: &mut String) -> Res<()> {
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
        let close = self.multiline_close(hashes, open)?;
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
        let text = self.dedent(body, open, close)?;
        if hashes > 0 {
            return Ok(text);
        }
        self.multiline_escapes(&text, open, close)
    }

    /// Where the closing `"""` (then `hashes` `#`) of the multi-line string
    /// opened at `open` is: the first one from here that is not escaped.
    fn multiline_close(&mut self, hashes: usize, open: usize) -> Res<usize> {
        loop {
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
                return Ok(self.pos);
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
        }
    }

    /// Dedents a multi-line string's body: its last line, before the
    /// closing `"""`, must be whitespace only and is removed from the start
    /// of every other line; lines of whitespace only become empty.
    fn dedent(&self, body: &str, open: usize, close: usize) -> Res<String> {
        let mut lines = split_lines(body);
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
        Ok(text)
    }

    /// The escapes of a dedented multi-line string, read after the dedent.
    /// An error covers the whole string, from `open` to its closing `"""`.
    fn multiline_escapes(&self, text: &str, open: usize, close: usize) -> Res<String> {
        let mut sub = Parser::new(text, std::sync::Arc::clone(&self.text));
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

/// The bytes of `x` (little-endian: its first byte is the lowest) that
/// are not printable ASCII other than `"` and `\`, each marked by its top
/// bit. A test may also mark bytes after one it marks (a borrow or a carry
/// runs upward), never one before: the lowest mark is the first such byte.
#[inline(always)]
fn not_plain(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |v: u64, n: u64| v.wrapping_sub(ONES * n) & !v & HIGH;
    let control = below(x, 0x20);
    // A byte of 0x80 or more, or 0x7F (which 1 more carries into the top bit).
    let high = (x | x.wrapping_add(ONES)) & HIGH;
    let quote = below(x ^ (ONES * u64::from(b'"')), 1);
    let backslash = below(x ^ (ONES * u64::from(b'\\')), 1);
    control | high | quote | backslash
}

/// The lines of `body`, split at every kind of newline (CRLF counts as
/// one); the last is what follows the last newline.
fn split_lines(body: &str) -> Vec<&str> {
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
    lines
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

#[cfg(test)]
mod tests {
    use super::Parser;
    use hybrid_diagnostics::FileId;

    /// The eight-bytes-at-a-time run ends where the byte-wise one does,
    /// whatever the byte that ends it, wherever it is, and whatever
    /// follows it (more bytes that end a run, or none).
    #[test]
    fn plain_runs_end_at_the_first_byte_that_is_not_plain() {
        let stops = ["\"", "\\", "\n", "\t", "\u{1F}", "\u{7F}", "é", "\u{2028}", "\u{FFFF}"];
        for (stop, after) in
            stops.iter().flat_map(|s| ["z".repeat(9), "\"\\\u{7F}é\u{0}zzz".into(), String::new()].map(|a| (s, a)))
        {
            for at in 0..20 {
                let text = format!("{}{stop}{after}", "a~ !#[]}".repeat(3).get(..at).unwrap_or(""));
                let p = Parser::new(
                    &text,
                    std::sync::Arc::new(crate::tree::Text { file: FileId(0), source: std::sync::Arc::from("") }),
                );
                assert_eq!(p.plain_run(), at, "{text:?}");
            }
        }
        for len in 0..20 {
            let text = "x".repeat(len);
            assert_eq!(
                Parser::new(
                    &text,
                    std::sync::Arc::new(crate::tree::Text { file: FileId(0), source: std::sync::Arc::from("") })
                )
                .plain_run(),
                len
            );
        }
    }
}
