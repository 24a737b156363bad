//! The outline (document symbols: every declaring node, nested as written),
//! formatting through `hybridc fmt`'s layout, and quick fixes: a
//! diagnostic's literal [`Fix`](hybrid_diagnostics::Fix) as a code action.

use crate::diagnostics::convert;
use crate::navigate::locate;
use crate::position::Lines;
use crate::program::Analysis;
use hybrid_diagnostics::FileId;
use hybrid_syntax::{Children, Value};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, DocumentSymbol, DocumentSymbolResponse,
    SymbolKind, TextEdit, WorkspaceEdit,
};

fn symbol_kind(node: &str) -> SymbolKind {
    match node {
        "site" => SymbolKind::NAMESPACE,
        "kubernetes" | "openstack" | "vsphere" => SymbolKind::MODULE,
        "service" | "vm" | "job" => SymbolKind::CLASS,
        "network" => SymbolKind::INTERFACE,
        "profile" => SymbolKind::STRUCT,
        _ => SymbolKind::OBJECT,
    }
}

/// The declaring nodes among `nodes` (with `path` their parents' names),
/// each with the declaring nodes inside it.
#[allow(deprecated)] // `deprecated` is a required field of the type.
fn outline(nodes: Children, path: &mut Vec<String>, lines: &Lines<'_>) -> Vec<DocumentSymbol> {
    let mut out = Vec::new();
    for n in nodes {
        let schema = crate::context::schema_of(path, n.name());
        path.push(n.name().to_string());
        let children = outline(n.children(), path, lines);
        path.pop();
        let name = match n.args().next().map(|a| a.value()) {
            Some(Value::String(s)) if schema.is_some_and(|s| s.declares.is_some()) => s,
            _ if !children.is_empty() => n.name(),
            _ => {
                continue;
            }
        };
        let selection = n.args().next().map_or(n.name_span(), |a| a.value_span());
        let span = n.span();
        out.push(DocumentSymbol {
            name: name.to_string(),
            detail: Some(n.name().to_string()),
            kind: symbol_kind(n.name()),
            tags: None,
            deprecated: None,
            range: lines.range(span.start as usize, span.end as usize),
            selection_range: lines.range(selection.start as usize, selection.end as usize),
            children: (!children.is_empty()).then_some(children),
        });
    }
    out
}

pub fn symbols(text: &str) -> Option<DocumentSymbolResponse> {
    let (doc, _) = hybrid_syntax::parse(FileId(0), text);
    Some(DocumentSymbolResponse::Nested(outline(doc.nodes(), &mut Vec::new(), &Lines::new(text))))
}

/// The whole text laid out by `hybridc fmt`; nothing when it cannot be.
pub fn format(text: &str) -> Option<Vec<TextEdit>> {
    let formatted = hybrid_syntax::format(text).ok()?;
    if formatted == text {
        return Some(Vec::new());
    }
    Some(vec![TextEdit::new(Lines::new(text).all(), formatted)])
}

pub fn code_actions(analysis: &Analysis, p: CodeActionParams) -> Option<Vec<CodeActionOrCommand>> {
    let uri = p.text_document.uri;
    let (program, id, file, start) = locate(analysis, &uri, p.range.start)?;
    let lines = Lines::of(file);
    let end = lines.offset(p.range.end);
    let sources = &program.compilation.sources;
    let mut actions = Vec::new();
    for d in program.compilation.diagnostics.iter().filter(|d| d.span().file == id) {
        let Some(fix) = &d.fix else { continue };
        let s = d.span();
        if (s.end as usize) < start || s.start as usize > end {
            continue;
        }
        let written = file.slice(fix.span);
        let quoted = written.len() >= 2 && written.starts_with('"') && written.ends_with('"');
        let new_text = if quoted { format!("\"{}\"", fix.replacement) } else { fix.replacement.clone() };
        let edit = TextEdit::new(lines.range(fix.span.start as usize, fix.span.end as usize), new_text);
        let changes = std::iter::once((uri.clone(), vec![edit])).collect();
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: format!("replace with `{}` ({})", fix.replacement, d.code.id),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![convert(sources, d)]),
            edit: Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }),
            is_preferred: Some(true),
            ..CodeAction::default()
        }));
    }
    Some(actions)
}
