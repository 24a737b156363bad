//! Renderers: human (miette's graphical report, colour only when asked),
//! short (`file:line:col: error[HY0002]: message`, one line each) and JSON
//! lines with exactly the fields of the language contract §5.

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceFile;
use crate::source::{SourceMap, Span};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceSpan, SpanContents,
};
use std::fmt;

/// How the human renderer draws.
#[derive(Clone, Copy, Debug)]
pub struct HumanOptions {
    pub color: bool,
    pub unicode: bool,
    pub width: usize,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions { color: false, unicode: true, width: 100 }
    }
}

/// One diagnostic as miette sees it: the labels of one file.
struct Report<'a> {
    code: Option<&'a str>,
    severity: miette::Severity,
    message: String,
    help: Option<&'a str>,
    source: Window<'a>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report<'a>>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.code.map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic)))
        }
    }
}

/// A file as miette reads it: only the lines around a span are handed
/// over, found by the file's line index, so a diagnostic near the end of a
/// large file costs no more than one near its start.
struct Window<'a> {
    file: Option<&'a SourceFile>,
}

impl miette::SourceCode for Window<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let Some(file) = self.file else { return Err(MietteError::OutOfBounds) };
        let text = file.text.as_str();
        let (start, end) = (span.offset(), span.offset() + span.len());
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first = file.line_index(start).saturating_sub(before);
        let last = file.line_index(end.saturating_sub(1).max(start)) + after;
        let from = file.line_start(first).unwrap_or(0);
        let to = file.line_start(last + 1).unwrap_or(text.len());
        let window = text.get(from..to).ok_or(MietteError::OutOfBounds)?;
        let inner = window.read_span(&SourceSpan::new((start - from).into(), span.len()), before, after)?;
        let data: &'b [u8] = inner.data();
        Ok(Box::new(MietteSpanContents::new_named(
            file.name.clone(),
            data,
            SourceSpan::new((inner.span().offset() + from).into(), inner.span().len()),
            inner.line() + first,
            inner.column(),
            // miette counts lines from the start of what it was given, and
            // merges snippets by that count: counted from the file's start
            // as before, the same labels share a snippet.
            inner.line_count() + first,
        )))
    }
}

fn source_of(map: &SourceMap, span: Span) -> Window<'_> {
    Window { file: map.get(span.file) }
}

fn labeled(span: Span, message: &str, primary: bool) -> LabeledSpan {
    let text = (!message.is_empty()).then(|| message.to_string());
    if primary {
        LabeledSpan::new_primary_with_span(text, (span.start as usize, span.len()))
    } else {
        LabeledSpan::new_with_span(text, (span.start as usize, span.len()))
    }
}

/// Renders one diagnostic for a person. Labels in another file than the
/// primary one are drawn below it, each with its own file header.
pub fn render_human(diag: &Diagnostic, map: &SourceMap, opts: HumanOptions) -> String {
    let primary = diag.span();
    let severity = match diag.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
    };
    let mut related = Vec::new();
    let mut labels = Vec::new();
    for l in &diag.labels {
        if l.span.file == primary.file {
            labels.push(labeled(l.span, &l.message, l.primary));
        } else {
            related.push(Report {
                code: None,
                severity: miette::Severity::Advice,
                message: format!("in {}", map.name(l.span.file)),
                help: None,
                source: source_of(map, l.span),
                labels: vec![labeled(l.span, &l.message, false)],
                related: Vec::new(),
            });
        }
    }
    let report = Report {
        code: Some(diag.code.id),
        severity,
        message: diag.message.clone(),
        help: diag.help.as_deref(),
        source: source_of(map, primary),
        labels,
        related,
    };
    let theme = match (opts.unicode, opts.color) {
        (true, true) => GraphicalTheme::unicode(),
        (true, false) => GraphicalTheme::unicode_nocolor(),
        (false, _) => GraphicalTheme::none(),
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(opts.width).with_links(false);
    let mut out = String::new();
    if handler.render_report(&mut out, &report).is_err() {
        // Rendering into a String cannot fail; fall back to the short form.
        out = render_short(diag, map);
    }
    out
}

/// `file:line:col: error[HY0002]: message` — one line.
pub fn render_short(diag: &Diagnostic, map: &SourceMap) -> String {
    let span = diag.span();
    let lc = map.line_col(span.file, span.start as usize);
    let mut s = format!("{}:{}: {}[{}]: {}", map.name(span.file), lc, diag.severity, diag.code.id, diag.message);
    if let Some(help) = &diag.help {
        s.push_str(" (help: ");
        s.push_str(help);
        s.push(')');
    }
    s
}

fn json_str(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// One JSON object on one line, with the fields of the language contract
/// §5 in this order: severity, code, message, file, line, column, labels,
/// help. Lines and columns are 1-based; `help` is `null` when there is none.
pub fn render_json_line(diag: &Diagnostic, map: &SourceMap) -> String {
    let span = diag.span();
    let lc = map.line_col(span.file, span.start as usize);
    let labels: Vec<String> = diag
        .labels
        .iter()
        .map(|l| {
            let a = map.line_col(l.span.file, l.span.start as usize);
            let b = map.line_col(l.span.file, l.span.end as usize);
            format!(
                "{{\"file\":{},\"line\":{},\"column\":{},\"end_line\":{},\"end_column\":{},\"message\":{},\"primary\":{}}}",
                json_str(map.name(l.span.file)),
                a.line,
                a.column,
                b.line,
                b.column,
                json_str(&l.message),
                l.primary
            )
        })
        .collect();
    format!(
        "{{\"severity\":{},\"code\":{},\"message\":{},\"file\":{},\"line\":{},\"column\":{},\"labels\":[{}],\"help\":{}}}",
        json_str(diag.severity.as_str()),
        json_str(diag.code.id),
        json_str(&diag.message),
        json_str(map.name(span.file)),
        lc.line,
        lc.column,
        labels.join(","),
        diag.help.as_deref().map(json_str).unwrap_or_else(|| "null".to_string())
    )
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The closing count line, like rustc's: `error: could not compile
/// `shop` due to 2 errors; 1 warning emitted`. `None` when there is
/// nothing to say.
pub fn summary_line(what: &str, errors: usize, warnings: usize) -> Option<String> {
    match (errors, warnings) {
        (0, 0) => None,
        (0, w) => Some(format!("warning: `{what}`: {} emitted", plural(w, "warning"))),
        (e, 0) => Some(format!("error: could not compile `{what}` due to {}", plural(e, "error"))),
        (e, w) => Some(format!(
            "error: could not compile `{what}` due to {}; {} emitted",
            plural(e, "error"),
            plural(w, "warning")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::UNKNOWN_NODE;
    use crate::source::FileId;

    fn sample() -> (Diagnostic, SourceMap) {
        let mut map = SourceMap::new();
        let f = map.add("shop.hybrid", "service a {\n  replcas 3\n}\n");
        let d =
            Diagnostic::new(&UNKNOWN_NODE, "unknown node `replcas` in `service`", Span::new(f, 14, 21), "unknown node")
                .with_help("did you mean `replicas`?");
        (d, map)
    }

    #[test]
    fn json_has_the_contract_fields_in_order() {
        let (d, map) = sample();
        let line = render_json_line(&d, &map);
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["code"], "HY0002");
        assert_eq!(v["line"], 2);
        assert_eq!(v["column"], 3);
        assert_eq!(v["labels"][0]["end_column"], 10);
        let keys: Vec<&str> = ["severity", "code", "message", "file", "line", "column", "labels", "help"].to_vec();
        let mut pos = 0;
        for k in keys {
            let at = line.find(&format!("\"{k}\":")).unwrap();
            assert!(at >= pos, "{k} out of order");
            pos = at;
        }
    }

    #[test]
    fn short_names_file_line_column() {
        let (d, map) = sample();
        assert_eq!(
            render_short(&d, &map),
            "shop.hybrid:2:3: error[HY0002]: unknown node `replcas` in `service` (help: did you mean `replicas`?)"
        );
    }

    #[test]
    fn human_shows_code_label_and_help() {
        let (d, map) = sample();
        let out = render_human(&d, &map, HumanOptions::default());
        assert!(out.contains("HY0002"), "{out}");
        assert!(out.contains("unknown node"), "{out}");
        assert!(out.contains("did you mean `replicas`?"), "{out}");
        assert!(out.contains("shop.hybrid:2:3"), "{out}");
        let _ = FileId(0);
    }

    #[test]
    fn summary_counts() {
        assert_eq!(summary_line("x", 0, 0), None);
        assert_eq!(summary_line("x", 2, 1).unwrap(), "error: could not compile `x` due to 2 errors; 1 warning emitted");
        assert_eq!(summary_line("x", 0, 1).unwrap(), "warning: `x`: 1 warning emitted");
    }
}
