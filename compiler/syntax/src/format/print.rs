//! The printer: writes the laid-out items back as text, two spaces per
//! level, one space between the parts of a node, `{` on the node's line and
//! `}` alone at its indentation, comments with their trailing whitespace
//! trimmed, one newline after each line.

use super::layout::{FNode, Item, Part};
use crate::parser::is_ws;

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

/// A comment without trailing whitespace on any of its lines.
fn push_comment(out: &mut String, comment: &str) {
    let trim = |l: &str| l.trim_end_matches(|c| is_ws(c) || c == '\r').to_string();
    let lines: Vec<String> = comment.split('\n').map(trim).collect();
    out.push_str(&lines.join("\n"));
}

pub(super) fn print_items(items: &[Item<'_>], level: usize, out: &mut String) {
    for item in items {
        match item {
            Item::Blank => out.push('\n'),
            Item::Comments(comments) => {
                indent(out, level);
                for (i, c) in comments.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    push_comment(out, c);
                }
                out.push('\n');
            }
            Item::Node(node) => print_node(node, level, out),
        }
    }
}

fn print_node(node: &FNode<'_>, level: usize, out: &mut String) {
    indent(out, level);
    let mut line_start = true;
    for part in &node.parts {
        if !line_start {
            out.push(' ');
        }
        line_start = false;
        match part {
            Part::Text(t) if t.starts_with("/*") => push_comment(out, t),
            Part::Text(t) => out.push_str(t),
            Part::Continue(comments) => {
                out.push('\\');
                for c in comments {
                    out.push(' ');
                    push_comment(out, c);
                }
                out.push('\n');
                indent(out, level + 1);
                line_start = true;
            }
            Part::LineBreak(c) => {
                push_comment(out, c);
                out.push('\n');
                indent(out, level + 1);
                line_start = true;
            }
            Part::Block { prefix, open, items } => {
                out.push_str(prefix);
                out.push('{');
                for c in open {
                    out.push(' ');
                    push_comment(out, c);
                }
                if !items.is_empty() || !open.is_empty() {
                    out.push('\n');
                    print_items(items, level + 1, out);
                    indent(out, level);
                }
                out.push('}');
            }
        }
    }
    // The comments of a continuation that continues nothing join those
    // after the node: one written after a line comment starts a line of its
    // own, as the line comment would swallow it (and a line break inside
    // it, U+2028 or a lone CR, would then end that line comment).
    let mut after_line_comment = false;
    for c in &node.trailing {
        if after_line_comment {
            out.push('\n');
            indent(out, level);
        } else {
            out.push(' ');
        }
        push_comment(out, c);
        after_line_comment = c.starts_with("//");
    }
    out.push('\n');
}
