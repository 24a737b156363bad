//! The guard: whether two node lists say the same, ignoring spans and
//! layout. `format` refuses any result that does not parse to the same tree
//! as its input, and the fuzz target checks the same property.

use crate::parser::{is_newline, is_ws};
use crate::tree::{Node, Value};
use hybrid_diagnostics::Span;

/// Two node lists say the same (names, entries, raw literals, values,
/// type annotations, children), ignoring spans and layout: the guard
/// `format` keeps, and what its fuzz target checks.
pub fn same_nodes(a: &[Node], ta: &str, b: &[Node], tb: &str) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.name.text == y.name.text
                && annotation(x.type_annotation(), ta) == annotation(y.type_annotation(), tb)
                && x.entries.len() == y.entries.len()
                && x.entries.iter().zip(&y.entries).all(|(e, f)| {
                    e.name.as_ref().map(|n| &n.text) == f.name.as_ref().map(|n| &n.text)
                        && e.raw == f.raw
                        && same_value(&e.value, &f.value)
                        && annotation(e.type_annotation(), ta) == annotation(f.type_annotation(), tb)
                })
                && x.children.is_some() == y.children.is_some()
                && same_nodes(x.children(), ta, y.children(), tb)
        })
}

fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
        _ => a == b,
    }
}

/// A type annotation's text without its whitespace.
fn annotation(span: Option<Span>, text: &str) -> Option<String> {
    span.map(|s| text.get(s.range()).unwrap_or("").chars().filter(|&c| !is_ws(c) && !is_newline(c)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser;
    use hybrid_diagnostics::FileId;

    #[test]
    fn the_guard_compares_names_values_and_literals() {
        let parse = |t: &str| parser::parse(FileId(0), t).unwrap();
        let (a, b) = ("n 1.30 k=\"v\"\n", "n 1.3 k=\"v\"\n");
        assert!(!same_nodes(&parse(a).nodes, a, &parse(b).nodes, b));
        let c = "n 1.30 k=\"v\" {\n}\n";
        assert!(!same_nodes(&parse(a).nodes, a, &parse(c).nodes, c));
        let d = "n  1.30\tk=\"v\"";
        assert!(same_nodes(&parse(a).nodes, a, &parse(d).nodes, d));
    }
}
