//! Parsing of the language's value types (§3 of the language contract):
//! sizes, cpu, percentages, durations, bandwidths, CIDRs, cron schedules,
//! versions, names. Each parser returns the typed value or a short reason
//! that the decoder turns into a diagnostic naming the expected form.

use hybrid_model::{Bandwidth, Bytes, Cron, CronField, IpNet, MilliCpu, Percent};
use std::time::Duration;

/// Splits `"12.5Gi"` into the number `12.5` and the unit `Gi`.
fn split_number(s: &str) -> Option<(f64, &str)> {
    let end = s.char_indices().find(|(_, c)| !(c.is_ascii_digit() || *c == '.')).map(|(i, _)| i).unwrap_or(s.len());
    let (num, unit) = s.split_at(end);
    if num.is_empty() || num.starts_with('.') || num.ends_with('.') || num.matches('.').count() > 1 {
        return None;
    }
    let v: f64 = num.parse().ok()?;
    v.is_finite().then_some((v, unit))
}

fn to_u64(v: f64) -> Option<u64> {
    (0.0..1.8e19).contains(&v).then(|| v.round() as u64)
}

pub fn size(s: &str) -> Option<Bytes> {
    let (v, unit) = split_number(s.trim())?;
    let factor: f64 = match unit {
        "" => 1.0,
        "Ki" => 1024.0,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "K" | "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        _ => return None,
    };
    to_u64(v * factor).map(Bytes)
}

pub fn cpu_str(s: &str) -> Option<MilliCpu> {
    let (v, unit) = split_number(s.trim())?;
    match unit {
        "" => to_u64(v * 1000.0).map(MilliCpu),
        "m" if v.fract() == 0.0 => to_u64(v).map(MilliCpu),
        _ => None,
    }
}

/// `Some(Ok(p))`, or `Some(Err(()))` when well formed but above 100.
pub fn percent(s: &str) -> Option<Result<Percent, f64>> {
    let (v, unit) = split_number(s.trim())?;
    if unit != "%" {
        return None;
    }
    Some(if v <= 100.0 { Ok(Percent(v)) } else { Err(v) })
}

pub fn duration(s: &str) -> Option<Duration> {
    let (v, unit) = split_number(s.trim())?;
    let secs: f64 = match unit {
        "ns" => 1e-9,
        "us" | "µs" => 1e-6,
        "ms" => 1e-3,
        "s" => 1.0,
        "m" => 60.0,
        "h" => 3600.0,
        "d" => 86_400.0,
        "w" => 604_800.0,
        _ => return None,
    };
    let total = v * secs;
    (total < 1e12).then(|| Duration::from_nanos((total * 1e9).round() as u64))
}

pub fn bandwidth(s: &str) -> Option<Bandwidth> {
    let (v, unit) = split_number(s.trim())?;
    let factor = match unit {
        "bps" => 1.0,
        "Kbps" | "kbps" => 1e3,
        "Mbps" => 1e6,
        "Gbps" => 1e9,
        "Tbps" => 1e12,
        _ => return None,
    };
    to_u64(v * factor).map(Bandwidth)
}

/// A CIDR; `Err` carries the network it should have been when host bits are set.
pub fn cidr(s: &str) -> Option<Result<IpNet, IpNet>> {
    let net: IpNet = s.trim().parse().ok()?;
    Some(if net.trunc() == net { Ok(net) } else { Err(net.trunc()) })
}

pub fn version(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    (1..=4).contains(&parts.len()) && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether `s` is a DNS-1123 label.
pub fn is_dns_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.first().is_some_and(|c| c.is_ascii_lowercase())
        && b.last().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

/// The closest DNS-1123 label to `s`, for the help line.
pub fn fix_dns_label(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_start_matches(|c: char| !c.is_ascii_lowercase()).trim_end_matches('-');
    let mut fixed: String = trimmed.chars().take(63).collect();
    while fixed.ends_with('-') {
        fixed.pop();
    }
    if fixed.is_empty() {
        "name".to_string()
    } else {
        fixed
    }
}

pub fn is_env_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A Kubernetes label key: an optional DNS subdomain prefix and `/`, then a
/// name of up to 63 alphanumerics, `-`, `_`, `.`.
pub fn is_label_key(s: &str) -> bool {
    let (prefix, name) = match s.rsplit_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, s),
    };
    let name_ok = !name.is_empty()
        && name.len() <= 63
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    let prefix_ok = prefix.is_none_or(|p| !p.is_empty() && p.len() <= 253 && p.split('.').all(is_dns_label_or_digits));
    name_ok && prefix_ok
}

fn is_dns_label_or_digits(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// A string as a diagnostic shows it: control characters (a newline in a
/// multi-line string, a tab) escaped, so a message stays on one line.
pub fn printable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    out
}

/// `a space`, or ``the character `c` `` (escaped if invisible), for
/// messages that name the character a value may not hold.
pub fn describe_char(c: char) -> String {
    if c == ' ' {
        "a space".to_string()
    } else {
        format!("the character `{}`", printable(&c.to_string()))
    }
}

/// The most characters of a Kubernetes label value, a DNS-1123 label and
/// the name part of a label key (`IsValidLabelValue`, `IsDNS1123Label`).
pub const LABEL_MAX: usize = 63;
/// The most characters of a container port name (an IANA service name,
/// Kubernetes `IsValidPortName`).
pub const PORT_NAME_MAX: usize = 15;
/// The most characters of a DNS name (RFC 1123, `IsDNS1123Subdomain`).
pub const HOSTNAME_MAX: usize = 253;
/// The most characters of an image tag (the OCI distribution spec).
pub const IMAGE_TAG_MAX: usize = 128;
/// The most characters of an image's repository name, registry included
/// (`NameTotalLengthMax` of the distribution reference grammar).
pub const IMAGE_NAME_MAX: usize = 255;

fn label_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

/// Why `s` is not a Kubernetes label value: a value is empty, or at most 63
/// letters, digits, `-`, `_` and `.`, beginning and ending with a letter or
/// digit.
pub fn label_value_problem(s: &str) -> Option<String> {
    if s.is_empty() {
        return None;
    }
    if let Some(c) = s.chars().find(|c| !label_char(*c)) {
        return Some(format!("has {}", describe_char(c)));
    }
    if s.len() > LABEL_MAX {
        return Some(format!("is {} characters long, more than {LABEL_MAX}", s.len()));
    }
    if !s.starts_with(|c: char| c.is_ascii_alphanumeric()) || !s.ends_with(|c: char| c.is_ascii_alphanumeric()) {
        return Some("does not begin and end with a letter or digit".to_string());
    }
    None
}

/// The closest label value to `s`: other characters become `-`, the ends
/// are trimmed to a letter or digit, at most 63 characters.
pub fn fix_label_value(s: &str) -> String {
    let mapped: String = s.chars().map(|c| if label_char(c) { c } else { '-' }).collect();
    let trimmed = mapped.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    let cut: String = trimmed.chars().take(LABEL_MAX).collect();
    cut.trim_end_matches(|c: char| !c.is_ascii_alphanumeric()).to_string()
}

/// Why `s` is not a valid container port name (an IANA service name as
/// Kubernetes `IsValidPortName` checks it): at most 15 lowercase letters,
/// digits and `-`, at least one letter, no `-` at either end or twice in a
/// row.
pub fn port_name_problem(s: &str) -> Option<String> {
    if s.is_empty() {
        return Some("is empty".to_string());
    }
    if s.chars().any(|c| c.is_ascii_uppercase()) {
        return Some("has upper-case letters".to_string());
    }
    if let Some(c) = s.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')) {
        return Some(format!("has {}", describe_char(c)));
    }
    if s.len() > PORT_NAME_MAX {
        return Some(format!("is {} characters long, more than {PORT_NAME_MAX}", s.len()));
    }
    if !s.chars().any(|c| c.is_ascii_lowercase()) {
        return Some("has no letter".to_string());
    }
    if s.starts_with('-') || s.ends_with('-') {
        return Some("begins or ends with `-`".to_string());
    }
    if s.contains("--") {
        return Some("has two `-` in a row".to_string());
    }
    None
}

/// The closest port name to `s` (empty when nothing of it can be kept).
pub fn fix_port_name(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    if !out.is_empty() && !out.chars().any(|c| c.is_ascii_lowercase()) {
        out.insert(0, 'p');
    }
    let cut: String = out.chars().take(PORT_NAME_MAX).collect();
    cut.trim_end_matches('-').to_string()
}

/// Why `s` is not a host name that a gateway can serve: an RFC 1123 DNS
/// name of lowercase labels (letters, digits and `-`, not at either end,
/// at most 63 characters each, at most 253 in all), optionally after a
/// `*.` wildcard; the last label is not all digits (an address is not a
/// host name).
pub fn hostname_problem(s: &str) -> Option<String> {
    if s.is_empty() {
        return Some("is empty".to_string());
    }
    if s.len() > HOSTNAME_MAX {
        return Some(format!("is {} characters long, more than {HOSTNAME_MAX}", s.len()));
    }
    if s.contains("://") {
        return Some("is a URL, not a host name".to_string());
    }
    let rest = s.strip_prefix("*.").unwrap_or(s);
    let labels: Vec<&str> = rest.split('.').collect();
    for label in &labels {
        if label.is_empty() {
            return Some("has an empty label (two dots in a row, or a dot at either end)".to_string());
        }
        if let Some(c) = label.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-')) {
            let hint = if c == '*' { " (a wildcard is only allowed as a leading `*.`)" } else { "" };
            return Some(format!("has {}{hint}", describe_char(c)));
        }
        if label.chars().any(|c| c.is_ascii_uppercase()) {
            return Some("has upper-case letters".to_string());
        }
        if label.len() > LABEL_MAX {
            return Some(format!("has a label of {} characters, more than {LABEL_MAX}", label.len()));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some(format!("has the label `{label}`, which begins or ends with `-`"));
        }
    }
    if labels.last().is_some_and(|l| l.bytes().all(|c| c.is_ascii_digit())) {
        return Some("ends in an all-numeric label; an IP address is not a host name".to_string());
    }
    None
}

/// A valid host name close to `s`, when one can be derived: the scheme,
/// path and port of a URL dropped, lowercased, `_` and spaces as `-`, no
/// trailing dot.
pub fn fix_hostname(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s.split_once("://").map(|(_, rest)| rest).unwrap_or(s);
    let s = s.split(['/', '?', '#']).next().unwrap_or(s);
    let s = match s.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => s,
    };
    let lower = s.to_ascii_lowercase().replace(['_', ' '], "-");
    let (wild, rest) = match lower.strip_prefix("*.") {
        Some(rest) => ("*.", rest),
        None => ("", lower.as_str()),
    };
    let labels: Vec<&str> =
        rest.trim_matches('.').split('.').map(|l| l.trim_matches('-')).filter(|l| !l.is_empty()).collect();
    let fixed = format!("{wild}{}", labels.join("."));
    (hostname_problem(&fixed).is_none()).then_some(fixed)
}

/// Whether `c` may appear in an HTTP header name (an RFC 7230 `tchar`).
pub fn is_header_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// Why `s` is not an HTTP header name (an RFC 7230 token: letters, digits
/// and ``!#$%&'*+-.^_`|~``, at least one).
pub fn header_name_problem(s: &str) -> Option<String> {
    if s.is_empty() {
        return Some("is empty".to_string());
    }
    if s.starts_with(':') {
        return Some("is an HTTP/2 pseudo-header, which a header match cannot name".to_string());
    }
    s.chars().find(|c| !is_header_char(*c)).map(|c| format!("has {}", describe_char(c)))
}

/// A header name close to `s`, lowercased as the mesh matches it, when one
/// can be derived: characters a token cannot hold become `-`.
pub fn fix_header_name(s: &str) -> Option<String> {
    if s.trim_start().starts_with(':') {
        return None;
    }
    let mut out = String::new();
    for c in s.trim().chars() {
        if is_header_char(c) {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let fixed = out.trim_end_matches('-').to_string();
    (!fixed.is_empty()).then_some(fixed)
}

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
    if let Some(c) = s.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Some(format!("it has {}", describe_char(c)));
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
    if c.chars().any(|ch| ch.is_ascii_uppercase()) {
        return Some("its repository path has upper-case letters".to_string());
    }
    if let Some(ch) =
        c.chars().find(|ch| !(ch.is_ascii_lowercase() || ch.is_ascii_digit() || matches!(ch, '.' | '_' | '-')))
    {
        return Some(format!("its repository path has {}", describe_char(ch)));
    }
    let alnum = |ch: char| ch.is_ascii_lowercase() || ch.is_ascii_digit();
    if !c.starts_with(alnum) || !c.ends_with(alnum) {
        return Some(format!("the path component `{c}` does not begin and end with a letter or digit"));
    }
    // Separators between alphanumerics: `.`, `_`, `__`, or any run of `-`.
    for run in c.split(alnum).filter(|r| !r.is_empty()) {
        if !(run == "." || run == "_" || run == "__" || run.bytes().all(|b| b == b'-')) {
            return Some(format!("the path component `{c}` has the separator `{run}`"));
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

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

fn cron_value(s: &str, names: &[&str], first: u32) -> Option<u32> {
    if let Ok(v) = s.parse::<u32>() {
        return Some(v);
    }
    let lower = s.to_ascii_lowercase();
    names.iter().position(|n| *n == lower).map(|i| i as u32 + first)
}

fn cron_field(s: &str, min: u32, max: u32, names: &[&str]) -> Option<CronField> {
    let mut bits = 0u64;
    for part in s.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, st)) => (r, st.parse::<u32>().ok().filter(|v| *v > 0)?),
            None => (part, 1),
        };
        let (lo, hi) = if range == "*" {
            (min, max)
        } else if let Some((a, b)) = range.split_once('-') {
            (cron_value(a, names, min)?, cron_value(b, names, min)?)
        } else {
            let v = cron_value(range, names, min)?;
            (v, if part.contains('/') { max } else { v })
        };
        if lo < min || hi > max || lo > hi {
            return None;
        }
        let mut v = lo;
        while v <= hi {
            bits |= 1u64 << v;
            v += step;
        }
    }
    Some(CronField(bits))
}

pub fn cron(s: &str) -> Option<Cron> {
    let fields: Vec<&str> = s.split_whitespace().collect();
    let [m, h, dom, mon, dow] = fields.as_slice() else {
        return None;
    };
    let mut day_of_week = cron_field(dow, 0, 7, &DAYS)?;
    if day_of_week.contains(7) {
        day_of_week.0 |= 1;
    }
    Some(Cron {
        text: fields.join(" "),
        minute: cron_field(m, 0, 59, &[])?,
        hour: cron_field(h, 0, 23, &[])?,
        day_of_month: cron_field(dom, 1, 31, &[])?,
        month: cron_field(mon, 1, 12, &MONTHS)?,
        day_of_week,
        dom_restricted: *dom != "*",
        dow_restricted: *dow != "*",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(size("512Mi"), Some(Bytes(512 << 20)));
        assert_eq!(size("1Ti"), Some(Bytes(1 << 40)));
        assert_eq!(size("500G"), Some(Bytes(500_000_000_000)));
        assert_eq!(size("1.5Gi"), Some(Bytes(1536 << 20)));
        assert_eq!(size("12GB"), None);
        assert_eq!(size("Gi"), None);
    }

    #[test]
    fn cpus() {
        assert_eq!(cpu_str("500m"), Some(MilliCpu(500)));
        assert_eq!(cpu_str("2.5"), Some(MilliCpu(2500)));
        assert_eq!(cpu_str("2 cores"), None);
    }

    #[test]
    fn durations_and_bandwidth() {
        assert_eq!(duration("1.2ms"), Some(Duration::from_micros(1200)));
        assert_eq!(duration("7d"), Some(Duration::from_secs(7 * 86_400)));
        assert_eq!(duration("0s"), Some(Duration::ZERO));
        assert_eq!(duration("5"), None);
        assert_eq!(bandwidth("100Gbps"), Some(Bandwidth(100_000_000_000)));
        assert_eq!(bandwidth("1GB/s"), None);
    }

    #[test]
    fn percents() {
        assert_eq!(percent("70%"), Some(Ok(Percent(70.0))));
        assert_eq!(percent("170%"), Some(Err(170.0)));
        assert_eq!(percent("70"), None);
    }

    #[test]
    fn cidrs() {
        assert!(matches!(cidr("10.10.0.0/16"), Some(Ok(_))));
        assert!(matches!(cidr("fd00::/64"), Some(Ok(_))));
        assert_eq!(cidr("10.10.0.1/16").map(|r| r.map_err(|n| n.to_string())), Some(Err("10.10.0.0/16".to_string())));
        assert!(cidr("10.10.0.0").is_none());
    }

    #[test]
    fn names() {
        assert!(is_dns_label("order-service"));
        assert!(!is_dns_label("Order_Service"));
        assert!(!is_dns_label("-a"));
        assert!(!is_dns_label("1a"));
        assert_eq!(fix_dns_label("Order_Service"), "order-service");
        assert_eq!(fix_dns_label("9lives"), "lives");
        assert!(is_env_name("LOG_LEVEL"));
        assert!(!is_env_name("1X"));
        assert!(is_label_key("nvidia.com/gpu"));
        assert!(is_label_key("workload"));
        assert!(!is_label_key("a/b/c"));
    }

    #[test]
    fn label_values() {
        assert_eq!(label_value_problem(""), None);
        assert_eq!(label_value_problem("platform-team"), None);
        assert_eq!(label_value_problem("v1.2_rc"), None);
        assert!(label_value_problem("platform team").is_some());
        assert!(label_value_problem("-x").is_some());
        assert!(label_value_problem(&"a".repeat(64)).is_some());
        assert_eq!(label_value_problem(&"a".repeat(63)), None);
        assert_eq!(fix_label_value("Platform Team!"), "Platform-Team");
        assert_eq!(fix_label_value("--x--"), "x");
        assert_eq!(fix_label_value(&"a".repeat(70)).len(), 63);
        assert_eq!(fix_label_value("!!"), "");
    }

    #[test]
    fn port_names() {
        for ok in ["http", "grpc-api", "h2c", "p8080", "8080-http"] {
            assert_eq!(port_name_problem(ok), None, "{ok}");
        }
        for bad in ["", "HTTP", "web_ui", "metrics-endpoint", "1234", "-api", "api-", "a--b"] {
            assert!(port_name_problem(bad).is_some(), "{bad}");
        }
        assert_eq!(fix_port_name("Web_UI"), "web-ui");
        assert_eq!(fix_port_name("metrics-endpoint"), "metrics-endpoin");
        assert_eq!(fix_port_name("order-service-grpc"), "order-service-g");
        assert_eq!(fix_port_name("8080"), "p8080");
        assert_eq!(fix_port_name("--"), "");
        for s in ["Web_UI", "metrics-endpoint", "8080", "a--b", "x-----------------y"] {
            assert_eq!(port_name_problem(&fix_port_name(s)), None, "{s}");
        }
    }

    #[test]
    fn hostnames() {
        for ok in ["shop.example.com", "*.example.com", "localhost", "a-1.b2.io", "3com.example.com"] {
            assert_eq!(hostname_problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            "Shop.Example.com",
            "shop_example.com",
            "shop.example.com.",
            ".example.com",
            "a..b",
            "-a.example.com",
            "a.*.example.com",
            "10.0.0.1",
            "*.",
            "https://shop.example.com",
        ] {
            assert!(hostname_problem(bad).is_some(), "{bad}");
        }
        assert!(hostname_problem(&format!("{}.com", "a".repeat(64))).is_some());
        assert!(hostname_problem(&format!("{}.com", "a.".repeat(126))).is_some());
        assert_eq!(fix_hostname("Shop.Example.com").as_deref(), Some("shop.example.com"));
        assert_eq!(fix_hostname("https://shop.example.com:8443/cart").as_deref(), Some("shop.example.com"));
        assert_eq!(fix_hostname("shop_a.example.com.").as_deref(), Some("shop-a.example.com"));
        assert_eq!(fix_hostname("*.Example.com").as_deref(), Some("*.example.com"));
        assert_eq!(fix_hostname("10.0.0.1"), None);
    }

    #[test]
    fn header_names() {
        assert_eq!(header_name_problem("x-user-type"), None);
        assert_eq!(header_name_problem("X-User-Type"), None);
        assert_eq!(header_name_problem("x~!#$%&'*+.^_`|"), None);
        assert!(header_name_problem("").is_some());
        assert!(header_name_problem("user type").is_some());
        assert!(header_name_problem(":authority").is_some());
        assert!(header_name_problem("x-user:").is_some());
        assert_eq!(fix_header_name("User Type").as_deref(), Some("user-type"));
        assert_eq!(fix_header_name("x-user: ").as_deref(), Some("x-user"));
        assert_eq!(fix_header_name(" : "), None);
        assert_eq!(fix_header_name(":authority"), None);
    }

    #[test]
    fn images() {
        let digest = format!("sha256:{}", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
        for ok in [
            "nginx".to_string(),
            "nginx:1.27".to_string(),
            "library/nginx:1.27-alpine".to_string(),
            "registry.example.com/shop/order:1.8.2".to_string(),
            "registry.example.com:5000/shop/order_svc__x/a-b--c:v1".to_string(),
            "localhost:5000/app".to_string(),
            "[fd00::1]:5000/app:1".to_string(),
            format!("registry.example.com/shop/order@{digest}"),
            format!("registry.example.com/shop/order:1.8.2@{digest}"),
            "Registry.Example.com/shop/order:1".to_string(),
            format!("r.io/app:{}", "t".repeat(128)),
        ] {
            assert_eq!(container_image_problem(&ok), None, "{ok}");
        }
        assert_eq!(container_image_problem(""), Some(ImageProblem::Empty));
        assert_eq!(container_image_problem("  "), Some(ImageProblem::Empty));
        assert_eq!(container_image_problem(" nginx:1 "), Some(ImageProblem::Whitespace("nginx:1".into())));
        let fixed = |s: &str| match container_image_problem(s) {
            Some(ImageProblem::Reference { fixed, .. }) => fixed,
            other => panic!("{s}: {other:?}"),
        };
        assert_eq!(fixed("Nginx:1.27").as_deref(), Some("nginx:1.27"));
        assert_eq!(
            fixed("registry.example.com/Shop/Order:1.8.2").as_deref(),
            Some("registry.example.com/shop/order:1.8.2")
        );
        assert_eq!(fixed("nginx: 1.27"), None);
        assert_eq!(fixed(&format!("r.io/app:{}", "t".repeat(129))), Some(format!("r.io/app:{}", "t".repeat(128))));
        for bad in [
            "r.io/app:",
            "r.io/app:-1",
            "r.io/app:1/2x",
            "r.io//app",
            "r.io/app/",
            "r.io/-app",
            "r.io/a...b",
            "r.io/a___b",
            "r.io/app@sha256:abc",
            "r.io/app@md5:9f86d081884c7d659a2feaa0c55ad015",
            "r.io:port/app",
            "-r.io/app",
            "r.io/app$",
            "shop/order:1.8.2 ",
        ] {
            assert!(container_image_problem(bad).is_some(), "{bad}");
        }
        assert!(container_image_problem(&format!("r.io/{}", "a".repeat(251))).is_some());
        assert_eq!(image_name_problem("rhel-9.4 template"), None);
        assert_eq!(image_name_problem("RHEL 9"), None);
        assert_eq!(image_name_problem(""), Some(ImageProblem::Empty));
        assert_eq!(image_name_problem("rhel-9 "), Some(ImageProblem::Whitespace("rhel-9".into())));
    }

    #[test]
    fn printable_strings() {
        assert_eq!(printable("a\nb\t"), "a\\nb\\t");
        assert_eq!(printable("a\u{7}"), "a\\u{7}");
    }

    #[test]
    fn crons() {
        let c = cron("0 2 * * *").unwrap();
        assert!(c.minute.contains(0) && !c.minute.contains(1));
        assert!(c.hour.contains(2));
        assert!(cron("*/15 * * * mon-fri").is_some());
        assert!(cron("0 2 * *").is_none());
        assert!(cron("61 2 * * *").is_none());
        assert!(cron("0 2 * * 7").unwrap().day_of_week.contains(0));
    }

    #[test]
    fn versions() {
        assert!(version("1.31"));
        assert!(version("8.0.3"));
        assert!(!version("v1.31"));
        assert!(!version("1..2"));
    }
}
