//! The one module that turns documents into YAML — a direct block-style
//! writer for JSON values (keys in the order given, lists in order) — and
//! the one that reads YAML back (`read_documents`, for diffs). Every target
//! builds its objects as values with keys in the conventional order and
//! hands them here; nothing else writes or reads YAML.
//!
//! Scalars are quoted whenever a YAML 1.1 or 1.2 reader could read them as
//! something other than the string they are: `yes`, `no`, `on`, `off`,
//! `y`, `n`, `null`, `~`, `true`, anything number-like (`1.30`, `0x1F`,
//! `1_000`, `1:20`, `.inf`), dates, and strings with a leading indicator
//! (`-`, `:`, `#`, `*`, `&`, `!`, `%`, `@`, `` ` ``, quotes, brackets),
//! `: ` or ` #` inside, leading or trailing spaces. Strings with newlines or
//! control characters are written double-quoted with escapes.

use serde_json::{Map, Value};

/// Reads the documents of a YAML file back as values (for comparing a
/// previous output with a new one). `Err` when the text is not YAML.
pub fn read_documents(text: &str) -> Result<Vec<Value>, String> {
    use serde::Deserialize;
    let mut out = Vec::new();
    for doc in serde_yaml::Deserializer::from_str(text) {
        let v = Value::deserialize(doc).map_err(|e| e.to_string())?;
        if !v.is_null() {
            out.push(v);
        }
    }
    Ok(out)
}

/// One document as YAML (no leading `---`).
pub fn document(doc: &Value) -> String {
    let mut out = String::with_capacity(256);
    match doc {
        Value::Object(m) if !m.is_empty() => map(&mut out, m, 0, false),
        Value::Array(a) if !a.is_empty() => seq(&mut out, a, 0),
        other => {
            scalar(&mut out, other);
            out.push('\n');
        }
    }
    out
}

/// Several documents in one file, separated by `---`.
pub fn documents(docs: &[Value]) -> String {
    let mut out = String::new();
    for (i, d) in docs.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        out.push_str(&document(d));
    }
    out
}

fn pad(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

/// A mapping at `indent`; with `inline_first` the first key continues the
/// current line (after `- `).
fn map(out: &mut String, m: &Map<String, Value>, indent: usize, inline_first: bool) {
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 || !inline_first {
            pad(out, indent);
        }
        string(out, k);
        out.push(':');
        match v {
            Value::Object(inner) if !inner.is_empty() => {
                out.push('\n');
                map(out, inner, indent + 2, false);
            }
            Value::Array(items) if !items.is_empty() => {
                out.push('\n');
                seq(out, items, indent);
            }
            other => {
                out.push(' ');
                scalar(out, other);
                out.push('\n');
            }
        }
    }
}

fn seq(out: &mut String, items: &[Value], indent: usize) {
    for item in items {
        pad(out, indent);
        out.push_str("- ");
        match item {
            Value::Object(m) if !m.is_empty() => map(out, m, indent + 2, true),
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                seq(out, inner, indent + 2);
            }
            other => {
                scalar(out, other);
                out.push('\n');
            }
        }
    }
}

fn scalar(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => string(out, s),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

/// Words YAML 1.1 or 1.2 reads as booleans or null.
const SPECIAL: &[&str] =
    &["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "nan", "inf", "-inf", "+inf"];

/// Whether `s` can be written plain and read back as the same string.
fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else { return false };
    let last = s.chars().next_back().unwrap_or(first);
    if SPECIAL.contains(&s.to_ascii_lowercase().as_str()) {
        return false;
    }
    if first.is_whitespace() || last.is_whitespace() || last == ':' {
        return false;
    }
    if matches!(
        first,
        '-' | '?'
            | ':'
            | ','
            | '['
            | ']'
            | '{'
            | '}'
            | '#'
            | '&'
            | '*'
            | '!'
            | '|'
            | '>'
            | '\''
            | '"'
            | '%'
            | '@'
            | '`'
            | '.'
            | '+'
            | '='
    ) {
        return false;
    }
    // Anything starting with a digit could be a number, a date or a time.
    if first.is_ascii_digit() {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.contains('\t') {
        return false;
    }
    s.chars().all(|c| !c.is_control() && c != '\u{FEFF}' && c != '\u{85}' && c != '\u{2028}' && c != '\u{2029}')
}

fn string(out: &mut String, s: &str) {
    if plain_ok(s) {
        out.push_str(s);
        return;
    }
    let needs_escapes =
        s.chars().any(|c| c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}'));
    if !needs_escapes {
        out.push('\'');
        out.push_str(&s.replace('\'', "''"));
        out.push('\'');
        return;
    }
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}') => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn round_trip(v: &Value) {
        let y = document(v);
        let back: Value = serde_yaml::from_str(&y).unwrap_or_else(|e| panic!("{e}\n{y}"));
        assert_eq!(&back, v, "\n{y}");
    }

    #[test]
    fn block_style_in_order() {
        let v = json!({"kind": "X", "apiVersion": "v1", "spec": {"ports": [{"name": "http", "port": 80}, {"name": "grpc", "port": 9090}], "empty": {}, "none": []}});
        assert_eq!(
            document(&v),
            "kind: X\napiVersion: v1\nspec:\n  ports:\n  - name: http\n    port: 80\n  - name: grpc\n    port: 9090\n  empty: {}\n  none: []\n"
        );
        round_trip(&v);
    }

    #[test]
    fn quotes_what_readers_could_misread() {
        for s in [
            "yes",
            "No",
            "on",
            "OFF",
            "y",
            "null",
            "~",
            "true",
            "1.30",
            "0x1F",
            "1_000",
            "1:20",
            ".inf",
            "2024-01-01",
            "-x",
            ": x",
            "a: b",
            "a #b",
            "#c",
            "*a",
            "&a",
            "!a",
            "%a",
            "@a",
            "`a",
            " a",
            "a ",
            "",
            "'",
            "\"",
            "line\nbreak",
            "tab\there",
            "nul\u{0}",
            "rtl\u{202e}x",
            "zw\u{200b}j",
            "[a]",
            "{a}",
            "a:",
        ] {
            let v = json!({ "k": s });
            round_trip(&v);
            let y = document(&v);
            assert!(!y.starts_with(&format!("k: {s}\n")) || plain_ok(s), "{s:?} written plain: {y}");
        }
        assert!(document(&json!({"k": "yes"})).contains("'yes'"));
        assert!(document(&json!({"k": "plain-text.ok/path:1.2"})).contains("k: plain-text.ok/path:1.2"));
    }

    #[test]
    fn nested_sequences_and_scalars() {
        let v = json!({"a": [[1, 2], [], {"b": null, "c": true, "d": -1.5}], "e": "x"});
        round_trip(&v);
        round_trip(&json!([{"a": 1}, "b"]));
    }
}
