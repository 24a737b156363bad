//! `override` nodes, wherever they are written (at the top level, in a
//! workload or profile, in a cluster), become [`Topology::overrides`] in
//! program order. Where one is written is for the reader: the object is
//! addressed by its target, kind and name alone. A path that does not parse
//! is HY0040 here; whether the object and the path exist is known only
//! once the targets have emitted (`emit::overrides`).

use super::read::{arg_word, spanned_string};
use crate::decode::{DNode, V};
use crate::diags;
use hybrid_diagnostics::Diagnostic;
use hybrid_model::{overrides, Edit, EditOp, Override, Scalar, Spanned};

/// Every override below `nodes` (the nodes themselves included).
pub(super) fn collect<'a>(
    nodes: impl IntoIterator<Item = &'a DNode>,
    out: &mut Vec<Override>,
    diags: &mut Vec<Diagnostic>,
) {
    for n in nodes {
        if n.schema.key == "override" {
            if let Some(o) = read(n, diags) {
                out.push(o);
            }
        } else {
            collect(&n.children, out, diags);
        }
    }
}

fn read(n: &DNode, diags: &mut Vec<Diagnostic>) -> Option<Override> {
    let target = Spanned::new(arg_word(n, 0)?, n.args.first()?.span);
    let namespace = n.prop("namespace").and_then(|v| Some(Spanned::new(v.str()?.to_string(), v.span)));
    let edits = n.children.iter().filter_map(|c| edit(c, diags)).collect();
    Some(Override { target, kind: spanned_string(n, "kind"), name: spanned_string(n, "name"), namespace, edits })
}

fn edit(c: &DNode, diags: &mut Vec<Diagnostic>) -> Option<Edit> {
    let op = match c.schema.key {
        "override.set" => EditOp::Set,
        _ => EditOp::Remove,
    };
    let path = c.arg(0)?;
    let text = path.str()?;
    let segments = match overrides::parse_path(text) {
        Ok(s) => s,
        Err(why) => {
            diags.push(diags::override_path_invalid(text, &why, path.span));
            return None;
        }
    };
    let value = match op {
        EditOp::Set => {
            let v = c.arg(1)?;
            Some(Spanned::new(scalar(&v.v)?, v.span))
        }
        EditOp::Remove => None,
    };
    Some(Edit { op, path: Spanned::new(text.to_string(), path.span), segments, value })
}

fn scalar(v: &V) -> Option<Scalar> {
    Some(match v {
        V::Null => Scalar::Null,
        V::Bool(b) => Scalar::Bool(*b),
        V::Int(i) => Scalar::Int(*i),
        V::Float(f) => Scalar::Float(*f),
        V::Str(s) => Scalar::Str(s.to_string()),
        _ => return None,
    })
}
