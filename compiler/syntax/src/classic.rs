//! The classic mistakes of hand-written KDL, found by a small scan of the
//! text when the KDL parser rejects it, so that the diagnostic sits on the
//! offending token with the literal fix: an unquoted quantity
//! (`memory=128Gi`, `latency=1.2ms`) and an unquoted value containing `/`
//! (`image registry.example.com/shop:1.0`, `import std/gpu`).

use crate::syntax_error;
use hybrid_diagnostics::{Diagnostic, FileId, Span};

pub(crate) fn find(file: FileId, text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for tok in bare_tokens(text) {
        let word = text.get(tok.start..tok.end).unwrap_or("");
        let key = tok.key.and_then(|(a, b)| text.get(a..b));
        let span = Span::new(file, tok.start, tok.end);
        let fixed = match key {
            Some(k) => format!("{k}=\"{word}\""),
            None => format!("\"{word}\""),
        };
        if word.contains('/') {
            out.push(
                syntax_error("a value containing `/` must be a quoted string", span, "unquoted value")
                    .with_help(format!("quote the value: {fixed}")),
            );
        } else if starts_like_number(word) && !is_number(word) {
            out.push(
                syntax_error("a quantity with a unit must be a quoted string", span, "unquoted quantity")
                    .with_help(format!("quote the quantity: {fixed}")),
            );
        }
    }
    out
}

struct Token {
    start: usize,
    end: usize,
    /// The property key when the token is the value of `key=value`.
    key: Option<(usize, usize)>,
}

fn is_break(b: u8) -> bool {
    b.is_ascii_whitespace() || matches!(b, b'{' | b'}' | b'(' | b')' | b';' | b'=' | b'"' | b'[' | b']')
}

/// Bare (unquoted) words in value position, skipping strings and comments.
fn bare_tokens(text: &str) -> Vec<Token> {
    let b = text.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let mut out = Vec::new();
    let mut i = 0;
    // Whether the next word is a node name (start of a line or after `{`/`;`).
    let mut node_start = true;
    let mut last_word: Option<(usize, usize)> = None;
    while i < b.len() {
        let c = at(i);
        if c == b'\n' || c == b';' || c == b'{' || c == b'}' {
            node_start = true;
            last_word = None;
            i += 1;
        } else if c.is_ascii_whitespace() || c == b')' || c == b'(' {
            i += 1;
        } else if c == b'/' && at(i + 1) == b'/' {
            while i < b.len() && at(i) != b'\n' {
                i += 1;
            }
        } else if c == b'/' && at(i + 1) == b'*' {
            let mut depth = 0usize;
            while i < b.len() {
                if at(i) == b'/' && at(i + 1) == b'*' {
                    depth += 1;
                    i += 2;
                } else if at(i) == b'*' && at(i + 1) == b'/' {
                    depth = depth.saturating_sub(1);
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == b'/' && at(i + 1) == b'-' {
            i += 2;
        } else if c == b'"' || (c == b'#' && matches!(at(i + 1), b'"' | b'#')) {
            i = skip_string(b, i);
            node_start = false;
            last_word = None;
        } else if c == b'=' {
            i += 1;
        } else {
            let start = i;
            while i < b.len() && !is_break(at(i)) {
                i += 1;
            }
            let is_value_of_prop = start > 0 && at(start - 1) == b'=';
            let is_key = at(i) == b'=';
            if (!node_start || is_value_of_prop) && !is_key {
                let key = if is_value_of_prop { last_word } else { None };
                out.push(Token { start, end: i, key });
            }
            node_start = false;
            last_word = Some((start, i));
            if i == start {
                i += 1;
            }
        }
    }
    out
}

/// Skips a quoted, raw or multi-line string starting at `i`.
fn skip_string(b: &[u8], mut i: usize) -> usize {
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let mut hashes = 0;
    while at(i) == b'#' {
        hashes += 1;
        i += 1;
    }
    let raw = hashes > 0;
    let triple = at(i) == b'"' && at(i + 1) == b'"' && at(i + 2) == b'"';
    let quotes = if triple { 3 } else { 1 };
    i += quotes;
    while i < b.len() {
        if !raw && at(i) == b'\\' {
            i += 2;
            continue;
        }
        if !triple && at(i) == b'\n' {
            return i;
        }
        let closes = (0..quotes).all(|k| at(i + k) == b'"') && (0..hashes).all(|k| at(i + quotes + k) == b'#');
        if closes {
            return i + quotes + hashes;
        }
        i += 1;
    }
    i
}

fn starts_like_number(w: &str) -> bool {
    let w = w.strip_prefix(['+', '-']).unwrap_or(w);
    w.bytes().next().is_some_and(|c| c.is_ascii_digit())
}

/// Whether `w` is a KDL v2 number literal.
fn is_number(w: &str) -> bool {
    let w = w.strip_prefix(['+', '-']).unwrap_or(w);
    let digits = |s: &str, radix: u32| {
        s.chars().next().is_some_and(|c| c.is_digit(radix)) && s.chars().all(|c| c == '_' || c.is_digit(radix))
    };
    if let Some(h) = w.strip_prefix("0x") {
        return digits(h, 16);
    }
    if let Some(o) = w.strip_prefix("0o") {
        return digits(o, 8);
    }
    if let Some(bin) = w.strip_prefix("0b") {
        return digits(bin, 2);
    }
    let (mantissa, exp) = match w.find(['e', 'E']) {
        Some(p) => (w.get(..p).unwrap_or(""), Some(w.get(p + 1..).unwrap_or(""))),
        None => (w, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (mantissa, None),
    };
    digits(int, 10)
        && frac.is_none_or(|f| digits(f, 10))
        && exp.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e), 10))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        for ok in ["1", "-2", "1.5", "1e3", "1_000", "0x1F", "0b101", "0o7", "2.5E-3"] {
            assert!(is_number(ok), "{ok}");
        }
        for bad in ["128Gi", "1.2ms", "70%", "1.2.3", "0x", "5m"] {
            assert!(!is_number(bad), "{bad}");
        }
    }

    #[test]
    fn skips_strings_and_comments() {
        let text = "a \"x/y\" // c/d\n/* e/f */ b #\"g/h\"# k=1Gi";
        let toks: Vec<&str> = bare_tokens(text).iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(toks, vec!["1Gi"]);
    }
}
