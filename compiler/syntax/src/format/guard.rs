//! The guard: whether two documents say the same, ignoring spans and
//! layout. `format` refuses any result that does not parse to the same tree
//! as its input, and the fuzz target checks the same property.

use crate::parser::{is_newline, is_ws};
use crate::tree::{Children, Document, Value};
use hybrid_diagnostics::Span;

/// Two documents say the same (names, entries, raw literals, values,
/// type annotations, children), ignoring spans and layout: the guard
/// `format` keeps, and what its fuzz target checks.
pub fn same_nodes(a: &Document, b: &Document) -> bool {
    same_level(a.nodes(), a.source(), b.nodes(), b.source())
}

fn same_level(mut a: Children, ta: &str, mut b: Children, tb: &str) -> bool {
    loop {
        let (x, y) = match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) => (x, y),
            _ => return false,
        };
        let same = x.name() == y.name()
            && annotation(x.type_annotation(), ta) == annotation(y.type_annotation(), tb)
            && x.entries().len() == y.entries().len()
            && x.entries().zip(y.entries()).all(|(e, f)| {
                e.key() == f.key()
                    && e.raw() == f.raw()
                    && same_value(&e.value(), &f.value())
                    && annotation(e.type_annotation(), ta) == annotation(f.type_annotation(), tb)
            })
            && x.has_block() == y.has_block()
            && same_level(x.children(), ta, y.children(), tb);
        if !same {
            return false;
        }
    }
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
        let parse = |t: &str| parser::parse(FileId(0), t.into()).unwrap();
        let (a, b) = ("n 1.30 k=\"v\"\n", "n 1.3 k=\"v\"\n");
        assert!(!same_nodes(&parse(a), &parse(b)));
        let c = "n 1.30 k=\"v\" {\n}\n";
        assert!(!same_nodes(&parse(a), &parse(c)));
        let d = "n  1.30\tk=\"v\"";
        assert!(same_nodes(&parse(a), &parse(d)));
        let e = "n 1.30 k=\"v\"\nm\n";
        assert!(!same_nodes(&parse(a), &parse(e)));
    }
}
