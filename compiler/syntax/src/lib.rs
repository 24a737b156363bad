//! The syntax crate: KDL v2 text in, the hybridc syntax tree out. Every
//! node, name and value keeps a [`Span`]. This is the only crate that names
//! a `kdl` type; KDL errors become `HY0001` diagnostics with a help line for
//! the classic mistakes (an unquoted quantity such as `memory=128Gi`, an
//! unquoted value containing `/`).
//!
//! Parsing never fails: it returns a document (empty when the text is not
//! KDL) and the diagnostics found.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

mod classic;
mod tree;

pub use tree::{Document, Entry, Ident, Node, Value};

use hybrid_diagnostics::{codes, Diagnostic, FileId, Span};

/// Parses one `.hybrid` file.
pub fn parse(file: FileId, text: &str) -> (Document, Vec<Diagnostic>) {
    match kdl::KdlDocument::parse_v2(text) {
        Ok(doc) => (tree::lower(file, text, &doc), Vec::new()),
        Err(err) => {
            let mut diags = classic::find(file, text);
            if diags.is_empty() {
                diags = kdl_errors(file, text, &err);
            }
            (Document { file, nodes: Vec::new() }, diags)
        }
    }
}

fn kdl_errors(file: FileId, text: &str, err: &kdl::KdlError) -> Vec<Diagnostic> {
    // The first error is the real one; the kdl crate's later ones are
    // usually consequences of it (an unclosed block reported twice).
    let Some(d) = err.diagnostics.first() else {
        return vec![syntax_error("invalid KDL", Span::new(file, 0, 0), "here")];
    };
    let start = d.span.offset().min(text.len());
    // The kdl crate's spans sometimes cover a whole region; point at the
    // first line of it so the label stays on the offending token.
    let mut end = (start + d.span.len()).min(text.len());
    if let Some(nl) = text.get(start..end).and_then(|s| s.find('\n')) {
        end = start + nl.max(1);
    }
    let span = Span::new(file, start, end.max(start));
    let message = d.message.clone().unwrap_or_else(|| "invalid KDL".to_string()).to_lowercase();
    let label = d.label.clone().unwrap_or_else(|| "here".to_string());
    let mut diag = syntax_error(&message, span, &label);
    if let Some(help) = &d.help {
        diag = diag.with_help(help.clone());
    }
    vec![diag]
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
    fn other_errors_keep_kdl_message() {
        let text = "service a {\n  image \"foo\n}\n";
        let (_, diags) = parse(FileId(0), text);
        assert!(!diags.is_empty());
        assert!(diags.iter().all(|d| d.code.id == "HY0001"));
    }
}
