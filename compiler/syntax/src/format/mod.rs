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
//!
//! This module holds the entry point and its error; `lex` holds the lexer,
//! `layout` the layout pass, `print` the printer and `guard` the tree
//! comparison.

mod guard;
mod layout;
mod lex;
mod print;

pub use guard::same_nodes;

use crate::parser;
use hybrid_diagnostics::FileId;
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
    let before = parser::parse(FileId(0), text.into()).map_err(|e| FormatError::Syntax {
        message: e.message,
        start: e.start,
        end: e.end,
    })?;
    let tokens = lex::lex(text)?;
    let items = layout::lay_out(&tokens)?;
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    if text.starts_with('\u{FEFF}') {
        out.push('\u{FEFF}');
    }
    print::print_items(&items, 0, &mut out);
    let after = parser::parse(FileId(0), out.as_str().into())
        .map_err(|e| FormatError::Unformattable(format!("the result does not parse ({})", e.message)))?;
    if !same_nodes(&before, &after) {
        return unformattable("the result parses to a different tree");
    }
    Ok(out)
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
