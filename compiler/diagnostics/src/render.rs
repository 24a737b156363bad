//! Renderers: human (miette's graphical report, colour only when asked),
//! short (`file:line:col: error[HY0002]: message`, one line each) and JSON
//! lines with exactly the fields of the language contract §5.

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{SourceFile, SourceMap};
use hybrid_span::Span;
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

/// Lines of context miette shows around a label (it is told so too).
const CONTEXT_LINES: usize = 1;
/// A line of more characters than this is shown as windows around the
/// labels on it: miette draws every character of a line it is given, and
/// panics past column 65,535.
const LONG_LINE: usize = 240;
/// Characters kept on each side of a label's start and end in a long line.
const AROUND: usize = 60;
/// Characters kept from the start of a long line that holds no label.
const HEAD: usize = 120;

/// What miette reads of one file: the lines of the snippets it will draw,
/// each long line cut down to windows around its labels with a marker at
/// every cut. Found through the file's line index and built only from the
/// lines shown, so a diagnostic at the end of a large file, or at the end
/// of a megabyte-long line, costs no more than one at its start.
///
/// Miette reads offsets in this text, not in the file: [`Window::span`]
/// translates a label. Lines are numbered as in the file, and a header's
/// column is counted in the file, in characters (as the short and JSON
/// forms count it).
struct Window<'a> {
    file: Option<&'a SourceFile>,
    snippets: Vec<Snippet>,
}

/// Consecutive lines of the file shown in one snippet.
struct Snippet {
    /// The 0-based file lines shown, `first..=last`.
    first: usize,
    last: usize,
    /// Where `text` starts in the window's offsets.
    base: usize,
    /// The lines, long ones cut, each with its line break.
    text: String,
    /// Where each line starts in `text`.
    starts: Vec<usize>,
    /// The file's bytes kept, in order; the markers lie between them.
    pieces: Vec<Piece>,
}

/// The file's bytes `from..to` are `text[at..at + (to - from)]`.
#[derive(Clone, Copy)]
struct Piece {
    from: usize,
    to: usize,
    at: usize,
}

/// The last char boundary of `text` at or before `i` (clamped to the text).
fn floor_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The first char boundary of `text` at or after `i` (clamped to the text).
fn ceil_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

impl<'a> Window<'a> {
    /// The window of `file` for labels at `spans` (byte ranges in it);
    /// `marker` stands for each cut.
    fn new(file: Option<&'a SourceFile>, spans: &[Span], marker: &str) -> Window<'a> {
        let Some(f) = file else { return Window { file, snippets: Vec::new() } };
        let text = &*f.text;
        let mut ranges: Vec<(usize, usize)> = spans
            .iter()
            .map(|s| {
                let start = floor_boundary(text, s.start as usize);
                (start, ceil_boundary(text, s.end as usize).max(start))
            })
            .collect();
        ranges.sort_unstable();
        let anchors = {
            let mut a: Vec<usize> = ranges.iter().flat_map(|&(s, e)| [s, e]).collect();
            a.sort_unstable();
            a.dedup();
            a
        };
        let last_line = f.line_index(text.len());
        // Labels share a snippet as miette would group them reading the
        // whole file: while the next label's first context line is at most
        // the first context line plus the last label line plus the context
        // and one (miette adds the line it starts at to the number of lines
        // it has read, counted from the file's start).
        let mut groups: Vec<(usize, usize)> = Vec::new();
        for &(s, e) in &ranges {
            let first = f.line_index(s).saturating_sub(CONTEXT_LINES);
            let end = f.line_index(e.saturating_sub(1).max(s));
            match groups.last_mut() {
                Some((gfirst, gend)) if first <= *gfirst + *gend + CONTEXT_LINES + 1 => *gend = (*gend).max(end),
                _ => groups.push((first, end)),
            }
        }
        let mut snippets = Vec::with_capacity(groups.len());
        let mut base = 0;
        for (first, end) in groups {
            let last = (end + CONTEXT_LINES).min(last_line);
            let snippet = Snippet::new(f, first, last, base, &anchors, marker);
            base += snippet.text.len();
            snippets.push(snippet);
        }
        Window { file, snippets }
    }

    /// A file span as miette reads it in this window.
    fn span(&self, span: Span) -> SourceSpan {
        let Some(f) = self.file else { return SourceSpan::new(0.into(), 0) };
        let text = &*f.text;
        let start = floor_boundary(text, span.start as usize);
        let end = ceil_boundary(text, span.end as usize).max(start);
        let line = f.line_index(start);
        let at = self.snippets.partition_point(|s| s.first <= line).saturating_sub(1);
        match self.snippets.get(at) {
            Some(s) => {
                let (a, b) = (s.offset(start), s.offset(end));
                SourceSpan::new((s.base + a).into(), b.saturating_sub(a))
            }
            None => SourceSpan::new(0.into(), 0),
        }
    }
}

impl Snippet {
    fn new(f: &SourceFile, first: usize, last: usize, base: usize, anchors: &[usize], marker: &str) -> Snippet {
        let text = &*f.text;
        let mut s = Snippet { first, last, base, text: String::new(), starts: Vec::new(), pieces: Vec::new() };
        for line in first..=last {
            let from = f.line_start(line).unwrap_or(text.len());
            let next = f.line_start(line + 1).unwrap_or(text.len());
            let whole = text.get(from..next).unwrap_or("");
            let content = whole.strip_suffix('\n').map(|c| c.strip_suffix('\r').unwrap_or(c)).unwrap_or(whole);
            let end = from + content.len();
            s.starts.push(s.text.len());
            if content.len() <= LONG_LINE || content.chars().nth(LONG_LINE).is_none() {
                s.keep(text, from, next);
                continue;
            }
            // Windows around the labels' ends on this line, merged.
            let mut windows: Vec<(usize, usize)> = Vec::new();
            let on_line = anchors.partition_point(|&a| a < from)..anchors.partition_point(|&a| a <= end);
            for &a in anchors.get(on_line).unwrap_or(&[]) {
                let before = text.get(from..a).unwrap_or("");
                let lo = before.char_indices().rev().nth(AROUND - 1).map_or(from, |(i, _)| from + i);
                let after = text.get(a..end).unwrap_or("");
                let hi = after.char_indices().nth(AROUND).map_or(end, |(i, _)| a + i);
                match windows.last_mut() {
                    Some((_, whi)) if lo <= *whi => *whi = (*whi).max(hi),
                    _ => windows.push((lo, hi)),
                }
            }
            if windows.is_empty() {
                let hi = content.char_indices().nth(HEAD).map_or(end, |(i, _)| from + i);
                windows.push((from, hi));
            }
            let mut at = from;
            for (lo, hi) in windows {
                if lo > at {
                    s.text.push_str(marker);
                }
                s.keep(text, lo, hi);
                at = hi;
            }
            if at < end {
                s.text.push_str(marker);
            }
            s.keep(text, end, next);
        }
        s
    }

    /// Appends the file's bytes `from..to`.
    fn keep(&mut self, text: &str, from: usize, to: usize) {
        self.pieces.push(Piece { from, to, at: self.text.len() });
        self.text.push_str(text.get(from..to).unwrap_or(""));
    }

    /// Where file offset `o` is in `text`; an offset that was cut away is
    /// at the marker.
    fn offset(&self, o: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.from <= o).saturating_sub(1);
        match self.pieces.get(i) {
            Some(p) => p.at + o.clamp(p.from, p.to) - p.from,
            None => 0,
        }
    }

    /// The file offset at `text` offset `t` (a marker is where its cut starts).
    fn file_offset(&self, t: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.at <= t).saturating_sub(1);
        match self.pieces.get(i) {
            Some(p) => p.from + (t - p.at).min(p.to - p.from),
            None => 0,
        }
    }

    /// The index in `starts` of the line holding `text` offset `t`.
    fn line_of(&self, t: usize) -> usize {
        self.starts.partition_point(|&s| s <= t).saturating_sub(1)
    }
}

impl miette::SourceCode for Window<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let Some(file) = self.file else { return Err(MietteError::OutOfBounds) };
        let (start, end) = (span.offset(), span.offset() + span.len());
        let s = self
            .snippets
            .iter()
            .find(|s| s.base <= start && end <= s.base + s.text.len())
            .ok_or(MietteError::OutOfBounds)?;
        let (start, end) = (start - s.base, end - s.base);
        let line = s.line_of(start);
        let from = line.saturating_sub(before);
        let to = s.line_of(end.saturating_sub(1).max(start)) + after;
        let a = s.starts.get(from).copied().unwrap_or(0);
        let b = s.starts.get(to + 1).copied().unwrap_or(s.text.len());
        let data = s.text.get(a..b).ok_or(MietteError::OutOfBounds)?;
        // The column of a header: the span's own, counted in the file.
        let column = if before == 0 { file.line_col(s.file_offset(start)).column - 1 } else { 0 };
        Ok(Box::new(MietteSpanContents::new_named(
            file.name.clone(),
            data.as_bytes(),
            SourceSpan::new((s.base + a).into(), data.len()),
            s.first + from,
            column,
            // Miette merges two labels into one snippet when the first's
            // line plus its line count reaches the second's line: counted
            // to the snippet's last line, the labels of one snippet merge
            // and those of two never do.
            s.last - (s.first + from).min(s.last),
        )))
    }
}

fn labeled(window: &Window<'_>, span: Span, message: &str, primary: bool) -> LabeledSpan {
    let text = (!message.is_empty()).then(|| message.to_string());
    let span = window.span(span);
    if primary {
        LabeledSpan::new_primary_with_span(text, span)
    } else {
        LabeledSpan::new_with_span(text, span)
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
    let marker = if opts.unicode { "…" } else { "..." };
    let here: Vec<Span> = diag.labels.iter().map(|l| l.span).filter(|s| s.file == primary.file).collect();
    let source = Window::new(map.get(primary.file), &here, marker);
    let mut related = Vec::new();
    let mut labels = Vec::new();
    for l in &diag.labels {
        if l.span.file == primary.file {
            labels.push(labeled(&source, l.span, &l.message, l.primary));
        } else {
            let source = Window::new(map.get(l.span.file), &[l.span], marker);
            related.push(Report {
                code: None,
                severity: miette::Severity::Advice,
                message: format!("in {}", map.name(l.span.file)),
                help: None,
                labels: vec![labeled(&source, l.span, &l.message, false)],
                source,
                related: Vec::new(),
            });
        }
    }
    let report = Report {
        code: Some(diag.code.id),
        severity,
        message: diag.message.clone(),
        help: diag.help.as_deref(),
        source,
        labels,
        related,
    };
    let theme = match (opts.unicode, opts.color) {
        (true, true) => GraphicalTheme::unicode(),
        (true, false) => GraphicalTheme::unicode_nocolor(),
        (false, _) => GraphicalTheme::none(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(opts.width)
        .with_links(false)
        .with_context_lines(CONTEXT_LINES);
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
/// help — and, for warnings aggregated into one, `count` and `locations`.
/// Lines and columns are 1-based; `help` is `null` when there is none.
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
        "{{\"severity\":{},\"code\":{},\"message\":{},\"file\":{},\"line\":{},\"column\":{},\"labels\":[{}],\"help\":{}{}}}",
        json_str(diag.severity.as_str()),
        json_str(diag.code.id),
        json_str(&diag.message),
        json_str(map.name(span.file)),
        lc.line,
        lc.column,
        labels.join(","),
        diag.help.as_deref().map(json_str).unwrap_or_else(|| "null".to_string()),
        json_aggregated(diag, map)
    )
}

/// For an aggregated warning: `,"count":N,"locations":[…]`, every subject's
/// place (its own first); nothing for a single one.
fn json_aggregated(diag: &Diagnostic, map: &SourceMap) -> String {
    if diag.others.is_empty() {
        return String::new();
    }
    let places: Vec<String> = std::iter::once(diag.span())
        .chain(diag.others.iter().copied())
        .map(|s| {
            let lc = map.line_col(s.file, s.start as usize);
            format!("{{\"file\":{},\"line\":{},\"column\":{}}}", json_str(map.name(s.file)), lc.line, lc.column)
        })
        .collect();
    format!(",\"count\":{},\"locations\":[{}]", diag.count(), places.join(","))
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
pub fn summary_line(what: &str, errors: usize, warnings: usize, acknowledged: usize) -> Option<String> {
    let emitted = match (warnings, acknowledged) {
        (0, 0) => String::new(),
        (w, 0) => format!("{} emitted", plural(w, "warning")),
        (0, a) => format!("{} acknowledged", plural(a, "warning")),
        (w, a) => format!("{} emitted, {a} acknowledged", plural(w, "warning")),
    };
    match (errors, warnings) {
        (0, 0) if acknowledged == 0 => None,
        (0, 0) => Some(format!("note: `{what}`: {emitted}")),
        (0, _) => Some(format!("warning: `{what}`: {emitted}")),
        (e, _) if emitted.is_empty() => {
            Some(format!("error: could not compile `{what}` due to {}", plural(e, "error")))
        }
        (e, _) => Some(format!("error: could not compile `{what}` due to {}; {emitted}", plural(e, "error"))),
    }
}

/// One JSON line for an acknowledged warning: the warning's own line with
/// SARIF's `suppressions` (`kind` `inSource`, the reason as `justification`).
pub fn render_json_acknowledged(diag: &Diagnostic, reason: &str, map: &SourceMap) -> String {
    let line = render_json_line(diag, map);
    let body = line.strip_suffix('}').unwrap_or(&line);
    format!("{body},\"suppressions\":[{{\"kind\":\"inSource\",\"justification\":{}}}]}}", json_str(reason))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::UNKNOWN_NODE;
    use crate::source::LineCol;
    use hybrid_span::FileId;

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

    /// The human, short and JSON forms of one diagnostic on `token` at byte
    /// `at` of `text`, and the true line:column of `at`.
    fn all_formats(text: &str, token: &str, at: usize) -> (String, String, String, LineCol) {
        let mut map = SourceMap::new();
        let f = map.add("long.hybrid", text);
        let d = Diagnostic::new(&UNKNOWN_NODE, "unknown node", Span::new(f, at, at + token.len()), "unknown node")
            .with_help("remove it");
        let lc = map.line_col(f, at);
        (render_human(&d, &map, HumanOptions::default()), render_short(&d, &map), render_json_line(&d, &map), lc)
    }

    /// The number of characters of the longest line of `out`.
    fn widest_line(out: &str) -> usize {
        out.lines().map(|l| l.chars().count()).max().unwrap_or(0)
    }

    #[test]
    fn a_label_past_column_65535_renders_in_every_format() {
        let text = format!("{}bogus 1\n", " ".repeat(65_540));
        let (human, short, json, lc) = all_formats(&text, "bogus", 65_540);
        assert_eq!(lc, LineCol { line: 1, column: 65_541 });
        assert!(human.contains("long.hybrid:1:65541"), "{human}");
        assert!(human.contains("bogus 1"), "{human}");
        assert!(human.contains('…'), "{human}");
        assert!(widest_line(&human) < 400, "{human}");
        assert!(short.starts_with("long.hybrid:1:65541: error[HY0002]"), "{short}");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!((v["line"].as_u64(), v["column"].as_u64()), (Some(1), Some(65_541)));
    }

    #[test]
    fn a_long_line_of_multibyte_characters_is_cut_on_char_boundaries() {
        for c in ["é", "漢", "\u{301}"] {
            let text = format!("a {{\n{}bogus 1\n}}\n", c.repeat(70_000));
            let at = text.find("bogus").unwrap();
            let (human, short, json, lc) = all_formats(&text, "bogus", at);
            assert_eq!(lc, LineCol { line: 2, column: 70_001 });
            assert!(human.contains("long.hybrid:2:70001"), "{human}");
            assert!(human.contains(&format!("│ …{}bogus 1", c.repeat(AROUND))), "{human}");
            assert!(widest_line(&human) < 400, "{human}");
            assert!(short.starts_with("long.hybrid:2:70001:"), "{short}");
            assert!(json.contains("\"line\":2,\"column\":70001"), "{json}");
        }
    }

    #[test]
    fn a_label_over_a_megabyte_shows_both_ends() {
        let text = format!("name \"{}\" z\n", "x".repeat(1_000_000));
        let (human, _, json, lc) = all_formats(&text, &text[5..1_000_007], 5);
        assert_eq!(lc, LineCol { line: 1, column: 6 });
        assert!(human.contains("long.hybrid:1:6"), "{human}");
        let ends = format!("name \"{}…{}\" z", "x".repeat(AROUND - 1), "x".repeat(AROUND - 1));
        assert!(human.contains(&ends), "{human}");
        assert!(human.len() < 2_000, "{human}");
        assert!(json.contains("\"end_line\":1,\"end_column\":1000008"), "{json}");
    }

    #[test]
    fn labels_on_several_long_lines_and_in_another_file_keep_their_places() {
        let mut map = SourceMap::new();
        let long = " ".repeat(100_000);
        let text = format!("{long}first\n\t{long}context\n\tsecond{long}\nlast\n");
        let f = map.add("a.hybrid", text.as_str());
        let other = format!("{}\tthere\n", "\t".repeat(80_000));
        let g = map.add("b.hybrid", other.as_str());
        let (first, second) = (text.find("first").unwrap(), text.find("second").unwrap());
        let there = other.find("there").unwrap();
        let d = Diagnostic::new(&UNKNOWN_NODE, "unknown node", Span::new(f, second, second + 6), "this one")
            .with_label(Span::new(f, first, first + 5), "and this")
            .with_label(Span::new(g, there, there + 5), "and there");
        for unicode in [true, false] {
            let out = render_human(&d, &map, HumanOptions { unicode, ..HumanOptions::default() });
            let cut = if unicode { "…" } else { "..." };
            assert!(out.contains("[a.hybrid:3:2]"), "{out}");
            assert!(out.contains("[b.hybrid:1:80002]"), "{out}");
            assert!(out.contains(
                &format!("1 │ {cut}{}first", " ".repeat(AROUND)).replace('│', if unicode { "│" } else { "|" })
            ));
            // A context line without a label shows its start.
            assert!(out.contains(&format!("{}{cut}", " ".repeat(HEAD - 1))), "{out}");
            for label in ["this one", "and this", "and there", "second", "first", "there", "last"] {
                assert!(out.contains(label), "{label}: {out}");
            }
            // Tabs are drawn four columns wide: a window of tabs stays bounded.
            assert!(widest_line(&out) < 400, "{out}");
            assert!(out.len() < 8_000, "{out}");
        }
        assert_eq!(render_short(&d, &map), "a.hybrid:3:2: error[HY0002]: unknown node");
    }

    #[test]
    fn summary_counts() {
        assert_eq!(summary_line("x", 0, 0, 0), None);
        assert_eq!(
            summary_line("x", 2, 1, 0).unwrap(),
            "error: could not compile `x` due to 2 errors; 1 warning emitted"
        );
        assert_eq!(summary_line("x", 0, 1, 0).unwrap(), "warning: `x`: 1 warning emitted");
        assert_eq!(summary_line("x", 0, 0, 2).unwrap(), "note: `x`: 2 warnings acknowledged");
        assert_eq!(summary_line("x", 0, 1, 1).unwrap(), "warning: `x`: 1 warning emitted, 1 acknowledged");
        assert_eq!(
            summary_line("x", 1, 0, 1).unwrap(),
            "error: could not compile `x` due to 1 error; 1 warning acknowledged"
        );
    }
}
