//! Names and the strings Kubernetes and Istio validate: DNS labels,
//! environment variable names, label keys and values, port names,
//! hostnames, machine addresses and HTTP header names, each with the
//! corrected value a help line shows.

use hybrid_model::Address;
use std::net::IpAddr;

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

/// A vm's address: an IP address a machine can have (not unspecified,
/// loopback, multicast or broadcast), or a DNS name without wildcard;
/// otherwise why it is neither.
pub fn address(s: &str) -> Result<Address, String> {
    if let Ok(ip) = s.parse::<IpAddr>() {
        let why = match ip {
            _ if ip.is_unspecified() => Some("is the unspecified address"),
            _ if ip.is_loopback() => Some("is a loopback address"),
            _ if ip.is_multicast() => Some("is a multicast address"),
            IpAddr::V4(v4) if v4.is_broadcast() => Some("is the broadcast address"),
            _ => None,
        };
        return match why {
            Some(why) => Err(why.to_string()),
            None => Ok(Address::Ip(ip)),
        };
    }
    if s.contains('/') && s.split_once('/').is_some_and(|(ip, _)| ip.parse::<IpAddr>().is_ok()) {
        return Err("is a network with a prefix length, not one address".to_string());
    }
    if s.starts_with("*.") {
        return Err("is a wildcard, which names no single machine".to_string());
    }
    match hostname_problem(s) {
        Some(why) => Err(why),
        None => Ok(Address::Name(s.to_string())),
    }
}

/// A valid address close to `s`, when one can be derived: an IP address
/// without its prefix length, or a host name as [`fix_hostname`] fixes it.
pub fn fix_address(s: &str) -> Option<String> {
    if let Some((ip, _)) = s.trim().split_once('/') {
        if ip.parse::<IpAddr>().is_ok() {
            return Some(ip.to_string()).filter(|a| address(a).is_ok());
        }
    }
    fix_hostname(s).filter(|a| address(a).is_ok())
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
