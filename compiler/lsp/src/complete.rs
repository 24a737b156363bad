//! Completion from the schema and the name table: the node names valid at
//! the cursor, a node's property keys, the words of an enum after `key=`,
//! the declarations a reference accepts (dotted `parent.name` where a bare
//! name would not do), the standard modules in an `import`. Names come
//! from the latest analysis in which every file parsed (see
//! `worker::Shared::parsed`): typing a half line never empties the list.

use crate::context::{self, At};
use crate::program::Analysis;
use hybrid_core::load::normalize;
use hybrid_core::schema::{DeclKind, RefKind, Ty};
use hybrid_core::stdlib;
use lsp_types::{CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse};

fn item(label: String, kind: CompletionItemKind, detail: String) -> CompletionItem {
    CompletionItem { label, kind: Some(kind), detail: Some(detail), ..CompletionItem::default() }
}

pub fn complete(analysis: &Analysis, text: &str, p: CompletionParams) -> Option<CompletionResponse> {
    let pos = p.text_document_position;
    let offset = crate::position::Lines::new(text).offset(pos.position);
    let ctx = context::at(text, offset);
    let path = pos.text_document.uri.to_file_path().ok().map(|p| normalize(&p));
    let decls = |kind: RefKind| -> Vec<CompletionItem> {
        let Some(program) = path.as_ref().and_then(|p| analysis.find(p)).map(|(p, _, _)| p) else { return Vec::new() };
        references(&program.compilation.names, kind)
    };
    let items: Vec<CompletionItem> = match &ctx.at {
        At::NodeName { .. } => context::child_names(&ctx.path)
            .into_iter()
            .map(|n| item(n.to_string(), CompletionItemKind::KEYWORD, node_doc(&ctx.path, n)))
            .collect(),
        At::Entry { node, index, .. } => {
            let schema = context::schema_of(&ctx.path, node)?;
            let mut items = match schema.args.get(*index).or(schema.args.last().filter(|a| a.variadic)).map(|a| a.ty) {
                Some(Ty::Ref(kind)) => decls(kind),
                _ if node == "import" => stdlib::MODULES
                    .iter()
                    .map(|(m, _)| item((*m).to_string(), CompletionItemKind::MODULE, "standard library".into()))
                    .collect(),
                Some(ty) => values(ty),
                None => Vec::new(),
            };
            items.extend(schema.props.iter().map(|p| {
                let mut i = item(format!("{}=", p.name), CompletionItemKind::PROPERTY, p.ty.short());
                i.documentation = Some(lsp_types::Documentation::String(p.doc.to_string()));
                i
            }));
            items
        }
        At::Value { node, key, .. } => {
            let ty = context::schema_of(&ctx.path, node)?.prop(key)?.ty;
            match ty {
                Ty::Ref(kind) => decls(kind),
                ty => values(ty),
            }
        }
    };
    Some(CompletionResponse::Array(items))
}

fn node_doc(path: &[String], name: &str) -> String {
    context::schema_of(path, name).map(|s| s.doc.to_string()).unwrap_or_default()
}

/// The words a value of this type may be.
fn values(ty: Ty) -> Vec<CompletionItem> {
    match ty {
        Ty::Enum(words) => {
            words.iter().map(|w| item((*w).to_string(), CompletionItemKind::ENUM_MEMBER, ty.short())).collect()
        }
        Ty::Bool => ["#true", "#false"]
            .iter()
            .map(|w| item((*w).to_string(), CompletionItemKind::VALUE, "bool".into()))
            .collect(),
        _ => Vec::new(),
    }
}

/// The declarations a reference of this kind may name: bare names, and
/// `parent.name` for a node pool or a name declared in several places.
fn references(names: &hybrid_core::names::Names, kind: RefKind) -> Vec<CompletionItem> {
    let accepts = kind.accepts();
    let found: Vec<_> = names.iter().filter(|d| accepts.contains(&d.kind)).collect();
    let mut count: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for d in &found {
        *count.entry(d.name.as_str()).or_default() += 1;
    }
    let mut labels: Vec<(String, &'static str)> = found
        .iter()
        .map(|d| {
            let shared = count.get(d.name.as_str()).is_some_and(|n| *n > 1);
            let label = if shared || d.kind == DeclKind::Pool { d.path() } else { d.name.clone() };
            (label, d.kind.word())
        })
        .collect();
    labels.sort();
    labels.dedup();
    labels.into_iter().map(|(l, w)| item(l, CompletionItemKind::REFERENCE, w.to_string())).collect()
}
