//! Hover: on a reference or a declaration's name, what it is (kind, path,
//! file:line); on a node name or a property key, its entry of the language
//! reference (`hybrid_core::reference`, the text the book shows).

use crate::context::{self, At};
use crate::navigate::{decl_at, locate};
use crate::position::Lines;
use crate::program::{Analysis, Program};
use hybrid_core::reference;
use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind, Range};

/// The word around `offset`: its byte range.
pub fn word_at(text: &str, offset: usize) -> Option<(usize, usize)> {
    let before = text.get(..offset)?;
    let after = text.get(offset..)?;
    let start =
        before.char_indices().rev().take_while(|(_, c)| context::word_char(*c)).last().map_or(offset, |(i, _)| i);
    let end = offset + after.char_indices().find(|(_, c)| !context::word_char(*c)).map_or(after.len(), |(i, _)| i);
    (start < end).then_some((start, end))
}

fn markdown(value: String, range: Option<Range>) -> Hover {
    Hover { contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value }), range }
}

/// What a declaration is: `service \`web\` — declared at shop/web.hybrid:3`.
fn describe(program: &Program, index: usize) -> Option<String> {
    let names = &program.compilation.names;
    let d = names.decl(index)?;
    let sources = &program.compilation.sources;
    let at = sources.line_col(d.span.file, d.span.start as usize);
    Some(format!("{} `{}`\n\ndeclared at {}:{}", d.kind.word(), d.path(), sources.name(d.span.file), at.line))
}

pub fn hover(analysis: &Analysis, text: &str, p: HoverParams) -> Option<Hover> {
    let pos = p.text_document_position_params;
    let lines = Lines::new(text);
    let offset = lines.offset(pos.position);
    if let Some((program, id, _, analysed)) = locate(analysis, &pos.text_document.uri, pos.position) {
        if let Some((index, span)) = decl_at(program, id, analysed) {
            let range = lines.range(span.start as usize, span.end as usize);
            return describe(program, index).map(|v| markdown(v, Some(range)));
        }
    }
    let (start, end) = word_at(text, offset)?;
    let word = text.get(start..end)?;
    let range = Some(lines.range(start, end));
    let ctx = context::at(text, start);
    match ctx.at {
        At::NodeName { .. } => {
            let schema = context::schema_of(&ctx.path, word)?;
            Some(markdown(reference::node_reference(schema), range))
        }
        At::Entry { node, .. } if text.get(end..).is_some_and(|r| r.starts_with('=')) => {
            let schema = context::schema_of(&ctx.path, &node)?;
            let prop = schema.prop(word)?;
            Some(markdown(reference::property_reference(schema, prop), range))
        }
        _ => None,
    }
}
