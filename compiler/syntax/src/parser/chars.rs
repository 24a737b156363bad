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

impl Parser<'_> {
    /// The end of a run of identifier characters from here.
    #[inline]
    pub(super) fn ident_end(&self) -> usize {
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
}
