//! Overrides: the escape hatch that edits a generated object after the
//! targets have emitted it (`override kubernetes kind=Deployment name=web {
//! set "spec.replicas" 4 }`). The model holds what was written — which
//! object, which edits, each path parsed into [`Segment`]s — and
//! [`parse_path`], the one reader of the path syntax, which the resolver
//! uses to refuse a malformed path and `emit::overrides` to apply it.

use crate::{OverrideTarget, Spanned};

/// One `override` node: the object it addresses and its edits, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    pub target: Spanned<OverrideTarget>,
    /// The object's kind (`Deployment`) or resource type (`OS::Nova::Server`).
    pub kind: Spanned<String>,
    /// `metadata.name` of a Kubernetes object; a Heat resource's name.
    pub name: Spanned<String>,
    /// `metadata.namespace` of a Kubernetes object, when written.
    pub namespace: Option<Spanned<String>>,
    pub edits: Vec<Edit>,
}

/// `set PATH VALUE` or `remove PATH`.
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    pub op: EditOp,
    /// The path as written, with the span of its string.
    pub path: Spanned<String>,
    pub segments: Vec<Segment>,
    /// The new value of a `set`, with its span.
    pub value: Option<Spanned<Scalar>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditOp {
    /// Replace the field (its parent must exist), or add it.
    Set,
    /// Remove the field (it must exist).
    Remove,
}

impl EditOp {
    pub fn word(self) -> &'static str {
        match self {
            EditOp::Set => "set",
            EditOp::Remove => "remove",
        }
    }
}

/// A value a `set` writes: a KDL scalar.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
}

/// One step of a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    /// A map key: `spec`, or `["example.com/team"]` for a key with dots.
    Key(String),
    /// A list item by position: `[0]`.
    Index(usize),
    /// The list item whose field `key` is `value`: `[name=web]`.
    Match { key: String, value: String },
}

impl std::fmt::Display for Segment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Segment::Key(k) if k.contains(['.', '[', ']']) => write!(f, "[\"{k}\"]"),
            Segment::Key(k) => f.write_str(k),
            Segment::Index(i) => write!(f, "[{i}]"),
            Segment::Match { key, value } => write!(f, "[{key}={value}]"),
        }
    }
}

/// The text of the first `n` segments, as a path is written (`spec.template`).
pub fn path_text(segments: &[Segment]) -> String {
    let mut out = String::new();
    for s in segments {
        if !out.is_empty() && matches!(s, Segment::Key(k) if !k.contains(['.', '[', ']'])) {
            out.push('.');
        }
        out.push_str(&s.to_string());
    }
    out
}

/// Parses `spec.template.spec.containers[name=web].image`: keys separated
/// by `.`, list items by `[INDEX]` or `[FIELD=VALUE]`, a key holding dots
/// as `["example.com/team"]`. `Err` says what is wrong, for a message.
pub fn parse_path(text: &str) -> Result<Vec<Segment>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut expect_key = true;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            let (inner, tail) = bracket(after)?;
            out.push(selector(inner)?);
            rest = tail;
            expect_key = false;
            continue;
        }
        if !expect_key {
            rest = rest.strip_prefix('.').ok_or_else(|| format!("expected `.` or `[` before `{rest}`"))?;
            if rest.is_empty() {
                return Err("the path ends with `.`".to_string());
            }
        }
        let end = rest.find(['.', '[', ']']).unwrap_or(rest.len());
        let (key, tail) = rest.split_at(end);
        if key.is_empty() {
            return Err("a key is empty".to_string());
        }
        if tail.starts_with(']') {
            return Err("a `]` has no `[`".to_string());
        }
        out.push(Segment::Key(key.to_string()));
        rest = tail;
        expect_key = false;
    }
    if out.is_empty() {
        return Err("the path is empty".to_string());
    }
    Ok(out)
}

/// The text inside `[…]` and what follows the `]`.
fn bracket(after: &str) -> Result<(&str, &str), String> {
    if let Some(quoted) = after.strip_prefix('"') {
        let close = quoted.find("\"]").ok_or("a `[\"` has no closing `\"]`")?;
        let (inner, tail) = quoted.split_at(close);
        let inner = after.get(..inner.len() + 2).unwrap_or_default();
        return Ok((inner, tail.get(2..).unwrap_or_default()));
    }
    let close = after.find(']').ok_or("a `[` has no closing `]`")?;
    let (inner, tail) = after.split_at(close);
    Ok((inner, tail.get(1..).unwrap_or_default()))
}

/// `0`, `name=web` or `"key.with.dots"`.
fn selector(inner: &str) -> Result<Segment, String> {
    if let Some(q) = inner.strip_prefix('"').and_then(|q| q.strip_suffix('"')) {
        return match q {
            "" => Err("a key is empty".to_string()),
            k => Ok(Segment::Key(k.to_string())),
        };
    }
    if let Some((key, value)) = inner.split_once('=') {
        if key.is_empty() || value.is_empty() {
            return Err(format!("`[{inner}]` needs a field and a value, as `[name=web]`"));
        }
        return Ok(Segment::Match { key: key.to_string(), value: value.to_string() });
    }
    inner
        .parse::<usize>()
        .map(Segment::Index)
        .map_err(|_| format!("`[{inner}]` is neither a position such as `[0]` nor a match such as `[name=web]`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_parse_into_keys_positions_and_matches() {
        let p = parse_path("spec.template.spec.containers[name=web].ports[0]").unwrap();
        assert_eq!(p.len(), 7);
        assert_eq!(p[3], Segment::Key("containers".into()));
        assert_eq!(p[4], Segment::Match { key: "name".into(), value: "web".into() });
        assert_eq!(p[6], Segment::Index(0));
        let q = parse_path("metadata.annotations[\"example.com/team\"]").unwrap();
        assert_eq!(q[2], Segment::Key("example.com/team".into()));
        assert_eq!(path_text(&q), "metadata.annotations[\"example.com/team\"]");
        assert_eq!(path_text(&p), "spec.template.spec.containers[name=web].ports[0]");
    }

    #[test]
    fn malformed_paths_are_refused() {
        for bad in ["", "a..b", ".a", "a.", "a[", "a[x]", "a[=b]", "a]b", "a[0]b", "a[\"x"] {
            assert!(parse_path(bad).is_err(), "{bad}");
        }
    }
}
