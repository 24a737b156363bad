//! The syntax crate: KDL v2 text in, the hybridc syntax tree out. Every
//! node, name and value keeps a [`Span`]. Parsing is done by `parser`, a
//! KDL v2 parser written for speed; the `kdl` crate is only the test oracle
//! (`oracle`, checked against the official KDL test suite and differentially
//! against ours). Syntax errors become `HY0001` diagnostics, with a help line
//! for the classic mistakes (an unquoted quantity such as `memory=128Gi`, an
//! unquoted value containing `/`).
//!
//! Parsing never fails: it returns a document (empty when the text is not
//! KDL) and the diagnostics found. [`format`] lays a file out canonically
//! (`hybridc fmt`), keeping its comments and literals.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

mod classic;
mod format;
#[cfg(test)]
mod oracle;
mod parser;
mod tree;

pub use format::{format, same_nodes, FormatError};
pub use tree::{Document, Entry, Ident, Node, Text, Value};

use hybrid_diagnostics::{codes, Diagnostic, FileId, Span};

/// Parses one `.hybrid` file.
pub fn parse(file: FileId, text: &str) -> (Document, Vec<Diagnostic>) {
    match parser::parse(file, text) {
        Ok(doc) => (doc, Vec::new()),
        Err(e) => {
            // The classic mistakes get their precise span and fix; any
            // other error is reported where the parser stopped.
            let mut diags = classic::find(file, text);
            if diags.is_empty() {
                let mut d = syntax_error(&e.message, Span::new(file, e.start, e.end), e.label);
                if let Some(h) = e.help {
                    d = d.with_help(h);
                }
                diags.push(d);
            }
            (Document { file, nodes: Vec::new() }, diags)
        }
    }
}

/// HY0001 for a file that is not UTF-8 (KDL text is UTF-8), on the first
/// byte that is not.
pub fn not_utf8(span: Span) -> Diagnostic {
    syntax_error("the file is not valid UTF-8", span, "not UTF-8")
        .with_help("KDL text is UTF-8: save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)")
}

/// HY0001: the file is not valid KDL v2.
pub fn syntax_error(message: &str, span: Span, label: &str) -> Diagnostic {
    Diagnostic::new(&codes::SYNTAX_ERROR, message, span, label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nodes_entries_and_spans() {
        let text = "site dc-a region=\"x\" {\n  network prod vlan=110\n}\n";
        let (doc, diags) = parse(FileId(0), text);
        assert!(diags.is_empty());
        let site = &doc.nodes[0];
        assert_eq!(site.name.text, "site");
        assert_eq!(&text[site.entries[0].value_span.range()], "dc-a");
        assert_eq!(&text[site.entries[1].value_span.range()], "\"x\"");
        let net = &site.children.as_ref().unwrap()[0];
        let vlan = &net.entries[1];
        assert_eq!(vlan.name.as_ref().unwrap().text, "vlan");
        assert_eq!(vlan.value, Value::Int(110));
        assert_eq!(&text[vlan.value_span.range()], "110");
    }

    #[test]
    fn an_entry_spans_its_key_or_type_annotation_to_its_value() {
        let text = "n arg (u8)7 key=(t)\"v\" spaced = 3\n";
        let (doc, diags) = parse(FileId(0), text);
        assert!(diags.is_empty(), "{diags:?}");
        let whole: Vec<&str> = doc.nodes[0].entries.iter().map(|e| &text[e.span().range()]).collect();
        assert_eq!(whole, ["arg", "(u8)7", "key=(t)\"v\"", "spaced = 3"]);
    }

    #[test]
    fn unquoted_quantity_gets_a_precise_help() {
        let text = "site a {\n  pool x memory=128Gi\n}\n";
        let (_, diags) = parse(FileId(0), text);
        assert_eq!(diags.len(), 1);
        assert_eq!(&text[diags[0].span().range()], "128Gi");
        assert_eq!(diags[0].help.as_deref(), Some("quote the quantity: memory=\"128Gi\""));
    }

    #[test]
    fn unquoted_path_gets_a_precise_help() {
        let text = "service a {\n  image registry.example.com/shop/order:1.8.2\n}\n";
        let (_, diags) = parse(FileId(0), text);
        assert_eq!(diags.len(), 1);
        assert_eq!(&text[diags[0].span().range()], "registry.example.com/shop/order:1.8.2");
        assert!(diags[0].help.as_deref().unwrap().contains("\"registry.example.com/shop/order:1.8.2\""));
    }

    #[test]
    fn nesting_is_bounded() {
        let nested = |n: usize| format!("{}{}", "a {\n".repeat(n), "}\n".repeat(n));
        let (doc, diags) = parse(FileId(0), &nested(parser::MAX_DEPTH));
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(doc.nodes.len(), 1);
        // One level more, or 100,000: an error on the first `{` too many,
        // not a stack overflow.
        for n in [parser::MAX_DEPTH + 1, 100_000] {
            let text = nested(n);
            let (doc, diags) = parse(FileId(0), &text);
            assert!(doc.nodes.is_empty());
            assert_eq!(diags.len(), 1);
            assert_eq!(diags[0].message, format!("nesting deeper than {} levels", parser::MAX_DEPTH));
            assert_eq!(diags[0].span().range(), parser::MAX_DEPTH * 4 + 2..parser::MAX_DEPTH * 4 + 3);
        }
    }

    #[test]
    fn error_spans_cover_whole_characters() {
        // Found by the mutation property test: an error at a multi-byte
        // character must not split it.
        for text in ["a {}é", "a (é", "a \"x\" é=", "é"] {
            let (_, diags) = parse(FileId(0), text);
            for d in diags {
                let s = d.span();
                assert!(text.is_char_boundary(s.start as usize) && text.is_char_boundary(s.end as usize), "{text:?}");
            }
        }
    }

    #[test]
    fn other_errors_keep_kdl_message() {
        let text = "service a {\n  image \"foo\n}\n";
        let (_, diags) = parse(FileId(0), text);
        assert!(!diags.is_empty());
        assert!(diags.iter().all(|d| d.code.id == "HY0001"));
    }
}
