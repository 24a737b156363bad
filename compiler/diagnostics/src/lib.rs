//! Diagnostics for hybridc: the source map (with `hybrid-span`'s spans,
//! re-exported here), the `Diagnostic` value every stage returns, the
//! `PathDiagnostic` of a file or folder as a whole, the registry of stable
//! `HY` codes, "did you mean" suggestions and the three renderers (human,
//! short, JSON lines), and the aggregation of same-cause warnings into one.
//!
//! Nothing here knows about the language itself; stages build diagnostics
//! through the constructor functions that live next to the rule they report.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

mod aggregate;
pub mod codes;
mod diagnostic;
mod path_diagnostic;
mod render;
mod source;
mod suggest;

pub use aggregate::{aggregate, AGGREGATED};
pub use codes::{Code, CODES};
pub use diagnostic::{Diagnostic, Fix, Label, Severity, Wording};
pub use hybrid_span::{FileId, Span};
pub use path_diagnostic::PathDiagnostic;
pub use render::{render_human, render_json_acknowledged, render_json_line, render_short, summary_line, HumanOptions};
pub use source::{LineCol, SourceFile, SourceMap};
pub use suggest::{close_matches, did_you_mean, did_you_mean_help, join_quoted};
