//! Image references: what makes an image empty, padded, or not a valid
//! OCI reference (registry host, repository path, tag, digest), and the
//! corrected reference a help line shows.

use super::names::*;

/// What is wrong with an image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageProblem {
    /// Nothing, or only whitespace.
    Empty,
    /// Whitespace before or after it; carries the trimmed reference.
    Whitespace(String),
    /// Not a valid container image reference: why, and a corrected
    /// reference when one can be derived.
    Reference { why: String, fixed: Option<String> },
}

/// Why an image that is a name (a vSphere template, a Glance image) cannot
/// be used: it is empty or has whitespace around it.
pub fn image_name_problem(s: &str) -> Option<ImageProblem> {
    let trimmed = s.trim();
    if trimmed.is_empty() {
        Some(ImageProblem::Empty)
    } else if trimmed.len() != s.len() {
        Some(ImageProblem::Whitespace(trimmed.to_string()))
    } else {
        None
    }
}

/// Why `s` is not a container image reference, as the container runtime
/// parses it: `[HOST[:PORT]/]PATH[:TAG][@DIGEST]`, the path lowercase
/// components of letters and digits joined by `.`, `_`, `__` or dashes,
/// the tag at most 128 of letters, digits, `_`, `.` and `-` (not starting
/// with `.` or `-`), the digest `sha256:` and 64 lowercase hex digits (or
/// sha384 / sha512).
pub fn container_image_problem(s: &str) -> Option<ImageProblem> {
    if let Some(p) = image_name_problem(s) {
        return Some(p);
    }
    let why = reference_problem(s)?;
    let fixed = Some(fix_reference(s)).filter(|f| f != s && reference_problem(f).is_none());
    Some(ImageProblem::Reference { why, fixed })
}

/// Splits a reference into (host, path, tag, digest); `None` parts are
/// absent. The host is the first component when it looks like one (has a
/// `.` or `:`, is `localhost`, or has upper-case letters) and more follow.
fn split_reference(s: &str) -> (Option<&str>, &str, Option<&str>, Option<&str>) {
    let (rest, digest) = match s.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (s, None),
    };
    let (name, tag) = match rest.rsplit_once(':') {
        Some((n, t)) if !t.contains('/') => (n, Some(t)),
        _ => (rest, None),
    };
    match name.split_once('/') {
        Some((first, path))
            if first.contains(['.', ':']) || first == "localhost" || first.chars().any(|c| c.is_ascii_uppercase()) =>
        {
            (Some(first), path, tag, digest)
        }
        _ => (None, name, tag, digest),
    }
}

fn reference_problem(s: &str) -> Option<String> {
    // Printable ASCII has neither; only other text is looked at by character.
    if !s.bytes().all(|b| (0x21..0x7F).contains(&b)) {
        if let Some(c) = s.chars().find(|c| c.is_whitespace() || c.is_control()) {
            return Some(format!("it has {}", describe_char(c)));
        }
    }
    let (host, path, tag, digest) = split_reference(s);
    if let Some(d) = digest {
        if let Some(why) = digest_problem(d) {
            return Some(why);
        }
    }
    if let Some(t) = tag {
        if let Some(why) = tag_problem(t) {
            return Some(why);
        }
    }
    if let Some(h) = host {
        if !is_registry_host(h) {
            return Some(format!("its registry `{}` is not a host name with an optional port", printable(h)));
        }
    }
    if path.is_empty() {
        return Some("it names no repository".to_string());
    }
    let name_len = host.map(|h| h.len() + 1).unwrap_or(0) + path.len();
    if name_len > IMAGE_NAME_MAX {
        return Some(format!("its repository name is {name_len} characters long, more than {IMAGE_NAME_MAX}"));
    }
    for component in path.split('/') {
        if let Some(why) = path_component_problem(component) {
            return Some(why);
        }
    }
    None
}

fn path_component_problem(c: &str) -> Option<String> {
    if c.is_empty() {
        return Some("its repository path has an empty component (`//`, or `/` at an end)".to_string());
    }
    if c.bytes().any(|b| b.is_ascii_uppercase()) {
        return Some("its repository path has upper-case letters".to_string());
    }
    if let Some(ch) =
        c.chars().find(|ch| !(ch.is_ascii_lowercase() || ch.is_ascii_digit() || matches!(ch, '.' | '_' | '-')))
    {
        return Some(format!("its repository path has {}", describe_char(ch)));
    }
    // From here `c` is ASCII: lowercase letters, digits, `.`, `_` and `-`.
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let (Some(&first), Some(&last)) = (c.as_bytes().first(), c.as_bytes().last()) else { return None };
    if !alnum(first) || !alnum(last) {
        return Some(format!("the path component `{c}` does not begin and end with a letter or digit"));
    }
    // Separators between alphanumerics: `.`, `_`, `__`, or any run of `-`,
    // found in one pass over the bytes.
    let mut run_start = None;
    for (i, b) in c.bytes().enumerate() {
        match (alnum(b), run_start) {
            (false, None) => run_start = Some(i),
            (true, Some(start)) => {
                run_start = None;
                let run = c.get(start..i).unwrap_or_default();
                if !(run == "." || run == "_" || run == "__" || run.bytes().all(|b| b == b'-')) {
                    return Some(format!("the path component `{c}` has the separator `{run}`"));
                }
            }
            _ => {}
        }
    }
    None
}

fn tag_problem(t: &str) -> Option<String> {
    if t.is_empty() {
        return Some("its tag after `:` is empty".to_string());
    }
    let word = |ch: char| ch.is_ascii_alphanumeric() || ch == '_';
    if let Some(ch) = t.chars().find(|ch| !(word(*ch) || matches!(ch, '.' | '-'))) {
        return Some(format!("its tag has {}", describe_char(ch)));
    }
    if !t.starts_with(word) {
        return Some("its tag begins with `.` or `-`".to_string());
    }
    if t.len() > IMAGE_TAG_MAX {
        return Some(format!("its tag is {} characters long, more than {IMAGE_TAG_MAX}", t.len()));
    }
    None
}

fn digest_problem(d: &str) -> Option<String> {
    let ok = d.split_once(':').is_some_and(|(alg, hex)| {
        let len = match alg {
            "sha256" => 64,
            "sha384" => 96,
            "sha512" => 128,
            _ => return false,
        };
        hex.len() == len && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    });
    (!ok).then(|| "its digest is not `sha256:` and 64 lowercase hexadecimal digits".to_string())
}

fn is_registry_host(h: &str) -> bool {
    let (host_ok, port) = match h.strip_prefix('[').map(|v6| v6.split_once(']')) {
        Some(Some((addr, rest))) => {
            let addr_ok = !addr.is_empty() && addr.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
            match (rest, rest.strip_prefix(':')) {
                ("", _) => (addr_ok, None),
                (_, Some(port)) => (addr_ok, Some(port)),
                (_, None) => (false, None),
            }
        }
        Some(None) => (false, None),
        None => {
            let (host, port) = match h.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (h, None),
            };
            let host_ok = host.split('.').all(|c| {
                !c.is_empty()
                    && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-')
                    && !c.starts_with('-')
                    && !c.ends_with('-')
            });
            (host_ok, port)
        }
    };
    host_ok && port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// A corrected reference: the repository path lowercased and the tag cut
/// to 128 characters; the caller keeps it only if it is then valid.
fn fix_reference(s: &str) -> String {
    let (host, path, tag, digest) = split_reference(s);
    let mut out = String::new();
    if let Some(h) = host {
        out.push_str(h);
        out.push('/');
    }
    out.push_str(&path.to_ascii_lowercase());
    if let Some(t) = tag {
        out.push(':');
        out.extend(t.chars().take(IMAGE_TAG_MAX));
    }
    if let Some(d) = digest {
        out.push('@');
        out.push_str(d);
    }
    out
}
