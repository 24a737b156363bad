//! Program text in the Markdown documents hybridc writes for operators
//! (the vSphere README, each cluster's `PREREQUISITES.md`): as a code span
//! that no backtick, control character or table pipe of the text can
//! break out of.

/// Program text as a code span: control characters (a line break would
/// end the table row) become spaces, the invisible ones a reader would not
/// see (bidi controls, zero-width characters, line separators) are written
/// as `\u{…}`, and the fence is one backtick longer than the longest run of
/// backticks inside.
pub fn code(text: &str) -> String {
    if simple(text) {
        let mut span = String::with_capacity(text.len() + 2);
        span.push('`');
        span.push_str(text);
        span.push('`');
        return span;
    }
    fenced(text)
}

/// Whether `text` is its own code span, in single backticks: most text is
/// printable ASCII without a backtick, and no space at either end.
fn simple(text: &str) -> bool {
    text.bytes().all(|b| (0x20..0x7F).contains(&b) && b != b'`') && !text.starts_with(' ') && !text.ends_with(' ')
}

/// [`code`] of any text.
fn fenced(text: &str) -> String {
    let mut flat = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            flat.push(' ');
        } else if crate::yaml::needs_escape(c) {
            flat.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            flat.push(c);
        }
    }
    let mut longest = 0;
    let mut run = 0;
    for c in flat.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    if longest > 0 || flat.starts_with(' ') || flat.ends_with(' ') {
        format!("{fence} {flat} {fence}")
    } else {
        format!("{fence}{flat}{fence}")
    }
}

/// A table cell: `|` escaped (inside a code span too, as GitHub reads it).
pub fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// [`cell`] of [`code`], onto the end of `out`: the same text, copied
/// once when it is printable ASCII without a backtick or a pipe.
pub fn push_code_cell(out: &mut String, text: &str) {
    if simple(text) && !text.contains('|') {
        out.reserve(text.len() + 2);
        out.push('`');
        out.push_str(text);
        out.push('`');
    } else {
        out.push_str(&cell(&code(text)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_hold_any_text() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(code("x\n# y"), "`x # y`");
        assert_eq!(code("rtl\u{202e}x\u{2028}"), "`rtl\\u{202e}x\\u{2028}`");
        assert_eq!(code("x\ny\u{1b}"), "` x y  `");
        assert_eq!(cell("`a|b`"), "`a\\|b`");
    }

    /// The span of printable ASCII is the one spelt out character by
    /// character.
    #[test]
    fn simple_text_is_spelt_as_any_text() {
        let printable: String = (0x20u8..0x7F).map(char::from).collect();
        for text in ["", "a", " a", "a ", " ", "ns/name", "k=v", "a`b", "``", "x|y", "\\", printable.as_str()] {
            assert_eq!(code(text), fenced(text), "{text:?}");
        }
        for (i, a) in printable.chars().enumerate() {
            for b in printable.chars().skip(i) {
                let text = format!("{a}x{b}");
                assert_eq!(code(&text), fenced(&text), "{text:?}");
                assert_eq!(code(&text[..1]), fenced(&text[..1]));
                let mut pushed = String::from("| ");
                push_code_cell(&mut pushed, &text);
                assert_eq!(pushed, format!("| {}", cell(&code(&text))), "{text:?}");
            }
        }
        for text in ["", "a|b", "`", " a", "a ", "x\ny", "é|", "rtl\u{202e}"] {
            let mut pushed = String::new();
            push_code_cell(&mut pushed, text);
            assert_eq!(pushed, cell(&code(text)), "{text:?}");
        }
    }
}
