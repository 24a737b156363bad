//! The character classes of KDL v2: whitespace, newlines, the characters
//! KDL forbids anywhere in a document, and those an identifier may hold.
//! ASCII identifier characters are looked up in a table computed at compile
//! time, since most of a `.hybrid` file is identifiers.

use super::Parser;

/// Unicode space (not a newline): what separates entries.
#[inline]
pub(crate) fn is_ws(c: char) -> bool {
    matches!(c, '\t' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}')
}

/// One of KDL's newline characters (CRLF is one newline made of two).
#[inline]
pub(crate) fn is_newline(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{0B}' | '\u{0C}' | '\u{2028}' | '\u{2029}')
}

/// A character KDL forbids anywhere in a document, comments included.
#[inline]
pub(super) fn is_disallowed(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{E}'..='\u{1F}' | '\u{7F}' | '\u{200E}' | '\u{200F}'
        | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// A character an identifier may hold.
#[inline]
pub(crate) fn is_ident_char(c: char) -> bool {
    match u8::try_from(c) {
        Ok(b) if b < 0x80 => is_ident_byte(b),
        _ => !(is_ws(c) || is_newline(c) || is_disallowed(c)),
    }
}

/// Whether byte `b` is an ASCII character an identifier may hold (false
/// for every byte of a non-ASCII character: see [`is_ident_char`]).
#[inline(always)]
pub(super) fn is_ident_byte(b: u8) -> bool {
    IDENT_BYTES.get(usize::from(b)).copied().unwrap_or(false)
}

/// [`is_ident_byte`] for every byte, computed at compile time.
#[allow(clippy::indexing_slicing)] // evaluated by the compiler: `i < 256` indexes a `[_; 256]`
static IDENT_BYTES: [bool; 256] = {
    let mut t = [false; 256];
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

impl Parser<'_> {
    /// The end of a run of identifier characters from here: ASCII ones
    /// looked up in the table in one loop over the bytes, others decoded.
    #[inline(always)]
    pub(super) fn ident_end(&self) -> usize {
        let mut i = self.pos;
        loop {
            let rest = self.b.get(i..).unwrap_or_default();
            i += rest.iter().position(|&c| !is_ident_byte(c)).unwrap_or(rest.len());
            match self.b.get(i) {
                Some(&c) if c >= 0x80 => match self.src.get(i..).and_then(|s| s.chars().next()) {
                    Some(ch) if is_ident_char(ch) => i += ch.len_utf8(),
                    _ => return i,
                },
                _ => return i,
            }
        }
    }
}
