//! The front end's diagnostic of `override`: HY0040, a path that does not
//! parse. (Whether the object and the path exist is decided after emission:
//! HY0041, HY0042 and HY6012 are built by the command line.)

use hybrid_diagnostics::{codes, Diagnostic, Span};

/// HY0040
pub fn override_path_invalid(path: &str, why: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        &codes::OVERRIDE_PATH_INVALID,
        format!("the override path `{path}` is malformed: {why}"),
        span,
        "not a path",
    )
    .with_help(
        "write keys separated by `.`, a list item as `[0]` or `[name=web]`, a key with dots as `[\"example.com/team\"]`",
    )
}
