//! Acknowledged warnings: `acknowledge CODE… reason="…"` read from the
//! decoded declarations (`collect`), and applied to a program's diagnostics
//! (`apply`): a warning whose primary span lies inside the declaration
//! holding the acknowledgement (anywhere, for one inside `topology`) is
//! moved aside with its reason, counted instead of printed; an
//! acknowledgement that matches no warning is itself a warning (HY0047).

use crate::decode::DNode;
use crate::diags;
use crate::schema::DeclKind;
use hybrid_diagnostics::{Code, Diagnostic, Severity, Span};
use hybrid_model::Acknowledgement;

/// The node's key in the schema.
const KEY: &str = "acknowledge";

/// A warning the program acknowledges, with the reason written beside it.
#[derive(Debug, Clone)]
pub struct Acknowledged {
    pub diagnostic: Diagnostic,
    pub reason: String,
}

/// Every `acknowledge` under the given declarations, in program order; a
/// code that is unknown or an error is reported and left out.
pub fn collect<'a>(decls: impl Iterator<Item = &'a DNode>, diags: &mut Vec<Diagnostic>) -> Vec<Acknowledgement> {
    let mut out = Vec::new();
    for d in decls {
        walk(d, &mut out, diags);
    }
    out
}

fn walk(parent: &DNode, out: &mut Vec<Acknowledgement>, diags: &mut Vec<Diagnostic>) {
    for child in &parent.children {
        if child.schema.key == KEY {
            out.push(read(child, parent, diags));
        } else {
            walk(child, out, diags);
        }
    }
}

fn read(node: &DNode, parent: &DNode, diags: &mut Vec<Diagnostic>) -> Acknowledgement {
    let mut codes = Vec::new();
    for a in &node.args {
        let Some(written) = a.str() else { continue };
        match Code::find(written) {
            None => diags.push(diags::unknown_acknowledged_code(written, a.span)),
            Some(c) if c.severity == Severity::Error => diags.push(diags::acknowledged_error(written, c, a.span)),
            Some(c) => codes.push((c.id.to_string(), a.span)),
        }
    }
    let reason = node.prop("reason").and_then(|v| v.str()).unwrap_or_default().to_string();
    let scope = (parent.schema.declares != Some(DeclKind::Topology)).then_some(parent.span);
    Acknowledgement { codes, reason, scope, span: node.name_span }
}

fn contains(scope: Span, inner: Span) -> bool {
    scope.file == inner.file && scope.start <= inner.start && inner.end <= scope.end
}

/// Moves every acknowledged warning out of `diagnostics` and returns them.
/// With `checked` (the rules ran: no error stopped them), each code of an
/// acknowledgement that matched no warning gets HY0047.
pub fn apply(acks: &[Acknowledgement], diagnostics: &mut Vec<Diagnostic>, checked: bool) -> Vec<Acknowledged> {
    if acks.is_empty() {
        return Vec::new();
    }
    let mut used: Vec<Vec<bool>> = acks.iter().map(|a| vec![false; a.codes.len()]).collect();
    let mut acknowledged = Vec::new();
    let mut kept = Vec::new();
    for d in diagnostics.drain(..) {
        match matching(acks, &mut used, &d) {
            Some(reason) => acknowledged.push(Acknowledged { diagnostic: d, reason }),
            None => kept.push(d),
        }
    }
    if checked {
        for (a, used) in acks.iter().zip(&used) {
            for ((code, span), _) in a.codes.iter().zip(used).filter(|(_, u)| !**u) {
                kept.push(diags::unused_acknowledgement(code, *span, a.scope.is_none()));
            }
        }
    }
    *diagnostics = kept;
    acknowledged
}

/// The reason of the narrowest acknowledgement of a warning, marking every
/// code that matches it as used.
fn matching(acks: &[Acknowledgement], used: &mut [Vec<bool>], d: &Diagnostic) -> Option<String> {
    if d.severity != Severity::Warning {
        return None;
    }
    let span = d.span();
    let mut best: Option<(u32, &str)> = None;
    for (a, used) in acks.iter().zip(used.iter_mut()) {
        if !a.scope.is_none_or(|s| contains(s, span)) {
            continue;
        }
        for (_, u) in a.codes.iter().zip(used.iter_mut()).filter(|((c, _), _)| c.as_str() == d.code.id) {
            *u = true;
            let width = a.scope.map_or(u32::MAX, |s| s.end.saturating_sub(s.start));
            if best.is_none_or(|(w, _)| width < w) {
                best = Some((width, &a.reason));
            }
        }
    }
    best.map(|(_, r)| r.to_string())
}
