//! Readers over decoded values, for the resolver. A value the schema gives
//! a default is always there: the decoder fills it in, and a child node
//! that is absent gets its default from the schema here
//! ([`child_arg_u32`], [`child_prop_u32`]). A required value that is
//! missing means the decoder reported an error and the topology will be
//! discarded, so these readers return `None` rather than make a default
//! up, and a word is read through its enum's table ([`prop_word`]), never
//! matched by hand.

use crate::decode::{default_value, DNode, DVal};
use crate::schema;
use hybrid_model::{Spanned, Word};

/// A string property.
pub(super) fn prop_string(n: &DNode, prop: &str) -> Option<String> {
    n.prop(prop).and_then(DVal::str).map(str::to_string)
}

/// A non-negative integer property.
pub(super) fn prop_u32(n: &DNode, prop: &str) -> Option<u32> {
    n.prop(prop).and_then(DVal::u32)
}

/// A boolean property; absent is off (the language's rule for a
/// boolean without a default).
pub(super) fn prop_flag(n: &DNode, prop: &str) -> bool {
    n.prop(prop).and_then(DVal::bool).unwrap_or(false)
}

/// A property with the span of its value.
pub(super) fn spanned<T>(n: &DNode, prop: &str, read: impl Fn(&DVal) -> Option<T>) -> Option<Spanned<T>> {
    let v = n.prop(prop)?;
    Some(Spanned::new(read(v)?, v.span))
}

/// A string property with its span, or an empty placeholder at the node's
/// name (a required property the decoder reported missing).
pub(super) fn spanned_string(n: &DNode, prop: &str) -> Spanned<String> {
    spanned(n, prop, |v| v.str().map(str::to_string)).unwrap_or_else(|| Spanned::new(String::new(), n.name_span))
}

/// A positional argument as a string.
pub(super) fn arg_string(n: &DNode, i: usize) -> Option<String> {
    n.arg(i).and_then(DVal::str).map(str::to_string)
}

/// A positional argument as a non-negative integer.
pub(super) fn arg_u32(n: &DNode, i: usize) -> Option<u32> {
    n.arg(i).and_then(DVal::u32)
}

/// A flag node (`kubevirt`, `critical #true`): present, and its argument
/// (which defaults to `#true`) is true.
pub(super) fn flag_node(n: Option<&DNode>) -> bool {
    n.and_then(|c| c.arg(0)).and_then(DVal::bool).unwrap_or(false)
}

/// A word property, read through its enum's table.
pub(super) fn prop_word<W: Word>(n: &DNode, prop: &str) -> Option<W> {
    n.prop(prop).and_then(DVal::str).and_then(W::parse)
}

/// A word property with its span.
pub(super) fn spanned_word<W: Word>(n: &DNode, prop: &str) -> Option<Spanned<W>> {
    spanned(n, prop, |v| v.str().and_then(W::parse))
}

/// A word argument.
pub(super) fn arg_word<W: Word>(n: &DNode, i: usize) -> Option<W> {
    n.arg(i).and_then(DVal::str).and_then(W::parse)
}

/// The first argument of the child `child` of `parent` (`replicas 3`), or,
/// when the child is absent, the default the schema gives that argument,
/// at the parent's name.
pub(super) fn child_arg_u32(parent: &DNode, child: &str) -> Option<Spanned<u32>> {
    match parent.child(child) {
        Some(c) => {
            let v = c.arg(0)?;
            Some(Spanned::new(v.u32()?, v.span))
        }
        None => {
            let (_, node) = parent.schema.child(child)?;
            let default = node.args.first()?;
            let v = default_value(default.default?, &default.ty, parent.name_span)?;
            Some(Spanned::new(v.u32()?, v.span))
        }
    }
}

/// The property `prop` of the child `child` of `parent`
/// (`control-plane replicas=3`), or, when the child is absent, the default
/// the schema gives that property, at the parent's name.
pub(super) fn child_prop(parent: &DNode, child: &str, prop: &str) -> Option<DVal> {
    match parent.child(child) {
        Some(c) => c.prop(prop).cloned(),
        None => {
            let (_, node) = parent.schema.child(child)?;
            let p: &schema::PropSchema = node.prop(prop)?;
            default_value(p.default?, &p.ty, parent.name_span)
        }
    }
}

/// [`child_prop`] as a number.
pub(super) fn child_prop_u32(parent: &DNode, child: &str, prop: &str) -> Option<Spanned<u32>> {
    let v = child_prop(parent, child, prop)?;
    Some(Spanned::new(v.u32()?, v.span))
}

/// [`child_prop`] as a word.
pub(super) fn child_prop_word<W: Word>(parent: &DNode, child: &str, prop: &str) -> Option<W> {
    child_prop(parent, child, prop)?.str().and_then(W::parse)
}

/// A word the decoder guarantees (required, or defaulted by the schema):
/// missing only when the decoder reported an error, and then the topology
/// is discarded, so the placeholder is never read.
pub(super) fn reported<W: Word>(word: Option<W>) -> W {
    word.unwrap_or(W::PLACEHOLDER)
}
