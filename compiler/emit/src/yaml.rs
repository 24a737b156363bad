//! The one module that turns documents into YAML — a direct block-style
//! writer (keys in the order given, lists in order) of [`Value`]s and,
//! in `stream`, of objects written as they are described (`yaml!`,
//! [`Emit`], [`Documents`]) — and the one that reads YAML back
//! (`read_documents`, as serde_json values, for diffs; `read_values`, for
//! the overrides to edit). Every target hands its objects here, keys in
//! the conventional order; nothing else writes or reads YAML.
//!
//! Scalars are quoted whenever a YAML 1.1 or 1.2 reader could read them as
//! something other than the string they are: `yes`, `no`, `on`, `off`,
//! `y`, `n`, `null`, `~`, `true`, anything number-like (`1.30`, `0x1F`,
//! `1_000`, `1:20`, `.inf`), dates, and strings with a leading indicator
//! (`-`, `:`, `#`, `*`, `&`, `!`, `%`, `@`, `` ` ``, quotes, brackets),
//! `: ` or ` #` inside, leading or trailing spaces. Strings with newlines,
//! control characters or invisible ones (bidi controls, zero-width) are
//! written double-quoted with escapes.

use crate::value::{Map, Str, Value};

mod stream;
pub use stream::{edited, list, object, Documents, Emit, Entries, Items, Key, List, Obj};

/// Reads the documents of a YAML file back as values (for comparing a
/// previous output with a new one). `Err` when the text is not YAML.
pub fn read_documents(text: &str) -> Result<Vec<serde_json::Value>, String> {
    use serde::Deserialize;
    let mut out = Vec::new();
    for doc in yaml_serde::Deserializer::from_str(text) {
        let v = serde_json::Value::deserialize(doc).map_err(|e| e.to_string())?;
        if !v.is_null() {
            out.push(v);
        }
    }
    Ok(out)
}

/// [`read_documents`] as [`Value`]s, to edit or write again.
pub fn read_values(text: &str) -> Result<Vec<Value>, String> {
    Ok(read_documents(text)?.into_iter().map(Value::from).collect())
}

/// One document as YAML (no leading `---`).
pub fn document(doc: &Value) -> String {
    let mut out = String::with_capacity(1024);
    write_document(&mut out, doc);
    out
}

/// Several documents in one file, separated by `---`.
pub fn documents(docs: &[Value]) -> String {
    let mut out = Documents::with_capacity(2048 * docs.len().max(1));
    out.extend(docs);
    out.finish()
}

fn write_document(out: &mut String, doc: &Value) {
    match doc {
        Value::Object(m) if !m.is_empty() => map(out, m, 0, false),
        Value::Array(a) if !a.is_empty() => seq(out, a, 0),
        other => {
            scalar(out, other);
            out.push('\n');
        }
    }
}

const SPACES: &str = "                                                                ";

/// `n` spaces: one copy for any indentation a document reaches.
#[inline]
fn pad(out: &mut String, mut n: usize) {
    if let Some(spaces) = SPACES.get(..n) {
        out.push_str(spaces);
        return;
    }
    while n > 0 {
        let k = n.min(SPACES.len());
        out.push_str(SPACES.get(..k).unwrap_or_default());
        n -= k;
    }
}

/// The longest key written as `KEY: value` (YAML allows 1024 characters,
/// `: ` included).
const MAX_IMPLICIT_KEY: usize = 1000;

/// A mapping at `indent`; with `inline_first` the first key continues the
/// current line (after `- `).
fn map(out: &mut String, m: &Map, indent: usize, inline_first: bool) {
    for (i, (k, v)) in m.iter().enumerate() {
        let explicit = key(out, indent, i == 0 && inline_first, |out| text(out, k));
        stream::Emit::value(v, out, indent, explicit);
    }
}

/// The key of an entry at `indent` (`write` puts its text), unless
/// `inline` continuing the current line; `true` when it was written as an
/// explicit `? KEY` (`:` then goes on the next line).
#[inline(always)]
fn key(out: &mut String, indent: usize, inline: bool, write: impl FnOnce(&mut String)) -> bool {
    if !inline {
        pad(out, indent);
    }
    let start = out.len();
    write(out);
    // YAML limits an implicit key to 1024 characters as written: a
    // longer one is an explicit `? KEY` entry, `:` on the next line.
    let explicit =
        out.len() - start > MAX_IMPLICIT_KEY && out.get(start..).is_some_and(|w| w.chars().count() > MAX_IMPLICIT_KEY);
    if explicit {
        out.insert_str(start, "? ");
        out.push('\n');
        pad(out, indent);
    }
    explicit
}

fn seq(out: &mut String, items: &[Value], indent: usize) {
    for item in items {
        pad(out, indent);
        out.push_str("- ");
        stream::Emit::item(item, out, indent);
    }
}

fn scalar(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(itoa::Buffer::new().format(*i)),
        Value::UInt(u) => out.push_str(itoa::Buffer::new().format(*u)),
        Value::Float(f) => {
            // Floats as serde_json writes them (shortest round-trip form).
            if let Some(n) = serde_json::Number::from_f64(*f) {
                use std::fmt::Write;
                let _ = write!(out, "{n}");
            } else {
                out.push_str("null");
            }
        }
        Value::String(s) => text(out, s),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

/// Words YAML 1.1 or 1.2 reads as booleans or null.
const SPECIAL: &[&str] =
    &["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "nan", "inf", "-inf", "+inf"];

/// Characters that must be escaped inside double quotes: C0/C1 controls,
/// DEL, the byte-order mark and the Unicode line separators — and the
/// invisible ones (bidi controls, zero-width characters), escaped so that a
/// reviewer sees them: written raw, they make a file read differently from
/// what it holds ("Trojan Source"). Also used for HCL strings.
pub(crate) fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{FEFF}'
                | '\u{61C}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                // Noncharacters outside YAML's printable set (found by
                // fuzzing): a reader refuses the whole stream, quoted or not.
                | '\u{FFFE}'
                | '\u{FFFF}'
        )
}

/// Whether `b` is one of [`SPECIAL`] (in any case). Most strings written
/// are short keys and words (`name`, `port`, `TCP`), so the length and the
/// first letter rule out nearly all of them; the rest is one comparison of
/// the word, lowercased and packed with its length into an integer, with
/// each of [`SPECIAL`] packed the same way.
const fn special(b: &[u8]) -> bool {
    let Some(&first) = b.first() else { return false };
    if b.len() > MAX_SPECIAL
        || !matches!(first.to_ascii_lowercase(), b'y' | b'n' | b'o' | b't' | b'f' | b'~' | b'i' | b'-' | b'+')
    {
        return false;
    }
    let word = packed(b);
    let mut words = PACKED_SPECIAL.as_slice();
    while let [w, rest @ ..] = words {
        if *w == word {
            return true;
        }
        words = rest;
    }
    false
}

/// The longest of [`SPECIAL`].
const MAX_SPECIAL: usize = 5;

/// A word of at most [`MAX_SPECIAL`] bytes, lowercased, as an integer: its
/// bytes, then its length in the top byte (so that a word and the same
/// word followed by NUL bytes differ).
const fn packed(mut b: &[u8]) -> u64 {
    let mut x = (b.len() as u64) << 56;
    let mut shift = 0;
    while let [c, rest @ ..] = b {
        x |= (c.to_ascii_lowercase() as u64) << shift;
        shift += 8;
        b = rest;
    }
    x
}

/// [`SPECIAL`], each [`packed`].
const PACKED_SPECIAL: [u64; SPECIAL.len()] = {
    let mut out = [0; SPECIAL.len()];
    let (mut words, mut slots) = (SPECIAL, out.as_mut_slice());
    while let ([word, ws @ ..], [slot, ss @ ..]) = (words, slots) {
        assert!(word.len() <= MAX_SPECIAL, "a word of SPECIAL is longer than MAX_SPECIAL");
        *slot = packed(word.as_bytes());
        (words, slots) = (ws, ss);
    }
    out
};

/// The indicators a plain scalar cannot start with (with the digits:
/// anything starting with one could be a number, a date or a time).
const fn bad_start(first: u8) -> bool {
    first.is_ascii_digit()
        || matches!(
            first,
            b'-' | b'?'
                | b':'
                | b','
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'#'
                | b'&'
                | b'*'
                | b'!'
                | b'|'
                | b'>'
                | b'\''
                | b'"'
                | b'%'
                | b'@'
                | b'`'
                | b'.'
                | b'+'
                | b'='
        )
}

/// Whether the ends of `b` allow a plain scalar: not empty, not one of
/// [`SPECIAL`], no space at either end, no `:` at the end, no indicator
/// or digit at the start. (The inside is [`plain_ok`]'s.)
#[inline(always)]
const fn plain_ends(b: &[u8]) -> bool {
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else { return false };
    !bad_start(first) && first != b' ' && last != b' ' && last != b':' && !special(b)
}

/// Whether `s` can be written plain and read back as the same string. One
/// pass over the bytes; the characters of non-ASCII text are looked at
/// only when there are any.
fn plain_ok(s: &str) -> bool {
    let b = s.as_bytes();
    if !plain_ends(b) {
        return false;
    }
    let mut ascii = true;
    let mut prev = 0u8;
    for &c in b {
        match c {
            0..=0x1F | 0x7F => return false,
            b' ' if prev == b':' => return false,
            b'#' if prev == b' ' => return false,
            0x80.. => ascii = false,
            _ => {}
        }
        prev = c;
    }
    if ascii {
        return true;
    }
    // Non-ASCII: whitespace at either end, controls and separators.
    let (Some(f), Some(l)) = (s.chars().next(), s.chars().next_back()) else { return false };
    !f.is_whitespace() && !l.is_whitespace() && !s.chars().any(needs_escape)
}

/// Whether the literal `s` is written plain — [`loud`] and [`plain_ends`]
/// in a `const` context, for [`crate::value::Str::literal`]: the `json!`
/// macro's literals are classified when hybridc itself is compiled.
pub(crate) const fn plain_literal(s: &str) -> bool {
    let mut b = s.as_bytes();
    if !plain_ends(b) {
        return false;
    }
    while let [c, rest @ ..] = b {
        if *c < 0x20 || *c >= 0x7F || matches!(*c, b':' | b'#' | b'\'') {
            return false;
        }
        b = rest;
    }
    true
}

/// Eight bytes at a time, whether `b` holds a byte that needs a closer
/// look: a control, DEL or non-ASCII byte (an escape, perhaps), `:` or `#`
/// (`: ` and ` #` end a plain scalar), `'` (doubled inside single quotes).
/// Without one, `b` is plain when its ends are ([`plain_ends`]), and
/// single-quoted as it is otherwise.
#[inline(always)]
fn loud(b: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Whether a byte of `x` is below `n` (exact for n <= 0x80).
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    let equal = |x: u64, c: u8| below(x ^ (ONES * u64::from(c)), 1);
    let chunk = |x: u64| {
        (below(x, 0x20) | (x & HIGH) | equal(x, 0x7F) | equal(x, b':') | equal(x, b'#') | equal(x, b'\'')) != 0
    };
    let word =
        |c: Option<&[u8]>| c.and_then(|c| <[u8; 8]>::try_from(c).ok()).is_none_or(|c| chunk(u64::from_le_bytes(c)));
    let n = b.len();
    if n >= 8 {
        let mut chunks = b.chunks_exact(8);
        if chunks.any(|c| word(Some(c))) {
            return true;
        }
        // The last eight bytes, over some already looked at: no copy.
        return !n.is_multiple_of(8) && word(b.get(n - 8..));
    }
    if n >= 4 {
        // The first four and the last four bytes, as one word.
        let half = |c: Option<&[u8]>| c.and_then(|c| <[u8; 4]>::try_from(c).ok()).map(u32::from_le_bytes);
        let (Some(first), Some(last)) = (half(b.get(..4)), half(b.get(n - 4..))) else { return true };
        return chunk(u64::from(first) | u64::from(last) << 32);
    }
    b.iter().any(|&c| !(0x20..0x7F).contains(&c) || matches!(c, b':' | b'#' | b'\''))
}

/// A key or a string scalar: one marked plain when it was made (a
/// literal, see [`plain_literal`]) is copied as it is.
#[inline(always)]
fn text(out: &mut String, s: &Str) {
    if s.known_plain() {
        out.push_str(s);
    } else {
        string(out, s);
    }
}

/// A string not classified beforehand: the common case — printable ASCII
/// without `:`, `#` or `'`, with plain ends — copied here, anything else
/// by [`quoted`].
#[inline(always)]
fn string(out: &mut String, s: &str) {
    let b = s.as_bytes();
    let loud = loud(b);
    if !loud && plain_ends(b) {
        out.push_str(s);
    } else {
        quoted(out, s, loud);
    }
}

/// A string that is not plain printable ASCII (`loud`), or whose ends are
/// not: plain when [`plain_ok`] allows it, else single-quoted, else
/// double-quoted with escapes.
#[cold]
#[inline(never)]
fn quoted(out: &mut String, s: &str, loud: bool) {
    if !loud {
        // Printable ASCII without `:`, `#` or `'`, its ends not plain:
        // quoted as is.
        out.reserve(s.len() + 2);
        out.push('\'');
        out.push_str(s);
        out.push('\'');
        return;
    }
    if plain_ok(s) {
        out.push_str(s);
        return;
    }
    if !s.chars().any(needs_escape) {
        out.push('\'');
        for part in s.split_inclusive('\'') {
            out.push_str(part);
            if part.ends_with('\'') {
                out.push('\'');
            }
        }
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
            c if needs_escape(c) => {
                use std::fmt::Write;
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn round_trip(v: &Value) {
        let y = document(v);
        let back: serde_json::Value = yaml_serde::from_str(&y).unwrap_or_else(|e| panic!("{e}\n{y}"));
        assert_eq!(&Value::from(back), v, "\n{y}");
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

    /// The eight-bytes-at-a-time test finds every byte it looks for, at
    /// any place of a string of any length, and nothing else.
    #[test]
    fn loud_bytes_are_found_anywhere() {
        let naive = |b: &[u8]| b.iter().any(|&c| !(0x20..0x7F).contains(&c) || matches!(c, b':' | b'#' | b'\''));
        for len in 0..20 {
            for at in 0..len {
                for byte in 0..=255u8 {
                    let mut b = vec![b'x'; len];
                    b[at] = byte;
                    assert_eq!(loud(&b), naive(&b), "{byte:#x} at {at} of {len}");
                }
            }
        }
        // No pair of quiet neighbours looks loud (a borrow across bytes).
        let quiet: Vec<u8> = (0..=255u8).filter(|c| !naive(&[*c])).collect();
        for &a in &quiet {
            for &b in &quiet {
                let text = [a, b, a, b, a, b, a, b, a, b, a];
                assert!(!loud(&text), "{a:#x} {b:#x}");
            }
        }
        assert!(!loud(b""));
        assert!(!loud(b"app.kubernetes.io/name"));
        assert!(loud(b"registry.example.com/shop/api:1.4.2"));
    }

    #[test]
    fn special_words_are_found_in_any_case_and_nothing_else() {
        for w in SPECIAL {
            assert!(special(w.as_bytes()) && special(w.to_ascii_uppercase().as_bytes()), "{w}");
        }
        for w in [
            "name", "port", "TCP", "yesno", "nulls", "", "o", "in", "tru", "y\0", "no\0\0", "~\0", "\0y", "yes ",
            "n\u{80}",
        ] {
            assert!(!special(w.as_bytes()), "{w:?}");
        }
    }

    proptest! {
        /// The packed comparison agrees with comparing the words, for any
        /// bytes (NUL bytes, case, lengths around the longest word).
        #[test]
        fn special_is_the_words_in_any_case(b in prop::collection::vec(prop::sample::select(b"yYnNeEsSoOfFtTrRuUlLaAiI~-+\0 x".to_vec()), 0..7)) {
            let naive = SPECIAL.iter().any(|w| w.as_bytes().eq_ignore_ascii_case(&b));
            prop_assert_eq!(special(&b), naive, "{:?}", String::from_utf8_lossy(&b));
        }

        /// What the writer's fast path copies as it is (no loud byte,
        /// plain ends) is what the careful test allows.
        #[test]
        fn the_fast_path_writes_plain_only_what_may_be(s in prop_oneof![nasty(), "[ -~]{0,12}"]) {
            let b = s.as_bytes();
            if !loud(b) && plain_ends(b) {
                prop_assert!(plain_ok(&s), "{:?}", s);
            }
        }
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
        // Invisible characters are written as escapes a reviewer can see.
        assert_eq!(document(&json!({"k": "rtl\u{202e}x zw\u{200b}"})), "k: \"rtl\\u202Ex zw\\u200B\"\n");
        assert!(document(&json!({"k": "plain-text.ok/path:1.2"})).contains("k: plain-text.ok/path:1.2"));
    }

    #[test]
    fn keys_longer_than_yaml_allows_are_explicit() {
        let long = "k".repeat(2000);
        let controls = "\u{1}".repeat(200);
        for key in [long.as_str(), controls.as_str()] {
            let mut inner = Map::new();
            inner.insert(key.to_string(), json!({"a": [1, {"b": 2}], "c": "d"}));
            inner.insert(key!("x"), json!([key]));
            let v = json!({ "top": Value::Object(inner.clone()), "list": [Value::Object(inner.clone())] });
            round_trip(&v);
            let mut scalar = Map::new();
            scalar.insert(key.to_string(), json!("v"));
            round_trip(&json!([Value::Object(scalar), Value::Object(inner)]));
        }
        assert!(document(&json!({ "k".repeat(1000): 1 })).starts_with("kkk"));
        assert!(document(&json!({ "k".repeat(1001): 1 })).starts_with("? kkk"));
    }

    #[test]
    fn nested_sequences_and_scalars() {
        let v = json!({"a": [[1, 2], [], {"b": null, "c": true, "d": -1.5}], "e": "x"});
        round_trip(&v);
        round_trip(&json!([{"a": 1}, "b"]));
    }

    /// Strings that stress a YAML reader: every indicator, the words
    /// YAML 1.1 reads as booleans or null, numbers, dates, whitespace at the
    /// ends, control, bidi and zero-width characters, and any Unicode.
    fn nasty() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "-",
            "?",
            ":",
            ": ",
            " #",
            "#",
            "&",
            "*",
            "!",
            "|",
            ">",
            "'",
            "\"",
            "%",
            "@",
            "`",
            ",",
            "[",
            "]",
            "{",
            "}",
            "yes",
            "No",
            "ON",
            "off",
            "y",
            "~",
            "null",
            "true",
            "1.30",
            "0x1F",
            "0o17",
            "1_000",
            "1:20",
            ".inf",
            "-.5",
            "2024-01-01",
            "1e3",
            " ",
            "\t",
            "\n",
            "\r\n",
            "\u{0}",
            "\u{7f}",
            "\u{85}",
            "\u{a0}",
            "\u{2028}",
            "\u{202e}",
            "\u{200b}",
            "\u{feff}",
            "{{ x }}",
            "${x}",
            "%{x}",
            "\\",
            "a",
            "b-c",
            "é",
            "日本",
        ]);
        prop_oneof![prop::collection::vec(pieces, 0..6).prop_map(|v| v.concat()), any::<String>(),]
    }

    fn values() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
            nasty().prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::vec((nasty(), inner), 0..5)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map>())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Whatever the strings, a real YAML parser reads back the values
        /// written — one document or several.
        #[test]
        fn any_value_round_trips(docs in prop::collection::vec(values(), 1..4)) {
            let text = documents(&docs);
            let back = read_values(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            // A document that is YAML null is skipped by the reader.
            let expected: Vec<Value> = docs.into_iter().filter(|d| !d.is_null()).collect();
            prop_assert_eq!(back, expected, "{}", text);
        }

        /// A literal, classified when hybridc itself is compiled, is
        /// classified as the writer classifies any string.
        #[test]
        fn literals_are_classified_as_the_writer_does(s in nasty()) {
            let b = s.as_bytes();
            prop_assert_eq!(plain_literal(&s), !loud(b) && plain_ends(b));
            prop_assert!(!plain_literal(&s) || plain_ok(&s));
        }

        #[test]
        fn any_string_round_trips_as_key_and_value(k in nasty(), v in nasty()) {
            let doc = json!({ k.clone(): v.clone(), "list": [v.clone()] });
            let text = document(&doc);
            let back: serde_json::Value = yaml_serde::from_str(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            prop_assert_eq!(Value::from(back), doc, "{}", text);
        }
    }
}
