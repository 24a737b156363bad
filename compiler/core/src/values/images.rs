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
/// The separators are ASCII, so they are found byte by byte (this runs on
/// every image of the program, twice).
fn split_reference(s: &str) -> (Option<&str>, &str, Option<&str>, Option<&str>) {
    let (rest, digest) = match split_at_byte(s, s.bytes().position(|b| b == b'@')) {
        Some((r, d)) => (r, Some(d)),
        None => (s, None),
    };
    let (name, tag) = match split_at_byte(rest, rest.bytes().rposition(|b| b == b':')) {
        Some((n, t)) if !t.as_bytes().contains(&b'/') => (n, Some(t)),
        _ => (rest, None),
    };
    match split_at_byte(name, name.bytes().position(|b| b == b'/')) {
        Some((first, path))
            if first.bytes().any(|b| b == b'.' || b == b':' || b.is_ascii_uppercase()) || first == "localhost" =>
        {
            (Some(first), path, tag, digest)
        }
        _ => (None, name, tag, digest),
    }
}

/// `s` before and after the ASCII byte at `at`, if any.
fn split_at_byte(s: &str, at: Option<usize>) -> Option<(&str, &str)> {
    let at = at?;
    Some((s.get(..at)?, s.get(at + 1..)?))
}

/// The pieces of `s` between the ASCII byte `sep`, as `str::split` finds
/// them.
fn split_byte(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let ends = s.bytes().enumerate().filter(move |&(_, b)| b == sep).map(|(i, _)| i).chain(std::iter::once(s.len()));
    ends.map(move |end| {
        let piece = s.get(start..end).unwrap_or_default();
        start = end + 1;
        piece
    })
}

/// Whether `s` is, in one pass over its bytes, a reference of the form
/// most programs write — `HOST/PATH[:TAG]`, the host's labels of lowercase
/// letters, digits and inner dashes with at least one dot, no port, no
/// digest, the path's components of lowercase letters and digits with
/// single separators (`.`, `_`, `-`) — and so valid. `false` says nothing:
/// [`reference_problem`] then reads it whole. This runs on every image of
/// the program, twice (HY0029 and HY6002).
fn plainly_valid(s: &str) -> bool {
    #[derive(Clone, Copy)]
    enum At {
        /// At the start of a host label, after `dots` dots.
        HostStart { dots: u32 },
        /// In a host label (`dash`: its last byte was `-`).
        Host { dash: bool, dots: u32 },
        /// At the start of a path component.
        PathStart,
        /// In a path component, after a letter or digit.
        Path,
        /// In a path component, after a separator.
        Separator,
        /// In the tag, `len` bytes into it.
        Tag { len: usize },
    }
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let mut at = At::HostStart { dots: 0 };
    let mut name_len = s.len();
    for (i, &b) in s.as_bytes().iter().enumerate() {
        at = match (at, b) {
            (At::HostStart { dots } | At::Host { dots, .. }, b) if alnum(b) => At::Host { dash: false, dots },
            (At::Host { dots, .. }, b'-') => At::Host { dash: true, dots },
            (At::Host { dash: false, dots }, b'.') => At::HostStart { dots: dots + 1 },
            (At::Host { dash: false, dots }, b'/') if dots > 0 => At::PathStart,
            (At::PathStart | At::Separator | At::Path, b) if alnum(b) => At::Path,
            (At::Path, b'.' | b'_' | b'-') => At::Separator,
            (At::Path, b'/') => At::PathStart,
            (At::Path, b':') => {
                name_len = i;
                At::Tag { len: 0 }
            }
            (At::Tag { len }, b) if len < IMAGE_TAG_MAX && (b.is_ascii_alphanumeric() || b == b'_') => {
                At::Tag { len: len + 1 }
            }
            (At::Tag { len }, b'.' | b'-') if len > 0 && len < IMAGE_TAG_MAX => At::Tag { len: len + 1 },
            _ => return false,
        };
    }
    name_len <= IMAGE_NAME_MAX && matches!(at, At::Path | At::Tag { len: 1.. })
}

fn reference_problem(s: &str) -> Option<String> {
    if plainly_valid(s) {
        None
    } else {
        reference_problem_in_full(s)
    }
}

/// [`reference_problem`], read part by part.
fn reference_problem_in_full(s: &str) -> Option<String> {
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
    for component in split_byte(path, b'/') {
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
    let allowed = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-');
    if !c.bytes().all(allowed) {
        let ch = c.chars().find(|&ch| !u8::try_from(ch).is_ok_and(allowed)).unwrap_or('?');
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
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let allowed = |b: u8| word(b) || b == b'.' || b == b'-';
    if !t.bytes().all(allowed) {
        let ch = t.chars().find(|&ch| !u8::try_from(ch).is_ok_and(allowed)).unwrap_or('?');
        return Some(format!("its tag has {}", describe_char(ch)));
    }
    if !t.bytes().next().is_some_and(word) {
        return Some("its tag begins with `.` or `-`".to_string());
    }
    if t.len() > IMAGE_TAG_MAX {
        return Some(format!("its tag is {} characters long, more than {IMAGE_TAG_MAX}", t.len()));
    }
    None
}

fn digest_problem(d: &str) -> Option<String> {
    let ok = split_at_byte(d, d.bytes().position(|b| b == b':')).is_some_and(|(alg, hex)| {
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
            let (host, port) = match split_at_byte(h, h.bytes().rposition(|b| b == b':')) {
                Some((host, port)) => (host, Some(port)),
                None => (h, None),
            };
            let host_ok = split_byte(host, b'.').all(|c| {
                !c.is_empty()
                    && c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
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

#[cfg(test)]
mod tests {
    use super::{split_at_byte, split_byte, split_reference};

    #[test]
    fn the_usual_references_are_plainly_valid() {
        for ok in ["registry.example.com/shop/api:1.4.2", "ghcr.io/org/app_x-y/z.w:v1.0-rc_1", "r.io/a"] {
            assert!(super::plainly_valid(ok), "{ok}");
        }
        for other in [
            "nginx:1",
            "r.io:5000/a:1",
            "r.io/a@sha256:00",
            "r.io/A:1",
            "r.io/a--b:1",
            "r-.io/a:1",
            "r.io/a:",
            "r.io/a:.1",
            "r..io/a",
        ] {
            assert!(!super::plainly_valid(other), "{other}");
        }
    }
    use proptest::prelude::*;

    /// Split the way `str::split_once` / `rsplit_once` / `split` do, as the
    /// parts of a reference were found before they were found by byte.
    fn split_reference_by_char(s: &str) -> (Option<&str>, &str, Option<&str>, Option<&str>) {
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
                if first.contains(['.', ':'])
                    || first == "localhost"
                    || first.chars().any(|c| c.is_ascii_uppercase()) =>
            {
                (Some(first), path, tag, digest)
            }
            _ => (None, name, tag, digest),
        }
    }

    proptest! {
        /// The one-pass test never calls an invalid reference valid: on
        /// references near the usual form (separator runs, dashes at label
        /// edges, upper case, ports, digests) and on looser text.
        #[test]
        fn a_plainly_valid_reference_is_valid(s in prop_oneof![
            "[a-z0-9-]{1,3}(\\.[a-z0-9-]{1,3}){1,2}/[a-z0-9]{1,3}([._-]{1,2}[a-zA-Z0-9]{1,3}){0,2}(/[a-z0-9]{0,3}([._-]{1,2}[a-z0-9]{1,3}){0,2}){0,1}(:[a-zA-Z0-9._-]{0,4})?",
            "[a-z0-9.:-]{1,8}/[a-zA-Z0-9._/-]{0,12}(:[a-zA-Z0-9._-]{0,4})?(@sha256:[a-f0-9]{0,2})?",
        ]) {
            if super::plainly_valid(&s) {
                prop_assert_eq!(super::reference_problem_in_full(&s), None, "{}", s);
            }
        }

        #[test]
        fn references_split_by_byte_as_by_character(s in "[a-zA-Z0-9é./:@_-]{0,24}") {
            prop_assert_eq!(split_reference(&s), split_reference_by_char(&s));
            prop_assert_eq!(split_byte(&s, b'/').collect::<Vec<_>>(), s.split('/').collect::<Vec<_>>());
            prop_assert_eq!(split_at_byte(&s, s.bytes().position(|b| b == b':')), s.split_once(':'));
        }
    }
}
