//! Overrides of Terraform files (`override terraform kind=TYPE name=NAME`):
//! the `resource "TYPE" "NAME"` blocks of the OpenStack and vSphere files,
//! edited as the blocks the targets built. A path steps through a body's
//! attribute or nested blocks by name (`network.name`, the first `network`
//! block; `network[1]` or `network[name=web]` to choose one), then into a
//! map or list expression by key or position.

use super::{json_text, Finding, Seen};
use crate::hcl::{self, Block, Expr, Item};
use crate::OutputTree;
use hybrid_model::{overrides::path_text, EditOp, Override, OverrideTarget, Scalar, Segment};

/// Where a step failed: its index in the path and what was there instead.
type Miss = (usize, Vec<String>);

/// Applies the Terraform overrides to the tree's Terraform files.
pub(super) fn apply(tree: &mut OutputTree, overrides: &[Override], seen: &mut Seen, findings: &mut Vec<Finding>) {
    let mut rewritten = Vec::new();
    for (path, (header, blocks)) in tree.hcl_files_mut() {
        let mut changed = false;
        for (i, o) in overrides.iter().enumerate().filter(|(_, o)| o.target.value == OverrideTarget::Terraform) {
            let resources = blocks.iter_mut().filter(|b| b.kind == "resource");
            for b in resources.filter(|b| b.labels.first() == Some(&o.kind.value)) {
                let name = b.labels.get(1).cloned().unwrap_or_default();
                if name != o.name.value {
                    if let Some(k) = seen.known.get_mut(i) {
                        k.push(name);
                    }
                    continue;
                }
                if let Some(m) = seen.matched.get_mut(i) {
                    *m = true;
                }
                changed = true;
                edit_block(b, i, o, findings);
            }
        }
        if changed {
            rewritten.push((path.clone(), format!("{header}{}", hcl::file(blocks))));
        }
    }
    for (path, text) in rewritten {
        tree.replace(&path, text);
    }
}

fn edit_block(b: &mut Block, over: usize, o: &Override, findings: &mut Vec<Finding>) {
    for (edit, e) in o.edits.iter().enumerate() {
        let new = e.value.as_ref().map(|v| expr(&v.value));
        match in_body(&mut b.body, &e.segments, 0, e.op, new.clone()) {
            Ok(Some(old)) if Some(&old) != new.as_ref().map(hcl::expr).as_ref() => {
                let new = new.map(|n| json_text(&hcl::expr(&n)));
                findings.push(Finding::Replaced { over, edit, old: json_text(&old), new });
            }
            Ok(_) => {}
            Err((at, have)) => {
                let found = path_text(e.segments.get(..at).unwrap_or_default());
                let missing = e.segments.get(at).map(ToString::to_string).unwrap_or_default();
                findings.push(Finding::PathNotFound { over, edit, found, missing, have });
            }
        }
    }
}

/// What a body holds: its attributes and the kinds of its blocks.
fn names(body: &[Item]) -> Vec<String> {
    let mut out: Vec<String> = body
        .iter()
        .filter_map(|i| match i {
            Item::Attr(k, _) => Some(k.clone()),
            Item::Block(b) => Some(b.kind.clone()),
            Item::Blank => None,
        })
        .collect();
    out.dedup();
    out
}

fn attr<'a>(body: &'a mut [Item], key: &str) -> Option<&'a mut Expr> {
    body.iter_mut().find_map(|i| match i {
        Item::Attr(k, v) if k == key => Some(v),
        _ => None,
    })
}

/// The positions in `body` of the blocks of kind `kind`.
fn blocks_of(body: &[Item], kind: &str) -> Vec<usize> {
    (0..body.len()).filter(|i| matches!(body.get(*i), Some(Item::Block(b)) if b.kind == kind)).collect()
}

/// Sets or removes `path` below a body; `Ok` with the old value's text.
fn in_body(
    body: &mut Vec<Item>,
    path: &[Segment],
    depth: usize,
    op: EditOp,
    new: Option<Expr>,
) -> Result<Option<String>, Miss> {
    let miss = |body: &[Item]| (depth, names(body));
    let Some((Segment::Key(k), rest)) = path.split_first() else { return Err(miss(body)) };
    if attr(body, k).is_some() {
        return match (rest, attr(body, k)) {
            ([], _) => last_attr(body, k, op, new),
            (_, Some(v)) => in_expr(v, rest, depth + 1, op, new),
            (_, None) => Err(miss(body)),
        };
    }
    let blocks = blocks_of(body, k);
    let Some(first) = blocks.first().copied() else {
        return match (rest, op, new) {
            ([], EditOp::Set, Some(n)) => {
                let at = body.iter().rposition(|i| matches!(i, Item::Attr(..))).map_or(0, |p| p + 1);
                body.insert(at, Item::Attr(k.clone(), n));
                Ok(None)
            }
            _ => Err(miss(body)),
        };
    };
    let (chosen, rest, depth) = match rest.split_first() {
        Some((Segment::Index(i), tail)) => (blocks.get(*i).copied(), tail, depth + 2),
        Some((Segment::Match { key, value }, tail)) => {
            (blocks.iter().copied().find(|p| block_matches(body.get(*p), key, value)), tail, depth + 2)
        }
        _ => (Some(first), rest, depth + 1),
    };
    let Some(at) = chosen else { return Err((depth - 1, (0..blocks.len()).map(|i| format!("[{i}]")).collect())) };
    match (rest, op) {
        ([], EditOp::Remove) => {
            body.remove(at);
            Ok(Some(format!("{k} {{ … }}")))
        }
        ([], EditOp::Set) => Err((depth - 1, vec![format!("{k}.FIELD")])),
        _ => match body.get_mut(at) {
            Some(Item::Block(b)) => in_body(&mut b.body, rest, depth, op, new),
            _ => Err(miss(body)),
        },
    }
}

fn block_matches(item: Option<&Item>, key: &str, value: &str) -> bool {
    let Some(Item::Block(b)) = item else { return false };
    b.body.iter().any(|i| match i {
        Item::Attr(k, Expr::Str(v) | Expr::Raw(v)) => k == key && v == value,
        _ => false,
    })
}

/// Sets or removes the attribute `k` of a body, which holds it.
fn last_attr(body: &mut Vec<Item>, k: &str, op: EditOp, new: Option<Expr>) -> Result<Option<String>, Miss> {
    let at = body.iter().position(|i| matches!(i, Item::Attr(key, _) if key == k));
    let Some(at) = at else { return Ok(None) };
    let old = match body.get(at) {
        Some(Item::Attr(_, v)) => hcl::expr(v),
        _ => return Ok(None),
    };
    match (op, new) {
        (EditOp::Set, Some(n)) => {
            if let Some(Item::Attr(_, v)) = body.get_mut(at) {
                *v = n;
            }
        }
        _ => {
            body.remove(at);
        }
    }
    Ok(Some(old))
}

/// Sets or removes `path` inside a map or list expression.
fn in_expr(
    e: &mut Expr,
    path: &[Segment],
    depth: usize,
    op: EditOp,
    new: Option<Expr>,
) -> Result<Option<String>, Miss> {
    let have = |e: &Expr| match e {
        Expr::Map(m) => m.iter().map(|(k, _)| Segment::Key(k.clone()).to_string()).collect(),
        Expr::List(l) => (0..l.len()).map(|i| format!("[{i}]")).collect(),
        _ => Vec::new(),
    };
    let miss = have(e);
    let Some((seg, rest)) = path.split_first() else { return Err((depth, miss)) };
    match (e, seg) {
        (Expr::Map(m), Segment::Key(k)) => {
            let at = m.iter().position(|(key, _)| key == k);
            match (at, rest, op, new) {
                (Some(at), [], EditOp::Set, Some(n)) => {
                    Ok(m.get_mut(at).map(|(_, v)| hcl::expr(&std::mem::replace(v, n))))
                }
                (Some(at), [], _, _) => Ok(Some(hcl::expr(&m.remove(at).1))),
                (None, [], EditOp::Set, Some(n)) => {
                    m.push((k.clone(), n));
                    Ok(None)
                }
                (Some(at), _, op, new) => match m.get_mut(at) {
                    Some((_, v)) => in_expr(v, rest, depth + 1, op, new),
                    None => Err((depth, miss)),
                },
                _ => Err((depth, miss)),
            }
        }
        (Expr::List(l), Segment::Index(i)) if *i < l.len() => match (rest, op, new) {
            ([], EditOp::Set, Some(n)) => Ok(l.get_mut(*i).map(|v| hcl::expr(&std::mem::replace(v, n)))),
            ([], _, _) => Ok(Some(hcl::expr(&l.remove(*i)))),
            (_, op, new) => match l.get_mut(*i) {
                Some(v) => in_expr(v, rest, depth + 1, op, new),
                None => Err((depth, miss)),
            },
        },
        _ => Err((depth, miss)),
    }
}

fn expr(s: &Scalar) -> Expr {
    match s {
        Scalar::Null => Expr::Raw("null".to_string()),
        Scalar::Bool(b) => Expr::Bool(*b),
        Scalar::Int(i) => Expr::Int(*i),
        Scalar::Float(f) => Expr::Num(*f),
        Scalar::Str(s) => Expr::Str(s.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hybrid_model::overrides::parse_path;

    fn body() -> Vec<Item> {
        Block::new("resource", &["t", "n"])
            .attr("name", Expr::Str("n".into()))
            .attr("tags", Expr::List(vec![Expr::Str("a".into())]))
            .block(Block::new("network", &[]).attr("name", Expr::Str("web".into())))
            .block(Block::new("network", &[]).attr("name", Expr::Str("db".into())))
            .body
    }

    fn run(b: &mut Vec<Item>, path: &str, op: EditOp, new: Option<Expr>) -> Result<Option<String>, Miss> {
        in_body(b, &parse_path(path).unwrap(), 0, op, new)
    }

    #[test]
    fn paths_reach_arguments_nested_blocks_and_list_items() {
        let mut b = body();
        assert_eq!(run(&mut b, "network[name=db].name", EditOp::Set, Some(Expr::Int(1))), Ok(Some("\"db\"".into())));
        assert_eq!(run(&mut b, "network.fixed_ip", EditOp::Set, Some(Expr::Bool(true))), Ok(None));
        assert_eq!(run(&mut b, "tags[0]", EditOp::Remove, None), Ok(Some("\"a\"".into())));
        assert_eq!(run(&mut b, "network[0]", EditOp::Remove, None), Ok(Some("network { … }".into())));
        let text = hcl::file(&[Block { kind: "resource".into(), labels: vec![], body: b.clone() }]);
        assert!(text.contains("tags = []\n  network {\n    name = 1\n  }\n"), "{text}");
        assert_eq!(run(&mut b, "network[3].name", EditOp::Set, Some(Expr::Int(1))), Err((1, vec!["[0]".into()])));
        assert_eq!(
            run(&mut b, "nope.x", EditOp::Set, Some(Expr::Int(1))),
            Err((0, vec!["name".into(), "tags".into(), "network".into()]))
        );
    }
}
