//! Go to definition, find references and rename, over the name table's
//! record of every resolved reference (`hybrid_core::names`): a position on
//! a reference or on a declaration's name means that declaration. An
//! `import` opens the file it names.

use crate::diagnostics::location;
use crate::position::Lines;
use crate::program::{Analysis, Program};
use hybrid_core::load::normalize;
use hybrid_core::names::Decl;
use hybrid_core::values::is_dns_label;
use hybrid_diagnostics::{FileId, SourceFile, Span};
use lsp_server::ErrorCode;
use lsp_types::{
    GotoDefinitionParams, GotoDefinitionResponse, Location, OneOf, OptionalVersionedTextDocumentIdentifier, Position,
    PrepareRenameResponse, Range, ReferenceParams, RenameParams, TextDocumentEdit, TextDocumentPositionParams,
    TextEdit, Url, WorkspaceEdit,
};
use std::collections::BTreeMap;
use std::path::Path;

pub type Failure = (ErrorCode, String);

/// The program, file and byte offset of a position.
pub fn locate<'a>(
    analysis: &'a Analysis,
    uri: &Url,
    pos: Position,
) -> Option<(&'a Program, FileId, &'a SourceFile, usize)> {
    let path = normalize(&uri.to_file_path().ok()?);
    let (program, id, file) = analysis.find(&path)?;
    Some((program, id, file, Lines::of(file).offset(pos)))
}

fn within(span: Span, file: FileId, offset: usize) -> bool {
    span.file == file && span.start as usize <= offset && offset <= span.end as usize
}

/// The index of the declaration a position means, and the span written
/// there (the reference or the declaration's name).
pub fn decl_at(program: &Program, file: FileId, offset: usize) -> Option<(usize, Span)> {
    let names = &program.compilation.names;
    let by_ref = names.references().iter().find(|(span, _)| within(*span, file, offset)).map(|(s, i)| (*i, *s));
    by_ref.or_else(|| names.iter().enumerate().find(|(_, d)| within(d.span, file, offset)).map(|(i, d)| (i, d.span)))
}

/// The file an `import` at `offset` names (not a standard module).
fn import_at(file: &SourceFile, id: FileId, offset: usize) -> Option<Location> {
    let (doc, _) = hybrid_syntax::parse(id, &file.text);
    let node = doc.nodes().filter(|n| n.name() == "import").find(|n| within(n.span(), id, offset))?;
    let hybrid_syntax::Value::String(target) = node.args().next()?.value() else { return None };
    if target.starts_with("std/") {
        let uri = Url::from_file_path(crate::diagnostics::std_copy(target)?).ok()?;
        return Some(Location::new(uri, Range::default()));
    }
    let dir = Path::new(&file.name).parent()?;
    let uri = Url::from_file_path(normalize(&dir.join(target))).ok()?;
    Some(Location::new(uri, Range::default()))
}

pub fn definition(analysis: &Analysis, p: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
    let TextDocumentPositionParams { text_document, position } = p.text_document_position_params;
    let (program, id, file, offset) = locate(analysis, &text_document.uri, position)?;
    if let Some(loc) = import_at(file, id, offset) {
        return Some(GotoDefinitionResponse::Scalar(loc));
    }
    let (decl, _) = decl_at(program, id, offset)?;
    let span = program.compilation.names.decl(decl)?.span;
    location(&program.compilation.sources, span).map(GotoDefinitionResponse::Scalar)
}

pub fn references(analysis: &Analysis, p: ReferenceParams) -> Option<Vec<Location>> {
    let TextDocumentPositionParams { text_document, position } = p.text_document_position;
    let (program, id, _, offset) = locate(analysis, &text_document.uri, position)?;
    let (decl, _) = decl_at(program, id, offset)?;
    let names = &program.compilation.names;
    let own = names.decl(decl).map(|d| d.span).filter(|_| p.context.include_declaration);
    let uses = names.references().iter().filter(|(_, i)| *i == decl).map(|(s, _)| *s);
    let sources = &program.compilation.sources;
    Some(own.into_iter().chain(uses).filter_map(|s| location(sources, s)).collect())
}

/// Which part of a written reference is the name being renamed.
#[derive(Clone, Copy)]
enum Part {
    Whole,
    /// `parent.name`: the part after the last dot.
    Last,
    /// `parent.name`: the part before the dot.
    First,
}

/// The byte range of `name` in the token at `span` (quotes left out).
fn name_range(file: &SourceFile, span: Span, part: Part, name: &str) -> Option<(usize, usize)> {
    let token = file.slice(span);
    let (open, close) = match (token.find('"'), token.rfind('"')) {
        (Some(a), Some(b)) if b > a => (a + 1, b),
        _ => (0, token.len()),
    };
    let inner = token.get(open..close)?;
    let (from, to) = match (part, inner.rfind('.')) {
        (Part::Last, Some(dot)) => (dot + 1, inner.len()),
        (Part::First, Some(dot)) => (0, inner.find('.').unwrap_or(dot)),
        (Part::First, None) => return None,
        _ => (0, inner.len()),
    };
    let start = span.start as usize + open;
    (inner.get(from..to)? == name).then_some((start + from, start + to))
}

fn invalid(message: String) -> Failure {
    (ErrorCode::RequestFailed, message)
}

/// The declaration at a position that can be renamed, with its name's range.
fn renamable<'a>(
    analysis: &'a Analysis,
    doc: &Url,
    pos: Position,
) -> Result<(&'a Program, usize, &'a Decl, Range), Failure> {
    let nothing = || invalid("nothing to rename here: place the cursor on a declaration's name or a reference".into());
    let (program, id, file, offset) = locate(analysis, doc, pos).ok_or_else(nothing)?;
    let (index, span) = decl_at(program, id, offset).ok_or_else(nothing)?;
    let decl = program.compilation.names.decl(index).ok_or_else(nothing)?;
    if crate::diagnostics::file_url(&program.compilation.sources, decl.span).is_none() {
        return Err(invalid(format!("`{}` is declared by the standard library, which cannot be renamed", decl.name)));
    }
    let part = if span == decl.span { Part::Whole } else { Part::Last };
    let (start, end) = name_range(file, span, part, &decl.name).ok_or_else(nothing)?;
    Ok((program, index, decl, Lines::of(file).range(start, end)))
}

pub fn prepare_rename(
    analysis: &Analysis,
    p: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>, Failure> {
    let (_, _, decl, range) = renamable(analysis, &p.text_document.uri, p.position)?;
    Ok(Some(PrepareRenameResponse::RangeWithPlaceholder { range, placeholder: decl.name.clone() }))
}

pub fn rename(analysis: &Analysis, p: RenameParams) -> Result<Option<WorkspaceEdit>, Failure> {
    let TextDocumentPositionParams { text_document, position } = p.text_document_position;
    let (program, index, decl, _) = renamable(analysis, &text_document.uri, position)?;
    let new = p.new_name;
    if !is_dns_label(&new) {
        return Err(invalid(format!(
            "`{new}` is not a valid name: lowercase letters, digits and `-`, starting with a letter (at most 63)"
        )));
    }
    let names = &program.compilation.names;
    if new != decl.name && names.taken(decl.kind, decl.parent.as_deref(), &new) {
        let scope = decl.parent.as_ref().map_or("the topology".to_string(), |p| format!("`{p}`"));
        return Err(invalid(format!("`{new}` is already declared in {scope}")));
    }
    let mut spans: Vec<(Span, Part)> = vec![(decl.span, Part::Whole)];
    spans.extend(names.references().iter().filter(|(_, i)| *i == index).map(|(s, _)| (*s, Part::Last)));
    // `name.child` written for a declaration inside this one.
    let inside = |i: &usize| names.decl(*i).is_some_and(|d| d.parent.as_deref() == Some(decl.name.as_str()));
    spans.extend(names.references().iter().filter(|(_, i)| inside(i)).map(|(s, _)| (*s, Part::First)));
    let sources = &program.compilation.sources;
    let mut edits: BTreeMap<Url, Vec<TextEdit>> = BTreeMap::new();
    for (span, part) in spans {
        let Some(file) = sources.get(span.file) else { continue };
        let Ok(uri) = Url::from_file_path(Path::new(&file.name)) else { continue };
        let Some((start, end)) = name_range(file, span, part, &decl.name) else { continue };
        let range = Lines::of(file).range(start, end);
        edits.entry(uri).or_default().push(TextEdit::new(range, new.clone()));
    }
    let changes = edits
        .into_iter()
        .map(|(uri, edits)| TextDocumentEdit {
            // The version analysed: an editor refuses the edit of a buffer
            // changed since.
            text_document: OptionalVersionedTextDocumentIdentifier { version: analysis.version(&uri), uri },
            edits: edits.into_iter().map(OneOf::Left).collect(),
        })
        .collect();
    Ok(Some(WorkspaceEdit { document_changes: Some(lsp_types::DocumentChanges::Edits(changes)), ..Default::default() }))
}
