//! Constructors for the diagnostics of `acknowledge` itself: a code that is
//! an error (HY0045), a code hybridc does not have (HY0046), and an
//! acknowledgement that no warning matches (HY0047).

use hybrid_diagnostics::{codes, did_you_mean, Code, Diagnostic, Severity, Span, CODES};

/// HY0045
pub fn acknowledged_error(written: &str, code: &'static Code, span: Span) -> Diagnostic {
    Diagnostic::new(
        &codes::ACKNOWLEDGED_ERROR,
        format!("`{}` (`{}`) is an error, which cannot be acknowledged", code.id, code.name),
        span,
        "an error",
    )
    .with_help(format!(
        "remove `{written}` from this `acknowledge` and fix what it reports: only warnings can be acknowledged"
    ))
}

/// HY0046
pub fn unknown_acknowledged_code(written: &str, span: Span) -> Diagnostic {
    let warnings = CODES.iter().filter(|c| c.severity == Severity::Warning && !c.retired);
    let candidates = warnings.flat_map(|c| [c.id, c.name]);
    let d = Diagnostic::new(
        &codes::UNKNOWN_ACKNOWLEDGED_CODE,
        format!("unknown diagnostic code `{written}` in `acknowledge`"),
        span,
        "no such code",
    );
    match did_you_mean(written, candidates) {
        Some(s) => d.with_help(format!("did you mean `{s}`?")),
        None => d.with_help(
            "write a warning's code or name, as a warning prints it: `HY2101` or `lost-in-failure` (`hybridc explain \
             CODE` describes one)",
        ),
    }
}

/// HY0047
pub fn unused_acknowledgement(id: &str, span: Span, whole_program: bool) -> Diagnostic {
    let code = match Code::find(id) {
        Some(c) => format!("`{}` (`{}`)", c.id, c.name),
        None => format!("`{id}`"),
    };
    let label = if whole_program { "no such warning in the program" } else { "no such warning in this declaration" };
    Diagnostic::new(&codes::UNUSED_ACKNOWLEDGEMENT, format!("no {code} warning to acknowledge"), span, label)
        .with_help("remove this code from the `acknowledge`: the warning it acknowledged is no longer reported here")
}
