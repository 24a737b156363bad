//! A compilation's diagnostics as LSP diagnostics, grouped by file: the
//! same codes, messages and spans as `hybridc check`, the help line
//! appended to the message, secondary labels as related information, and
//! each code linked to its entry in the book's error index.

use crate::position::Lines;
use crate::program::Program;
use hybrid_diagnostics::{Diagnostic, Severity, SourceMap, Span};
use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Range, Url,
};
use std::collections::BTreeMap;
use std::path::Path;

/// The error index of the book, where each code has a section.
const ERROR_INDEX: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/book/src/reference/errors.md");

/// The page of a code: `…/errors.md#hy0002-unknown-node`.
pub fn code_url(code: &hybrid_diagnostics::Code) -> String {
    format!("{ERROR_INDEX}#{}", code.anchor())
}

/// The URI of a compiled file; `None` for the embedded standard library.
pub fn file_url(sources: &SourceMap, span: Span) -> Option<Url> {
    let name = &sources.get(span.file)?.name;
    Url::from_file_path(Path::new(name)).ok()
}

/// A span as an LSP location. A span in the standard library is in a
/// read-only copy of its module (see [`std_copy`]), so that an editor can
/// show where a profile or GPU model is declared.
pub fn location(sources: &SourceMap, span: Span) -> Option<Location> {
    let file = sources.get(span.file)?;
    let uri = match Url::from_file_path(Path::new(&file.name)) {
        Ok(uri) => uri,
        Err(()) => Url::from_file_path(std_copy(&file.name)?).ok()?,
    };
    Some(Location::new(uri, Lines::of(file).range(span.start as usize, span.end as usize)))
}

/// A read-only copy of a standard module (`std/profiles`) in the system's
/// temporary folder, one folder per hybridc version; written once.
pub fn std_copy(module: &str) -> Option<std::path::PathBuf> {
    let (name, text) = hybrid_core::stdlib::MODULES.iter().find(|(n, _)| *n == module)?;
    let dir = std::env::temp_dir().join(format!("hybridc-{}-std", env!("CARGO_PKG_VERSION")));
    let path = dir.join(format!("{}.hybrid", name.strip_prefix("std/")?));
    if std::fs::read_to_string(&path).ok().as_deref() != Some(*text) {
        std::fs::create_dir_all(&dir).ok()?;
        let _ = std::fs::remove_file(&path);
        std::fs::write(&path, text).ok()?;
        let mut readonly = std::fs::metadata(&path).ok()?.permissions();
        readonly.set_readonly(true);
        std::fs::set_permissions(&path, readonly).ok()?;
    }
    Some(path)
}

fn range(sources: &SourceMap, span: Span) -> Range {
    match sources.get(span.file) {
        Some(file) => Lines::of(file).range(span.start as usize, span.end as usize),
        None => Range::default(),
    }
}

/// One diagnostic in LSP form.
pub fn convert(sources: &SourceMap, d: &Diagnostic) -> lsp_types::Diagnostic {
    let message = match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    };
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .filter(|l| !l.primary)
        .filter_map(|l| {
            Some(DiagnosticRelatedInformation { location: location(sources, l.span)?, message: l.message.to_string() })
        })
        .collect();
    lsp_types::Diagnostic {
        range: range(sources, d.span()),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.id.to_string())),
        code_description: Url::parse(&code_url(d.code)).ok().map(|href| CodeDescription { href }),
        source: Some("hybridc".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// The diagnostics of every file of a program (an empty list for a file
/// without any, so that fixed files are cleared), by URI.
pub fn by_file(program: &Program) -> BTreeMap<Url, Vec<lsp_types::Diagnostic>> {
    let sources = &program.compilation.sources;
    let mut out: BTreeMap<Url, Vec<lsp_types::Diagnostic>> = BTreeMap::new();
    for (id, _) in sources.files() {
        if let Some(uri) = file_url(sources, Span::new(id, 0, 0)) {
            out.entry(uri).or_default();
        }
    }
    for d in &program.compilation.diagnostics {
        if let Some(uri) = file_url(sources, d.span()) {
            out.entry(uri).or_default().push(convert(sources, d));
        }
    }
    out
}
