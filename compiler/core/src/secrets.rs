//! HY0019 literal-secret: what looks like a secret, by a variable's name
//! (`*PASSWORD*`, `*TOKEN*`, `*SECRET*`, `*KEY*`) or by a string's value
//! (private key blocks, well-known token formats, credentials in URLs and
//! image references), and the scan of every string literal of a program.
//!
//! The value matchers are hand-written and deliberately narrow: each one
//! recognises a format a provider documents (a fixed prefix, a length, an
//! alphabet), never "a long random-looking string", so image digests,
//! checksums and ids pass.

use crate::diags;
use hybrid_diagnostics::Diagnostic;
use hybrid_syntax::{Document, Value};

/// Variable names that look like they hold a secret (the language contract:
/// `*PASSWORD*`, `*TOKEN*`, `*SECRET*`, `*KEY*`).
pub(crate) fn looks_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    ["PASSWORD", "TOKEN", "SECRET", "KEY"].iter().any(|w| upper.contains(w))
}

/// Reports every string literal of the documents whose value looks like a
/// secret (HY0019). An `env` whose variable name already looks secret is
/// left to the name rule, so one value is reported once.
pub fn scan(docs: &[Document], out: &mut Vec<Diagnostic>) {
    for node in docs.iter().flat_map(Document::all_nodes) {
        let var = match (node.name(), node.args().next().map(|a| a.value())) {
            ("env", Some(Value::String(v))) => Some(v),
            _ => None,
        };
        if var.is_some_and(looks_secret) {
            continue;
        }
        for entry in node.entries() {
            if let Value::String(text) = entry.value() {
                if let Some(kind) = secret_kind(text) {
                    out.push(diags::literal_secret_value(kind, var, entry.value_span()));
                }
            }
        }
    }
}

/// What an image reference with `user:password@` in front looks like.
pub const IMAGE_CREDENTIALS: &str = "an image reference with registry credentials";

/// What a string looks like when it looks like a secret: `None` for
/// anything else.
pub fn secret_kind(s: &str) -> Option<&'static str> {
    // The shortest format matched is 8 bytes (`eyJ.eyJ.`).
    if s.len() < 8 {
        return None;
    }
    // One pass over the string finds which formats could be there; only
    // those are checked. Almost every literal has none.
    let mut seen = [false; 3 + TOKENS.len()];
    match needles() {
        Some(ac) => {
            for m in ac.find_overlapping_iter(s) {
                if let Some(f) = seen.get_mut(m.pattern().as_usize()) {
                    *f = true;
                }
            }
        }
        None => seen = [true; 3 + TOKENS.len()],
    }
    let seen = |i: usize| seen.get(i).copied().unwrap_or(false);
    let at = s.as_bytes().contains(&b'@');
    if seen(0) && has_private_key_block(s) {
        return Some("a private key");
    }
    if seen(1) && at && has_url_password(s) {
        return Some("a URL with a password");
    }
    if at && has_registry_credentials(s) {
        return Some("an image reference with registry credentials");
    }
    if seen(2) && has_jwt(s) {
        return Some("a JSON web token");
    }
    TOKENS.iter().enumerate().find(|(i, t)| seen(3 + i) && has_token(s, t)).map(|(_, t)| t.what)
}

/// What `secret_kind` looks for, in one automaton: `-----BEGIN `, `://`,
/// `eyJ`, then every token prefix in `TOKENS` order.
/// (`None` only if the automaton could not be built — then every format
/// is checked.)
fn needles() -> Option<&'static aho_corasick::AhoCorasick> {
    static NEEDLES: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> = std::sync::OnceLock::new();
    NEEDLES
        .get_or_init(|| {
            let patterns = ["-----BEGIN ", "://", "eyJ"].into_iter().chain(TOKENS.iter().map(|t| t.prefix));
            aho_corasick::AhoCorasick::new(patterns).ok()
        })
        .as_ref()
}

/// A token format: a fixed prefix, then at least `min` characters of its
/// alphabet, starting at a word boundary.
struct Token {
    prefix: &'static str,
    min: usize,
    alphabet: fn(u8) -> bool,
    what: &'static str,
}

fn upper_digit(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit()
}
fn alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}
fn alnum_dash(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}
fn base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}
fn alnum_underscore(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

const TOKENS: &[Token] = &[
    // AWS access key ids: long-term (AKIA) and temporary (ASIA), 20 characters.
    Token { prefix: "AKIA", min: 16, alphabet: upper_digit, what: "an AWS access key id" },
    Token { prefix: "ASIA", min: 16, alphabet: upper_digit, what: "an AWS access key id" },
    // GitHub: personal, OAuth, user-to-server, server-to-server and refresh tokens.
    Token { prefix: "ghp_", min: 36, alphabet: alnum, what: "a GitHub token" },
    Token { prefix: "gho_", min: 36, alphabet: alnum, what: "a GitHub token" },
    Token { prefix: "ghu_", min: 36, alphabet: alnum, what: "a GitHub token" },
    Token { prefix: "ghs_", min: 36, alphabet: alnum, what: "a GitHub token" },
    Token { prefix: "ghr_", min: 36, alphabet: alnum, what: "a GitHub token" },
    Token { prefix: "github_pat_", min: 22, alphabet: alnum_underscore, what: "a GitHub token" },
    // Slack: bot, app, user, refresh and legacy tokens.
    Token { prefix: "xoxb-", min: 10, alphabet: alnum_dash, what: "a Slack token" },
    Token { prefix: "xoxa-", min: 10, alphabet: alnum_dash, what: "a Slack token" },
    Token { prefix: "xoxp-", min: 10, alphabet: alnum_dash, what: "a Slack token" },
    Token { prefix: "xoxr-", min: 10, alphabet: alnum_dash, what: "a Slack token" },
    Token { prefix: "xoxs-", min: 10, alphabet: alnum_dash, what: "a Slack token" },
    // Google API keys: AIza and 35 more characters.
    Token { prefix: "AIza", min: 35, alphabet: base64url, what: "a Google API key" },
    // Stripe live secret and restricted keys.
    Token { prefix: "sk_live_", min: 10, alphabet: alnum, what: "a Stripe secret key" },
    Token { prefix: "rk_live_", min: 10, alphabet: alnum, what: "a Stripe secret key" },
];

/// Byte offsets where `needle` starts in `s`. A plain scan for the first
/// byte: every string literal of a program is scanned for every format, and
/// almost all are short, where `str::match_indices` spends more on setting
/// up its searcher than on searching.
fn starts<'a>(s: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    let (h, n) = (s.as_bytes(), needle.as_bytes());
    let first = n.first().copied();
    h.iter().enumerate().filter(move |&(i, b)| Some(*b) == first && h.get(i..i + n.len()) == Some(n)).map(|(i, _)| i)
}

/// The number of bytes of `s` from `from` on that satisfy `ok`.
fn run(s: &str, from: usize, ok: fn(u8) -> bool) -> usize {
    s.as_bytes().get(from..).unwrap_or_default().iter().take_while(|b| ok(**b)).count()
}

/// No letter, digit or `_` right before `i`: the token is not the tail of a
/// longer word.
fn at_boundary(s: &str, i: usize) -> bool {
    i.checked_sub(1).and_then(|p| s.as_bytes().get(p)).is_none_or(|b| !alnum_underscore(*b))
}

fn has_token(s: &str, t: &Token) -> bool {
    s.len() >= t.prefix.len() + t.min
        && starts(s, t.prefix).any(|i| at_boundary(s, i) && run(s, i + t.prefix.len(), t.alphabet) >= t.min)
}

/// `-----BEGIN … PRIVATE KEY-----` (PEM, OpenSSH, PGP `PRIVATE KEY BLOCK`).
fn has_private_key_block(s: &str) -> bool {
    starts(s, "-----BEGIN ").any(|i| {
        let rest = s.get(i + "-----BEGIN ".len()..).unwrap_or_default();
        rest.split("-----").next().is_some_and(|label| label.contains("PRIVATE KEY"))
    })
}

/// A JSON web token: two base64url segments starting `eyJ` (`{"`), each
/// followed by a dot.
fn has_jwt(s: &str) -> bool {
    starts(s, "eyJ").any(|i| {
        if !at_boundary(s, i) {
            return false;
        }
        let header = run(s, i, base64url);
        let payload = i + header + 1;
        s.as_bytes().get(i + header) == Some(&b'.')
            && s.get(payload..).is_some_and(|p| p.starts_with("eyJ"))
            && s.as_bytes().get(payload + run(s, payload, base64url)) == Some(&b'.')
    })
}

/// `scheme://user:password@host…` with a password that is not a reference
/// to a variable (`$(DB_PASSWORD)`, `${DB_PASSWORD}`).
fn has_url_password(s: &str) -> bool {
    s.as_bytes().contains(&b'@')
        && starts(s, "://").any(|i| {
            let rest = s.get(i + 3..).unwrap_or_default();
            let authority = rest.split(['/', '?', '#', ' ', '\n']).next().unwrap_or_default();
            authority.rsplit_once('@').is_some_and(|(userinfo, _)| {
                userinfo.split_once(':').is_some_and(|(_, password)| is_literal_password(password))
            })
        })
}

/// `user:password@registry.example.com/repo…`: an image reference with the
/// registry's credentials in front. A digest (`name:tag@sha256:…`) is not.
fn has_registry_credentials(s: &str) -> bool {
    if !s.as_bytes().contains(&b'@') || s.contains("://") || s.contains(char::is_whitespace) {
        return false;
    }
    let Some((userinfo, rest)) = s.split_once('@') else { return false };
    let Some((user, password)) = userinfo.split_once(':') else { return false };
    let host = rest.split('/').next().unwrap_or_default();
    !user.is_empty()
        && !userinfo.contains('/')
        && is_literal_password(password)
        && rest.contains('/')
        && (host.contains('.') || host.contains(':') || host == "localhost")
        && !host.contains('@')
}

/// A non-empty password that is not just a variable reference.
fn is_literal_password(p: &str) -> bool {
    let reference = (p.starts_with("$(") && p.ends_with(')')) || (p.starts_with("${") && p.ends_with('}'));
    !p.is_empty() && !reference
}

#[cfg(test)]
mod tests {
    use super::secret_kind;

    #[test]
    fn secrets_are_recognised() {
        for s in [
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
            "-----BEGIN OPENSSH PRIVATE KEY-----",
            "-----BEGIN PGP PRIVATE KEY BLOCK-----",
            "AKIAIOSFODNN7EXAMPLE",
            "key=ASIAIOSFODNN7EXAMPLE",
            "ghp_0123456789abcdefghijABCDEFGHIJ012345",
            "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
            "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOp",
            "AIzaSyA-1234567890abcdefghijklmnopqrstu",
            "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abc",
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
            "postgres://app:hunter2@db.internal:5432/orders",
            "https://deploy:s3cr3t@git.example.com/shop.git",
            "robot:s3cr3t@registry.example.com/shop/order:1.8.2",
        ] {
            assert!(secret_kind(s).is_some(), "{s}");
        }
    }

    #[test]
    fn ordinary_strings_are_not() {
        for s in [
            "registry.example.com/shop/order:1.8.2",
            "registry.example.com/shop/order@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "nginx:1.25@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "localhost:5000/shop/order:1.8.2",
            "postgres://app:$(DB_PASSWORD)@db.internal:5432/orders",
            "postgres://app@db.internal:5432/orders",
            "ssh://git@git.example.com/shop.git",
            "git@github.com:example/shop.git",
            "https://git.example.com/shop.git",
            "ops@example.com",
            "-----BEGIN CERTIFICATE-----",
            "-----BEGIN PUBLIC KEY-----",
            "AKIA",
            "KAKIAIOSFODNN7EXAMPLE0",
            "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
            "tok_live_4f9a",
            "eyJhbGciOiJIUzI1NiJ9",
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "5xx,reset",
            "^/api/v[0-9]+/",
        ] {
            assert_eq!(secret_kind(s), None, "{s}");
        }
    }
}
