//! The `Diagnostic` value: a registered code, a severity, a one-line
//! message, labelled spans (exactly one primary), an optional help line and
//! an optional machine-applicable [`Fix`] (what an editor offers as a quick
//! fix).

use crate::codes::Code;
use hybrid_span::Span;
use std::borrow::Cow;
use std::fmt;

/// A label's or help line's wording: most are written in the compiler
/// (borrowed, nothing allocated), the rest name the program's words. A
/// program can have a warning per service, each held until it is printed.
pub type Wording = Cow<'static, str>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: Wording,
    pub primary: bool,
}

/// A literal fix: replace the name or word written at `span` with
/// `replacement` (a quoted token keeps its quotes). Set only where the help
/// line names exactly that text (a "did you mean" with one candidate).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub span: Span,
    pub replacement: String,
}

/// One problem found in a program. Build it with [`Diagnostic::new`] from a
/// registered [`Code`]; the severity defaults to the code's own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static Code,
    pub severity: Severity,
    pub message: String,
    pub labels: Vec<Label>,
    pub help: Option<Wording>,
    /// Boxed: most diagnostics have none, and every stage passes them by value.
    pub fix: Option<Box<Fix>>,
    /// The primary spans of the same-cause warnings aggregated into this
    /// one (see [`crate::aggregate()`]), after its own; empty otherwise.
    pub others: Vec<Span>,
}

impl Diagnostic {
    /// A diagnostic whose primary label is `label` at `span`.
    pub fn new(code: &'static Code, message: impl Into<String>, span: Span, label: impl Into<Wording>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity,
            message: message.into(),
            labels: vec![Label { span, message: label.into(), primary: true }],
            help: None,
            fix: None,
            others: Vec::new(),
        }
    }

    /// Adds a secondary label (the other side of a conflict).
    pub fn with_label(mut self, span: Span, message: impl Into<Wording>) -> Diagnostic {
        self.labels.push(Label { span, message: message.into(), primary: false });
        self
    }

    pub fn with_help(mut self, help: impl Into<Wording>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Adds a literal fix (see [`Fix`]).
    pub fn with_fix(mut self, span: Span, replacement: impl Into<String>) -> Diagnostic {
        self.fix = Some(Box::new(Fix { span, replacement: replacement.into() }));
        self
    }

    /// Overrides the code's default severity (rules whose severity depends
    /// on the program, e.g. a loss that is an error only for `critical`).
    pub fn with_severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// How many warnings this diagnostic stands for: 1, or more once
    /// same-cause warnings are aggregated into it.
    pub fn count(&self) -> usize {
        1 + self.others.len()
    }

    /// The primary label's span.
    pub fn span(&self) -> Span {
        self.labels.iter().find(|l| l.primary).or(self.labels.first()).map(|l| l.span).unwrap_or_default()
    }

    /// Sort key that orders diagnostics by file, then position, then code.
    pub fn sort_key(&self) -> (u32, u32, &'static str) {
        let s = self.span();
        (s.file.0, s.start, self.code.id)
    }
}
