//! Printing diagnostics: grouped by file, in source order, same-cause
//! warnings aggregated into one (`hybrid_diagnostics::aggregate`), closed
//! by a count line like rustc's; and the diagnostics about a path as a
//! whole (the program that cannot be read, an OUT that cannot be written);
//! and a long build's progress line, cleared before each of these. Human
//! output is coloured as [`Console`] decided. JSON goes to stdout (for
//! tools), everything else to stderr.

use crate::console::Console;
use crate::progress::{Counter, Progress};
use hybrid_core::Compilation;
use hybrid_diagnostics::{
    render_human, render_json_acknowledged, render_json_line, render_short, summary_line, HumanOptions, PathDiagnostic,
    Severity,
};
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Short,
    Json,
}

/// Where and how diagnostics are printed.
pub struct Reporter {
    format: Format,
    color: bool,
    progress: Progress,
    out: Box<dyn Write>,
    err: Box<dyn Write>,
}

impl std::fmt::Debug for Reporter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reporter").field("format", &self.format).finish()
    }
}

impl Reporter {
    pub fn stdio(format: Format, console: &Console) -> Reporter {
        Reporter {
            format,
            color: console.color_stderr,
            progress: Progress::new(console.progress),
            out: Box::new(std::io::stdout()),
            err: Box::new(std::io::stderr()),
        }
    }

    /// A reporter writing into the given sinks, without colour or
    /// progress (for tests).
    pub fn to(format: Format, out: Box<dyn Write>, err: Box<dyn Write>) -> Reporter {
        Reporter { format, color: false, progress: Progress::new(false), out, err }
    }

    /// A long command entered a new stage (see [`Progress`]).
    pub fn stage(&mut self, message: impl Into<String>) {
        self.progress.stage(message.into());
    }

    /// A stage that goes through `total` files, counted as they are done.
    pub fn count(&mut self, message: impl Into<String>, total: usize) -> Counter {
        self.progress.count(message.into(), total)
    }

    /// A diagnostic about a file or folder as a whole (HY8xxx, HY9xxx), in
    /// the reporter's format: JSON on stdout, the others on stderr.
    pub fn problem(&mut self, d: &PathDiagnostic) {
        self.progress.clear();
        if self.format == Format::Json {
            let _ = writeln!(self.out, "{}", d.render_json_line());
            return;
        }
        // Paths and names are the user's text: escaped as in a snippet.
        let mut d = d.clone();
        d.message = visible(&d.message).into_owned();
        d.path = visible(&d.path).into_owned();
        d.help = d.help.as_deref().map(|h| visible(h).into_owned());
        let text = if self.format == Format::Short { d.render_short() } else { d.render_human() };
        let _ = writeln!(self.err, "{text}");
    }

    /// A line of normal output (stderr for humans; nothing in JSON mode).
    pub fn info(&mut self, message: &str) {
        self.progress.clear();
        if self.format != Format::Json {
            let _ = writeln!(self.err, "{message}");
        }
    }

    pub fn success(&mut self, message: &str) {
        self.progress.clear();
        if self.format != Format::Json {
            let _ = writeln!(self.err, "{message}");
        }
    }

    /// Prints every diagnostic; returns the number of errors (warnings
    /// count as errors with `deny_warnings`). Acknowledged warnings are
    /// counted in the summary line, and in JSON written with SARIF's
    /// `suppressions`; they are never errors.
    pub fn diagnostics(&mut self, c: &Compilation, program: &str, deny_warnings: bool) -> usize {
        self.progress.clear();
        let mut errors = 0;
        let mut warnings = 0;
        let mut last_file = None;
        let mut raw_controls = std::collections::BTreeMap::new();
        // Same-cause warnings left after acknowledging are printed as one.
        for mut d in hybrid_diagnostics::aggregate(&c.diagnostics) {
            if deny_warnings && d.severity == Severity::Warning {
                d.severity = Severity::Error;
                d.help = Some(match d.help.take() {
                    Some(h) => format!("{h} (an error because of `--deny warnings`)").into(),
                    None => "an error because of `--deny warnings`".into(),
                });
            }
            if d.is_error() {
                errors += d.count();
            } else {
                warnings += d.count();
            }
            let file = d.span().file;
            if self.format != Format::Json {
                // A name in a message is the program's text: on a terminal,
                // its escape sequences and bidi controls would act.
                d.message = visible(&d.message).into_owned();
                if let Some(help) = &mut d.help {
                    escape(help);
                }
                for l in &mut d.labels {
                    escape(&mut l.message);
                }
            }
            let text = match self.format {
                Format::Json => {
                    let _ = writeln!(self.out, "{}", render_json_line(&d, &c.sources));
                    continue;
                }
                Format::Short => render_short(&d, &c.sources),
                Format::Human => {
                    if last_file.is_some_and(|f| f != file) {
                        let _ = writeln!(self.err);
                    }
                    // A snippet of a file holding raw control characters
                    // (a file KDL rejects) is drawn without colour, and
                    // then every control character in it is escaped.
                    let raw = *raw_controls
                        .entry(file)
                        .or_insert_with(|| c.sources.get(file).is_some_and(|f| holds_raw_controls(&f.text)));
                    let opts = HumanOptions { color: self.color && !raw, ..HumanOptions::default() };
                    let text = render_human(&d, &c.sources, opts);
                    if raw {
                        text.chars()
                            .map(|ch| {
                                if acts_in_snippet(ch) {
                                    format!("\\u{{{:x}}}", u32::from(ch))
                                } else {
                                    ch.to_string()
                                }
                            })
                            .collect()
                    } else {
                        text
                    }
                }
            };
            last_file = Some(file);
            let _ = writeln!(self.err, "{}", text.trim_end());
        }
        if self.format == Format::Json {
            for a in &c.acknowledged {
                let _ = writeln!(self.out, "{}", render_json_acknowledged(&a.diagnostic, &a.reason, &c.sources));
            }
        } else {
            if let Some(line) = summary_line(program, errors, warnings, c.acknowledged.len()) {
                let _ = writeln!(self.err, "{line}");
            }
        }
        errors
    }
}

/// Whether `text` holds a character that acts in a snippet. Most files are
/// printable ASCII, lines and tabs: their bytes are looked at 64 at a time
/// (a 36 MB program in a few milliseconds), the characters only otherwise.
fn holds_raw_controls(text: &str) -> bool {
    let quiet = |b: &u8| (0x20..0x7F).contains(b) || *b == b'\n' || *b == b'\t';
    let ascii = text.as_bytes().chunks(64).all(|chunk| chunk.iter().fold(true, |all, b| all & quiet(b)));
    !ascii && text.chars().any(acts_in_snippet)
}

/// A character a terminal acts on, other than the line breaks and tabs of
/// a snippet.
fn acts_in_snippet(c: char) -> bool {
    acts(c) && c != '\n' && c != '\t'
}

/// A character a terminal acts on: a control character (an escape
/// sequence), a bidi control, a zero-width character.
fn acts(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{61C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// [`visible`] in place: a text written in the compiler stays borrowed.
fn escape(text: &mut hybrid_diagnostics::Wording) {
    if let std::borrow::Cow::Owned(escaped) = visible(text) {
        *text = escaped.into();
    }
}

/// `text` with the characters a terminal would act on — control characters
/// (an escape sequence), bidi controls, zero-width characters — written as
/// `\u{…}` escapes. JSON output is escaped by JSON.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(acts) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if acts(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::{acts_in_snippet, holds_raw_controls, visible};

    /// The byte test agrees with the character test, at any place of a
    /// text longer than one chunk.
    #[test]
    fn raw_controls_are_found_anywhere() {
        for odd in ['\u{1b}', '\r', '\u{202E}', '\u{200B}', '\u{7f}', 'é', '\t', '\n'] {
            for at in [0, 63, 64, 65, 200] {
                let mut text = "x".repeat(200);
                text.insert(at, odd);
                assert_eq!(holds_raw_controls(&text), text.chars().any(acts_in_snippet), "{odd:?} at {at}");
            }
        }
        assert!(!holds_raw_controls(&"service a {\n\tport 80\n}\n".repeat(100)));
    }

    #[test]
    fn escapes_what_a_terminal_would_act_on() {
        assert_eq!(visible("`svc` ok"), "`svc` ok");
        assert_eq!(visible("a\u{1b}[2Jb\u{202E}c\u{200B}\nd"), "a\\u{1b}[2Jb\\u{202e}c\\u{200b}\\u{a}d");
    }
}
