//! The syntax crate: KDL v2 text in, the hybridc syntax tree out: a flat
//! [`Document`] (each top-level declaration's nodes and entries in two
//! arrays, text as ranges of the source it shares) read through `Copy`
//! handles ([`Node`], [`Entry`]).
//! Every node, name and value keeps a [`Span`]. Parsing is done by `parser`, a
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
pub use tree::{Children, Declaration, Document, Entries, Entry, Node, Value};

use hybrid_diagnostics::{codes, Diagnostic, FileId, Span};
use std::sync::Arc;

/// Text a consumer keeps (a name, a string value): up to 24 bytes are held
/// inline, so that the short words most of a program is made of cost no
/// allocation.
pub type Text = compact_str::CompactString;

/// Parses one `.hybrid` file. The document keeps the text: an `Arc<str>`
/// (the source map's) is shared, any other text is copied.
pub fn parse(file: FileId, text: impl SourceText) -> (Document, Vec<Diagnostic>) {
    parse_at_most(file, text.into_shared(), parser::MAX_LEN)
}

/// A text [`parse`] takes: shared when it is an `Arc<str>`, else copied.
pub trait SourceText {
    fn into_shared(self) -> Arc<str>;
}

impl SourceText for Arc<str> {
    fn into_shared(self) -> Arc<str> {
        self
    }
}

impl SourceText for &Arc<str> {
    fn into_shared(self) -> Arc<str> {
        Arc::clone(self)
    }
}

impl SourceText for &str {
    fn into_shared(self) -> Arc<str> {
        Arc::from(self)
    }
}

impl SourceText for &String {
    fn into_shared(self) -> Arc<str> {
        Arc::from(self.as_str())
    }
}

impl SourceText for String {
    fn into_shared(self) -> Arc<str> {
        Arc::from(self)
    }
}

fn parse_at_most(file: FileId, text: Arc<str>, max_len: usize) -> (Document, Vec<Diagnostic>) {
    if text.len() > max_len {
        // Refused whole: no classic mistake is looked for in it.
        let e = parser::too_long(text.len(), max_len);
        return (Document::empty(file), vec![error(file, &e)]);
    }
    match parser::parse(file, text.clone()) {
        Ok(doc) => (doc, Vec::new()),
        Err(e) => {
            // The classic mistakes get their precise span and fix; any
            // other error is reported where the parser stopped.
            let mut diags = classic::find(file, &text);
            if diags.is_empty() {
                diags.push(error(file, &e));
            }
            (Document::empty(file), diags)
        }
    }
}

/// HY0001 for the parser's error.
fn error(file: FileId, e: &parser::ParseError) -> Diagnostic {
    let d = syntax_error(&e.message, Span::new(file, e.start, e.end), e.label);
    match &e.help {
        Some(h) => d.with_help(h.clone()),
        None => d,
    }
}

/// HY0001 for a file that is not UTF-8 (KDL text is UTF-8), on the first
/// byte that is not.
pub fn not_utf8(span: Span) -> Diagnostic {
    syntax_error("the file is not valid UTF-8", span, "not UTF-8")
        .with_help("KDL text is UTF-8: save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)")
}

/// HY0001: the file is not valid KDL v2.
pub fn syntax_error(message: &str, span: Span, label: &'static str) -> Diagnostic {
    Diagnostic::new(&codes::SYNTAX_ERROR, message, span, label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_top_level_node_is_a_declaration_of_its_own() {
        let text = "a 1 { b (t)2 \"x\\ty\" }\n/-skipped { z }\n(ty)c \"e\\n\" { d k=#true }\n";
        let (doc, diags) = parse(FileId(0), text);
        assert!(diags.is_empty(), "{diags:?}");
        let declarations = doc.into_declarations();
        assert_eq!(declarations.len(), 2);
        let a = declarations[0].node().unwrap();
        let b = a.children().next().unwrap();
        assert_eq!(b.entries().map(|e| e.value()).collect::<Vec<_>>(), [Value::Int(2), Value::String("x\ty")]);
        assert_eq!(&text[b.entries().next().unwrap().type_annotation().unwrap().range()], "(t)");
        // The second declaration's indices, annotations and decoded text
        // are its own.
        let c = declarations[1].node().unwrap();
        assert_eq!((c.name(), &text[c.type_annotation().unwrap().range()]), ("c", "(ty)"));
        assert_eq!(c.args().next().unwrap().value(), Value::String("e\n"));
        let d = c.children().next().unwrap();
        assert_eq!((d.name(), d.props().next().unwrap().value()), ("d", Value::Bool(true)));
        assert_eq!(c.children().count(), 1);
    }

    #[test]
    fn parses_nodes_entries_and_spans() {
        let text = "site dc-a region=\"x\" {\n  network prod vlan=110\n}\n";
        let (doc, diags) = parse(FileId(0), text);
        assert!(diags.is_empty());
        let site = doc.nodes().next().unwrap();
        assert_eq!(site.name(), "site");
        let entries: Vec<Entry> = site.entries().collect();
        assert_eq!(&text[entries[0].value_span().range()], "dc-a");
        assert_eq!(&text[entries[1].value_span().range()], "\"x\"");
        assert_eq!(entries[1].value(), Value::String("x"));
        let net = site.children().next().unwrap();
        let vlan = net.entries().nth(1).unwrap();
        assert_eq!(vlan.key(), Some("vlan"));
        assert_eq!(vlan.value(), Value::Int(110));
        assert_eq!(&text[vlan.value_span().range()], "110");
    }

    #[test]
    fn siblings_children_and_slashdashed_items_of_the_flat_tree() {
        let text =
            "a 1 /-2 k=\"v\\n\" {\n  b { c; }\n  /-d x { e }\n  f (t)\"g\"\n}\n/-h { i }\nj /-{ k } { l; }\nm {}\n";
        let (doc, diags) = parse(FileId(0), text);
        assert!(diags.is_empty(), "{diags:?}");
        fn names(nodes: Children, out: &mut String) {
            for n in nodes {
                out.push_str(n.name());
                if n.has_block() {
                    out.push('{');
                    names(n.children(), out);
                    out.push('}');
                }
                out.push(' ');
            }
        }
        let mut out = String::new();
        names(doc.nodes(), &mut out);
        assert_eq!(out, "a{b{c } f } j{l } m{} ");
        assert_eq!(doc.node_count(), 7);
        assert_eq!((doc.nodes().count(), doc.nodes().next().unwrap().children().count()), (3, 2));
        let a = doc.nodes().next().unwrap();
        let values: Vec<Value> = a.entries().map(|e| e.value()).collect();
        assert_eq!(values, [Value::Int(1), Value::String("v\n")]);
        assert_eq!(a.props().next().unwrap().raw(), "\"v\\n\"");
        let f = a.children().nth(1).unwrap();
        assert_eq!(f.args().next().unwrap().type_annotation().map(|s| &text[s.range()]), Some("(t)"));
        assert!(!doc.nodes().nth(1).unwrap().children().is_empty());
        assert!(doc.nodes().nth(2).unwrap().children().is_empty());
    }

    #[test]
    fn non_ascii_names_and_strings_are_ranges_of_the_source() {
        let text = "café \"naïve\" clé=#\"brut \\ é\"# \"ü\\u{e9}\"\n";
        let (doc, diags) = parse(FileId(0), text);
        assert!(diags.is_empty(), "{diags:?}");
        let n = doc.nodes().next().unwrap();
        assert_eq!(n.name(), "café");
        let e: Vec<(Option<&str>, Value, &str)> = n.entries().map(|e| (e.key(), e.value(), e.raw())).collect();
        assert_eq!(
            e,
            [
                (None, Value::String("naïve"), "\"naïve\""),
                (Some("clé"), Value::String("brut \\ é"), "#\"brut \\ é\"#"),
                (None, Value::String("üé"), "\"ü\\u{e9}\""),
            ]
        );
    }

    #[test]
    fn nodes_and_entries_are_stored_in_44_bytes() {
        assert_eq!(std::mem::size_of::<tree::NodeData>(), 44);
        assert_eq!(std::mem::size_of::<tree::EntryData>(), 44);
    }

    #[test]
    fn a_text_longer_than_u32_offsets_address_is_refused() {
        let (doc, diags) = parse_at_most(FileId(3), Arc::from("a 1\n"), 3);
        assert_eq!(doc.node_count(), 0);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code.id, "HY0001");
        assert_eq!(diags[0].message, "the file is 4 bytes long, more than the 3 a file may hold");
        assert_eq!(parse(FileId(0), "a 1\n").0.node_count(), 1);
    }

    #[test]
    fn an_entry_spans_its_key_or_type_annotation_to_its_value() {
        let text = "n arg (u8)7 key=(t)\"v\" spaced = 3\n";
        let (doc, diags) = parse(FileId(0), text);
        assert!(diags.is_empty(), "{diags:?}");
        let whole: Vec<&str> = doc.nodes().next().unwrap().entries().map(|e| &text[e.span().range()]).collect();
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
        let (doc, diags) = parse(FileId(0), nested(parser::MAX_DEPTH));
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(doc.nodes().count(), 1);
        // One level more, or 100,000: an error on the first `{` too many,
        // not a stack overflow.
        for n in [parser::MAX_DEPTH + 1, 100_000] {
            let text = nested(n);
            let (doc, diags) = parse(FileId(0), &text);
            assert!(doc.nodes().is_empty());
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
