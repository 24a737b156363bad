//! Diagnostics about a file or folder as a whole — the program path that
//! cannot be read, an OUT that cannot be written, a lock held by another
//! build — located by their path, not by a span in a source text. They
//! have registered codes (HY8xxx, HY9xxx) like every other diagnostic and
//! the same three renderers: human, short and JSON lines (whose `line` and
//! `column` are `null`, and `labels` empty).

use crate::codes::Code;
use crate::diagnostic::Severity;

/// A problem with a path rather than with a token of the program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathDiagnostic {
    pub code: &'static Code,
    pub severity: Severity,
    pub message: String,
    /// The file or folder concerned, as the user wrote it (or as hybridc
    /// derived it from what the user wrote).
    pub path: String,
    pub help: Option<String>,
}

impl PathDiagnostic {
    /// A diagnostic of `code`'s own severity about `path`.
    pub fn new(code: &'static Code, message: impl Into<String>, path: impl Into<String>) -> PathDiagnostic {
        PathDiagnostic { code, severity: code.severity, message: message.into(), path: path.into(), help: None }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> PathDiagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// For a person: `error[HY8002]: message`, then ` --> PATH` and the help.
    pub fn render_human(&self) -> String {
        let mut s = format!("{}[{}]: {}\n  --> {}", self.severity, self.code.id, self.message, self.path);
        if let Some(help) = &self.help {
            s.push_str("\n  help: ");
            s.push_str(help);
        }
        s
    }

    /// One line: `PATH: error[HY8002]: message (help: …)`.
    pub fn render_short(&self) -> String {
        let mut s = format!("{}: {}[{}]: {}", self.path, self.severity, self.code.id, self.message);
        if let Some(help) = &self.help {
            s.push_str(" (help: ");
            s.push_str(help);
            s.push(')');
        }
        s
    }

    /// One JSON object on one line, with the fields of a span diagnostic
    /// in the same order; `line` and `column` are `null`, `labels` empty.
    pub fn render_json_line(&self) -> String {
        let s = |v: &str| serde_json::Value::String(v.to_string()).to_string();
        format!(
            "{{\"severity\":{},\"code\":{},\"message\":{},\"file\":{},\"line\":null,\"column\":null,\"labels\":[],\"help\":{}}}",
            s(self.severity.as_str()),
            s(self.code.id),
            s(&self.message),
            s(&self.path),
            self.help.as_deref().map(s).unwrap_or_else(|| "null".to_string())
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::CODES;

    fn sample() -> PathDiagnostic {
        let code = CODES.iter().copied().find(|c| c.id == "HY8002").unwrap();
        PathDiagnostic::new(code, "`out` is a symbolic link (to `/srv`); nothing was written", "out")
            .with_help("pass the folder itself as OUT")
    }

    #[test]
    fn three_formats() {
        let d = sample();
        assert_eq!(
            d.render_human(),
            "error[HY8002]: `out` is a symbolic link (to `/srv`); nothing was written\n  --> out\n  help: pass the folder itself as OUT"
        );
        assert_eq!(
            d.render_short(),
            "out: error[HY8002]: `out` is a symbolic link (to `/srv`); nothing was written (help: pass the folder itself as OUT)"
        );
        let v: serde_json::Value = serde_json::from_str(&d.render_json_line()).unwrap();
        assert_eq!(v["code"], "HY8002");
        assert_eq!(v["file"], "out");
        assert!(v["line"].is_null() && v["column"].is_null());
        assert_eq!(v["labels"], serde_json::json!([]));
        assert_eq!(v["help"], "pass the folder itself as OUT");
    }
}
