//! Printing diagnostics: grouped by file, in source order, closed by a
//! count line like rustc's. Human output is coloured only on a terminal
//! and never when `NO_COLOR` is set. JSON goes to stdout (for tools),
//! everything else to stderr.

use hybrid_core::Compilation;
use hybrid_diagnostics::{render_human, render_json_line, render_short, summary_line, HumanOptions, Severity};
use std::io::{IsTerminal, Write};

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
    out: Box<dyn Write>,
    err: Box<dyn Write>,
}

impl std::fmt::Debug for Reporter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reporter").field("format", &self.format).finish()
    }
}

impl Reporter {
    pub fn stdio(format: Format) -> Reporter {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Reporter { format, color, out: Box::new(std::io::stdout()), err: Box::new(std::io::stderr()) }
    }

    /// A reporter writing into the given sinks, without colour (for tests).
    pub fn to(format: Format, out: Box<dyn Write>, err: Box<dyn Write>) -> Reporter {
        Reporter { format, color: false, out, err }
    }

    pub fn fatal(&mut self, message: &str) {
        let _ = writeln!(self.err, "error: {message}");
    }

    /// A line of normal output (stderr for humans; nothing in JSON mode).
    pub fn info(&mut self, message: &str) {
        if self.format != Format::Json {
            let _ = writeln!(self.err, "{message}");
        }
    }

    pub fn success(&mut self, message: &str) {
        if self.format != Format::Json {
            let _ = writeln!(self.err, "{message}");
        }
    }

    /// Prints every diagnostic; returns the number of errors (warnings
    /// count as errors with `deny_warnings`).
    pub fn diagnostics(&mut self, c: &Compilation, program: &str, deny_warnings: bool) -> usize {
        let mut errors = 0;
        let mut warnings = 0;
        let mut last_file = None;
        for d in &c.diagnostics {
            let mut d = d.clone();
            if deny_warnings && d.severity == Severity::Warning {
                d.severity = Severity::Error;
                d.help = Some(match d.help.take() {
                    Some(h) => format!("{h} (an error because of `--deny warnings`)"),
                    None => "an error because of `--deny warnings`".to_string(),
                });
            }
            if d.is_error() {
                errors += 1;
            } else {
                warnings += 1;
            }
            let file = d.span().file;
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
                    let opts = HumanOptions { color: self.color, ..HumanOptions::default() };
                    render_human(&d, &c.sources, opts)
                }
            };
            last_file = Some(file);
            let _ = writeln!(self.err, "{}", text.trim_end());
        }
        if self.format != Format::Json {
            if let Some(line) = summary_line(program, errors, warnings) {
                let _ = writeln!(self.err, "{line}");
            }
        }
        errors
    }
}
