//! Numbers and keywords: decimal numbers (with `_`, a fraction and an
//! exponent), `0x`, `0o` and `0b` integers, and `#true`, `#false`, `#null`,
//! `#inf`, `#-inf` and `#nan`. Integers are 64-bit, as in the `kdl` crate.

use super::{Parser, Res, Tok};
use crate::tree::Val;

impl Parser<'_> {
    pub(super) fn keyword(&mut self) -> Res<Val> {
        let start = self.pos;
        self.pos += 1;
        let end = self.ident_end();
        let word = self.src.get(self.pos..end).unwrap_or("");
        let v = match word {
            "true" => Val::Bool(true),
            "false" => Val::Bool(false),
            "null" => Val::Null,
            "inf" => Val::float(f64::INFINITY),
            "-inf" => Val::float(f64::NEG_INFINITY),
            "nan" => Val::float(f64::NAN),
            _ => {
                return self.err(
                    start,
                    end.max(start + 1),
                    format!("unknown keyword `#{word}`"),
                    "not a keyword",
                    Some("KDL keywords are #true, #false, #null, #inf, #-inf and #nan".into()),
                );
            }
        };
        self.pos = end;
        Ok(v)
    }

    pub(super) fn number(&mut self) -> Res<Tok> {
        let start = self.pos;
        let end = self.ident_end();
        let text = self.src.get(start..end).unwrap_or("");
        self.pos = end;
        match parse_number(text) {
            Some(v) => Ok(Tok::Other(v)),
            None => self.err(
                start,
                end,
                format!("`{text}` is not a number"),
                "invalid number",
                Some(format!("a value that starts with a digit must be a number; quote it if it is text: \"{text}\"")),
            ),
        }
    }
}

/// A KDL number: decimal (with `_`, fraction, exponent), `0x`, `0o`, `0b`.
pub(crate) fn parse_number(text: &str) -> Option<Val> {
    let (neg, body) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..)?),
        Some(b'+') => (false, text.get(1..)?),
        _ => (false, text),
    };
    if let Some(v) = short_decimal(body.as_bytes()) {
        return Some(Val::int(if neg { -v } else { v }));
    }
    let radix = |digits: &str, radix: u32| -> Option<Val> {
        if !digits.chars().next()?.is_digit(radix) || !digits.chars().all(|c| c == '_' || c.is_digit(radix)) {
            return None;
        }
        let v = i128::from_str_radix(&without_underscores(digits), radix).ok()?;
        let v = if neg { -v } else { v };
        // Integers are 64-bit, as in the `kdl` crate.
        i64::try_from(v).ok().map(Val::int)
    };
    if let Some(h) = body.strip_prefix("0x") {
        return radix(h, 16);
    }
    if let Some(o) = body.strip_prefix("0o") {
        return radix(o, 8);
    }
    if let Some(b) = body.strip_prefix("0b") {
        return radix(b, 2);
    }
    let digits = |s: &str| {
        s.chars().next().is_some_and(|c| c.is_ascii_digit()) && s.chars().all(|c| c == '_' || c.is_ascii_digit())
    };
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(p) => (body.get(..p)?, Some(body.get(p + 1..)?)),
        None => (body, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (mantissa, None),
    };
    if !digits(int) || frac.is_some_and(|f| !digits(f)) {
        return None;
    }
    if let Some(e) = exp {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        if !digits(e) {
            return None;
        }
    }
    let clean = without_underscores(text);
    if frac.is_none() && exp.is_none() {
        return clean.parse::<i64>().ok().map(Val::int);
    }
    clean.parse::<f64>().ok().map(Val::float)
}

/// Most numbers in a program: 1 to 18 decimal digits, which no `i64`
/// overflows, read without looking for a radix, a fraction or `_`.
#[inline]
fn short_decimal(digits: &[u8]) -> Option<i64> {
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut v = 0i64;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(d - b'0');
    }
    Some(v)
}

/// `text` without its `_` digit separators, copied only when it has one.
fn without_underscores(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('_') {
        std::borrow::Cow::Owned(text.chars().filter(|c| *c != '_').collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}
